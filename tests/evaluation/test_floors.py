"""The real model stays above the floors in eval/thresholds.json: on the demo set, and on the test half
of the collection set over the CI subset of the collection (a full build would take CI ~5 minutes)."""

import importlib.util
import json

import pytest

from policyqa.evaluation.harness import evaluate
from policyqa.evaluation.questions import load_eval_set
from policyqa.index.build import build_index
from policyqa.models.embed import load_embedder
from policyqa.query.engine import Engine
from policyqa.settings import Settings

from ..conftest import ROOT, SHARED_DATA, needs_shared

CONFIG = json.loads((ROOT / "eval" / "thresholds.json").read_text(encoding="utf-8"))


def _make_corpus():
    spec = importlib.util.spec_from_file_location(
        "make_corpus", ROOT / "eval" / "collection" / "make_corpus.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def missed(metrics: dict, config: dict) -> dict:
    """Metric → (measured, limit) for each floor it fell below or ceiling it rose above."""
    failed = {
        k: (metrics.get(k), f)
        for k, f in config["floors"].items()
        if metrics.get(k) is None or metrics[k] < f
    }
    for k, c in config.get("ceilings", {}).items():
        if metrics.get(k) is None or metrics[k] > c:
            failed[k] = (metrics.get(k), c)
    return failed


def test_limits_are_checked_both_ways():
    config = {"floors": {"hit@5": 0.9}, "ceilings": {"mixed_rate": 0.05}}
    assert missed({"hit@5": 0.95, "mixed_rate": 0.01}, config) == {}
    assert missed({"hit@5": 0.85, "mixed_rate": 0.01}, config) == {"hit@5": (0.85, 0.9)}
    assert missed({"hit@5": 0.95, "mixed_rate": 0.2}, config) == {"mixed_rate": (0.2, 0.05)}
    assert missed({"mixed_rate": 0.0}, config) == {"hit@5": (None, 0.9)}


def test_every_set_has_floors():
    for name in ("demo", "collection"):
        assert CONFIG[name]["floors"], name
        assert (ROOT / CONFIG[name]["eval_set"]).is_file()


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_demo_set_meets_floors(tmp_path):
    config = CONFIG["demo"]
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=ROOT / "corpus")
    embedder = load_embedder(settings)
    build_index(settings, embedder)
    engine = Engine.load(settings, embedder)
    metrics = evaluate(engine, load_eval_set(ROOT / config["eval_set"]), [config["retriever"]])["metrics"]
    failed = missed(metrics, config)
    assert not failed, f"outside the demo limits: {failed}"


@pytest.mark.slow
@pytest.mark.timeout(2400)
def test_collection_test_half_meets_floors(tmp_path):
    needs_shared("gov-work-reports")
    config = CONFIG["collection"]
    make_corpus = _make_corpus()
    info = make_corpus.assemble(tmp_path / "collection", SHARED_DATA, config["subset"])
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=info["corpus"])
    embedder = load_embedder(settings)
    build_index(settings, embedder)
    engine = Engine.load(settings, embedder)
    held = set(engine.index.documents)
    # Answerable questions whose documents the subset holds, and every unanswerable or off-topic one.
    questions = [
        q
        for q in load_eval_set(ROOT / config["eval_set"], config["split"])
        if not q.answerable or (q.gold_docs and set(q.gold_docs) <= held)
    ]
    assert len(questions) >= config["min_questions"]
    metrics = evaluate(engine, questions, [config["retriever"]])["metrics"]
    failed = missed(metrics, config)
    assert not failed, f"outside the collection limits: {failed}"
