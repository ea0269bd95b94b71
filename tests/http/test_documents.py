"""Documents managed over HTTP: who may, what is refused before anything changes, and the rebuild jobs."""

from __future__ import annotations

import shutil
import time

import pytest
from fastapi.testclient import TestClient

from policyqa.http.app import create_app
from policyqa.index.build import build_index
from policyqa.models.embed import FakeEmbedder
from policyqa.settings import Settings

from ..conftest import DEMO_CORPUS

BOSS = {"Authorization": "Bearer boss-key"}
USER = {"Authorization": "Bearer user-key"}


@pytest.fixture
def site(tmp_path):
    shutil.copytree(DEMO_CORPUS, tmp_path / "corpus")
    settings = Settings(
        corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", model="fake-64", abstain_threshold=0.4, answer_check="rules",
        reload_interval=0.1, api_keys=["user-key"], admin_keys=["boss-key"], max_upload_bytes=4096,
    )  # fmt: skip
    embedder = FakeEmbedder(64)
    build_index(settings, embedder)
    with TestClient(create_app(settings, embedder=embedder)) as client:
        yield client, settings


def wait(client, job_id: str, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/admin/jobs/{job_id}", headers=BOSS).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish")


def upload(client, name: str, data: bytes, headers=BOSS):
    return client.post(
        "/api/admin/documents", files={"file": (name, data, "application/octet-stream")}, headers=headers
    )


def test_only_admin_keys_manage_documents_and_they_are_api_keys_too(site):
    client, _ = site
    assert client.get("/api/admin/jobs").status_code == 401
    forbidden = client.get("/api/admin/jobs", headers=USER)
    assert forbidden.status_code == 403 and forbidden.json()["error"]["type"] == "forbidden"
    assert upload(client, "a.txt", "正文".encode(), USER).status_code == 403
    assert client.delete("/api/admin/documents/x", headers=USER).status_code == 403
    info = client.get("/api/admin/jobs", headers=BOSS).json()
    assert info["max_upload_bytes"] == 4096 and ".docx" in info["accepted"]
    assert client.post("/api/ask", json={"question": "星创天地有多少个？"}, headers=BOSS).status_code == 200


def test_admin_keys_without_api_keys_leave_the_api_open(tmp_path):
    settings = Settings(
        corpus_dir=DEMO_CORPUS, index_dir=tmp_path / "index", model="fake-64", admin_keys=["boss-key"]
    )
    embedder = FakeEmbedder(64)
    build_index(settings, embedder)
    with TestClient(create_app(settings, embedder=embedder)) as client:
        assert client.post("/api/search", json={"query": "基金"}).status_code == 200
        assert client.get("/api/admin/jobs").status_code == 401
        assert client.get("/api/admin/jobs", headers=BOSS).status_code == 200


@pytest.mark.parametrize(
    "name, data, status, needle",
    [
        ("../../etc/cron.d/x.txt", "正文".encode(), 400, "path"),
        ("/abs/x.txt", "正文".encode(), 400, "path"),
        (".bashrc.txt", "正文".encode(), 400, "hidden"),
        ("x.exe", b"MZ\x90\x00", 400, "unsupported"),
        ("image.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, 400, "png"),
        ("truncated.docx", b"PK\x03\x04" + b"\x00" * 40, 400, "broken-zip"),
        ("big.txt", "字".encode() * 2000, 413, "over 4096"),
        ("empty.txt", b"", 400, "empty"),
    ],
)
def test_bad_uploads_are_refused_and_change_nothing(site, name, data, status, needle):
    client, settings = site
    version = client.get("/readyz").json()["index_version"]
    before = sorted(p.name for p in settings.corpus_dir.iterdir())
    reply = upload(client, name, data)
    assert reply.status_code == status and needle in reply.json()["error"]["message"]
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == before
    assert client.get("/api/admin/jobs", headers=BOSS).json()["jobs"] == []
    assert client.get("/readyz").json()["index_version"] == version


def test_uploads_must_be_multipart_and_not_too_large_for_the_guard(site):
    client, _ = site
    raw = client.post("/api/admin/documents", content=b"x", headers={**BOSS, "Content-Type": "text/plain"})
    assert raw.status_code == 400 and "multipart" in raw.json()["error"]["message"]
    huge = client.post(
        "/api/admin/documents",
        content=b"x" * 400_000,  # over max_upload_bytes + overhead and max_body_bytes
        headers={**BOSS, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert huge.status_code == 413


def test_upload_ask_rebuild_delete(site):
    client, settings = site
    version = client.get("/readyz").json()["index_version"]
    reply = upload(
        client, "量子 专项.txt", "关于量子专项资金的通知\n\n2024年量子信息科技专项资金5.8亿元。".encode()
    )
    assert reply.status_code == 202
    assert reply.json()["documents"][0]["doc_id"] == "量子 专项"
    job = wait(client, reply.json()["job"]["id"])
    assert job["state"] == "done" and job["report"]["added"] == ["量子 专项"], job
    deadline = time.monotonic() + 10
    while client.get("/readyz").json()["index_version"] == version and time.monotonic() < deadline:
        time.sleep(0.1)
    answer = client.post("/api/ask", json={"question": "量子信息科技专项资金有多少？"}, headers=USER).json()
    assert "5.8亿元" in answer["answer"] and answer["citations"][0]["doc_id"] == "量子 专项"
    assert answer["confidence_words"]["words"] in ("依据充分", "依据有限")

    # The same name again: a conflict, before any job.
    assert upload(client, "量子 专项.txt", "别的内容。".encode()).status_code == 409

    # Nothing changed: the rebuild keeps the version.
    live = client.get("/readyz").json()["index_version"]
    job = wait(client, client.post("/api/admin/rebuild", headers=BOSS).json()["job"]["id"])
    assert job["state"] == "done" and job["report"]["unchanged"] is True and job["report"]["version"] == live
    assert client.get("/readyz").json()["index_version"] == live

    assert client.delete("/api/admin/documents/no-such-doc", headers=BOSS).status_code == 404
    job = wait(client, client.delete("/api/admin/documents/量子 专项", headers=BOSS).json()["job"]["id"])
    assert job["state"] == "done" and job["report"]["removed"] == ["量子 专项"]
    assert (
        not (settings.corpus_dir / "量子 专项.txt").exists() and not (settings.corpus_dir / ".trash").exists()
    )
    only = client.get("/api/documents", headers=USER).json()["documents"]
    assert len(only) == 1
    refused = client.delete(f"/api/admin/documents/{only[0]['doc_id']}", headers=BOSS)
    assert refused.status_code == 409 and "唯一" in refused.json()["error"]["message"]


def test_examples_come_from_a_setting_when_given(tmp_path):
    settings = Settings(
        corpus_dir=DEMO_CORPUS, index_dir=tmp_path / "index", model="fake-64",
        example_questions='["星创天地有多少个？", "中科援疆基金规模多大？"]',
    )  # fmt: skip
    embedder = FakeEmbedder(64)
    build_index(settings, embedder)
    with TestClient(create_app(settings, embedder=embedder)) as client:
        assert client.get("/api/examples").json() == {
            "questions": ["星创天地有多少个？", "中科援疆基金规模多大？"], "source": "settings",
        }  # fmt: skip
