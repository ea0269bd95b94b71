"""Which event a date belongs to: a document is adopted, issued, revised, takes effect and expires on
different days, and a question asks one of them.

"政策措施是哪年哪月哪日印发的？" is not answered by "本政策措施自印发之日起施行，有效期至2025年12月31日"
(the day it expires), nor "修订以后从哪天开始执行" by "2024年11月28日…会议修订" (the day it was revised).
The events are a closed set of the words official texts date things with; a date with none of them
beside it, or a question naming none, is left to the other checks.
"""

from __future__ import annotations

import re

from ..text.dates import CALENDAR_DATE
from ..text.normalize import search_key

# (event, its words); the first to match a place wins, so "有效期至" is expiry before anything else. A
# revision is adopted at a meeting ("2024年修订的科普法是什么时候通过的" is answered by "…会议修订"), so
# adopting and revising are one event here.
_EVENTS = (
    ("expire", r"有效期|失效|到期|截止|废止"),
    ("effect", r"施行|生效|执行|实施(?!方案|意见|细则|办法|计划|纲要)"),  # not 实施方案, a kind of document
    ("adopt", r"通过|批准|修订|修正|修改"),
    ("issue", r"印发|发布|公布|下发|出台|颁布|发文"),
    ("submit", r"提交|报送|递交|寄送|上报|交(?!流|易|通|叉|付|纳)"),
)
_EVENT = re.compile("|".join(f"(?P<{name}>{words})" for name, words in _EVENTS))
# The words that ask for a day (the events a question names beside them are those asked).
_ASKS_DAY = re.compile(r"哪一?天|哪年哪月|哪月哪|哪一?日(?!期)|几月几|几号|何时|什么时[候间]|日期|哪一?年")
# A day, week or month kept each year, asked when it falls ("科普日是哪一天", "活动周定在几月").
_OBSERVANCE = re.compile(
    r"[\u4e00-\u9fff](?:日|节|周|月)(?:是|定在|定为|为|在)?(?:哪一?天|几月|哪个?月|哪一?周|什么时候)"
)
# After an event word, what makes it name a version rather than ask its day: "修订后", "修订以后",
# "修订的科普法" (but "是哪天印发的？" asks it).
_NAMES_VERSION = re.compile(r"以?后|之后|的[\u4e00-\u9fff]")
# An event said to happen with another ("同时废止"), dated by it.
_SAME_TIME = re.compile(rf"同时(?:{_EVENT.pattern})")
# A year looked ahead to, not a day: "到2027年", "至2035年" (not "截至2023年底", a day already past).
_HORIZON = re.compile(r"(?<!截)(?:到|至)\s*(?:19|20)\d\d\s*年(?!\s*\d{1,2}\s*月)")
_CLAUSE_END = re.compile(r"[,。;?)]")  # as search keys write them (，；？） folded)
_BEFORE = 6  # characters before a date where its event may stand ("有效期至2025年12月31日")


def _event(m: re.Match) -> str:
    return next(name for name, value in m.groupdict().items() if value)


def asked_events(question: str) -> frozenset[str]:
    """The events whose day the question asks: those it names, except an event that only names the
    version asked about ("修订后…什么时候施行", "2024年修订的科普法…"). "第四次修正是哪一年、在哪次会议上
    通过的" asks one: a revision is adopted at a meeting. Empty when no day is asked or no event named."""
    key = search_key(question)
    if not _ASKS_DAY.search(key):
        return frozenset()
    named = frozenset(_event(m) for m in _EVENT.finditer(key) if not _NAMES_VERSION.match(key, m.end()))
    if named or not _OBSERVANCE.search(key):
        return named
    return frozenset({"observance"})  # "全国科普日是哪一天": a day no document's date line gives


def date_events(sentence: str) -> list[frozenset[str]]:
    """For each calendar date the sentence writes, the events it dates: those named after it in its
    clause, up to the next date ("自2025年1月1日起施行", "2019年7月26日…会议批准的…决定修正" — approved and
    revised that day), else the one named just before it ("有效期至2025年12月31日"); none when none is
    named. A year a plan looks ahead to ("到2027年，初步建立…") is a "horizon", unless an event is named
    just before it ("有效期至2025年"): no document was issued, adopted or revised on it."""
    return _dated(search_key(sentence))


# A date line alone ("2021年9月25日", "第二十五条 2021年9月25日"): the day a text is signed and issued,
# which for most notices is the day it takes effect and for a decision the day it was adopted; never the
# day a thing is due or expires.
_DATE_LINE = re.compile(rf"^(?:第[一二三四五六七八九十百零]+条)?\s*({CALENDAR_DATE.pattern})\s*$")
_SIGNED = frozenset({"issue", "effect", "adopt"})


def _dated(key: str) -> list[frozenset[str]]:
    if _DATE_LINE.match(key.strip(" 。")):
        return [_SIGNED]
    dates = list(CALENDAR_DATE.finditer(key))
    found = []
    for i, m in enumerate(dates):
        stop = dates[i + 1].start() if i + 1 < len(dates) else len(key)
        end = _CLAUSE_END.search(key, m.end(), stop)
        after = key[m.end() : end.start() if end else stop]
        named = {_event(e) for e in _EVENT.finditer(after)}
        if not named and (hit := _last(_before(key, m.start()))):
            named = {_event(hit)}
        found.append(frozenset(named))
    for m in _HORIZON.finditer(key):
        hit = _last(_before(key, m.start()))
        found.append(frozenset({_event(hit) if hit else "horizon"}))
    return found


def _before(key: str, start: int) -> str:
    """The few characters before ``start`` in its own clause, where a date's event may be named."""
    window = key[max(0, start - _BEFORE) : start]
    ends = list(_CLAUSE_END.finditer(window))
    return window[ends[-1].end() :] if ends else window


def _last(text: str) -> re.Match | None:
    """The event named last in ``text``: the one nearest the date after it."""
    return next(reversed(list(_EVENT.finditer(text))), None)


def dates_other_event(sentence: str, asked: frozenset[str]) -> bool:
    """The sentence dates only other events than those asked: every date it writes is named as
    another event's, or is a year a plan looks ahead to."""
    if not asked:
        return False
    key = search_key(sentence)
    if any(_event(m) in asked for m in _SAME_TIME.finditer(key)):
        return False  # "…通过的《中关村科技园区条例》同时废止": on the day the sentence before dates
    events = _dated(key)
    return bool(events) and all(named and not named & asked for named in events)
