"""Choosing the sentences an answer quotes, and writing them out with their document labels.

Three shapes of answer, chosen by the question (``QueryAnalysis.mode``):
- a fact: the best sentence and its close runners-up, all from the best sentence's document, so one
  answer never mixes two reports, two regions or two versions;
- a list ("有哪些举措"): the best sentences of several passages, grouped by document;
- a comparison ("2024年和2025年的赤字率"): the best sentence for each year named, in year order.
When the question names years, a sentence that speaks of other years only is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text.normalize import search_key
from ..text.segment import split_sentences
from .analysis import PLANNED, QueryAnalysis
from .params import SENTENCES
from .retrieve import Hit
from .scope import ScopeIndex, stated_years

LIST_SENTENCES = 5  # a list answer quotes up to this many sentences
LIST_MARGIN = 0.25  # … within this of the best one


@dataclass
class Picked:
    hit: Hit
    start: int  # the sentence's span inside the passage
    end: int
    score: float
    years: frozenset[int]  # the years the sentence speaks of (relative years resolved)
    dense: float = 0.0  # the sentence's cosine to the question

    @property
    def text(self) -> str:
        return self.hit.chunk.text[self.start : self.end]

    @property
    def doc_id(self) -> str:
        return self.hit.chunk.doc_id


def overlap(terms: dict[str, float], key: str, ignore: frozenset[str] = frozenset()) -> float:
    """IDF-weighted share of ``terms`` found in the search key ``key``; words in ``ignore`` earn nothing
    but still count in the whole, so scores keep the scale the margins were chosen on."""
    total = sum(terms.values()) or 1.0
    return sum(w for t, w in terms.items() if t not in ignore and search_key(t) in key) / total


def naming_words(terms: dict[str, float], analysis: QueryAnalysis) -> frozenset[str]:
    """The question's words that name the document it is answered from ("2024年修订的上海市科学技术进步
    条例什么时候施行？"): they already chose the passages, and would otherwise favour the sentence that
    repeats the title and revision date over the one that answers."""
    naming = analysis.scope.naming if analysis.scope is not None and SENTENCES.drop_naming else []
    found = frozenset(t for t in terms if any(t in phrase for phrase in naming))
    return found if len(found) < len(terms) else frozenset()


class Composer:
    def __init__(self, embedder, settings, scopes: ScopeIndex):
        self.embedder, self.settings, self.scopes = embedder, settings, scopes

    def score(self, analysis: QueryAnalysis, hits: list[Hit]) -> list[Picked]:
        """Sentences of the top passages, best first; a follow-up's own words outweigh the earlier turn's."""
        candidates = [
            (hit, s, e)
            for hit in hits[: self.settings.answer_passages]
            for s, e in split_sentences(hit.chunk.text)
        ]
        if not candidates:
            return []
        texts = [h.chunk.text[s:e] for h, s, e in candidates]
        years = [
            stated_years(t, self.scopes.doc(h.chunk.doc_id).year) for (h, _, _), t in zip(candidates, texts)
        ]
        asked = set(analysis.years)
        figure = analysis.figure.shows if analysis.figure else None
        p = SENTENCES
        naming = naming_words(analysis.terms, analysis)
        lexical = []
        for (hit, _, _), text in zip(candidates, texts):
            key = search_key(text)
            share = overlap(analysis.terms, key, naming)
            if analysis.followup:
                share = (
                    p.focus_share * overlap(analysis.focus_terms, key, naming) + (1 - p.focus_share) * share
                )
            bonus = p.figure_bonus if figure is not None and figure.search(key) else 0.0
            if analysis.tense is not None:  # a result for "实际增长了多少", a target for "目标是多少"
                planned = bool(PLANNED.search(text))
                bonus += p.tense_bonus if planned == (analysis.tense == "plan") else -p.tense_bonus
            lexical.append(p.lexical_share * share + bonus + p.rank_bonus / hit.rank)
        # Embedding every sentence costs more than the search itself; only the lexical front-runners
        # get a dense score, which decides among them.
        shortlist = sorted(range(len(candidates)), key=lambda i: -lexical[i])[
            : self.settings.answer_shortlist
        ]
        qv = self.embedder.embed_batch([analysis.text], "query")[0]
        dense = self.embedder.embed_batch([texts[i] for i in shortlist], "passage") @ qv
        scored = [
            Picked(*candidates[i], lexical[i] + p.dense_share * float(d), years[i], float(d))
            for i, d in zip(shortlist, dense)
        ]
        scored.sort(key=lambda x: -x.score)
        if asked:
            scored = [c for c in scored if not c.years or c.years & asked]
        return scored

    def select(self, analysis: QueryAnalysis, scored: list[Picked]) -> list[Picked]:
        if not scored:
            return []
        if analysis.mode == "compare":
            chosen = self._per_year(analysis, scored)
        elif analysis.mode == "list":
            best = scored[0].score
            chosen = [c for c in scored if c.score >= best - LIST_MARGIN][:LIST_SENTENCES]
        else:
            chosen = self._one_document(scored)
        # Read in the order the evidence ranks its documents, and each document in its own order.
        doc_rank = {}
        for c in chosen:
            doc_rank.setdefault(c.doc_id, min(x.hit.rank for x in chosen if x.doc_id == c.doc_id))
        if analysis.mode == "compare":
            return sorted(
                chosen, key=lambda c: (min(c.years & set(analysis.years), default=0), c.hit.rank, c.start)
            )
        return sorted(chosen, key=lambda c: (doc_rank[c.doc_id], c.hit.chunk.start + c.start))

    def _one_document(self, scored: list[Picked]) -> list[Picked]:
        best = scored[0]
        chosen = [best]
        for c in scored[1:]:
            if len(chosen) >= self.settings.answer_sentences or c.score < best.score - SENTENCES.margin:
                break
            if c.doc_id == best.doc_id:
                chosen.append(c)
        return chosen

    def _per_year(self, analysis: QueryAnalysis, scored: list[Picked]) -> list[Picked]:
        chosen = []
        for year in analysis.years:
            on_year = [
                c
                for c in scored
                if year in c.years or (not c.years and self.scopes.doc(c.doc_id).covers(year))
            ]
            if on_year and on_year[0] not in chosen:
                chosen.append(on_year[0])
        return chosen or scored[:1]

    def label(self, doc_id: str) -> str:
        """How a quote names its document: the year and a short title."""
        facts = self.scopes.doc(doc_id)
        title = facts.title if len(facts.title) <= 30 else facts.title[:28] + "…"
        if facts.year and str(facts.year) not in title:
            return f"{facts.year}年 {title}"
        return title
