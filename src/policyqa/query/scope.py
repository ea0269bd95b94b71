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
from dataclasses import dataclass, field, replace

import numpy as np

from ..errors import InputError
from ..text.dates import FIVE_YEAR_PLAN, five_year_plan
from .docfacts import Documents
from .filters import Filters
from .naming import before_revision, naming_phrase, year_attached, year_picks_version
from .params import SCOPE, SENTENCES
from .years import reviewing_year, stated_years

COMPARE_SIDES = SENTENCES.compare_years  # a comparison of more sides is not searched side by side


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
    latest: bool = False  # earlier versions of a series left out: no year or version was named

    def unnamed(self, text: str) -> str:
        """``text`` without the words that name its documents ("2024年修订的上海市科学技术进步条例什么时候
        施行？" → "什么时候施行？"), unless too little is left: every passage searched is already from the
        document named, and the title would draw the search to the lines that repeat it."""
        if not SENTENCES.drop_naming or not self.naming:
            return text
        left = text
        for phrase in self.naming:
            left = left.replace(phrase, "")
        return left if len(re.sub(r"\W", "", left)) >= SENTENCES.unnamed_min_chars else text

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


class ScopeIndex(Documents):
    """Per-passage years and the regions and issuers of one index version, built once when it loads, on
    its documents' facts (docfacts.Documents)."""

    def __init__(self, chunks, documents: dict[str, dict], keys: list[str]):
        super().__init__(chunks, documents)
        self.keys = keys  # search keys of the passages, for mentions of a region
        numbers = {doc_id: i for i, doc_id in enumerate(dict.fromkeys(self.doc_of))}
        self._doc_number = np.array([numbers[d] for d in self.doc_of], dtype=np.int64)
        # Rows of documents that say nothing of their date (no year, no period).
        self._undated = np.array(
            [self.doc(d).year is None and self.doc(d).period is None for d in self.doc_of], dtype=bool
        )
        # A passage speaks of the years in its own text, in its headings ("一、2018年工作回顾") and, when
        # it opens on a bullet, in the line that bullet continues.
        self.years = [
            stated_years(
                " ".join([*c.section, c.text, self.lead(c.doc_id, c.start)]), self.doc(c.doc_id).year
            )
            for c in chunks
        ]
        self.known_regions = sorted(
            {f.region for f in self.facts.values() if f.region}, key=len, reverse=True
        )
        self.known_issuers = sorted(
            {f.issuer for f in self.facts.values() if f.issuer}, key=len, reverse=True
        )
        self.doc_years = sorted({f.year for f in self.facts.values() if f.year})
        self.superseded_rows = np.array([d in self.superseded for d in self.doc_of], dtype=bool)

    def current_only(self, scope: Scope) -> Scope:
        """``scope`` without the passages of superseded documents (none left: ``scope`` unchanged)."""
        keep = ~self.superseded_rows
        rows = np.flatnonzero(keep) if scope.rows is None else scope.rows[keep[scope.rows]]
        return replace(scope, rows=rows, latest=True) if len(rows) else scope

    def looking_back(self, rows: np.ndarray | None, years: list[int]) -> np.ndarray:
        """Of ``rows`` (all when None), those of documents dated after every one of ``years``."""
        rows = np.arange(len(self.doc_of)) if rows is None else rows
        last = max(years)
        return np.array([r for r in rows if (self.doc(self.doc_of[r]).year or 0) > last], dtype=np.int64)

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
            # A document of unknown date that states the year ("现将…2019年度项目申报指南予以公布") may be
            # that year's: its other passages (the guide's age limit) are not ruled out, only put after.
            stating = np.unique(self._doc_number[passage])
            undated = self._undated & np.isin(self._doc_number, stating)
            if review := reviewing_year(years):  # a run of years is reviewed in the next year's report
                passage |= np.array([self.doc(d).year == review for d in self.doc_of])
            allowed &= doc_level | passage | undated
            if tense == "outcome":
                # What happened in a year is told by a later document looking back (去年, 2018年工作回顾).
                later = np.array([(self.doc(d).year or 0) > min(years) for d in self.doc_of])
                strength += np.where(
                    passage & later, SCOPE.document, np.where(doc_level | passage, SCOPE.passage, 0.0)
                )
            else:
                strength += np.where(doc_level, SCOPE.document, np.where(passage, SCOPE.passage, 0.0))
            strength += np.where(undated & ~(doc_level | passage), SCOPE.undated, 0.0)
        if regions:
            facets += 1
            doc_level = np.array([self.doc(d).region in regions for d in self.doc_of])
            allowed &= doc_level | self._mentions(regions)
            strength += np.where(doc_level, SCOPE.document, SCOPE.passage)
        return np.flatnonzero(allowed), np.where(allowed, strength / facets, 0.0)

    def _mentions(self, regions: list[str]) -> np.ndarray:
        """Passages whose text names one of the regions."""
        return np.array([any(r in key for r in regions) for key in self.keys])

    def scope(
        self, years: list[int], places: list[str], filters: Filters, text: str = "", tense: str | None = None
    ) -> Scope:
        """The question's scope intersected with the caller's filters.

        A question that names a document by title ("2023年政府工作报告", "2024年修订的上海市科学技术进步
        条例") is answered from that document: of the year named when it names one, and from nothing at
        all when the collection holds no such document of that year."""
        named, names = self.named_documents(text) if text else ([], [])
        if named:
            # A year written against the name ("2023年政府工作报告", "2024年修订的…条例") picks the version,
            # "2023年改之前的那版…" an earlier one; a year elsewhere ("规划提出到2020年…") is about the content.
            before = [y for y in years if before_revision(text, y)]
            if before:
                named = [d for d in named if (self.doc(d).year or 0) < min(before)]
                years = [y for y in years if y not in before]
            versions = [y for y in years if any(year_attached(text, y, name) for name in names)]
            if not versions:
                # "2025年人大关于政府工作报告的决议…": of documents issued once a year, the year named
                # anywhere picks one ("规划提出到2020年…" does not: no such plan is dated 2020).
                versions = [y for y in years if any(self.doc(d).year == y for d in named)]
            in_year = [d for d in named if not versions or any(self.doc(d).covers(y) for y in versions)]
            # "山东省“十三五”科技创新规划" picks the plan whose period is the one named.
            plans = {five_year_plan(m)[:2] for m in FIVE_YEAR_PLAN.finditer(text)}
            in_year = [d for d in in_year if self.doc(d).period in plans] or in_year
            # "上海和浙江的科学技术进步条例" names a kind of regulation every region has; the places
            # named pick theirs (a region's own, not its cities': 杭州市's is not 浙江's).
            in_year = [d for d in in_year if self.of_place(d, places)] or in_year
            # "2018年的报告", no place named: the year's report of a yearly series, not another 报告 of 2018.
            yearly = [d for d in in_year if d in self.series_of]
            in_year = yearly if versions and not places and yearly else in_year
            years = versions
            rows = np.flatnonzero(np.isin(np.array(self.doc_of), in_year))
            allowed = self.filtered(filters)
            if allowed is not None:
                rows = np.intersect1d(rows, allowed)
            what = "、".join(f"{y}年" for y in years[:3]) + "的" if years else ""
            what = f"{min(before)}年修订前的" if before else what
            missing = [] if len(rows) else [what + names[0]]
            strength = np.zeros(len(self.doc_of))
            strength[rows] = 1.0
            naming = [naming_phrase(text, name, versions) for name in names]
            revisions = [
                y for y in versions if any(year_picks_version(text, y, name) for name in names)
            ] + before
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
