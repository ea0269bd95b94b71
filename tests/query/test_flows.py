"""Stock and flow (flows.py)."""

from policyqa.query.analysis import QueryAnalysis
from policyqa.query.flows import added_instead, stock_instead


def test_asked_what_was_added_a_stock_does_not_answer():
    added = QueryAnalysis.of("2015年报告回顾2014年时，当年新增高速公路多少公里？")
    assert stock_instead(added, ["高速公路通车里程达11.2万公里，水路、民航、管道建设进一步加强。"])
    assert not stock_instead(added, ["新建铁路投产里程8427公里，高速铁路运营里程达1.6万公里。"])
    assert not stock_instead(added, ["新增高速公路通车里程6000多公里。"])
    # asked the stock itself, a stock answers
    total = QueryAnalysis.of("2014年底高速公路通车里程有多少公里？")
    assert not stock_instead(total, ["高速公路通车里程达11.2万公里。"])


def test_asked_what_a_measure_stood_at_an_addition_does_not_answer():
    whole = QueryAnalysis.of("2008年报告里，2007年底全国铁路营运总里程是多少公里？")
    assert added_instead(whole, ["新增铁路营运里程6100公里；"])
    year_end = QueryAnalysis.of("到2018年底全国高铁运营里程有多少公里？")
    assert added_instead(year_end, ["新增高速铁路运营里程4100公里，新建改建高速公路6000多公里。"])
    # a quote giving the stock, or the stock beside the addition, may answer
    assert not added_instead(whole, ["全国铁路营运里程达到7.8万公里。"])
    assert not added_instead(year_end, ["新增高速铁路运营里程4100公里，高速铁路运营总里程2.9万公里。"])
    # asked what was added by a year's end, an addition answers
    added = QueryAnalysis.of("到2018年底累计新增高铁里程多少公里？")
    assert not added_instead(added, ["新增高速铁路运营里程4100公里。"])
    # asked no stock, nothing to tell apart
    plain = QueryAnalysis.of("2018年高铁运营里程多少公里？")
    assert not added_instead(plain, ["新增高速铁路运营里程4100公里。"])
    # a level reached ("扩大到年末的1120多万人") is the stock, though an addition is written beside it
    covered = QueryAnalysis.of("2001年底城市低保覆盖了多少人？")
    assert not added_instead(covered, ["覆盖人数由年初的400多万人扩大到年末的1120多万人。"])


def test_asked_what_is_left_a_reduction_does_not_answer():
    left = QueryAnalysis.of("2004年减完以后农村还剩多少贫困人口？")
    assert added_instead(left, ["中央财政安排扶贫资金122亿元，农村贫困人口比上年减少290万。"])
    assert not added_instead(left, ["农村贫困人口减少290万，年末农村贫困人口2610万。"])
    # what was left, written as such beside its going ("年初剩余的551万农村贫困人口全部脱贫"), answers
    start = QueryAnalysis.of("2020年初全国还剩多少农村贫困人口？")
    assert not added_instead(start, ["年初剩余的551万农村贫困人口全部脱贫、52个贫困县全部摘帽。"])


def test_asked_how_much_more_was_harvested_the_harvest_does_not_answer():
    more = QueryAnalysis.of("2007年报告里说2006年粮食比上年增产了多少万吨？")
    assert stock_instead(more, ["全年粮食产量达到49746万吨，实现了连续三年增产。"])
    assert not stock_instead(more, ["粮食增产500万吨，达到49746万吨。"])
