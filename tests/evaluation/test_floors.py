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


def below(metrics: dict, floors: dict) -> dict:
    return {k: (metrics.get(k), f) for k, f in floors.items() if metrics.get(k) is None or metrics[k] < f}


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_demo_set_meets_floors(tmp_path):
    config = CONFIG["demo"]
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=ROOT / "corpus")
    embedder = load_embedder(settings)
    build_index(settings, embedder)
    engine = Engine.load(settings, embedder)
    metrics = evaluate(engine, load_eval_set(ROOT / config["eval_set"]), ["hybrid"])["metrics"]
    assert not below(metrics, config["floors"]), f"below the demo floors: {below(metrics, config['floors'])}"


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
    metrics = evaluate(engine, questions, ["hybrid"])["metrics"]
    failed = below(metrics, config["floors"])
    assert not failed, f"below the collection floors: {failed}"
