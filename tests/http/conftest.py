"""Fixtures of the HTTP tests: a fake-embedder index, a TestClient and a live uvicorn server."""

import socket
import threading
import time

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from policyqa.http.app import create_app
from policyqa.index.build import build_index
from policyqa.models.embed import FakeEmbedder
from policyqa.settings import Settings

from ..conftest import DEMO_CORPUS


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    settings = Settings(
        corpus_dir=DEMO_CORPUS,
        index_dir=folder / "index",
        model="fake-64",
        abstain_threshold=0.4,
        answer_check="rules",
        max_question_chars=200,
        max_body_bytes=20_000,
        reload_interval=0.2,
    )
    embedder = FakeEmbedder(64)
    build_index(settings, embedder)
    return settings, embedder


@pytest.fixture(scope="module")
def client(served):
    settings, embedder = served
    with TestClient(create_app(settings, embedder=embedder)) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live(served):
    settings, embedder = served
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, embedder=embedder), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/readyz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.05)
    yield base
    server.should_exit = True
    thread.join(10)
