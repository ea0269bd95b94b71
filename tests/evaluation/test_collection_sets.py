"""The question sets of the evaluation collection hold their gold strings in the documents as cleaned
and indexed (a cleaning change that breaks a quoted sentence, or a gold string typed wrong, fails here)."""

import pytest

from policyqa.corpus.ingest import load_corpus
from policyqa.evaluation.questions import check_eval_set, load_eval_set

from ..conftest import ROOT
from .test_floors import SHARED_DATA, _make_corpus, needs_shared


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    needs_shared()
    out = tmp_path_factory.mktemp("collection")
    _make_corpus().assemble(out, SHARED_DATA)
    corpus = load_corpus(out / "corpus")
    return {d.doc_id: d.text for d in corpus.documents}


@pytest.mark.parametrize(
    "name",
    [
        "questions.jsonl",
        "extra-dev.jsonl",
        "extra-dev2.jsonl",
        "extra-dev3.jsonl",
        "extra-dev4.jsonl",
        "extra-dev5.jsonl",
        "extra-dev6.jsonl",
        "extra-dev7.jsonl",
        "extra-dev8.jsonl",
        "extra-dev9.jsonl",
        "extra-dev10.jsonl",
        "extra-dev11.jsonl",
        "extra-dev12.jsonl",
        "extra-dev13.jsonl",
        "extra-dev14.jsonl",
        "extra-dev15.jsonl",
        "extra-dev16.jsonl",
        "extra-dev17.jsonl",
        "extra-dev18.jsonl",
        "extra-dev19.jsonl",
        "extra-dev20.jsonl",
        "extra-dev21.jsonl",
        "extra-dev22.jsonl",
        "extra-dev23.jsonl",
    ],
)
def test_gold_strings_are_in_the_cleaned_documents(documents, name):
    path = ROOT / "eval" / "collection" / name
    assert len(documents) == 105
    assert check_eval_set(path, documents) == []
    assert len(load_eval_set(path)) >= 30
