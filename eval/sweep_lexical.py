"""BM25 analyzer and chunk-size sweep (no embeddings needed, so it runs in seconds per set).

    python eval/sweep_lexical.py eval/questions.jsonl:corpus /tmp/ext/cmrc2018/questions.jsonl:/tmp/ext/cmrc2018/corpus

For every (chunk size, overlap) and analyzer the corpus is re-chunked and a BM25 index built in
memory; relevance and metrics are the harness's. Prints hit@1 / hit@5 / MRR@10 per set.
"""

from __future__ import annotations

import sys
from pathlib import Path

from policyqa.corpus.chunk import chunk_corpus
from policyqa.corpus.ingest import load_corpus
from policyqa.evaluation.metrics import score_run
from policyqa.evaluation.questions import load_eval_set
from policyqa.index.lexical import LexicalIndex
from policyqa.query.followup import resolve_query
from policyqa.settings import ANALYZERS

sys.path.insert(0, str(Path(__file__).parent))
from sweep_fusion import print_table  # noqa: E402

SIZES = [(150, 30), (300, 60), (500, 100)]


def sweep(eval_set: Path, corpus_dir: Path) -> dict[str, dict[str, float]]:
    docs = load_corpus(corpus_dir).documents
    questions = [q for q in load_eval_set(eval_set) if q.answerable]
    out = {}
    for size, overlap in SIZES:
        chunks = chunk_corpus(docs, size, overlap)
        for analyzer in ANALYZERS:
            index = LexicalIndex.build([c.lexical_context for c in chunks], analyzer)
            ranked = {}
            for q in questions:
                hits = index.search(resolve_query(q.question, q.history), 10)
                ranked[q.id] = [
                    (chunks[r].chunk_id, q.relevant(chunks[r].doc_id, chunks[r].text)) for r, _ in hits
                ]
            per_query = score_run(ranked)
            out[f"{size}/{overlap} {analyzer}"] = {
                m: float(per_query[m].mean()) for m in ("hit@1", "hit@5", "mrr@10")
            }
    return out


def main(argv: list[str]) -> None:
    # Keyed by the whole spec: one eval set may be scored over several corpora.
    results = {spec: sweep(*map(Path, spec.split(":", 1))) for spec in argv}
    print_table("chunk size/overlap, analyzer", results)


if __name__ == "__main__":
    main(sys.argv[1:])
