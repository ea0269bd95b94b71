"""The answer check's model kinds, read with numpy: a logistic regression and boosted trees."""

import numpy as np
import pytest

from policyqa.query.scorers import scorer


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_trees_add_their_leaves_to_the_base_score():
    spec = {
        "kind": "trees", "base": -0.5, "depth": 2,
        "trees": [
            # x0 <= 0.5 → leaf -1; else x1 <= 0.2 → leaf +1, else leaf +2
            {"feature": [0, -1, 1, -1, -1], "threshold": [0.5, 0, 0.2, 0, 0], "left": [1, 0, 3, 0, 0],
             "right": [2, 0, 4, 0, 0], "value": [0, -1.0, 0, 1.0, 2.0]},
            {"feature": [-1], "threshold": [0], "left": [0], "right": [0], "value": [0.25]},  # a stump
        ],
    }  # fmt: skip
    rows = np.array([[0.5, 9.0], [0.9, 0.2], [0.9, 0.3]])
    expected = sigmoid(np.array([-0.5 - 1 + 0.25, -0.5 + 1 + 0.25, -0.5 + 2 + 0.25]))
    assert scorer(spec).probability(rows) == pytest.approx(expected)


def test_a_file_without_a_kind_is_a_logistic_regression():
    spec = {"mean": [1.0, 0.0], "scale": [2.0, 1.0], "coef": [1.0, -1.0], "intercept": 0.5}
    p = scorer(spec).probability(np.array([[3.0, 1.0]]))
    assert p == pytest.approx(sigmoid(np.array([(3 - 1) / 2 - 1 + 0.5])))


def test_an_unknown_kind_is_refused_with_the_kinds_known():
    with pytest.raises(ValueError, match="unknown kind .forest.*logistic.*mean.*trees"):
        scorer({"kind": "forest"})


def test_a_mean_averages_its_members_probabilities():
    logistic = {"kind": "logistic", "mean": [0.0], "scale": [1.0], "coef": [2.0], "intercept": 0.0}
    stump = {"kind": "trees", "base": 1.0, "depth": 0,
             "trees": [{"feature": [-1], "threshold": [0], "left": [0], "right": [0], "value": [0.0]}]}  # fmt: skip
    p = scorer({"kind": "mean", "models": [logistic, stump]}).probability(np.array([[0.5]]))
    assert p == pytest.approx((sigmoid(np.array([1.0])) + sigmoid(np.array([1.0]))) / 2)
    p = scorer({"kind": "mean", "models": [logistic, stump]}).probability(np.array([[-0.5]]))
    assert p == pytest.approx((sigmoid(np.array([-1.0])) + sigmoid(np.array([1.0]))) / 2)
