"""Years people name by what happened in them: "北京奥运那年", "新中国成立70周年那年", "新世纪头一年".

Officials date a question by an event as often as by a number, and the documents rarely say which year
an event was in so that a passage could be matched by it: the 2009 report calls 2008 "去年" and writes
of "汶川特大地震" without a year. An anniversary is counted from its founding year; a national event
of the reform era is read from a short calendar of events whose year nobody disputes. An event neither
dates ("四万亿那年") is left as it is.
"""

from __future__ import annotations

import re

from .dates import cn_number

# "那年", "那一年", "的那一年", "这一年", "当年", "之年": the year of what comes before.
_THAT_YEAR = r"(?:的)?(?:那|这|当)一?年|之年"

# Counted from the year of the founding: "新中国成立70周年" is 1949 + 70.
_FOUNDED = {
    r"(?:新中国|中华人民共和国|建国)(?:成立)?": 1949,
    r"(?:建党|中国共产党成立|党的?成立)": 1921,
    r"改革开放": 1978,
    r"(?:抗日战争|抗战|世界反法西斯战争)胜利": 1945,
}
_ANNIVERSARY = re.compile(
    rf"({'|'.join(_FOUNDED)})\s*(\d{{1,3}}|[一二三四五六七八九十百]{{1,4}})\s*周年(?:{_THAT_YEAR})"
)

# National events of the reform era, each in the year it took place (the year the documents report it
# in their review of it). An event spoken of over several years (a crisis, an epidemic) is dated by the
# year it broke out, as people who say "疫情那年" mean 2020.
_EVENTS: dict[str, int] = {
    r"香港回归": 1997,
    r"澳门回归": 1999,
    r"新世纪(?:的)?(?:第一|头一|开局)": 2001,  # "新世纪头一年" as well as "新世纪开局之年"
    r"(?:加入世贸组织|加入世贸|入世|加入世界贸易组织)": 2001,
    r"(?:抗击)?非典(?:疫情)?": 2003,
    r"(?:北京)?奥运(?:会)?": 2008,
    r"汶川(?:特大)?地震": 2008,
    r"(?:亚洲|东南亚)金融危机(?:爆发)?": 1997,
    r"(?:国际|全球)?金融危机(?:爆发)?": 2008,
    r"(?:上海)?世博(?:会)?": 2010,
    r"(?:杭州)?G20(?:杭州)?峰会": 2016,
    r"(?:新冠)?(?:肺炎)?疫情(?:暴发|爆发)?": 2020,
    r"(?:北京)?冬奥(?:会)?": 2022,
}
_EVENT = re.compile(
    # (with the verb before it: "闹非典那年", "举办世博会那年")
    "|".join(
        f"(?:闹|发生|遇上|赶上|碰上|举办|办)?(?P<e{i}>{pattern})(?:{_THAT_YEAR}|(?<=一)年)"
        for i, pattern in enumerate(_EVENTS)
    )
)
# The event is the one named only when no other word is joined to its front: "伦敦奥运会", "冬奥会",
# "猪瘟疫情" are others. (Words that may lead to it: "在", "咱们", "成功", "报告说"…)
_QUALIFIED = re.compile(r"(?![在是的那这们功和与及跟同年说讲里中到看])[\u4e00-\u9fff]$")
# A year written right before the event, as its own ("1996年亚特兰大奥运会"), not a report's ("2021年报告说").
_DATED = re.compile(r"\d\s*年(?:(?!报告|说|里|讲|提|中|的)[\u4e00-\u9fff]){0,6}$")


def _anniversary(m: re.Match) -> str:
    founded = next(year for pattern, year in _FOUNDED.items() if re.fullmatch(pattern, m[1]))
    count = int(m[2]) if m[2].isdigit() else (100 if m[2] == "一百" else cn_number(m[2]))
    return f"{founded + count}年"


def _event(m: re.Match) -> str:
    i = int(next(name for name, value in m.groupdict().items() if value is not None)[1:])
    before = m.string[max(0, m.start() - 8) : m.start()]
    if _QUALIFIED.search(before) or _DATED.search(before):
        return m[0]  # "伦敦奥运会那年" is another games; "1996年亚特兰大奥运会那年" is dated already
    return f"{list(_EVENTS.values())[i]}年"


def dated_events(text: str) -> str:
    """``text`` with the years it names by an event written out: "北京奥运那年，中央财政…" → "2008年，
    中央财政…", "新中国成立70周年那年" → "2019年"."""
    if "年" not in text:
        return text
    return _EVENT.sub(_event, _ANNIVERSARY.sub(_anniversary, text))


def event_readings(text: str) -> list[str]:
    """How ``dated_events`` read each event of ``text``, for the answer to say so: "“北京奥运那年”按2008年
    理解"."""
    if "年" not in text:
        return []
    found = [(m[0], _anniversary(m)) for m in _ANNIVERSARY.finditer(text)]
    found += [(m[0], _event(m)) for m in _EVENT.finditer(_ANNIVERSARY.sub(_anniversary, text))]
    return [f"“{said}”按{year}理解" for said, year in found if said != year]
