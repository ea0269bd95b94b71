"""Statistics of an evaluation: ranx retrieval metrics, bootstrap intervals, abstention scores and
calibration (expected calibration error and the bins of a reliability plot)."""

from __future__ import annotations

import warnings

import numpy as np

K = 10
KS = (1, 3, 5, 10)
RETRIEVAL_METRICS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10")
_RANX_NAMES = {**{f"hit@{k}": f"hit_rate@{k}" for k in KS}, "mrr@10": "mrr@10", "ndcg@10": "ndcg@10"}
NO_RELEVANT = "__no_relevant_passage_retrieved__"  # a qrels placeholder that never appears in a run
RESAMPLES, SEED = 1000, 0


def score_run(ranked: dict[str, list[tuple[str, bool]]]) -> dict[str, np.ndarray]:
    """Per-query ranx metrics for runs of (passage id, relevant?) in rank order, query order kept."""
    from ranx import Qrels, Run, evaluate

    qrels, run = {}, {}
    for qid, items in ranked.items():
        first: dict[str, bool] = {}
        for pid, rel in items:
            first.setdefault(pid, rel)
        items = list(first.items())[:K]
        run[qid] = {pid: float(K + 1 - i) for i, (pid, _) in enumerate(items)} or {"__empty_run__": 0.0}
        qrels[qid] = {pid: 1 for pid, rel in items if rel} or {NO_RELEVANT: 1}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba's unsafe-cast notices
        scores = evaluate(
            Qrels(qrels), Run(run), list(_RANX_NAMES.values()), return_mean=False, make_comparable=True
        )
    # ranx sorts queries by id internally; map its arrays back to our order.
    order = sorted(ranked)
    pos = {qid: i for i, qid in enumerate(order)}
    idx = np.array([pos[qid] for qid in ranked], dtype=int)
    return {ours: np.asarray(scores[theirs], dtype=float)[idx] for ours, theirs in _RANX_NAMES.items()}


def bootstrap_ci(values, stat=None, resamples: int = RESAMPLES, seed: int = SEED) -> list[float] | None:
    """Percentile-bootstrap 95% interval of ``stat`` (the mean by default) over the rows of ``values``."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return None
    stat = stat or (lambda a: float(np.mean(a)))
    rng = np.random.default_rng(seed)
    samples = [stat(values[rng.integers(0, len(values), len(values))]) for _ in range(resamples)]
    samples = [s for s in samples if s is not None and not np.isnan(s)]
    if not samples:
        return None
    lo, hi = np.percentile(samples, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def prf(predicted, actual) -> tuple[float, float, float]:
    """Precision, recall and F1 of boolean predictions against boolean labels (0 where undefined)."""
    predicted, actual = np.asarray(predicted, bool), np.asarray(actual, bool)
    tp = float(np.sum(predicted & actual))
    p = tp / predicted.sum() if predicted.sum() else 0.0
    r = tp / actual.sum() if actual.sum() else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def auroc(scores, labels) -> float | None:
    """Probability that a random positive scores above a random negative (ties count half)."""
    scores, labels = np.asarray(scores, float), np.asarray(labels, bool)
    pos, neg = scores[labels], scores[~labels]
    if not len(pos) or not len(neg):
        return None
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def best_threshold(confidences, unanswerable) -> tuple[float, float]:
    """The abstain threshold (abstain when confidence < t) with the best F1 for catching unanswerable."""
    conf = np.asarray(confidences, float)
    levels = np.unique(conf)
    if not len(levels):
        return 0.0, 0.0
    candidates = (
        [float(levels[0])]
        + [float(a + b) / 2 for a, b in zip(levels[:-1], levels[1:], strict=True)]
        + [float(levels[-1]) + 0.01]
    )
    best = max(((prf(conf < t, unanswerable)[2], -i, t) for i, t in enumerate(candidates)))
    return round(best[2], 4), round(best[0], 4)


def calibration_bins(confidences, correct, bins: int = 10) -> list[dict]:
    """Equal-width confidence bins: how many answers, their mean confidence and how many were right."""
    conf, ok = np.asarray(confidences, float), np.asarray(correct, bool)
    edges = np.linspace(0.0, 1.0, bins + 1)
    out = []
    for i in range(bins):
        inside = (conf >= edges[i]) & ((conf < edges[i + 1]) if i < bins - 1 else (conf <= edges[i + 1]))
        if inside.any():
            out.append(
                {"lo": float(edges[i]), "hi": float(edges[i + 1]), "n": int(inside.sum()),
                 "confidence": float(conf[inside].mean()), "accuracy": float(ok[inside].mean())}
            )  # fmt: skip
    return out


def expected_calibration_error(confidences, correct, bins: int = 10) -> float | None:
    """Σ (n_b / n) · |accuracy_b − confidence_b| over equal-width bins."""
    n = len(confidences)
    if not n:
        return None
    return float(
        sum(
            b["n"] / n * abs(b["accuracy"] - b["confidence"])
            for b in calibration_bins(confidences, correct, bins)
        )
    )


def percentiles(ms: list[float]) -> tuple[float | None, float | None]:
    if not ms:
        return None, None
    p50, p95 = np.percentile(ms, [50, 95])
    return round(float(p50), 1), round(float(p95), 1)


def r4(x):
    return None if x is None else round(float(x), 4)
