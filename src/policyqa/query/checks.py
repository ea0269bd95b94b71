"""The hard checks on an answer: what the quotes fail of the question's constraints, and which failures
refuse it whatever the learned score: a place or year the evidence never mentions, a document named by
its full title that the collection neither holds nor mentions, a year asked inside a named document
that no quoted passage speaks of, one year's figure for a total over several or the reverse, an exact
figure, a person or a completion the quotes do not give; a figure of the asked kind that is another
measure's, the question's own, another tier's, or another document's. Each reason is shown as said here.
"""

from __future__ import annotations

import re
from functools import partial

from ..text.dates import FIVE_YEAR_PLAN, five_year_plan
from ..text.normalize import search_key, term_forms
from .analysis import QueryAnalysis
from .compose import Composer
from .constraints import EXPLICIT, NO_NUMBER, OTHER_INDICATOR, violations
from .contrast import other_denominator, other_grade, other_in_series, other_qualifier
from .counted import other_counted, unwritten
from .elsewhere import (
    bigram_share,
    echoed,
    figure_elsewhere,
    numbers_other,
    one_year_instead,
    per_unit_instead,
    vague_instead,
)
from .figures import required
from .flows import mismatched as flow_mismatched
from .levels import other_level, other_tier
from .naming import QUOTED_TITLE, described_kind, named_titles, title_core
from .params import CONFIDENCE
from .picked import Picked
from .places import PLACES
from .retrieve import Hit
from .sentences import content_years
from .verify import unknown_titles
from .years import baseline_years, looks_back, other_plan_period, stated_years, written_years

SEVERAL_YEARS = "引文给出的是多年的合计或平均，不是所问那一年的数字"
ONE_YEAR = "引文给出的是某一年的数字，不是所问的多年平均或合计"
_PLAN_AFTER = re.compile(r"[^，。？?；]{0,8}?(?:规划|纲要)")  # "“十二五”科技规划": the plan of that period
ANOTHER_MEASURE = "引文中的数字说的是其他指标，不是所问的"
ECHOED = "引文中的数字是问题里已经给出的，不是所问的"
CITING = "引文出自引用该文件的另一份文件，说的不是所问文件本身"
OTHER_TIER = "引文中的数字是其他一级政府的，不是所问那一级的"
OTHER_QUALIFIER = "引文中的数字说的是“{1}”的，问的是“{0}”的"
OTHER_IN_SERIES = "引文说的是{1}，问的是{0}"


class HardChecks:
    def __init__(self, documents: dict[str, dict], composer: Composer):
        self.documents, self.composer, self.scopes = documents, composer, composer.scopes
        self._cited: dict[str, frozenset[str]] = {}  # per document, the titles it cites in 《》

    def check(self, analysis: QueryAnalysis, picked: list[Picked]) -> tuple[list[str], bool]:
        """What the quotes fail of the question's hard constraints, and whether that refuses the answer
        outright whatever the learned score (a place or year the evidence never mentions, an exact figure,
        a person or a completion that the quotes do not give)."""
        cited = list({id(c.hit): c.hit for c in picked}.values())
        reasons = self.reasons(analysis, picked, cited, evidence_text(cited, self.documents))
        figure = analysis.figure
        exact = required(figure)
        vetoes = (
            "资料未涉及",
            "引文说的是其他地方",
            "资料中没有《",
            "资料中没有所说的",
            SEVERAL_YEARS,
            ONE_YEAR,
            NO_NUMBER,
            OTHER_INDICATOR,
            ANOTHER_MEASURE,
            ECHOED,
            CITING,
            OTHER_TIER,
            OTHER_QUALIFIER[:8],
            OTHER_IN_SERIES[:5],
        )
        if CONFIDENCE.explicit_figures:
            vetoes += EXPLICIT
        if CONFIDENCE.figure_veto or exact:
            vetoes += ("引文中没有所问的数据",)
        return reasons, any(r.startswith(vetoes) for r in reasons)

    def reasons(
        self, analysis: QueryAnalysis, picked: list[Picked], cited: list[Hit], evidence: str
    ) -> list[str]:
        """Why the quotes ``picked`` (from the passages ``cited``, whose search key with their documents'
        metadata is ``evidence``) cannot answer the question; empty when nothing is found."""
        quotes = "".join(c.text for c in picked)
        reasons = violations(analysis, evidence, quotes, self.regions(cited))
        reasons += self.absent_documents(analysis, cited, quotes)
        reasons += self.unstated_years(analysis, cited)
        texts = [c.text for c in picked]
        if self.composer.over_several_years(analysis, picked):
            reasons.append(SEVERAL_YEARS)
        if one_year_instead(analysis, texts, self.reviewing(analysis, picked)):
            reasons.append(ONE_YEAR)
        # A figure of the asked kind that is not the one asked (elsewhere.py, flows.py, counted.py).
        says = partial(self.writes, {h.chunk.doc_id for h in cited})  # the quoted documents write a word
        if (
            figure_elsewhere(analysis, texts)
            or vague_instead(analysis, texts)
            or per_unit_instead(analysis, texts)
            or flow_mismatched(analysis, texts)
            or other_counted(analysis, texts)
            or unwritten(analysis, texts, partial(says, titled=False))
        ):
            reasons.append(ANOTHER_MEASURE)
        if echoed(analysis, texts):
            reasons.append(ECHOED)
        if (picked and all(self.cites_asked(analysis, c) for c in picked)) or numbers_other(analysis, texts):
            reasons.append(CITING)
        if other_tier(analysis, texts):
            reasons.append(OTHER_TIER)
        if (
            pair := other_qualifier(analysis, texts, says, self.scopes.gives)
            or other_denominator(analysis, texts)
            or other_level(analysis, texts)
        ):
            reasons.append(OTHER_QUALIFIER.format(*pair))
        periods = other_plan_period(analysis.question, [(c.hit.chunk.section, c.text) for c in picked])
        if pair := other_in_series(analysis, texts) or other_grade(analysis, texts) or periods:
            reasons.append(OTHER_IN_SERIES.format(*pair))
        return reasons

    def writes(self, doc_ids: set[str], word: str, titled: bool = True) -> bool:
        """Whether one of the documents writes ``word`` in one of its forms ("研发": "研究与试验开发"; not
        ``titled``: and not in its title, its topic)."""
        forms, doc = term_forms(search_key(word)), self.scopes.doc
        return any(
            any(f in self.scopes.text_key(d) for f in forms)
            and (titled or not any(f in search_key(doc(d).title) for f in forms))
            for d in doc_ids
        )

    def absent_documents(self, analysis: QueryAnalysis, cited: list[Hit], quotes: str) -> list[str]:
        """The question names a policy document by its full title and the collection neither holds it
        nor mentions it anywhere ("深圳经济特区科技创新条例" where only other places' regulations are
        indexed): quotes from other documents cannot answer for it. A quoted document without a title of
        its own may be the one named, so it is given the benefit of the doubt."""
        scopes = self.scopes
        if not all(scopes.doc(h.chunk.doc_id).titled for h in cited):
            return []
        names = named_titles(analysis.question, PLACES)
        missing = [search_key(n) for n in unknown_titles(names, analysis, scopes.cores)]
        absent = [f"资料中没有《{n}》" for n in missing if not any(n in key for key in scopes.keys)]
        # A document described by its kind ("…的行动方案里") is none of another kind ("…规划"), unless
        # the quoted passages write of it ("落实…《实施意见》任务分工方案", a report on carrying it out).
        described = described_kind(analysis.question)
        if (
            not names
            and not (analysis.scope is not None and analysis.scope.documents)  # the scope named one
            and described
            and all(scopes.doc(h.chunk.doc_id).kind[-2:] != described[1] for h in cited)
            and bigram_share(described[0], " ".join(h.chunk.text for h in cited)) < CONFIDENCE.described_share
        ):
            absent.append(f"资料中没有所说的“{described[0]}”")
        # "山东“十二五”科技规划" is none of the plans for another period that the quotes come from.
        for m in FIVE_YEAR_PLAN.finditer(analysis.question):
            if m[0].endswith("规划") or _PLAN_AFTER.match(analysis.question, m.end()):
                start, end, name = five_year_plan(m)
                facts = [scopes.doc(h.chunk.doc_id) for h in cited]
                if all(
                    f.kind.endswith(("规划", "纲要")) and f.period not in (None, (start, end)) for f in facts
                ):
                    absent.append(f"资料中没有所说的“{name}”规划")
        return absent

    def reviewing(self, analysis: QueryAnalysis, picked: list[Picked]) -> list[str]:
        """The quotes looking back on the whole asked run of years (years.looks_back): the years named,
        or those counted from the report named ("2023年报告回顾五年…" asks about 2018–2022)."""
        year, asked = self.scopes.doc, content_years(analysis)
        asked = asked if len(asked) > 1 else analysis.years
        return [
            c.text for c in picked if looks_back(asked, c.years, c.hit.chunk.section, year(c.doc_id).year)
        ]

    def unstated_years(self, analysis: QueryAnalysis, cited: list[Hit]) -> list[str]:
        """Years asked about inside a document the question names ("浙江省科学技术进步条例规定，到2020年
        …"): the scope answers from that document whatever its date, so where no quoted passage speaks of
        the year (in so many words, or as 去年 of its document's year) and no quoted document's date or
        period covers it, the quotes cannot answer for that year."""
        scope = analysis.scope
        if scope is None or not scope.documents:
            return []  # otherwise the scope itself kept only passages and documents of the years named
        scopes = self.scopes

        def speaks(h: Hit, year: int) -> bool:
            facts = scopes.doc(h.chunk.doc_id)
            stated = (
                scopes.years[h.row]
                if h.row is not None
                else stated_years(" ".join([*h.chunk.section, h.chunk.text]), facts.year)
            )
            return year in stated or facts.covers(year) or year in baselines and f"{year}年" in h.chunk.text

        baselines = baseline_years(analysis.question)  # "比2002年涨了多少": a passage writing it speaks of it
        # Only a year written out: those a five-year plan or 去年 stands for are checked by the composer.
        asked = sorted(content_years(analysis) & written_years(analysis.question))
        return [f"资料未涉及{y}年" for y in asked if not any(speaks(h, y) for h in cited)]

    def cites_asked(self, analysis: QueryAnalysis, c: Picked) -> bool:
        """Asked the day, the number or the issuer of a document the question names, ``c`` is from
        another document that cites it in 《》 and does not speak of it in the quote: "为落实国务院印发
        的《新一代人工智能发展规划》…" closes on its own date line, which is not the plan's."""
        figure = analysis.figure
        if not analysis.body and (figure is None or figure.name not in ("day", "date", "document number")):
            return False
        if c.doc_id not in self._cited:
            doc = self.documents.get(c.doc_id, {})
            # An untitled document's "title" is its first sentence, which may be the citing one.
            facts = self.scopes.doc(c.doc_id)
            own = search_key(title_core(str(doc.get("title", "")))) if facts.titled else "\0"
            titles = {
                search_key(t) for t in QUOTED_TITLE.findall(str(doc.get("text", ""))) if 4 <= len(t) <= 60
            }
            self._cited[c.doc_id] = frozenset(t for t in titles if t not in own and own not in t)
        question, quote = search_key(analysis.question), search_key(c.text)
        named = [t for t in self._cited[c.doc_id] if t in question]
        return bool(named) and not any(t in quote for t in named)

    def regions(self, hits: list[Hit]) -> frozenset[str]:
        """The regions of the documents ``hits`` come from."""
        return frozenset(self.scopes.doc(h.chunk.doc_id).region for h in hits) - {""}


def evidence_text(hits: list[Hit], documents: dict[str, dict]) -> str:
    """The passages' search key with their titles, headings and documents' region, year and date: where a
    place, a year or a term the question names must be found."""
    parts = []
    for h in hits:
        doc = documents.get(h.chunk.doc_id, {})
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
