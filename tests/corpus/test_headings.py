"""What a single line is: heading ranks, and the kind of document a title names."""

from policyqa.corpus.headings import heading_rank, title_kind


def test_heading_levels():
    assert (
        heading_rank("（一）贯彻落实") == 5
        and heading_rank("1.总体要求") == 6
        and heading_rank("（1）目标") == 7
    )
    assert heading_rank("2.5亿元") is None


def test_a_title_names_its_kind_by_its_last_word_but_a_method_is_no_law():
    assert title_kind("中华人民共和国促进科技成果转化法") == "法"
    assert title_kind("中华人民共和国宪法") == "法"
    assert title_kind("上海市科学技术进步条例（2024年修订）") == "条例"
    assert title_kind("科技成果转化管理办法") == "办法"
    assert title_kind("生成文法") is None and title_kind("遗传算法") is None


def test_an_unnumbered_part_named_by_the_year_it_reports_on_is_a_part():
    # The 2002 report opens its review of 2001 so, before "一、扩大和培育内需…".
    assert heading_rank("首先报告２００１年的工作") == heading_rank("一、扩大和培育内需") == 4
    assert heading_rank("首先报告２００１年的工作情况，请审议。") is None  # a sentence saying so
    assert heading_rank("下面报告一下今年的工作") is None
