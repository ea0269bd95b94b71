"""Which years a text speaks of: written out ("2022年"), relative to its document's year (今年, 去年,
过去五年), opened on ("2012年，…"), or carried from the line a bullet continues and the clause or
sentence a paragraph opened with. A year named only as a comparison's baseline ("比上年", "是2015年的
3.75倍") or inside a quoted title does not count.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..text.dates import FIVE_YEAR_PLAN, FIVE_YEARS_BACK, PLAN_YEAR, RELATIVE_YEARS, five_year_plan
from ..text.normalize import search_key

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
_RELATIVE = (
    # "从2004年人均每月700元提高到现在的1721元": the figure reached by the time of writing
    (re.compile(r"今年|本年|当年|(?:到|至)(?:现在|目前|今)(?!后)"), (0,)),
    (re.compile(r"去年|上年|上一年|过去一年|过去的一年|前一年|(?<![\d一二三四五六七八九十])一年来"), (-1,)),
    (re.compile(r"明年|下一年"), (1,)),
    # A review's sentence opening on "五年" ("五年全国水利建设投资3562亿元") totals the five years
    # looked back on; "五年内…" looks ahead, and so does a plan's ("五年城镇新增就业目标4500万人").
    (
        re.compile(
            # ("2018年的报告里，前五年…" is the report's own past five; "比前五年增长67%" a baseline)
            r"过去的?五年|五年来|近五年|回顾(?:那|这|前|过去)?的?五年|(?<![比较与跟同])前五年"
            r"|^五年(?![内后以里间中])(?![^。；]*(?:目标|预期|力争|计划|要|将|拟))"
        ),
        FIVE_YEARS_BACK,
    ),
)
# "比上年增加5500亿元", "与2012年相比": a year named only as the baseline of a comparison is not the year
# the sentence reports on ("今年安排地方专项债券1.35万亿元，比去年增加5500亿元" is a 2018 figure).
_BASELINE = re.compile(
    r"(?:比|较|同比|较之)\s*(?:(?:19|20)\d\d\s*年|去年|上年|上一年|前一年)(?:同期|末|底)?"
    r"|是\s*(?:(?:19|20)\d\d\s*年|去年|上年)(?:末|底)?的[\d.]+倍"
    r"|与\s*(?:(?:19|20)\d\d\s*年|去年|上年|上一年)(?:同期|末|底)?相比"
    # "相当于1950年到1997年全国水利建设投资的总和": the years measured against
    r"|相当于\s*(?:19|20)\d\d\s*年\s*(?:到|至|—|－|-)\s*(?:19|20)\d\d\s*年"
    # An applicant's condition dated by a day: "1959年1月1日以后出生", "注册时间为2018年5月31日前" bound who
    # may apply; the guide is not about those years.
    r"|(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]\s*(?:以后|之后|以前|之前|后|前)?\s*出生"
    r"|(?:注册|成立|登记)(?:时间|日期)?\s*(?:为|在)?\s*(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]\s*(?:以前|之前|前)"
)


def written_years(text: str) -> set[int]:
    """The years a text writes out ("2022年"), baselines of comparisons included."""
    return {int(y) for y in _YEAR.findall(search_key(text))}


# A title quoted in 《》 names a document: "编制完成了《总体实施方案（2018～2020年）》" says nothing about 2020.
_QUOTED_TITLE = re.compile(r"《[^《》]{0,80}》")


def baseline_years(text: str) -> set[int]:
    """The years a text names only as a comparison's baseline ("比2002年增长65.5%")."""
    key = search_key(text)
    return written_years(key) - _reported(key)[1]


def _reported(key: str) -> tuple[str, set[int]]:
    """A search key without its comparisons' baselines and quoted titles, and the years it writes out."""
    key = _QUOTED_TITLE.sub("", _BASELINE.sub("", key))
    return key, {int(y) for y in _YEAR.findall(key)}


def stated_years(text: str, doc_year: int | None) -> frozenset[int]:
    """Years a passage speaks of: written out, or relative to its document's year; a year named only
    as the baseline of a comparison does not count."""
    key, years = _reported(search_key(text))
    if doc_year:
        for pattern, offsets in _RELATIVE:
            if pattern.search(key):
                years.update(doc_year + o for o in offsets)
    return frozenset(years)


# A sentence that opens on a year ("2012年，在世界经济……国内生产总值增长7.8%，为今年经济发展……",
# "去年，…") reports on that year: a relative year further on (今年) is context, not its subject. Years
# written out further on still count ("1971年，…成立了联合大公国，1973年开始使用共同货币").
_OPENS_ON = re.compile(
    r"^(?:((?:19|20)\d\d)\s*年(?:全年|一年|以来)?|(今年|本年|去年|上年|过去一年|明年))(?:[，,]|是|我国|全国)"
)


# A dash-bulleted line ("——人工智能核心产业规模超过1500亿元") continues the line above it that set its
# year ("第一步，到2020年…"), and a passage may begin at the bullet, far from that line.
_BULLET = re.compile(r"[ \t\u3000]*(?:--|—{1,2}|－{1,2}|─{1,2})")


def bullet_lead(text: str, at: int) -> str:
    """The line that the dash bullet holding position ``at`` of ``text`` continues; "" when the line
    holding ``at`` is no such bullet."""
    start = text.rfind("\n", 0, at) + 1
    if not _BULLET.match(text, start):
        return ""
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        if not _BULLET.match(text, prev):
            return text[prev : start - 1]
        start = prev
    return ""


# A sentence or "；" clause that opens on a year, inside a paragraph; or on the five years a report looks
# back on ("2015年是“十二五”收官之年。过去五年，…五是人民生活水平显著提高。…城镇新增就业人数超过6400万人。"
# are five years' figures, not 2015's).
_OPENER_IN = re.compile(
    r"(?:^|(?<=[。；！？]))[ \u3000]*(?:((?:19|20)\d\d)\s*年(?:全年|一年)?"
    r"|(今年|本年|去年|上年|过去一年|明年|过去五年|五年来)|((?:19|20)\d0)\s*年代)(?:[，,]|是|我国|全国)",
    re.M,
)


def paragraph_year(text: str, at: int, doc_year: int | None) -> frozenset[int]:
    """The year that the last sentence or clause before ``at`` in its paragraph opened on: "2015年，全社会
    研发经费…。登记技术合同2.06万项…" and "2020年，…；…；年登记技术合同成交额突破1953.92亿元；" go on
    about the year opened."""
    start = text.rfind("\n", 0, at) + 1
    opened = None
    for m in _OPENER_IN.finditer(text, start, at):
        opened = m
    if opened is None or (opened.group(2) and not doc_year):
        return frozenset()
    if opened.group(1):
        return frozenset({int(opened.group(1))})
    if opened.group(3):  # "1930年代是…。其時，…": the decade
        return frozenset(range(int(opened.group(3)), int(opened.group(3)) + 10))
    return frozenset(doc_year + o for o in RELATIVE_YEARS[opened.group(2)])


def sentence_years(sentence: str, doc_year: int | None) -> frozenset[int]:
    """Years one sentence speaks of: the year it opens on and those it writes out, else every year it
    states, relative ones included (stated_years)."""
    key = search_key(sentence)
    m = _OPENS_ON.match(key)
    if not m or "以来" in m.group() or (m.group(2) and not doc_year):
        return stated_years(sentence, doc_year)
    opened = int(m.group(1)) if m.group(1) else doc_year + RELATIVE_YEARS[m.group(2)][0]
    return frozenset({opened, *_reported(key)[1]})


def is_run(years: Collection[int]) -> bool:
    """Three or more consecutive years: a period asked about ("十一五那五年", "1998到2002年")."""
    return len(years) >= 3 and max(years) - min(years) == len(years) - 1


def reviewing_year(years: list[int]) -> int | None:
    """The year whose report looks back over a run of years asked about ("十一五那五年…累计", 2006–2010:
    the 2011 report reviews them, in passages that say only "五年累计"); None for a year or a few apart."""
    return max(years) + 1 if is_run(years) else None


def heading_years(section: list[str], doc_year: int | None) -> frozenset[int]:
    """The years a passage's headings speak of: written out, relative to its document's year ("一、过去
    五年政府工作的回顾"), or a five-year plan's ("一、“十一五”时期国民经济和社会发展的回顾")."""
    text = " ".join(section)
    plans = [range(start, end + 1) for start, end in _plans(text).values()]
    return stated_years(text, doc_year).union(*plans)


def looks_back(
    asked: Collection[int], years: frozenset[int], section: list[str], doc_year: int | None
) -> bool:
    """Whether a sentence speaking of ``years`` under the headings ``section`` of a document of
    ``doc_year`` looks back on the whole asked run of years: as the paragraph it closes ("过去五年，…。
    城镇保障性安居工程住房建设4013万套") or, naming no year of its own, under a heading looking back on
    them ("一、“十一五”时期…的回顾": "使1100万户困难家庭住上了新房", not "2010年又…")."""
    asked = set(asked)
    # (speaking of the whole run and a year beside it, under "二、“十三五”时期发展成就和“十四五”时期主要目标
    # 任务", is looking back on the run too)
    return is_run(asked) and (asked <= years or not years and asked <= heading_years(section, doc_year))


def _plans(text: str) -> dict[str, tuple[int, int]]:
    return {name: (start, end) for start, end, name in map(five_year_plan, FIVE_YEAR_PLAN.finditer(text))}


def other_plan_period(question: str, quoted: list[tuple[list[str], str]]) -> tuple[str, str] | None:
    """(asked, quoted) when the question names a five-year plan ("十二五期间…新建了多少公里") and every quote,
    given as (its headings, its text), speaks only of other years: another plan ("二、“十三五”时期主要目标
    任务…新建改建高速公路通车里程约3万公里") or years written out ("三、2016年重点工作"). One period's figures
    are not another's; a quote naming no period or year at all may still answer."""
    asked = _plans(question)
    if not asked:
        return None
    others = []
    for section, text in quoted:
        said = " ".join([*section, text])
        plans, years = _plans(said), written_years(said)
        spans = [*plans.values(), *((y, y) for y in years)]
        if not spans or any(a <= d and c <= b for a, b in asked.values() for c, d in spans):
            return None
        others.append(f"“{min(plans)}”时期" if plans else f"{min(years)}年")
    return (f"“{min(asked)}”时期", others[0]) if others else None


# A figure over several years: five-year totals and averages, cumulative sums, a plan's period.
AGGREGATE = re.compile(r"五年|年均|累计|期间|十[一二三四五六]五|[两三四五]年来|[两三四五]年间")


def asks_aggregate(text: str) -> bool:
    """Whether a question speaks of several years (AGGREGATE); "十二五开局那年" is one year of a plan."""
    return AGGREGATE.search(PLAN_YEAR.sub("", text)) is not None


# … and the words that give a figure over years, not only mention a period ("实施“十四五”重大工程"):
# "2016年以来，我省143个项目获国家科技奖" totals the years since.
OVER_YEARS = re.compile(r"年均|累计|平均每年|过去[两三四五]年|[两三四五六七八九十]年(?:来|间|共)|\d年以来")
# An average or a total over years asked ("十四五期间GDP年均增速", "一年平均想跑多快", "十三五期间一共
# 有多少…脱贫") …
# (a period or a run of years, "1998到2002年这五年，…一共发了多少", "这几年加起来", with the total a
# clause on)
_TOTAL_ASKED = re.compile(
    r"(?:期间|时期|[两三四五六七八九十几]年(?:来|间|里)|五年|[头前][两三四五]年|这几年"
    r"|(?:19|20)\d\d年?(?:到|至|—|－|-|～)(?:19|20)\d\d年)"
    r"[^。？?]{0,16}(?:一共|累计|总共|合计|共计|总计|加起来|加在一起)"
)
_AVERAGE_ASKED = re.compile(rf"年均|平均每年|每年平均|一?年平均|{_TOTAL_ASKED.pattern}")
# … is given in words that speak of years: those that give a figure over years (OVER_YEARS), and
# "每年", "期间", "五年", "合计".
_OVER_YEARS = re.compile(
    rf"{OVER_YEARS.pattern}|每年|年平均|[两三四五六七八九十]年内|期间|时期|五年|合计|总计"
)


def asks_over_years(question: str) -> bool:
    """Whether the question asks an average or a total over years ("十三五期间一共…", "年均增长多少")."""
    return _AVERAGE_ASKED.search(question) is not None


def says_over_years(quote: str) -> bool:
    """Whether a quote gives its figure in words that speak of years ("五年累计", "年均", "期间")."""
    return _OVER_YEARS.search(quote) is not None


def asks_total(question: str) -> bool:
    """Whether the question asks a total over a period or a run of years ("十三五期间一共…")."""
    return _TOTAL_ASKED.search(question) is not None
