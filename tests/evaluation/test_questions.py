"""Eval set questions: a gold figure is found as a whole figure, never inside a longer number."""

import pytest

from policyqa.evaluation.questions import Question


@pytest.mark.parametrize(
    "gold, text, found",
    [
        ("5%左右", "国内生产总值增长5%左右。", True),
        ("5%左右", "国内生产总值增长6.5%左右。", False),  # another year's target
        ("5%左右", "国内生产总值增长15%左右。", False),
        ("5%左右", "增长5%左右，比上年高0.5%左右。", True),
        ("2018", "编号20180", False),
        ("2018", "2018年", True),
        ("1.5", "增长1.55倍", False),
        ("5%左右", "增长6．5%左右", False),  # a full-width decimal point
        ("5%", "①5%的企业", True),  # an item mark is no digit of the figure
        ("2018", "2018.12.31印发", True),  # a dotted date goes on after the year
        ("1.5", "增长1.5倍", True),
        ("1312万人", "城镇新增就业1312万人", True),
        ("科技部", "由科技部牵头", True),  # no figure: any occurrence
        ("５%左右", "增长5%左右", True),  # full-width digits compared as search keys
    ],
)
def test_a_gold_figure_is_found_whole(gold, text, found):
    assert Question("q", "多少？", [gold], True).contains_gold(text) is found


def test_an_answer_is_complete_with_a_gold_and_every_string_it_must_include():
    q = Question("q", "目标？", ["5%左右"], True, must_include=["3%"])
    assert q.complete("增长5%左右，赤字率3%。")
    assert not q.complete("增长5%左右，赤字率2.3%。")  # 3% only inside 2.3%
    assert not q.complete("增长6.5%左右，赤字率3%。")
