from policyqa.query.analysis import QueryAnalysis
from policyqa.text.event_years import dated_events, event_readings


def test_a_year_named_by_an_event_is_written_out():
    assert (
        dated_events("北京奥运那年，中央财政给廉租住房安排了多少钱？")
        == "2008年，中央财政给廉租住房安排了多少钱？"
    )
    assert dated_events("汶川特大地震那一年城里人均收入多少") == "2008年城里人均收入多少"
    assert dated_events("加入世贸组织那年") == "2001年"
    assert dated_events("新世纪头一年，低保扩大到多少") == "2001年，低保扩大到多少"
    assert dated_events("上海世博会的那一年") == "2010年"
    assert dated_events("疫情那年GDP增长多少") == "2020年GDP增长多少"
    assert dated_events("亚洲金融危机那年") == "1997年"  # not the 2008 crisis
    assert dated_events("北京冬奥会那年") == "2022年"  # not the summer games
    assert dated_events("闹非典那年，中央财政花了多少") == "2003年，中央财政花了多少"
    assert dated_events("2021年报告说疫情那年经济增长了多少") == "2021年报告说2020年经济增长了多少"


def test_an_anniversary_is_counted_from_its_founding():
    assert dated_events("新中国成立70周年那年，专项债安排了多少？") == "2019年，专项债安排了多少？"
    assert dated_events("建党一百周年那年") == "2021年"
    assert dated_events("改革开放四十周年那年") == "2018年"


def test_what_is_no_event_of_the_calendar_is_left_as_it_is():
    for text in (
        "四万亿那年的报告说",  # no year nobody disputes
        "1996年亚特兰大奥运会那年",  # dated already
        "伦敦奥运会那年",  # another games: a word joined to the event's front names another
        "非洲猪瘟疫情那年",
        "十三五开局那年",  # a plan's year: read by text.dates
        "那一年实际降了多少？",
        "奥运会期间北京的空气质量",  # no "那年": the event is the subject, not a date
        "疫情防控的投入有多少",
    ):
        assert dated_events(text) == text


def test_the_question_and_the_turns_before_it_are_read_with_the_event_dated():
    assert QueryAnalysis.of("北京奥运那年农村饮水安全实际解决了多少人？").years == [2008]
    followup = QueryAnalysis.of("那下一年呢？", ["世博会那年，新农合的财政补助提到每人多少？"])
    assert followup.years == [2011]


def test_the_answer_can_say_how_an_event_was_read():
    assert event_readings("北京奥运那年，中央财政给廉租住房安排了多少钱？") == ["“北京奥运那年”按2008年理解"]
    assert event_readings("新中国成立70周年那年") == ["“新中国成立70周年那年”按2019年理解"]
    assert event_readings("2008年中央财政给廉租住房安排了多少钱？") == []
    read = QueryAnalysis.of("世博会那年，新农合的财政补助提到每人多少？")
    assert read.readings == ("“世博会那年”按2010年理解",)
