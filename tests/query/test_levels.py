"""The tier of government a figure is for (levels.py)."""

from policyqa.query.analysis import QueryAnalysis
from policyqa.query.levels import other_tier, tiers


def test_tiers_are_read_from_words_naming_them_not_from_place_names():
    assert tiers("上海新改的科技进步条例，区里财政的科技钱") == {"区县"}
    assert tiers("乡镇、街道这一级每年按人头得安排多少") == {"乡镇"}
    assert tiers("到2015年省、市、县财政科技经费占本级经常性支出的比例") == {"省", "市", "区县"}
    assert tiers("省、市、县（市、区）财政用于科学技术经费") == {"省", "市", "区县"}
    assert tiers("其中中央财政赤字是多少？") == {"中央"}
    assert tiers("2009年地方各级财政安排的社会保障资金是多少？") == {"地方"}
    # a place's name, and a county among those counted, name no tier
    assert tiers("上海市科学技术进步条例") == frozenset()
    assert tiers("160个国家乡村振兴重点帮扶县里，西藏占几个？") == frozenset()
    # a tier's own department is the tier's; a zone's is not
    assert tiers("应当在设立后的十五日内向市科学技术行政部门备案") == {"市"}
    assert tiers("到区科委备案") == {"区县"}
    assert tiers("示范区科技创新") == frozenset()
    # a follow-up naming the tier after 那 ("那区一级财政的呢")
    assert tiers("那区一级财政的科技投入呢，基础研究要占多少？") == {"区县"}
    assert tiers("新区一级") == frozenset()


def test_a_figure_for_another_tier_does_not_answer_the_tier_asked():
    district = QueryAnalysis.of("上海新改的科技进步条例，区里财政的科技钱用于基础研究的比例最低是多少？")
    assert other_tier(district, ["市级财政科技创新资金用于基础研究的比例原则上不低于三分之一。"])
    city = QueryAnalysis.of("上海科技进步条例规定，市级财政的科技钱用于基础研究的比例最低是多少？")
    assert not other_tier(city, ["市级财政科技创新资金用于基础研究的比例原则上不低于三分之一。"])
    # A clause that names no tier may be the one asked: no refusal.
    assert not other_tier(district, ["财政科技资金用于基础研究的比例不低于三分之一。"])
    # Asked no tier, any tier's figure may answer.
    plain = QueryAnalysis.of("上海科技进步条例规定用于基础研究的比例最低是多少？")
    assert not other_tier(plain, ["市级财政科技创新资金用于基础研究的比例原则上不低于三分之一。"])


def test_a_clause_saying_nothing_asked_is_no_tiers_figure():
    township = QueryAnalysis.of("杭州的科技进步条例里，乡镇、街道这一级每年按人头得安排多少科普的钱？")
    tiers_sums = (
        "市财政每年应当安排人均不少于20元的科学技术普及专项经费，区、县（市）财政每年应当安排不少于人均10元。"
    )
    pension = "对其中从事农业技术工作累计三十年以上的，退休后其退休费按照基本工资的百分之百计发。"
    assert other_tier(township, [tiers_sums, pension])
    assert other_tier(township, [tiers_sums])


def test_a_figure_for_another_level_of_designation_does_not_answer_the_level_asked():
    from policyqa.query.levels import other_designation

    park = "支持高校建设大学科技园，对高校新获批（认定）的国家级大学科技园，给予最高300万元补助。"
    assert other_designation(QueryAnalysis.of("那评上省级大学科技园的，济南给多少？"), [park]) == (
        "省级",
        "国家级",
    )
    assert other_designation(QueryAnalysis.of("新获批国家级大学科技园的，济南给多少？"), [park]) is None
    spaces = "对新认定的国家级众创空间给予50万元，省级众创空间给予30万元。"
    assert other_designation(QueryAnalysis.of("新认定的市级众创空间给多少？"), [spaces]) == ("市级", "国家级")
    assert other_designation(QueryAnalysis.of("新认定的省级众创空间给多少？"), [spaces]) is None
    # a figure for the thing at no level may be any level's; "全省" names no level of designation
    any_level = "对新认定的孵化器给予50万元。国家级孵化器给予100万元。"
    assert other_designation(QueryAnalysis.of("新认定的省级孵化器给多少？"), [any_level]) is None
    assert (
        other_designation(QueryAnalysis.of("全省高新技术企业有多少家？"), ["全省高新技术企业达到2.6万家。"])
        is None
    )
    # a quote of no words at all is no designation (and no error)
    assert other_designation(QueryAnalysis.of("新认定的省级孵化器给多少？"), ["", "。；"]) is None


def test_a_figure_for_town_does_not_answer_for_country():
    from policyqa.query.levels import other_side

    rural = QueryAnalysis.of("2003年中央财政拿给农村低保的补助资金有多少？")
    urban_only = "其中用于城市居民最低生活保障的补助资金由上年46亿元增加到92亿元。"
    assert other_side(rural, [urban_only]) == ("农村", "城镇")
    jobs = "城镇新增就业1100万人以上，城镇调查失业率全年控制在5.5%以内。"
    assert other_side(QueryAnalysis.of("2022年农村新增就业目标是多少？"), [jobs]) == ("农村", "城镇")
    # the side asked, a clause naming no side, or both sides, may answer
    assert other_side(QueryAnalysis.of("城里新增就业的目标是多少？"), [jobs]) is None
    assert other_side(rural, ["补助资金由上年46亿元增加到92亿元。"]) is None
    both = "城市和农村居民最低生活保障的补助资金增加到92亿元。"
    assert other_side(rural, [both]) is None
    # asked no side, or the side given before "，那": nothing to tell apart
    assert other_side(QueryAnalysis.of("2022年新增就业目标是多少？"), [jobs]) is None
    turned = QueryAnalysis.of("城镇的低保补助给了92亿，那补助资金总共多少？")
    assert other_side(turned, [urban_only]) is None
    # 农民工 work in towns: a rural word only in that sense asks no side
    assert other_side(QueryAnalysis.of("农民工新增就业多少？"), [jobs]) is None
    # the clauses on the thing asked tell the side: a target beside it that shares only the word 目标
    # names no side ("国内生产总值增长6.5%" is no rural jobs figure)
    targets = "今年发展的主要预期目标是：国内生产总值增长6.5%－7%，城镇新增就业1000万人以上。"
    asked = QueryAnalysis.of("2016年那份报告，给农村新增就业定的目标是多少？")
    assert other_side(asked, [targets]) == ("农村", "城镇")
    # the national average of residents answers neither side alone
    income = QueryAnalysis.of("2017年的报告里，前一年农村居民人均可支配收入实际涨了多少？")
    assert other_side(income, ["全国居民人均可支配收入实际增长6.3%。"]) == ("农村", "全国")
    national = QueryAnalysis.of("2017年的报告里，前一年全国居民人均可支配收入实际涨了多少？")
    assert other_side(national, ["全国居民人均可支配收入实际增长6.3%。"]) is None
