"""What a question asks, read from its wording alone (asking.py)."""

import pytest

from policyqa.query.asking import (
    ASKS_BODY,
    answer_mode,
    asks_person,
    defined_term,
    exactness,
    tense,
)
from policyqa.query.figures import asked_figure


@pytest.mark.parametrize(
    "question, mode",
    [
        ("2024年和2025年的赤字率相比有什么变化？", "compare"),
        ("科技体制改革有哪些举措？", "list"),
        ("2023年经济增长预期目标是多少？", "fact"),
        ("科技部部长是谁？", "fact"),
        # Two reports named together are two sides; one report and the year asked in it are one.
        ("2018年和2019年的报告，铁路投资各要完成多少？", "compare"),
        ("2016年报告说，2015年城里新增加了多少个工作岗位？", "fact"),
    ],
)
def test_the_shape_of_an_answer_follows_the_question(question, mode):
    assert answer_mode(question, asked_figure(question)) == mode


def test_a_target_is_a_plan_and_what_was_achieved_an_outcome():
    assert tense("2023年经济增长预期目标是多少？") == "plan"
    assert tense("2022年城镇新增就业实际完成多少？") == "outcome"
    # A change told in the past ("降了") is a result; one to be made ("要降低") is not.
    assert tense("十一五那五年单位GDP能耗累计降了多少？") == "outcome"
    assert tense("2023年单位GDP能耗要降低多少？") is None
    assert tense("科技体制改革有哪些举措？") is None
    # "最后一年" names a year of a plan; "最后实际完成了多少" asks the result.
    assert tense("“十四五”最后一年的经济增长目标定了多少？") == "plan"
    assert tense("那一年最后实际完成了多少？") == "outcome"
    assert tense("2014年报告给能源消耗强度定的降幅是多少？") == "plan"  # the target set for it
    assert tense("条例规定的罚款是多少？") is None


def test_a_meaning_a_person_and_a_body_are_asked_in_so_many_words():
    assert defined_term("本法所称科技成果是指什么？") == "科技成果"
    assert defined_term("科技成果转化有哪些举措？") is None
    # An adverb between the term and the asking, and "哪些" for "什么".
    assert defined_term("农技推广法里说的“农业技术”，具体指的是哪些东西？") == "农业技术"
    assert asks_person("科技部部长是谁？") and not asks_person("科技部在哪一年成立？")
    assert asks_person("领导小组的组长具体是谁，叫什么名字？")  # an adverb between role and 是谁
    assert not asks_person("这个示范区叫什么名字？")  # a place's or a programme's name is no person's
    assert asks_person("带队去调研的科技厅领导叫什么？") and asks_person("科技厅厅长叫什么？")
    assert not asks_person("那个基金叫什么？")
    assert ASKS_BODY.search("新政办发〔2018〕74号是哪个部门印发的？")
    assert not ASKS_BODY.search("科技部部长是谁？")


def test_numbers_latin_names_and_titles_make_a_question_exact():
    assert exactness("科技体制改革有哪些举措？") == 0.0
    assert exactness("新政办发〔2018〕74号是哪个部门印发的？") == 1.0
    assert 0.0 < exactness("《科普法》规定了什么？") <= 1.0


def test_what_came_of_a_thing_in_the_end_asks_it_done_but_real_growth_does_not():
    from policyqa.query.asking import asks_done

    assert asks_done("中科援疆基金第二轮融资最后实际募到了多少钱？")
    assert asks_done("深化改革任务最终完成了几项？")
    assert not asks_done("2017年经济实际增长多少？")
    assert not asks_done("2019年实际利用外资多少亿美元？")
    assert not asks_done("2014年GDP实际涨了多少？")  # real growth, said as officials say it


def test_each_of_two_years_asked_is_a_comparison():
    from policyqa.query.asking import COMPARE

    assert COMPARE.search("2001年和2002年的报告，长期建设国债各安排了多少？")
    assert COMPARE.search("2011年和2012年的赤字率各定在多少？")
    assert not COMPARE.search("2014年国务院各部门取消了多少项审批？")


def test_what_a_thing_came_to_in_the_end_is_no_completion_asked():
    from policyqa.query.asking import asks_done

    assert not asks_done("五地七园陆续拿出的三十多项政策文件，最终构成了什么？")
    assert asks_done("改革任务最后完成了几项？")


def test_a_size_asked_with_duoda_and_a_demonstrative_count_that_asks_nothing():
    # "产业要做到多大" asks a figure, as "多少" does; "多大作用" asks none.
    assert asked_figure("到2025年人工智能核心产业要做到多大？").name == "count"
    assert asked_figure("科技创新对经济增长起了多大作用？") is None
    assert asked_figure("多倫多大學的主要校區是哪個校區?") is None  # 多伦多大学, a name
    assert asked_figure("许多大型企业有什么要求？") is None
    # "那几个重点专项" points at them: the question asks no count.
    assert asked_figure("2019年度智能机器人那几个重点专项申报，项目负责人年龄有什么要求？") is None
    assert asked_figure("成立之初的那几年什么帮派势力最大？") is None  # those years, not how many
    assert asked_figure("试验区规划了几个重大项目？").name.startswith("count")
    # "几个人" counts persons, whom "不超过2名" counts too; "几个人工智能…" counts no persons.
    persons = asked_figure("国家最高科学技术奖每次最多能评几个人？")
    assert persons.name == "count of 人" and persons.shows.search("每次授予人数不超过2名")
    assert asked_figure("建了几个人工智能创新平台？").name == "count of 个"


def test_money_asked_after_another_figure_or_as_a_subsidy():
    # "那钱呢？" after a count of households asks the money.
    assert asked_figure("那钱呢？").name == "money"
    assert asked_figure("那笔资金呢？").name == "money"
    assert asked_figure("钱怎么管？") is None
