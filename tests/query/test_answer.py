"""Extractive answers: verbatim quotes at exact offsets, abstention, what a quote must say."""

import pytest

from policyqa.query.analysis import QueryAnalysis
from policyqa.text.segment import content_words, split_sentences

from ..conftest import fake_engine_over


def check_citations(engine, answer):
    for c in answer.citations + answer.related:
        text = engine.document(c.doc_id)["text"]
        assert text[c.start : c.end] == c.text
        if c.quote:
            assert text[c.quote_start : c.quote_end] == c.quote
            assert c.start <= c.quote_start < c.quote_end <= c.end


@pytest.mark.parametrize(
    "question, gold",
    [
        ("全疆入网登记的科技型企业有多少家？", "20450家"),
        ("财建﹝2018﹞408号文件下达后，乌鲁木齐高新区获得了多少国拨资金支持？", "5000万元"),
        ("试验区总体规划计划投资总额是多少？", "1746亿元"),
        ("国务院什么时候批复同意建设乌昌石国家自主创新示范区？", "2018年11月23日"),
    ],
)
def test_answers_quote_the_document_verbatim(fake_engine, question, gold):
    answer = fake_engine.ask(question)
    assert not answer.abstained, answer.reasons
    assert gold in answer.answer
    assert "[1]" in answer.answer and answer.citations[0].n == 1
    check_citations(fake_engine, answer)
    for quote in (c.quote for c in answer.citations):
        assert quote in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "2018年西藏自治区有多少家星创天地？",
        "甘肃省的科技成果转化基金规模有多大？",
        "2020年全疆入网登记的科技型企业有多少家？",
        "自治区科技成果转化基金的年化收益率是多少？",
        "如何申请机动车驾驶证？",
    ],
)
def test_abstains_when_the_corpus_does_not_answer(fake_engine, question):
    answer = fake_engine.ask(question)
    assert answer.abstained
    assert answer.answer.startswith("资料中未找到")
    assert answer.citations == [] and answer.related
    check_citations(fake_engine, answer)


def test_a_plans_period_in_its_title_is_not_a_comparison_of_years():
    assert QueryAnalysis.of("数字经济发展规划（2021—2025年）提出的研发投入目标是多少？").mode == "fact"
    assert QueryAnalysis.of("2021年到2025年研发投入目标是怎么变化的？").mode == "compare"
    # A five-year plan spans years, and a horizon is a target date: neither is a comparison.
    assert QueryAnalysis.of("“十四五”期间研发投入年均增长目标是多少？").mode == "fact"
    assert QueryAnalysis.of("2021年的规划提出到2025年研发投入强度要达到多少？").mode == "fact"
    assert QueryAnalysis.of("2021年和2022年的研发投入目标各是多少？").mode == "compare"
    assert QueryAnalysis.of("技术合同成交额2015年是多少，2020年又是多少？").mode == "compare"
    assert QueryAnalysis.of("技术合同成交额2020年是多少？又有哪些举措？").mode != "compare"  # one year
    # one year names the report read, the other is asked about in it; two reports named are compared
    assert QueryAnalysis.of("2016年报告说，2015年城镇新增加了多少就业岗位？").mode == "fact"
    assert QueryAnalysis.of("2015年报告和2016年报告的就业目标相比增加了多少？").mode == "compare"
    # "哪几种" asks which ones, as "哪些" does; "哪几年" asks when
    assert QueryAnalysis.of("国家科学技术奖有哪几种？").mode == "list"
    assert QueryAnalysis.of("赤字率在哪几年超过了3%？").mode == "fact"
    # A task or a requirement named in a question that asks for one body is no broad question.
    assert QueryAnalysis.of("科技创新规划的重点任务有哪些？").mode == "list"
    assert QueryAnalysis.of("科技创新规划对研发投入有什么要求？").mode == "list"
    assert QueryAnalysis.of("“打造人才高地”这项任务由哪个部门牵头？").mode == "fact"
    assert QueryAnalysis.of("条例要求谁建设公共研究开发平台？").mode == "fact"
    assert QueryAnalysis.of("这项任务由哪些部门负责？").mode == "list"


def test_helpers():
    text = "第一句。第二句！第三句；没有结尾"
    assert [text[s:e] for s, e in split_sentences(text)] == ["第一句。", "第二句！", "第三句；", "没有结尾"]
    # A line without final punctuation (the date line under a resolution's title) can be quoted too.
    dated = "（2023年3月13日第十四届全国人民代表大会第一次会议通过）\n会议听取了报告。"
    assert [dated[s:e] for s, e in split_sentences(dated)] == [
        "（2023年3月13日第十四届全国人民代表大会第一次会议通过）",
        "会议听取了报告。",
    ]
    assert "孵化器" in content_words("离岸孵化器有几家？")


def test_an_abbreviated_statistic_is_covered_by_its_spelled_out_form():
    from policyqa.query.sentences import overlap
    from policyqa.text.normalize import search_key

    terms = {"gdp": 2.0, "增长": 1.0}
    assert overlap(terms, search_key("国内生产总值比上年增长9.1%")) == 1.0
    assert overlap(terms, search_key("占GDP比重的2.5%")) == 2.0 / 3.0
    assert overlap(terms, search_key("城镇居民人均可支配收入实际增长9%")) == 1.0 / 3.0


@pytest.mark.parametrize(
    "said, refused",
    [
        ("中科援疆基金4.6亿元，计划开展第二轮融资，总规模达到10亿元。", True),
        ("中科援疆基金4.6亿元，第二轮融资已由国家开发投资集团领投，总规模达到10亿元。", False),
    ],
)
def test_a_plan_naming_no_body_does_not_say_which_body(said, refused, tmp_path):
    """ "由哪家机构领投？" of a round of funding the text only plans is refused, saying why; once the
    text names the body that led it, it is answered."""
    text = f"科技金融\n\n{said}\n\n科技金融中心已进入启动建设阶段。\n"
    engine = fake_engine_over({"fund": text}, tmp_path)
    answer = engine.ask("中科援疆基金第二轮融资由哪家机构领投？")
    assert answer.abstained is refused
    assert ("引文只说了计划，没有说由哪个机构承担" in answer.reasons) is refused
