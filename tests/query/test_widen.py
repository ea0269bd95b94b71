"""Quotes widened after the answer check: a clause to its sentence's end, an enumeration with its items,
an item after the lead that names its body, a list read on past its passage."""

from dataclasses import replace

from policyqa.query.picked import Picked
from policyqa.query.sentences import enumeration_end
from policyqa.query.widen import whole_sentences

from ..conftest import fake_engine_over, picked

PENALTY = (
    "第三十一条 违反本法规定，克扣、截留、挪用科普财政经费的，由有关主管部门责令限期归还；"
    "对负有责任的主管人员和其他直接责任人员依法给予行政处分。第三十二条 其他规定。"
)


def test_a_clause_is_quoted_to_the_end_of_its_sentence_unless_a_figure_is_asked(fake_engine):
    composer = fake_engine.answerer.composer
    first = PENALTY.index("；") + 1
    second = PENALTY.index("。") + 1
    clauses = picked(fake_engine, PENALTY, [(0, first), (first, second)])
    liability = fake_engine.analyze("挪用科普经费的要承担什么法律责任？")
    widened = whole_sentences(liability, clauses, composer.scopes)
    # The whole penalty, once: the second clause is inside the widened first.
    assert [c.text for c in widened] == [PENALTY[:second]]
    # A figure asked is answered by its clause alone ("国内生产总值增长5%左右；").
    target = "今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人左右。"
    gdp = picked(fake_engine, target, [(0, target.index("；") + 1)])
    assert whole_sentences(fake_engine.analyze("经济增长目标是多少？"), gdp, composer.scopes) == gdp


LAW = (
    "第二条 国家设立下列国家科学技术奖：\n（一）国家最高科学技术奖；\n（二）国家自然科学奖；\n"
    "（三）国家技术发明奖。\n第三条 国家科学技术奖应当与国家重大战略需要紧密结合。"
)


def test_an_enumeration_is_quoted_with_its_items_when_the_question_asks_which(fake_engine):
    composer = fake_engine.answerer.composer
    opening = LAW.index("：") + 1
    item = LAW.index("；", opening) + 1
    chosen = picked(fake_engine, LAW, [(0, opening), (opening + 1, item)])
    which = fake_engine.analyze("国家科学技术奖有哪几种？")
    # The opening sentence with every item, once (the item chosen alone is inside it), not 第三条.
    assert [c.text for c in whole_sentences(which, chosen, composer.scopes)] == [LAW[: LAW.index("。") + 1]]
    # A question that asks no list keeps the sentence as it is.
    assert whole_sentences(fake_engine.analyze("国家科学技术奖由谁设立？"), chosen, composer.scopes) == chosen
    assert enumeration_end(LAW, opening + 1, item) is None  # an item opens no enumeration
    # A plan's box: a short heading line, then numbered items (blank lines between them are kept).
    box = "专栏2：前瞻性技术\n\n\u3000\u30001.智能制造技术。\n\n\u3000\u30002.机器人技术。\n\n（二）发展现代农业技术。"
    heading = box.index("\n")
    assert box[: enumeration_end(box, 0, heading)].endswith("2.机器人技术。")
    assert enumeration_end(box, 0, box.index("。") + 1) is None  # an item is not a heading


def test_asked_which_body_an_item_reads_with_and_is_quoted_after_its_lead(fake_engine):
    from policyqa.text.segment import clause_lead

    duties = "第十八条 市科学技术行政部门履行下列职责：\n（一）制定发展规划；\n（二）负责管理技术合同的认定登记工作；\n"
    lead, at = "第十八条 市科学技术行政部门履行下列职责：", duties.index("（二）")
    # The lead names who does a numbered item: read in only for a question that asks who.
    assert clause_lead(duties, at) == "" and clause_lead(duties, at, numbered=True) == lead
    item = picked(fake_engine, duties, [(at, len(duties) - 1)])[0]
    item = replace(item, reads=lead + item.text)
    composer = fake_engine.answerer.composer
    body = fake_engine.analyze("技术合同的认定登记由哪个部门负责？")
    assert body.body
    assert [c.text for c in whole_sentences(body, [item], composer.scopes)] == [lead, item.text]
    plain = fake_engine.analyze("技术合同的认定登记工作包括什么？")
    assert [c.text for c in whole_sentences(plain, [item], composer.scopes)] == [item.text]


def test_a_list_running_past_its_passage_is_quoted_to_its_last_item(tmp_path):
    items = "\n".join(
        f"{i}.{name}技术。"
        for i, name in enumerate(
            "智能制造 机器人 纳米 量子调控 太赫兹 超材料 深海 基因组编辑 系统设计育种 合成生物 生物4D打印 储能".split(),
            1,
        )
    )
    lead = "面向长远发展，在我省具有基础和优势的重点领域超前部署，实施战略前瞻性研究项目。" * 6
    plan = f"山东省科技创新规划\n\n{lead}\n专栏2：前瞻性技术\n{items}\n（二）发展现代农业技术。\n"
    engine = fake_engine_over({"plan": plan}, tmp_path, abstain_threshold=0.0)
    which = engine.analyze("前瞻性技术专栏列出了哪些技术方向？")
    hits = engine.retrieve(which, 10)
    cut = next(h for h in hits if "专栏2" in h.chunk.text and "储能" not in h.chunk.text)  # the list is split
    start = cut.chunk.text.index("专栏2")
    end = cut.chunk.text.index("\n", start)
    composer = engine.answerer.composer
    [quoted] = whole_sentences(which, [Picked(cut, start, end, 1.0, frozenset())], composer.scopes)
    assert quoted.text.startswith("专栏2：前瞻性技术") and quoted.text.endswith("12.储能技术。")
    # Quoted at the document's own offsets, the passage widened to the list's end.
    _, citations = engine.answerer.write([quoted])
    assert citations[0].quote == quoted.text
    document = composer.scopes.text(quoted.doc_id)
    assert document[citations[0].quote_start : citations[0].quote_end] == quoted.text
