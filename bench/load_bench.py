"""Load test of `policyqa serve` on 127.0.0.1: 1, 8 and 32 concurrent clients (httpx async), a fixed number
of requests per level to POST /api/search and /api/ask; requests/s, p50/p95, errors, and the server's peak RSS.

The server runs as a subprocess on a free port over the demo index (built in /tmp by build_bench) and is
stopped at the end.
"""

from __future__ import annotations

if __name__ == "__main__" and not __package__:
    raise SystemExit("run as a module from the repository root: .venv/bin/python -m bench.load_bench")

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from .common import (
    BENCH,
    DEMO_CORPUS,
    EVAL_SET,
    REPO,
    PeakRSS,
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

LEVELS = (1, 8, 32)
PREFIXES = (
    "",
    "请问，",
    "你好，",
    "想了解一下：",
    "麻烦问下，",
    "咨询一下：",
    "我想知道：",
    "请帮我查一下：",
    "问一下，",
    "劳驾，",
)


def unique_questions(n: int) -> list[tuple[str, list[str]]]:
    """n distinct (question, history) pairs: the eval questions under varied polite openings, so that the
    service's cache of recent vectors never holds the question (it would after 152 requests)."""
    from policyqa.evaluation.questions import load_eval_set

    out = [(p + q.question, q.history) for p in PREFIXES for q in load_eval_set(EVAL_SET)]
    return (out * (n // len(out) + 1))[:n]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index_dir: Path, port: int) -> subprocess.Popen:
    import httpx

    exe = REPO / ".venv" / "bin" / "policyqa"
    cmd = [
        str(exe),
        "serve",
        "--index",
        str(index_dir),
        "--corpus",
        str(DEMO_CORPUS),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    log = open(index_dir.parent / "server.log", "w")  # noqa: SIM115 (kept open for the server's lifetime)
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see {log.name}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop_server(proc)
    raise RuntimeError("server not ready after 300 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)  # the server's own session: only processes we started
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


async def level(base: str, path: str, bodies: list[dict], concurrency: int, total: int) -> dict:
    import httpx

    queue: asyncio.Queue = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(bodies[i % len(bodies)])
    times, errors = [], []

    async def client(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            body = queue.get_nowait()
            t0 = time.perf_counter()
            try:
                r = await http.post(base + path, json=body)
                ok = r.status_code == 200
                if not ok:
                    errors.append(f"{r.status_code}: {r.text[:120]}")
            except httpx.HTTPError as exc:
                ok = False
                errors.append(repr(exc))
            if ok:
                times.append((time.perf_counter() - t0) * 1000)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=300, limits=limits) as http:
        t0 = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
        wall = time.perf_counter() - t0
    return {
        "endpoint": path,
        "concurrency": concurrency,
        "requests": total,
        "errors": len(errors),
        "error_samples": errors[:3],
        "rps": total / wall,
        "wall_s": wall,
        "latency": stats(times),
    }


def run(total: int = 200) -> None:
    from .build_bench import ensure_demo_index

    facts = machine_facts()
    index_dir = ensure_demo_index()
    questions = unique_questions(len(LEVELS) * 2 * total)
    asks = [{"question": q, "history": h} for q, h in questions]
    searches = [{"query": f"{h[-1]} {q}" if h else q, "k": 5} for q, h in questions]
    port = free_port()
    t0 = time.perf_counter()
    proc = start_server(index_dir, port)
    res = {
        "startup_s": time.perf_counter() - t0,
        "load_start": load_avg(),
        "levels": [],
        "when": facts["when"],
    }
    try:
        with PeakRSS(proc.pid) as mem:
            res["rss_ready"] = mem.proc.memory_info().rss
            for e, (path, bodies) in enumerate((("/api/search", searches), ("/api/ask", asks))):
                for i, c in enumerate(LEVELS):
                    chunk = bodies[(e * len(LEVELS) + i) * total :][:total]  # each request a new question
                    r = asyncio.run(level(f"http://127.0.0.1:{port}", path, chunk, c, total))
                    print(
                        f"{path} c={c}: {r['rps']:.1f} req/s, p50 {r['latency']['p50']:.0f} ms, errors {r['errors']}",
                        flush=True,
                    )
                    res["levels"].append(r)
        res["server_peak_rss"] = mem.peak
    finally:
        stop_server(proc)
    res.update(load_end=load_avg(), server_exit=proc.returncode)
    save_json("load", res)
    print_section("load", write_section(facts, command_line()))


def plot(res: dict) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.6))
    for path, color in (("/api/search", "C0"), ("/api/ask", "C3")):
        lv = [r for r in res["levels"] if r["endpoint"] == path]
        cs = [r["concurrency"] for r in lv]
        a1.plot(cs, [r["rps"] for r in lv], "-o", color=color, label=path)
        a2.plot(cs, [r["latency"]["p50"] for r in lv], "-o", color=color, label=f"{path} p50")
        a2.plot(cs, [r["latency"]["p95"] for r in lv], "--", color=color, label=f"{path} p95")
    a1.set(xscale="log", xlabel="concurrent clients", ylabel="requests/s", title="throughput")
    a2.set(xscale="log", yscale="log", xlabel="concurrent clients", ylabel="ms", title="latency")
    for ax in (a1, a2):
        ax.set_xticks(LEVELS, [str(c) for c in LEVELS])
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(BENCH / "load.png", dpi=110)
    plt.close(fig)
    return "load.png"


def write_section(facts: dict, command: str) -> str:
    res = load_json("load")
    rows = [
        [
            r["endpoint"],
            r["concurrency"],
            r["requests"],
            f"{r['rps']:.1f}",
            f"{r['latency']['p50']:.0f}",
            f"{r['latency']['p95']:.0f}",
            r["errors"],
        ]
        for r in res["levels"]
    ]
    body = md_table(["endpoint", "clients", "requests", "req/s", "p50 ms", "p95 ms", "errors"], rows)
    body += (
        f"\n\nServer: `policyqa serve` over the demo index (1 document, 20 chunks), started in {res['startup_s']:.0f} s;"
        f" RSS {res['rss_ready'] / 2**20:,.0f} MiB when ready, peak {res['server_peak_rss'] / 2**20:,.0f} MiB under load;"
        f" exit status after SIGINT {res['server_exit']}. Load average {res['load_start']} → {res['load_end']}."
        f" Clients: httpx.AsyncClient; every request a distinct question (eval/questions.jsonl under 10 polite openings), so no question vector comes from policyqa's cache of recent vectors; the vectors of sentences an answer may quote do, as in service (the demo has only 20 chunks, so after a few requests most are cached: `POLICYQA_EMBED_CACHE`).\n\n![load]({plot(res)})"
    )
    update_results("load", "Server under load", body, facts, command)
    return body


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=200, help="requests per concurrency level and endpoint")
    run(ap.parse_args().requests)


if __name__ == "__main__":
    main()
