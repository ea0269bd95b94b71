"""What a sentence says, read against the question (query/sentences.py)."""

from policyqa.query.analysis import QueryAnalysis
from policyqa.query.sentences import content_years, enumeration_end, figure_of, reviews, sets_plan

from ..conftest import candidates, fake_engine_over


def test_a_sentence_opening_on_the_year_it_is_to_reach_sets_a_target():
    assert sets_plan("到2035年，整体协同、公平普惠的数字政府基本建成。", 2022)
    assert not sets_plan("到2002年底，高速公路通车里程达到2.5万公里。", 2003)  # a review's result
    assert sets_plan("到2035年，数字政府基本建成。", None)  # an undated document's horizon
    # "规模以上" is a size class of firms, not a floor set for a figure
    assert not sets_plan("规模以上工业增加值增长9.6%。", 2019)
    assert sets_plan("粮食产量保持在1.3万亿斤以上。", 2023)


def test_an_enumeration_of_long_paragraphs_is_no_list_to_quote():
    work = "今年要重点抓好八个方面工作：\n（一）" + "着力扩大国内需求，" * 60 + "。\n（二）其他。"
    assert enumeration_end(work, 0, work.index("\n")) is None


def test_what_a_figure_measures_is_written_in_its_own_clause(tmp_path):
    from policyqa.text.normalize import search_key

    report = (
        "政府工作报告\n\n今年经济社会发展的主要预期目标是：国内生产总值增长6%－6.5%；"
        "农村贫困人口减少1000万以上，居民收入增长与经济增长基本同步；居民消费价格涨幅3%左右。\n"
    )
    engine = fake_engine_over({"report": report}, tmp_path, abstain_threshold=0.0)
    asked = engine.analyze("经济增长目标是多少？")
    shows = asked.figure.shows  # any figure: a pattern that reads a bare digit, as "1增长" has one
    assert figure_of(search_key("国内生产总值增长6%－6.5%；"), shows, asked.subject)
    # The count is of people out of poverty; 增长 is the next clause's.
    assert not figure_of(
        search_key("农村贫困人口减少1000万以上，居民收入增长与经济增长基本同步；"), shows, "增长"
    )
    # 增长 only qualifies what the figure gives ("经济增长的贡献率"); a role word after 的 does not.
    assert not figure_of(search_key("科技进步对经济增长的贡献率达到60%"), shows, "增长")
    assert figure_of(search_key("地方政府专项债券的规模为2.15万亿元"), shows, "债券")
    assert figure_of(search_key("科技型企业总量达3186家，占全疆的15.6%"), shows, "全疆")
    share = engine.analyze("占全疆多大比重？")  # a percentage, matched from its last digits ("5.6%")
    assert figure_of(search_key("科技型企业总量达3186家，占全疆的15.6%"), share.figure.shows, "占全疆")
    # A unit asked with its classifier ("多少个小时") stands by every time written in it: no subject.
    assert not figure_of(search_key("作用可在3到4個小時內消失"), shows, search_key("個小時"))
    # Both sentences hold every word of the question; the figure standing by 增长 is the target.
    assert "国内生产总值增长6%" in candidates(engine, asked.text)[0].text


def test_a_later_review_of_a_year_sets_no_target_for_it():
    """ "2020年城镇新增就业目标是多少？" with no 2020 report: the 2021 report's "城镇新增就业1186万人"
    tells what 2020 achieved, not what it aimed at; a review that writes a plan's words still may."""

    achieved = "城镇新增就业1186万人，年末全国城镇调查失业率降到5.2%。"
    assert reviews(achieved, frozenset({2020}), {2020}, 2021)
    assert not reviews("全年主要目标任务较好完成。", frozenset({2020}), {2020}, 2021)
    assert not reviews(achieved, frozenset({2020}), {2020}, 2020)  # the year's own report
    assert not reviews(achieved, frozenset({2020}), {2019}, 2021)  # not about the asked year
    assert not reviews(achieved, frozenset({2020}), {2020}, 0)  # a document of no known year


def test_a_year_beyond_the_plan_period_named_is_what_is_asked_of_the_plan():
    # "“十四五”…规划" names the plan; 2035 is the year asked about, not 2021–2025 as well.
    beyond = QueryAnalysis.of("“十四五”智能制造规划里，到2035年示范工厂要建到多少个？")
    assert content_years(beyond) == {2035}
    within = QueryAnalysis.of("“十四五”智能制造规划里，到2025年示范工厂要建到多少个？")
    assert content_years(within) == {2021, 2022, 2023, 2024, 2025}
    assert content_years(QueryAnalysis.of("“十四五”期间研发投入强度要达到多少？")) == set(range(2021, 2026))
