"""A question read in its conversation: whether it follows the turn before ("那2021年呢？", "这个基金规模多
大？"), the earlier question it is read with (that question with the new year or place put in), and the
years named relative to the day asked ("今年的政府工作报告")."""

from __future__ import annotations

import re
from datetime import date

from ..text.dates import (
    FIVE_YEAR_PLAN,
    RELATIVE_YEARS,
    arabic_years,
    five_year_plan,
    named_years,
    plan_name,
)
from ..text.event_years import dated_events
from ..text.regions import PROVINCES
from ..text.segment import QUERY_PHRASES, tagged
from .naming import DEMONSTRATIVE
from .places import places_and_years

# A year written out in digits ("2023年"): what a follow-up naming another year replaces.
YEAR_WRITTEN = re.compile(r"(?<![\d.])(?:19|20)\d\d\s*年")
# Words that point back at the turn before ("那…呢？", "这个…", "上述…").
_FOLLOWUP_RE = re.compile(
    r"^(那|那么|那在|那个|这|这个|这些|该|其|它|此|还有|另外|同时|然后|以及)|呢[？?]?$|(这个|这些|该|其|它|上述|前面|刚才|那[部份项个些条]|这一?[部份项条款版])"
)


# A year named relative to the day the question is asked ("今年的政府工作报告", "去年城镇新增就业多少"), not
# the baseline of a comparison ("比去年增长多少"), nor a time in the asker's own affairs ("我们公司今年头一回
# 评上高企，…能给多少补助" asks what a policy gives, whenever it was issued).
NOW_RELATIVE = re.compile(
    r"(?<![比较])(?<!公司)(?<!单位)(?<!企业)(?<!学校)(?<!高校)(?<!团队)(?<!实验室)"
    r"(今年|本年度|去年|前年|明年)(?!头一回|第一次|首次|刚)"
)


def dated_from_now(text: str, today: date) -> str:
    """``text`` with the years it names relative to ``today`` written out: "今年的政府工作报告" asked in
    2026 → "2026年的政府工作报告"."""
    return NOW_RELATIVE.sub(lambda m: f"{today.year + RELATIVE_YEARS[m[1]][0]}年", text)


def user_turns(history: list) -> list[str]:
    """Earlier user turns from plain strings or chat messages ({"role": "user", "content": …})."""
    turns = []
    for item in history or []:
        if isinstance(item, str):
            turns.append(item)
        elif isinstance(item, dict) and item.get("role", "user") == "user" and item.get("content"):
            turns.append(str(item["content"]))
    # read as the question is (QueryAnalysis.of): years in four digits, those named by an event written out
    return [dated_events(arabic_years(t)) for t in turns]


# The year after and the year before the one talked about, counted from it ("第二年的报告怎么说的？"), not
# from the day asked (明年, 去年).
_NEXT_YEAR = "次年|第二年|翌年|下一年|后一年"
_YEAR_BEFORE = "前一年|上一年|头一年"
_COUNTED_ON = re.compile(f"{_NEXT_YEAR}|{_YEAR_BEFORE}")
_NAMING = re.compile(r"^(?:n|vn|j|eng)")  # nouns, nouns made of verbs, abbreviations, Latin names
_GOES_ON = re.compile(r"又|再|还|后来|最后|最终|接着|随后")


def is_followup(question: str) -> bool:
    """Whether the question points back ("那…呢？", "第二年的报告…"), is too short to stand alone, or
    goes on from something it does not name: "2018年又加到多少了？", "最后完成了没有？" ask of what the
    turn before named."""
    core = QUERY_PHRASES.sub("", re.sub(r"[？?！!。，,\s]", "", question))
    if _FOLLOWUP_RE.search(question) or len(core) <= 6 or _COUNTED_ON.search(question):
        return True
    named = any(len(w) >= 2 and _NAMING.match(f) for w, f in tagged(question))
    return not named and _GOES_ON.search(question) is not None


def resolve_query(question: str, history: list, continued: bool = False) -> str:
    """A follow-up ("那兵团呢？", "这个基金规模多大？") is searched together with the previous question;
    when it names another year ("那2021年呢？"), the earlier question is read with that year instead.
    ``continued``: the question goes on from the previous one in the same message, whatever its form."""
    turns = user_turns(history)
    if not (turns and (continued or is_followup(question))):
        return question
    return _read_with(question, _last_question(turns))


def _last_question(turns: list[str]) -> str:
    """The previous turn as it was answered: a follow-up read with the turns it followed ("2008年的经济
    增长目标是多少？", "那2009年呢？": the second is the growth target of 2009, and "2010年呢？" asks
    that of 2010, not "那2009年呢？" of 2010)."""
    start = len(turns) - 1
    while start > 0 and is_followup(turns[start]):
        start -= 1
    read = turns[start]
    for turn in turns[start + 1 :]:
        read = _read_with(turn, read)
    return read


# A report named by its year ("2014年报告", "2008年那份报告"): the year of the figures a follow-up asks
# for its outcome moves to the next report, which gives them, so the earlier turn is read without it.
_REVIEWING = re.compile(f"(?:{_NEXT_YEAR})的?报告")
_REPORT_NAMED = re.compile(
    rf"((?:19|20)\d\d\s*年)(?:的|度)?{DEMONSTRATIVE}(?:政府工作)?报告(?:里|中|上)?(?:回头看|回顾)?"
)
_ASKS_OUTCOME = re.compile(r"实际|最后|最终|结果|完成了|实现了|执行下来|执行得")


def _read_with(question: str, earlier: str) -> str:
    new_years = named_years(question)
    # "那2014年实际呢？" after "2014年报告回头看2013年，GDP实际涨了多少？" asks 2014's growth (given in the
    # 2015 report); "那前一年实际涨了多少？" after "2008年报告定的物价涨幅目标" asks 2007's. The report's
    # year stays as the year asked about unless the turn writes another year as well.
    # "那一年最后实际完成了多少？" and "实际执行下来呢？" ask the same of the year the report set it for.
    outcome = _ASKS_OUTCOME.search(question) or _own_past(question)
    if outcome and (named := _REPORT_NAMED.search(earlier)):
        kept = "" if len(YEAR_WRITTEN.findall(earlier)) > 1 else named.group(1)
        earlier = earlier[: named.start()] + kept + earlier[named.end() :]
    if outcome and _REVIEWING.search(question):
        # "最后完成了没有？第二年的报告怎么说的？": the next year's report is where the outcome is told.
        question = _REVIEWING.sub("报告", question)
    if new_years:
        earlier = YEAR_WRITTEN.sub(f"{new_years[0]}年", earlier)
    elif moved := next(((p, shift) for p, shift in _FIVE_YEARS_SHIFTS if p.search(question)), None):
        # "那上一个五年呢？" after "…回头看“十五”…": the plan before it, and a year named five years back.
        pattern, five = moved
        earlier = YEAR_WRITTEN.sub(lambda m: f"{int(m[0][:4]) + five}年", earlier)
        earlier = FIVE_YEAR_PLAN.sub(
            lambda m: m[0].replace(five_year_plan(m)[2], plan_name(five_year_plan(m)[0] + five)), earlier
        )
        question = pattern.sub("", question, count=1)
    elif (shift := year_shift(question)) and YEAR_WRITTEN.search(earlier):
        # "次年减到多少了？" after "2005年…" asks about 2006: the earlier turn is read of that year, and
        # the word that moved it has done its work ("下一年的报告呢？" would count another year on).
        earlier = YEAR_WRITTEN.sub(lambda m: f"{int(m[0][:4]) + shift}年", earlier)
        question = _shifted(question)
    earlier = _other_place(question, earlier)
    return f"{earlier} {question}"


def _other_place(question: str, earlier: str) -> str:
    """ "北京的呢？" after "上海市促进科技成果转化条例规定…" asks about 北京's regulation: the earlier turn is
    read with the new place instead of the old one of the same level (a province for a province, a city
    for a city); "那青岛呢？" after a question about 山东 narrows it and is searched as it is."""
    new, old = places_and_years(question)[0], places_and_years(earlier)[0]
    if len(new) != 1 or new[0] in old:
        return earlier
    level = new[0] in PROVINCES
    same = [p for p in old if (p in PROVINCES) == level]
    if len(same) != 1:
        return earlier
    # The old place's suffix goes with it: "北京市…条例" read for 浙江 is "浙江…条例", not "浙江市…条例".
    return re.sub(re.escape(same[0]) + "(?:省|市|自治区|特别行政区)?", new[0], earlier)


# In a conversation, 去年 and 明年 count from the year talked about ("2023年的赤字率…？" "那去年呢？": 2022).
# (Not a comparison's baseline: "跟前一年比高了多少？" asks about the year talked about.)
_YEAR_SHIFTS = (
    (re.compile(f"(?<![比较跟与同和])(?:{_NEXT_YEAR}|转年|明年)"), 1),
    (re.compile(f"(?<![比较跟与同和])(?:{_YEAR_BEFORE}|去年)"), -1),
    (re.compile(r"(?<![比较跟与同和\d])前年"), -2),
)


# A follow-up's words that only move the scope: another year counted from the earlier one ("下一年的报告
# 呢？", "那前一年呢？") or another document of a kind ("那决议呢？").
SCOPE_WORD = re.compile(
    r"[那这]?(?:[上下前后次当那这第]?[一二三四五]?年|前年|去年|今年|明年|[那这][前上]|[那这旧新老上]?一?版|版本"
    r"|报告|决议|文件|条例|规划|方案|意见|通知|办法|细则|规定"
    # (town or country: "那农村呢？" after the town's figure asks the same figure of the other side)
    r"|城镇|城市|城里|农村|乡村|农民)"
    # (what a version or a year "定" is the same thing asked: jieba cuts "那2021年定的" as 年定, "一版定")
    r"定?|定"
)


# A relative year the document itself writes ("那份报告说的“去年”新增了多少…") asks what the report tells
# of its past year: the year moves, and the answer is the report's look back at it.
_DOCUMENTS_OWN = re.compile(r"(?:[“‘\"']|(?:说|讲|提|写|所说|里|中)的?)$")


def _own_past(question: str) -> bool:
    return any(
        _DOCUMENTS_OWN.search(question[: m.start()])
        for pattern, shift in _YEAR_SHIFTS
        if shift < 0
        for m in pattern.finditer(question)
    )


# Another five-year period counted from the one talked about ("那上一个五年呢？", "再往后那五年呢").
_FIVE_YEARS_SHIFTS = (
    (re.compile(r"(?:上|前)一?个五年|往前那?五年"), -5),
    (re.compile(r"(?:下|后)一?个五年|往后那?五年"), 5),
)


def year_shift(question: str) -> int:
    """How many years after (+) or before (−) the one talked about a follow-up asks about."""
    return next((shift for pattern, shift in _YEAR_SHIFTS if pattern.search(question)), 0)


def _shifted(question: str) -> str:
    """``question`` without the word that moved the year (year_shift)."""
    pattern = next(p for p, shift in _YEAR_SHIFTS if p.search(question))
    return pattern.sub("", question, count=1)
