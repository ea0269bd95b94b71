"""The tier of government a figure is for: local regulations give one figure per tier ("市财政每年应当安排
人均不少于20元的科学技术普及专项经费，区、县（市）财政每年应当安排不少于人均10元"), and the central budget's
figures differ from the local ones. Asked the tier's figure that a text does not give ("乡镇、街道这一级每年
按人头得安排多少科普的钱？"), a quote giving another tier's does not answer.

Districts and counties are one tier, as regulations write them together ("区、县（市）"). A tier is read
from words that name it as such ("市级", "市财政", "区里", "乡镇"), not from a place's name ("上海市",
"帮扶县里").
"""

from __future__ import annotations

import re

from ..text.normalize import search_key
from .analysis import QueryAnalysis
from .contrast import asked_part
from .elsewhere import asked_terms
from .sentences import said

_CJK = r"\u4e00-\u9fff"
# A tier said as a place one belongs to ("区里", "市里"): after a word that leads to it, or on its own.
_IN = rf"(?:(?<![{_CJK}])|(?<=[那的在由归给向和与、是到]))"
_TIERS = {
    "中央": re.compile(r"中央(?:财政|预算|本级|政府)"),
    "地方": re.compile(r"地方(?:各级)?(?:财政|政府|预算|本级)"),  # ("地方各级财政安排的…")
    # (in a list of tiers too: "省、市、县财政")
    "省": re.compile(rf"省(?:级|财政|本级|人民政府|政府)|{_IN}省里|省(?=、[市县区])"),
    # (and a tier's own department: "向市科学技术行政部门备案", "到区科委备案"; not a zone's, "示范区科技")
    "市": re.compile(
        rf"(?<![县区])市(?:级|财政|本级|人民政府|政府)|{_IN}市里|(?<=省、)市|市(?=、[县区])"
        r"|(?<![城都示范自创园])市(?:科委|(?:科学技术|科技)(?:行政|主管)?(?:部门|委员会|局))"
    ),
    "区县": re.compile(
        rf"[区县](?:级|财政|本级|人民政府|政府)|区、县|区县|县[（(]市|{_IN}[区县]里|{_IN}[区县]一级"
        r"|(?<![城都示范自创园新])[区县](?:科委|(?:科学技术|科技)(?:行政|主管)?(?:部门|委员会|局))"
    ),
    "乡镇": re.compile(r"乡镇|街道|乡级|镇级|乡、镇"),
}
_CLAUSE = re.compile(r"[^，；。,;]+")


def tiers(text: str) -> frozenset[str]:
    """The tiers of government ``text`` names as such."""
    key = search_key(text)
    return frozenset(name for name, pattern in _TIERS.items() if pattern.search(key))


def other_tier(analysis: QueryAnalysis, quotes: list[str]) -> bool:
    """The question asks a figure of a tier, and every quoted clause giving such a figure gives it for
    other tiers only."""
    figure = analysis.figure
    asked = tiers(analysis.question)
    if figure is None or not asked:
        return False
    # (a clause saying nothing asked, "…累计三十年以上的" beside the tiers' sums, is no tier's figure)
    terms = asked_terms(analysis)
    clauses = [
        c
        for q in quotes
        for c in _CLAUSE.findall(search_key(q))
        if figure.shows.search(c) and any(said(t, c) for t in terms)
    ]
    given = [tiers(c) for c in clauses]
    return bool(given) and all(t and not (t & asked) for t in given)


# A designation's level, written against the thing designated ("省级大学科技园", "国家重点实验室"): a
# city's grant for the national one says nothing of the provincial one. (Not "全省", nor a tier's own
# finances, which other_tier reads.) The thing runs on to the next non-Chinese character, so two are one
# when their first three characters are ("众创空间给多少" / "众创空间给予").
_DESIGNATION = re.compile(r"(?<![全本各])(国家|省|市|县|区)(?:级|(?=重点))([\u4e00-\u9fff]{2,})")
_NOT_DESIGNATED = re.compile(r"^(?:财政|政府|人民政府|预算|本级|部门|以上|以下)")


def other_designation(analysis: QueryAnalysis, quotes: list[str]) -> tuple[str, str] | None:
    """(asked, quoted) when the question asks a figure for a thing of one level ("省级大学科技园") and
    the quotes give that thing only at other levels ("国家级大学科技园"); None when they give it at the
    level asked, or unlevelled, or not at all."""
    figure = analysis.figure
    if figure is None:
        return None
    asked = [
        (lv, t)
        for lv, t in _DESIGNATION.findall(search_key(analysis.question))
        if not _NOT_DESIGNATED.match(t)
    ]
    if len(asked) != 1:
        return None
    level, thing = asked[0]
    core = thing[:3]
    # (the clauses giving a figure, or naming what the next one gives it to: "对…的国家级大学科技园，给予
    # 最高300万元补助"; "支持高校建设大学科技园" before them gives nothing)
    levels, unlevelled = set(), False
    for q in quotes:
        clauses = _CLAUSE.findall(search_key(q))
        for i, c in enumerate(clauses):
            after = clauses[i + 1] if i + 1 < len(clauses) else ""
            if core not in c or not (figure.shows.search(c) or figure.shows.search(after)):
                continue
            named = [lv for lv, t in _DESIGNATION.findall(c) if t.startswith(core)]
            levels.update(named)
            unlevelled |= c.count(core) > len(named)
    if not levels or level in levels or unlevelled:
        return None
    return f"{level}级", f"{sorted(levels)[0]}级"


# Town and country: policy texts give most measures once for each ("城镇新增就业" but no rural figure;
# "城市居民最低生活保障" beside "农村低保"), so a figure for one side does not answer for the other.
# (农民工 work in towns: neither side; 城乡 is both, and names neither word.)
# The national average of residents ("全国居民人均可支配收入") is a third figure beside the two.
_SIDES = {
    "城镇": re.compile(r"城镇|城市|城里"),
    "农村": re.compile(r"农村|乡村|农民(?!工)"),
    "全国": re.compile(r"全国居民"),
}


def _sides(text: str) -> frozenset[str]:
    return frozenset(side for side, pattern in _SIDES.items() if pattern.search(text))


def other_side(analysis: QueryAnalysis, quotes: list[str]) -> tuple[str, str] | None:
    """(asked, quoted) when the question asks a figure for town or country only ("农村低保的补助资金")
    and every quoted clause giving such a figure, of a thing asked, names the other side only
    ("用于城市居民最低生活保障的补助资金…92亿元")."""
    figure = analysis.figure
    question = search_key(analysis.question)
    asked = _sides(asked_part(question))  # ("城镇的定了1100万，那农村的呢": 农村 is asked)
    if figure is None or len(asked) != 1:
        return None
    # (of the clauses giving such a figure, those on the thing asked: "城镇新增就业1000万人以上", not
    # "国内生产总值增长6.5%" beside it, which only shares the asked word 目标)
    clauses = [c for q in quotes for c in _CLAUSE.findall(search_key(q)) if figure.shows.search(c)]
    subject = search_key(analysis.subject or "")
    on = [c for c in clauses if subject and said(subject, c)]
    terms = asked_terms(analysis)
    given = [_sides(c) for c in on or [c for c in clauses if any(said(t, c) for t in terms)]]
    if not given or not all(g and not (g & asked) for g in given):
        return None
    return min(asked), min(given[0])


def other_level(analysis: QueryAnalysis, quotes: list[str]) -> tuple[str, str] | None:
    """(asked, quoted) when the quotes give the figure for another level of designation, or for the
    other side of town and country."""
    return other_designation(analysis, quotes) or other_side(analysis, quotes)
