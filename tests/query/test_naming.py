"""How questions name documents: shortened titles count, the tail of another title does not."""

import pytest

from policyqa.query.naming import described_kind, named_titles, names_by_year, names_document
from policyqa.query.places import PLACES

from ..conftest import build_fake_engine


@pytest.mark.parametrize(
    "question, core, kind, span",
    [
        ("2023年政府工作报告提出的目标", "政府工作报告", "报告", "政府工作报告"),
        ("依照全国人大的成果转化法，收入归谁？", "促进科技成果转化法", "法", "成果转化法"),
        ("上海科技进步条例规定的经费比例", "上海市科学技术进步条例", "条例", "上海科技进步条例"),
        ("科普法规定的科普日是哪天？", "科学技术普及法", "法", "科普法"),
        # "发展报告" is the tail of the title asked, 数字中国发展报告, not a name of 新疆科技发展报告
        ("数字中国发展报告（2022年）显示的5G基站数", "新疆科技发展报告", "报告", None),
    ],
)
def test_a_question_names_a_document_by_a_shortened_title(question, core, kind, span):
    assert names_document(question, core, kind) == span


@pytest.mark.parametrize(
    "question, span",
    [
        ("2013年报告中过去五年经济年均增长多少？", "报告"),
        ("2023年的工作报告提出的赤字率是多少？", "工作报告"),
        ("2019年度报告提出的目标", "报告"),
        ("2016年那份报告里提的赤字率", "报告"),  # a demonstrative between year and kind
        ("2013年的这个报告", "报告"),
        ("2016年国务院那份报告里提的赤字率", "报告"),  # the body that made it, before the demonstrative
        ("2016年国务院的报告", None),  # a body and no demonstrative: its report, not a named one
        ("2023年科技发展报告显示的数字", None),  # more than the title's last words: not this title
        ("政府工作报告提出的赤字率", None),  # no year: every report, nothing picked
    ],
)
def test_a_yearly_report_is_named_by_its_year_and_kind(question, span):
    assert names_by_year(question, "政府工作报告", "报告") == span
    assert names_by_year(question, "科学技术进步条例", "条例") is None  # another kind


def test_policy_titles_named_in_a_question():
    q = "深圳经济特区科技创新条例对企业研发投入有哪些规定？"
    assert named_titles(q, PLACES) == ["深圳经济特区科技创新条例"]
    assert named_titles("《新一代人工智能发展规划》提出的目标", PLACES) == ["新一代人工智能发展规划"]
    # Loose names and a book are no full title of a policy document.
    assert named_titles("《历史也疯狂》一共有几辑？", PLACES) == []
    assert named_titles("军队和地方协同的那份纲要，落实材料交给了谁？", PLACES) == []
    assert named_titles("按山东“十三五”科技规划，研发投入要占多少？", PLACES) == []
    # A demonstrative points at a regulation; it does not name one the collection might lack.
    assert named_titles("河南那个条例里说的“示范区”指的是什么？", PLACES) == []
    assert named_titles("河南这部条例怎么定义示范区？", PLACES) == []
    assert named_titles("北京市对企业的条例有哪些规定？", PLACES) == []


def test_a_question_naming_a_document_the_collection_lacks_is_refused(fake_engine, tmp_path):
    # The demo report is titled by its sidecar: a regulation named that no document is gets a refusal
    # saying so, even where a quote mentions the place (深圳).
    answer = fake_engine.ask("深圳经济特区科技创新条例对企业研发投入有哪些规定？")
    assert answer.abstained and "资料中没有《深圳经济特区科技创新条例》" in answer.reasons
    # A document without a title of its own may be the one named: no such refusal from its quotes.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(
        "为加快人工智能发展，制定本规划。\n到2020年，人工智能核心产业规模超过1500亿元。\n", encoding="utf-8"
    )
    engine = build_fake_engine(corpus, tmp_path, abstain_threshold=0.05)
    answer = engine.ask("《新一代人工智能发展规划》提出到2020年人工智能核心产业规模要超过多少？")
    assert not any(r.startswith("资料中没有《") for r in answer.reasons)
    assert "1500亿元" in answer.answer


def test_years_listed_before_a_kind_each_name_their_document():
    from policyqa.query.naming import year_attached

    assert year_attached("2001年和2002年的报告，长期建设国债各安排了多少？", 2001, "报告")
    assert year_attached("2001年和2002年的报告，长期建设国债各安排了多少？", 2002, "报告")
    assert not year_attached("2001年的GDP和2002年的报告", 2001, "报告")


def test_a_document_described_by_what_it_does_and_its_kind():
    assert described_kind("六部门关于加快场景创新的指导意见提出到2025年打造多少个场景？") == (
        "六部门关于加快场景创新的指导意见",
        "意见",
    )
    # Not a question word, a demonstrative, a notice (it transmits another kind) or 规定 as a verb.
    assert described_kind("科技进步法哪一条规定了什么？") is None
    assert described_kind("2016年那份报告里城镇新增就业多少？") is None
    assert described_kind("科技部那份通知里说了什么？") is None
    # A clause is no description: in "决议同意了报告提出的…" the document is the resolution.
    assert described_kind("2016年人大那份决议同意了报告提出的哪个时期的目标？") is None
    assert described_kind("专利法规定的期限是多少？") is None
    assert described_kind("2010年人大关于政府工作报告的决议，同意的是报告里的哪些内容？") is None


def test_a_document_pointed_at_by_a_description():
    from policyqa.query.naming import pointed_at

    assert pointed_at("科技部那个人工智能示范应用场景的通知里，智能诊疗场景面向哪一级医院？") == (
        "科技部那个人工智能示范应用场景的通知里"
    )
    assert pointed_at("数字经济促进共同富裕那个实施方案，县级平台什么时候建好？") == (
        "数字经济促进共同富裕那个实施方案"
    )
    # No demonstrative, or none at the head of the question: nothing is pointed at.
    assert pointed_at("实施方案提出县级平台什么时候建好？") == ""
    assert pointed_at("县级平台什么时候建好，那个方案里说了吗？") == ""
