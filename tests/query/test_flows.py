"""Stock and flow (flows.py): each case is (check, question, quote, whether the check refuses it)."""

import pytest

from policyqa.query.analysis import QueryAnalysis
from policyqa.query.flows import added_instead, stock_instead

ADDED = "2015年报告回顾2014年时，当年新增高速公路多少公里？"
WHOLE = "2008年报告里，2007年底全国铁路营运总里程是多少公里？"
YEAR_END = "到2018年底全国高铁运营里程有多少公里？"
LEFT = "2004年减完以后农村还剩多少贫困人口？"
MORE = "2007年报告里说2006年粮食比上年增产了多少万吨？"


@pytest.mark.parametrize(
    "check, question, quote, refused",
    [
        # Asked what was added, a stock does not answer; an addition, beside a stock or alone, does.
        (stock_instead, ADDED, "高速公路通车里程达11.2万公里，水路、民航、管道建设进一步加强。", True),
        (stock_instead, ADDED, "新建铁路投产里程8427公里，高速铁路运营里程达1.6万公里。", False),
        (stock_instead, ADDED, "新增高速公路通车里程6000多公里。", False),
        # asked the stock itself, a stock answers
        (stock_instead, "2014年底高速公路通车里程有多少公里？", "高速公路通车里程达11.2万公里。", False),
        # "增产了多少" asks a flow: "增产500万吨" gives one, "连续三年增产" does not
        (stock_instead, MORE, "全年粮食产量达到49746万吨，实现了连续三年增产。", True),
        (stock_instead, MORE, "粮食增产500万吨，达到49746万吨。", False),
        # Asked what a measure stood at, an addition does not answer …
        (added_instead, WHOLE, "新增铁路营运里程6100公里；", True),
        (added_instead, YEAR_END, "新增高速铁路运营里程4100公里，新建改建高速公路6000多公里。", True),
        # … a quote giving the stock, or the stock beside the addition, may
        (added_instead, WHOLE, "全国铁路营运里程达到7.8万公里。", False),
        (added_instead, YEAR_END, "新增高速铁路运营里程4100公里，高速铁路运营总里程2.9万公里。", False),
        # asked what was added by a year's end, an addition answers; asked no stock, nothing to tell apart
        (added_instead, "到2018年底累计新增高铁里程多少公里？", "新增高速铁路运营里程4100公里。", False),
        (added_instead, "2018年高铁运营里程多少公里？", "新增高速铁路运营里程4100公里。", False),
        # a level reached ("扩大到年末的1120多万人") is the stock, though an addition is written beside it
        (
            added_instead,
            "2001年底城市低保覆盖了多少人？",
            "覆盖人数由年初的400多万人扩大到年末的1120多万人。",
            False,
        ),
        # Asked what is left, a reduction does not answer; what was left, written as such, does.
        (added_instead, LEFT, "中央财政安排扶贫资金122亿元，农村贫困人口比上年减少290万。", True),
        (added_instead, LEFT, "农村贫困人口减少290万，年末农村贫困人口2610万。", False),
        (
            added_instead,
            "2020年初全国还剩多少农村贫困人口？",
            "年初剩余的551万农村贫困人口全部脱贫、52个贫困县全部摘帽。",
            False,
        ),
    ],
)
def test_a_stock_and_a_flow_do_not_answer_for_each_other(check, question, quote, refused):
    assert check(QueryAnalysis.of(question), [quote]) is refused
