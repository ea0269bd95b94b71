#!/usr/bin/env python3
"""Training rows for the answer check (src/policyqa/query/verify.py), made deterministically.

For every question of a set, the engine analyses it, retrieves and scores candidate sentences exactly as
`ask` does; each shortlisted sentence becomes a row of features labelled 1 when it holds a gold string
(from a gold document), else 0, with a flag for the sentences the answer would quote. Reading-comprehension
sets (CMRC 2018, DRCD) also give a near-miss version of every question: the same search with the gold
paragraph left out, so the question becomes unanswerable and every sentence is a negative.

    python eval/verifier/collect.py NAME EVAL_SET INDEX OUT.npz [--near-miss] [--split dev] [--limit N]

Sets used for the shipped model (see eval/verifier/README.md): CMRC 2018 trial, DRCD test (sampled), each
with near misses, and the dev half of the collection set. Never the demo set, the collection's test half,
or the CMRC dev / DRCD dev samples the harness reports on.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from pathlib import Path

import numpy as np

from policyqa.evaluation.questions import load_eval_set
from policyqa.query.engine import Engine
from policyqa.query.intent import off_topic
from policyqa.query.verify import FEATURES, features
from policyqa.settings import Settings


def rows_for(engine: Engine, q, near_miss: bool) -> list[dict]:
    analysis = engine.analyze(q.question, q.history)
    if near_miss:  # leave the gold documents out: nothing left can answer
        gold = set(q.gold_docs)
        keep = np.array([r for r, c in enumerate(engine.index.chunks) if c.doc_id not in gold])
        base = analysis.scope.rows if analysis.scope is not None and analysis.scope.rows is not None else keep
        analysis.scope = dataclasses.replace(analysis.scope, rows=np.intersect1d(base, keep))
    hits = engine.evidence(analysis, engine.settings.top_k)
    composer, answerer = engine.answerer.composer, engine.answerer
    scored = [] if analysis.scope is not None and analysis.scope.empty else composer.score(analysis, hits)
    picked = {id(c) for c in composer.select(analysis, scored)}
    ctx = answerer.context(analysis, hits)
    # A hard check that refuses the answer whatever its score: the confidence map is fitted without these.
    quoted = [c for c in scored if id(c) in picked]
    vetoed = bool(quoted) and answerer.checks.check(analysis, quoted)[1]
    out = []
    for c in scored:
        relevant = q.answerable and not near_miss and q.relevant(c.doc_id, c.text)
        out.append({"x": features(c, ctx), "y": int(relevant), "picked": id(c) in picked, "vetoed": vetoed})
    return out


def collect(name: str, eval_set: Path, index: Path, near_miss: bool, split: str | None, limit: int) -> dict:
    engine = Engine.load(Settings(index_dir=index, answer_check="rules"))
    questions = load_eval_set(eval_set, split)
    if limit and len(questions) > limit:
        questions = random.Random(0).sample(questions, limit)
    x, y, picked, vetoed, group, answerable, kinds = [], [], [], [], [], [], []
    variants = [False, True] if near_miss else [False]
    for q in questions:
        if off_topic(q.question):  # greetings and tasks are answered before the check: no rows
            continue
        for miss in variants:
            if miss and not (q.answerable and q.gold_docs):
                continue
            qid = f"{name}:{q.id}" + (":miss" if miss else "")
            rows = rows_for(engine, q, miss)
            if not rows:  # nothing retrieved: an empty answer, kept as a question without rows
                rows = [{"x": np.zeros(len(FEATURES)), "y": 0, "picked": True, "vetoed": False}]
            for r in rows:
                x.append(r["x"])
                y.append(r["y"])
                picked.append(r["picked"])
                vetoed.append(r["vetoed"])
                group.append(qid)
                answerable.append(q.answerable and not miss)
                kinds.append(q.type)
    return {
        "x": np.array(x, dtype=np.float64), "y": np.array(y), "picked": np.array(picked),
        "vetoed": np.array(vetoed),
        "group": np.array(group), "answerable": np.array(answerable), "type": np.array(kinds),
        "set": np.array([name] * len(y)), "features": np.array(FEATURES),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("name")
    ap.add_argument("eval_set", type=Path)
    ap.add_argument("index", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--near-miss", action="store_true")
    ap.add_argument("--split", default=None)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args(argv)
    data = collect(args.name, args.eval_set, args.index, args.near_miss, args.split, args.limit)
    np.savez_compressed(args.out, **data)
    summary = {
        "rows": int(len(data["y"])), "questions": int(len(set(data["group"]))),
        "positives": int(data["y"].sum()),
    }  # fmt: skip
    print(json.dumps({args.name: summary}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
