"""Which passages an answer reads, given the question's analysis.

``search`` returns the top ``k`` passages of the question's scope. An answer reads further: a question
naming a year skips passages about other years (the year before's review in the asked year's report), so
it reads ``year_depth`` passages; a comparison of years ("2010年和2025年的…目标有何不同") is searched
once per year, so that no year's passages are crowded out by another's, and the runs are dealt in turn.
A refusal still offers only the first ``k`` as related reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from itertools import zip_longest

import numpy as np

from .analysis import QueryAnalysis
from .naming import asks_which_version
from .params import SENTENCES
from .retrieve import Hit
from .scope import ScopeIndex


def evidence(
    retrieve: Callable[[QueryAnalysis, int], list[Hit]], scopes: ScopeIndex, analysis: QueryAnalysis, k: int
) -> list[Hit]:
    depth = max(k, SENTENCES.year_depth) if analysis.years else k
    scope, years = analysis.scope, analysis.years
    if analysis.mode != "compare" and analysis.tense == "outcome" and years and scope is not None:
        # What a year achieved is told by a later document looking back ("2023年实际经济增长多少" by the
        # 2024 report's review), whose one passage the year's own report, all plans for it, crowds out.
        later = scopes.looking_back(scope.rows, years)
        if len(later):
            back = retrieve(replace(analysis, scope=replace(scope, rows=later)), depth)
            found = retrieve(analysis, depth)
            return _dealt([back, found]) or found
    if analysis.mode != "compare" or scope is None:
        return current(retrieve, scopes, analysis, retrieve(analysis, depth), depth)
    runs = []
    if scope.side_by_side:  # "“十三五”和“十四五”两个规划…分别": one search per document named
        doc_of = np.array(scopes.doc_of)
        for doc_id in scope.side_by_side:
            rows = np.flatnonzero(doc_of == doc_id)
            rows = rows if scope.rows is None else np.intersect1d(rows, scope.rows)
            runs.append(
                retrieve(replace(analysis, scope=replace(scope, rows=rows)), depth) if len(rows) else []
            )
    elif 2 <= len(years) <= SENTENCES.compare_years:
        for year in years:
            one = scopes.scope([year], analysis.places, scope.filters, analysis.text, analysis.tense)
            runs.append([] if one.empty else retrieve(replace(analysis, scope=one), depth))
    else:
        return retrieve(analysis, depth)
    return _dealt(runs) or retrieve(analysis, depth)


def _dealt(runs: list[list[Hit]]) -> list[Hit]:
    """The runs' passages dealt in turn, each once, ranked in that order."""
    merged: dict[str, Hit] = {}
    for group in zip_longest(*runs):
        for hit in group:
            if hit is not None and hit.chunk.chunk_id not in merged:
                merged[hit.chunk.chunk_id] = replace(hit, rank=len(merged) + 1)
    return list(merged.values())


def current(
    retrieve: Callable[[QueryAnalysis, int], list[Hit]],
    scopes: ScopeIndex,
    analysis: QueryAnalysis,
    hits: list[Hit],
    depth: int,
) -> list[Hit]:
    """Asked one fact without a year or version, where several versions of a document answer ("赤字率
    是多少？" finding the reports of 2016, 2020 and 2025; a regulation and its revision), officials mean
    the one in force: the search is run again without the superseded ones, and the question's scope
    says so (the answer tells the reader). Elsewhere the passages are left as found, so that a question
    no version answers reads what it read before."""
    scope = analysis.scope
    named = analysis.years or scope is None or scope.filters.year or scope.filters.doc_ids
    # "哪一年的政府工作报告宣布…" asks which version said it: every version may be the one.
    named = named or asks_which_version(analysis.text)
    if analysis.mode != "fact" or named or not scopes.versions_compete([h.chunk.doc_id for h in hits]):
        return hits
    # "老版细则也是这么罚的吗？" (or a turn before it, unless this one asks the one in force) asks the
    # versions before the one in force, not the latest.
    own = analysis.question
    earlier = _EARLIER.search(own if _LATER.search(own) else analysis.text) is not None
    old = scopes.superseded_rows
    rows = np.flatnonzero(old) if scope.rows is None else scope.rows[old[scope.rows]]
    analysis.scope = replace(scope, rows=rows) if earlier and len(rows) else scopes.current_only(scope)
    return retrieve(analysis, depth)


# A version asked by its age: "老版细则", "原来那版", "修订前的"; and the one in force ("现行的", "新版").
_EARLIER = re.compile(
    r"(?:老|旧|原来的?|之前的?|以前的?|上一)(?:那|一)?版|修[订改]之?前|老(?:条例|细则|办法|规定)"
)
_LATER = re.compile(r"新版|现行|最新|现在的?(?:那|这)?版")
