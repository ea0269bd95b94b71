"""Which sentences of the top passages an answer may quote, and of which years each speaks.

Before any sentence is scored (compose.py), those that cannot answer are left out: a sentence about other
years than the question names, one of a province's document asked about the whole country, a law's repeal
clause, a plan where a result is asked and a review where a plan is. What is left keeps the place of its
passage among those read, so a passage that offers nothing does not use up a place.
"""

from __future__ import annotations

import re

from ..text.dates import CALENDAR_DATE
from ..text.normalize import search_key
from ..text.segment import split_sentences
from .analysis import QueryAnalysis
from .comparison import sides_found
from .events import dates_other_event
from .params import CONFIDENCE, SENTENCES
from .places import NATIONAL
from .retrieve import Hit
from .scope import ScopeIndex
from .sentences import adoption_line, asks_date, asks_made, content_years, reviews, tells_result
from .years import is_run, sentence_years, stated_years, written_years

# A report's target for its own year, explained by the year before: "提出居民消费价格涨幅3％左右，综合考虑了
# 去年价格变动的翘尾因素" speaks of the report's year as much as of 去年; where the sentence says it is
# reasoning ("考虑了", "基于"), of the report's year only: it sets no figure for 去年.
_TARGET = re.compile(r"左右|预期|目标|拟")
_REASONED = re.compile(r"考虑|基于|鉴于|兼顾")
# A repeal, and the words of a question that asks about one or about whether a text still applies.
_REPEALS = re.compile(r"废止")
_VALIDITY = re.compile(r"废止|失效|有效|作废|取代|代替|替代|施行|生效|适用|停止")


def quotable(analysis: QueryAnalysis, hits: list[Hit], scopes: ScopeIndex, passages: int) -> list[tuple]:
    """(passage, sentence span, years, place among the passages used) of the sentences an answer may
    quote, from the first ``passages`` passages that hold a sentence about the years asked.

    A sentence speaks of the years it states, else of those of its headings ("一、2021年工作回顾",
    "二、对今年政府工作的建议"), so "城镇新增就业1269万人" in the 2022 report's review is a 2021
    figure. A passage with nothing about the asked years does not use up a place: the year's outcome
    is then looked for in the passages below it (the next year's report looking back). A sentence
    already taken from an overlapping passage is not taken twice."""
    asked = content_years(analysis)
    period = is_run(asked)  # a period asked ("十二五期间…")
    outcome = analysis.tense == "outcome" and SENTENCES.outcome_skips_plans
    plan = analysis.tense == "plan" and SENTENCES.plan_skips_results
    dated = asks_date(analysis)
    # Asked the day of one event (印发, 施行, 修订…), a sentence dating only others does not answer it.
    events = analysis.events if dated else frozenset()
    national = analysis.national
    # A law's closing "…通过的《中关村科技园区条例》同时废止" names the old version without saying
    # anything it laid down: it answers only what asks about repeal or validity.
    skip_repeals = not _VALIDITY.search(analysis.text)
    # Its adoption line ("2024年11月28日…常务委员会…修订") says when and by whom it was made, and nothing
    # else: "2024年修订的那个规定，…归哪个部门管" is answered by an article.
    skip_adoption = not asks_made(analysis)
    figure = analysis.figure
    exact = figure.shows if figure is not None and figure.name in CONFIDENCE.exact_figures else None
    found, seen, used = [], set(), 0
    # Asked a day or a number, passages of other documents than the best one's must score near it.
    best_doc, floor = (hits[0].chunk.doc_id, hits[0].score * SENTENCES.exact_elsewhere) if hits else ("", 0.0)
    for hit in hits:
        # A comparison reads on until every year it names has a sentence.
        if used >= passages and (analysis.mode != "compare" or sides_found(analysis, found, scopes)):
            break
        doc_id, text = hit.chunk.doc_id, hit.chunk.text
        if exact is not None and doc_id != best_doc and hit.score < floor:
            # The day or number of the document asked about is not another's: a notice without a
            # date line is not dated by the signature of a less relevant one further down.
            continue
        doc_year = scopes.doc(doc_id).year
        # Asked about the whole country, a province's or a city's document speaks of its own region,
        # except where a sentence names the country.
        regional = national and bool(scopes.doc(doc_id).region)
        headings = stated_years(" ".join(hit.chunk.section), doc_year)
        eligible = []
        for s, e in split_sentences(text):
            sentence = text[s:e]
            # A sentence without a year of its own continues a bullet's line or a clause list.
            lead = sentence_years(scopes.lead(doc_id, hit.chunk.start + s), doc_year)
            years = (
                sentence_years(sentence, doc_year)
                or lead
                or scopes.paragraph_year(doc_id, hit.chunk.start + s, doc_year)
                or headings
            )
            if dated and asked and not years & asked:
                # "负责人须…1959年1月1日以后出生" in the 2019 guide: a date question is answered by a
                # date, and the year inside it is not the year the sentence speaks of.
                years = sentence_years(CALENDAR_DATE.sub("", sentence), doc_year) or (
                    frozenset({doc_year}) if doc_year else lead or headings
                )
            if (
                doc_year
                and doc_year not in years
                and _TARGET.search(sentence)
                and not written_years(sentence)
            ):
                # the year's own target, reasoned from 去年
                years = frozenset({doc_year}) if _REASONED.search(sentence) else years | {doc_year}
            if asked and years and not years & asked:
                continue
            if period and len(years) >= 3 and not (years <= asked or asked <= years):
                # another span's total ("五年来…新增铁路里程1.97万公里" of 2008–2012 for 十二五)
                continue
            if regional and not NATIONAL.search(sentence):
                continue
            if skip_repeals and _REPEALS.search(sentence):
                continue
            if skip_adoption and adoption_line(sentence):
                continue
            if dates_other_event(sentence, events):
                continue
            if outcome and doc_year in years & asked and not tells_result(sentence, doc_year):
                continue
            if outcome and doc_year and years and min(years) > doc_year:
                # a document tells no result of a year after it was written ("到2020年…达到2.5%" in 2016)
                continue
            if plan and reviews(sentence, years, asked, doc_year):
                continue
            eligible.append((hit, s, e, years))
        place = used + 1
        # Asked a document number or a day, a passage that writes none answers nothing: like one about
        # other years, it does not use up a place ("…的指导文件是哪个号" is answered by
        # "（新政办发〔2018〕74号）" of the fourth passage when the first three only name the files).
        used += bool(eligible) and (
            exact is None or any(exact.search(search_key(text[s:e])) for _, s, e, _ in eligible)
        )
        for hit_, s, e, years in eligible:
            key = (doc_id, search_key(text[s:e]))
            if key not in seen:
                seen.add(key)
                found.append((hit_, s, e, years, place))
    return found
