"""Stock and flow: what a measure stands at ("高速公路通车里程达11.2万公里") and what was added to it in a
year or a period ("新增高速公路通车里程6000多公里"). Reports give one or the other, seldom both; asked one,
a quote giving only the other does not answer.
"""

from __future__ import annotations

import re

from .analysis import QueryAnalysis
from .elsewhere import showing_figure

# Asked what was added ("当年新增高速公路多少公里", "新建了多少公里", "增产了多少万吨") …
_ASKS_ADDED = re.compile(
    r"(?:新增|新建|新开工|新投产|增加了|增产了?|多建了|新修|新通)[^，。？?]{0,10}(?:多少|几)"
)
# … a quote writing no addition gives the stock ("高速公路通车里程达11.2万公里"), not what was added.
_ADDED = re.compile(
    r"新增|新建|新开工|投产|增加|新改建|改建|改扩建|新投|开通|建成|新修|扩大|增长|提高|多建|新通"
    r"|增产(?=[\d０-９一二三四五六七八九十百千几近约超])"  # "增产500万吨", not "连续三年增产"
)


def stock_instead(analysis: QueryAnalysis, quotes: list[str]) -> bool:
    """Asked what was added in a year or a period, every quote giving the asked kind of figure gives a
    stock, writing no addition."""
    figure = analysis.figure
    if figure is None or not _ASKS_ADDED.search(analysis.question):
        return False
    showing = showing_figure(figure, quotes)
    return bool(showing) and not any(_ADDED.search(q) for q in showing)


# Asked what a measure stood at: its whole ("运营总里程", "保有量", "存量"), what is left ("还剩多少贫困
# 人口"), or its figure at a year's end ("2018年底全国高铁运营里程有多少") …
_ASKS_STOCK = re.compile(
    r"总里程|总规模|保有量|存量|总面积|还剩|剩下|(?:年底|年末)[^，。？?]{0,16}(?:多少|几)"
)
# … a figure for a year's end may still be added over the years to it ("到2020年底累计新增…多少").
_ASKS_FLOW = re.compile(r"新增|新建|新开工|新投产|增加|增长|减少|下降|累计|一共|总共|合计")
# A quote writing only a change (the words of a stock, "达到", "总", "扩大到…", "剩余", are absent) gives the
# flow; what was taken away ("农村贫困人口比上年减少290万") is a flow as well.
_CHANGED = re.compile(rf"{_ADDED.pattern}|减少|下降|降低|脱贫")
_STOCK = re.compile(
    r"达到?|总|累计|共有|共计|保有|存量|规模|年末|年底|剩余|剩下|还有|(?:扩大|增加|提高|增长|上升|下降|减少|降低)到"
)


def added_instead(analysis: QueryAnalysis, quotes: list[str]) -> bool:
    """Asked what a measure stood at, every quote giving the asked kind of figure gives what was added
    to it ("新增铁路营运里程6100公里" for "2007年底全国铁路营运总里程"), writing no stock."""
    figure, question = analysis.figure, analysis.question
    if figure is None or not _ASKS_STOCK.search(question) or _ASKS_FLOW.search(question):
        return False
    showing = showing_figure(figure, quotes)
    return bool(showing) and all(_CHANGED.search(q) and not _STOCK.search(q) for q in showing)


def mismatched(analysis: QueryAnalysis, quotes: list[str]) -> bool:
    """The quotes give the stock where the flow is asked, or the flow where the stock is."""
    return stock_instead(analysis, quotes) or added_instead(analysis, quotes)
