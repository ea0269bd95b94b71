"""`policyqa eval` on the terminal: progress, tables, the report folder and the comparison."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from ..errors import InputError
from ..query.engine import Engine
from ..settings import RETRIEVERS
from .harness import compare_results, evaluate
from .questions import load_eval_set, near_misses
from .report import print_compare, print_summary, write_report


def _load_previous(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"--compare file not found: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"--compare file {path} is not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        raise InputError(
            f"--compare file {path} has no per-question rows: give a results.json written by --report"
        )
    return data


def run_eval_command(
    settings,
    eval_set: Path,
    retriever: str,
    as_json: bool,
    report: Path | None,
    compare: Path | None,
    split: str | None = None,
    near_miss: bool = False,
) -> dict:
    if retriever == "all":
        retrievers = ["bm25", "dense", "hybrid"]
    elif retriever in RETRIEVERS:
        retrievers = [retriever]
    else:
        raise InputError(f"unknown retriever {retriever!r}; choose bm25, dense, hybrid or all")
    questions = load_eval_set(eval_set, split)
    if near_miss:
        questions = near_misses(questions)
        if not questions:
            raise InputError(f"{eval_set}: no answerable question with gold_docs to make near misses of")
    previous = _load_previous(compare) if compare is not None else None
    engine = Engine.load(settings)
    with_answers = "hybrid" in retrievers
    total = len(retrievers) * sum(q.answerable for q in questions) + (len(questions) if with_answers else 0)
    err = Console(stderr=True)
    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("evaluating", total=total)
        results = evaluate(engine, questions, retrievers, with_answers, lambda: bar.advance(task))
    results["metrics"]["meta"]["eval_set"] = (
        str(eval_set)
        + (f" ({split} half)" if split else "")
        + (" (near misses: gold documents removed)" if near_miss else "")
    )
    if previous is not None:
        results["metrics"]["compare"] = compare_results(previous, results)
    if report is not None:
        write_report(Path(report), results)
    if as_json:
        sys.stdout.write(json.dumps(results["metrics"], ensure_ascii=False, indent=2) + "\n")
    else:
        out = Console()
        print_summary(out, results)
        if previous is not None:
            print_compare(out, results["metrics"]["compare"])
        if report is not None:
            out.print(f"report written to {report}/ (results.json, report.md, eval.png)")
    return results
