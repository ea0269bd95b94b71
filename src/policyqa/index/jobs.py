"""Rebuilds after a corpus change made in the page, one at a time, in a background thread.

Each job changes the corpus (``apply``), rebuilds the index in a subprocess (``policyqa index build``: the
serving process keeps only what answers questions, and a build's model and memory go away with the
subprocess), waits until the service has swapped in the new version, and on any failure undoes its change
(``revert``), so a failed job leaves the corpus as it found it. An unchanged corpus keeps the live version.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from ..errors import PolicyQAError
from ..settings import ENV_PREFIX, Settings

KEEP_JOBS = 50  # finished jobs the page can still ask about
SWAP_TIMEOUT_S = 300.0  # how long a finished build may take to be loaded by the service
_SECRETS = {"api_keys", "admin_keys"}  # a build needs no keys: they stay out of the child's environment
_PROGRESS = re.compile(r"embedding:.*?(\d+)/(\d+)")


@dataclass
class Job:
    id: str
    kind: str  # upload, delete or rebuild
    state: str = "queued"  # queued → running → loading → done, or failed
    stage: str = "排队等待"  # what the page shows
    file: str | None = None
    doc_ids: list[str] = field(default_factory=list)
    progress: dict | None = None  # {"done": n, "total": m} while passages are embedded
    report: dict | None = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    apply: Callable[[], None] | None = field(default=None, repr=False)
    revert: Callable[[], None] | None = field(default=None, repr=False)
    done: Callable[[], None] | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        public = {k: v for k, v in asdict(self).items() if k not in {"apply", "revert", "done"}}
        public["elapsed_s"] = round((self.finished or time.time()) - self.created, 1)
        return public


def child_environment(settings: Settings) -> dict[str, str]:
    """The service's settings as POLICYQA_* variables, so the subprocess builds exactly what it serves."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    for name, value in settings.model_dump(mode="json").items():
        if value is None or name in _SECRETS:
            continue
        env[ENV_PREFIX + name.upper()] = json.dumps(value) if isinstance(value, (list, dict)) else str(value)
    # Builds embed through torch whatever the backend (ONNX Runtime is no faster on build-sized batches), and
    # the vectors and fingerprint are the same: skipping the ONNX session saves the child ~6 s and its memory.
    env[ENV_PREFIX + "BACKEND"] = "torch"
    env["PYTHONUNBUFFERED"] = "1"
    return env


class BuildQueue:
    def __init__(self, settings: Settings, live_version: Callable[[], str | None]):
        self.settings = settings
        self.live_version = live_version
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._child: subprocess.Popen | None = None
        self._closed = False
        self._thread: threading.Thread | None = None  # started by the first job

    def submit(self, kind: str, apply=None, revert=None, done=None, file=None, doc_ids=()) -> Job:
        job = Job(
            uuid.uuid4().hex[:12],
            kind,
            file=file,
            doc_ids=list(doc_ids),
            apply=apply,
            revert=revert,
            done=done,
        )
        with self._lock:
            self.jobs[job.id] = job
            while len(self.jobs) > KEEP_JOBS:
                oldest = next(iter(self.jobs.values()))
                if oldest.state not in ("done", "failed"):
                    break
                self.jobs.popitem(last=False)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="policyqa-rebuild", daemon=True)
                self._thread.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def pending(self) -> list[Job]:
        return [j for j in list(self.jobs.values()) if j.state not in ("done", "failed")]

    def close(self) -> None:
        self._closed = True
        self._queue.put(None)
        child = self._child
        if child is not None and child.poll() is None:
            child.kill()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None or self._closed:
                return
            try:
                self._run(job)
            except Exception as exc:  # a bug must not stop later jobs; the page sees why this one failed
                self._fail(job, f"内部错误 (internal error: {exc})")

    def _run(self, job: Job) -> None:
        job.state, job.stage = "running", "更新语料"
        try:
            if job.apply:
                job.apply()
        except Exception as exc:  # the change did not happen (or undid itself): there is nothing to revert
            message = (
                str(exc)
                if isinstance(exc, PolicyQAError)
                else f"更新语料失败 (could not change the corpus: {exc})"
            )
            job.state, job.error, job.finished = "failed", message, time.time()
            return
        job.stage = "重建索引"
        try:
            report = self._build(job)
        except PolicyQAError as exc:
            self._fail(job, str(exc))
            return
        job.report = report
        if not report.get("unchanged"):
            job.state, job.stage, job.progress = "loading", "载入新索引", None
            self._await_swap(job, report["version"])
        if job.done:
            job.done()
        job.state, job.stage, job.finished = (
            "done",
            "完成" if not report.get("unchanged") else "索引已是最新",
            time.time(),
        )

    def _fail(self, job: Job, message: str) -> None:
        try:
            if job.revert:
                job.revert()
        except Exception as exc:  # the change could not be undone: say so, the operator must look
            message += f"；撤销更改失败 (could not undo the change: {exc})"
        job.state, job.error, job.finished, job.progress = "failed", message, time.time(), None

    def _build(self, job: Job) -> dict:
        s = self.settings
        command = [sys.executable, "-m", "policyqa", "index", "build", "--json", "--progress",
                   "--corpus", str(s.corpus_dir.resolve()), "--index", str(s.index_dir.resolve())]  # fmt: skip
        child = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_environment(s),
            stdin=subprocess.DEVNULL,
        )
        self._child = child
        errors: list[str] = []
        out: list[bytes] = []
        # Both pipes are drained by threads (communicate() would compete for stderr with the progress reader).
        readers = [
            threading.Thread(target=self._read_progress, args=(child.stderr, job, errors), daemon=True),
            threading.Thread(target=lambda: out.append(child.stdout.read()), daemon=True),
        ]
        for reader in readers:
            reader.start()
        try:
            child.wait(timeout=s.build_timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            raise PolicyQAError(f"重建索引超时 (the rebuild took over {s.build_timeout:.0f} s)") from None
        finally:
            self._child = None
            for reader in readers:
                reader.join(timeout=5)
        if child.returncode != 0:
            said = next((e[len("error: ") :] for e in reversed(errors) if e.startswith("error: ")), None)
            raise PolicyQAError(
                f"重建索引失败 (the rebuild failed: {said or errors[-1:] or child.returncode})"
            )
        try:
            return json.loads(b"".join(out))
        except json.JSONDecodeError as exc:
            raise PolicyQAError(f"重建索引的输出无法读取 (unreadable build report: {exc})") from exc

    @staticmethod
    def _read_progress(stream, job: Job, errors: list[str]) -> None:
        """tqdm redraws its bar with carriage returns: every piece between \\r or \\n is a state."""
        pending = b""
        while chunk := stream.read1(4096) if hasattr(stream, "read1") else stream.read(4096):
            pending += chunk
            *pieces, pending = re.split(rb"[\r\n]", pending)
            for raw in pieces:
                line = raw.decode("utf-8", "replace").strip()
                if m := _PROGRESS.search(line):
                    job.progress = {"done": int(m.group(1)), "total": int(m.group(2))}
                elif line:
                    errors.append(line)
                    del errors[:-20]
        if pending.strip():
            errors.append(pending.decode("utf-8", "replace").strip())

    def _await_swap(self, job: Job, version: str) -> None:
        deadline = time.monotonic() + SWAP_TIMEOUT_S
        while time.monotonic() < deadline and not self._closed:
            try:
                if self.live_version() == version:
                    return
            except PolicyQAError:
                pass
            time.sleep(0.2)
        job.error = f"新索引 {version} 已写入，但服务尚未载入 (the service has not loaded it yet)"
