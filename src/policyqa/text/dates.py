"""Dates and periods as Chinese policy texts write them: 2023年3月5日, 第十四届全国人民代表大会第一次会议,
“十四五”, 2018～2020年."""

from __future__ import annotations

import re

DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# A date to the month at least ("2018年5月31日", "2019年8月"): a point in time, not a year spoken of.
CALENDAR_DATE = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")
# A year: followed by 年, or standing alone (not 2000万元, not 1999.5).
YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?:\s*年|(?![\d万亿千百元个项家人%％.,]))")
DECADE = re.compile(r"((?:19|20)\d0)\s*年代")
YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s*年?\s*[-－—~～至到]\s*((?:19|20)\d\d)\s*年")
NPC_SESSION = re.compile(
    r"第([一二三四五六七八九十]{1,3})届全国人民代表大会第([一二三四五六七八九十]{1,3})次会议"
)
# As questions name a session: "十三届全国人大五次会议", "第十四届全国人民代表大会第三次会议" (not 常委会).
NPC_SESSION_NAMED = re.compile(
    r"第?([一二三四五六七八九十]{1,3})届全国(?:人民代表大会|人大)第?([一二三四五六七八九十]{1,3})次(?:全体)?会议"
)
# “十四五” in quotes, or 十四五 followed by 规划/时期/期间/计划 (a bare 十五 is usually a number).
# Quoted, or followed by what it is ("十三五时期"); unquoted only from 十一五 on ("十一五那五年"), as 十五
# and 九五 are also plain numbers; "十一五五年下来" is the plan's five years.
FIVE_YEAR_PLAN = re.compile(
    r"[“\"](十[一二三四五六七八九]?|[一二三四五六七八九])五[”\"]|(十[一二三四五六七八九]?|[一二三四五六七八九])五(?:时期|期间|规划|计划)"
    r"|(?<![零〇一二三四五六七八九十百千万\d])(十[一二三四五六])五(?=五年)"
    r"|(?<![零〇一二三四五六七八九十百千万\d])(十[一二三四五六])五(?![零〇一二三四五六七八九十百千万年条个元%％倍项\d])"
)
# Years a word names relative to another (its document's, the day a question is asked): the offsets.
FIVE_YEARS_BACK = (-5, -4, -3, -2, -1)
RELATIVE_YEARS: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(("今年", "本年", "本年度", "当年"), (0,)),
    **dict.fromkeys(("去年", "上年", "上一年", "过去一年"), (-1,)),
    "前年": (-2,),
    **dict.fromkeys(("明年", "下一年"), (1,)),
    **dict.fromkeys(("过去五年", "五年来", "近五年"), FIVE_YEARS_BACK),
}
# A year written in Chinese digits, as official documents date themselves ("二〇二三年", "二零一八年").
_CN_YEAR = re.compile(r"(?<![〇零○一二三四五六七八九十])([一二][〇零○一二三四五六七八九]{3})(?=\s*年)")
_CN_YEAR_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")


# A year as people type it, in two digits ("21年那份报告", "那19年呢？", "截至05年底"): at the start of
# a clause or after a word leading to a time or a comparison (在, 从, 截至, 比…), and not a span of years:
# "10年来", "近10年", "用了20年时间", "期限为20年", "第12年" are told by what comes before or after.
# 00–30 are this century's, 50–99 the last's; 31–49 are more often spans than years.
_SHORT_YEAR = re.compile(
    r"(?:(?<=^)|(?<=[\s，。？！、；：,.?!（(“\"'‘])|(?<=[在于从自和与及跟那至止比较]))"
    r"([0-2]\d|30|[5-9]\d)(?=年(?![来内间代多半前后里]|以[上内前后]|之|左右|时间|的时间|期))"
)


def _full_year(m: re.Match) -> str:
    two = int(m[1])
    return f"{2000 + two if two <= 30 else 1900 + two}"


def arabic_years(text: str) -> str:
    """A question's years written in four Arabic digits: "二〇二三年" → "2023年", "21年那份报告" →
    "2021年那份报告" (as documents write them, so every year pattern reads them)."""
    return _SHORT_YEAR.sub(_full_year, _CN_YEAR.sub(lambda m: m[1].translate(_CN_YEAR_DIGITS), text))


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def iso(m: re.Match) -> str:
    """A DATE match as YYYY-MM-DD."""
    return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"


def cn_number(text: str) -> int:
    """一 … 九十九 as an integer (enough for sessions and plan numbers)."""
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def cn_numeral(n: int) -> str:
    """1 … 99 in Chinese numerals: 13 → 十三, 20 → 二十."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if not tens:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def npc_session_year(term: str, session: str) -> int | None:
    """The year of the k-th session of the N-th NPC: one session a year; the 1st NPC met from 1954, the
    5th and later (five-year terms) from 1978. The 2nd to 4th met irregularly: None."""
    n, k = cn_number(term), cn_number(session)
    if n == 1:
        return 1953 + k
    return 1978 + 5 * (n - 5) + k - 1 if n >= 5 else None


def plan_start(n: int) -> int:
    """The first year of the n-th five-year plan: 1953 and 1958, then 1966 after the 1963-65 adjustment."""
    return 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)


def plan_name(start: int) -> str:
    """The name of the five-year plan whose first year is ``start`` (from 1966): 2001 → "十五"."""
    return f"{cn_numeral((start - plan_start(3)) // 5 + 3)}五"


def five_year_plan(match: re.Match) -> tuple[int, int, str]:
    """A FIVE_YEAR_PLAN match as (first year, last year, name): 十四五 → (2021, 2025, "十四五")."""
    name = match[1] or match[2] or match[3] or match[4]
    start = plan_start(cn_number(name))
    return start, start + 4, f"{name}五"


_PLAN_YEARS = {"开局": 0, "首": 0, "头一": 0, "第一": 0, "第二": 1, "第三": 2, "第四": 3, "第五": 4}
_PLAN_YEARS |= dict.fromkeys(("收官", "最后一", "末"), 4)
PLAN_YEAR = re.compile(
    r"[“\"]?(十[一二三四五六七八九]?|[一二三四五六七八九])五[”\"]?(?:时期|期间|规划|计划)?的?"
    rf"({'|'.join(_PLAN_YEARS)})(?:之|那|一)?年"
)


def named_years(text: str) -> list[int]:
    """Every year a question names: written out, as a range, as a five-year plan or an NPC session."""
    years: list[int] = []
    for m in YEAR_RANGE.finditer(text):
        a, b = int(m[1]), int(m[2])
        if a <= b <= a + 20:
            years.extend(range(a, b + 1))
    years.extend(int(y) for y in YEAR.findall(text))
    for m in DECADE.finditer(text):  # "1930年代": ten years
        years.extend(range(int(m[1]), int(m[1]) + 10))
    # One year of a plan ("十二五开局那年", "“十三五”收官之年"): that year, not the plan's five.
    ones = [(m.span(), plan_start(cn_number(m[1])) + _PLAN_YEARS[m[2]]) for m in PLAN_YEAR.finditer(text)]
    years.extend(year for _, year in ones)
    for m in FIVE_YEAR_PLAN.finditer(text):
        if not any(a <= m.start() < b for (a, b), _ in ones):
            start, end, _ = five_year_plan(m)
            years.extend(range(start, end + 1))
    for m in NPC_SESSION_NAMED.finditer(text):  # one session a year: the session names its year
        if year := npc_session_year(m[1], m[2]):
            years.append(year)
    return list(dict.fromkeys(years))
