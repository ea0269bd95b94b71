"""Example questions for the empty page, made from the current corpus (or given by a setting).

Headings make good questions: "（二）星创天地" becomes "星创天地的情况如何？" (of the templates tried
with the default model on the demo corpus this one gave the most complete answers). Each candidate is
asked once per index version and kept only when the system answers it, so an example never leads an
official to a refusal; the questions are spread over the newest documents and their sections.
"""

from __future__ import annotations

import re
import threading

from ..errors import PolicyQAError

EXAMPLES = 3
MAX_TRIES = 8  # candidates asked per index version at most (each ask is ~0.05–2 s on a small CPU)
HEADING_CHARS = (4, 20)  # shorter headings are too vague, longer ones read badly as questions
TEMPLATE = "{}的情况如何？"
TITLE_TEMPLATE = "《{}》的主要内容是什么？"
TITLE_CHARS = 40
_NUMBERING = re.compile(
    r"^\s*(第[一二三四五六七八九十百零〇\d]+[章节条部分篇]|[（(]?[一二三四五六七八九十百零〇\d]+[)）、.．])\s*"
)


def heading_question(heading: str) -> str | None:
    text = _NUMBERING.sub("", heading).strip(" ：:。；;，,")
    if not HEADING_CHARS[0] <= len(text) <= HEADING_CHARS[1] or text.endswith(("？", "?")):
        return None
    return TEMPLATE.format(text)


def candidates(documents: list[dict], limit: int = MAX_TRIES) -> list[str]:
    """Questions from the headings of the newest documents, taking turns between documents and spreading
    each document's picks over its sections."""
    newest = sorted(
        documents, key=lambda d: (str((d.get("metadata") or {}).get("year") or ""), d["doc_id"]), reverse=True
    )
    per_doc = []
    for doc in newest:
        qs = list(dict.fromkeys(q for s in doc.get("sections", []) if s.get("kind") == "heading"
                                if (q := heading_question(s.get("text", "")))))  # fmt: skip
        if qs:
            step = max(1, len(qs) // limit)
            per_doc.append(qs[step - 1 :: step] if step > 1 else qs)
    out: list[str] = []
    for turn in range(max((len(q) for q in per_doc), default=0)):
        for qs in per_doc:
            if turn < len(qs) and len(out) < limit:
                out.append(qs[turn])
    # Documents without headings (notices, short laws) still offer their title.
    for doc in newest:
        title = (doc.get("title") or "").strip("《》 ")
        if len(out) < limit and HEADING_CHARS[0] <= len(title) <= TITLE_CHARS:
            out.append(TITLE_TEMPLATE.format(title))
    return list(dict.fromkeys(out))


class Examples:
    def __init__(self, configured: list[str]):
        self.configured = configured
        self._cache: tuple[str, list[str]] | None = None
        self._lock = threading.Lock()

    def get(self, engine) -> dict:
        if self.configured:
            return {"questions": self.configured, "source": "settings"}
        with self._lock:  # one computation per version, however many pages load at once
            if self._cache is None or self._cache[0] != engine.version:
                self._cache = (engine.version, self._answered(engine))
        return {"questions": self._cache[1], "source": "corpus"}

    @staticmethod
    def _answered(engine) -> list[str]:
        kept = []
        for question in candidates(list(engine.index.documents.values())):
            try:
                if not engine.ask(question).abstained:
                    kept.append(question)
            except PolicyQAError:
                continue
            if len(kept) == EXAMPLES:
                break
        return kept
