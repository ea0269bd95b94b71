"""BM25 analyzer and chunk-size sweep (no embeddings needed, so it runs in seconds per set).

    python eval/sweep_lexical.py eval/questions.jsonl:corpus /tmp/ext/cmrc2018/questions.jsonl:/tmp/ext/cmrc2018/corpus

For every (chunk size, overlap) and analyzer the corpus is re-chunked and a BM25 index built in
memory; relevance as in eval/sweep_fusion.py. Prints hit@1 / hit@5 / MRR@10 per set.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from policyqa.answer import resolve_query
from policyqa.chunk import chunk_corpus
from policyqa.ingest import load_corpus
from policyqa.lexical import ANALYZERS, LexicalIndex

sys.path.insert(0, str(Path(__file__).parent))
from sweep_fusion import metrics, print_table, relevant  # noqa: E402

SIZES = [(150, 30), (300, 60), (500, 100)]


def sweep(eval_set: Path, corpus_dir: Path) -> dict[str, dict[str, float]]:
    docs = load_corpus(corpus_dir).documents
    questions = [
        json.loads(line) for line in eval_set.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    questions = [q for q in questions if q.get("answerable", True)]
    out = {}
    for size, overlap in SIZES:
        chunks = chunk_corpus(docs, size, overlap)
        for analyzer in ANALYZERS:
            index = LexicalIndex.build([c.context for c in chunks], analyzer)
            ranks = []
            for q in questions:
                hits = index.search(resolve_query(q["question"], q.get("history") or []), 10)
                ranks.append(
                    next((i for i, (row, _) in enumerate(hits, 1) if relevant(chunks[row], q)), None)
                )
            out[f"{size}/{overlap} {analyzer}"] = metrics(ranks)
    return out


def main(argv: list[str]) -> None:
    # Keyed by the whole spec: one eval set may be scored over several corpora.
    results = {spec: sweep(*map(Path, spec.split(":", 1))) for spec in argv}
    print_table("chunk size/overlap, analyzer", results)


if __name__ == "__main__":
    main(sys.argv[1:])
