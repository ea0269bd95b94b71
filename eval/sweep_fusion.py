"""Compare fusion methods and weights on one or more eval sets, from one dense and one BM25 run each.

    python eval/sweep_fusion.py eval/questions.jsonl:index /tmp/ext/cmrc2018/questions.jsonl:/tmp/ext/cmrc2018/index
    python eval/sweep_fusion.py 'eval/collection/questions.jsonl#dev:/tmp/coll/index'   # one half of a split set

Each question is analysed and searched once per retriever (top 50), exactly as `policyqa eval` does;
every fusion variant is then computed from those runs by the retriever's own pure ``fused`` step, so the
table compares methods on identical inputs. Relevance and metrics are the harness's (ranx). Prints
hit@1, hit@5 and MRR@10 per set and variant.
"""

from __future__ import annotations

import sys
from pathlib import Path

from policyqa.evaluation.metrics import score_run
from policyqa.evaluation.questions import Question, load_eval_set
from policyqa.query.engine import Engine
from policyqa.query.retrieve import HybridRetriever
from policyqa.settings import Settings

CANDIDATES = 50
VARIANTS = (
    [("rrf", 0.5, 0.0)]
    + [("weighted_rrf", w, 0.0) for w in (0.2, 0.3, 0.4, 0.6)]
    + [("score", w, 0.0) for w in (0.3, 0.5, 0.7)]
    + [("adaptive", w, 0.0) for w in (0.5, 0.6)]
    + [("score_dist", w, 0.2) for w in (0.3, 0.4, 0.5)]  # per-question weights from the runs' sureness
    + [("score", w, b) for w in (0.3, 0.4, 0.5) for b in (0.1, 0.2, 0.3)]  # with the answer-type boost b
)


def variant_name(method: str, w: float, boost: float) -> str:
    return f"{method} w={w}" + (f" +type b={boost}" if boost else "")


def ranked_rows(engine: Engine, questions: list[Question]) -> dict[str, dict[str, list[int]]]:
    """Per variant, per question: chunk rows best first (dense and bm25 runs included)."""
    out: dict[str, dict[str, list[int]]] = {}
    retrievers = {
        variant_name(*v): HybridRetriever(
            engine.index, engine.embedder, fusion=v[0], dense_weight=v[1], rrf_k=engine.settings.rrf_k,
            candidates=CANDIDATES, answer_type_boost=v[2], scope_boost=engine.settings.scope_boost,
        )
        for v in VARIANTS
    }  # fmt: skip
    for q in questions:
        analysis = engine.analyze(q.question, q.history)
        dense = engine.retrievers["dense"].scored(analysis, CANDIDATES)
        lexical = engine.retrievers["bm25"].scored(analysis, CANDIDATES)
        out.setdefault("dense", {})[q.id] = [r for r, _ in dense]
        out.setdefault("bm25", {})[q.id] = [r for r, _ in lexical]
        for name, retriever in retrievers.items():
            out.setdefault(name, {})[q.id] = retriever.fused(analysis, dense, lexical)[0]
    return out


def metrics(engine: Engine, questions: list[Question], rows: dict[str, list[int]]) -> dict[str, float]:
    chunks = engine.index.chunks
    ranked = {
        q.id: [(chunks[r].chunk_id, q.relevant(chunks[r].doc_id, chunks[r].text)) for r in rows[q.id][:10]]
        for q in questions
    }
    per_query = score_run(ranked)
    return {m: float(per_query[m].mean()) for m in ("hit@1", "hit@5", "mrr@10")}


def sweep(eval_set: Path, index_dir: Path, split: str | None = None) -> dict[str, dict[str, float]]:
    engine = Engine.load(Settings(index_dir=index_dir))
    questions = [q for q in load_eval_set(eval_set, split) if q.answerable]
    return {name: metrics(engine, questions, rows) for name, rows in ranked_rows(engine, questions).items()}


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
        eval_set, _, split = eval_set.partition("#")  # FILE#dev: one half of a split set
        results[spec] = sweep(Path(eval_set), Path(index_dir), split or None)
    print_table("variant", results)


if __name__ == "__main__":
    main(sys.argv[1:])
