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
