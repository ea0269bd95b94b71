"""Run every benchmark at the chosen sizes, then summarise memory and the targets in bench/RESULTS.md.

.venv/bin/python -m bench.run_all --sizes 1k          # minutes
.venv/bin/python -m bench.run_all --sizes 1k,10k      # hours on 2 cores (embedding dominates)
.venv/bin/python -m bench.run_all --sizes 100k --raw-limit 5000   # opt-in; prints an ETA first
"""

from __future__ import annotations

if __name__ == "__main__" and not __package__:
    raise SystemExit("run as a module from the repository root: .venv/bin/python -m bench.run_all")

import argparse
import time

from . import build_bench, load_bench, peer, query_bench
from .common import (
    command_line,
    load_json,
    machine_facts,
    md_table,
    parse_sizes,
    print_section,
    update_results,
)

SIZES = ("1k", "10k", "100k")


def memory_section(facts: dict, command: str) -> str:
    rows = []
    for label in SIZES:
        if b := load_json(f"build-{label}"):
            n = b["full"]["chunks"]
            rows.append(
                [
                    f"build {label}",
                    f"{n:,}",
                    f"{b['build_peak_rss'] / 2**20:,.0f}",
                    f"{b['rss_before_build'] / 2**20:,.0f}",
                    f"{b['exact_bytes'] / n:,.0f}",
                    f"{b['hnsw_bytes'] / n:,.0f}",
                    f"{b['exact_bytes'] / 2**20:,.1f} / {b['hnsw_bytes'] / 2**20:,.1f}",
                ]
            )
    g = load_json("grow-100k")
    if g and g["stages"]:
        last = g["stages"][-1]
        hnsw = g.get("hnsw", {})
        rows.append(
            [
                "build 100k (last incremental stage)",
                f"{last['chunks']:,}",
                f"{last['peak_rss'] / 2**20:,.0f}",
                "–",
                f"{last['bytes'] / last['chunks']:,.0f}",
                f"{hnsw['bytes'] / hnsw['chunks']:,.0f}" if hnsw else "–",
                f"{last['bytes'] / 2**20:,.1f} / {hnsw['bytes'] / 2**20:,.1f}" if hnsw else "–",
            ]
        )
    if g and (r := g.get("rebuild")):
        rows.append(
            [
                "build 100k again, BM25 from token ids (all vectors reused)",
                f"{r['chunks']:,}",
                f"{r['peak_rss'] / 2**20:,.0f}",
                f"{r['rss_before'] / 2**20:,.0f}",
                "–",
                "–",
                "–",
            ]
        )
    if s := load_json("load"):
        rows.append(
            [
                "server (demo index, under load)",
                "20",
                f"{s['server_peak_rss'] / 2**20:,.0f}",
                f"{s['rss_ready'] / 2**20:,.0f}",
                "–",
                "–",
                "–",
            ]
        )
    body = md_table(
        [
            "process",
            "chunks",
            "peak RSS MiB",
            "RSS before build / when ready MiB",
            "index bytes/chunk flat",
            "index bytes/chunk HNSW",
            "index MiB flat / HNSW",
        ],
        rows,
    )
    body += "\n\nPeak RSS polled with psutil every 50 ms (build: the build child process, model loaded; server: the `policyqa serve` process)."
    update_results("memory", "Memory and index size", body, facts, command)
    return body


def targets_section(facts: dict, command: str) -> str:
    rows = []
    queries = [q for label in SIZES if (q := load_json(f"query-{label}"))]
    if queries:
        q = queries[-1]
        p50 = min(q["flat"]["hybrid"]["p50"], q["hnsw"]["hybrid"]["p50"])
        where = "100k" if q["size"] == "100k" else f"{q['size']} only (100k not measured)"
        rows.append(
            [
                "search p50 ≤ 30 ms at 100k chunks (query embedding included)",
                f"{p50:.1f} ms at {q['chunks']:,} chunks ({where})",
                "yes" if p50 <= 30 else "no",
            ]
        )
    d, p = load_json("peer-demo"), load_json("peer-10k")
    if p and d:
        ratio = p["peer"]["latency"]["p50"] / p["ours"]["latency"]["p50"]
        ok = ratio >= 10 and d["ours"]["hit@5"] >= d["peer"]["hit@5"]
        rows.append(
            [
                "≥10× lower latency than the peer at 10k, hit@5 at least as high",
                f"{ratio:.0f}× at 10k; hit@5 {d['ours']['hit@5']:.3f} vs {d['peer']['hit@5']:.3f} (demo)",
                "yes" if ok else "no",
            ]
        )
    for label in SIZES:
        if b := load_json(f"build-{label}"):
            rate = b["full"]["chunks"] / b["full"]["seconds"]
            st = rate / (b["raw_texts"] / b["raw_s"])
            own = rate / (b["raw_texts"] / b.get("raw_backend_s", b["raw_s"]))
            rows.append(
                [
                    f"full-build throughput ≥ 90% of raw encode ({label})",
                    f"{st:.0%} of SentenceTransformer.encode; {own:.0%} of the embedder's own batch encode",
                    "yes" if min(st, own) >= 0.9 else "no",
                ]
            )
            if label != "10k":  # the issue sets this target on the ~10k-chunk collection
                continue
            inc = b["incremental"]["seconds"] / b["full"]["seconds"]
            rows.append(
                [
                    f"one-document incremental rebuild ≤ 5% of a full build ({label})",
                    f"{inc:.1%}",
                    "yes" if inc <= 0.05 else "no",
                ]
            )
    if s := load_json("load"):
        errors = sum(r["errors"] for r in s["levels"])
        rows.append(
            [
                "zero errors under load",
                f"{errors} errors in {sum(r['requests'] for r in s['levels'])} requests",
                "yes" if errors == 0 else "no",
            ]
        )
    body = md_table(["target", "measured", "met"], rows)
    body += "\n\nTargets are reported, not enforced; numbers on a shared 2-core machine move with the load average (see each section)."
    update_results("targets", "Targets", body, facts, command)
    return body


def main() -> None:
    ap = argparse.ArgumentParser(description="Run all policyqa benchmarks")
    ap.add_argument("--sizes", default="1k,10k", help="1k,10k (default); add 100k explicitly (very long)")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: build,query,peer,load")
    ap.add_argument(
        "--raw-limit", type=int, default=0, help="raw-encode only a random sample of N chunks (0 = all)"
    )
    ap.add_argument("--questions", type=int, default=50)
    ap.add_argument(
        "--peer-sizes", default=None, help="collections to time the peer on (default: the sizes except 100k)"
    )
    ap.add_argument("--peer-queries", type=int, default=10)
    ap.add_argument(
        "--requests", type=int, default=200, help="requests per level and endpoint in the load test"
    )
    ap.add_argument(
        "--profile", action="store_true", help="pyinstrument profiles of ask/search (in /tmp/policyqa-bench)"
    )
    args = ap.parse_args()
    sizes, skip = parse_sizes(args.sizes), set(filter(None, args.skip.split(",")))
    peer_sizes = (
        parse_sizes(args.peer_sizes) if args.peer_sizes is not None else [s for s in sizes if s != "100k"]
    )
    facts, command, t0 = machine_facts(), command_line(), time.time()
    if "build" not in skip:
        build_bench.run(sizes, args.raw_limit)
    if "query" not in skip:
        query_bench.run(sizes, args.questions, args.profile)
    if "peer" not in skip:
        peer.run(peer_sizes, args.peer_queries)
    if "load" not in skip:
        load_bench.run(args.requests)
    print_section("memory", memory_section(facts, command))
    print_section("targets", targets_section(facts, command))
    print(f"all done in {(time.time() - t0) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
