"""Rebuild jobs: the change, a build in a subprocess with the service's settings, and an undo on failure."""

from __future__ import annotations

import json
import time

from policyqa.index.build import build_index, build_lock
from policyqa.index.jobs import BuildQueue, child_environment
from policyqa.index.store import current_version
from policyqa.models.embed import FakeEmbedder
from policyqa.settings import Settings


def settings_for(corpus, tmp_path, **extra) -> Settings:
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model="fake-64", **extra)


def finish(queue: BuildQueue, job, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while job.state not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.1)
    return job


def test_the_child_gets_the_service_settings_but_no_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYQA_CHUNK_SIZE", "999")  # the service's own value wins over a stray variable
    settings = settings_for(tmp_path, tmp_path, chunk_size=200, api_keys=["secret"], admin_keys=["boss"],
                            cors_origins=["http://a.gov"])  # fmt: skip
    env = child_environment(settings)
    assert env["POLICYQA_CHUNK_SIZE"] == "200" and env["POLICYQA_MODEL"] == "fake-64"
    assert json.loads(env["POLICYQA_CORS_ORIGINS"]) == ["http://a.gov"]
    assert "POLICYQA_API_KEYS" not in env and "POLICYQA_ADMIN_KEYS" not in env
    assert "POLICYQA_FEEDBACK_DB" not in env  # None: left to its default
    assert env["POLICYQA_BACKEND"] == "torch"  # what embeds a build anyway, without an ONNX session


def test_a_failed_build_undoes_the_change(corpus_copy, tmp_path):
    settings = settings_for(corpus_copy, tmp_path)
    build_index(settings, FakeEmbedder(64))
    version = current_version(settings.index_dir)
    queue = BuildQueue(settings, lambda: current_version(settings.index_dir))
    twin = corpus_copy / "twin.txt"
    existing_id = "2018-xinjiang-sci-tech-report"

    def apply():  # a document that claims an id the corpus already has: the build refuses the corpus
        twin.write_text("同一编号的另一份文件。", encoding="utf-8")
        (corpus_copy / "twin.txt.meta.json").write_text(json.dumps({"id": existing_id}), encoding="utf-8")

    def revert():
        twin.unlink()
        (corpus_copy / "twin.txt.meta.json").unlink()

    job = finish(queue, queue.submit("upload", apply=apply, revert=revert, file="twin.txt"))
    queue.close()
    assert job.state == "failed" and "duplicate document id" in job.error, job
    assert not twin.exists() and current_version(settings.index_dir) == version


def test_a_build_already_running_fails_the_job_cleanly(corpus_copy, tmp_path):
    settings = settings_for(corpus_copy, tmp_path)
    build_index(settings, FakeEmbedder(64))
    queue = BuildQueue(settings, lambda: current_version(settings.index_dir))
    undone = []
    with build_lock(settings.index_dir):  # e.g. an operator's `policyqa index build` in a shell
        job = finish(queue, queue.submit("rebuild", revert=lambda: undone.append(True)))
    queue.close()
    assert job.state == "failed" and "another index build is running" in job.error and undone == [True]


def test_an_unchanged_corpus_keeps_the_version_and_jobs_run_one_at_a_time(corpus_copy, tmp_path):
    settings = settings_for(corpus_copy, tmp_path)
    build_index(settings, FakeEmbedder(64))
    version = current_version(settings.index_dir)
    queue = BuildQueue(settings, lambda: current_version(settings.index_dir))
    first, second = queue.submit("rebuild"), queue.submit("rebuild")
    assert second.state == "queued"
    finish(queue, first), finish(queue, second)
    queue.close()
    assert [j.state for j in (first, second)] == ["done", "done"]
    assert first.report["unchanged"] and first.report["version"] == version == current_version(
        settings.index_dir
    )
    assert first.finished <= second.finished and first.to_dict()["stage"] == "索引已是最新"


def test_a_change_that_did_not_happen_is_not_undone(corpus_copy, tmp_path):
    settings = settings_for(corpus_copy, tmp_path)
    queue = BuildQueue(settings, lambda: None)
    undone = []

    def apply():
        raise OSError("disk full")

    job = finish(queue, queue.submit("upload", apply=apply, revert=lambda: undone.append(True)))
    queue.close()
    assert job.state == "failed" and "disk full" in job.error and undone == []
