"""A question, read once: what it asks for and what it is about.

The engine builds one ``QueryAnalysis`` per question and hands it to retrieval, answer composition and
the answer checks; nothing below the engine reads the raw question again. The analysis holds the text
to search with (a follow-up is joined to the earlier turn), the kind of figure asked for (a count of
households, a percentage, a document number …), the thing the figure measures, the places and years
named, document numbers, and the content words with their IDF weights.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from ..text.dates import arabic_years
from ..text.event_years import dated_events, event_readings
from ..text.normalize import docnum_keys, to_simplified
from ..text.segment import content_words
from .asking import (
    ASKS_BODY,
    ASKS_OWN,
    ASKS_WHICH,
    answer_mode,
    asks_done,
    asks_person,
    asks_place,
    defined_term,
    exactness,
    looked_back,
    tense,
)
from .events import asked_events
from .figures import ASKS_AMOUNT, AskedFigure, asked_figure
from .followup import NOW_RELATIVE, SCOPE_WORD, dated_from_now, resolve_query, user_turns, year_shift
from .measured import figure_subject
from .naming import pointed_at
from .params import SENTENCES
from .places import NATIONAL, places_and_years
from .scope import Scope

if TYPE_CHECKING:
    from ..models.embed import Embedder


@dataclass
class QueryAnalysis:
    question: str  # this turn, as asked
    text: str  # what is searched: the question, joined to the earlier turn for a follow-up
    followup: bool = False
    figure: AskedFigure | None = None
    person: bool = False  # asks for a person by role: a quote must name one
    place: bool = False  # asks which provinces, cities or counties: a quote must name one
    body: bool = False  # asks which body does or leads something (ASKS_BODY), not a figure of it
    done: bool = False  # asks whether or when something was completed: a plan does not answer
    which: bool = False  # asks which ones ("哪些", "哪几种"): an enumeration with its items answers
    amount: bool = False  # asks a figure's size in so many words (ASKS_AMOUNT): a quote must hold a number
    meaning: str | None = None  # the term whose meaning is asked: its definition ("本法所称X，是指…") answers
    subject: str | None = None  # what the asked figure measures
    places: list[str] = field(default_factory=list)  # named in the question (a follow-up inherits them)
    years: list[int] = field(default_factory=list)  # named years, ranges and five-year plans, as years
    mode: str = "fact"  # "fact", "list" or "compare": how the answer is composed
    tense: str | None = None  # "outcome" or "plan": which year's report speaks of a named year
    events: frozenset[str] = frozenset()  # the events whose day is asked (印发, 施行…; query/events.py)
    docnums: list[str] = field(default_factory=list)  # search-key forms of document numbers in ``text``
    terms: dict[str, float] = field(default_factory=dict)  # content words of ``text`` → IDF weight
    focus_terms: dict[str, float] = field(default_factory=dict)  # a follow-up's own words → weight
    exactness: float = 0.0
    readings: tuple[str, ...] = ()  # how years named by an event were read ("“北京奥运那年”按2008年理解")
    scope: Scope | None = None  # the passages the question is about (set by the engine from the index)
    _vectors: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def national(self) -> bool:
        """The question asks about the country as a whole and names no place: a province's or a city's
        document answers only where its passage speaks of the country."""
        return not self.places and NATIONAL.search(self.text) is not None

    @property
    def unnamed(self) -> str:
        """``text`` without the words naming the documents it is scoped to (Scope.unnamed): within them
        the name tells no passage or sentence from another, and would draw the embedding to the header
        lines that repeat it."""
        return self.scope.unnamed(self.text) if self.scope is not None else self.text

    @property
    def ranked(self) -> str:
        """The question as its answer's sentences are ranked: also without the words pointing at its
        document by a description (naming.pointed_at), which retrieval read to find that document."""
        text = self.unnamed
        pointed = pointed_at(text)
        left = text.replace(pointed, "", 1) if pointed else text
        return left if len(re.sub(r"\W", "", left)) >= SENTENCES.unnamed_min_chars else text

    def embedded(self, embedder: Embedder, texts: list[str]) -> np.ndarray:
        """The query vectors of ``texts``, each embedded once per question: dense search and the
        sentence ranking both embed the question without its document's name."""
        missing = [t for t in dict.fromkeys(texts) if (id(embedder), t) not in self._vectors]
        if missing:
            for text, vector in zip(missing, embedder.embed_batch(missing, "query"), strict=True):
                self._vectors[id(embedder), text] = vector
        return np.stack([self._vectors[id(embedder), t] for t in texts])

    @classmethod
    def of(
        cls,
        question: str,
        history: list | None = None,
        idf: Callable[[str], float] | None = None,
        regions: tuple[str, ...] = (),
        today: date | None = None,
        continued: bool = False,
    ):
        """Analyse ``question`` (after the earlier user turns in ``history``); ``idf`` weighs words,
        ``regions`` are the regions of the indexed documents (places the question may name), ``today``
        the day it is asked (what 今年 and 去年 mean when it names no year); ``continued``: it is a later
        question of one message (query/parts.py), read after the one before it."""
        # "二〇二三年政府工作报告" names the 2023 report, "北京奥运那年" 2008 (and the answer says so)
        readings = tuple(event_readings(question := arabic_years(question)))
        question = dated_events(question)
        text = resolve_query(question, history or [], continued)
        weigh = idf or (lambda _term: 1.0)
        places, years = places_and_years(question, regions)
        if not places and not years and history:
            # In a conversation a question that names no place or year keeps those of the latest turn
            # that named one ("2011年的赤字率是多少？" → "财政赤字安排了多少？" → "其中中央财政赤字多少？",
            # "2014年城镇新增就业目标是多少？" → "登记失业率要控制在多少？"): each quote is labelled with
            # its year, so the reader sees which year was kept.
            for turn in [text, *reversed(user_turns(history))]:
                places, years = places_and_years(turn, regions)
                if places or years:
                    break
            if text == question and (shift := year_shift(question)):
                # "前一年M2实际增长了多少？" after "2017年报告里M2增速的预期目标…" asks about 2016.
                years = [y + shift for y in years]
        if not years and text == question and today is not None and NOW_RELATIVE.search(question):
            # "今年的政府工作报告提出的赤字率" asks about this year's report, not whichever says 今年; a
            # follow-up ("那去年呢？") is read against the earlier turn instead.
            question = text = dated_from_now(question, today)
            places, years = places_and_years(question, regions)
        # "那2022年呢？" asks the earlier turn's figure again; "那国际合作奖分不分等级？" asks its own thing.
        figure = asked_figure(question)
        # "那2022年呢？" asks the earlier turn's question again of another year or place: its own words only
        # set the scope, and the earlier turn's words are what is asked (as its focus).
        own = content_words(question)
        same = all(
            w.isdigit() or SCOPE_WORD.fullmatch(w) or any(w in p or p in w for p in places) for w in own
        )
        if figure is None and not ASKS_OWN.search(question) and (earlier := asked_figure(text)):
            # "那专项债呢？" after "赤字率是多少？" asks about another thing: the kind is kept, but not
            # required outright.
            figure = earlier if same else replace(earlier, explicit=False)
        elif (
            figure is not None
            and figure.name == "count"
            and same
            and text != question
            and (earlier := asked_figure(text.removesuffix(question))) is not None
            and earlier.name != "count"
        ):
            # A bare "是多少？" or "那2022年是多少？" after "专项债券安排了多少亿元？" asks that sum again,
            # not any count: its own "多少" names no kind (a count is what a bare 多少 reads as).
            figure = earlier
        terms = {t: weigh(t) for t in content_words(text)}
        # (a follow-up's words that moved the year or the document have done their work: "那前一年实际
        # 涨了多少？" is focused on 实际, and the year's own sentence need not write "2007" or "一年")
        asks = [w for w in own if not (w.isdigit() or SCOPE_WORD.fullmatch(w))] or own
        focus = {} if text == question else terms if same else {t: weigh(t) for t in asks}
        asked = text if same else question  # what the figure measures, and whether a plan or a result
        return cls(
            question=question,
            text=text,
            followup=text != question,
            figure=figure,
            person=asks_person(question),
            place=asks_place(question),
            body=figure is None and ASKS_BODY.search(question) is not None,  # not "牵头单位的注册时间"
            done=asks_done(question),
            which=ASKS_WHICH.search(question) is not None,
            amount=figure is not None and ASKS_AMOUNT.search(to_simplified(question)) is not None,
            meaning=defined_term(question),
            subject=figure_subject(asked),
            places=places,
            years=years,
            mode=answer_mode(question, figure),
            # The tense of a question's own words, else of the turn or part before it ("2018年全年贫困人口
            # 减了多少？易地搬迁了多少人？" asks both results, but "2014年又定了要降多少？" after "…实际降了
            # 多少？" a plan); a total over past years asked plainly ("十三五期间一共…脱了贫") is a result.
            tense=tense(question)
            or tense(asked)
            or (tense(text) if continued else None)
            or ("outcome" if looked_back(asked, years) else None),
            events=asked_events(question) or asked_events(text),
            docnums=docnum_keys(text),
            terms=terms,
            focus_terms=focus,
            exactness=exactness(text),
            readings=readings,
        )
