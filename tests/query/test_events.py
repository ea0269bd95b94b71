"""Which event a date belongs to (events.py): a question asking the day one thing happened is not
answered by the day another did."""

import pytest

from policyqa.query.events import asked_events, date_events, dates_other_event

from ..conftest import candidates, fake_engine_over


@pytest.mark.parametrize(
    "question, events",
    [
        ("“科创济南”那套若干政策措施是哪年哪月哪日印发的？", {"issue"}),
        # a revision names the version; what is asked is when it took effect
        ("上海那个若干规定，2024年底重新修订以后是从哪天开始执行的？", {"effect"}),
        ("浙江省科学技术进步条例2011年修订后什么时候施行？", {"effect"}),
        ("2024年修订的上海市科学技术进步条例什么时候施行？", {"effect"}),
        ("市属高校每年几月几号之前交成果转化年度报告？", {"submit"}),
        # a revision is adopted at a meeting: one event
        ("科普法什么时候修订的？", {"adopt"}),
        ("专利法的第四次修正是哪一年、在哪次会议上通过的？", {"adopt"}),
        ("洛阳市科学技术进步条例的修正决定是哪天由河南省人大常委会批准的？", {"adopt"}),
        ("2024年修订的科普法是什么时候通过的，什么时候施行？", {"adopt", "effect"}),  # either day answers
        ("实施方案里的信息平台打算什么时候建好？", set()),  # 实施方案 names a kind of document
        ("这个文件的日期是哪天？", set()),  # no event named: nothing to tell dates apart by
        # the day of an observance, which a document's date line never gives
        ("2002年那版科普法规定的全国科普日是哪一天？", {"observance"}),
        ("条例的施行日是哪一天？", {"effect"}),
        ("技术交易的收益怎么分配？", set()),  # no day asked
    ],
)
def test_the_events_asked_are_those_named_but_the_version(question, events):
    assert asked_events(question) == events


@pytest.mark.parametrize(
    "sentence, events",
    [
        ("本政策措施自印发之日起施行，有效期至2025年12月31日。", [{"expire"}]),
        ("本规定自2025年1月1日起施行。", [{"effect"}]),
        ("（2024年11月28日上海市人民代表大会常务委员会第十七次会议修订）", [{"adopt"}]),
        # each date its own events, up to the next date
        (
            "（2002年6月29日全国人民代表大会常务委员会会议通过　根据2024年12月25日会议施行）",
            [{"adopt"}, {"effect"}],
        ),
        # a date line may record several events; approving a revision is adopting it
        ("2023年12月11日国务院令第769号公布并施行", [{"issue", "effect"}]),
        (
            "2019年7月26日河南省人民代表大会常务委员会会议批准的《关于修改〈洛阳市科学技术进步条例〉的决定》修正",
            [{"adopt"}],
        ),
        ("请各申报单位于2019年8月14日前（以寄出时间为准），将申报书寄送至专业机构。", [set()]),
        ("2018年11月23日，自治区人民政府办公厅印发了实施意见。", [set()]),  # the event is past the clause
        ("全省算力规模达到14EFlops。", []),
        # a year a plan looks ahead to dates no event; one named before it in its clause does
        ("到2027年，初步建立化工行业智能制造标准体系。", [{"horizon"}]),
        ("本政策措施有效期至2025年。", [{"expire"}]),
        ("2022年1月印发，到2025年实现。", [{"issue"}, {"horizon"}]),
        ("截至2023年底，累计建成5G基站。", []),  # a day already past, not looked ahead to
    ],
)
def test_a_date_is_of_the_events_written_beside_it_in_its_clause(sentence, events):
    assert date_events(sentence) == [frozenset(e) for e in events]


def test_a_sentence_dating_only_other_events_does_not_answer():
    issue, expire, adopt, effect = ({e} for e in ("issue", "expire", "adopt", "effect"))
    expiry = "本政策措施自印发之日起施行，有效期至2025年12月31日。"
    assert dates_other_event(expiry, issue) and not dates_other_event(expiry, expire)
    assert not dates_other_event(expiry, set())
    assert not dates_other_event(expiry, issue | expire)  # either asked: the expiry may answer
    # A date whose event is not written may be the one asked.
    assert not dates_other_event("2018年11月23日，自治区人民政府办公厅印发了实施意见。", issue)
    # An event "同时" with another is dated by that other: the repeal of the old text answers when.
    repeal = "2000年12月8日通过的《中关村科技园区条例》同时废止。"
    assert not dates_other_event(repeal, expire) and dates_other_event(repeal, issue)
    # A plan's horizon is not the day it was issued.
    assert dates_other_event("到2027年，初步建立化工行业智能制造标准体系。", issue)
    approved = "2019年7月26日河南省人大常委会会议批准的《关于修改〈洛阳市科学技术进步条例〉的决定》修正"
    assert not dates_other_event(approved, adopt) and dates_other_event(approved, effect)


def test_asked_when_a_version_took_effect_the_day_it_was_revised_is_not_quoted(tmp_path):
    rules = (
        "上海市促进农业科技进步若干规定\n\n"
        "（2024年11月28日上海市第十六届人民代表大会常务委员会第十七次会议修订）\n\n"
        "第一条 为了促进农业科技进步，制定本规定。\n\n"
        "第二十一条 本规定自2025年1月1日起施行。"
    )
    engine = fake_engine_over({"sh-agri": rules}, tmp_path)

    def quotable(question):
        return " ".join(c.text for c in candidates(engine, question))

    effect = quotable("上海市促进农业科技进步若干规定重新修订以后是从哪天开始执行的？")
    assert "2025年1月1日" in effect and "11月28日" not in effect
    assert "11月28日" in quotable("上海市促进农业科技进步若干规定是哪天修订的？")


def test_a_date_line_alone_is_the_day_a_text_was_signed_not_a_day_something_is_due():
    assert date_events("第二十五条 2021年9月25日") == [frozenset({"issue", "effect", "adopt"})]
    due = asked_events("2021年度的项目预申请什么时候截止？")
    assert dates_other_event("第二十五条 2021年9月25日", due)
    assert not dates_other_event("2018年10月12日", asked_events("这份通知是哪天印发的？"))
    # nor the day of an observance: a sentence that sets it, naming no event, may answer
    day = asked_events("全国科普日是哪一天？")
    assert dates_other_event("2002年6月29日 第九届全国人民代表大会常务委员会第二十八次会议通过", day)
    assert not dates_other_event("每年9月20日为全国科普日。", day)
