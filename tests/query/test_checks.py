"""The hard checks on an answer (checks.py): which failures refuse it whatever the learned score."""

from policyqa.query.analysis import QueryAnalysis
from policyqa.query.checks import evidence_text
from policyqa.query.elsewhere import echoed, figure_elsewhere, one_year_instead

from ..conftest import candidates, fake_engine_over


def checked(engine, question: str, holding: str) -> tuple[list[str], bool]:
    """The hard checks on the candidate sentences of ``question`` that hold ``holding``."""
    quoted = [c for c in candidates(engine, question) if holding in c.text]
    assert quoted, f"a sentence holding {holding} is a candidate"
    return engine.answerer.checks.check(engine.analyze(question), quoted)


def test_asked_how_much_an_answer_without_any_number_is_refused_whatever_its_score(tmp_path):
    law = (
        "上海市技术市场条例\n\n"
        "第二十一条 法人和其他组织可以从技术交易的收益中提取一定比例，作为对该技术项目直接完成人的奖励。\n\n"
        "第二十二条 技术合同登记机构应当在受理申请之日起三十日内予以登记。"
    )
    engine = fake_engine_over({"law": law}, tmp_path)
    asked = "上海市技术市场条例规定，从技术交易收益中提取奖励给直接完成人的比例不低于多少？"
    # Asked how much: the article holds no number, so no learned score can make it an answer.
    reasons, vetoed = checked(engine, asked, "提取一定比例")
    assert vetoed and any("没有任何数字" in r for r in reasons)
    # Asked how it is laid down, the same article may answer.
    laid_down = "上海市技术市场条例对技术交易收益中奖励直接完成人的比例是怎么规定的？"
    reasons, vetoed = checked(engine, laid_down, "提取一定比例")
    assert not vetoed


def test_a_title_named_that_no_document_holds_or_mentions_refuses_quotes_of_titled_documents(tmp_path):
    law = "上海市技术市场条例\n\n第二十二条 技术合同登记机构应当在受理申请之日起三十日内予以登记。"
    engine = fake_engine_over({"law": law}, tmp_path)
    question = "深圳经济特区技术转移条例规定技术合同登记机构应当在多少日内予以登记？"
    analysis = engine.analyze(question)
    quoted = [c for c in candidates(engine, question) if "三十日内" in c.text]
    assert quoted
    reasons, vetoed = engine.answerer.checks.check(analysis, quoted)
    assert vetoed and "资料中没有《深圳经济特区技术转移条例》" in reasons
    # The document the question names by its own title is no reason to refuse.
    own = "上海市技术市场条例规定技术合同登记机构应当在多少日内予以登记？"
    quoted = [c for c in candidates(engine, own) if "三十日内" in c.text]
    assert not engine.answerer.checks.check(engine.analyze(own), quoted)[1]


def test_a_document_described_by_another_kind_than_the_quoted_ones_is_not_in_the_collection(tmp_path):
    plan = "山东省“十四五”科技创新规划\n\n到2025年，高新技术企业研发费用占营业收入的比重达到2.2%。"
    report = (
        "2018年新疆科技发展报告\n\n推进“国家创新驱动发展战略纲要《实施意见》任务分工方案”落实，"
        "16个牵头部门制定计划。"
    )
    engine = fake_engine_over({"plan": plan, "report": report}, tmp_path)
    # A plan is no 方案: the action plan described is not in the collection.
    action = "山东推动高新技术企业量质齐升的方案要求研发费用占营业收入的比重达到多少？"
    reasons, vetoed = checked(engine, action, "2.2%")
    assert vetoed and "资料中没有所说的“山东推动高新技术企业量质齐升的方案”" in reasons
    # The plan described by its own kind may answer.
    own = "山东十四五科技创新规划里，研发费用占营业收入的比重要达到多少？"
    assert not checked(engine, own, "2.2%")[1]
    # A report on carrying a 方案 out writes of it: it may answer what the 方案 set.
    division = "国家创新驱动发展战略纲要实施意见的任务分工方案中，一共有多少个牵头部门？"
    assert not checked(engine, division, "16个牵头部门")[1]


def test_a_plan_named_by_its_period_is_none_of_another_periods(tmp_path):
    plan = "山东省“十三五”科技创新规划\n\n2015年，全社会研究与试验发展经费支出占生产总值的比重达到2.27%。"
    engine = fake_engine_over({"plan": plan}, tmp_path)
    earlier = "山东“十二五”科技规划当初给全社会研发经费占生产总值比重定的目标是多少？"
    reasons, vetoed = checked(engine, earlier, "2.27%")
    assert vetoed and "资料中没有所说的“十二五”规划" in reasons
    # The plan of the period named may answer, whatever other periods it writes of.
    own = "山东“十三五”科技创新规划里，“十二五”末研发经费占生产总值的比重达到多少？"
    assert not any("十二五" in r for r in checked(engine, own, "2.27%")[0])


def test_the_evidence_reads_a_passage_with_its_documents_place_and_year(fake_engine):
    hit = fake_engine.retrieve(fake_engine.analyze("科普经费"), 1)[0]
    doc = fake_engine.document(hit.chunk.doc_id)
    said = evidence_text([hit], {hit.chunk.doc_id: {**doc, "metadata": {"region": "西藏", "year": 1999}}})
    assert "西藏" in said and "1999" in said
    bare = evidence_text([hit], {})  # a document without metadata: the passage and its headings only
    assert "西藏" not in bare and "1999" not in bare and bare in said.replace(" 西藏 1999", "")


def test_a_figure_given_for_another_measure_beside_the_one_asked_does_not_answer():
    plan = (
        "到2020年，中译英、英译中场景下产品的翻译准确率超过85%，少数民族语言与汉语的智能互译准确率显著提升。"
    )
    minority = QueryAnalysis.of("到2020年少数民族语言和汉语智能互译准确率要达到多少？")
    assert figure_elsewhere(minority, [plan])
    # The measure the figure is written for is answered, and so is the asked one when it has the figure.
    assert not figure_elsewhere(QueryAnalysis.of("到2020年中英互译准确率要达到多少？"), [plan])
    given = "到2020年，少数民族语言与汉语的智能互译准确率超过85%，中译英场景下的翻译体验显著提升。"
    assert not figure_elsewhere(minority, [given])
    # A clause before the figure sets its topic; an adverbial one leads into a clause without a figure.
    prize = QueryAnalysis.of("拿了国家最高科学技术奖的个人能奖多少钱？")
    assert not figure_elsewhere(prize, ["对获得国家最高科学技术奖的个人，给予每人800万元奖励；"])
    days = QueryAnalysis.of("主管部门几天内给办合同登记？")
    assert not figure_elsewhere(
        days, ["主管部门应当自收到文件之日起3个工作日内，对技术进口合同进行登记，颁发登记证。"]
    )
    # A year in the topic clause is no figure of its own.
    award = QueryAnalysis.of("2023年新认定的高新技术企业能拿多少奖励？")
    assert not figure_elsewhere(award, ["对2023年新认定的高新技术企业，给予10万元奖励。"])
    # One of several quotes giving the figure for the measure asked is enough.
    assert not figure_elsewhere(minority, [plan, given])


def test_a_question_without_a_figure_asked_is_never_refused_for_one(fake_engine):
    assert not figure_elsewhere(
        QueryAnalysis.of("翻译准确率有什么要求？"), ["翻译准确率超过85%，体验显著提升。"]
    )


def test_a_figure_the_question_states_itself_does_not_answer_it():
    told = QueryAnalysis.of("2003年报告说农村税费改革中央财政要拿305亿，那地方财政得配套多少钱？")
    assert echoed(told, ["今年中央财政预算用于支持这项改革的资金将达305亿元。"])
    assert not echoed(told, ["中央财政安排305亿元，地方财政配套120亿元。"])  # another sum is given too
    counted = QueryAnalysis.of("2021年确定的160个国家乡村振兴重点帮扶县里，西藏占几个？")
    assert echoed(counted, ["确定160个国家乡村振兴重点帮扶县。"])
    # The years a question names are no figure it states.
    dated = QueryAnalysis.of("2023年城镇新增就业目标是多少万人？")
    assert not echoed(dated, ["城镇新增就业1200万人左右。"])


def test_asked_the_day_of_a_document_a_quote_from_another_that_only_cites_it_does_not_answer(tmp_path):
    # An untitled notice (its first sentence stands for its title) cites the plan and closes on its own
    # date line; the plan itself is not in the collection.
    notice = (
        "为落实国务院印发的《新一代人工智能发展规划》的总体部署，现将有关事项通知如下。\n\n"
        "一、各单位按要求组织申报，申报材料于规定时间内报送。\n\n"
        "科技部\n2018年10月12日"
    )
    engine = fake_engine_over({"notice": notice}, tmp_path)
    cited = "国务院印发新一代人工智能发展规划的那个通知，是哪天印发的？"
    reasons, vetoed = checked(engine, cited, "2018年10月12日")
    assert vetoed and any("引用该文件的另一份文件" in r for r in reasons)
    # Asked the notice's own day, its date line answers.
    reasons, vetoed = checked(
        engine, "科技部落实人工智能规划部署的那份申报通知是哪天发的？", "2018年10月12日"
    )
    assert not any("引用该文件的另一份文件" in r for r in reasons)


def test_asked_a_documents_number_the_number_of_another_document_cited_by_its_title_does_not_answer():
    from policyqa.query.elsewhere import numbers_other

    own = QueryAnalysis.of("《高等学校人工智能创新行动计划》本身的发文字号是多少？")
    cited = "为贯彻落实《国务院关于印发新一代人工智能发展规划的通知》（国发〔2017〕35号）和有关会议精神"
    assert numbers_other(own, [cited])
    # A document described in the question's own words may be any cited one: an answer.
    described = QueryAnalysis.of("面向各县的创新发展，区里下发的指导文件是哪个号？")
    assert not numbers_other(
        described, ["印发《关于推进县域创新驱动发展的实施意见》（新政办发〔2018〕74号）"]
    )
    # A number without its title may be the document's own.
    assert not numbers_other(own, ["教技〔2018〕3号"])
    # A title named without its bracketed aside is still the title named.
    aside = QueryAnalysis.of("那份通知里引用的《中央财政科技计划管理改革的方案》文号是多少？")
    assert not numbers_other(
        aside, ["按照《关于深化中央财政科技计划（专项、基金等）管理改革的方案》（国发〔2014〕64号）"]
    )


def test_asked_how_much_the_clause_saying_most_of_it_leaves_the_amount_open():
    from policyqa.query.elsewhere import vague_instead

    asked = QueryAnalysis.of(
        "河南省内企业买了先进技术成果在省内转化，按上年度技术合同成交额的百分之几给奖励？"
    )
    open_amount = (
        "对省内企业购买先进技术成果并在省内实施转化的，可以按照其上年度技术合同成交额给予一定奖励或者补助。"
    )
    other_article = "将该项职务科技成果转让给他人实施的，从转让净收入中提取不低于百分之七十的比例；"
    assert vague_instead(asked, [open_amount, other_article])
    # The figure written after the open amount gives it.
    bounded = QueryAnalysis.of("购买先进技术成果的企业能拿多少奖励？")
    assert not vague_instead(bounded, ["对省内企业购买先进技术成果的，给予一定奖励，最高不超过50万元。"])


def test_gdp_and_a_ratio_to_gdp_are_different_measures():
    from policyqa.query.elsewhere import per_unit_instead

    growth = QueryAnalysis.of("2008年的报告里，2007年GDP比上年增长了百分之几？")
    assert per_unit_instead(
        growth, ["2007年单位国内生产总值能耗比上年下降3.27%，化学需氧量比上年下降3.14%。"]
    )
    assert not per_unit_instead(growth, ["国内生产总值增长11.4%，单位国内生产总值能耗下降3.27%。"])
    intensity = QueryAnalysis.of("2022年报告里单位GDP能耗下降目标具体是多少？")
    assert per_unit_instead(intensity, ["今年发展主要预期目标是：国内生产总值增长5.5%左右；"])
    assert not per_unit_instead(intensity, ["单位国内生产总值能耗降低3%左右"])
    # asked GDP, quotes that speak of profits and exports only give other measures' figures
    asked = QueryAnalysis.of("2000年的报告里，1999年国内生产总值具体增长了百分之几？")
    assert per_unit_instead(asked, ["全年工业企业实现利润2202亿元，比上年增长52%；", "外贸出口增长6.1%。"])
    assert not per_unit_instead(asked, ["全年经济增长7.1%，工业企业实现利润2202亿元。"])
    # A follow-up asking another measure after a GDP question asks that measure.
    jobs = QueryAnalysis.of("这一年的城镇新增就业目标呢？", ["2024年的GDP增长目标是多少？"])
    assert not per_unit_instead(jobs, ["城镇新增就业1200万人以上，城镇调查失业率5.5%左右；"])
    # a spending's share of GDP is a ratio to it too
    asked = QueryAnalysis.of("2014年GDP实际涨了多少？")
    assert per_unit_instead(
        asked, ["一般公共预算收入增长8.6%，研究与试验发展经费支出与国内生产总值之比超过2%。"]
    )


def test_a_figure_for_another_measure_beside_a_clause_that_only_sets_the_asked_one_to_work():
    asked = QueryAnalysis.of("2014年新能源汽车打算推广多少辆？")
    plan = (
        "今年要淘汰燃煤小锅炉5万台，淘汰黄标车和老旧车600万辆，推广新能源汽车，在全国供应国四标准车用柴油。"
    )
    assert figure_elsewhere(asked, [plan])
    assert not figure_elsewhere(asked, ["今年推广新能源汽车60万辆。"])


def test_gdp_named_in_the_clause_before_its_figure_is_gdp():
    from policyqa.query.elsewhere import per_unit_instead

    asked = QueryAnalysis.of("2014年报告回头看2013年，GDP实际涨了多少？")
    quotes = ["国内生产总值达到56.9万亿元，比上年增长7.7%。", "全社会研发支出占国内生产总值比重超过2%。"]
    assert not per_unit_instead(asked, quotes)
    # a follow-up asks the earlier turn's measure
    then = QueryAnalysis.of("那2014年实际呢？", ["2014年报告回头看2013年，GDP实际涨了多少？"])
    assert per_unit_instead(then, ["研究与试验发展经费支出与国内生产总值之比超过2%，能耗强度下降4.8%。"])
    # a share of GDP asked in other words is a ratio asked
    share = QueryAnalysis.of("山东数字经济科技创新措施里，三年内数字经济在全省GDP中要占多大份额？")
    assert not per_unit_instead(share, ["力争三年内，数字经济占全省GDP比重超过50%。"])


def test_an_average_over_years_asked_is_not_answered_by_one_years_figure():
    asked = QueryAnalysis.of("十四五期间GDP年均增速目标定的多少？")
    assert one_year_instead(asked, ["今年发展主要预期目标是：国内生产总值增长5%左右；"])
    assert not one_year_instead(asked, ["“十四五”时期经济年均增长保持在合理区间，每年视情提出。"])
    plan = QueryAnalysis.of("十三五期间经济一年平均至少得长多少？")
    assert not one_year_instead(plan, ["“十三五”时期经济年均增长保持在6.5%以上。"])
    total = QueryAnalysis.of("十三五期间一共有多少农村贫困人口脱贫？")
    assert one_year_instead(
        total, ["今年要完成1000万以上农村贫困人口脱贫任务，其中易地搬迁脱贫200万人以上。"]
    )
    assert not one_year_instead(total, ["五年来，5575万农村贫困人口实现脱贫。"])
    # A quote on another subject beside it ("累计扩招413万人") does not make one year's figure a total.
    jobs = QueryAnalysis.of("2023年报告里，前五年城镇新增就业加起来一共多少人？")
    assert one_year_instead(
        jobs, ["全年城镇新增就业1206万人。", "实施高职扩招三年行动，累计扩招413万人、培训8300多万人次。"]
    )
    # Asked one year's figure, a year's figure answers.
    year = QueryAnalysis.of("2024年GDP增速目标定的多少？")
    assert not one_year_instead(year, ["今年发展主要预期目标是：国内生产总值增长5%左右；"])


def test_a_sentence_under_a_heading_looking_back_on_the_years_asked_gives_their_total(tmp_path):
    # The 2011 report's review of 十一五 gives the five years' figures in sentences naming no years.
    reports = {
        "gwr-2011": (
            "2011年政府工作报告\n\n一、“十一五”时期国民经济和社会发展的回顾\n\n"
            "大力实施保障性住房建设和棚户区改造，使1100万户困难家庭住上了新房。\n\n2010年又有300万户困难家庭住上新房。\n\n"
            "三、2011年的工作\n\n今年要再改造农村危房150万户。\n"
        ),
        "gwr-2016": (
            "2016年政府工作报告\n\n一、2015年工作回顾\n\n2015年是“十二五”收官之年。过去五年，我国发展成就举世瞩目。"
            "城镇保障性安居工程住房建设4013万套。\n\n二、2016年重点工作\n\n今年棚户区住房改造600万套。\n"
        ),
    }
    engine = fake_engine_over(reports, tmp_path, abstain_threshold=0.0)
    period = "十一五期间，保障房和棚改一共让多少户困难家庭住上了新房？"
    reasons, _ = checked(engine, period, "1100万户")
    assert not any("多年" in r for r in reasons)
    # A paragraph opening on 过去五年 speaks of them, heading or not.
    reasons, _ = checked(engine, "十二五那五年，城镇保障房一共建了多少套？", "4013万套")
    assert not any("多年" in r for r in reasons)
    # One year's figure, under the heading looking back or not, does not give the five years' total.
    reasons, vetoed = checked(engine, period, "300万户")
    assert vetoed and any("多年" in r for r in reasons)
    # The years looked back on may be counted from the report named: "2016年报告回顾五年" is 2011–2015.
    reasons, _ = checked(engine, "2016年报告回顾五年，城镇保障房一共建了多少套？", "4013万套")
    assert not any("某一年" in r for r in reasons)


def test_a_thing_named_in_a_documents_title_is_its_topic_not_another_things_name(tmp_path):
    school = (
        "# 中南民族大学外语学院\n\n外语学院历史悠久。学院办学条件先进，拥有多媒体数字网络语言实验室15个。\n"
    )
    engine = fake_engine_over({"school": school}, tmp_path)
    checks = engine.answerer.checks
    assert checks.writes({"school"}, "外语学院") and checks.writes({"school"}, "实验室", titled=False)
    assert not checks.writes({"school"}, "外语学院", titled=False)  # in the title: every sentence's topic
    answer = engine.ask("中南民族大学外语学院拥有多少个多媒体数字网络语言实验室？")
    assert not answer.abstained and "15个" in answer.answer


def test_a_document_writes_a_word_in_any_of_its_forms(tmp_path):
    report = "# 2003年政府工作报告\n\n全国研究与试验开发经费增加到2002年的1161亿元。全国财政性教育经费投入3366亿元。\n"
    engine = fake_engine_over({"report": report}, tmp_path)
    assert engine.answerer.checks.writes({"report"}, "研发")  # "研究与试验开发" spells it out
    assert not engine.answerer.checks.writes({"report"}, "医保")
