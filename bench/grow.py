"""Build the "100k" collection's index in stages, each a complete index version, so that the hours of
embedding on 2 cores survive an interruption and every finished stage can be measured.

It starts from the 10k index (1k ⊂ 10k ⊂ 100k, and vectors are reused by chunk text), adds documents in the
collections' fixed order until about ``--step`` more chunks, builds incrementally, and repeats until the whole
collection is in. The last stage is then copied into an HNSW index. Query latency at this size comes from
``bench.query_bench --sizes 100k`` afterwards (it reads the same index folders).

.venv/bin/python -m bench.grow --step 20000
.venv/bin/python -m bench.grow --stand-in     # after some real stages: the rest with stand-in vectors

``--stand-in`` finishes the collection at once, giving every chunk not embedded yet a random unit vector
instead of the model's (labelled in RESULTS.md). Question embeddings, BM25, chunk texts and the flat index's
search cost (which does not depend on the values) stay real; HNSW recall is only meaningful on real stages.
"""

from __future__ import annotations

if __name__ == "__main__" and not __package__:
    raise SystemExit("run as a module from the repository root: .venv/bin/python -m bench.grow")

import argparse
import shutil
import time

from .build_bench import EXACT, index_dirs, version_bytes
from .collections import chunk_counts, select, write_collection
from .common import (
    WORK,
    PeakRSS,
    command_line,
    load_avg,
    load_json,
    machine_facts,
    md_table,
    print_section,
    save_json,
    update_results,
)


def stages(step: int) -> list[int]:
    """Cumulative document counts of the stages (the last one is the whole collection)."""
    items, _ = select("100k")
    counts = chunk_counts(items)
    base = select("10k")[1]
    cuts, total, goal = [], 0, base + step
    for n, it in enumerate(items, 1):
        total += counts[it.key]
        if total >= goal:
            cuts.append(n)
            goal = total + step
    if not cuts or cuts[-1] != len(items):
        cuts.append(len(items))
    return cuts


class StandIn:
    """The real embedder for questions; random unit vectors (seeded by the text) for passages."""

    def __init__(self, real):
        self.real, self.model_id, self.fingerprint, self.dim = real, real.model_id, real.fingerprint, real.dim
        self.weights_hash = getattr(real, "weights_hash", None)
        self.query_prompt, self.passage_prompt = real.query_prompt, real.passage_prompt
        self.made = 0

    def embed_batch(self, texts: list[str], kind: str = "passage"):
        import hashlib

        import numpy as np

        if kind == "query":
            return self.real.embed_batch(texts, kind)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
            v = np.random.default_rng(seed).standard_normal(self.dim)
            out[i] = v / np.linalg.norm(v)
        self.made += len(texts)
        return out


def run(step: int, stand_in: bool = False) -> None:
    from policyqa.index.build import build_index
    from policyqa.models.embed import load_embedder
    from policyqa.settings import Settings

    items, _ = select("100k")
    counts = chunk_counts(items)
    exact_dir, hnsw_dir = index_dirs("100k")
    if not exact_dir.exists():
        shutil.copytree(index_dirs("10k")[0], exact_dir)  # its vectors are reused
    folder = WORK / "collections" / "100k-grow"
    settings = Settings(corpus_dir=folder, index_dir=exact_dir, ann_threshold=EXACT)
    embedder = load_embedder(settings)
    done = load_json("grow-100k") or {"stages": []}
    cuts = stages(step)
    if stand_in:
        cuts, embedder = cuts[-1:], StandIn(embedder)
    for cut in cuts:
        if any(s["documents"] == cut for s in done["stages"]):
            continue
        chosen = items[:cut]
        write_collection(folder, chosen, "100k", sum(counts[it.key] for it in chosen))
        start = load_avg()
        with PeakRSS() as mem:
            report = build_index(settings, embedder)
        stage = {
            "documents": cut,
            "chunks": report.chunks,
            "embedded": report.embedded,
            "reused": report.reused,
            "seconds": report.seconds,
            "embed_seconds": report.embed_seconds,
            "peak_rss": mem.peak,
            "bytes": version_bytes(exact_dir),
            "load": f"{start} → {load_avg()}",
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "backend": "stand-in vectors" if stand_in else getattr(embedder, "backend", "?"),
        }
        done["stages"].append(stage)
        save_json("grow-100k", done)
        print(
            f"stage {len(done['stages'])}: {report.chunks:,} chunks, {report.embedded:,} embedded in"
            f" {report.embed_seconds:.0f} s ({report.embedded / max(report.embed_seconds, 1e-9):.1f}/s),"
            f" build {report.seconds:.0f} s",
            flush=True,
        )
    shutil.rmtree(hnsw_dir, ignore_errors=True)
    shutil.copytree(exact_dir, hnsw_dir)
    hnsw = build_index(settings.model_copy(update={"index_dir": hnsw_dir, "ann_threshold": 1}), embedder)
    done["hnsw"] = {"seconds": hnsw.seconds, "bytes": version_bytes(hnsw_dir), "chunks": hnsw.chunks}
    save_json("grow-100k", done)


def write_section(facts: dict, command: str) -> str:
    done = load_json("grow-100k") or {"stages": []}
    rows = [
        [
            i,
            f"{s['documents']:,}",
            f"{s['chunks']:,}",
            f"{s['embedded']:,}",
            "–" if "stand-in" in s["backend"] else f"{s['embedded'] / max(s['embed_seconds'], 1e-9):.1f}",
            f"{s['seconds']:.0f}",
            f"{s['seconds'] - s['embed_seconds']:.0f}",
            f"{s['peak_rss'] / 2**20:,.0f}",
            f"{s['bytes'] / s['chunks']:,.0f}",
            s["backend"],
            s["load"],
        ]
        for i, s in enumerate(done["stages"], 1)
    ]
    body = md_table(
        [
            "stage",
            "documents",
            "chunks",
            "embedded",
            "embedded chunks/s",
            "build s",
            "non-embedding s",
            "peak RSS MiB",
            "index bytes/chunk",
            "embedding backend",
            "load avg",
        ],
        rows,
    )
    if h := done.get("hnsw"):
        body += f"\n\nHNSW copy of the last stage: rebuilt from cached vectors in {h['seconds']:.0f} s, {h['bytes'] / h['chunks']:,.0f} bytes/chunk."
    if any("stand-in" in s["backend"] for s in done["stages"]):
        real = max((s["chunks"] for s in done["stages"] if "stand-in" not in s["backend"]), default=0)
        body += (
            f"\n\n**Stand-in vectors**: the model embedded {real:,} chunks; the rest of the last stage got random"
            " unit vectors (not the model's), because embedding them on 2 cores would take hours more. Query"
            " latency at that size is still real for the question embedding, BM25 and exact FAISS (whose cost"
            " does not depend on the values); HNSW recall there is not meaningful."
        )
    body += (
        "\n\nThe ~100k collection (all shared texts, ~87k chunks at 300/60) grown from the 10k index by incremental"
        " builds of about the step size each; every stage is a complete index version. Embedding it from nothing"
        " would take about as long as the sum of the stages' embedding time."
    )
    update_results("grow", "Build: the 100k collection in stages", body, facts, command)
    return body


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--step", type=int, default=20_000, help="about this many new chunks per stage")
    ap.add_argument("--stand-in", action="store_true", help="finish with random vectors for the rest")
    args = ap.parse_args()
    run(args.step, args.stand_in)
    print_section("grow", write_section(machine_facts(), command_line()))


if __name__ == "__main__":
    main()
