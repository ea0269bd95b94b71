"""`ask` latency with the hand-set answer check against the learned one, side by side in one run.

    .venv/bin/python -m bench.answer_check [--index DIR] [--questions FILE] [--n 60]

Two engines over one index (the demo index by default), the same questions in alternating order so load
drift hits both; every ask is cold (the embedder's cache of recent vectors is emptied first). The learned
check adds feature extraction and the model's score per quoted sentence (a regression and ~190 small
trees, averaged); the target is at most +20%.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from policyqa.evaluation.questions import load_eval_set
from policyqa.query.engine import Engine
from policyqa.settings import Settings

from .build_bench import ensure_demo_index
from .common import EVAL_SET, cold_ms, command_line, load_avg, machine_facts, md_table, stats, update_results


def measure(index: Path, questions_file: Path, n: int) -> dict:
    rules = Engine.load(Settings(index_dir=index, answer_check="rules"))
    learned = Engine.load(Settings(index_dir=index, answer_check="learned"), rules.embedder)
    questions = [q for q in load_eval_set(questions_file)][:n]
    for q in questions[:3]:  # warm-up
        rules.ask(q.question, q.history)
        learned.ask(q.question, q.history)
    times: dict[str, list[float]] = {"rules": [], "learned": []}
    for i, q in enumerate(questions):
        order = (
            (("rules", rules), ("learned", learned))
            if i % 2 == 0
            else (("learned", learned), ("rules", rules))
        )
        for name, engine in order:
            times[name].append(cold_ms(engine.embedder, engine.ask, q.question, q.history)[0])
    return {name: stats(ms) for name, ms in times.items()} | {"questions": len(questions)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, default=None)
    ap.add_argument("--questions", type=Path, default=EVAL_SET)
    ap.add_argument("--n", type=int, default=60)
    args = ap.parse_args()
    facts = machine_facts()
    index = args.index or ensure_demo_index(None)
    res = measure(index, args.questions, args.n)
    ratio = res["learned"]["p50"] / res["rules"]["p50"]
    rows = [
        [name, res[name]["n"], res[name]["p50"], res[name]["p95"], res[name]["mean"]]
        for name in ("rules", "learned")
    ]
    body = md_table(["answer check", "asks", "p50 ms", "p95 ms", "mean ms"], rows)
    body += f"\n\nlearned / rules at p50: **{ratio:.2f}×** (target ≤ 1.20×); index `{index}`, {res['questions']} questions."
    update_results(
        "answer_check",
        "Answer check: learned vs hand-set, ask latency",
        body,
        facts,
        command_line(),
        load_avg(),
    )
    print(body)


if __name__ == "__main__":
    main()
