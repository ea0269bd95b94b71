"""What a comparison sets side by side ("2024年和2025年的赤字率相比", "“十三五”和“十四五”两个规划"), and
the best sentence of each side: the documents the question names, else the years it names, each side
answered by a sentence that names what is compared, in year order (compose.py's "compare" mode)."""

from __future__ import annotations

from collections.abc import Callable

from .analysis import QueryAnalysis
from .levels import tiers
from .picked import Picked
from .retrieve import Hit
from .scope import ScopeIndex
from .sentences import compared, names


def covers(hit: Hit, years: frozenset[int], year: int, scopes: ScopeIndex) -> bool:
    """Whether a sentence with these years, in this passage, speaks of ``year``."""
    return year in years or (not years and scopes.doc(hit.chunk.doc_id).covers(year))


def sides(analysis: QueryAnalysis, scopes: ScopeIndex) -> list[Callable[[Hit, frozenset[int]], bool]]:
    """What a comparison sets side by side: the documents it names ("“十三五”和“十四五”两个规划"),
    else the years ("2014年到2015年"); each as a test of (passage, sentence years)."""
    docs = analysis.scope.side_by_side if analysis.scope is not None else []
    if docs:
        return [lambda hit, years, d=d: hit.chunk.doc_id == d for d in docs]
    return [lambda hit, years, y=y: covers(hit, years, y, scopes) for y in analysis.years]


def _alone(years: frozenset[int], compared: set[int]) -> bool:
    """Whether a sentence speaking of ``years`` speaks of the years compared, not of a run of others
    (one other is a baseline: "比去年增加2700亿元")."""
    return len(years - compared) < 2


def sides_found(analysis: QueryAnalysis, found: list[tuple], scopes: ScopeIndex) -> bool:
    """Whether every side has a sentence so far that names what is compared, and speaks of no year
    but those compared (a review of five years is read on past, for the year's own report)."""
    topic, explicit = compared(analysis), set(analysis.years)
    return all(
        any(
            side(hit, years) and _alone(years, explicit) and names(topic, hit.chunk.text[s:e])
            for hit, s, e, years, _ in found
        )
        for side in sides(analysis, scopes)
    )


def side_best(
    analysis: QueryAnalysis, found: list[tuple], ranked: list[int], scopes: ScopeIndex
) -> list[int]:
    """Of the candidate sentences ``found`` (ranked best first), per side compared, the best on that
    side, and the best speaking of the years compared alone: a review of a run of years ranks high on
    words but gives no one year's figure."""
    explicit = set(analysis.years)
    best = []
    for side in sides(analysis, scopes):
        on_side = [i for i in ranked if side(found[i][0], found[i][3])]
        alone = [i for i in on_side if _alone(found[i][3], explicit)]
        best += on_side[:1] + alone[:1]
    return list(dict.fromkeys(best))


def _fits(sentence: str, asked: frozenset[str]) -> bool:
    """Whether ``sentence`` names a tier of government ``asked``; asked none, whether it is no part of a
    whole broken down by tiers ("其中，中央财政赤字…")."""
    named = tiers(sentence)
    return bool(named & asked) if asked else not (named and sentence.lstrip().startswith("其中"))


def per_year(analysis: QueryAnalysis, scored: list[Picked], scopes: ScopeIndex) -> list[Picked]:
    """The best sentence of each side compared, among those that name what is compared."""
    topic, asked, explicit = compared(analysis), tiers(analysis.question), set(analysis.years)
    chosen = []
    for side in sides(analysis, scopes):
        on_side = [c for c in scored if side(c.hit, c.years)]
        # A sentence that states a year compared before one that only its document's period covers, and
        # one of the years compared before one looking back on a run of others ("五年来…贫困人口减少6800
        # 多万" gives five years' total, not the year's).
        # Then one for the tier asked ("其中，中央财政赤字1.12万亿元" for 中央财政赤字), and asked none, the
        # whole ("今年拟安排财政赤字1.62万亿元") before its parts.
        on_side.sort(
            key=lambda c: (
                names(topic, c.text),
                bool(c.years & explicit),
                _alone(c.years, explicit),
                _fits(c.text, asked),
                c.score,
            ),
            reverse=True,
        )
        if on_side and on_side[0] not in chosen:
            chosen.append(on_side[0])
    return chosen or scored[:1]
