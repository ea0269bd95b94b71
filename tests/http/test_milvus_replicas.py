"""Several `policyqa serve` replicas on one Milvus server (`milvus-lite server` on 127.0.0.1): they answer
alike, a rebuild under load swaps them all without a failed request, a killed build moves nothing, and an
unreachable Milvus is a one-line error or a 503 with the reason."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from policyqa.http.app import create_app
from policyqa.index.backends import open_store
from policyqa.index.build import build_index
from policyqa.models.embed import FakeEmbedder
from policyqa.settings import Settings

from ..conftest import DEMO_CORPUS, ROOT
from .conftest import free_port

QUESTIONS = [
    "星创天地有多少个？",
    "新政发〔2018〕44号是什么文件？",
    "全疆科技型企业有多少家？",
    "天山众创行动的目标是什么？",
]


def wait_for(check, seconds: float, what: str):
    deadline = time.time() + seconds
    while True:
        try:
            if result := check():
                return result
        except AssertionError:
            raise
        except Exception:  # not up yet: connection refused, a half-started server …
            pass
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def milvus_uri(tmp_path_factory):
    """A real Milvus gRPC server process: Milvus Lite's `milvus-lite server` (the console script runs
    ``milvus_lite.cmdline:main``; ``python -m milvus_lite`` is the same)."""
    from pymilvus import MilvusClient

    port = free_port()
    data = tmp_path_factory.mktemp("milvus-data")
    proc = subprocess.Popen(
        [sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    uri = f"http://127.0.0.1:{port}"

    def up():
        assert proc.poll() is None, "milvus-lite server exited"
        MilvusClient(uri=uri, timeout=2).list_collections()
        return True

    try:
        wait_for(up, 60, "milvus-lite server")
        yield uri
    finally:  # also when it never came up: no server outlives the tests
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def settings_for(uri, tmp_path, alias, **extra) -> Settings:
    corpus = tmp_path / "corpus"
    if not corpus.exists():
        shutil.copytree(DEMO_CORPUS, corpus)
    return Settings(
        corpus_dir=corpus, index_dir=tmp_path / "builder", model="fake-64", abstain_threshold=0.4,
        store="milvus", milvus_uri=uri, milvus_collection=alias, reload_interval=0.2, **({"milvus_timeout": 5} | extra),
    )  # fmt: skip


def env_for(settings: Settings) -> dict:
    return {
        **os.environ, "POLICYQA_STORE": "milvus", "POLICYQA_MILVUS_URI": settings.milvus_uri,
        "POLICYQA_MILVUS_COLLECTION": settings.milvus_collection, "POLICYQA_MODEL": "fake-64",
        "POLICYQA_RELOAD_INTERVAL": "0.2", "POLICYQA_ABSTAIN_THRESHOLD": "0.4", "POLICYQA_MILVUS_TIMEOUT": "5",
    }  # fmt: skip


def test_replicas_answer_alike_and_swap_together_under_load(milvus_uri, tmp_path):
    settings = settings_for(milvus_uri, tmp_path, "replicas")
    embedder = FakeEmbedder(64)
    first = build_index(settings, embedder).version
    ports = [free_port(), free_port()]
    replicas = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "policyqa",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--index",
                str(tmp_path / f"no-folder-{n}"),
            ],
            env=env_for(settings),
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for n, port in enumerate(ports)
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            ready = wait_for(lambda b=base: httpx.get(f"{b}/readyz").json(), 90, f"{base} ready")
            assert ready["index_version"] == first and ready["store"] == "milvus"
        # A replica reads nothing from a local folder: the one it was pointed at does not even exist.
        assert not any((tmp_path / f"no-folder-{n}").exists() for n in range(2))
        for question in QUESTIONS:
            answers = [
                httpx.post(f"{b}/api/ask", json={"question": question}, timeout=30).json() for b in bases
            ]
            assert (
                answers[0]["answer"] == answers[1]["answer"]
                and answers[0]["citations"] == answers[1]["citations"]
            )

        stop, lock = threading.Event(), threading.Lock()
        outcomes: list[tuple[int, str | None]] = []

        def client(n: int):
            with httpx.Client(timeout=30) as c:
                for i in range(400):  # bounded in count and, through `stop`, in time
                    if stop.is_set():
                        return
                    base, question = bases[(n + i) % 2], QUESTIONS[i % len(QUESTIONS)]
                    path, body = (
                        ("/api/ask", {"question": question})
                        if i % 2
                        else ("/api/search", {"query": question})
                    )
                    try:
                        r = c.post(base + path, json=body)
                        outcome = (r.status_code, r.json().get("index_version"))
                    except httpx.HTTPError as exc:
                        outcome = (0, repr(exc))
                    with lock:
                        outcomes.append(outcome)

        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(client, n) for n in range(4)]
            wait_for(lambda: len(outcomes) >= 20, 60, "load before the rebuild")
            (settings.corpus_dir / "new.txt").write_text(
                "关于新设创新基金的通知\n\n一、基金规模\n新设丝路创新基金8亿元。\n", encoding="utf-8"
            )
            second = build_index(settings, embedder).version
            for base in bases:
                wait_for(
                    lambda b=base: httpx.get(f"{b}/readyz").json()["index_version"] == second, 30, "swap"
                )
            settled = len(outcomes)
            wait_for(lambda: len(outcomes) >= settled + 20, 60, "load after the swap")
            stop.set()
            for f in futures:
                f.result()
        failed = [o for o in outcomes if o[0] != 200]
        assert not failed, failed[:5]
        assert {v for _, v in outcomes} == {first, second}
        for base in bases:
            found = httpx.post(f"{base}/api/search", json={"query": "丝路创新基金", "k": 3}).json()
            assert found["index_version"] == second and "丝路创新基金" in found["hits"][0]["text"]
    finally:
        for proc in replicas:
            proc.send_signal(signal.SIGINT)
        for proc in replicas:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
    for proc in replicas:
        assert "Traceback" not in proc.stderr.read().decode("utf-8", "replace")


def test_a_killed_build_leaves_the_alias_where_it_was(milvus_uri, tmp_path):
    settings = settings_for(milvus_uri, tmp_path, "killed")
    first = build_index(settings, FakeEmbedder(64)).version
    store = open_store(settings)
    text = (settings.corpus_dir / "2018-xinjiang-sci-tech-report.txt").read_text(encoding="utf-8")
    for n in range(15):  # enough passages that the build is still writing when it is killed
        (settings.corpus_dir / f"copy-{n}.txt").write_text(f"第{n}号副本\n\n" + text, encoding="utf-8")
    before = set(store.client.list_collections())
    script = (
        "from policyqa.index.build import build_index; from policyqa.models.embed import FakeEmbedder; "
        "from policyqa.settings import load_settings; build_index(load_settings(), FakeEmbedder(64))"
    )
    env = {
        **env_for(settings),
        "POLICYQA_CORPUS_DIR": str(settings.corpus_dir),
        "POLICYQA_INDEX_DIR": str(settings.index_dir),
    }
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=ROOT)
    try:
        wait_for(lambda: set(store.client.list_collections()) - before, 120, "the build to start writing")
    finally:
        proc.kill()
        proc.wait()
    left = set(store.client.list_collections()) - before
    assert left and all(name.startswith("killed_") for name in left)
    assert store.current_version() == first
    again = build_index(settings, FakeEmbedder(64))
    assert store.current_version() == again.version != first
    assert not left & set(store.client.list_collections())  # the next build dropped the leftovers


def test_unreachable_milvus_is_one_line_at_startup(tmp_path):
    uri = f"http://127.0.0.1:{free_port()}"
    env = {**os.environ, "POLICYQA_STORE": "milvus", "POLICYQA_MILVUS_URI": uri, "POLICYQA_MODEL": "fake-64"}
    for args in (
        ["serve", "--port", str(free_port())],
        ["ask", "星创天地有多少个？"],
        ["index", "build", "--corpus", str(DEMO_CORPUS)],
    ):
        out = subprocess.run(
            [sys.executable, "-m", "policyqa", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )
        assert out.returncode == 2 and "Traceback" not in out.stderr, (args, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1 and f"cannot reach Milvus at {uri}" in out.stderr, (
            args
        )


def test_unreachable_milvus_is_not_ready_with_the_reason(tmp_path):
    uri = f"http://127.0.0.1:{free_port()}"
    settings = Settings(model="fake-64", store="milvus", milvus_uri=uri, index_dir=tmp_path / "i")
    with TestClient(create_app(settings, embedder=FakeEmbedder(64))) as client:
        r = client.get("/readyz")
        assert r.status_code == 503 and f"cannot reach Milvus at {uri}" in r.json()["error"]["message"]
        r = client.post("/api/search", json={"query": "星创天地"})
        assert r.status_code == 503 and "cannot reach Milvus" in r.json()["error"]["message"]


def test_milvus_going_away_makes_a_ready_replica_unready(tmp_path):
    from pymilvus import MilvusClient

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(tmp_path / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        uri = f"http://127.0.0.1:{port}"
        wait_for(
            lambda: MilvusClient(uri=uri, timeout=2).list_collections() is not None, 60, "milvus-lite server"
        )
        settings = settings_for(uri, tmp_path, "away", milvus_timeout=2)
        build_index(settings, FakeEmbedder(64))
        with TestClient(create_app(settings, embedder=FakeEmbedder(64))) as client:
            assert client.get("/readyz").status_code == 200
            proc.kill()
            proc.wait()
            r = wait_for(lambda: (r := client.get("/readyz")).status_code == 503 and r, 30, "readyz 503")
            assert "Milvus" in r.json()["error"]["message"]
            r = client.post("/api/search", json={"query": "星创天地"})
            assert r.status_code == 503 and "Milvus" in r.json()["error"]["message"]
    finally:
        proc.kill()
        proc.wait()
