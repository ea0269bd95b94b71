"""Extractive answers with verbatim citations, and abstention when the evidence does not answer.

An answer is composed only of sentences copied from the retrieved passages; each carries a marker
[n] pointing at a citation with exact offsets into the cleaned document. Before answering we check
that the evidence meets the question's hard constraints (the place and year it names, the kind of
figure it asks for) and covers its content words; otherwise we say the documents do not contain it.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

import numpy as np

from .constraints import asked_figure, figure_subject, violations
from .lexical import QUERY_PHRASES, _jieba
from .retrieve import Hit
from .textnorm import CJK, search_key

_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]+(?:[。！？；!?;]+[”’」』）)]*|$)")
_FOLLOWUP_RE = re.compile(
    r"^(那|那么|那在|那个|这|这个|这些|该|其|它|此|还有|另外|同时|然后|以及)|呢[？?]?$|(这个|这些|该|其|它|上述|前面|刚才)"
)


@dataclass
class Citation:
    n: int
    doc_id: str
    title: str
    section: list[str]
    text: str
    start: int
    end: int
    score: float
    quote: str = ""
    quote_start: int = 0
    quote_end: int = 0


@dataclass
class Answer:
    answer: str
    abstained: bool
    citations: list[Citation]
    related: list[Citation] = field(default_factory=list)
    query: str = ""
    confidence: float = 0.0
    reasons: list[str] = field(default_factory=list)
    timing_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def user_turns(history: list) -> list[str]:
    turns = []
    for item in history or []:
        if isinstance(item, str):
            turns.append(item)
        elif isinstance(item, dict) and item.get("role", "user") == "user" and item.get("content"):
            turns.append(str(item["content"]))
    return turns


def resolve_query(question: str, history: list) -> str:
    """A follow-up ("那兵团呢？", "这个基金规模多大？") is searched together with the previous question."""
    turns = user_turns(history)
    if not turns:
        return question
    core = QUERY_PHRASES.sub("", re.sub(r"[？?！!。，,\s]", "", question))
    if _FOLLOWUP_RE.search(question) or len(core) <= 6:
        return f"{turns[-1]} {question}"
    return question


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _SENTENCE_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= 2:
            spans.append((s, e))
    return spans


def content_terms(question: str) -> list[str]:
    core = QUERY_PHRASES.sub(" ", question)
    words = []
    for run in re.findall(f"[{CJK}]+|[A-Za-z]+|\\d+(?:\\.\\d+)?%?", core):
        if re.match(f"[{CJK}]", run):
            words.extend(w for w in _jieba().lcut(run) if len(w) >= 2)
        else:
            words.append(run.lower())
    seen: dict[str, None] = {}
    for w in words:
        seen.setdefault(w, None)
    return list(seen)


class Answerer:
    def __init__(self, retriever, index, embedder, settings):
        self.retriever, self.index, self.embedder, self.settings = retriever, index, embedder, settings

    def _idf(self, term: str) -> float:
        lexical = self.index.lexical
        return math.log(1 + lexical.num_docs / (1 + lexical.doc_freq(term)))

    def _weights(self, text: str) -> dict[str, float]:
        return {t: self._idf(t) for t in content_terms(text)}

    def evidence_text(self, hits: list[Hit]) -> str:
        parts = []
        for h in hits:
            doc = self.index.documents.get(h.chunk.doc_id, {})
            meta = doc.get("metadata", {})
            parts.append(
                " ".join(
                    [
                        h.chunk.title,
                        *h.chunk.section,
                        h.chunk.text,
                        str(meta.get("region", "")),
                        str(meta.get("year", "")),
                        str(meta.get("date", "")),
                    ]
                )
            )
        return search_key(" ".join(parts))

    def judge(
        self, question: str, context_question: str, hits: list[Hit], picked: list
    ) -> tuple[float, list[str]]:
        """Confidence in [0, 1] that the quoted evidence answers the question, and reasons against it."""
        if not hits or not picked:
            return 0.0, ["没有检索到相关段落"]
        cited = list({id(h): h for h, *_ in picked}.values())
        evidence = self.evidence_text(cited)
        quotes = "".join(h.chunk.text[s:e] for h, s, e, _ in picked)
        reasons = violations(question, context_question, evidence, quotes)
        weights = self._weights(context_question)
        total = sum(weights.values()) or 1.0
        covered = sum(w for t, w in weights.items() if search_key(t) in evidence) / total
        dense = max((h.sources.get("dense", 0.0) for h in hits[:3]), default=0.0)
        w = self.settings.coverage_weight
        confidence = w * covered + (1 - w) * float(np.clip((dense - 0.75) / 0.15, 0.0, 1.0))
        subject = figure_subject(question)
        if subject and search_key(subject) not in search_key(quotes):
            # Soft: paraphrases name the subject differently, but a quote without it is weaker evidence.
            confidence *= self.settings.subject_penalty
        if reasons:
            confidence = min(confidence, 0.2 * self.settings.abstain_threshold)
        return confidence, reasons

    def pick_sentences(
        self, query: str, hits: list[Hit], focus: str | None = None
    ) -> list[tuple[Hit, int, int, float]]:
        """Score sentences of the top passages; ``focus`` (a follow-up's own words) outweighs the earlier turn."""
        candidates: list[tuple[Hit, int, int]] = []
        for hit in hits[: self.settings.answer_passages]:
            for s, e in split_sentences(hit.chunk.text):
                candidates.append((hit, s, e))
        if not candidates:
            return []
        texts = [h.chunk.text[s:e] for h, s, e in candidates]
        term_sets = [self._weights(query)]
        if focus and focus != query:
            term_sets = [self._weights(focus), term_sets[0]]
        figure = asked_figure(focus or query) or asked_figure(query)
        figure = figure[1] if figure else None
        lexical = []
        for (hit, _, _), text in zip(candidates, texts):
            key = search_key(text)
            overlaps = [
                sum(w for t, w in ws.items() if search_key(t) in key) / (sum(ws.values()) or 1.0)
                for ws in term_sets
            ]
            overlap = overlaps[0] if len(overlaps) == 1 else 0.7 * overlaps[0] + 0.3 * overlaps[1]
            bonus = 0.25 if figure is not None and figure.search(key) else 0.0
            lexical.append(0.5 * overlap + bonus + 0.1 / hit.rank)
        # Embedding every sentence costs more than the search itself; only the lexical front-runners
        # get a dense score, which decides among them.
        shortlist = sorted(range(len(candidates)), key=lambda i: -lexical[i])[
            : self.settings.answer_shortlist
        ]
        qv = self.embedder.embed_batch([query], "query")[0]
        dense = self.embedder.embed_batch([texts[i] for i in shortlist], "passage") @ qv
        scored = [(*candidates[i], lexical[i] + 0.5 * float(d)) for i, d in zip(shortlist, dense)]
        scored.sort(key=lambda x: -x[3])
        best = scored[0][3]
        chosen = [scored[0]]
        for item in scored[1:]:
            if len(chosen) >= self.settings.answer_sentences or item[3] < best - 0.08:
                break
            chosen.append(item)
        # Read in document order, as the author wrote it.
        return sorted(chosen, key=lambda x: (x[0].rank, x[1]))

    def ask(self, question: str, history: list | None = None, k: int | None = None) -> Answer:
        import time

        t0 = time.perf_counter()
        query = resolve_query(question, history or [])
        hits = self.retriever.search(query, k or self.settings.top_k)
        t1 = time.perf_counter()
        picked = self.pick_sentences(query, hits, focus=question)
        confidence, reasons = self.judge(question, query, hits, picked)
        t2 = time.perf_counter()
        numbers: dict[str, int] = {}
        citations: list[Citation] = []
        parts = []
        abstained = confidence < self.settings.abstain_threshold or not picked
        if not abstained:
            for hit, s, e, _ in picked:
                n = numbers.setdefault(hit.chunk.chunk_id, len(numbers) + 1)
                if n > len(citations):
                    citations.append(self._cite(n, hit, s, e))
                parts.append(f"{hit.chunk.text[s:e]}[{n}]")
            text = "".join(parts)
        else:
            why = "；".join(dict.fromkeys(reasons)) if reasons else "检索到的段落与问题关系不大"
            text = f"资料中未找到该问题的答案（{why}）。以下段落可能相关，请核对。"
        related = [self._cite(i + 1, h, 0, 0) for i, h in enumerate(hits)] if abstained else []
        return Answer(
            text,
            abstained,
            citations,
            related,
            query,
            round(confidence, 4),
            reasons,
            {
                "retrieve": round((t1 - t0) * 1000, 1),
                "answer": round((t2 - t1) * 1000, 1),
                "total": round((t2 - t0) * 1000, 1),
            },
        )

    def _cite(self, n: int, hit: Hit, s: int, e: int) -> Citation:
        c = hit.chunk
        quote = c.text[s:e]
        return Citation(
            n,
            c.doc_id,
            c.title,
            c.section,
            c.text,
            c.start,
            c.end,
            round(hit.score, 6),
            quote,
            c.start + s,
            c.start + e,
        )
