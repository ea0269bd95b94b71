"""Hard constraints a question puts on its answer: the places and years it names, and the kind of
figure it asks for ("多少户" needs a count of households, "占比" a percentage, "面积" an area).

Retrieval scores cannot tell "the passage is about this topic" from "the passage answers this";
these checks can, and they generalise across documents because they only read the question's form.
"""

from __future__ import annotations

import re

from .textnorm import DOCNUM_RE, search_key

PLACES = (
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 广西 海南 重庆 "
    "四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门 兵团 深圳 大连 青岛 厦门 宁波 苏州 杭州 武汉 成都 西安 "
    "乌鲁木齐 昌吉 石河子 哈密 喀什 伊犁 克拉玛依 吐鲁番 阿克苏 和田 库尔勒 中亚 哈萨克斯坦 塔吉克斯坦 吉尔吉斯斯坦 乌兹别克斯坦"
).split()
_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年?")
_NUM = r"(?:\d[\d.,]*|[一二两三四五六七八九十百千万]+)"
# Interchangeable classifiers: "多少个项目" is answered by "126项", "多少支队伍" by "166家".
_GENERIC = "个项条批类种所座支家台套部篇只处"
_PEOPLE = "人名位"
_MEASURES = _GENERIC + _PEOPLE + "户件次亩天年倍"
_ASKED_MEASURE = re.compile(rf"(?<!哪)(?:多少|几)([{_MEASURES}])")
_ABOUT = r"(?:余|多|来|左右)?"
_MONEY = re.compile(rf"{_NUM}\s*[千万亿]*元")
_PERCENT = re.compile(r"\d(?:\.\d+)?%|\d+/\d+|百分之|[一二三四五六七八九]成")
_AREA = re.compile(rf"{_NUM}\s*(?:万)?(?:平方米|平方公里|亩|公顷|平米)")
_DATE = re.compile(r"\d{4}年|\d{1,2}月|\d{1,2}日|[一二三四五六七八九十]+月")
_DOCNUM = re.compile(DOCNUM_RE.pattern + "|号文")
_COUNT = re.compile(r"\d|[一二两三四五六七八九十百千万]+\s*(?:余|多)?[" + _MEASURES + "]")

# (what the question says, what the quoted evidence must show); the first family that matches wins.
FAMILIES: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    ("document number", re.compile(r"文号|发文字号|文件号|(?:什么|哪个|几)号文"), _DOCNUM),
    ("percentage", re.compile(r"比例|占比|百分之|百分比|比重|份额|强度|增长率|增速|\w率|多少成"), _PERCENT),
    ("area", re.compile(r"面积|占地|(?<!规模)多大(?!规模)|多少平方"), _AREA),
    (
        "money",
        re.compile(
            r"多少钱|金额|资金|投资|拨款|经费|贷款|成交额|交易额|销售额|融资|预算|补助|补贴|奖励|规模多大|多少亿|多少万"
            r"|总值|总额|产值|营收|收入"
        ),
        _MONEY,
    ),
    ("date", re.compile(r"哪一?天|哪一?年|何时|什么时候|日期|哪个月|几月|几号"), _DATE),
    ("count", re.compile(r"多少|(?<!哪)几|数量|总数|个数"), _COUNT),
]


def places_and_years(question: str) -> tuple[list[str], list[str]]:
    return [p for p in PLACES if p in question], _YEAR_RE.findall(question)


def asked_figure(question: str) -> tuple[str, re.Pattern[str]] | None:
    """The figure a question asks for and a pattern the answer must contain, or None."""
    if m := _ASKED_MEASURE.search(question):
        unit = m.group(1)
        group = _GENERIC if unit in _GENERIC else _PEOPLE if unit in _PEOPLE else unit
        return f"count of {unit}", re.compile(rf"{_NUM}\s*{_ABOUT}[{group}]")
    for name, asks, shows in FAMILIES:
        if asks.search(question):
            return name, shows
    return None


_AFTER = re.compile(rf"(?:多少|几)[{_MEASURES}]?([\u4e00-\u9fff]{{2,10}}?)(?:[？?，。！]|$)")
_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:是|有|为|达到?|约|共|一共|总共)?(?:多少|多大|几)")


def figure_subject(question: str) -> str | None:
    """The thing a figure question counts or measures ("发放了多少科技贷款" → "贷款")."""
    from .lexical import _jieba

    m = _AFTER.search(question) or _BEFORE.search(question)
    if not m:
        return None
    words = [w for w in _jieba().lcut(m.group(1)) if len(w) >= 2]
    return words[-1] if words else None


def violations(question: str, context_question: str, evidence_key: str, quote_text: str) -> list[str]:
    """Reasons the evidence cannot answer the question (empty when none is found).

    ``evidence_key`` is the search key of the passages the answer quotes plus their documents'
    title and metadata; ``quote_text`` is what the answer would quote.
    """
    reasons = []
    places, years = places_and_years(question)
    if not places and not years:  # a follow-up inherits the earlier turn's place and year
        places, years = places_and_years(context_question)
    for place in places:
        if search_key(place) not in evidence_key:
            reasons.append(f"资料未涉及“{place}”")
    for year in years:
        if year not in evidence_key:
            reasons.append(f"资料未涉及{year}年")
    figure = asked_figure(question) or asked_figure(context_question)
    if figure is not None and not figure[1].search(search_key(quote_text)):
        reasons.append("引文中没有所问的数据")
    return reasons
