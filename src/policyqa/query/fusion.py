"""Fusion of ranked runs into one score per candidate: the one implementation that the retriever, the
sweeps and the benchmarks share.

A run is a list of (row, score) best first. Methods:
- ``rrf``: reciprocal-rank fusion with equal weights;
- ``weighted_rrf``: RRF with a dense weight w and lexical weight 1-w;
- ``score``: min-max normalised scores combined with the same weights;
- ``adaptive``: weighted RRF whose lexical weight rises when the question carries exact tokens
  (document numbers, figures, dates, Latin names) that BM25 matches and embeddings blur;
- ``score_dist``: score combination whose dense weight follows, per question, how sure each retriever
  is: how far its best score stands above the rest of its run (a z-score), so a question that BM25
  matches sharply leans on BM25 and a paraphrase that BM25 barely touches leans on the embeddings.
"""

from __future__ import annotations

import numpy as np

from .params import FUSION

Run = list[tuple[int, float]]


def rrf(rankings: list[list[int]], weights: list[float], k: int = 60) -> dict[int, float]:
    """Σ w_i / (k + rank_i), rank starting at 1; items missing from a ranking get nothing from it."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, row in enumerate(ranking, 1):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    return fused


def minmax_combine(runs: list[Run], weights: list[float]) -> dict[int, float]:
    """Σ w_i · (s - min_i) / (max_i - min_i); a run with a single distinct score counts as 1 for all."""
    fused: dict[int, float] = {}
    for run, weight in zip(runs, weights):
        if not run:
            continue
        scores = np.array([s for _, s in run], dtype=np.float64)
        lo, hi = scores.min(), scores.max()
        for row, s in run:
            norm = (s - lo) / (hi - lo) if hi > lo else 1.0
            fused[row] = fused.get(row, 0.0) + weight * norm
    return fused


def sureness(run: Run, depth: int = 10) -> float:
    """How far a run's best score stands above the rest of its top ``depth`` (a z-score, 0 when flat)."""
    scores = np.array([s for _, s in run[:depth]], dtype=np.float64)
    if len(scores) < 3:
        return 0.0
    rest = scores[1:]
    spread = rest.std() or 1e-9
    return max(0.0, float((scores[0] - rest.mean()) / spread))


def weights(
    method: str, dense_weight: float, exactness: float = 0.0, dense: Run = (), lexical: Run = ()
) -> list[float]:
    """[dense, lexical] weights of a method for a question (its exactness, 0..1, and its two runs)."""
    if method == "rrf":
        return [0.5, 0.5]
    w = dense_weight
    if method == "adaptive":
        w = w * (1.0 - FUSION.adaptive_drop * exactness)
    elif method == "score_dist":
        d, lx = sureness(list(dense)), sureness(list(lexical))
        if d + lx > 0:  # half the fixed weight, half what this question's runs say
            w = (1 - FUSION.dist_share) * w + FUSION.dist_share * d / (d + lx)
    return [w, 1.0 - w]


def fuse(
    dense: Run, lexical: Run, method: str, dense_weight: float, exactness: float = 0.0, rrf_k: int = 60
) -> dict[int, float]:
    """One fused score per row that either run holds."""
    w = weights(method, dense_weight, exactness, dense, lexical)
    if method in ("score", "score_dist"):
        return minmax_combine([dense, lexical], w)
    return rrf([[r for r, _ in dense], [r for r, _ in lexical]], w, rrf_k)


def raise_matching(fused: dict[int, float], matches, boost: float) -> dict[int, float]:
    """Relative raise of ``boost`` for the rows where ``matches(row)`` holds."""
    if boost <= 0:
        return fused
    return {row: s * (1.0 + boost) if matches(row) else s for row, s in fused.items()}


def order(fused: dict[int, float]) -> list[int]:
    return sorted(fused, key=lambda r: -fused[r])
