"""A question read in its conversation: follow-ups joined to the turn they follow, another year or place put
in, the earlier figure asked again."""

from policyqa.query.analysis import QueryAnalysis
from policyqa.query.followup import resolve_query

from ..conftest import fake_engine_over


def test_follow_up_is_resolved_with_history(fake_engine):
    first = "自治区科技成果转化基金有多少？"
    assert resolve_query("那中科援疆基金呢？", [first]) == f"{first} 那中科援疆基金呢？"
    assert resolve_query("试验区总体规划了多少个重大项目？", [first]) == "试验区总体规划了多少个重大项目？"
    answer = fake_engine.ask("那中科援疆基金呢？", history=[first])
    assert not answer.abstained and "4.6亿元" in answer.answer


def test_follow_up_about_the_year_after_or_before_shifts_the_year():
    first = "2005年拟发行多少长期建设国债？"
    # The word that moved the year has done its work: it would count another year on from the new one.
    assert resolve_query("次年减到多少了？", [first]) == "2006年拟发行多少长期建设国债？ 减到多少了？"
    assert resolve_query("前一年呢？", [first]).startswith("2004年拟发行")
    assert QueryAnalysis.of("第二年呢？", [first]).years == [2006]
    # A comparison's baseline ("跟前一年比") moves nothing: it asks about the year talked about.
    assert resolve_query("跟前一年比高了多少？", [first], continued=True).startswith("2005年拟发行")
    deficit = "2011年的报告里赤字率打算压到多少？"
    assert resolve_query("下一年的报告呢？", [deficit]) == "2012年的报告里赤字率打算压到多少？ 的报告呢？"


def test_a_follow_up_about_the_five_years_before_or_after_shifts_the_plan():
    review = "2006年那份报告回头看“十五”，五年下来GDP一共涨了多少？"
    assert resolve_query("那上一个五年呢？", [review]).startswith("2001年那份报告回头看“九五”")
    jobs = "“十一五”那几年，城里一共新增了多少就业？"
    assert resolve_query("那下一个五年呢？", [jobs]).startswith("“十二五”那几年")
    assert resolve_query("那再往后那五年呢？", ["十三五期间脱贫多少人？"]).startswith("十四五期间")


def test_a_follow_up_to_a_follow_up_reads_the_question_they_follow():
    # "2010年呢？" after "那2009年呢？" asks the growth target of 2010, not "那2009年呢？" of 2010.
    turns = ["2008年的经济增长目标是多少？", "那2009年呢？"]
    assert resolve_query("2010年呢？", turns).startswith("2010年的经济增长目标是多少？")
    analysis = QueryAnalysis.of("2010年呢？", turns)
    assert analysis.years == [2010]
    # Its own words only name the year: what is asked, and of what, is the earlier turn's.
    assert analysis.focus_terms == analysis.terms and "增长" in analysis.terms
    assert (analysis.subject, analysis.tense) == ("增长", "plan")
    own = QueryAnalysis.of("居民消费价格涨幅呢？", turns)
    assert set(own.focus_terms) < set(own.terms) and "价格" in "".join(own.focus_terms)
    # A new question ends the chain: what follows it is read with it alone.
    turns += ["2019年专项债券安排多少？", "那2020年呢？"]
    assert resolve_query("2021年呢？", turns).startswith("2021年专项债券安排多少？")
    assert resolve_query("2021年呢？", turns[:1]) == "2021年的经济增长目标是多少？ 2021年呢？"


def test_a_bare_how_much_after_a_question_asks_the_earlier_figure_again():
    first = "2024年安排地方政府专项债券多少亿元？"
    # "是多少？" reads as a count on its own; after the sum asked it asks that sum, in 亿元, again.
    assert QueryAnalysis.of("是多少？").figure.name == "count"
    # (nor does a year or a version "定" ask anything else: jieba cuts "年定", "一版定" as words)
    for later in ("是多少？", "那2022年是多少？", "那2022年定的是多少？", "那上一版定的是多少？"):
        figure = QueryAnalysis.of(later, [first], continued=True).figure
        assert (figure.name, figure.explicit) == ("money", True), later
    # Words of its own ask their own figure: a count of projects is a count.
    assert QueryAnalysis.of("有多少个项目？", [first], continued=True).figure.name == "count of 个"


def test_follow_up_naming_another_place_reads_the_earlier_turn_with_it():
    first = "上海市促进科技成果转化条例规定的奖励比例是多少？"
    assert resolve_query("北京的呢？", [first]) == "北京促进科技成果转化条例规定的奖励比例是多少？ 北京的呢？"
    assert QueryAnalysis.of("北京的呢？", [first]).places == ["北京"]
    # "那部条例" points back as "这个" does; the old place's suffix goes with it (not "浙江市…条例").
    earlier = "北京市促进科技成果转化条例什么时候开始施行？"
    assert resolve_query("浙江的那部条例又是哪天施行的？", [earlier]).startswith("浙江促进科技成果转化条例")
    # A city inside the province asked about narrows it: the earlier turn stays as it was.
    assert resolve_query("那青岛呢？", ["山东省的罚款是多少？"]) == "山东省的罚款是多少？ 那青岛呢？"
    assert resolve_query("那兵团呢？", ["新疆有多少个星创天地？"]) == "新疆有多少个星创天地？ 那兵团呢？"


def test_follow_up_inherits_the_year_of_the_latest_turn_that_names_one():
    history = ["2011年的赤字率是多少？", "财政赤字安排了多少？"]
    analysis = QueryAnalysis.of("其中中央财政赤字多少？", history)
    assert analysis.followup and analysis.years == [2011]
    assert QueryAnalysis.of("其中中央财政赤字多少？", []).years == []
    # Not worded as a follow-up, still in the conversation: searched alone, scoped by the earlier year.
    kept = QueryAnalysis.of("登记失业率要控制在多少？", ["2014年城镇新增就业目标是多少？"])
    assert not kept.followup and kept.text == "登记失业率要控制在多少？" and kept.years == [2014]


def test_follow_up_with_new_place_still_abstains(fake_engine):
    answer = fake_engine.ask("那西藏呢？", history=["截至2018年，全疆入网登记的科技型企业有多少家？"])
    assert answer.abstained and any("西藏" in r for r in answer.reasons)


def test_chat_history_messages_are_accepted(fake_engine):
    history = [
        {"role": "user", "content": "自治区科技成果转化基金有多少？"},
        {"role": "assistant", "content": "3亿元"},
    ]
    assert resolve_query("那中科援疆基金呢？", history).startswith("自治区科技成果转化基金有多少？")


def test_a_followup_asks_the_earlier_figure_only_when_it_asks_nothing_of_its_own():
    again = QueryAnalysis.of("那2022年呢？", ["2021年赤字规模是多少亿元？"])
    assert again.figure.name == "money" and again.figure.explicit
    own = QueryAnalysis.of("那国际科学技术合作奖分不分等级？", ["国家最高科学技术奖的奖金是多少万元？"])
    assert own.followup and own.figure is None
    assert QueryAnalysis.of("那由哪个部门负责呢？", ["科技贷款发放了多少亿元？"]).figure is None
    # The words that moved the year have done their work: what the follow-up asks is its other words.
    moved = QueryAnalysis.of("那前一年实际涨了多少？", ["2008年报告定的物价涨幅控制目标是多少？"])
    assert set(moved.focus_terms) == {"实际"}
    assert set(QueryAnalysis.of("那2014年实际呢？", ["2013年GDP实际涨了多少？"]).focus_terms) == {"实际"}
    # Words that only move the year or the document ask the earlier figure again, as a year does.
    for moved in ("下一年的报告呢？", "那决议呢？", "2010年那版呢？"):
        again = QueryAnalysis.of(moved, ["2011年的报告里赤字率打算压到多少？"])
        assert again.figure.name == "percentage" and again.focus_terms == again.terms, moved


def test_a_follow_up_asking_what_came_of_another_year_reads_the_earlier_turn_without_its_report():
    from policyqa.query.followup import resolve_query

    # 2014's growth is given by the 2015 report: the earlier turn's "2014年报告" would name the wrong one.
    assert resolve_query("那2014年实际呢？", ["2014年报告回头看2013年，GDP实际涨了多少？"]).startswith(
        "2014年，GDP"
    )
    assert resolve_query("那前一年实际涨了多少？", ["2008年报告定的物价涨幅控制目标是多少？"]).startswith(
        "2007年定的物价涨幅"
    )
    # … and so is what came of the very year the report set a task for ("那一年最后实际完成了多少？").
    assert resolve_query("那一年最后实际完成了多少？", ["2018年报告给棚改定的开工任务是多少套？"]).startswith(
        "2018年给棚改定的"
    )
    assert resolve_query("那一年的赤字率呢？", ["2018年报告定的增长目标是多少？"]).startswith(
        "2018年报告定的"
    )
    # Asked how it turned out with no year at all ("实际执行下来呢？"), the year set stays the one asked.
    assert resolve_query("实际执行下来呢？", ["2016年的报告给M2定的增长目标是多少？"]).startswith(
        "2016年给M2"
    )
    # Asked the same of another year's report, the report is kept.
    assert resolve_query("那2021年呢？", ["2022年报告定的赤字率是多少？"]).startswith("2021年报告定的赤字率")


def test_the_year_before_the_one_talked_about_is_asked_by_a_question_of_its_own_words():
    from policyqa.query.analysis import QueryAnalysis

    asked = QueryAnalysis.of("前一年M2实际增长了多少？", ["2017年报告里M2增速的预期目标定的多少？"])
    assert asked.years == [2016] and asked.tense == "outcome"


def test_this_article_of_another_version_is_a_follow_up():
    from policyqa.query.followup import resolve_query

    earlier = ["国家科学技术奖励条例2020年那一版里，最高科技奖的奖金数额是谁说了算？"]
    assert resolve_query("2024年又改了一次，这一条现在改成什么了？", earlier).startswith(
        "国家科学技术奖励条例2024年那一版里，最高科技奖的奖金数额"
    )
    # A question of its own that names a year is no follow-up.
    assert resolve_query("2024年科技部印发了几个文件？", earlier) == "2024年科技部印发了几个文件？"


def test_a_relative_year_the_report_writes_asks_its_look_back():
    # "那份报告说的“去年”" is 2018 as the 2019 report looks back on it: the year moves, the report named
    # goes (the 2019 report is the one that tells 2018's outcome).
    earlier = ["2019年的报告定的铁路投资是多少？"]
    for own in ("那份报告说的“去年”新增了多少高铁运营里程？", "那报告里说的去年新增了多少高铁运营里程？"):
        read = resolve_query(own, earlier)
        assert read.startswith("2018年") and "报告定的" not in read, read
    # Said as the asker's own move, it asks the same of the earlier report.
    assert resolve_query("那去年呢？", earlier).startswith("2018年的报告")


def test_a_question_going_on_from_what_it_does_not_name_follows_the_turn_before():
    from policyqa.query.followup import is_followup

    assert is_followup("2018年又加到多少了？") and is_followup("最后完成了没有？")
    assert is_followup("第二年的报告怎么说的？")  # a year counted from the one talked about
    # A question naming what it asks about stands alone, whatever adverbs it uses.
    assert not is_followup("2020年全年GDP又增长了多少？")
    assert not is_followup("2001年城里吃低保的人，到年底扩大到了多少？")
    earlier = ["2016年给地方的专项债券额度是多少？"]
    assert resolve_query("2018年又加到多少了？", earlier).startswith("2018年给地方的专项债券")


def test_the_next_years_report_asked_for_an_outcome_is_where_the_outcome_is_told():
    earlier = ["2006年的报告对单位GDP能耗提了啥要求？"]
    read = resolve_query("最后完成了没有？第二年的报告怎么说的？", earlier)
    assert read.startswith("2006年对单位GDP能耗") and "第二年" not in read
    # Asked again of the next report, with no outcome, the year moves.
    assert resolve_query("下一年的报告呢？", earlier).startswith("2007年的报告")


def test_a_follow_ups_own_words_of_tense_come_before_the_earlier_turns():
    earlier = ["2013年能耗强度实际降了多少？"]
    assert QueryAnalysis.of("2014年又定了要降多少？", earlier, continued=True).tense == "plan"
    assert QueryAnalysis.of("那2014年呢？", earlier).tense == "outcome"  # none of its own: the earlier's


def test_the_other_side_of_town_and_country_asks_the_same_figure(tmp_path):
    # "那农村呢？" after the town's income growth asks that figure of the country, not any rural sentence.
    report = (
        "各位代表：\n\n一、2001年工作回顾\n\n过去一年，城镇居民人均可支配收入实际增长8.5%。"
        "农民人均纯收入实际增长4.2%。\n\n加快农村电网改造，降低农村用电价格，减轻了农民负担。"
        "深化农村税费改革。\n\n二、2002年工作任务\n\n今年要继续增加农民收入。\n"
    )
    engine = fake_engine_over({"report": report}, tmp_path, abstain_threshold=0.05)
    town = "2002年报告里讲，2001年城里人的收入实际涨了多少？"
    country = engine.ask("那农村呢？", history=[town])
    assert "4.2%" in country.answer and "电网" not in country.answer
