"""A figure given for a neighbouring measure (contrast.py)."""

from policyqa.query.analysis import QueryAnalysis
from policyqa.query.contrast import other_denominator, other_grade, other_in_series, other_qualifier


def writes(document: str):
    return lambda word: word in document


REPORT_2021 = "常住人口城镇化率提高到65%。户籍制度改革。住院费用跨省直接结算率达到60%。门诊费用纳入报销。"


def test_a_figure_qualified_otherwise_than_asked_does_not_answer():
    quote = "深入推进以人为核心的新型城镇化战略，常住人口城镇化率提高到65%，发展壮大城市群和都市圈。"
    asked = QueryAnalysis.of("21年那份报告讲十四五目标，户籍人口城镇化率要提到多少？")
    assert other_qualifier(asked, [quote], writes(REPORT_2021)) == ("户籍", "常住")
    # The qualifier may stand apart from the shared word ("门诊的费用"), and another clause may write
    # it without a figure.
    quote = "把更多常见病、慢性病等门诊费用纳入医保报销范围，住院费用跨省直接结算率达到60%。"
    clinic = QueryAnalysis.of("2021年看门诊的费用跨省直接结算率达到多少了？")
    assert other_qualifier(clinic, [quote], writes(REPORT_2021)) == ("门诊", "住院")


def test_what_the_question_gives_before_turning_to_its_ask_is_context():
    # "小麦、稻谷…都涨了，那玉米的…": the figure for 稻谷 is the one the question sets aside.
    corn = QueryAnalysis.of("09年小麦稻谷最低收购价都涨了，那玉米的最低收购价每斤涨了多少？")
    assert corn.figure is not None and corn.figure.name != "percentage"  # so many yuan a jin
    quote = "今年小麦、稻谷最低收购价平均每斤分别提高0.11元和0.13元。"
    assert other_qualifier(corn, [quote], writes("玉米 小麦 稻谷")) == ("玉米", "稻谷")
    wheat = QueryAnalysis.of("09年小麦最低收购价每斤涨了多少？")
    assert other_qualifier(wheat, [quote], writes("玉米 小麦 稻谷")) is None


def test_a_sibling_of_the_quoted_qualifier_is_told_apart_though_the_document_never_writes_it():
    quote = "到2020年，农业科技进步贡献率达到65%。"
    forestry = QueryAnalysis.of("山东十三五科技规划里，林业科技进步贡献率目标是多少？")
    assert other_qualifier(forestry, [quote], writes(quote)) == ("林业", "农业")
    # a word of the asker's own that shares no kind with the quoted one is still no qualifier
    colloquial = QueryAnalysis.of("山东十三五科技规划里，搞种地的科技进步贡献率目标是多少？")
    assert other_qualifier(colloquial, [quote], writes(quote)) is None


def test_a_measure_the_collection_gives_figures_for_is_told_apart_though_the_document_never_names_it():
    # The 2025 report never writes 铁路; other reports give "完成铁路投资8000亿元", a measure of its own.
    quote = "今年中央预算内投资拟安排7350亿元。"
    rail = QueryAnalysis.of("2025年政府工作报告里，今年铁路建设计划投资多少钱？")
    collection = "今年要完成铁路投资8000亿元、公路水运投资1.8万亿元。商务部门负责技术进出口管理。"

    def gives(phrase, shows):
        return any(phrase in c and shows.search(c) for c in collection.split("、"))

    assert other_qualifier(rail, [quote], writes(quote), gives) == ("铁路", "预算内")
    assert other_qualifier(rail, [quote], writes(quote)) is None  # without the collection: a paraphrase
    # A body the collection names ("商务部门") gives no figure anywhere: it is no measure.
    days = "国务院外经贸主管部门应当自收到文件之日起3个工作日内，对技术进口合同进行登记。"
    trade = QueryAnalysis.of("合同材料交上去以后商务部门多少天内给登记发证？")
    assert other_qualifier(trade, [days], writes(days), gives) is None


def test_words_of_time_or_finality_qualify_no_measure():
    # "实际" asks how the year turned out: "对全球经济增长的贡献率" beside the growth asked is no rival.
    quote = "国内生产总值达到74.4万亿元，增长6.7%，名列世界前茅，对全球经济增长的贡献率超过30%。"
    asked = QueryAnalysis.of("2016年实际经济增长了多少？")
    assert other_qualifier(asked, [quote], writes(f"{quote}居民人均可支配收入实际增长6.3%。")) is None


def test_the_measure_asked_or_a_wording_the_document_never_uses_is_no_contrast():
    quote = "深入推进以人为核心的新型城镇化战略，常住人口城镇化率提高到65%，发展壮大城市群和都市圈。"
    same = QueryAnalysis.of("21年那份报告讲十四五目标，常住人口城镇化率要提到多少？")
    assert other_qualifier(same, [quote], writes(REPORT_2021)) is None
    # "市面上" is the asker's own word, not one the report distinguishes a measure by.
    money = QueryAnalysis.of("2009年报告希望市面上的货币总量增长多少？")
    assert other_qualifier(money, ["广义货币增长17%左右。"], writes("广义货币增长17%左右。")) is None
    # The same word said two ways ("个税" / "个人所得税") is no other measure.
    tax = QueryAnalysis.of("2011年个税的起征点调成多少了？")
    assert other_qualifier(tax, ["个人所得税起征点提高到3500元。"], writes("个税 个人所得税")) is None
    # A clause giving the asked qualifier's figure answers, whatever the others say.
    both = "住院费用跨省直接结算率达到60%，门诊费用跨省直接结算率达到30%。"
    clinic = QueryAnalysis.of("2021年看门诊的费用跨省直接结算率达到多少了？")
    assert other_qualifier(clinic, [both], writes(REPORT_2021)) is None


def test_only_clauses_writing_the_qualified_word_are_read():
    # The deficit's clause says nothing of the rate asked; the inpatient clause is another measure's.
    quotes = ["今年拟安排财政赤字1.62万亿元，比去年增加2700亿元。", "住院费用跨省直接结算率达到60%。"]
    clinic = QueryAnalysis.of("2021年看门诊的费用跨省直接结算率达到多少了？")
    assert other_qualifier(clinic, quotes, writes(REPORT_2021)) == ("门诊", "住院")


def test_the_whole_qualifying_phrase_is_compared():
    # "物价" is what "居民消费价格总水平" says (they share 价), not another measure beside 水平.
    prices = QueryAnalysis.of("2008年报告定的物价涨幅控制目标是多少？")
    quote = "居民消费价格总水平涨幅控制在4.8%左右。"
    assert other_qualifier(prices, [quote], writes("物价 居民消费价格总水平")) is None
    # A law's article label is no figure.
    county = QueryAnalysis.of("县级国家农业技术推广机构的专业技术岗位不得低于岗位总量的多少？")
    article = "第十三条 乡镇国家农业技术推广机构的岗位应当全部为专业技术岗位。"
    assert other_qualifier(county, [article], writes("县级 乡镇")) is None


def test_another_round_of_a_series_does_not_answer_the_one_asked():
    second = QueryAnalysis.of("科技部的人工智能示范应用场景，第二批定了几个、都有哪些？")
    assert other_in_series(second, ["首批支持建设十个示范应用场景。"]) == ("第二批", "第一批")
    assert other_in_series(second, ["继首批之后，第二批支持建设八个示范应用场景。"]) is None
    # A quote naming no round may be the one asked; the first round is 首批 and 第一批 alike.
    assert other_in_series(second, ["支持建设十个示范应用场景。"]) is None
    assert other_in_series(second, ["第2批支持建设八个示范应用场景。"]) is None
    first = QueryAnalysis.of("第一批准备支持几个场景？")
    assert other_in_series(first, ["首批支持建设十个示范应用场景。"]) is None
    # A contributor's rank in an award: the first's reward is not the second's.
    rank = QueryAnalysis.of("济南对拿国家科技进步奖的第二完成单位奖励多少？")
    first_unit = "获得国家科学技术进步奖的第一完成单位，给予一等奖50万元奖励。"
    assert other_in_series(rank, [first_unit]) == ("第二完成单位", "第一完成单位")
    assert other_in_series(QueryAnalysis.of("第一完成单位奖励多少？"), [first_unit]) is None
    # Sessions and congresses (次, 届) date every law: they are no series asked.
    law = QueryAnalysis.of("第二次修正是哪一年通过的？")
    assert (
        other_in_series(law, ["2000年8月25日第九届全国人民代表大会常务委员会第十七次会议第一次修正"]) is None
    )


def test_another_grade_of_a_scale_does_not_answer_the_one_asked():
    good = QueryAnalysis.of("首次认定的示范机构，要是考核结果是“良好”，能补多少？")
    assert other_grade(good, ["依据考核结果，考核优秀的给予50万元补助。"]) == ("良好", "优秀")
    assert other_grade(good, ["考核优秀的给予50万元补助，良好的给予30万元补助。"]) is None
    failed = QueryAnalysis.of("考核不合格的要退回多少？")
    assert other_grade(failed, ["考核合格的给予10万元。"]) == ("不合格", "合格")
    first = QueryAnalysis.of("国家科学技术进步奖一等奖的奖金是多少钱？")
    assert other_grade(first, ["给予特等奖150万元、一等奖100万元奖励。"]) is None
    assert other_grade(first, ["获得二等奖的，给予50万元奖励。"]) == ("一等奖", "二等奖")


def test_a_quote_speaking_of_the_asked_measure_with_a_figure_beside_it_may_answer():
    clinic = QueryAnalysis.of("2021年看门诊的费用跨省直接结算率达到多少了？")
    inpatient = "住院费用跨省直接结算率达到60%。"
    outpatient = "门诊费用跨省直接结算试点扩大，结算率为30%。"  # the figure's clause does not repeat 费用
    assert other_qualifier(clinic, [inpatient, outpatient], writes(REPORT_2021)) is None
    # Traditional characters are read as simplified (jieba cuts them badly).
    traditional = QueryAnalysis.of("2021年看門診的費用跨省直接結算率達到多少了？")
    assert other_qualifier(traditional, ["住院費用跨省直接結算率達到60%。"], writes(REPORT_2021)) == (
        "门诊",
        "住院",
    )


def test_the_qualifier_is_read_at_the_head_words_own_place():
    from policyqa.query.contrast import _before

    assert _before("常住人口城镇化率提高到65%", "人口") == ("常住", "常住")
    assert _before("居民消费价格总水平涨幅控制在4.8%左右", "涨幅") == ("居民消费价格总水平", "水平")
    # 的 counts in the offsets and ends a qualifying phrase: "法律的婚姻" qualifies nothing by 律的.
    assert _before("在辖内全境的法律的婚姻制度", "婚姻") is None


def test_a_share_of_another_whole_does_not_answer():
    sales = "力争“十四五”末，全省规模以上工业企业研究与试验发展（R&D）经费支出占营业收入的比重达到2.2%。"
    asked = QueryAnalysis.of("十四五科技创新规划里，全社会研发经费占GDP的比重到2025年要到多少？")
    assert other_denominator(asked, [sales]) == ("GDP", "营业收入")
    # The same whole said another way, or a quote giving no share at all, may answer.
    output = "全社会研发经费支出占地区生产总值的比重达到2.5%。"
    assert other_denominator(asked, [output]) is None
    assert other_denominator(asked, ["研发经费投入强度达到2.5%。"]) is None
    # "在全省GDP中要占多大份额": the whole stands before 占, and nothing is compared.
    share = QueryAnalysis.of("三年内数字经济在全省GDP中要占多大份额？")
    assert other_denominator(share, ["数字经济占营业收入比重达到50%。"]) is None


def test_a_qualifier_reaches_past_an_activity_or_a_planning_verb_to_its_measure():
    # "公路建设投资": 公路 qualifies the investment; a railway's is another measure, though both end in 路.
    report = "铁路投资要保持在8000亿元以上。加快公路建设。中央预算内投资安排5000亿元。"
    road = QueryAnalysis.of("2015年全国公路建设投资计划安排多少钱？")
    assert other_qualifier(road, ["铁路投资要保持在8000亿元以上"], writes(report)) == ("公路", "铁路")
    rail = QueryAnalysis.of("今年铁路建设计划投资多少钱？")
    assert other_qualifier(rail, ["今年中央预算内投资拟安排7350亿元。"], writes(report)) == ("铁路", "预算内")
    # An activity alone qualifies nothing: "搞建设的投资" asks the central budget's investment.
    build = QueryAnalysis.of("2021年中央政府自己直接拿钱出来搞建设的投资安排了多少？")
    assert other_qualifier(build, ["中央预算内投资安排6100亿元。"], writes(report)) is None


def test_a_set_phrase_is_no_qualifier_and_head():
    # "基本建设" is no kind of 建设 set against the 科技设施建设 asked.
    asked = QueryAnalysis.of("河南省每年基建盘子里有多大份额专门留给科技设施建设？")
    quote = "省每年从预算内基本建设拨款中安排百分之二的专项资金，用于支持重大科技设施建设。"
    assert other_qualifier(asked, [quote.split("，")[0]], writes(f"{quote}科技设施")) is None


def test_a_word_standing_unqualified_says_no_kind_and_a_documents_kind_qualifies_no_measure():
    # "每认定1家给予孵化器10万元扶持" names no kind of incubator: the national one's figure beside it
    # still answers no provincial one.
    policy = "对新认定的国家级孵化器给予每家最高500万元扶持。省级孵化器。"
    asked = QueryAnalysis.of("济南科创政策里，新认定的省级孵化器能拿多少扶持？")
    quotes = ["对新认定的国家级孵化器给予每家最高500万元扶持；", "每认定1家给予孵化器10万元扶持。"]
    assert other_qualifier(asked, quotes, writes(policy)) == ("省级", "国家级")
    assert other_qualifier(asked, quotes[1:], writes(policy)) is None  # no kind said at all
    # "报告安排的财政赤字": the report is where the deficit is written, not a kind of deficit.
    deficit = QueryAnalysis.of("2019年政府工作报告安排的财政赤字规模是多少？")
    quote = ["财政赤字2.76万亿元，其中中央财政赤字1.83万亿元，地方财政赤字9300亿元。"]
    assert other_qualifier(deficit, quote, writes(f"{quote[0]}政府工作报告")) is None
    # Nor is a whole: "全国" asks the total, given before its high-speed part.
    lines = QueryAnalysis.of("“十二五”末全国铁路营业里程到了多少？")
    quote = ["铁路营业里程达到12.1万公里，其中高速铁路超过1.9万公里，占世界60%以上。"]
    assert other_qualifier(lines, quote, writes(f"{quote[0]}全国")) is None
