"""Judging one answer (judge.py): right, mixed with another document's figure, refused, and why."""

from policyqa.evaluation.judge import cause, figure_kinds, judge_answer
from policyqa.evaluation.questions import Question
from policyqa.query.answer import Answer, Citation

TEXTS = {
    "gwr-2023": "今年发展主要预期目标是：国内生产总值增长5%左右。",
    "gwr-2017": "国内生产总值增长6.5%左右。",
}


class Documents:
    """What judge_answer reads of an engine: the cited documents' texts."""

    def document(self, doc_id):
        return {"text": TEXTS[doc_id]}


def cite(n, doc_id, quote):
    text = TEXTS[doc_id]
    at = text.index(quote)
    return Citation(n, doc_id, doc_id, [], text, 0, len(text), 1.0, quote, at, at + len(quote))


def answer(text, citations, abstained=False, confidence=0.9):
    return Answer(
        text, abstained, citations, [], "q", confidence, [] if not abstained else ["引文与问题不符"], {}
    )


Q = Question("g1", "2023年经济增长预期目标是多少？", ["5%左右"], True, gold_docs=["gwr-2023"])


def test_figure_kinds():
    assert figure_kinds("增长5%左右") == {"percent"}
    assert figure_kinds("1746亿元") == {"money"}
    assert figure_kinds("2018年11月23日") == {"date"}
    assert figure_kinds("126个重大项目") == {"count"}
    assert figure_kinds("第3") == {"number"} and figure_kinds("左右") == set()


def test_the_right_years_figure_is_correct_and_another_years_mixed_in_is_not():
    right = cite(1, "gwr-2023", "国内生产总值增长5%左右。")
    row = judge_answer(Documents(), Q, answer("国内生产总值增长5%左右。[1]", [right]), {})
    assert (
        row["correct"] and not row["mixed"] and row["citations_valid"] and row["cited_docs"] == ["gwr-2023"]
    )
    assert cause(Q, row, {"rank": 1}) is None
    other = cite(2, "gwr-2017", "国内生产总值增长6.5%左右。")
    text = "国内生产总值增长5%左右。[1]国内生产总值增长6.5%左右。[2]"
    row = judge_answer(Documents(), Q, answer(text, [right, other]), {})
    assert row["mixed"] and not row["correct"] and row["foreign_docs"] == ["gwr-2017"]
    assert cause(Q, row, {"rank": 1}).startswith("mixed")


def test_a_wrong_document_a_refusal_and_a_broken_citation_are_told_apart():
    other = cite(1, "gwr-2017", "国内生产总值增长6.5%左右。")
    row = judge_answer(Documents(), Q, answer("国内生产总值增长6.5%左右。[1]", [other]), {})
    # 6.5%左右 does not hold the gold 5%左右: not "mixed", another document's answer.
    assert not row["correct"] and not row["mixed"]
    assert cause(Q, row, {"rank": 3}).startswith("answered from the wrong document")
    refused = judge_answer(Documents(), Q, answer("资料中未找到", [], abstained=True, confidence=0.1), {})
    assert refused["citations_valid"] is None and cause(Q, refused, None).startswith(
        "refused (引文与问题不符)"
    )
    broken = cite(1, "gwr-2023", "国内生产总值增长5%左右。")
    broken.quote_start += 1
    assert judge_answer(Documents(), Q, answer("…[1]", [broken]), {})["citations_valid"] is False
    unanswerable = Question("g2", "2020年经济增长目标是多少？", [], False)
    row = judge_answer(Documents(), unanswerable, answer("国内生产总值增长6.5%左右。[1]", [other]), {})
    assert cause(unanswerable, row, None).startswith("answered an unanswerable question (confidence 0.90)")
