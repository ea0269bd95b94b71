"""Which passages a question (or an API filter) is about: documents by year, region, issuer and kind,
and passages by the years they state.

A question that names a year is answered from that year's documents and from passages that state the
year — relative years included: "今年" in the 2023 report is 2023, "去年" is 2022, "过去五年" the five
years before. The same for a region. Everything else is left out, so a 2017 figure can never answer a
2023 question; when nothing is left the answer says that the documents hold nothing of that year.
Issuer and kind only raise matching passages (officials name them loosely).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..text.dates import FIVE_YEAR_PLAN, five_year_plan
from ..text.normalize import search_key
from .filters import Filters
from .naming import names_document, naming_phrase, title_core, year_attached, year_picks_version
from .params import SCOPE, SENTENCES

COMPARE_SIDES = SENTENCES.compare_years  # a comparison of more sides is not searched side by side

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
_RELATIVE = (
    (re.compile(r"今年|本年|当年"), (0,)),
    (re.compile(r"去年|上年|上一年|过去一年|过去的一年|前一年|(?<![\d一二三四五六七八九十])一年来"), (-1,)),
    (re.compile(r"明年|下一年"), (1,)),
    (re.compile(r"过去五年|五年来|近五年"), (-5, -4, -3, -2, -1)),
)
# "比上年增加5500亿元", "与2012年相比": a year named only as the baseline of a comparison is not the year
# the sentence reports on ("今年安排地方专项债券1.35万亿元，比去年增加5500亿元" is a 2018 figure).
_BASELINE = re.compile(
    r"(?:比|较|同比|较之)\s*(?:(?:19|20)\d\d\s*年|去年|上年|上一年|前一年)(?:同期|末|底)?"
    r"|与\s*(?:(?:19|20)\d\d\s*年|去年|上年|上一年)(?:同期|末|底)?相比"
)


@dataclass
class Scope:
    """The passages one question may be answered from."""

    years: list[int]
    places: list[str]
    filters: Filters
    rows: np.ndarray | None = None  # allowed rows; None: every row
    strength: np.ndarray | None = None  # per row: 1 the document matches, 0.5 the passage states it
    issuer_docs: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # named years/places that no passage matches
    documents: list[str] = field(default_factory=list)  # ids of the documents the question names
    naming: list[str] = field(default_factory=list)  # the words that name them ("2024年修订的…条例")
    version_years: list[int] = field(default_factory=list)  # years that only pick a revision (2024年修订的)

    @property
    def side_by_side(self) -> list[str]:
        """The documents a comparison sets side by side: those named, when two to a few are."""
        return self.documents if 2 <= len(self.documents) <= COMPARE_SIDES else []

    @property
    def empty(self) -> bool:
        return self.rows is not None and len(self.rows) == 0

    def why_empty(self) -> str:
        named = "、".join(self.missing) or "、".join([*(f"{y}年" for y in self.years[:3]), *self.places])
        if self.filters:
            return (
                f"在所选范围（{self.filters.describe()}）内没有{named + '的' if named else ''}相关文件或内容"
            )
        return f"资料中没有{named}的相关文件或内容"


def written_years(text: str) -> set[int]:
    """The years a text writes out ("2022年"), baselines of comparisons included."""
    return {int(y) for y in _YEAR.findall(search_key(text))}


# A title quoted in 《》 names a document: "编制完成了《总体实施方案（2018～2020年）》" says nothing about 2020.
_QUOTED_TITLE = re.compile(r"《[^《》]{0,80}》")


def _reported(key: str) -> tuple[str, set[int]]:
    """A search key without its comparisons' baselines and quoted titles, and the years it writes out."""
    key = _QUOTED_TITLE.sub("", _BASELINE.sub("", key))
    return key, {int(y) for y in _YEAR.findall(key)}


def stated_years(text: str, doc_year: int | None) -> frozenset[int]:
    """Years a passage speaks of: written out, or relative to its document's year; a year named only
    as the baseline of a comparison does not count."""
    key, years = _reported(search_key(text))
    if doc_year:
        for pattern, offsets in _RELATIVE:
            if pattern.search(key):
                years.update(doc_year + o for o in offsets)
    return frozenset(years)


# A sentence that opens on a year ("2012年，在世界经济……国内生产总值增长7.8%，为今年经济发展……",
# "去年，…") reports on that year: a relative year further on (今年) is context, not its subject. Years
# written out further on still count ("1971年，…成立了联合大公国，1973年开始使用共同货币").
_OPENS_ON = re.compile(
    r"^(?:((?:19|20)\d\d)\s*年(?:全年|一年|以来)?|(今年|本年|去年|上年|过去一年|明年))(?:[，,]|是|我国|全国)"
)
_OPENER_OFFSET = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "过去一年": -1, "明年": 1}


def sentence_years(sentence: str, doc_year: int | None) -> frozenset[int]:
    """Years one sentence speaks of: the year it opens on and those it writes out, else every year it
    states, relative ones included (stated_years)."""
    key = search_key(sentence)
    m = _OPENS_ON.match(key)
    if not m or "以来" in m.group() or (m.group(2) and not doc_year):
        return stated_years(sentence, doc_year)
    opened = int(m.group(1)) if m.group(1) else doc_year + _OPENER_OFFSET[m.group(2)]
    return frozenset({opened, *_reported(key)[1]})


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


class ScopeIndex:
    """Per-document facts and per-passage years of one index version, built once when it loads."""

    def __init__(self, chunks, documents: dict[str, dict], keys: list[str]):
        self.keys = keys  # search keys of the passages, for mentions of a region
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
        # A passage speaks of the years in its own text and in its headings ("一、2018年工作回顾").
        self.years = [
            stated_years(" ".join([*c.section, c.text]), self.facts.get(c.doc_id, _NONE).year) for c in chunks
        ]
        self.known_regions = sorted(
            {f.region for f in self.facts.values() if f.region}, key=len, reverse=True
        )
        self.known_issuers = sorted(
            {f.issuer for f in self.facts.values() if f.issuer}, key=len, reverse=True
        )
        self.doc_years = sorted({f.year for f in self.facts.values() if f.year})
        self.cores = [f.core for f in self.facts.values() if len(f.core) >= 3]

    def doc(self, doc_id: str) -> DocFacts:
        return self.facts.get(doc_id, _NONE)

    # ------------------------------------------------------------- filters from the API

    def filtered(self, filters: Filters) -> np.ndarray | None:
        """Rows a filter allows (None: no filter); an empty result is an InputError naming the filter."""
        if not filters:
            return None
        unknown = [d for d in filters.doc_ids + filters.exclude_doc_ids if d not in self.facts]
        if unknown:
            raise InputError(f"文档不存在 (no document with id {unknown[0]!r})")
        keep = np.ones(len(self.doc_of), dtype=bool)
        for row, doc_id in enumerate(self.doc_of):
            f = self.doc(doc_id)
            keep[row] = (
                (not filters.doc_ids or doc_id in filters.doc_ids)
                and doc_id not in filters.exclude_doc_ids
                and (not filters.year or f.covers(filters.year))
                and (not filters.issuer or filters.issuer in f.issuer)
                and (not filters.region or filters.region == f.region)
                and (not filters.kind or filters.kind == f.kind)
            )
        return np.flatnonzero(keep)

    # ------------------------------------------------------------- scope named in a question

    def regions_in(self, text: str) -> list[str]:
        """Regions of indexed documents that the question names ("上海", "洛阳")."""
        found = []
        for region in self.known_regions:
            if region in text and not any(region in longer for longer in found):
                found.append(region)
        return found

    def match(
        self, years: list[int], regions: list[str], tense: str | None = None
    ) -> tuple[np.ndarray | None, np.ndarray]:
        """(rows allowed, per-row strength of the match in [0, 1]) for the years and regions named.

        A row is allowed when, for every facet named, its document has it (strength 1) or the passage
        states it (strength 0.5); with nothing named every row is allowed at strength 0."""
        n = len(self.doc_of)
        if not years and not regions:
            return None, np.zeros(n)
        allowed = np.ones(n, dtype=bool)
        strength = np.zeros(n)
        facets = 0
        if years:
            facets += 1
            doc_level = np.array([any(self.doc(d).covers(y) for y in years) for d in self.doc_of])
            passage = np.array([bool(self.years[r].intersection(years)) for r in range(n)])
            allowed &= doc_level | passage
            if tense == "outcome":
                # What happened in a year is told by a later document looking back (去年, 2018年工作回顾).
                later = np.array([(self.doc(d).year or 0) > min(years) for d in self.doc_of])
                strength += np.where(
                    passage & later, SCOPE.document, np.where(doc_level | passage, SCOPE.passage, 0.0)
                )
            else:
                strength += np.where(doc_level, SCOPE.document, np.where(passage, SCOPE.passage, 0.0))
        if regions:
            facets += 1
            doc_level = np.array([self.doc(d).region in regions for d in self.doc_of])
            allowed &= doc_level | self._mentions(regions)
            strength += np.where(doc_level, SCOPE.document, SCOPE.passage)
        return np.flatnonzero(allowed), np.where(allowed, strength / facets, 0.0)

    def _mentions(self, regions: list[str]) -> np.ndarray:
        """Passages whose text names one of the regions."""
        return np.array([any(r in key for r in regions) for key in self.keys])

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

    def scope(
        self, years: list[int], places: list[str], filters: Filters, text: str = "", tense: str | None = None
    ) -> Scope:
        """The question's scope intersected with the caller's filters.

        A question that names a document by title ("2023年政府工作报告", "2024年修订的上海市科学技术进步
        条例") is answered from that document: of the year named when it names one, and from nothing at
        all when the collection holds no such document of that year."""
        named, names = self.named_documents(text) if text else ([], [])
        if named:
            # A year written against the name ("2023年政府工作报告", "2024年修订的…条例") picks the version;
            # a year elsewhere ("规划提出到2020年…") is about the content, not the document.
            versions = [y for y in years if any(year_attached(text, y, name) for name in names)]
            if not versions:
                # "2025年人大关于政府工作报告的决议…": of documents issued once a year, the year named
                # anywhere picks one ("规划提出到2020年…" does not: no such plan is dated 2020).
                versions = [y for y in years if any(self.doc(d).year == y for d in named)]
            in_year = [d for d in named if not versions or any(self.doc(d).covers(y) for y in versions)]
            # "山东省“十三五”科技创新规划" picks the plan whose period is the one named.
            plans = {five_year_plan(m)[:2] for m in FIVE_YEAR_PLAN.finditer(text)}
            in_year = [d for d in in_year if self.doc(d).period in plans] or in_year
            years = versions
            rows = np.flatnonzero(np.isin(np.array(self.doc_of), in_year))
            allowed = self.filtered(filters)
            if allowed is not None:
                rows = np.intersect1d(rows, allowed)
            missing = (
                []
                if len(rows)
                else ["、".join(f"{y}年" for y in years[:3]) + "的" + names[0] if years else names[0]]
            )
            strength = np.zeros(len(self.doc_of))
            strength[rows] = 1.0
            naming = [naming_phrase(text, name, versions) for name in names]
            revisions = [y for y in versions if any(year_picks_version(text, y, name) for name in names)]
            return Scope(
                years, places, filters, rows, strength, self.issuer_boost(text), missing, in_year, naming,
                revisions,
            )  # fmt: skip
        rows, strength = self.match(years, places, tense)
        allowed = self.filtered(filters)
        if allowed is not None:
            rows = allowed if rows is None else np.intersect1d(rows, allowed)
        return Scope(
            years, places, filters, rows, strength if (years or places) else None, self.issuer_boost(text)
        )

    def issuer_boost(self, text: str) -> dict[str, float]:
        """Documents whose issuer the question names (a raise, not a filter)."""
        named = [i for i in self.known_issuers if len(i) >= 2 and i in text]
        return {d: 1.0 for d, f in self.facts.items() if f.issuer and f.issuer in named}


_NONE = DocFacts(None, None, "", "", "", "")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
