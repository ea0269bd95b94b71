"""The figure a question asks for, read from its words: the kind (a count of 户, a percentage, a sum of
money, a day, a document number …), whether it is asked with its unit, the pattern a quote holding such a
figure matches (the thing it measures, "粮食产量目标是多少" → 产量, is measured.py's).

Every answer check that asks "does this quote give the figure asked?" reads these patterns; the question
is read once (``QueryAnalysis.figure``, ``QueryAnalysis.subject``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.normalize import DOCNUM_RE
from .params import CONFIDENCE
from .years import written_years

_NUM = r"(?:\d[\d.,]*|[一二两三四五六七八九十百千万]+)"
# Interchangeable classifiers: "多少个项目" is answered by "126项", "多少支队伍" by "166家".
_GENERIC = "个项条批类种所座支家台套部篇只处"
_PEOPLE = "人名位"
MEASURES = _GENERIC + _PEOPLE + "户件次亩天年倍辆"
# "多少个项目", "几家单位": a count with its classifier ("第几条" asks for an article; "多少支持" is a verb).
_ASKED_MEASURE = re.compile(
    rf"(?:多少|(?<![哪那这近前头后好])几)(?:十|百|千|万|亿|百万|千万)?([{MEASURES}])(?!持|付|出|署|理|有|得|准|植|庭|件|似)"
)
# A quantity asked with its unit ("多少万元", "多少兆瓦", "百分之几"): only a quote writing such a
# quantity answers it; "奖金数额由国务院规定" does not say how many 万元 (CONFIDENCE.explicit_figures).
UNITS = "万千瓦|千瓦时|兆瓦|千瓦|万吨|吨|公里|千米|平方米|平方公里|公顷|小时|人次|微克|毫克|千克|公斤|立方米|升(?![级学值温高])"
_UNIT_NAMES = [u.split("(")[0] for u in UNITS.split("|")]  # the units without their lookaheads
_SCORE = r"(?:得|打|评|考|拿)了?(?:多少|几)分(?![之钟])|(?:得分|评分|分数)(?:是|为|有)?(?:多少|几)"
_EXPLICIT = re.compile(
    rf"(?<![哪第])(?:多少|几)(?:千|万|亿|百万|千万)?(?:元|钱|{UNITS})|多少(?:万|亿)(?!分)"
    r"|百分之几|百分之多少|(?:多少|几)个百分点|几成"
    # a rate asked for its value ("年化收益率是多少"): "3亿元" beside the fund's name does not give it
    r"|(?<=[\u4e00-\u9fff])率的?(?:预期目标|目标|指标|水平)?"
    r"(?:是|为|约为|大约是|达到|有|要?控制在|保持在|定为|提高到|降低?到)?(?:多少|几)"
    r"|(?<=[\u4e00-\u9fff])率呢"  # "那赤字率呢？": the rate itself, as a follow-up asks it
    rf"|{_SCORE}"  # a score, in points
)
_ABOUT = r"(?:余|多|来|左右)?"
# A number with its multiplier: "5.31亿吨", "1.5亿人", "8000多万人" count tonnes and people as "859万人" does.
_QTY = rf"{_NUM}\s*(?:[余多]?[百千万亿]+)?{_ABOUT}"
# "2.5万亿元", "8000多亿元", "1万多亿元", and other currencies ("468亿美元", "5000万港元")
_MONEY = re.compile(rf"{_NUM}\s*[千万亿余多]*(?:美|欧|港|日|澳门|新台)?元")
_PERCENT = re.compile(
    r"\d(?:\.\d+)?[%‰]|\d+/\d+|[百千万一二三四五六七八九十]分之|百分点|[一二三四五六七八九]成"
)  # 三分之一 too
# R&D intensity ("研发投入强度", "R&D经费投入强度"): spending as a share of GDP, science policy's headline
# indicator, asked as a figure. Only a quote that gives it by name or as a share of GDP answers it; a share
# of anything else ("R&D经费总支出40.21亿元，占全疆71%") does not, however close its words.
_ASKS_INTENSITY = re.compile(r"(?:研发|研究开发|研究与试验发展|R&D|科技)[^，。？?]{0,8}强度", re.I)
_INTENSITY = re.compile(
    r"^(?=.*(?:强度|占[^，。；]{0,12}(?:生产总值|gdp)|(?:生产总值|gdp)之比))"
    r"(?=.*(?:\d(?:\.\d+)?%|百分之|[一二三四五六七八九十]分之))",
    re.S,
)
_AREA = re.compile(rf"{_NUM}\s*(?:万)?(?:平方米|平方公里|亩|公顷|平米)")
# A day written out: "11日", "十一日", and the lunar "初十", "七月十五"; not a document's serial (〔2018〕74号).
_DAY = re.compile(
    r"(?<![\d〕］\]】﹞])\d{1,2}\s*[日号]|[一二三四五六七八九十廿]{1,3}日|初[一二三四五六七八九十]"
    r"|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十廿]{1,3}(?![年月])"
)
DATE_SHOWN = re.compile(r"\d{4}年|\d{1,2}月|\d{1,2}日|[一二三四五六七八九十]+月")  # a date written out
_DOCNUM = re.compile(DOCNUM_RE.pattern + "|号文")
# A figure, not the year it is dated ("2000年是世纪交替之年" does not say how much growth was planned).
# Nor "最后一年", "这一天", "一批": one year, day or batch alone is an idiom more often than a count
# ("五年内" counts).
_COUNT = re.compile(
    # (not the digit of "5G")
    r"(?<![\d.])(?!(?:1[89]|20)\d\d\s*年)\d(?!g)"
    r"|(?<![一二两三四五六七八九十百千万])(?!一[年天批])[一二两三四五六七八九十百千万]+\s*(?:余|多)?["
    + MEASURES
    + "]"
)
# A length of time or of space ("多长" asks either: "筹建期有多长", "最长记录是多长").
_LENGTH = re.compile(
    rf"{_NUM}\s*{_ABOUT}个?半?(?:年|月|日|天|周|星期|小时|分钟|工作日|公里|千米|公尺|米|厘米|公分|毫米|英里|英尺)"
    r"|半年|半个月"
)
# (what the question says, what the quoted evidence must show); the first family that matches wins.
# A topic word alone ("骗取奖励的怎么处理") asks for no figure: money and area need a quantity word too.
# "哪几种" asks which, not how much; "国内生产总值" names an indicator, whose growth is asked as often as its
# amount ("2012年国内生产总值增长目标？" asks a rate).
_HOW_MUCH = r"(?=.*(?:多少|多大|(?<![哪那这])几|规模|数额|金额|总额|(?<!生产)总值))"
FAMILIES: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    # A score ("山东具体得了多少分"): a ranking that names the province gives none.
    (
        "count of 分",
        re.compile(_SCORE),
        re.compile(r"\d(?:\.\d+)?\s*分(?![之钟别类工布配析级期批项享支行会局院])"),
    ),
    (
        "document number",
        re.compile(
            r"文号|发文字号|文件号|(?:什么|哪个|几)号文|(?:文件|通知|意见|办法)[^，。？?]{0,4}(?:是|为)?(?:哪个|什么)号"
        ),
        _DOCNUM,
    ),
    # An order's number ("国务院第几号令公布的"): "国务院令第331号" answers it, as a document number is
    # answered by its own form; before money, which "奖励条例…第几号令" would otherwise ask.
    (
        "document number",
        re.compile(r"第?几号令|令第?几号|令号"),
        re.compile(r"令\s*第?\s*\d+\s*号|第\s*\d+\s*号令"),
    ),
    (
        "percentage",
        re.compile(
            r"比例|占比|之比|百分之(?:几|多少)|百分比|比重|份额|强度|增长率|增速|(?<!罚款)幅度[^，。？?]{0,16}多少|(?:(?![效频功])\w)率|(?:多少|几)成(?![本果功立为员绩就交])|占[^，。？?]{0,12}多少"
            # (not a price per unit: "最低收购价每斤涨了多少" is so many yuan)
            r"|(?<!每.)(?:增长|提高|下降|涨|降低|增加|扩大|扩|压缩|压减|缩小)了?多少(?![亿万千元个项家人钱])"
            r"|(?:压|降|减)下来了?多少(?![亿万千元个项家人])"  # "“三公”经费压下来多少": by how much, a rate
            r"|(?:涨|增长|提高|升)[^，。？?]{0,3}(?:什么程度|多高)"  # "物价最多涨到什么程度"
            # "经济一年平均想跑多快": a growth rate ("办结要多快" asks a length of time)
            r"|(?:经济|增长|发展|增速|速度|跑|涨)[^，。？?]{0,6}多快"
        ),
        _PERCENT,
    ),
    ("area", re.compile(_HOW_MUCH + r".*(?:面积|占地|平方)|多少平方"), _AREA),
    # Fines are left out: they are written as multiples as often as amounts ("1倍以上3倍以下的罚款").
    (
        "money",
        re.compile(
            r"多少钱|多少元|多少亿|多少万|多少税(?!种|率|目)|规模多大|规模有多大|"
            # the money named first ("那笔钱有多少"), or asked after another figure ("那钱呢？")
            r"(?:钱|资金|经费)(?:有|是|一共有?|共|总共|总计)?多少(?![个项家人条次件倍])|"
            r"^[那这]?笔?(?:钱|资金|经费)呢|"
            + _HOW_MUCH
            + r".*(?:金额|资金|投资|拨款|经费|贷款|成交额|交易额|销售额|融资|预算|补助|补贴|奖励|奖金|总值|总额|产值|营收|收入|债|赤字规模|规模"
            r"|税款|税费|减税|退税|降费|支出|投入|开支|赔偿|违约金|报酬|薪酬|额度|保额|保费)"
        ),
        _MONEY,
    ),
    # "多长时间内备案", "筹建期有多长", "多久没转化", "一年花多少时间": a length of time ("三十日内",
    # "一年", "5—8年") or of space ("70公分"); before the dates: "期限是多长，从什么时候起算" is
    # answered by the length first.
    ("length", re.compile(r"多长|多久|多少时间"), _LENGTH),
    # A day ("哪天通过的") is only answered by a sentence that writes one ("2022年3月11日").
    ("day", re.compile(r"哪一?天|几月几[日号]|几号|具体日期|哪月哪[日号天]|哪一?日(?!期)|哪号"), _DAY),
    # "哪年更高" picks one of the years compared: it asks for the figures, not a date.
    ("date", re.compile(r"哪一?天|哪一?年(?![更较最])|何时|什么时[候间]|日期|哪个月|几月|几号"), DATE_SHOWN),
    # "产业要做到多大", "一共有多大": a size, so many of something ("多大作用" asks no figure, and
    # "多伦多大学" or "许多大型企业" nothing at all)
    (
        "count",
        re.compile(
            r"多少|(?<![哪那这])几|数量|总数|个数|硬指标|硬杠杠|(?<![许很诸众较更最太过不伦倫])多大(?=[？?，,。]|$|的|规模|比例|比重|份额|额度|面积|盘子|一?块|范围|变化|幅度|数额|金额|数量|力度)"
        ),
        _COUNT,
    ),
]


@dataclass(frozen=True)
class AskedFigure:
    name: str  # "count of 户", "percentage", "document number", …
    shows: re.Pattern[str]  # what evidence holding such a figure contains (on search keys)
    explicit: bool = False  # asked with its unit or classifier: a quote without one does not answer
    # The classifier itself, when ``shows`` accepts its interchangeable ones too: "几个" is answered by
    # "126项" as well, but "十个示范应用场景" says it more surely than "科技部等六部门".
    own: re.Pattern[str] | None = None


def required(figure: AskedFigure | None) -> bool:
    """A quote without the figure asked is refused outright, whatever the learned score (checks.py): a
    day or a document number is written out or not given, and so is a figure asked with its unit."""
    return figure is not None and (
        figure.name in CONFIDENCE.exact_figures or (CONFIDENCE.explicit_figures and figure.explicit)
    )


def _measure_asked(text: str) -> re.Match | None:
    """The count a question asks for: "几家" in a clause before another that asks 多少 says "some"
    ("为了给几家国有大行补充资本，准备发多少特别国债？" asks how many bonds, not banks)."""
    for m in _ASKED_MEASURE.finditer(text):
        if not (m.group().startswith("几") and _ASKED_LATER.search(text, m.end())):
            return m
    return None


_ASKED_LATER = re.compile(r"[，,][^？?]*多少")
_PERSONS = re.compile(r"人(?![工才民口员大类事力文体])")


def asked_figure(text: str) -> AskedFigure | None:
    """The figure a question asks for and a pattern the answer must contain, or None."""
    if m := _measure_asked(text):
        unit = m.group(1)
        if unit == "个" and _PERSONS.match(text, m.end()):
            unit = "人"  # "每次最多能评几个人": persons, whom "不超过2名" counts
        group = _GENERIC if unit in _GENERIC else _PEOPLE if unit in _PEOPLE else unit
        # "遴选一批" is no count: one batch of something says nothing of how many; nor is "同一个项目",
        # "单个推荐单位", "每一个" (the same one, a single one, each one).
        shows = re.compile(rf"(?<![同单每某任逐])(?!一批){_QTY}[{group}]")
        if unit == "天":  # "几天" is answered by "15个工作日内"
            shows = re.compile(rf"{_NUM}\s*{_ABOUT}个?(?:工作|自然)?[天日]")
        # (not "第一名": an ordinal counts nothing; people's 人/名/位 are one classifier in all but name;
        # "6个月" is a length of time, not things counted)
        own = (
            re.compile(rf"(?<![\d.第一二两三四五六七八九十百千万同单每某任逐]){_QTY}{unit}(?!月)")
            if unit in _GENERIC
            else None
        )
        return AskedFigure(f"count of {unit}", shows, text[m.start() - 1 : m.start()] != "第", own)
    if _ASKS_INTENSITY.search(text) and (ASKS_AMOUNT.search(text) or "目标" in text):
        return AskedFigure("percentage", _INTENSITY, True)
    for name, asks, shows in FAMILIES:
        if asks.search(text):
            if m := _EXPLICIT.search(text):
                unit = next((u for u in _UNIT_NAMES if m.group().endswith(u)), None)
                # "多少兆瓦", "多少万吨" (which "多少万" would take for money): that unit, written
                if unit and name in ("count", "money"):
                    return AskedFigure(f"count of {unit}", re.compile(rf"{_QTY}{unit}"), True)
                return AskedFigure(name, shows, True)
            if name == "date" and (named := written_years(text)):
                shows = _date_besides(named)
            return AskedFigure(name, shows)
    return None


def _date_besides(years: set[int]) -> re.Pattern[str]:
    """A date other than the years the question names itself: "2019年度…负责人的出生日期" is not given
    by "现将2019年度项目申报指南予以公布", but "2019年7月10日" is a date. (The lookahead binds to
    DATE_SHOWN's first alternative, the year.)"""
    named = "|".join(str(y) for y in sorted(years))
    return re.compile(rf"(?!(?:{named})年){DATE_SHOWN.pattern}")


# Asked how much in so many words ("多少", "多大", "几", "百分之几"): not "第几条", "前几名", "那几年", "几乎",
# nor a share the question states ("有百分之2.5属于哪一产业").
ASKS_AMOUNT = re.compile(r"多少|多大|多高|(?<![哪那这第前好])几(?!乎)|百分之(?:几|多少)|什么程度")
