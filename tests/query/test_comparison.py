"""A comparison's sides and the best sentence of each."""

from dataclasses import replace

from policyqa.query.comparison import per_year, sides

from ..conftest import picked


def test_each_year_compared_gets_its_best_sentence_that_names_what_is_compared(fake_engine):
    scopes = fake_engine.answerer.composer.scopes
    question = fake_engine.analyze("2016年和2017年的技术合同成交额分别是多少？")
    assert question.mode == "compare" and question.years == [2016, 2017]
    text = "2017年技术合同成交额20亿元。2017年新增企业300家。2016年技术合同成交额15亿元。"
    ends = [text.index("。") + 1, text.index("家。") + 2, len(text)]
    late, other, early = picked(fake_engine, text, [(0, ends[0]), (ends[0], ends[1]), (ends[1], ends[2])])
    scored = [
        replace(other, score=0.9, years=frozenset({2017})),  # the best score, but names no 成交额
        replace(late, score=0.6, years=frozenset({2017})),
        replace(early, score=0.4, years=frozenset({2016})),
    ]
    assert len(sides(question, scopes)) == 2
    chosen = per_year(question, scored, scopes)
    assert [c.text for c in chosen] == [early.text, late.text]
    # A year with no sentence of its own has none chosen; nothing on any side keeps the best sentence.
    assert per_year(question, scored[:2], scopes) == [scored[1]]
    assert per_year(fake_engine.analyze("2001年和2002年的成交额相比如何？"), scored, scopes) == scored[:1]
