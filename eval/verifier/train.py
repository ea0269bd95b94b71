#!/usr/bin/env python3
"""Fit the answer check from rows made by collect.py and write src/policyqa/query/verifier.json.

    python eval/verifier/train.py ROWS.npz [ROWS.npz …] [--policy-set NAME] [--max-false-abstain 0.05]

1. A logistic regression over the standardised features of every candidate sentence (label: it holds a
   gold string). 2. Out-of-fold scores (5 folds by question, so no question is scored by a model that saw
   it): an answer's score is the best score among the sentences it quotes. 3. An isotonic map from that
   score to "the answer is right", fitted on the out-of-fold answers: the confidence users see is a
   probability. 4. The abstain threshold, chosen on the out-of-fold answers: the lowest one at which at least 80% of
   the near misses of every reading-comprehension set are refused (their answerable twins almost never
   are); the policy set's own numbers at that threshold are printed beside it. Our own questions weigh
   three times as much as a reading-comprehension question in the fit (their domain is ours).
Answers that a hard check refuses whatever their score (collect.py records them) are left out of the
isotonic fit: they never show a confidence above the threshold, and counting them would make the map
underconfident for every answer that passes the checks.
With --recalibrate the regression's weights are kept from the bundled model and only the isotonic map and
the threshold are fitted again (for when the candidates or the hard checks change, not the features).
Prints the out-of-fold metrics per set; the model file is a few kilobytes of JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from policyqa.evaluation.metrics import auroc, expected_calibration_error, prf
from policyqa.query.scorers import scorer
from policyqa.query.verify import FEATURES, Verifier

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "src" / "policyqa" / "query" / "verifier.json"
FOLDS, C = 5, 1.0
POLICY_WEIGHT = 3.0  # a policy question's rows count this much more than a reading-comprehension one's
NEAR_MISS_TARGET = 0.8
# The trees (chosen out of fold on these rows, 2026-12-06): small, many, slow to learn, each leaf backed by
# enough sentences. Features whose meaning fixes the direction are held to it, so that no tree learns from a
# few sentences that more coverage or a missing place makes an answer likelier to be right.
TREES = {"max_iter": 300, "max_leaf_nodes": 15, "learning_rate": 0.05, "min_samples_leaf": 20,
         "l2_regularization": 1.0, "early_stopping": True, "random_state": 0}  # fmt: skip
RISING = {"dense", "passage_dense", "coverage", "coverage_evidence", "coverage_focus", "inverse_rank",
          "figure_shown", "subject_shown", "who_filled", "org_filled", "when_filled"}  # fmt: skip
FALLING = {"place_missing", "title_missing", "unknown_document", "number_missing", "planned_for_done",
           "missing_distinct"}  # fmt: skip


def load(paths: list[Path]) -> dict:
    parts = [dict(np.load(p, allow_pickle=False)) for p in paths]
    for p in parts:
        if tuple(p["features"]) != FEATURES:
            sys.exit("rows were collected with other features: collect them again")
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0] if k != "features"}


class Fitted:
    """A model fitted on some rows, with its spec as verifier.json stores it. ``mean`` fits the trees and
    averages them with a regression fitted before (``kept``): the bundled one, see ``kept_logistic``."""

    def __init__(self, kind: str, x: np.ndarray, y: np.ndarray, weight=None, kept: dict | None = None):
        if kind == "mean":
            trees = Fitted("trees", x, y, weight).spec
            self.spec = {"kind": kind, "models": [kept, trees]}
        elif kind == "logistic":
            mean, scale = x.mean(axis=0), x.std(axis=0)
            scale[scale == 0] = 1.0
            model = LogisticRegression(C=C, max_iter=5000).fit((x - mean) / scale, y, sample_weight=weight)
            self.spec = {"kind": kind, "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
                         "coef": np.round(model.coef_[0], 6).tolist(),
                         "intercept": round(float(model.intercept_[0]), 6)}  # fmt: skip
        else:
            monotonic = [1 if f in RISING else -1 if f in FALLING else 0 for f in FEATURES]
            model = HistGradientBoostingClassifier(monotonic_cst=monotonic, **TREES)
            model.fit(x, y, sample_weight=weight)
            self.spec = {"kind": kind, **export_trees(model)}
            # The numpy walk (scorers.Trees) must give what scikit-learn gives.
            check = x[:: max(1, len(x) // 2000)]
            assert np.allclose(self.score(check), model.predict_proba(check)[:, 1], atol=1e-4)

    def score(self, x: np.ndarray) -> np.ndarray:
        return scorer(self.spec).probability(x)


def kept_logistic() -> dict:
    """The regression of the bundled model (itself, or the member of its mean): a mean keeps it, since
    each refit of the regression alone lost right answers on the sets it was not fitted on (README). Its
    weights are matched to the features by name; a feature added since weighs nothing in it."""
    if not MODEL.is_file():
        sys.exit(f"--model mean keeps the bundled regression: {MODEL} is missing")
    spec = json.loads(MODEL.read_text(encoding="utf-8"))
    members = spec["models"] if spec.get("kind") == "mean" else [spec]
    found = [m for m in members if m.get("kind", "logistic") == "logistic"]
    if not found:
        sys.exit("--model mean keeps the bundled regression, and the bundled model has none")
    old = {f: i for i, f in enumerate(spec["features"])}
    missing = [f for f in old if f not in FEATURES]
    if missing:
        sys.exit(f"the bundled regression reads features that are gone ({', '.join(missing)}): fit anew")

    def column(key: str, absent: float) -> list[float]:
        return [found[0][key][old[f]] if f in old else absent for f in FEATURES]

    return {"kind": "logistic", "mean": column("mean", 0.0), "scale": column("scale", 1.0),
            "coef": column("coef", 0.0), "intercept": found[0]["intercept"]}  # fmt: skip


def export_trees(model: HistGradientBoostingClassifier) -> dict:
    """The fitted trees as node lists (scorers.Trees reads them): split feature (-1 at a leaf), threshold,
    children and leaf value; the raw score is ``base`` plus one leaf value per tree."""
    trees, depth = [], 0
    for (predictor,) in model._predictors:  # one tree per round for a two-class problem
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append({
            "feature": np.where(leaf, -1, nodes["feature_idx"]).astype(int).tolist(),
            "threshold": np.where(leaf, 0.0, nodes["num_threshold"]).tolist(),
            "left": nodes["left"].astype(int).tolist(), "right": nodes["right"].astype(int).tolist(),
            "value": np.where(leaf, nodes["value"], 0.0).round(6).tolist(),
        })  # fmt: skip
        depth = max(depth, int(nodes["depth"].max()))
    return {"base": float(np.ravel(model._baseline_prediction)[0]), "depth": depth, "trees": trees}


def answers(data: dict, scores: np.ndarray) -> dict:
    """One entry per question: the best score among the quoted sentences, and whether the answer is right."""
    out: dict[str, dict] = {}
    for i, g in enumerate(data["group"]):
        a = out.setdefault(g, {"best": 0.0, "right": False, "answerable": bool(data["answerable"][i]),
                               "set": str(data["set"][i]), "type": str(data["type"][i]),
                               "near_miss": str(g).endswith(":miss"),
                               "vetoed": bool(data["vetoed"][i]) if "vetoed" in data else False})  # fmt: skip
        if data["picked"][i]:
            a["best"] = max(a["best"], float(scores[i]))
            a["right"] = a["right"] or bool(data["y"][i])
    return out


def calibrate(entries: list[dict], policy_set: str = "") -> tuple[np.ndarray, IsotonicRegression]:
    """Out-of-fold confidences for every answer, and the isotonic map fitted on all of them. The map is
    fitted out of fold too, so the reported calibration is honest; a vetoed answer is refused whatever
    its score (confidence 0 here) and stays out of every fit. The policy set's answers weigh
    POLICY_WEIGHT times as much, as in the regression: the confidence users see is about their domain."""
    best = np.array([e["best"] for e in entries])
    right = np.array([e["right"] and e["answerable"] for e in entries])
    kept = np.array([not e["vetoed"] for e in entries])
    weight = np.array([POLICY_WEIGHT if e["set"] == policy_set else 1.0 for e in entries])

    def fit_map(rows: np.ndarray) -> IsotonicRegression:
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
        return iso.fit(best[rows], right[rows], sample_weight=weight[rows])

    conf = np.zeros(len(entries))
    for train, test in GroupKFold(n_splits=FOLDS).split(
        best, right, [e["set"] + str(i % 97) for i, e in enumerate(entries)]
    ):
        conf[test] = fit_map(train[kept[train]]).predict(best[test])
    conf[~kept] = 0.0
    return conf, fit_map(np.flatnonzero(kept))


def choose_threshold(entries: list[dict], conf: np.ndarray) -> float:
    """The lowest threshold that refuses NEAR_MISS_TARGET of every set's near misses."""
    groups = {}
    for i, e in enumerate(entries):
        if e["near_miss"]:
            groups.setdefault(e["set"], []).append(conf[i])
    for t in np.unique(np.round(conf, 4)):
        if all(np.mean(np.array(v) < t) >= NEAR_MISS_TARGET for v in groups.values()):
            return float(t)
    return 0.5


def report(entries: list[dict], conf: np.ndarray, threshold: float) -> None:
    sets = sorted({e["set"] for e in entries})
    for name in sets:
        idx = [i for i, e in enumerate(entries) if e["set"] == name]
        c = conf[idx]
        answerable = np.array([entries[i]["answerable"] for i in idx])
        right = np.array([entries[i]["right"] for i in idx])
        abstained = c < threshold
        line = f"{name:<18} n={len(idx):>5}  answer-right {right[answerable].mean() if answerable.any() else 0:.3f}"
        if (~answerable).any() and answerable.any():
            p, r, f1 = prf(abstained, ~answerable)
            line += f"  AUROC {auroc(1 - c, ~answerable):.3f}  abstain F1 {f1:.3f} (P {p:.2f} R {r:.2f})"
        if answerable.any():
            line += f"  false abstain {abstained[answerable].mean():.3f}"
        if (~answerable).any():
            line += f"  unanswerable abstained {abstained[~answerable].mean():.3f}"
        given = ~abstained
        if given.any():
            line += f"  ECE {expected_calibration_error(c[given], right[given]):.3f}"
        print(line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rows", type=Path, nargs="+")
    ap.add_argument("--policy-set", default="collection-dev", help="the set the threshold is chosen on")
    ap.add_argument("--model", choices=("mean", "trees", "logistic"), default="mean", help="what to fit")
    ap.add_argument("--dry-run", action="store_true", help="report only; do not write the model")
    ap.add_argument(
        "--recalibrate", action="store_true", help="keep the bundled weights; fit the map and threshold"
    )
    args = ap.parse_args(argv)
    data = load(args.rows)
    x, y, groups = data["x"], data["y"], data["group"]
    weight = np.where(data["set"] == args.policy_set, POLICY_WEIGHT, 1.0)
    bundled = Verifier.bundled() if args.recalibrate else None
    kept = kept_logistic() if args.model == "mean" and not args.recalibrate else None
    if bundled is not None:
        oof = bundled.score(x)  # the weights are not refitted, so no fold can have seen a question
    else:
        oof = np.zeros(len(y))
        for train, test in GroupKFold(n_splits=FOLDS).split(x, y, groups):
            oof[test] = Fitted(args.model, x[train], y[train], weight[train], kept).score(x[test])
    entries = list(answers(data, oof).values())
    conf, iso = calibrate(entries, args.policy_set)
    threshold = choose_threshold(entries, conf)
    print(
        f"threshold {threshold:.4f} (the lowest that refuses {NEAR_MISS_TARGET:.0%} of every set's near misses)"
    )
    report(entries, conf, threshold)
    if bundled is not None:
        spec = {
            k: v for k, v in bundled.model.items() if k not in ("features", "isotonic", "threshold", "info")
        }
    else:
        spec = Fitted(args.model, x, y, weight, kept).spec
    for member in spec["models"] if spec.get("kind") == "mean" else [spec]:
        if member.get("kind", "logistic") == "logistic":
            weights = dict(zip(FEATURES, (np.array(member["coef"]) / np.array(member["scale"])).round(4)))
            print("weights per unit of feature:", json.dumps({k: float(v) for k, v in weights.items()}))
        else:
            print(f"{len(member['trees'])} trees, depth up to {member['depth']}")
    if args.dry_run:
        return 0
    knots = np.unique(np.concatenate([[0.0, 1.0], iso.X_thresholds_]))
    spec = {
        "features": list(FEATURES), **spec,
        "isotonic": {"x": knots.round(6).tolist(), "y": iso.predict(knots).round(6).tolist()},
        "threshold": round(threshold, 4),
        "info": {"rows": int(len(y)), "questions": len(entries), "sets": sorted({e["set"] for e in entries}),
                 "command": "eval/verifier/train.py " + ("--recalibrate " if bundled else f"--model {args.model} ")
                 + " ".join(p.name for p in args.rows)},
    }  # fmt: skip
    # One line: the trees' node lists would take a line per number.
    MODEL.write_text(json.dumps(spec, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {MODEL.relative_to(ROOT)} ({MODEL.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
