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


def test_a_year_compared_is_answered_by_its_own_figure_before_a_review_of_several_years(fake_engine):
    from policyqa.query.comparison import side_best, sides_found

    scopes = fake_engine.answerer.composer.scopes
    question = fake_engine.analyze("2016年和2018年的技术合同成交额分别是多少？")
    text = "五年来技术合同成交额增长了一倍。2016年技术合同成交额15亿元。2018年技术合同成交额20亿元。"
    ends = [text.index("倍。") + 2, text.index("15亿元。") + 5, len(text)]
    review, early, late = picked(fake_engine, text, [(0, ends[0]), (ends[0], ends[1]), (ends[1], ends[2])])
    review = replace(review, score=0.9, years=frozenset(range(2013, 2018)))
    early = replace(early, score=0.5, years=frozenset({2016}))
    late = replace(late, score=0.4, years=frozenset({2018}))
    # the review covers 2016 and scores best, but gives five years' change, not 2016's figure
    assert [c.text for c in per_year(question, [review, early, late], scopes)] == [early.text, late.text]
    # the candidates as the composer holds them: (passage, start, end, years, place)
    found = [(c.hit, c.start, c.end, c.years, 1) for c in (review, early, late)]
    assert side_best(question, found, [0, 1, 2], scopes) == [0, 1, 2]
    # a side answered only by the review is read on past it, for the year's own sentence
    assert not sides_found(question, found[:1] + found[2:], scopes)
    assert sides_found(question, found, scopes)


def test_asked_no_tier_the_whole_is_compared_before_its_part(fake_engine):
    scopes = fake_engine.answerer.composer.scopes
    text = "今年拟安排财政赤字1.62万亿元。其中，中央财政赤字1.12万亿元。2016年财政赤字2.18万亿元。"
    ends = [text.index("元。") + 2, text.index("1.12万亿元。") + 8, len(text)]
    whole, part, other = picked(fake_engine, text, [(0, ends[0]), (ends[0], ends[1]), (ends[1], ends[2])])
    scored = [
        replace(part, score=0.9, years=frozenset({2015})),
        replace(whole, score=0.5, years=frozenset({2015})),
        replace(other, score=0.4, years=frozenset({2016})),
    ]
    plain = fake_engine.analyze("2015年和2016年的财政赤字分别是多少？")
    assert [c.text for c in per_year(plain, scored, scopes)][0] == whole.text
    central = fake_engine.analyze("2015年和2016年的中央财政赤字分别是多少？")
    assert [c.text for c in per_year(central, scored, scopes)][0] == part.text
    # asked a tier, its part is compared before the whole, though the part names other tiers beside it
    both = "其中，中央财政赤字1.12万亿元，地方财政赤字5000亿元。"
    (split,) = picked(fake_engine, both, [(0, len(both))])
    ranked = [
        replace(whole, score=0.9, years=frozenset({2015})),
        replace(split, score=0.5, years=frozenset({2015})),
    ]
    assert per_year(central, ranked + scored[2:], scopes)[0].text == both
