"""Shared helpers: paths, machine facts, timing and percentiles, a peak-RSS poller, tables and the
RESULTS.md writer (each script replaces only its own section, under a file lock)."""

from __future__ import annotations

import contextlib
import fcntl
import importlib.metadata
import json
import os
import platform
import re
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
OUT = BENCH / "out"  # raw JSON of every run (git-ignored); RESULTS.md and the PNGs are the summaries
RESULTS = BENCH / "RESULTS.md"
WORK = Path(os.environ.get("POLICYQA_BENCH_DIR", "/tmp/policyqa-bench"))  # collections and indexes
DATA = REPO.parent / "shared" / "data"  # read in place, never copied into the repository
DEMO_CORPUS = REPO / "corpus"
EVAL_SET = REPO / "eval" / "questions.jsonl"
PACKAGES = (
    "policyqa",
    "torch",
    "sentence-transformers",
    "faiss-cpu",
    "bm25s",
    "jieba",
    "rank-bm25",
    "langchain-text-splitters",
    "uvicorn",
    "httpx",
)
HEADER = "# policyqa benchmarks\n\nWritten by the scripts in `bench/` (see bench/README.md); each section is replaced by its own script.\n"


def parse_sizes(text: str) -> list[str]:
    sizes = [s.strip().lower() for s in text.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in ("1k", "10k", "100k")]
    if unknown:
        raise SystemExit(f"unknown size(s) {unknown}: choose from 1k, 10k, 100k")
    return sorted(sizes, key=lambda s: int(s[:-1]))


def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine_facts() -> dict:
    import psutil

    cpu = platform.processor()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        )
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "-"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = "?"
    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": cpu,
        "load_avg": load_avg(),
        "python": platform.python_version(),
        "versions": versions,
        "commit": commit,
        "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def facts_md(facts: dict, load_after: str | None = None) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in facts["versions"].items())
    load = f"load average {facts['load_avg']} at start" + (f", {load_after} at end" if load_after else "")
    return (
        f"*{facts['when']}, commit {facts['commit']} (+ working tree); {facts['nproc']} CPUs ({facts['cpu']}), "
        f"{facts['ram_gb']} GiB RAM; {load}; Python {facts['python']}; {versions}.*"
    )


def command_line() -> str:
    mod = sys.modules["__main__"].__spec__
    name = mod.name if mod is not None else sys.argv[0]
    return " ".join([".venv/bin/python -m", name, *sys.argv[1:]])


def stats(ms: list[float]) -> dict:
    if not ms:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "mean": float("nan")}
    a = np.asarray(ms, dtype=np.float64)
    return {
        "n": len(a),
        "p50": float(np.percentile(a, 50)),
        "p95": float(np.percentile(a, 95)),
        "mean": float(a.mean()),
    }


def timed_ms(fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - t0) * 1000.0, result


def cold_ms(embedder, fn, *args, **kwargs):
    """``timed_ms`` with the query cache emptied first."""
    embedder.forget()  # every embedding timed, as for a question the service has not seen
    return timed_ms(fn, *args, **kwargs)


class PeakRSS:
    """Polls the resident set size of a process (and its children) in a thread; ``peak`` is in bytes."""

    def __init__(self, pid: int | None = None, interval: float = 0.05):
        import psutil

        self.proc = psutil.Process(pid or os.getpid())
        self.interval, self.peak = interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        try:
            rss = self.proc.memory_info().rss
            for child in self.proc.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    rss += child.memory_info().rss
        except psutil.Error:
            return
        self.peak = max(self.peak, rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def fmt(x, digits: int = 1) -> str:
    if isinstance(x, float):
        return "–" if x != x else f"{x:,.{digits}f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def md_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(fmt(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def save_json(name: str, data: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


def load_json(name: str) -> dict | None:
    path = OUT / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def update_results(
    section: str,
    title: str,
    body: str,
    facts: dict | None = None,
    command: str | None = None,
    load_after: str | None = None,
) -> None:
    """Replace (or append) the section between this script's markers in bench/RESULTS.md."""
    parts = [f"## {title}", ""]
    if command:
        parts += [f"`{command}`", ""]
    if facts:
        parts += [facts_md(facts, load_after), ""]
    block = (
        f"<!-- bench:{section} -->\n" + "\n".join(parts + [body.rstrip(), ""]) + f"<!-- /bench:{section} -->"
    )
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "RESULTS.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
        pattern = re.compile(
            rf"<!-- bench:{re.escape(section)} -->.*?<!-- /bench:{re.escape(section)} -->", re.S
        )
        if pattern.search(text):
            text = pattern.sub(lambda _: block, text)
        else:
            text = text.rstrip() + "\n\n" + block + "\n"
        tmp = OUT / "RESULTS.md.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, RESULTS)


def print_section(title: str, body: str) -> None:
    print(f"\n== {title} ==\n{body}\n", flush=True)
