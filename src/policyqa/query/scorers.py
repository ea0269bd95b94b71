"""The two kinds of model the answer check's file may hold, read with plain numpy.

``logistic``: standardised features, one weight each. ``trees``: gradient-boosted decision trees (fitted
by scikit-learn in eval/verifier/train.py and written out node by node), whose sum can weigh a feature by
another ("the sentence covers most of the question" counts for less when the question's rarest word is
missing from it), which one weight per feature cannot. ``mean``: the average of several such models'
probabilities (a regression that reads paraphrases kindly beside trees that are strict about what is
missing). Each returns the probability that a sentence answers the question, before the isotonic map of
``Verifier`` turns the best one into a confidence.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np


class Scorer(Protocol):
    def probability(self, rows: np.ndarray) -> np.ndarray: ...


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


class Logistic:
    def __init__(self, spec: dict):
        self.mean = np.asarray(spec["mean"], dtype=np.float64)
        self.scale = np.asarray(spec["scale"], dtype=np.float64)
        self.coef = np.asarray(spec["coef"], dtype=np.float64)
        self.intercept = float(spec["intercept"])

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return _sigmoid(((rows - self.mean) / self.scale) @ self.coef + self.intercept)


class Trees:
    """Trees stored as parallel node lists: a node splits on ``feature`` (left when the value is at most
    ``threshold``) or is a leaf (feature -1) adding ``value`` to the raw score. Every tree is walked for
    every row at once, one level per step."""

    def __init__(self, spec: dict):
        trees = spec["trees"]
        width = max(len(t["feature"]) for t in trees)

        def padded(key: str, fill, dtype) -> np.ndarray:
            return np.array([t[key] + [fill] * (width - len(t[key])) for t in trees], dtype=dtype)

        self.feature = padded("feature", -1, np.int64)
        self.threshold = padded("threshold", 0.0, np.float64)
        self.left = padded("left", 0, np.int64)
        self.right = padded("right", 0, np.int64)
        self.value = padded("value", 0.0, np.float64)
        self.base = float(spec["base"])
        self.depth = int(spec["depth"])

    def probability(self, rows: np.ndarray) -> np.ndarray:
        n, count = len(rows), len(self.feature)
        tree = np.arange(count)[None, :]
        node = np.zeros((n, count), dtype=np.int64)
        for _ in range(self.depth):
            feature = self.feature[tree, node]
            x = np.take_along_axis(rows, np.maximum(feature, 0), axis=1)
            step = np.where(x <= self.threshold[tree, node], self.left[tree, node], self.right[tree, node])
            node = np.where(feature < 0, node, step)
        return _sigmoid(self.base + self.value[tree, node].sum(axis=1))


class Mean:
    def __init__(self, spec: dict):
        self.models = [scorer(member) for member in spec["models"]]

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return np.mean([m.probability(rows) for m in self.models], axis=0)


KINDS: dict[str, type] = {"logistic": Logistic, "trees": Trees, "mean": Mean}


def scorer(spec: dict) -> Scorer:
    """The scorer a model file describes (a file without ``kind`` predates the trees: logistic)."""
    kind = spec.get("kind", "logistic")
    if kind not in KINDS:
        raise ValueError(f"verifier model of unknown kind {kind!r}: expected one of {sorted(KINDS)}")
    return KINDS[kind](spec)
