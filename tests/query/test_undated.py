"""Documents that do not say when they were issued, target lists split by a passage boundary, and dates
asked for: an undated notice's other passages, a bullet's year, a date's own year, a signature line."""

import pytest

from policyqa.query.years import bullet_lead, paragraph_year, stated_years

from ..conftest import fake_engine_over
from .test_scope import lenient_answerer

# Scraped notices often lose their title line and carry no date: only their opening says which year's.
GUIDE = """各有关单位：
现将“智能机器人”重点专项2019年度项目申报指南予以公布，请根据指南要求组织项目申报工作。

一、申报资格要求

1. 项目负责人须具有高级职称或博士学位，1959年1月1日以后出生，每年用于项目的工作时间不得少于6个月。

2. 受聘于内地单位的外籍科学家可作为项目负责人，全职受聘人员须由内地聘用单位提供聘用证明。

3. 申报单位应为内地注册的科研院所、高等学校和企业，注册时间为2018年5月31日前。
"""
# A dated report of another year that mentions 2019 nowhere.
REPORT = """2018年政府工作报告

今年发展主要预期目标是：国内生产总值增长6.5%左右。

项目负责人年龄不作限制，鼓励青年科学家牵头承担国家科技计划项目。
"""
# A plan's targets: each step's bullets continue the line that names the step's year.
PLAN = """人工智能的迅速发展将深刻改变人类社会生活、改变世界。

二、战略目标

第一步，到2020年人工智能总体技术和应用与世界先进水平同步。
——人工智能产业竞争力进入国际第一方阵，人工智能核心产业规模超过1500亿元。
——人工智能发展环境进一步优化，聚集起一批高水平的人才队伍。
第二步，到2025年人工智能基础理论实现重大突破。
——新一代人工智能在智能制造领域得到广泛应用，人工智能核心产业规模超过4000亿元。
"""
NOTICE = """各市人民政府，省政府各部门：
为推进“现代优势产业集群+人工智能”，推动全省新旧动能转换，提出如下意见。

一、总体要求

到2025年，全省人工智能产业发展水平进入全国先进行列。

山东省人民政府
2019年5月17日
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    texts = {"guide": GUIDE, "gwr-2018": REPORT, "plan": PLAN, "notice": NOTICE}
    return fake_engine_over(texts, tmp_path_factory.mktemp("undated"), abstain_threshold=0.05)


def test_a_bullet_continues_the_line_above_it():
    text = (
        "第一步，到2020年同步。\n——规模超过1500亿元。\n——环境优化。\n第二步，到2025年突破。\n——超过4000亿元。"
    )
    assert bullet_lead(text, text.index("环境")) == "第一步，到2020年同步。"  # over another bullet
    assert bullet_lead(text, text.index("4000")) == "第二步，到2025年突破。"
    assert bullet_lead(text, text.index("突破")) == ""  # not a bullet
    assert bullet_lead("——规模超过1500亿元。", 3) == ""  # its line is not in the text


def test_an_undated_documents_passages_are_in_scope_of_the_year_it_states(engine):
    assert engine.scope_index.doc("guide").year is None
    analysis = engine.analyze("“智能机器人”重点专项2019年度项目申报指南要求项目负责人在哪天以后出生？")
    rows = set(analysis.scope.rows.tolist())
    guide = [r for r, c in enumerate(engine.index.chunks) if c.doc_id == "guide"]
    assert guide and set(guide) <= rows  # the age limit states no year, yet it is the 2019 guide's
    # A dated document of another year stays out, and the undated guide's passages come after those
    # that state the year.
    assert not any(engine.index.chunks[r].doc_id == "gwr-2018" for r in rows)
    strength = analysis.scope.strength
    stating = [r for r in guide if "2019" in engine.index.chunks[r].text]
    assert stating and all(strength[r] > strength[g] for r in stating for g in guide if g not in stating)


def test_a_dates_own_year_is_not_the_year_the_sentence_speaks_of(engine):
    analysis = engine.analyze("“智能机器人”重点专项2019年度项目申报指南要求项目负责人在哪天以后出生？")
    scored = engine.answerer.composer.score(analysis, engine.evidence(analysis, 5))
    limit = next(p for p in scored if "1959年1月1日以后出生" in p.text)  # a candidate for the answer …
    assert 1959 not in limit.years
    # "什么时间" asks a date as "什么时候" does.
    registered = engine.analyze("申报2019年度智能机器人重点专项，单位的注册时间须在什么时间之前？")
    assert registered.figure.name == "date"
    scored = engine.answerer.composer.score(registered, engine.evidence(registered, 5))
    assert any("2018年5月31日前" in p.text for p in scored)
    # … nor for a question that asks no date: a birth date bounds who may apply, and the sentence
    # giving it ("须具有高级职称或博士学位，1959年1月1日以后出生") answers what the guide asks of them.
    other = engine.analyze("“智能机器人”重点专项2019年度项目申报指南对负责人的职称有什么要求？")
    scored = engine.answerer.composer.score(other, engine.evidence(other, 5))
    assert any("1959年" in p.text and 1959 not in p.years for p in scored)
    # A year the guide reports on is still one: "计划任务书执行期…到2019年12月31日之前" speaks of 2019.
    assert 2019 in stated_years("计划任务书执行期到2019年12月31日之前的在研项目不在限项范围内。", None)


def test_a_bullets_year_is_the_year_of_the_line_it_continues(engine):
    ask = lenient_answerer(engine)
    first = ask("规划提出到2020年人工智能核心产业规模要超过多少？")
    assert "1500亿元" in first.answer and "4000亿元" not in first.answer
    second = ask("规划提出到2025年人工智能核心产业规模要超过多少？")
    assert "4000亿元" in second.answer and "1500亿元" not in second.answer


def test_a_signature_line_says_which_document_it_dates(engine):
    question = "山东“现代优势产业集群+人工智能”的意见是哪天印发的？"
    analysis = engine.analyze(question)
    hits = engine.evidence(analysis, 5)
    composer = engine.answerer.composer
    signature = next(h for h in hits if "2019年5月17日" in h.chunk.text)
    read = composer.reads(analysis, signature, "2019年5月17日")
    assert "现代优势产业集群+人工智能" in read and "山东省人民政府" in read and "2019年5月17日" in read
    # Only a date question reads it so; elsewhere a sentence is its own words.
    other = engine.analyze("山东“现代优势产业集群+人工智能”的意见提出了什么目标？")
    assert composer.reads(other, signature, "2019年5月17日") == "2019年5月17日"
    answer = lenient_answerer(engine)(question)
    assert not answer.abstained and "2019年5月17日" in answer.answer


def test_a_sentence_without_a_year_goes_on_about_the_year_its_paragraph_opened():
    review = (
        "科技实力加强。2015年，研发经费占比达到2.27%。登记技术合同2.06万项，成交额339.74亿元。\n合同成交额。"
    )
    assert paragraph_year(review, review.index("登记"), 2016) == {2015}
    assert paragraph_year(review, review.index("科技"), 2016) == frozenset()  # before the opener
    assert paragraph_year(review, review.index("合同成交额。"), 2016) == frozenset()  # a new paragraph
    clauses = "2020年，入库企业达到1.82万家；高新技术企业突破1.46万家；年登记技术合同成交额突破1953.92亿元；"
    assert paragraph_year(clauses, clauses.index("年登记"), 2021) == {2020}
    later = "2015年，经费增长。去年，合同成交额增长。"  # the last opener counts, 去年 against the document
    assert paragraph_year(later, later.index("合同"), 2021) == {2020}
    assert paragraph_year(later, later.index("合同"), None) == frozenset()
    # A paragraph that turns to the five years a report looks back on speaks of those five years.
    five = "2015年是“十二五”收官之年。过去五年，我国发展成就举世瞩目。五是人民生活水平显著提高。城镇新增就业人数超过6400万人。"
    assert paragraph_year(five, five.index("城镇"), 2016) == {2011, 2012, 2013, 2014, 2015}
    assert paragraph_year(five, five.index("过去"), 2016) == {2015}


def test_a_comparison_side_takes_a_sentence_stating_its_year_before_one_its_document_covers(tmp_path):
    texts = {
        "p13": "山东省“十三五”科技创新规划\n\n一、基础\n\n2015年，研发经费增长。登记技术合同成交额339.74亿元。\n\n"
        "二、目标\n\n技术合同成交额要大幅增长，技术合同成交额突破800亿元。\n",
        "p14": "山东省“十四五”科技创新规划\n\n一、基础\n\n2020年，企业达到1.82万家；年登记技术合同成交额突破1953.92亿元；\n",
    }
    engine = fake_engine_over(texts, tmp_path, abstain_threshold=0.0)
    answer = lenient_answerer(engine)("山东登记技术合同成交额，2015年是多少，2020年又是多少？")
    # 800亿元 is a target in the 2016–2020 plan, a sentence of no year of its own: 1953.92 states 2020.
    assert "339.74亿元" in answer.answer and "1953.92亿元" in answer.answer and "800亿元" not in answer.answer


def test_a_title_named_may_be_that_of_a_document_that_came_without_one(engine):
    import dataclasses

    from policyqa.query.retrieve import Hit
    from policyqa.query.verify import FEATURES, features

    assert not engine.scope_index.doc("plan").titled and engine.scope_index.doc("gwr-2018").titled
    analysis = engine.analyze("《新一代人工智能发展规划》提出到2020年人工智能核心产业规模要超过多少？")
    hits = engine.evidence(analysis, 5)
    ctx = engine.answerer.context(analysis, hits)
    picked = next(c for c in engine.answerer.composer.score(analysis, hits) if "1500亿元" in c.text)
    row = dict(zip(FEATURES, features(picked, ctx)))
    assert row["title_missing"] == 0.0 and row["unknown_document"] == 0.0
    # The same words in a document with a title of its own: that title is not the one named.
    at = next(r for r, c in enumerate(engine.index.chunks) if c.doc_id == "gwr-2018")
    titled = dataclasses.replace(picked, hit=Hit(engine.index.chunks[at], 1.0, 1, {}, at))
    row = dict(zip(FEATURES, features(titled, ctx)))
    assert row["title_missing"] == 1.0 and row["unknown_document"] == 1.0


def test_a_paragraph_may_open_on_a_decade():
    text = "1922年，该报易主。1930年代是该报极不光彩的一段时期。其时，该报的主编和首相结成政治同盟。"
    assert paragraph_year(text, text.index("其时"), None) == frozenset(range(1930, 1940))
    from policyqa.text.dates import named_years

    assert set(named_years("1930年代该报的主编是谁？")) == set(range(1930, 1940))  # a decade asked


def test_one_year_of_a_five_year_plan_is_that_year():
    from policyqa.text.dates import named_years

    assert named_years("十二五开局那年农村危房实际改造了多少户？") == [2011]
    assert named_years("“十三五”收官之年的目标") == [2020]
    assert named_years("十四五规划的第二年") == [2022]
    assert named_years("十三五期间一共脱贫多少人？") == list(range(2016, 2021))  # the whole plan
    assert named_years("十五个项目") == []  # a number, no plan
