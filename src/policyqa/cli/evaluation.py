"""`policyqa eval` and `policyqa check-set`: score the system against a labelled question set, and
validate such a set before it is used.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import PolicyQAError
from ..settings import get_settings
from .common import _check_index, _settings, console, err


def eval_command(
    eval_set: Path = typer.Option(Path("eval/questions.jsonl"), "--eval-set", help="Questions (JSONL)."),
    index: Path = typer.Option(None),
    retriever: str = typer.Option("hybrid", help="bm25, dense, hybrid or all"),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics object."),
    report: Path | None = typer.Option(None, help="Write results.json, report.md and a PNG chart here."),
    compare: Path | None = typer.Option(None, help="A previous results.json: list questions that changed."),
    split: str | None = typer.Option(None, help="Only the questions of this split (e.g. dev or test)."),
    near_miss: bool = typer.Option(
        False, "--near-miss", help="Ask every answerable question with its gold documents left out."
    ),
):
    """Score retrieval, answers, abstention and latency against a labelled question set."""
    try:
        from ..evaluation.cli import run_eval_command
    except ImportError as exc:
        raise PolicyQAError(
            f"`policyqa eval` needs the evaluation extra ({exc.name} is missing): pip install 'policyqa[eval]'"
        ) from None

    from ..evaluation.questions import load_eval_set

    load_eval_set(eval_set, split)  # a missing or malformed set, then a missing index: before the model loads
    settings = _settings(index)
    _check_index(settings)
    run_eval_command(settings, eval_set, retriever, as_json, report, compare, split, near_miss)


def check_set(
    eval_set: Path = typer.Argument(..., help="Questions (JSONL)."),
    corpus: Path = typer.Option(None, help="Also check that gold strings occur in these documents."),
):
    """Validate an eval set: JSON, required fields, unique ids, and gold strings present in the corpus."""
    from ..corpus.ingest import load_corpus
    from ..evaluation.questions import check_eval_set, load_eval_set

    questions = load_eval_set(eval_set)  # format errors: one line, exit 2
    documents = None
    if corpus is not None:
        documents = {
            d.doc_id: d.text for d in load_corpus(corpus, ocr_cache=get_settings().ocr_cache_dir).documents
        }
    problems = check_eval_set(eval_set, documents)
    for line in problems:
        err.print(line, markup=False, highlight=False)
    answerable = sum(q.answerable for q in questions)
    console.print(
        f"{eval_set}: {len(questions)} questions ({answerable} answerable), "
        f"{len({q.type for q in questions})} types, {len(problems)} problem(s)"
        + (f", gold strings checked against {len(documents)} documents" if documents is not None else "")
    )
    if problems:
        raise typer.Exit(1)
