"""Compare fusion methods and weights on one or more eval sets, from one dense and one BM25 run each.

    python eval/sweep_fusion.py eval/questions.jsonl:index /tmp/ext/cmrc2018/questions.jsonl:/tmp/ext/cmrc2018/index

Each question is searched once per retriever (top 50); every fusion variant is then computed from
those runs, so the table compares methods on identical inputs. A passage is relevant when it
contains a gold string (whitespace removed, search-key compared) or, for sets without gold strings,
belongs to a gold document. Prints hit@1, hit@5 and MRR@10 per set and variant.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from policyqa.answer import resolve_query
from policyqa.engine import Engine
from policyqa.retrieve import exactness, favour_answer_type, minmax_combine, rrf
from policyqa.settings import Settings
from policyqa.textnorm import search_key

VARIANTS = (
    [("rrf", 0.5)]
    + [("weighted_rrf", w) for w in (0.2, 0.3, 0.4, 0.6)]
    + [("score", w) for w in (0.3, 0.5, 0.7)]
    + [("adaptive", w) for w in (0.5, 0.6)]
    + [("score+type", b) for b in (0.1, 0.2, 0.3, 0.5)]  # score fusion, dense 0.3, answer-type boost b
)
TYPED_DENSE_WEIGHT = 0.3


def relevant(chunk, question: dict) -> bool:
    key = search_key(chunk.text)
    golds = [search_key(g) for g in question.get("answers") or []]
    if golds:
        return any(g and g in key for g in golds)
    return chunk.doc_id in set(question.get("gold_docs") or [])


def fuse(kind: str, w: float, query: str, dense, lexical, keys) -> list[int]:
    if kind == "score+type":
        fused = minmax_combine([dense, lexical], [TYPED_DENSE_WEIGHT, 1.0 - TYPED_DENSE_WEIGHT])
        fused = favour_answer_type(query, fused, keys, w)
        return sorted(fused, key=lambda r: -fused[r])
    if kind == "adaptive":
        w = w * (1.0 - 0.5 * exactness(query))
    weights = [0.5, 0.5] if kind == "rrf" else [w, 1.0 - w]
    if kind == "score":
        fused = minmax_combine([dense, lexical], weights)
    else:
        fused = rrf([[r for r, _ in dense], [r for r, _ in lexical]], weights)
    return sorted(fused, key=lambda r: -fused[r])


def metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {
        "hit@1": sum(r is not None and r <= 1 for r in ranks) / n,
        "hit@5": sum(r is not None and r <= 5 for r in ranks) / n,
        "mrr@10": sum(1.0 / r for r in ranks if r is not None and r <= 10) / n,
    }


def sweep(eval_set: Path, index_dir: Path) -> dict[str, dict[str, float]]:
    engine = Engine.load(Settings(index_dir=index_dir))
    chunks = engine.index.chunks
    questions = [
        json.loads(line) for line in eval_set.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    questions = [q for q in questions if q.get("answerable", True)]
    ranks: dict[str, list[int | None]] = {}
    for q in questions:
        query = resolve_query(q["question"], q.get("history") or [])
        dense = engine.retrievers["dense"].scored(query, 50)
        lexical = engine.retrievers["bm25"].scored(query, 50)
        orders = {"dense": [r for r, _ in dense], "bm25": [r for r, _ in lexical]}
        for kind, w in VARIANTS:
            orders[f"{kind} w={w}"] = fuse(kind, w, query, dense, lexical, engine.index.keys)
        for name, order in orders.items():
            first = next((i for i, row in enumerate(order[:10], 1) if relevant(chunks[row], q)), None)
            ranks.setdefault(name, []).append(first)
    return {name: metrics(r) for name, r in ranks.items()}


def print_table(first_column: str, results: dict[str, dict[str, dict[str, float]]]) -> None:
    """One Markdown row per variant, one column per eval set: hit@1 / hit@5 / MRR@10."""
    names = list(next(iter(results.values())))
    sets = " | ".join(f"{Path(s).parent.name or s} hit@1 / hit@5 / mrr@10" for s in results)
    print(f"| {first_column} | {sets} |")
    print("|" + "---|" * (len(results) + 1))
    for name in names:
        cells = [
            " / ".join(f"{results[s][name][m]:.3f}" for m in ("hit@1", "hit@5", "mrr@10")) for s in results
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")


def main(argv: list[str]) -> None:
    results = {}
    for spec in argv:
        eval_set, index_dir = spec.split(":", 1)
        results[spec] = sweep(Path(eval_set), Path(index_dir))
    print_table("variant", results)


if __name__ == "__main__":
    main(sys.argv[1:])
