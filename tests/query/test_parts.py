"""Several questions in one message (query/parts.py): split where each part asks, answered in turn,
joined with one run of citation numbers."""

import pytest

from policyqa.query.answer import Answer, Citation
from policyqa.query.parts import joined, question_parts


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
