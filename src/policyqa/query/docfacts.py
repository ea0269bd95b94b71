"""What an index version knows of each document: its facts (year, period, region, issuer, kind, title) and
its whole text, read by offset, and which documents are earlier versions of a series.

The scope of a question (scope.py) is built on these facts; the answer reads the text around a passage
(the line a bullet continues, the lead of a list, the year its paragraph opened on) through them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.normalize import search_key
from ..text.segment import breakdown_lead, clause_lead
from .naming import names_by_year, names_document, title_core
from .years import bullet_lead, paragraph_year

# Where an opening sentence ends (not at "；": split_sentences would cut a notice's purpose clause short).
_SENTENCE_END = re.compile(r"[。！？\n]")


@dataclass
class DocFacts:
    year: int | None
    period: tuple[int, int] | None
    region: str
    issuer: str
    kind: str
    title: str
    titled: bool = True  # the title is the document's own (not its first sentence or file name)

    def covers(self, year: int) -> bool:
        return self.year == year or (self.period is not None and self.period[0] <= year <= self.period[1])

    @property
    def core(self) -> str:
        """The title as questions name it (naming.title_core)."""
        return title_core(self.title)


# Where a title comes from when the document gives none: such a document may be the one a question names.
UNTITLED = ("text:first sentence", "file name")


class Documents:
    """Per-document facts and texts of one index version, and the series their versions form."""

    def __init__(self, chunks, documents: dict[str, dict]):
        self.facts: dict[str, DocFacts] = {}
        for doc_id, doc in documents.items():
            m = doc.get("metadata") or {}
            period = m.get("period")
            self.facts[doc_id] = DocFacts(
                _int(m.get("year")),
                (int(period[0]), int(period[1])) if isinstance(period, list) and len(period) == 2 else None,
                str(m.get("region") or ""),
                str(m.get("issuer") or ""),
                str(m.get("kind") or ""),
                str(doc.get("title") or ""),
                (doc.get("metadata_sources") or {}).get("title") not in UNTITLED,
            )
        self.doc_of = [c.doc_id for c in chunks]
        self._texts = {doc_id: str(doc.get("text") or "") for doc_id, doc in documents.items()}
        self._text_keys: dict[str, str] = {}  # per document, its text's search key (made when first read)
        self.cores = [f.core for f in self.facts.values() if len(f.core) >= 3]
        self.untitled = frozenset(d for d, f in self.facts.items() if not f.titled)
        # Earlier versions of a series: a yearly report before the latest, a regulation before its last
        # revision (same title as questions name it, an earlier year). Asked without a year or version,
        # officials mean the one in force: the 2017 report's target does not answer "赤字率是多少？".
        # A region's report is no version of the country's, nor Beijing's regulation of Shanghai's.
        series: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for doc_id, f in self.facts.items():
            if f.titled and f.year and len(f.core) >= 3:
                series.setdefault((f.core, f.region), []).append((f.year, doc_id))
        series = {key: members for key, members in series.items() if len({y for y, _ in members}) > 1}
        self.series_of = {doc_id: key for key, members in series.items() for _, doc_id in members}
        self.superseded = frozenset(
            doc_id
            for members in series.values()
            for year, doc_id in members
            if year < max(y for y, _ in members)
        )

    def doc(self, doc_id: str) -> DocFacts:
        return self.facts.get(doc_id, _NONE)

    def named_documents(self, text: str) -> tuple[list[str], list[str]]:
        """(ids, names as written) of the documents a question names by title, best-named first."""
        found: dict[str, int] = {}
        names: list[str] = []
        for doc_id, facts in self.facts.items():
            span = names_document(text, facts.core, facts.kind)
            if span:
                found[doc_id] = len(span)
                if span not in names:
                    names.append(span)
        if not found:
            # "2013年报告": no title, but a year and the kind of the documents issued once a year.
            for doc_id, facts in self.facts.items():
                span = names_by_year(text, facts.core, facts.kind) if facts.year else None
                if span:
                    found[doc_id] = len(span)
                    if span not in names:
                        names.append(span)
            # … of a kind issued once a year: "数字中国那份2022年的发展报告" is no 2018 科技发展报告, the one
            # dated document whose title ends so, and may be one that came without a title line.
            if len({self.doc(d).year for d in found}) < 2:
                return [], []
        if not found:
            return [], []
        # "批准2020年政府工作报告的人大决议": the question asks for a document of another kind about the one
        # it names ("…关于政府工作报告的决议"), so that kind, written after the name, names it better.
        for doc_id, facts in self.facts.items():
            if doc_id in found or len(facts.kind) < 2:
                continue
            for name in names:
                if name in facts.core and facts.kind in text[text.find(name) + len(name) :]:
                    found[doc_id] = len(name) + len(facts.kind)
                    break
        longest = max(found.values())
        # "政府工作报告" names every report; "2023年" then picks one. Keep only the best-named documents.
        return [d for d, n in found.items() if n == longest], names

    def of_place(self, doc_id: str, places: list[str]) -> bool:
        """Whether the document is one of the places' own: its region, or a title that starts with one."""
        facts = self.doc(doc_id)
        return any(facts.region == p or facts.title.startswith(p) for p in places)

    def versions_compete(self, doc_ids: list[str]) -> bool:
        """Two or more documents of one series are among ``doc_ids`` (reports of several years, two
        revisions of a regulation)."""
        found = [self.series_of[d] for d in dict.fromkeys(doc_ids) if d in self.series_of]
        return len(found) > len(set(found))

    def text(self, doc_id: str) -> str:
        """The document's whole text: every passage is the slice of it at its offsets."""
        return self._texts.get(doc_id, "")

    def text_key(self, doc_id: str) -> str:
        """The search key of the document's whole text: whether it writes a word anywhere."""
        if doc_id not in self._text_keys:
            self._text_keys[doc_id] = search_key(self.text(doc_id))
        return self._text_keys[doc_id]

    def gives(self, phrase: str, shows: re.Pattern[str]) -> bool:
        """Whether some document writes ``phrase`` in a clause holding a figure that ``shows`` matches:
        a measure the collection gives figures for ("铁路建设投资8000亿元"), not a word in passing."""
        clause = re.compile(rf"[^，。；：！？,;:!?\n]*{re.escape(search_key(phrase))}[^，。；：！？,;:!?\n]*")
        return any(shows.search(m[0]) for d in self._texts for m in clause.finditer(self.text_key(d)))

    def label(self, doc_id: str) -> str:
        """How a quote names its document: the year and a short title."""
        facts = self.doc(doc_id)
        title = facts.title if len(facts.title) <= 30 else facts.title[:28] + "…"
        if facts.year and str(facts.year) not in title:
            return f"{facts.year}年 {title}"
        return title

    def lead(self, doc_id: str, at: int) -> str:
        """The line above that a bullet at ``at`` of the document continues (bullet_lead)."""
        return bullet_lead(self._texts.get(doc_id, ""), at)

    def paragraph_year(self, doc_id: str, at: int, doc_year: int | None) -> frozenset[int]:
        """The year the paragraph holding ``at`` of the document opened on before it (paragraph_year): a
        passage may begin after the opener."""
        return paragraph_year(self._texts.get(doc_id, ""), at, doc_year)

    def clause_lead(self, doc_id: str, at: int, numbered: bool = False) -> str:
        """The lead of the colon-opened list whose "；" clause is at ``at`` of the document (clause_lead):
        a passage may begin after it."""
        return clause_lead(self._texts.get(doc_id, ""), at, numbered=numbered)

    def breakdown_lead(self, doc_id: str, at: int) -> str:
        """The whole that the sentence at ``at`` of the document, opening on 其中, breaks down
        (breakdown_lead): a passage may begin after it."""
        return breakdown_lead(self._texts.get(doc_id, ""), at)

    def opening(self, doc_id: str) -> str:
        """What a document says it is: its title, or for one without (a notice scraped with no title line)
        the whole sentence its title was cut from ("为充分发挥人工智能…，推进“现代优势产业集群+人工智能”…")."""
        facts = self.doc(doc_id)
        if facts.titled:
            return facts.title
        text, cut = self._texts.get(doc_id, ""), facts.title.rstrip("…")
        at = text.find(cut) if cut else -1
        if at < 0:
            return cut
        end = _SENTENCE_END.search(text, at)
        return text[at : end.start() if end else len(text)]


_NONE = DocFacts(None, None, "", "", "", "")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
