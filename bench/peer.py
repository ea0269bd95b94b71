"""A peer pipeline reproducing Langchain-Chatchat's knowledge-base defaults, written for this benchmark:

- split: langchain RecursiveCharacterTextSplitter with ChineseRecursiveTextSplitter's regex separators
  ("\\n\\n", "\\n", "。|！|？", "\\.\\s|\\!\\s|\\?\\s", "；|;\\s", "，|,\\s"), separator kept at the end, chunk 750,
  overlap 150, runs of blank lines collapsed as Chatchat does;
- dense: FAISS inner product over the same embedding model with the same e5 prompts;
- lexical: a rank_bm25 BM25Okapi over jieba.lcut_for_search tokens, rebuilt from the document store on every
  query (Chatchat's EnsembleRetrieverService.from_vectorstore builds BM25Retriever.from_documents per request);
- fusion: weighted reciprocal rank fusion, weights 0.5/0.5, c=60, duplicates merged by content (EnsembleRetriever).

Documents are read as Chatchat's loaders would: the raw file text (each JSONL record's text), no cleaning.
It compares hit@5 and latency with policyqa on the demo eval set, and latency on a benchmark collection.
"""

from __future__ import annotations

if __name__ == "__main__" and not __package__:
    raise SystemExit("run as a module from the repository root: .venv/bin/python -m bench.peer")

import argparse
import json
import re
from pathlib import Path

import numpy as np

from .common import (
    DEMO_CORPUS,
    EVAL_SET,
    WORK,
    cold_ms,
    command_line,
    load_avg,
    load_json,
    machine_facts,
    md_table,
    print_section,
    save_json,
    stats,
    update_results,
)

SEPARATORS = ["\n\n", "\n", "。|！|？", r"\.\s|\!\s|\?\s", r"；|;\s", r"，|,\s"]
CHUNK_SIZE, CHUNK_OVERLAP, RRF_C = 750, 150, 60


def load_raw_documents(corpus_dir: Path) -> list[str]:
    from policyqa.corpus.ingest import decode_bytes, iter_corpus_files

    texts = []
    for path in iter_corpus_files(Path(corpus_dir))[0]:
        if path.suffix in (".txt", ".md"):
            texts.append(decode_bytes(path.read_bytes(), str(path)))
        elif path.suffix == ".jsonl":
            texts += [
                json.loads(ln)["text"] for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()
            ]
    return texts


def split_documents(texts: list[str]) -> list[str]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        separators=SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
        chunk_size=CHUNK_SIZE,
        chunk_overlap=CHUNK_OVERLAP,
    )
    chunks = [re.sub(r"\n{2,}", "\n", c.strip()) for t in texts for c in splitter.split_text(t)]
    return [c for c in chunks if c]


class ChatchatPeer:
    def __init__(self, chunks: list[str], vectors: np.ndarray, embedder):
        import faiss
        import jieba

        jieba.initialize()
        self.chunks, self.embedder = chunks, embedder
        self.faiss = faiss.IndexFlatIP(vectors.shape[1])
        self.faiss.add(np.ascontiguousarray(vectors, dtype=np.float32))

    @classmethod
    def build(cls, texts: list[str], embedder, embed: bool = True) -> ChatchatPeer:
        """``embed=False`` fills the FAISS index with random unit vectors: flat search costs the same."""
        chunks = split_documents(texts)
        if embed:
            vectors = embedder.model.encode(
                chunks,
                prompt=embedder.passage_prompt or None,
                batch_size=32,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        else:
            vectors = np.random.default_rng(0).standard_normal((len(chunks), embedder.dim)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return cls(chunks, vectors, embedder)

    def dense(self, query: str, k: int) -> list[int]:
        q = self.embedder.model.encode(
            [query],
            prompt=self.embedder.query_prompt or None,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        _, rows = self.faiss.search(np.ascontiguousarray(q, dtype=np.float32), min(k, len(self.chunks)))
        return [int(r) for r in rows[0] if r >= 0]

    def bm25(self, query: str, k: int) -> list[int]:
        import jieba
        from rank_bm25 import BM25Okapi

        bm25 = BM25Okapi(
            [jieba.lcut_for_search(c) for c in self.chunks]
        )  # rebuilt per query, as Chatchat does
        scores = bm25.get_scores(jieba.lcut_for_search(query))
        return [int(i) for i in np.argsort(-scores, kind="stable")[:k]]

    def search(self, query: str, k: int = 5) -> list[str]:
        fused: dict[str, float] = {}
        for ranking, weight in ((self.bm25(query, k), 0.5), (self.dense(query, k), 0.5)):
            for rank, row in enumerate(ranking, 1):
                text = self.chunks[row]
                fused[text] = fused.get(text, 0.0) + weight / (rank + RRF_C)
        return sorted(fused, key=lambda t: -fused[t])[:k]


def demo(embedder) -> dict:
    """hit@5 and search latency on the answerable demo questions, ours vs the peer."""
    from policyqa.evaluation.questions import load_eval_set
    from policyqa.query.engine import Engine
    from policyqa.settings import Settings

    from .build_bench import ensure_demo_index
    from .query_bench import search_text

    engine = Engine.load(Settings(index_dir=ensure_demo_index(embedder)), embedder)
    peer = ChatchatPeer.build(load_raw_documents(DEMO_CORPUS), embedder)
    labelled = [q for q in load_eval_set(EVAL_SET) if q.answerable and q.answers]
    gold = {q.id: q for q in labelled}  # relevance is the harness's: a gold string in the passage
    questions = [{"id": q.id, "q": q.question, "history": q.history} for q in labelled]
    engine.search(search_text(questions[0]), 5), peer.search(search_text(questions[0]), 5)  # warm-up
    res = {
        "questions": len(questions),
        "ours_chunks": len(engine.index.chunks),
        "peer_chunks": len(peer.chunks),
        "load_start": load_avg(),
    }
    fns = {"ours": lambda t: [h.chunk.text for h in engine.search(t, 5)], "peer": lambda t: peer.search(t, 5)}
    acc = {name: {"times": [], "hits": 0, "chars": 0, "misses": []} for name in fns}
    budget_hits = 0  # ours, with as many passages as fit in the characters of the peer's top 5
    for i, q in enumerate(questions):  # both systems per question, in alternating order: load drift hits both
        for name in ("ours", "peer") if i % 2 == 0 else ("peer", "ours"):
            ms, passages = cold_ms(engine.embedder, fns[name], search_text(q))
            a = acc[name]
            a["times"].append(ms)
            hit = any(gold[q["id"]].contains_gold(p) for p in passages)
            a["hits"] += hit
            a["chars"] += sum(len(p) for p in passages)
            if not hit:
                a["misses"].append(q["id"])
            if name == "peer":
                budget, taken = sum(len(p) for p in passages), []
                for h in engine.search(search_text(q), 30):
                    if sum(len(t) for t in taken) >= budget:
                        break
                    taken.append(h.chunk.text)
                budget_hits += any(gold[q["id"]].contains_gold(p) for p in taken)
    for name, a in acc.items():
        n = len(questions)
        res[name] = {
            "hit@5": a["hits"] / n,
            "latency": stats(a["times"]),
            "top5_chars": a["chars"] / n,
            "misses": a["misses"],
        }
    res["ours"]["hit_at_peer_chars"] = budget_hits / len(questions)
    res["load_end"] = load_avg()
    return res


def at_size(label: str, embedder, n: int, embed: bool) -> dict:
    """Search latency on a benchmark collection, ours (flat index) vs the peer, on the same n questions."""
    from policyqa.query.engine import Engine
    from policyqa.settings import Settings

    from .build_bench import index_dirs
    from .query_bench import question_set, search_text

    engine = Engine.load(Settings(index_dir=index_dirs(label)[0]), embedder)
    peer = ChatchatPeer.build(load_raw_documents(WORK / "collections" / label), embedder, embed=embed)
    questions = question_set(engine.index.documents, 50)
    questions = questions[:: max(1, len(questions) // n)][:n]
    res = {
        "size": label,
        "ours_chunks": len(engine.index.chunks),
        "peer_chunks": len(peer.chunks),
        "peer_vectors": "embedded" if embed else "random",
        "questions": len(questions),
        "load_start": load_avg(),
    }
    engine.search(search_text(questions[0]), 5)
    fns = {"ours": lambda t: engine.search(t, 5), "peer": lambda t: peer.search(t, 5)}
    times: dict[str, list[float]] = {"ours": [], "peer": []}
    for i, q in enumerate(questions):
        for name in ("ours", "peer") if i % 2 == 0 else ("peer", "ours"):
            times[name].append(cold_ms(engine.embedder, fns[name], search_text(q))[0])
    res.update({name: {"latency": stats(t)} for name, t in times.items()}, load_end=load_avg())
    return res


def write_section(facts: dict, command: str) -> str:
    rows = []
    if d := load_json("peer-demo"):
        o, p = d["ours"], d["peer"]
        rows.append(
            [
                f"demo ({d['questions']} answerable Q; top-5 = {o['top5_chars']:.0f} / {p['top5_chars']:.0f} chars;"
                f" ours hit at the peer's character budget {o['hit_at_peer_chars']:.3f})",
                f"{d['ours_chunks']} / {d['peer_chunks']}",
                f"{o['latency']['p50']:.1f} / {o['latency']['p95']:.1f}",
                f"{p['latency']['p50']:.1f} / {p['latency']['p95']:.1f}",
                f"{p['latency']['p50'] / o['latency']['p50']:.1f}×",
                f"{o['hit@5']:.3f}",
                f"{p['hit@5']:.3f}",
                f"{o['hit@5'] / p['hit@5']:.2f}",
                f"{d['load_start']} → {d['load_end']}",
            ]
        )
    for label in ("1k", "10k", "100k"):
        if r := load_json(f"peer-{label}"):
            o, p = r["ours"]["latency"], r["peer"]["latency"]
            rows.append(
                [
                    f"{label} ({r['questions']} Q, peer vectors {r['peer_vectors']})",
                    f"{r['ours_chunks']:,} / {r['peer_chunks']:,}",
                    f"{o['p50']:.1f} / {o['p95']:.1f}",
                    f"{p['p50']:.0f} / {p['p95']:.0f}",
                    f"{p['p50'] / o['p50']:.0f}×",
                    "–",
                    "–",
                    "–",
                    f"{r['load_start']} → {r['load_end']}",
                ]
            )
    headers = [
        "corpus",
        "chunks ours / peer",
        "ours search p50 / p95 ms",
        "peer search p50 / p95 ms",
        "peer/ours p50",
        "ours hit@5",
        "peer hit@5",
        "hit@5 ours/peer",
        "load avg",
    ]
    body = md_table(headers, rows) + (
        "\n\nPeer = Langchain-Chatchat defaults re-implemented in bench/peer.py (750/150 Chinese recursive split,"
        " BM25 over jieba search-mode tokens rebuilt per query with rank_bm25, FAISS dense with the same e5 model and"
        " prompts, weighted RRF 0.5/0.5). Hit = a top-5 passage contains a gold answer after whitespace removal;"
        " follow-ups are searched with the previous question prepended, for both; both systems run per question in alternating order; policyqa's query-vector cache is emptied before each of its searches. On the collections the peer's FAISS"
        " holds random unit vectors unless `--peer-embed` (flat search time does not depend on the values)."
    )
    update_results("peer", "Peer: Langchain-Chatchat defaults", body, facts, command)
    return body


def run(sizes: list[str], n: int = 10, embed: bool = False, do_demo: bool = True) -> None:
    from policyqa.models.embed import load_embedder
    from policyqa.settings import Settings

    facts = machine_facts()
    embedder = load_embedder(Settings())
    if do_demo:
        save_json("peer-demo", demo(embedder))
    for label in sizes:
        save_json(f"peer-{label}", at_size(label, embedder, n, embed))
    print_section("peer", write_section(facts, command_line()))


def main() -> None:
    ap = argparse.ArgumentParser(description="Langchain-Chatchat-defaults peer vs policyqa")
    ap.add_argument(
        "--sizes", default="", help="collections to time the peer on, e.g. 10k (needs build_bench)"
    )
    ap.add_argument("--queries", type=int, default=10, help="questions per collection (the peer is slow)")
    ap.add_argument("--peer-embed", action="store_true", help="embed the peer's chunks on collections too")
    ap.add_argument("--no-demo", action="store_true")
    args = ap.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    run(sizes, args.queries, args.peer_embed, not args.no_demo)


if __name__ == "__main__":
    main()
