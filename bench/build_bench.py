"""Build benchmark: full-build throughput against raw SentenceTransformer.encode on the same chunk texts,
a one-document incremental rebuild, the HNSW variant (from cached vectors), peak RSS and index bytes/chunk.

Each size runs in a child process (``--child``) so its peak RSS is that of one build; the parent prints
the table and updates the "build" section of bench/RESULTS.md with every size measured so far.
"""

from __future__ import annotations

if __name__ == "__main__" and not __package__:
    raise SystemExit("run as a module from the repository root: .venv/bin/python -m bench.build_bench")

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .common import (
    DEMO_CORPUS,
    REPO,
    WORK,
    PeakRSS,
    command_line,
    load_avg,
    load_json,
    machine_facts,
    md_table,
    parse_sizes,
    print_section,
    save_json,
    update_results,
)

EXACT = 10**9  # ann_threshold that keeps FAISS exact at every size


def index_dirs(label: str) -> tuple[Path, Path]:
    return WORK / f"index-{label}", WORK / f"index-{label}-hnsw"


def version_bytes(index_dir: Path) -> int:
    from policyqa.index.store import current_version

    folder = index_dir / "versions" / current_version(index_dir)
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def ensure_demo_index(embedder=None) -> Path:
    """The demo corpus's index in /tmp (incremental: instant when it is up to date)."""
    from policyqa.index.build import build_index
    from policyqa.models.embed import load_embedder
    from policyqa.settings import Settings

    settings = Settings(corpus_dir=DEMO_CORPUS, index_dir=WORK / "index-demo")
    build_index(settings, embedder or load_embedder(settings))
    return settings.index_dir


def child(label: str, out: Path, raw_limit: int, profile: bool) -> None:
    from policyqa.corpus.chunk import chunk_corpus
    from policyqa.corpus.ingest import load_corpus
    from policyqa.index.build import build_index
    from policyqa.models.embed import load_embedder
    from policyqa.settings import Settings

    from .collections import edited_document

    folder = WORK / "collections" / label
    exact_dir, hnsw_dir = index_dirs(label)
    settings = Settings(corpus_dir=folder, index_dir=exact_dir, ann_threshold=EXACT)
    t0 = time.perf_counter()
    embedder = load_embedder(settings)
    res: dict = {"size": label, "model_load_s": time.perf_counter() - t0, "load_start": load_avg()}
    embedder.embed_batch(["预热：科技成果转化条例"] * 8, "passage")  # warm-up, outside every timing
    # Raw encode of the same chunk contexts, half (at random) just before the build and half just after, so that
    # a drift in the machine's load hits both measurements alike.
    texts = [
        c.context
        for c in chunk_corpus(load_corpus(folder).documents, settings.chunk_size, settings.chunk_overlap)
    ]
    texts = random.Random(0).sample(texts, raw_limit if 0 < raw_limit < len(texts) else len(texts))
    halves, raw_s, raw_backend_s = (texts[: len(texts) // 2], texts[len(texts) // 2 :]), 0.0, 0.0

    def raw(part: list[str]) -> float:
        t0 = time.perf_counter()
        embedder.model.encode(
            part,
            prompt=embedder.passage_prompt or None,
            batch_size=settings.embed_batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return time.perf_counter() - t0

    def raw_backend(part: list[str]) -> float:
        """The embedder's own batch encode (ONNX Runtime when in use), without the pipeline around it."""
        t0 = time.perf_counter()
        embedder._encode(part, "passage")
        return time.perf_counter() - t0

    raw_s += raw(halves[0])
    raw_backend_s += raw_backend(halves[0])
    with PeakRSS() as mem:
        res["rss_before_build"] = mem.proc.memory_info().rss
        full = build_index(settings, embedder, full=True, progress=sys.stderr.isatty())
    res.update(full=full.to_dict(), build_peak_rss=mem.peak, load_after_build=load_avg())
    res["full"].pop("problems", None)
    print(
        f"[{label}] full build: {full.chunks} chunks in {full.seconds:.1f}s (embedding {full.embed_seconds:.1f}s)",
        flush=True,
    )
    raw_backend_s += raw_backend(halves[1])
    raw_s += raw(halves[1])
    res.update(
        raw_texts=len(texts),
        raw_s=raw_s,
        raw_backend_s=raw_backend_s,
        # the backend that embeds build batches (policyqa.embed sends query-sized calls to ONNX Runtime)
        backend=embedder.batch_backend,
        load_after_raw=load_avg(),
    )
    print(
        f"[{label}] raw encode: {len(texts)} texts in {raw_s:.1f}s (half before, half after the build)",
        flush=True,
    )
    res["exact_bytes"] = version_bytes(exact_dir)

    with edited_document(folder) as path:
        profiler = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.005)
            profiler.start()
        edit = build_index(settings, embedder)
        if profiler is not None:
            profiler.stop()
            text = profiler.output_text(unicode=True, color=False)
            (WORK / f"profile-incremental-{label}.txt").write_text(text, encoding="utf-8")
    restore = build_index(settings, embedder)
    res.update(edit_doc=str(path.relative_to(folder)), incremental=_brief(edit), restore=_brief(restore))
    print(
        f"[{label}] incremental rebuild: {edit.embedded} embedded, {edit.reused} reused in {edit.seconds:.1f}s",
        flush=True,
    )

    shutil.rmtree(hnsw_dir, ignore_errors=True)
    shutil.copytree(exact_dir, hnsw_dir)
    hnsw = build_index(settings.model_copy(update={"index_dir": hnsw_dir, "ann_threshold": 1}), embedder)
    res.update(hnsw=_brief(hnsw), hnsw_bytes=version_bytes(hnsw_dir), load_end=load_avg())
    out.write_text(json.dumps(res, indent=2, default=str), encoding="utf-8")


def _brief(report) -> dict:
    return {k: getattr(report, k) for k in ("chunks", "embedded", "reused", "seconds", "embed_seconds")} | {
        "changed": report.changed
    }


def eta(label: str) -> str:
    """Expected wall time from the 1k measurement (full build + raw encode scale with the chunk count)."""
    from .collections import select

    base = load_json("build-1k")
    if not base:
        return "unknown (run --sizes 1k first)"
    per_chunk = base["full"]["seconds"] / base["full"]["chunks"] + base["raw_s"] / base["raw_texts"]
    chunks = select(label)[1]
    return f"≈{chunks * per_chunk / 60:.0f} min for ~{chunks:,} chunks (from the 1k run: {per_chunk * 1000:.0f} ms/chunk)"


def row(r: dict) -> list:
    full = r["full"]
    build_rate = full["chunks"] / full["seconds"]
    raw_rate = r["raw_texts"] / r["raw_s"]
    backend_rate = r["raw_texts"] / r["raw_backend_s"] if r.get("raw_backend_s") else raw_rate
    inc = r["incremental"]
    return [
        r["size"],
        full["chunks"],
        r.get("backend", "torch"),
        f"{full['seconds']:.0f}",
        f"{build_rate:.2f}",
        f"{raw_rate:.2f}",
        f"{backend_rate:.2f}",
        f"{build_rate / raw_rate:.0%} / {build_rate / backend_rate:.0%}",
        f"{full['seconds'] - full['embed_seconds']:.1f}",
        f"{inc['seconds']:.1f} ({inc['embedded']} re-embedded)",
        f"{inc['seconds'] / full['seconds']:.1%}",
        f"{r['hnsw']['seconds']:.1f}",
        f"{r['build_peak_rss'] / 2**20:,.0f}",
        f"{r['exact_bytes'] / full['chunks']:,.0f} / {r['hnsw_bytes'] / full['chunks']:,.0f}",
        f"{r['load_start']} → {r['load_end']}",
    ]


HEADERS = [
    "size",
    "chunks",
    "batch backend",
    "full build s",
    "build chunks/s",
    "raw ST.encode chunks/s",
    "raw backend chunks/s",
    "build/raw (ST / backend)",
    "non-embedding s",
    "1-doc incremental s",
    "incremental/full",
    "HNSW rebuild s",
    "build peak RSS MiB",
    "index bytes/chunk (flat / HNSW)",
    "load avg",
]


def write_section(facts: dict, command: str) -> str:
    rows = [row(r) for label in ("1k", "10k", "100k") if (r := load_json(f"build-{label}"))]
    body = md_table(HEADERS, rows) + (
        "\n\nFull build = ingest + clean + chunk + embed + FAISS + BM25 + write (`build_index(full=True)`); raw ST.encode ="
        " `SentenceTransformer.encode` (torch) of the same chunk contexts with the pipeline's prompt, batch size and"
        " normalisation in the same process; raw backend = the embedder's own batch encode with the backend the build"
        " used for batches (torch; ONNX Runtime only embeds query-sized calls), i.e. the build's embedding without the pipeline around it. Each"
        " raw measurement runs a random half just before the build and the other half just after. Incremental = `build_index()` after inserting"
        " one paragraph into one document. HNSW rebuild = the same index rebuilt with `ann_threshold=1` from cached"
        " vectors. Peak RSS covers the build process (model included). Each row has its own date: see out/build-*.json."
    )
    update_results("build", "Build", body, facts, command)
    return body


def run(sizes: list[str], raw_limit: int = 0, profile: bool = True) -> None:
    from .collections import make_collection

    facts = machine_facts()
    for label in sizes:
        folder, info = make_collection(label)
        print(
            f"[{label}] collection {folder}: {info['documents']} documents, ~{info['chunks_estimate']:,} chunks;"
            f" ETA {eta(label) if label != '1k' else 'measuring'}",
            flush=True,
        )
        out = WORK / f"build-{label}.json"
        cmd = [
            sys.executable,
            "-m",
            "bench.build_bench",
            "--child",
            label,
            "--out",
            str(out),
            "--raw-limit",
            str(raw_limit),
        ]
        subprocess.run(cmd + (["--profile"] if profile else []), cwd=REPO, check=True)
        res = json.loads(out.read_text()) | {"when": machine_facts()["when"], "collection": info}
        save_json(f"build-{label}", res)
    print_section("build", write_section(facts, command_line()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1k,10k")
    ap.add_argument(
        "--raw-limit", type=int, default=0, help="raw-encode a random sample of this many chunks (0 = all)"
    )
    ap.add_argument(
        "--no-profile", action="store_true", help="skip the pyinstrument profile of the incremental build"
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.out, args.raw_limit, args.profile)
    else:
        run(parse_sizes(args.sizes), args.raw_limit, not args.no_profile)


if __name__ == "__main__":
    main()
