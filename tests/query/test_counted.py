"""What a count counts (counted.py)."""

import pytest

from policyqa.query.analysis import QueryAnalysis
from policyqa.query.counted import other_counted


@pytest.mark.parametrize(
    "question, quote, other",
    [
        # another thing counted after the same classifier
        ("兵团有多少家高新技术企业？", "以及26家改革试点单位。", ("高新技术企业", "改革试点单位")),
        (
            "行动计划要建多少个示范县？",
            "再培育100个以上示范企业，150个以上示范街道（乡镇）",
            ("示范县", "示范企业"),
        ),
        # the thing asked, in one of its forms or by its head
        ("全省有多少家高企？", "培育2000家高新技术企业。", None),
        ("有多少家科技型中小企业入库？", "培育100家科技型中小企业。", None),
        ("要扶起来几家龙头公司？", "培育20家人工智能领军企业。", None),  # a head said another way
        # … qualified at length, or counted with another classifier
        (
            "到2025年要形成多少家创新型领军企业？",
            "形成200家以上拥有自主知识产权、自主品牌和持续创新能力的创新型领军企业。",
            None,
        ),
        ("要建成多少家示范工厂？", "建成500个以上智能制造示范工厂，培育150家解决方案供应商。", None),
        # a count naming nothing after it may count the thing asked; so may no count at all
        ("全省有多少家高新技术企业？", "入库企业达到4.2万家，培育26家改革试点单位。", None),
        ("建了多少个国家级星创天地？", "国家级星创天地34个。", None),
        ("授权公告后几个月内提出？", "自收到通知之日起2个月内办理登记手续。", None),  # a length of time
        ("兵团有多少家高新技术企业？", "高新技术企业数量稳步增长。", None),
    ],
)
def test_a_count_of_another_thing_does_not_answer(question, quote, other):
    assert other_counted(QueryAnalysis.of(question), [quote]) == other


def test_a_thing_asked_by_name_that_no_quote_writes_is_not_answered():
    from policyqa.query.counted import unwritten

    deficit = QueryAnalysis.of("2004年的报告里中央财政赤字安排的是多少亿元？")
    grants = ["今年，中央财政安排用于“两个确保”和城市“低保”的补助资金779亿元，比去年增长11.3%。"]
    # the report names 财政赤字 elsewhere, so a quote giving a figure without it is another thing's
    assert unwritten(deficit, grants, lambda word: True)
    # a thing the documents never name may be said another way: left to the other checks
    assert not unwritten(deficit, grants, lambda word: False)
    assert not unwritten(
        deficit, ["今年拟安排财政赤字3198亿元，其中中央财政赤字3098亿元。"], lambda word: True
    )
    # a short or verb-like thing ("压下来") tells nothing
    cut = QueryAnalysis.of("2013年中央国家机关的“三公”经费压下来多少？")
    assert not unwritten(cut, ["中央国家机关“三公”经费减少35%。"], lambda word: True)
