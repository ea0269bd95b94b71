"""eval/verifier/train.py: the confidence map leaves out answers a hard check refuses whatever their score."""

import importlib.util
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def load():
    spec = importlib.util.spec_from_file_location("verifier_train", ROOT / "eval" / "verifier" / "train.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def entry(best, right, vetoed=False):
    return {"best": best, "right": right, "answerable": True, "set": "s", "type": "t",
            "near_miss": False, "vetoed": vetoed}  # fmt: skip


def test_vetoed_answers_stay_out_of_the_map_and_are_refused():
    rng = np.random.default_rng(0)
    entries = []
    for _ in range(200):  # answers that pass the checks: a high score is right nine times in ten
        best = float(rng.uniform(0.6, 1.0))
        entries.append(entry(best, bool(rng.uniform() < 0.9)))
    for _ in range(200):  # the same scores, but vetoed and wrong: they must not drag the map down
        entries.append(entry(float(rng.uniform(0.6, 1.0)), False, vetoed=True))
    for _ in range(200):  # low scores, mostly wrong
        entries.append(entry(float(rng.uniform(0.0, 0.3)), bool(rng.uniform() < 0.1)))
    conf, iso = load().calibrate(entries)
    vetoed = np.array([e["vetoed"] for e in entries])
    assert (conf[vetoed] == 0).all()
    high = iso.predict(np.array([0.8]))[0]
    assert 0.8 < high <= 1.0  # counting the vetoed ones would give about 0.45
    low = iso.predict(np.array([0.1]))[0]
    assert low < 0.3
    passed = ~vetoed & (np.array([e["best"] for e in entries]) > 0.6)
    assert abs(conf[passed].mean() - 0.9) < 0.08  # out of fold, still the rate at which they are right


def test_the_trees_written_out_score_as_scikit_learn_does():
    """verifier.json holds the trees node by node; scorers.Trees walks them with numpy at run time."""
    from policyqa.query.scorers import scorer
    from policyqa.query.verify import FEATURES

    train = load()
    rng = np.random.default_rng(1)
    # An interaction no single weight per feature can say: a long sentence helps a short question only.
    a, b = FEATURES.index("sentence_length"), FEATURES.index("question_terms")

    def rows(n):
        x = rng.uniform(size=(n, len(FEATURES)))
        return x, (x[:, a] > 0.5) != (x[:, b] > 0.5)

    x, y = rows(3000)
    fitted = train.Fitted("trees", x, y)  # asserts the numpy walk against predict_proba itself
    held_out, truth = rows(500)
    assert ((scorer(fitted.spec).probability(held_out) > 0.5) == truth).mean() > 0.95
    assert ((train.Fitted("logistic", x, y).score(held_out) > 0.5) == truth).mean() < 0.7
