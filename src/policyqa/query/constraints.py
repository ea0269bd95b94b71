"""Hard constraints a question puts on its answer: the places and years it names, and the kind of
figure it asks for ("多少户" needs a count of households, "占比" a percentage, "面积" an area).

Retrieval scores cannot tell "the passage is about this topic" from "the passage answers this";
these checks can, and they generalise across documents because they only read the question's form
(parsed once, in ``QueryAnalysis``).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..text.normalize import TERM_FORMS, indicators_named, search_key
from ..text.regions import province_of_city
from ..text.segment import tagged
from .analysis import QueryAnalysis
from .asking import NAMES_BODY
from .naming import asks_which_version
from .places import PLACES, PROVINCE_OF, places_and_years

# What a sentence says was done, and what only plans or starts a thing.
_DONE = re.compile(
    r"已|完成|完工|建成|建于|落成|竣工|成立|创立|创建|开业|开幕|启用|通车|开通|投产|投入(?:使用|运营|运行|生产)|运营|验收|实现|完毕|结束"
)
# ("要" of a plan, not the one in "重要", "主要", "需要", "要求")
_ONLY_PLANNED = re.compile(
    r"拟|将|计划|力争|(?<![重主需只纲摘必])要(?![求素点闻害件])|启动|开工|开始|筹建|着手|筹备"
)
_INTENDED = re.compile(r"拟|将|计划|力争|准备|筹划|打算")
# Any number at all, in digits or in words ("百分之八十", "三十日", "第五", "一半", "零增长"), not a digit
# of a name ("5G") …
_ANY_NUMBER = re.compile(
    r"\d(?!g)|[一二两三四五六七八九十百千万亿]+\s*(?:余|多|来)?"
    r"(?:[个项条批类种所座支家台套部篇只处人名位户件次亩天年倍元吨米岁月日号成周]|分之|万|亿)"
    r"|[第前排][一二两三四五六七八九十百]|半|零"
)
# … other than a reference to an article ("违反本条例第二十二条规定"), which counts nothing.
_ARTICLE_REF = re.compile(r"第[一二三四五六七八九十百零〇两\d]+[条款项章节]")
_PENALTY_ASKED = re.compile(
    r"罚(?:款|金)?[^，。？?]{0,8}(?:多少|几|怎么|如何)|(?:怎么|如何|怎样)[^，。？?]{0,4}(?:罚|处罚)"
)
_PENALTY = re.compile(r"罚|处分|没收|吊销|警告|责令|追究|撤销|取消|通报批评|记入|失信|不得")
NO_NUMBER = "引文中没有任何数字，不能回答“多少”"
OTHER_INDICATOR = "引文没有提到所问的指标"
# What a question asks explicitly and the quotes lack: vetoes where explicit figures are required.
EXPLICIT = ("引文中没有所问的人名", "引文中没有所问的地方", "引文中没有所问的处罚", "引文只说了计划")


# What follows a place's name, not a person's ("昌吉市", "乌昌石国家自主创新示范区").
_PLACE_AFTER = re.compile(r"[市县区省镇乡州]|高新|开发区|国家|示范区|自治|地区")


def names_person(text: str, places: Collection[str] = PLACES) -> bool:
    """jieba's tagger finds a person's name ("李强", "潘云鹤") or the text addresses one ("同志", "院士").
    jieba misses many names ("屠呦呦"), so only roles whose holders are named in Chinese style ask for
    this (asking.py); it takes places for names ("昌吉"): ``places``, and words before what follows a
    place's name, are none."""
    # (not "领导同志", "负责同志": a role, whoever holds it)
    if re.search(r"(?<!领导|负责|有关|相关)同志|先生|女士|院士|教授", text):
        return True
    words = [*tagged(text), ("", "")]
    return any(
        flag in ("nr", "nrfg", "nrt") and word not in places and not _PLACE_AFTER.match(words[i + 1][0])
        for i, (word, flag) in enumerate(words[:-1])
    )


def names_place(text: str, asked: Collection[str]) -> bool:
    """The text names a place other than those the question names: one of our list, a city written as
    a word ("郑州市"), or a place jieba tags as one ("洛阳", "长三角")."""
    named = places_and_years(text)[0] + [w for w, flag in tagged(text) if flag == "ns"]
    return any(p not in asked and not any(p in a for a in asked) for p in named)


def violations(
    analysis: QueryAnalysis, evidence_key: str, quote_text: str, regions: frozenset[str] = frozenset()
) -> list[str]:
    """Reasons the evidence cannot answer the question (empty when none is found).

    ``evidence_key`` is the search key of the passages the answer quotes plus their documents'
    title and metadata; ``quote_text`` is what the answer would quote; ``regions`` are the regions of
    the quoted documents.
    """
    reasons, key = [], search_key(quote_text)  # simplified, so that 臺灣 is 台湾
    # Years and places are kept by the scope (a year satisfied by the document's metadata or by a
    # relative year such as 去年 counts); only a place that is in no evidence at all is a reason here.
    for place in analysis.places:
        # A city of the province asked about falls under the province's rule ("浙江的创新券，杭州发的拿到
        # 宁波用行不行"), though not its figures ("新疆…昌吉高新区拿到了多少"), which the city's name must
        # be written beside.
        province = PROVINCE_OF.get(place) or province_of_city().get(place)
        if analysis.figure is None and province in analysis.places:
            continue
        if search_key(place) not in evidence_key:
            reasons.append(f"资料未涉及“{place}”")
        elif other_places(place, quote_text, regions):
            reasons.append(f"引文说的是其他地方，未提到“{place}”")
    if region := other_region(analysis.question, key):
        reasons.append(f"引文说的是其他地方，未提到“{region}”")
    # (asked which year's document said it, the document's own year, in its metadata, answers)
    shown = evidence_key if asks_which_version(analysis.question) else key
    if analysis.figure is not None and not analysis.figure.shows.search(shown):
        # Asked how much, a quote without a single number cannot say it, however close its words
        # ("比例不低于多少" against "可以从技术交易的收益中提取一定比例"): the answer check never sees it.
        numbered = _ANY_NUMBER.search(_ARTICLE_REF.sub("", key))
        reasons.append(NO_NUMBER if analysis.amount and not numbered else "引文中没有所问的数据")
    # An indicator asked by its abbreviation ("M2", "PUE", "5G") is a measure of its own: a quote that
    # writes it in none of its forms ("国内生产总值增长5%左右" for M2's target) gives another's figure.
    # (Not GDP: "经济增长6.5%" gives GDP's growth without naming it.)
    lowered = key.lower()
    for name in indicators_named(search_key(analysis.question)):
        if name != "gdp" and not any(form.lower() in lowered for form in TERM_FORMS[name]):
            reasons.append(f"{OTHER_INDICATOR}“{name.upper()}”")
    # A penalty asked ("弄虚作假的，罚款具体是多少？", "怎么罚") is written with one: an article naming none
    # (the regulation's date of effect, a rule on damages) does not answer it.
    if _PENALTY_ASKED.search(analysis.question) and not _PENALTY.search(quote_text):
        reasons.append("引文中没有所问的处罚")
    if analysis.person and not names_person(quote_text):
        reasons.append("引文中没有所问的人名")
    if analysis.place and not names_place(quote_text, analysis.places):
        reasons.append("引文中没有所问的地方")
    # (a start the question asks about itself, "新开工改造的…实际干了多少", is the measure, not a hedge)
    planned = [m[0] for m in _ONLY_PLANNED.finditer(quote_text) if m[0] not in analysis.text]
    if analysis.done and planned and not _DONE.search(quote_text):
        reasons.append("引文只说了计划或开始，没有说已经完成")
    # Asked which body did or leads a thing that the quote only intends, naming no body ("第二轮融资由
    # 哪家机构领投？" against "计划开展第二轮融资"): an intention that names no body cannot say which.
    # (Not a start: "乌鲁木齐海关参与推动…启动试点工作" names its body in a form NAMES_BODY misses.)
    if (
        analysis.body
        and _INTENDED.search(quote_text)
        and not _DONE.search(quote_text)
        and not NAMES_BODY.search(quote_text)
    ):
        reasons.append("引文只说了计划，没有说由哪个机构承担")
    return reasons


def other_places(place: str, quote_text: str, regions: frozenset[str]) -> bool:
    """The quote names other places and not the one asked ("新疆离岸（大连）创新基地的孵化面积" is not
    answered by "在北京、上海、深圳等地建设离岸孵化器…孵化总面积3.2万平方米"), where the asked place is
    not the quoted document's own region, nor holds the places quoted (a sentence about 乌鲁木齐 is about
    新疆)."""
    key = search_key(quote_text)  # simplified, so that 臺灣 is 台湾
    if search_key(place) in key or place in regions:
        return False
    return any(p in key for p in PLACES if p not in place and place not in p and PROVINCE_OF.get(p) != place)


# The country's regions as reports set them apart ("支持中西部地区", "东北地区等老工业基地振兴"), as
# names of regions and not parts of words ("其中部分", "广东部分"); 中西部 is both 中部 and 西部.
_REGIONS = {
    "东北": {"东北"},
    "东部": {"东部"},
    "中部": {"中部"},
    "西部": {"西部"},
    "中西部": {"中部", "西部"},
}
_REGION = re.compile(
    rf"({'|'.join(sorted(_REGIONS, key=len, reverse=True))})"
    r"(?=地区|大开发|崛起|振兴|率先|沿海|老工业基地|省份|各省|[和、与及])"
)


def other_region(question: str, key: str) -> str | None:
    """The region the question asks about (东北, 西部…) when the quote (``key``, its search key) names
    only others: "87%用于支持中西部地区" says nothing of 东北."""
    asked, quoted = set(_REGION.findall(question)), set(_REGION.findall(key))
    covered = set().union(*(_REGIONS[r] for r in quoted))
    missing = [r for r in asked if not _REGIONS[r] & covered]
    return missing[0] if quoted and missing and len(missing) == len(asked) else None
