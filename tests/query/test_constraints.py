"""Question constraints: places, years and the kind of figure asked for."""

import pytest

from policyqa.query.analysis import QueryAnalysis
from policyqa.query.constraints import NO_NUMBER, violations
from policyqa.query.figures import asked_figure
from policyqa.query.places import places_and_years
from policyqa.text.normalize import search_key


def quote_answers(question: str, quote: str) -> bool:
    """No constraint of the question is broken by this quote (its own passage as the evidence)."""
    return not violations(QueryAnalysis.of(question), search_key(quote), quote)


def test_places_and_years():
    assert places_and_years("2020年西藏和兵团的情况") == (["西藏", "兵团"], [2020])
    assert places_and_years("洛阳的条例", ("洛阳",)) == (["洛阳"], [])
    assert places_and_years("“十四五”期间和2018～2020年")[1] == [
        2018,
        2019,
        2020,
        2021,
        2022,
        2023,
        2024,
        2025,
    ]
    assert places_and_years("投资2000万元，占比2.5%")[1] == []  # amounts are not years
    assert places_and_years("科技型企业有多少家") == ([], [])
    # Any city of the country, named as a word: not the 通化 of "普通化妆品", nor 长治 of "长治久安".
    assert places_and_years("烟台市和株洲的技术合同成交额") == (["烟台", "株洲"], [])
    assert places_and_years("普通化妆品备案要求和长治久安") == ([], [])
    evidence = search_key("山东省科技创新规划 支持济南、青岛建设创新型城市，全省技术合同成交额2000亿元")
    assert violations(
        QueryAnalysis.of("烟台的技术合同成交额是多少？"), evidence, "全省技术合同成交额2000亿元"
    ) == ["资料未涉及“烟台”"]
    # a city of the province asked about falls under its rule
    within = QueryAnalysis.of("山东的规定，烟台的企业能不能申请？")
    assert within.places == ["山东", "烟台"]
    assert violations(within, evidence, "全省技术合同成交额2000亿元") == []
    # … though not the province's figures: a city's own figure must name the city
    figure = QueryAnalysis.of("山东烟台的技术合同成交额是多少？")
    assert violations(figure, evidence, "全省技术合同成交额2000亿元") == ["资料未涉及“烟台”"]


@pytest.mark.parametrize(
    "question, quote, ok",
    [
        ("惠达农牧星创天地带动多少户农牧民增收？", "协助建立示范基地各1个", False),
        ("带动多少户农牧民增收？", "带动农牧民1200户增收", True),
        ("新疆离岸（大连）创新基地的孵化面积有多大？", "建成了五个专业化的科技成果孵化平台", False),
        ("孵化总面积有多大？", "孵化总面积3.2万平方米", True),
        ("2018年新疆全社会R&D经费投入强度是多少？", "R&D经费总支出40.21亿元", False),
        ("科技型中小企业占总数的比例是多少？", "占总数的97.1%", True),
        ("乌鲁木齐银行科技支行发放了多少科技贷款？", "设立了乌鲁木齐银行科技支行", False),
        ("科技部下拨资金是多少？", "科技部下拨资金3千万元", True),
        ("国务院什么时候批复的？", "2018年11月23日，国务院批复同意", True),
        ("星创天地有多少个？", "我区有星创天地42个", True),
        ("专利授权量是多少件？", "已登记入库377家", False),
        ("乌昌石自创区的战略定位是什么？", "其战略定位是：力争成为高地", True),
        ("推动成果转化的行动计划文号是多少？", "印发《科技成果转化行动计划》（新政办发[2018]48号）", True),
        ("推动成果转化的行动计划文号是多少？", "印发《科技成果转化行动计划》，2018年开始实施", False),
        # a rate asked by a follow-up ("赤字率呢？") is answered by a rate, not the deficit's amount
        ("赤字率呢？", "今年拟安排财政赤字10500亿元，其中中央财政赤字8500亿元", False),
        ("赤字率呢？", "赤字率拟按3%安排", True),
        # an order's number: not a revision's date, and not the money a "奖励条例" would make it
        (
            "奖励条例修改时用的是国务院第几号令？",
            "2024年5月26日《国务院关于修改〈国家科学技术奖励条例〉的决定》第四次修订",
            False,
        ),
        ("奖励条例修改时用的是国务院第几号令？", "中华人民共和国国务院令第782号公布", True),
        ("科技协作订单总值多少？", "签约科技协作项目40个", False),
        ("科技成果转化基金规模多大？", "孵化总面积3.2万平方米", False),  # a fund's size is money, not area
        ("科技成果转化基金规模多大？", "自治区科技成果转化基金3亿元已经注册完成", True),
        ("科技协作订单总值多少？", "签订合同金额211亿元", True),
        ("2001年外商直接投资是多少？", "外商直接投资468亿美元，增长14．9%。", True),  # another currency
        # taxes and spending are money, and "多亿元" writes an amount
        ("准备给企业退还和减免的税款总共有多少？", "存量留抵税额于6月底前一次性全部退还", False),
        ("准备给企业退还和减免的税款总共有多少？", "预计全年退税减税约2.5万亿元", True),
        ("打算让企业和老百姓少缴多少税？", "全年再为企业和个人减税8000多亿元", True),
        ("中央财政安排的科技投入相比有多大变化？", "科技创新要与扩内需紧密结合起来", False),
        # a document's serial number ("〔2018〕74号") is not the day it was issued
        ("新政办发〔2018〕74号文件是哪一天印发的？", "印发《实施意见》（新政办发〔2018〕74号）", False),
        ("新政办发〔2018〕74号文件是哪一天印发的？", "2018年11月23日，自治区人民政府办公厅印发", True),
        ("一共支持建了多少个试验区？", "遴选一批支持建设的示范应用场景", False),  # a batch is no count
        ("一共支持建了多少个试验区？", "支持建设18个国家新一代人工智能创新发展试验区", True),
        # a rise's size is a percentage or points, not the money it is a rise of
        ("财政科技投入的增长幅度比经常性收入高出多少？", "专项经费人均不少于120元", False),
        ("财政科技投入的增长幅度比经常性收入高出多少？", "高于经常性收入的增长幅度一个百分点以上", True),
        ("用于基础研究的比例是多少？", "用于基础研究的比例原则上不低于三分之一", True),  # a fraction
        # "多少元" asks money: a deadline's digits do not give it
        ("每份合同收费多少元？", "应当在受理认定登记申请之日起30日内予以认定登记", False),
        ("每份合同收费多少元？", "每份合同收取登记费100元", True),
        ("人口出生率是多少？", "人口出生率为12.43‰", True),  # per mille
        # "A与B之比" asks a ratio, though 经费 alone would ask money
        ("研发经费支出与GDP之比是多少？", "研究与试验发展经费支出与国内生产总值之比超过2%", True),
        ("研发经费支出与GDP之比是多少？", "研发经费支出达到1.4万亿元", False),
        # "多长/多久" asks a length of time, also before "什么时候" in the same question
        ("申请筹建登记的企业，筹建期有多长？", "可以申请筹建登记", False),
        ("申请筹建登记的企业，筹建期有多长？", "筹建期限为一年", True),
        ("发明专利权的期限是多长，从什么时候起算？", "发明专利权的期限为二十年，自申请日起计算", True),
        ("开张后多久得去市科委报备？", "应当自取得营业执照之日起三十日内备案", True),
        ("穴蝰最长记录是多长？", "最长纪录为70公分", True),  # a length of space, too
        ("负责人一年里要在项目上花多少时间？", "项目骨干人数不超过10人", False),
        # "几成" asks a share, which a sum of money does not give ("多少成本" asks no share)
        ("奖金里技术转移机构的人最少能分几成？", "获得奖励的份额不低于奖励总额的百分之五", True),
        ("奖金里技术转移机构的人最少能分几成？", "每项奖励不超过5万元", False),
        ("负责人一年里要在项目上花多少时间？", "每年用于项目的工作时间不得少于6个月", True),
        # how far a price may rise is a percentage
        ("2010年政府准备让物价最多涨到什么程度？", "要坚决遏制部分城市房价过快上涨势头", False),
        ("2010年政府准备让物价最多涨到什么程度？", "提出居民消费价格涨幅3％左右", True),
        # a number with its multiplier counts as the unit asked ("亿吨" is tonnes, "亿人" people)
        ("2009年粮食产量到了多少吨？", "粮食产量5.31亿吨，再创历史新高", True),
        ("2009年粮食产量到了多少吨？", "粮食总产量再创历史新高", False),
        ("全国有多少人受益？", "惠及1.5亿人", True),
        # "跑多快" asks how fast the economy grows: a rate
        ("“十五”期间经济一年平均想跑多快？", "年均经济增长速度预期目标为7％左右", True),
        ("“十五”期间经济一年平均想跑多快？", "国民经济保持较快发展速度", False),
        # "哪年哪月哪日" asks a day, which a year alone does not give
        ("这份政策措施是哪年哪月哪日印发的？", "争取到2025年建成10家重大科技创新平台", False),
        ("这份政策措施是哪年哪月哪日印发的？", "2021年3月5日印发", True),
        # a concentration asked in its unit is not answered by its change in percent
        ("PM2.5平均浓度具体是多少微克每立方米？", "PM2.5平均浓度下降27.5%", False),
        ("PM2.5平均浓度具体是多少微克每立方米？", "PM2.5平均浓度为29微克/立方米", True),
        # by how much a size grew or spending was cut is a rate, as for 增加了多少
        ("大学招生规模比前一年扩了多少？", "普通高等学校招生规模比上年扩大47．4%", True),
        ("大学招生规模比前一年扩了多少？", "国家财政收入比上年增加1501亿元", False),
        ("中央国家机关的“三公”经费压下来多少？", "中央国家机关“三公”经费减少35%", True),
        ("中央国家机关的“三公”经费压下来多少？", "人均基本公共卫生服务经费标准由25元提高到30元", False),
        # … but "减少了多少" stays a count: people are counted, not given as a rate
        ("上一年农村贫困人口减少了多少？", "农村贫困人口减少1386万", True),
        # litres and vehicles are counted in their own units
        ("排量标准是多少升以下？", "小排量汽车购置税按7.5%征收", False),
        ("排量标准是多少升以下？", "对1.6升及以下排量乘用车减按7.5%征收", True),
        ("新能源汽车打算推广多少辆？", "淘汰燃煤小锅炉5万台", False),
        ("新能源汽车打算推广多少辆？", "推广新能源汽车60万辆", True),
        # a quota ("额度") is an amount of money: "每半年至少结算一次" counts nothing asked
        ("科技创新券每家企业一年最多能领多少额度？", "科技创新券每半年至少结算一次", False),
        ("科技创新券每家企业一年最多能领多少额度？", "每家企业每年最高可兑现50万元", True),
        # a date asked is not the year the question names itself
        ("2019年度重点专项对项目负责人的出生日期卡在什么时候？", "现将2019年度项目申报指南予以公布", False),
        ("2019年度重点专项对项目负责人的出生日期卡在什么时候？", "须1959年1月1日以后出生", True),
        # "哪几种" asks which ones, not how much of the 奖励 it names
        (
            "国家科学技术奖励条例规定的国家科学技术奖有哪几种？",
            "设立下列国家科学技术奖：国家最高科学技术奖",
            True,
        ),
    ],
)
def test_figure_kind_must_appear_in_the_quote(question, quote, ok):
    assert quote_answers(question, quote) is ok, asked_figure(question)


@pytest.mark.parametrize(
    "question, name, explicit",
    [
        ("国家最高科学技术奖的奖金具体是多少万元？", "money", True),
        ("发明专利第一年的年费是多少元？", "money", True),
        ("比例具体是百分之几？", "percentage", True),
        ("自治区科技成果转化基金的年化收益率是多少？", "percentage", True),  # a rate asked
        ("城镇调查失业率目标是多少？", "percentage", True),
        ("元素被电离的比率可以从哪一物理量确定？", "percentage", False),  # asks which, not how much
        ("火电站的装机容量是多少兆瓦？", "count of 兆瓦", True),
        ("上一年全国粮食收成有多少万吨？", "count of 万吨", True),  # not money for its "多少万"
        ("共支持多少个项目？", "count of 个", True),
        ("城镇新增就业目标是多少万人？", "count of 人", True),  # people, not money
        ("最迟几天给结果？", "count of 天", True),
        ("成立以后多少天之内得去备案？", "count of 天", True),  # "以后多少天" is no "后几名"
        ("上一年农村贫困人口减少了多少？", "count", False),  # people reduced are counted, not a rate
        # "给几家…，…发多少": 几 in a clause before the one that asks says "some"
        ("为了给几家国有大行补充资本，准备发多少亿元特别国债？", "money", True),
        ("这几家国有大行一共有几家？", "count of 家", True),
        ("奖金数额怎么确定，是多少？", "money", False),  # a topic word: the learned check weighs it
        ("规定在第几条？", "count of 条", False),  # an article, cited by the answer's label
        ("其中拿多少支持消费品以旧换新？", "count", False),  # "支持" is a verb, not a classifier
        # "好几年": several years, not how many; the amount is what is asked
        ("从今年开始好几年连续发的那种国债，第一年发多少？", "money", False),
        ("2001年国内生产总值是多少？", "money", False),
        ("攒到一起专门支持重大科技创新的那笔钱有多少？", "money", False),  # the money named first
        ("那笔资金一共有多少个项目？", "count of 个", True),  # counted things, not the money
        # a threshold asked in so many words: "用电效率…硬指标" is answered by "降到1.3以下", no share
        ("对大机房的用电效率有什么硬指标？", "count", False),
        ("山东的数字化发展水平得了多少分？", "count of 分", True),
    ],
)
def test_a_figure_asked_with_its_unit_is_explicit(question, name, explicit):
    figure = asked_figure(question)
    assert (figure.name, figure.explicit) == (name, explicit)


@pytest.mark.parametrize(
    "question, quote, ok",
    [
        ("装机容量是多少兆瓦？", "特变电工与塔吉克斯坦政府合作建设杜尚别2号火电站项目。", False),
        ("装机容量是多少兆瓦？", "电站装机容量为50兆瓦。", True),
        ("登记机构最迟几天给结果？", "应当自受理之日起15个工作日内办理", True),  # 日 answers 天
        ("经济增长定了多少预期目标？", "2000年是世纪交替之年。", False),  # a year is not the figure
        ("委员会的主任委员是谁？", "成立人工智能战略咨询委员会，研究重大问题。", False),
        ("委员会的主任委员是谁？", "咨询委员会主任委员由潘云鹤担任。", True),
        ("审议的是哪位总理所作的报告？", "审议了国务院总理李强所作的政府工作报告。", True),
        ("报告是由哪位国务院总理作的？", "现在，我代表国务院向大会作政府工作报告。", False),
        # "领导同志" names a rank, not a person
        ("领导小组的组长具体是哪位国务院领导？", "由国务院领导同志任组长，协调推进各项工作。", False),
        ("领导小组的组长具体是哪位国务院领导？", "由李强同志任组长。", True),
        ("本规范由谁发布？", "本规范由国家新一代人工智能治理专业委员会发布。", True),  # a body answers 由谁
        # Asked whether or when it was done: a plan or a start does not answer, a completion does.
        ("特别国债是否已经全部发行完毕？", "从今年开始拟连续几年发行超长期特别国债。", False),
        ("特别国债是否已经全部发行完毕？", "1万亿元超长期特别国债已全部发行完毕。", True),
        ("该中心是哪一年建成投入运营的？", "2019年，该中心启动建设。", False),
        ("该中心是哪一年建成投入运营的？", "该中心于2019年建成并投入运营。", True),
        ("2016年要完成多少农村贫困人口脱贫任务？", "要完成1000万人以上农村贫困人口脱贫任务。", True),
        # R&D intensity is spending as a share of GDP: a share of anything else does not give it.
        ("2018年全社会R&D经费投入强度是多少？", "R&D经费总支出40.21亿元，占全疆71%。", False),
        ("2018年全社会R&D经费投入强度是多少？", "七个创新园生产总值1837.7亿元，占全疆19.04%；", False),
        ("研发经费投入强度是多少？", "研发经费投入强度大幅提高。", False),
        ("研发经费投入强度是多少？", "全社会研发经费投入强度达到2.68%。", True),
        ("研发投入强度要达到多少？", "研究开发经费应当占本市国内生产总值的百分之四以上。", True),
        ("研发投入强度定了什么目标？", "研发经费与国内生产总值之比达到2.5%。", True),
        # Asked which body did or leads it: a plan naming no body does not say, one naming it does.
        ("第二轮融资由哪家机构领投？", "中科援疆基金4.6亿元，计划开展第二轮融资。", False),
        ("第二轮融资由哪家机构领投？", "第二轮融资拟由国投创业公司领投。", True),
        ("这项任务由哪个部门牵头？", "（省科技厅牵头，省财政厅配合）将建设一批创新平台。", True),
        ("第二轮融资由哪家机构领投？", "第二轮融资已完成，由多家机构参与。", True),  # done: the check decides
        # a start is no plan: the body that started it may have a name the check does not know
        ("参与推动试点工作的是哪个单位？", "乌鲁木齐海关参与推动“单一窗口”建设启动试点工作。", True),
        # Asked which provinces or cities: only a quote naming a place (not the one asked about) says.
        ("示范区的辐射区具体定了哪些县市？", "省人民政府可以在全省范围内遴选辐射区、辐射点。", False),
        ("西部的算力枢纽是哪几个省区？", "以8个国家算力枢纽、10个国家数据中心集群为重点。", False),
        ("西部的算力枢纽是哪几个省区？", "在内蒙古、贵州、甘肃、宁夏建设国家算力枢纽节点。", True),
        ("示范区包括哪些城市？", "郑州、洛阳、新乡国家高新技术产业开发区。", True),
        ("新疆在哪个城市建了离岸创新基地？", "在新疆建设离岸创新基地。", False),
        # Asked what was reached, a plan to invest ("投入") reaches nothing; put into use ("投入使用") is done.
        ("2020年研发投入强度实际达到了多少？", "研发经费投入年均增长7%以上、力争投入强度高于上期。", False),
        ("这个平台是否已经建好？", "该平台2019年底投入使用，计划再扩建一期。", True),
        # "重要转机" plans nothing
        ("2004年粮食实际打了多少？", "粮食生产出现重要转机，全年粮食总产量达到46947万吨。", True),
        ("2004年粮食实际打了多少？", "粮食总产量要稳定在46000万吨。", False),
        # Asked a score, a ranking that names the province gives none.
        ("山东的数字化发展水平得了多少分？", "浙江、北京、山东等地区数字化发展水平位居全国前10名。", False),
        ("山东的数字化发展水平得了多少分？", "山东数字化发展水平得分85.6分。", True),
    ],
)
def test_explicit_figures_and_persons(question, quote, ok):
    assert quote_answers(question, quote) is ok


def test_an_indicator_named_total_is_no_amount_asked():
    # "国内生产总值" names the indicator; its growth target is a rate, not a sum of money.
    assert asked_figure("2012年国内生产总值增长目标？") is None
    assert asked_figure("2012年地区生产总值增长率？").name == "percentage"


def test_an_efficiency_is_no_share_asked():
    # 效率, 频率, 功率 end in 率 but are no rates in per cent: "审批效率怎么提高" asks no figure.
    assert asked_figure("审批效率怎么提高？") is None
    assert asked_figure("城镇化率有什么目标？").name == "percentage"


def test_a_year_is_not_a_count():
    shows = asked_figure("定了多少预期目标？").shows
    assert not shows.search("2000年是世纪交替之年") and shows.search("2000年增长8%")
    assert shows.search("在实施转化成功投产后五年内")  # five years is a count; "最后一年" is not
    assert not shows.search("是全面实现第二步战略目标的最后一年") and shows.search(
        "确立三年实施的重大项目126项"
    )


def test_place_and_year_must_appear_in_the_evidence():
    evidence = search_key("新疆2018年科技报告 截至2018年，全疆有星创天地42个")
    quote = "星创天地42个"
    assert violations(QueryAnalysis.of("2018年西藏有多少个星创天地？"), evidence, quote) == [
        "资料未涉及“西藏”"
    ]
    # Years are kept by the scope (tests/query/test_scope.py), which knows documents' and relative years.
    assert violations(QueryAnalysis.of("2020年有多少个星创天地？"), evidence, quote) == []
    followup = QueryAnalysis.of("那西藏呢？", ["有多少个星创天地？"])
    assert followup.followup and followup.places == ["西藏"]
    assert violations(followup, evidence, quote) == ["资料未涉及“西藏”"]


def test_a_quote_about_other_places_does_not_answer_for_the_place_asked():
    question = QueryAnalysis.of("新疆离岸（大连）创新基地的孵化面积有多大？")
    passage = search_key("新疆离岸（大连）创新基地建成了五个孵化平台。已在北京、上海、深圳等地建设离岸孵化器")
    aggregate = "已在北京、上海、深圳等地建设离岸孵化器（基地）6家，孵化总面积3.2万平方米"
    assert violations(question, passage, aggregate, frozenset({"新疆"})) == [
        "引文说的是其他地方，未提到“大连”"
    ]
    assert violations(question, passage, "大连基地孵化面积1万平方米", frozenset({"新疆"})) == []
    # A city in the province asked is no other place, nor is anything in the document's own region.
    zhejiang = QueryAnalysis.of("浙江对科技成果转化奖励有什么规定？")
    assert violations(zhejiang, search_key("浙江省 杭州市奖励"), "杭州市给予奖励", frozenset({"杭州"})) == []
    local = QueryAnalysis.of("新疆有多少个星创天地？")
    assert (
        violations(
            local, search_key("新疆 乌鲁木齐有星创天地12个"), "乌鲁木齐有星创天地12个", frozenset({"新疆"})
        )
        == []
    )


@pytest.mark.parametrize(
    "question, quote, ok",
    [
        ("确立了多少个三年实施的重大项目？", "确立了三年实施的重大项目126项", True),
        ("五地七园先后出台了多少项政策文件？", "出台科技创新券实施办法等30余项政策文件", True),
        ("乌昌石国家自主创新示范区由哪几个高新区组成？", "乌鲁木齐、昌吉、石河子高新技术产业开发区", True),
        ("已经带出了多少支队伍和公司？", "孵化团队及企业166家", True),
        ("带动了多少户农牧民？", "孵化团队及企业166家", False),
    ],
)
def test_classifiers_are_interchangeable_within_their_group(question, quote, ok):
    assert quote_answers(question, quote) is ok


@pytest.mark.parametrize(
    "question, amount",
    [
        ("单位从技术交易收益中提取奖励的比例不低于多少？", True),
        ("对青少年门票优惠到几折？", True),
        ("规定全社会研发经费占生产总值比例的是第几条？", False),  # an article, not a size
        ("余男的表现为她囊括几乎所有重要奖项的是哪部影片？", False),
        ("那几年什么帮派势力最大？", False),
        ("好几年连续发行的国债怎么安排？", False),
        ("审批要多快办结？", False),  # how fast a procedure is done: no amount
        ("比例是怎么规定的？", False),
    ],
)
def test_how_much_asked_in_so_many_words(question, amount):
    assert QueryAnalysis.of(question).amount is amount


def test_asked_how_much_a_quote_without_any_number_is_refused_outright():
    from policyqa.query.constraints import NO_NUMBER

    def reasons(question, quote):
        return violations(QueryAnalysis.of(question), search_key(quote), quote)

    asked = "上海市技术市场条例规定，单位从技术交易收益中提取奖励给直接完成人的比例不低于多少？"
    # The right words, no number: it cannot say how much (an article's own number counts nothing).
    assert NO_NUMBER in reasons(
        asked, "第二十一条 法人和其他组织可以从技术交易的收益中提取一定比例作为奖励。"
    )
    # A number of another kind is the learned check's to weigh, not a veto.
    assert NO_NUMBER not in reasons(asked, "技术交易额达到500亿元。")
    assert NO_NUMBER not in reasons(asked, "奖励比例不低于百分之五十。")
    # Asked how it is laid down, not how much: a rule without a number answers.
    assert NO_NUMBER not in reasons("奖励比例是怎么规定的？", "可以从技术交易的收益中提取一定比例。")


def test_a_share_the_question_states_is_no_share_asked():
    from policyqa.query.figures import asked_figure

    assert asked_figure("中山市国内生产总值有百分之2.5属于哪一产业？") is None
    assert asked_figure("研发经费占GDP百分之几？").name == "percentage"


def test_a_persons_name_is_found_and_a_place_taken_for_one_is_not():
    from policyqa.query.constraints import names_person

    assert names_person("国家科学技术奖励委员会主任由李强担任。")
    assert names_person("潘云鹤院士牵头。")
    assert not names_person("由国务院领导同志任组长，办公室设在国务院办公厅。")
    # jieba tags 昌吉, 石河子 and 乌昌石 as names: listed places, and a word before 国家…示范区, are none
    approved = "国务院批复同意乌鲁木齐、昌吉、石河子高新技术产业开发区建设乌昌石国家自主创新示范区。"
    assert not names_person(approved)
    assert names_person(approved, places=())  # read without the places it names


def test_an_indicator_asked_by_its_abbreviation_must_be_written_in_some_form():
    from policyqa.query.constraints import OTHER_INDICATOR

    m2 = QueryAnalysis.of("2024年报告给M2定的增长目标是多少？")
    assert f"{OTHER_INDICATOR}“M2”" in violations(m2, "", "今年发展主要预期目标是：国内生产总值增长5%左右；")
    assert not violations(m2, "", "广义货币供应量M2和社会融资规模增速同名义经济增速基本匹配。")
    pue = QueryAnalysis.of("大型数据中心的PUE要降到多少？")
    assert not violations(pue, "", "大型、超大型数据中心运行电能利用效率降到1.3以下。")
    # GDP's growth is written as the economy's: "经济增长6.5%" answers "GDP增长目标".
    gdp = QueryAnalysis.of("2017年GDP增长目标是多少？")
    assert not violations(gdp, "", "经济增长6.5%左右，在实际工作中争取更好结果。")


def test_a_region_of_the_country_asked_is_not_answered_by_a_quote_about_another():
    from policyqa.query.constraints import other_region

    asked = "2003到2007年这五年，中央财政支持东北老工业基地振兴一共投了多少钱？"
    assert other_region(asked, "转移支付累计4.25万亿元，87%用于支持中西部地区") == "东北"
    assert other_region(asked, "支持东北地区等老工业基地振兴，中央财政投入300亿元") is None
    assert other_region(asked, "中央财政转移支付累计4.25万亿元") is None  # names no region: may answer
    # 中西部 is both; a region inside a word is none ("其中部分", "广东部分地区").
    assert other_region("中部地区崛起投了多少？", "87%用于支持中西部地区") is None
    assert other_region("西部大开发投了多少？", "其中部分资金用于广东部分地区") is None


def test_a_start_is_no_completion_unless_the_start_is_what_is_asked():
    quote = "新开工改造城镇老旧小区5.6万个，惠及近千万家庭。"
    done = QueryAnalysis.of("那实际干了多少？", ["2021年老旧小区新开工改造的目标是多少个？"])
    assert done.done and not violations(done, search_key(quote), quote)
    finished = QueryAnalysis.of("2021年老旧小区改造实际完成了多少个？")
    reasons = violations(finished, search_key(quote), quote)
    assert finished.done and "引文只说了计划或开始，没有说已经完成" in reasons


def test_a_penalty_asked_is_answered_only_by_a_quote_that_names_one():
    asked = QueryAnalysis.of("上海2024年版的科技进步条例里，科研人员弄虚作假的，罚款具体是多少？")
    effect = "第四十七条 本条例自2024年6月1日起施行。"
    assert "引文中没有所问的处罚" in violations(asked, search_key(effect), effect)
    fine = "第三十九条 弄虚作假的，由科学技术行政部门责令改正，处一万元以上五万元以下的罚款。"
    assert "引文中没有所问的处罚" not in violations(asked, search_key(fine), fine)
    # "怎么罚" is answered by any penalty, a fine or not
    how = QueryAnalysis.of("骗取奖励的怎么处罚？")
    revoked = "骗取奖励的，由有关部门撤销奖励，追回奖金。"
    assert "引文中没有所问的处罚" not in violations(how, search_key(revoked), revoked)
    # a question that asks no penalty puts no such demand
    plain = QueryAnalysis.of("条例自哪天起施行？")
    assert "引文中没有所问的处罚" not in violations(plain, search_key(effect), effect)
    # how a case is dealt with is no penalty asked
    handled = QueryAnalysis.of("单位没约定职务发明报酬的情形是怎么处理的？")
    assert "引文中没有所问的处罚" not in violations(handled, search_key(effect), effect)


def test_a_digit_of_a_name_is_no_number():
    # "5G" names a technology: a quote whose only digit is in it gives no figure.
    asked = QueryAnalysis.of("2025年的算力目标是多少？")
    named = "扩大5G规模化应用，优化全国算力资源布局。"
    assert NO_NUMBER in violations(asked, search_key(named), named)
    counted = "建设5G基站60万个。"
    assert NO_NUMBER not in violations(asked, search_key(counted), counted)
