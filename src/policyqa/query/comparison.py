"""What a comparison sets side by side ("2024年和2025年的赤字率相比", "“十三五”和“十四五”两个规划"), and
the best sentence of each side: the documents the question names, else the years it names, each side
answered by a sentence that names what is compared, in year order (compose.py's "compare" mode)."""

from __future__ import annotations

from collections.abc import Callable

from .analysis import QueryAnalysis
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


def sides_found(analysis: QueryAnalysis, found: list[tuple], scopes: ScopeIndex) -> bool:
    """Whether every side has a sentence so far that names what is compared."""
    topic = compared(analysis)
    return all(
        any(side(hit, years) and names(topic, hit.chunk.text[s:e]) for hit, s, e, years, _ in found)
        for side in sides(analysis, scopes)
    )


def per_year(analysis: QueryAnalysis, scored: list[Picked], scopes: ScopeIndex) -> list[Picked]:
    """The best sentence of each side compared, among those that name what is compared."""
    topic = compared(analysis)
    chosen = []
    for side in sides(analysis, scopes):
        on_side = [c for c in scored if side(c.hit, c.years)]
        # A sentence that states a year compared before one that only its document's period covers.
        explicit = set(analysis.years)
        on_side.sort(key=lambda c: (names(topic, c.text), bool(c.years & explicit), c.score), reverse=True)
        if on_side and on_side[0] not in chosen:
            chosen.append(on_side[0])
    return chosen or scored[:1]
