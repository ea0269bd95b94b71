"""Local store vs Milvus, side by side: build time, search latency and memory at 10k and ~100k passages.

Per size, both stores index the same collection (bench/collections.py: real texts from ../shared/data,
so the BM25 side has real vocabularies) with the same stand-in vectors: ``FakeEmbedder(384)``, character
bigrams hashed into the default model's 384 dimensions. Embedding ~90k passages with the real model takes
hours on 2 CPUs; the store's work does not depend on what the vectors mean, only on their number and
dimension. Milvus is Milvus Lite's ``milvus-lite server`` on 127.0.0.1, a separate process reached over
gRPC as a replica reaches a cluster. Each store is then served by a child process that loads the live
version and times ~50 questions (dense and BM25 top-50 in the store, then ``Engine.search`` = hybrid with
fusion, without and with a filter); memory is the child's RSS growth while loading (what a replica holds)
and, for Milvus, the server's RSS.
"""

from __future__ import annotations

if __name__ == "__main__" and not __package__:
    raise SystemExit("run as a module from the repository root: .venv/bin/python -m bench.milvus_bench")

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from .common import (
    WORK,
    command_line,
    load_avg,
    machine_facts,
    md_table,
    parse_sizes,
    print_section,
    save_json,
    update_results,
)
from .common import stats as pstats

DIM = 384  # the default model's dimension


class MemoEmbedder:
    """The stand-in embedder, remembering passage vectors so the second store's build does not redo them."""

    def __init__(self):
        from policyqa.models.embed import FakeEmbedder

        self.inner = FakeEmbedder(DIM)
        self.memo: dict[str, object] = {}

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def embed_batch(self, texts, kind="passage"):
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if (kind, t) not in self.memo]
        if missing:
            for t, v in zip(missing, self.inner.embed_batch(missing, kind)):
                self.memo[kind, t] = v
        return np.stack([self.memo[kind, t] for t in texts])


def settings_for(store: str, folder, uri: str | None = None):
    from policyqa.settings import Settings

    extra = {"store": "milvus", "milvus_uri": uri, "milvus_collection": "bench"} if store == "milvus" else {}
    return Settings(
        corpus_dir=folder,
        index_dir=WORK / "milvus-bench" / store,
        model=f"fake-{DIM}",
        query_threads=1,
        follow_symlinks=True,  # collections link to ../shared/data, read in place
        **extra,
    )


def start_server(data_dir) -> tuple[subprocess.Popen, str]:
    import socket

    from pymilvus import MilvusClient

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    shutil.rmtree(data_dir, ignore_errors=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    uri = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            MilvusClient(uri=uri, timeout=2).list_collections()
            return proc, uri
        except Exception:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("milvus-lite server did not start")


def rss_mib(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def child(store: str, folder: str, uri: str | None, n: int) -> None:
    """Load the live version as a replica would and time the questions; JSON on stdout."""
    import numpy as np

    from policyqa.index.backends import open_store
    from policyqa.models.embed import FakeEmbedder
    from policyqa.query.engine import Engine

    from .query_bench import question_set, search_text

    embedder = FakeEmbedder(DIM)
    settings = settings_for(store, folder, uri)
    opened = open_store(settings)
    opened.current_version()  # connected, and the store's libraries imported, before the baseline
    import bm25s  # noqa: F401
    import faiss  # noqa: F401

    before = rss_mib(os.getpid())
    t0 = time.perf_counter()
    engine = Engine.load(settings, embedder, opened)
    load_s, loaded = time.perf_counter() - t0, rss_mib(os.getpid())
    questions = [search_text(q) for q in question_set(engine.index.documents, n)]
    years = [d.get("metadata", {}).get("year") for d in engine.index.documents.values()]
    year = max(set(y for y in years if y), key=years.count, default=None)
    timings: dict[str, list[float]] = {"dense": [], "bm25": [], "hybrid": [], "hybrid+filter": []}
    for q in questions[:3]:  # warm-up
        engine.search(q, 5)
    for q in questions:
        vector = embedder.embed_batch([q], "query")[0]
        calls = {
            "dense": (engine.index.dense.search, (vector, 50), {}),
            "bm25": (engine.index.lexical.search, (q, 50), {}),
            "hybrid": (engine.search, (q, 5), {}),
            "hybrid+filter": (engine.search, (q, 5), {"filters": {"year": year} if year else None}),
        }
        for name, (call, args, kwargs) in calls.items():
            t = time.perf_counter()
            call(*args, **kwargs)
            timings[name].append((time.perf_counter() - t) * 1000)
    out = {
        "chunks": len(engine.index.chunks), "load_s": load_s, "replica_mib": loaded - before,
        "rss_mib": rss_mib(os.getpid()), "dense_type": engine.index.manifest["dense"]["type"],
        "filter_year": year, "latency": {k: pstats(v) for k, v in timings.items()},
        "vocabulary": engine.index.manifest.get("lexical", {}).get("vocabulary"),
        "check": float(np.mean([len(engine.search(q, 5)) for q in questions[:5]])),
    }  # fmt: skip
    print(json.dumps(out))


def run_child(store: str, folder, uri: str | None, n: int) -> dict:
    args = [
        sys.executable,
        "-m",
        "bench.milvus_bench",
        "--child",
        store,
        "--folder",
        str(folder),
        "-n",
        str(n),
    ]
    out = subprocess.run(
        [*args, *(["--uri", uri] if uri else [])], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(size: str, n: int) -> dict:
    from policyqa.index.build import build_index, plan_build

    from .collections import make_collection

    folder, info = make_collection(size)
    plan = plan_build(settings_for("local", folder), folder)
    embedder = MemoEmbedder()
    result = {"size": size, "documents": info["documents"], "chunks": len(plan.chunks), "stores": {}}
    shutil.rmtree(WORK / "milvus-bench", ignore_errors=True)
    server, uri = start_server(WORK / "milvus-bench" / "milvus-data")
    try:
        for store in ("local", "milvus"):
            settings = settings_for(store, folder, uri)
            t = time.perf_counter()
            report = build_index(settings, embedder, plan=plan, full=True)
            built = time.perf_counter() - t - report.embed_seconds
            served = run_child(store, folder, uri if store == "milvus" else None, n)
            served["build_s"] = built
            if store == "milvus":
                served["server_mib"] = rss_mib(server.pid)
            else:
                version = WORK / "milvus-bench" / "local" / "versions" / report.version
                served["disk_mib"] = sum(p.stat().st_size for p in version.rglob("*") if p.is_file()) / 2**20
            result["stores"][store] = served
            print(f"[{size}] {store}: {json.dumps(served)}", flush=True)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    return result


def table(results: list[dict]) -> str:
    rows = []
    for r in results:
        for store, s in r["stores"].items():
            lat = s["latency"]
            mem = f"{s['replica_mib']:,.0f}" + (
                f" + server {s['server_mib']:,.0f}" if "server_mib" in s else ""
            )
            rows.append([
                r["size"], f"{r['chunks']:,}", store, s["dense_type"], f"{s['build_s']:.0f}", f"{s['load_s']:.1f}",
                *(f"{lat[k]['p50']:.1f} / {lat[k]['p95']:.1f}" for k in ("dense", "bm25", "hybrid", "hybrid+filter")),
                mem,
            ])  # fmt: skip
    head = [
        "size", "passages", "store", "dense index", "build s (no embedding)", "replica load s",
        "dense top-50 p50 / p95 ms", "BM25 top-50 p50 / p95 ms", "hybrid search p50 / p95 ms",
        "hybrid + year filter p50 / p95 ms", "memory MiB (replica RSS growth + Milvus server RSS)",
    ]  # fmt: skip
    return md_table(head, rows)


NOTES = """Stand-in vectors at both sizes: `FakeEmbedder(384)` (character bigrams hashed into 384 dimensions), not the
model's (embedding ~90k passages takes hours on 2 CPUs); a store's search cost depends on the number and dimension
of the vectors, not on what they mean. BM25 runs on the real texts with the real analyzer. Milvus = Milvus Lite's
`milvus-lite server` (pure Python over NumPy/FAISS, one process on this machine) reached over gRPC; a Milvus
Standalone/Distributed cluster runs the same requests in C++ (Knowhere) and is not measured here. Hybrid search =
`Engine.search(q, 5)`: question analysis, stand-in query embedding, dense and BM25 top-50 in the store, fusion;
the filter is the collection's most common document year (a row-set filter expression in Milvus). Replica memory =
RSS growth of a fresh process while it loads the live version (local: FAISS + bm25s + chunks; Milvus: chunk records,
documents and BM25 statistics only). Build s = `build_index(full=True)` minus embedding."""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10k,100k")
    ap.add_argument("-n", type=int, default=50, help="questions per size")
    ap.add_argument("--child", choices=["local", "milvus"], help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    ap.add_argument("--uri", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.folder, args.uri, args.n)
    facts = machine_facts()
    results = [measure(size, args.n) for size in parse_sizes(args.sizes)]
    save_json("milvus", {"facts": facts, "results": results})
    body = table(results) + "\n\n" + NOTES
    print_section("Milvus", body)
    update_results("milvus", "Milvus", body, facts, command_line(), load_avg())


if __name__ == "__main__":
    main()
