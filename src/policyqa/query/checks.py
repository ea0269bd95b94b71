"""The hard checks on an answer: what the quotes fail of the question's constraints, and which failures
refuse it whatever the learned score.

A place or a year the evidence never mentions, a document named by its full title that the collection
neither holds nor mentions, a year asked inside a named document that no quoted passage speaks of, one
year's figure answered by a total over several, an exact figure, a person or a completion the quotes do
not give. Each reason is shown to the user as said here.
"""

from __future__ import annotations

import re

from ..text.normalize import search_key
from .analysis import QueryAnalysis
from .compose import Composer
from .constraints import NO_NUMBER, violations
from .naming import named_titles
from .params import CONFIDENCE
from .picked import Picked
from .places import PLACES
from .retrieve import Hit
from .sentences import content_years, naming_words, said
from .verify import unknown_titles
from .years import stated_years, written_years

SEVERAL_YEARS = "引文给出的是多年的合计或平均，不是所问那一年的数字"
ANOTHER_MEASURE = "引文中的数字说的是其他指标，不是所问的"
_CLAUSE = re.compile(r"[^，；：,;:]+")


class HardChecks:
    def __init__(self, documents: dict[str, dict], composer: Composer):
        self.documents, self.composer, self.scopes = documents, composer, composer.scopes

    def check(self, analysis: QueryAnalysis, picked: list[Picked]) -> tuple[list[str], bool]:
        """What the quotes fail of the question's hard constraints, and whether that refuses the answer
        outright whatever the learned score (a place or year the evidence never mentions, an exact figure,
        a person or a completion that the quotes do not give)."""
        cited = list({id(c.hit): c.hit for c in picked}.values())
        reasons = self.reasons(analysis, picked, cited, evidence_text(cited, self.documents))
        figure = analysis.figure
        exact = figure is not None and (
            figure.name in CONFIDENCE.exact_figures or (CONFIDENCE.explicit_figures and figure.explicit)
        )
        vetoes = (
            "资料未涉及",
            "引文说的是其他地方",
            "资料中没有《",
            SEVERAL_YEARS,
            NO_NUMBER,
            ANOTHER_MEASURE,
        )
        if CONFIDENCE.explicit_figures:
            vetoes += ("引文中没有所问的人名", "引文只说了计划")
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
        if self.composer.over_several_years(analysis, picked):
            reasons.append(SEVERAL_YEARS)
        if figure_elsewhere(analysis, [c.text for c in picked]):
            reasons.append(ANOTHER_MEASURE)
        return reasons

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
        return [f"资料中没有《{n}》" for n in missing if not any(n in key for key in scopes.keys)]

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
            return year in stated or facts.covers(year)

        # Only a year written out: those a five-year plan or 去年 stands for are checked by the composer.
        asked = sorted(content_years(analysis) & written_years(analysis.question))
        return [f"资料未涉及{y}年" for y in asked if not any(speaks(h, y) for h in cited)]

    def regions(self, hits: list[Hit]) -> frozenset[str]:
        """The regions of the documents ``hits`` come from."""
        return frozenset(self.scopes.doc(h.chunk.doc_id).region for h in hits) - {""}


def figure_elsewhere(analysis: QueryAnalysis, quotes: list[str]) -> bool:
    """Every quote writing the asked kind of figure writes it for another measure, and says of the one
    asked, in a later clause, only that it will change ("中译英、英译中场景下产品的翻译准确率超过85%，少数民族
    语言与汉语的智能互译准确率显著提升" gives no figure for translation between minority languages and
    Chinese). A clause before the figure sets its topic ("对获得国家最高科学技术奖的个人，给予每人800万元
    奖励"), and an adverbial one leads into a clause without figure ("自收到文件之日起3个工作日内，对…合同
    进行登记"): neither is another measure. Words naming the document and the years asked tell no clause
    from another."""
    figure, share = analysis.figure, CONFIDENCE.clause_share
    if figure is None or not share:
        return False
    naming = naming_words(analysis.terms, analysis)
    years = {str(y) for y in analysis.years}
    terms = {t: w for t, w in analysis.terms.items() if t not in naming and t.removesuffix("年") not in years}
    showing = [q for q in quotes if figure.shows.search(search_key(q))]
    return bool(showing) and all(_unbound(terms, figure.shows, q, share) for q in showing)


# A measure said to change without a figure: "显著提升", "进一步提高", "明显改善".
_QUALITATIVE = re.compile(
    r"(?:显著|明显|大幅度?|进一步|稳步|持续|全面|不断|有效|较大|逐步)"
    r"(?:提升|提高|增强|增长|增加|改善|扩大|下降|降低|减少|优化|突破)"
)


def _unbound(terms: dict[str, float], shows: re.Pattern[str], quote: str, share: float) -> bool:
    clauses = [search_key(c) for c in _CLAUSE.findall(quote)]
    cover = [sum(w for t, w in terms.items() if said(t, c)) for c in clauses]
    holding = [i for i, c in enumerate(clauses) if shows.search(c)]
    if not holding:
        return False
    last, named = holding[-1], max(cover[i] for i in holding)
    return any(
        cover[j] > 0
        and named < share * cover[j]
        and _QUALITATIVE.search(clauses[j])
        and not shows.search(clauses[j])
        for j in range(last + 1, len(clauses))
    )


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
