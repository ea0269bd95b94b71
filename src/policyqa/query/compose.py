"""Choosing the sentences an answer quotes, and writing them out with their document labels.

Three shapes of answer, chosen by the question (``QueryAnalysis.mode``):
- a fact: the best sentence and its close runners-up, all from the best sentence's document, so one
  answer never mixes two reports, two regions or two versions;
- a list ("有哪些举措"): the best sentences of several passages, grouped by document;
- a comparison ("2024年和2025年的赤字率"): the best sentence for each year named, in year order
  (comparison.py).
The sentences scored are those an answer may quote (quotable.py: not about other years than those
named, not a province's asked about the whole country…). The quotes chosen are widened only after the
answer check (widen.py).
"""

from __future__ import annotations

import re

from ..text.dates import DATE
from ..text.normalize import search_key
from ..text.segment import breaks_down, defines, note_task
from .analysis import QueryAnalysis
from .asking import IN_CHARGE, tense_words
from .comparison import per_year, side_best
from .naming import pointed_at
from .params import SENTENCES
from .picked import Picked
from .quotable import quotable
from .retrieve import Hit
from .scope import ScopeIndex
from .sentences import (
    adoption_line,
    asks_adoption,
    asks_date,
    asks_made,
    content_years,
    enumeration_end,
    figure_of,
    naming_words,
    overlap,
    said,
    sets_plan,
)
from .years import AGGREGATE, OVER_YEARS, asks_aggregate, asks_over_years, says_over_years, sentence_years

# Amounts asked for ("多少亿元", "增长多少"). A day or a term is not: "以哪天为递交日" is answered by the
# rule "以进入…系统的日期为递交日", which writes no date, beside a sentence that writes "满15日".
# They must be asked in so many words (QueryAnalysis.amount): "会增加自杀率的症状…以及哪一个？" names a
# rate and asks which symptom.
_AMOUNTS = frozenset({"percentage", "money", "area", "count"})


class Composer:
    def __init__(self, embedder, settings, scopes: ScopeIndex):
        self.embedder, self.settings, self.scopes = embedder, settings, scopes

    def candidates(self, analysis: QueryAnalysis, hits: list[Hit]) -> list[tuple]:
        """The sentences of ``hits`` an answer may quote (quotable.py), from this composer's passages."""
        return quotable(analysis, hits, self.scopes, self.settings.answer_passages)

    def _title_key(self, doc_id: str, pointed: list[str]) -> str:
        """The search key of the document's own title; none for a document titled by its first sentence
        or file name, whose words are no more the subject of its other sentences than any others. Words
        of the question ``pointed`` at its document by a description ("科技部那个…的通知里") are said by
        every sentence of a document that writes them, as a title's are."""
        facts = self.scopes.doc(doc_id)
        title = search_key(facts.title) if facts.titled else ""
        return " ".join([title, *(t for t in pointed if said(t, self.scopes.text_key(doc_id)))]).strip()

    def reads(self, analysis: QueryAnalysis, hit: Hit, sentence: str, at: int | None = None) -> str:
        """A sentence (at ``at`` of its passage) as ranked and checked. A bare date line ("2019年5月17日"
        under "山东省人民政府") is a document's signature: asked when the document was issued, it says the
        document's title, issuer and date, though it writes only the date. An item of a colon-opened list
        ("国内生产总值增长7.5%；") says what its lead says of it ("今年发展的主要预期目标是："). A plan's
        note on the bodies that carry out a task ("（牵头单位：省委组织部）") is about the task it closes,
        when the question asks which body."""
        if asks_adoption(analysis, sentence):
            # "2010年12月23日 北京市第十三届人民代表大会常务委员会第二十二次会议通过" under a regulation's title
            # says when and by whom that regulation was adopted, though it names neither it nor 条例.
            return f"{self.scopes.opening(hit.chunk.doc_id)}（{sentence.strip()}）"
        if not asks_date(analysis) or not DATE.fullmatch(re.sub(r"\s", "", sentence)):
            if at is None:
                return sentence
            chunk = hit.chunk
            if analysis.body and (
                task := note_task(
                    chunk.text, at, at + len(sentence), chunk.section[-1] if chunk.section else ""
                )
            ):
                return task + sentence
            lead = self.scopes.clause_lead(chunk.doc_id, chunk.start + at, numbered=analysis.body)
            if not lead and overlap(analysis.terms, search_key(sentence)) > 0:
                # A breakdown about the question ("其中科技型中小企业…占总数的97.1%") reads with its whole;
                # one about something else ("其中原因有以下几个") gains nothing from it.
                lead = self.scopes.breakdown_lead(chunk.doc_id, chunk.start + at)
            return lead + sentence if lead else sentence
        facts = self.scopes.doc(hit.chunk.doc_id)
        return f"{self.scopes.opening(hit.chunk.doc_id)}（{facts.issuer}{sentence.strip()}）"

    def score(self, analysis: QueryAnalysis, hits: list[Hit]) -> list[Picked]:
        """Sentences of the top passages, best first; a follow-up's own words outweigh the earlier turn's."""
        found = self.candidates(analysis, hits)
        if not found:
            return []
        candidates = [(h, s, e) for h, s, e, _, _ in found]
        years = [y for _, _, _, y, _ in found]
        order = [o for *_, o in found]
        texts = [self.reads(analysis, h, h.chunk.text[s:e], s) for h, s, e in candidates]
        figure = analysis.figure.shows if analysis.figure else None
        own = analysis.figure.own if analysis.figure else None
        p = SENTENCES
        tensed = tense_words(analysis.terms) if analysis.tense is not None else frozenset()
        naming = naming_words(analysis.terms, analysis, tensed)
        over_years = analysis.figure is not None and asks_over_years(analysis.question)  # "十三五期间一共…"
        one_year = len(content_years(analysis)) == 1 and not (asks_aggregate(analysis.text) or over_years)
        measured = search_key(analysis.subject) if analysis.subject else ""  # what the figure counts
        pointed = [t for t in analysis.terms if t in pointed_at(analysis.text)]
        titles = {h.chunk.doc_id: self._title_key(h.chunk.doc_id, pointed) for h, _, _ in candidates}
        in_charge = analysis.body and not asks_made(analysis)  # not "…条例由哪个机关通过"
        lexical = []
        for (hit, s, e), text, place, spoken in zip(candidates, texts, order, years):
            key = search_key(text)
            # A sentence speaks under its document's title ("1865年成立" in the article 美国特勤局 says when
            # it was founded): what is asked of it decides among them; another document's must name it.
            said_in = f"{key} {titles[hit.chunk.doc_id]}"
            share = overlap(analysis.terms, said_in, naming)
            if analysis.followup:
                share = (
                    p.focus_share * overlap(analysis.focus_terms, said_in, naming)
                    + (1 - p.focus_share) * share
                )
            bonus = p.figure_bonus if figure is not None and figure.search(key) else 0.0
            if bonus and own is not None and own.search(key):
                bonus += p.own_unit_bonus
            if bonus and measured and figure_of(key, figure, measured):
                bonus += p.subject_bonus
            if analysis.meaning and defines(key, analysis.meaning):
                bonus += p.meaning_bonus
            if (analysis.which and enumeration_end(hit.chunk.text, s, e) is not None) or (
                in_charge and IN_CHARGE.search(key)  # "…归哪个部门管": "农业农村部门负责…"
            ):
                bonus += p.figure_bonus
            if analysis.tense is not None:  # a result for "实际增长了多少", a target for "目标是多少"
                planned = sets_plan(text, self.scopes.doc(hit.chunk.doc_id).year)
                bonus += p.tense_bonus if planned == (analysis.tense == "plan") else -p.tense_bonus
            # A five-year review's figure, though the sentence does not say so ("城镇新增就业人数超过6400万
            # 人" after "过去五年，…"), is no one year's; and one year's ("今年要完成…脱贫任务") is no total
            # over the years asked.
            over = AGGREGATE.search(text) is not None or len(spoken) >= 5
            if (one_year and over) or (over_years and not (over or says_over_years(text))):
                bonus -= p.aggregate_penalty
            lexical.append(p.lexical_share * share + bonus + p.rank_bonus / place)
        # Embedding every sentence costs more than the search itself; only the lexical front-runners
        # get a dense score, which decides among them.
        ranked = sorted(range(len(candidates)), key=lambda i: -lexical[i])
        shortlist = ranked[: self.settings.answer_shortlist]
        if analysis.mode == "compare":  # every side compared keeps its best sentences in the running
            shortlist += [i for i in side_best(analysis, found, ranked, self.scopes) if i not in shortlist]
        # Sentences are ranked by their closeness to the question without its document's name; the
        # answer check still reads their closeness to the whole question, as it was trained on.
        asked = analysis.ranked
        queries = analysis.embedded(self.embedder, [analysis.text, asked])
        # A breakdown ("其中科技型中小企业…占总数的97.1%") takes its whole's words but keeps its own
        # meaning: read with the whole, its closeness would be the whole's.
        embedded = []
        for i in shortlist:
            hit, s, e = candidates[i]
            embedded.append(hit.chunk.text[s:e] if breaks_down(hit.chunk.text, s) else texts[i])
        vectors = self.embedder.embed_batch(embedded, "passage")
        whole, ranking = vectors @ queries[0], vectors @ queries[-1]
        scored = [
            Picked(
                *candidates[i], lexical[i] + p.dense_share * float(r), years[i], float(d), order[i], texts[i]
            )
            for i, d, r in zip(shortlist, whole, ranking)
        ]
        scored.sort(key=lambda x: -x.score)
        return scored

    def select(self, analysis: QueryAnalysis, scored: list[Picked]) -> list[Picked]:
        if not scored:
            return []
        if analysis.mode == "compare":
            chosen = per_year(analysis, scored, self.scopes)
        elif analysis.mode == "list":
            best = scored[0].score
            chosen = [c for c in scored if c.score >= best - SENTENCES.list_margin][
                : SENTENCES.list_sentences
            ]
        else:
            chosen = self._one_document(analysis, scored)
        # Read in the order the evidence ranks its documents, and each document in its own order.
        doc_rank = {}
        for c in chosen:
            doc_rank.setdefault(c.doc_id, min(x.hit.rank for x in chosen if x.doc_id == c.doc_id))
        if analysis.mode == "compare":
            return sorted(
                chosen, key=lambda c: (min(c.years & set(analysis.years), default=0), c.hit.rank, c.start)
            )
        return sorted(chosen, key=lambda c: (doc_rank[c.doc_id], c.hit.chunk.start + c.start))

    def over_several_years(self, analysis: QueryAnalysis, picked: list[Picked]) -> bool:
        """Asked for one year's figure, every quote gives a figure over several years and does not speak
        of that year ("2019年全国城镇新增就业实际完成多少？" → a later report's "城镇新增就业年均1270多万人"):
        the year's own figure is not there. A question asking for a total or an average is answered by
        one. Only a sentence that says so in words giving a figure over years counts, or one under a
        review of years ending after the one asked ("改造农村危房1033万户" of 2008–2012 is not 2011's): it
        may give the last year's ("城镇新增就业1351万人" in the 2018 report's review of 2013–2017), and
        "今年拟安排地方政府专项债券3.8万亿元，加快实施“十四五”重大工程" is the year's own."""
        asked = content_years(analysis)
        if analysis.figure is None or len(asked) != 1 or not picked:
            return False
        # ("2000年的报告里说，前两年一共发了多少" asks a total, though it names one year, its document's;
        # "十二五开局那年" asks one year of a plan)
        if asks_aggregate(analysis.text) or asks_over_years(analysis.question):
            return False
        (year,) = asked
        # (a quote with no figure in the unit asked, "老旧小区16.7万个" beside 套 of houses, tells nothing)
        kind = analysis.figure.own or analysis.figure.shows
        shown = [c for c in picked if kind.search(search_key(c.text))] or picked
        return all(
            (OVER_YEARS.search(c.text) or len(c.years) >= 5 and year < max(c.years))
            # and neither writes the year nor speaks of it alone ("今年…"): it may give the year's too
            and str(year) not in c.text
            and sentence_years(c.text, self.scopes.doc(c.doc_id).year) != asked
            for c in shown
        )

    def _one_document(self, analysis: QueryAnalysis, scored: list[Picked]) -> list[Picked]:
        """The best sentence and those of its document scored within the margin of it. Asked how much
        (_AMOUNTS, QueryAnalysis.amount) and given an amount by the best sentence, a further sentence must give
        one too: "2019年减税降费规模多大？" is answered by "全年减轻企业税收和社保缴费负担近2万亿元", and the
        sentences around it that name 减税降费 without a figure only hide the answer."""
        best = scored[0]
        figure = analysis.figure
        amount = figure is not None and figure.name in _AMOUNTS and analysis.amount
        shows = figure.shows if amount else None
        if shows is not None and not shows.search(search_key(best.text)):
            shows = None
        # Asked when or by which body a law was adopted, its adoption line says both; an article that
        # happens to name 机关 or a date next to it answers nothing.
        adopted = asks_adoption(analysis, best.text)
        chosen = [best]
        for c in scored[1:]:
            if len(chosen) >= self.settings.answer_sentences or c.score < best.score - SENTENCES.margin:
                break
            if adopted and not adoption_line(c.text):
                continue
            if c.doc_id == best.doc_id and (shows is None or shows.search(search_key(c.text))):
                chosen.append(c)
        return chosen
