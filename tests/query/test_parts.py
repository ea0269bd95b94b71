"""Several questions in one message (query/parts.py): split where each part asks, answered in turn,
joined with one run of citation numbers."""

import pytest

from policyqa.query.answer import Answer, Citation
from policyqa.query.parts import coordinated, joined, names_every, question_parts, quoted_already

from ..conftest import fake_engine_over


@pytest.mark.parametrize(
    "text, parts",
    [
        (
            "科普法是什么时候修订的？修订是在哪次会议上？",
            ["科普法是什么时候修订的？", "修订是在哪次会议上？"],
        ),
        ("2023年经济增长目标是多少？赤字率呢？", ["2023年经济增长目标是多少？", "赤字率呢？"]),
        # one question, with a statement before it or a remark after it
        (
            "我们刚拿到一项实用新型专利授权。这种专利能保护多少年？",
            ["我们刚拿到一项实用新型专利授权。这种专利能保护多少年？"],
        ),
        ("专利保护多少年？谢谢", ["专利保护多少年？谢谢"]),
        # the number of the document asked for just before is asked with it
        ("区里有没有专门的行动计划？文号多少？", ["区里有没有专门的行动计划？文号多少？"]),
        ("依据的是哪份文件？《意见》的文号是多少？", ["依据的是哪份文件？", "《意见》的文号是多少？"]),
        # … and so is the figure asked again more pointedly
        ("2003年粮食产了多少？具体数字是多少？", ["2003年粮食产了多少？具体数字是多少？"]),
        ("赤字率是多少？专项债的规模是多少？", ["赤字率是多少？", "专项债的规模是多少？"]),
        ("试验区规划了多少个重大项目？", ["试验区规划了多少个重大项目？"]),
        (
            "试验区规划了多少个重大项目？试验区规划了多少个重大项目？",
            ["试验区规划了多少个重大项目？试验区规划了多少个重大项目？"],
        ),
        # a part that asks nothing ("好？") does not make two questions
        ("好？试验区规划了多少个重大项目？", ["好？试验区规划了多少个重大项目？"]),
    ],
)
def test_a_message_is_split_where_each_part_asks(text, parts):
    assert question_parts(text) == parts


def test_a_long_list_of_questions_stays_one_text():
    text = "".join(f"第{i}个项目是什么？" for i in range(1, 7))
    assert question_parts(text) == [text]


def cite(n, doc, start, end):
    return Citation(n, doc, "t", [], "passage", start, end, 1.0, "q", start, end)


def test_answers_are_joined_under_their_questions_with_one_run_of_numbers():
    first = Answer("甲[1]乙[2]", False, [cite(1, "a", 0, 5), cite(2, "a", 5, 9)], confidence=0.9)
    # the second part quotes the first part's second sentence again, and a new one; "[2018]" is no marker
    second = Answer("乙[1]〔丙[2018]〕[2]", False, [cite(1, "a", 5, 9), cite(2, "b", 0, 4)], confidence=0.6)
    out = joined("问一？问二？", ["问一？", "问二？"], [first, second], 12.0)
    assert out.answer == "（1）问一？\n甲[1]乙[2]\n\n（2）问二？\n乙[2]〔丙[2018]〕[3]"
    assert [(c.n, c.doc_id) for c in out.citations] == [(1, "a"), (2, "a"), (3, "b")]
    assert not out.abstained and out.confidence == 0.6  # as sure as its least sure part


def test_the_note_on_the_latest_version_is_said_once():
    from policyqa.query.answer import LATEST_NOTE

    first = Answer(f"甲[1]\n{LATEST_NOTE}", False, [cite(1, "a", 0, 5)], confidence=0.9)
    second = Answer(f"乙[1]\n{LATEST_NOTE}", False, [cite(1, "a", 5, 9)], confidence=0.9)
    out = joined("一？二？", ["一？", "二？"], [first, second], 1.0)
    assert out.answer.count(LATEST_NOTE) == 1 and out.answer.endswith("乙[2]")


def test_the_message_is_refused_only_when_every_part_is():
    refused = Answer(
        "资料中未找到该问题的答案。", True, [], [cite(1, "a", 0, 5)], confidence=0.1, reasons=["x"]
    )
    answered = Answer("甲[1]", False, [cite(1, "b", 0, 3)], confidence=0.8)
    out = joined("一？二？", ["一？", "二？"], [refused, answered], 1.0)
    assert not out.abstained and out.confidence == 0.8 and out.reasons == ["（1）x"]
    both = joined("一？二？", ["一？", "二？"], [refused, refused], 1.0)
    assert both.abstained and both.confidence == 0.1 and len(both.related) == 1  # offered once


def test_each_question_of_a_message_is_answered(fake_engine):
    both = fake_engine.ask("试验区规划了多少个重大项目？计划投资总额是多少？")
    assert not both.abstained and both.answer.startswith("（1）试验区规划了多少个重大项目？\n")
    assert "\n\n（2）计划投资总额是多少？\n" in both.answer
    assert "126" in both.answer and "1746亿元" in both.answer
    numbers = [c.n for c in both.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    for c in both.citations:
        assert f"[{c.n}]" in both.answer


def test_a_later_question_of_the_message_is_read_after_the_earlier_one(fake_engine):
    # "计划投资总额是多少？" alone might be about any plan; after the first question it is the zone's.
    analysis = fake_engine.analyze("计划投资总额是多少？", ["试验区规划了多少个重大项目？"], continued=True)
    assert analysis.followup and "试验区" in analysis.text


def test_the_parts_never_make_the_history_too_long(fake_engine):
    """The parts are turns of the history for the parts after them; a valid message must not be refused
    for a history the client did not send, whatever the limits."""
    tight = fake_engine.settings.model_copy(update={"max_history_turns": 1, "max_history_chars": 5})
    from policyqa.query.engine import Engine

    engine = Engine(tight, fake_engine.embedder, fake_engine.index)
    answer = engine.ask("试验区规划了多少个重大项目？计划投资总额是多少？试验区有多少家改革试点单位？")
    assert answer.answer.count("（") >= 3 and "（3）" in answer.answer


@pytest.mark.parametrize(
    "question, measures",
    [
        (
            "2023年的经济增长目标和赤字率分别是多少？",
            ["2023年的经济增长目标是多少？", "2023年的赤字率是多少？"],
        ),
        (  # what follows the last measure belongs to each, and so does the scope before the first
            "到2025年，智能制造装备和工业软件的市场满足率分别要超过多少？",
            ["到2025年，智能制造装备的市场满足率要超过多少？", "到2025年，工业软件的市场满足率要超过多少？"],
        ),
        (
            "高新技术企业的数量、科技型中小企业的数量和独角兽企业的数量各是多少？",
            ["高新技术企业的数量是多少？", "科技型中小企业的数量是多少？", "独角兽企业的数量是多少？"],
        ),
        # not said to be asked each on its own: one measure ("企业和老百姓" pay one sum)
        ("2018年打算让企业和老百姓少缴多少税？", []),
        # years side by side are compared, not split
        ("2023年和2024年地方政府专项债券规模分别是多少？", []),
        # a clause joined to a measure, and a shared part that is not clear
        ("杭州市、区县两级财政科技经费占本级经常性支出的比例分别不能低于多少？", []),
        ("国家的促进科技成果转化法和浙江省的条例，对奖励比例下限分别是多少？", []),
        ("各省的研发投入是多少？", []),  # 各 of "各省" says nothing of asking each
        ("《科技进步法》和《专利法》分别是哪年通过的？", []),  # documents named: compared by name
        ("经济增长目标和赤字率分别", []),  # asks nothing
    ],
)
def test_measures_asked_each_on_their_own_are_split(question, measures):
    assert list(coordinated(question).values()) == measures


def test_the_whole_answer_is_kept_when_it_names_every_measure():
    whole = Answer("【智能制造规划】智能制造装备和工业软件的市场满足率分别超过70%和50%。[1]", False, [])
    assert names_every(whole, ["智能制造装备", "工业软件"])
    assert not names_every(whole, ["智能制造装备", "机器人密度"])
    # the document's label is no mention, nor is a refusal
    assert not names_every(Answer("【赤字率报告】国内生产总值增长5%左右。[1]", False, []), ["赤字率"])
    assert not names_every(Answer("资料中未找到赤字率。", True, []), ["赤字率"])
    assert coordinated("智能制造装备和工业软件的市场满足率分别要超过多少？")["工业软件"].startswith(
        "工业软件的"
    )


def test_the_whole_answer_is_kept_when_it_quotes_what_the_parts_quote():
    whole = Answer("【报告】甲。[1]乙。[2]", False, [cite(1, "a", 0, 2), cite(2, "a", 2, 4)])
    # one citation per passage: the second sentence of passage [1] is no new citation, but a new quote
    same = Answer("【报告】乙。[1]", False, [cite(1, "a", 2, 4)])
    more = Answer("【报告】甲。[1]丙。[1]", False, [cite(1, "a", 0, 2)])
    refused = Answer("资料中未找到该问题的答案。", True, [], [cite(1, "a", 4, 6)])
    assert quoted_already(whole, [same, refused])
    assert not quoted_already(whole, [same, more])
    assert not quoted_already(Answer("资料中未找到该问题的答案。", True, []), [same, refused])
    # a law's article number is written before the article's first quote only
    law = Answer("【法】第五条 甲。[1]乙。[1]", False, [cite(1, "a", 0, 4)])
    assert quoted_already(law, [Answer("【法】第五条 乙。[1]", False, [cite(1, "a", 2, 4)])])


REPORT = """2023年政府工作报告

一、过去一年工作回顾

过去一年，经济总体回升，就业形势稳定。

二、2023年经济社会发展总体要求和政策取向

今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人左右。

三、推动制造业高端化

到2025年，智能制造装备和工业软件的市场满足率分别超过70%和50%。

四、积极的财政政策要加力提效

赤字率拟按3%安排，赤字规模3.88万亿元。

"""


def test_two_measures_asked_at_once_are_both_answered(tmp_path):
    """Answered as one question, "…的城镇新增就业和赤字率分别是多少？" quoted the deficit alone; each
    measure asked on its own gets its figure."""
    engine = fake_engine_over({"gwr-2023": REPORT}, tmp_path)
    question = "2023年的城镇新增就业和赤字率分别是多少？"
    analysis = engine.analyze(question)
    whole = engine.answerer.answer(analysis, engine.evidence(analysis, 5))
    assert "1200万人" not in whole.answer  # what the split is for
    both = engine.ask(question)
    assert not both.abstained
    assert both.answer.startswith("（1）2023年的城镇新增就业是多少？\n")
    assert "\n\n（2）2023年的赤字率是多少？\n" in both.answer
    assert "1200万人左右" in both.answer and "赤字率拟按3%安排" in both.answer
    # one sentence that gives every measure asked is the whole answer, not split
    one = engine.ask("智能制造装备和工业软件的市场满足率分别要超过多少？")
    assert not one.abstained and "（1）" not in one.answer and "70%和50%" in one.answer


def test_a_quote_that_answers_two_parts_is_given_once():
    both = Answer("甲乙[1]", False, [cite(1, "a", 0, 5)], confidence=0.9)
    out = joined("甲和乙分别是多少？", ["甲是多少？", "乙是多少？"], [both, both], 1.0)
    assert out.answer == "（1）甲是多少？\n甲乙[1]\n\n（2）乙是多少？\n见（1）的回答。"
    assert [c.n for c in out.citations] == [1]


def test_a_later_part_is_read_in_the_tense_of_the_part_before():
    from policyqa.query.analysis import QueryAnalysis

    first = ["2018年全年农村贫困人口减了多少？"]
    assert QueryAnalysis.of("易地搬迁了多少人？", first, continued=True).tense == "outcome"
    # A turn of the conversation may ask anew; a part's own tense stands.
    assert QueryAnalysis.of("那易地搬迁了多少人？", first).tense is None
    assert QueryAnalysis.of("今年计划搬迁多少人？", first, continued=True).tense == "plan"
