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
