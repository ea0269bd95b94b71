"""Choosing and widening the sentences an answer quotes."""

from dataclasses import replace

from policyqa.query.compose import Picked
from policyqa.query.retrieve import Hit

PENALTY = (
    "第三十一条 违反本法规定，克扣、截留、挪用科普财政经费的，由有关主管部门责令限期归还；"
    "对负有责任的主管人员和其他直接责任人员依法给予行政处分。第三十二条 其他规定。"
)


def picked(engine, text: str, spans: list[tuple[int, int]]) -> list[Picked]:
    hit = engine.retrieve(engine.analyze("科普经费"), 1)[0]
    hit = Hit(replace(hit.chunk, text=text), hit.score, 1, hit.sources, hit.row)
    return [Picked(hit, s, e, 1.0, frozenset()) for s, e in spans]


def test_a_clause_is_quoted_to_the_end_of_its_sentence_unless_a_figure_is_asked(fake_engine):
    composer = fake_engine.answerer.composer
    first = PENALTY.index("；") + 1
    second = PENALTY.index("。") + 1
    clauses = picked(fake_engine, PENALTY, [(0, first), (first, second)])
    liability = fake_engine.analyze("挪用科普经费的要承担什么法律责任？")
    widened = composer.whole_sentences(liability, clauses)
    # The whole penalty, once: the second clause is inside the widened first.
    assert [c.text for c in widened] == [PENALTY[:second]]
    # A figure asked is answered by its clause alone ("国内生产总值增长5%左右；").
    target = "今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人左右。"
    gdp = picked(fake_engine, target, [(0, target.index("；") + 1)])
    assert composer.whole_sentences(fake_engine.analyze("经济增长目标是多少？"), gdp) == gdp
