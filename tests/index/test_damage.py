"""A damaged index explains itself in one line, and an incremental build repairs it."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from policyqa.errors import IndexLoadError
from policyqa.index.build import build_index
from policyqa.index.manifest import FORMAT_VERSION
from policyqa.index.store import IndexWriteError, current_version, load_index
from policyqa.models.embed import FakeEmbedder

from ..conftest import ROOT


def folder_of(settings):
    return settings.index_dir / "versions" / current_version(settings.index_dir)


def edit_manifest(settings, change):
    path = folder_of(settings) / "manifest.json"
    data = json.loads(path.read_text())
    path.write_text(json.dumps(change(data)))


def drop(key):
    def change(m):
        m.pop(key)
        return m

    return change


DAMAGE = {
    "manifest without files": lambda s: edit_manifest(s, drop("files")),
    "manifest without model": lambda s: edit_manifest(s, drop("model")),
    "manifest without dense": lambda s: edit_manifest(s, drop("dense")),
    "manifest is a list": lambda s: edit_manifest(s, lambda m: [m]),
    "CURRENT not UTF-8": lambda s: (s.index_dir / "CURRENT").write_bytes(b"\xff\xfe\x00bad"),
    "CURRENT is a folder": lambda s: ((s.index_dir / "CURRENT").unlink(), (s.index_dir / "CURRENT").mkdir()),
    "CURRENT names a path": lambda s: (s.index_dir / "CURRENT").write_text("../../etc"),
    "analyzer.json changed": lambda s: (folder_of(s) / "bm25" / "analyzer.json").write_text(
        '{"analyzer": "char"}'
    ),
    "bm25 vocabulary changed": lambda s: (folder_of(s) / "bm25" / "vocab.index.json").write_text("{}"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damage_is_one_line_and_an_incremental_build_repairs_it(fake_settings, damage):
    embedder = FakeEmbedder(64)
    build_index(fake_settings, embedder)
    DAMAGE[damage](fake_settings)
    with pytest.raises(IndexLoadError) as caught:
        load_index(fake_settings.index_dir)
    message = str(caught.value)
    assert "\n" not in message and "policyqa index build" in message, message
    report = build_index(fake_settings, embedder)  # no --full
    index = load_index(fake_settings.index_dir, embedder.fingerprint)
    assert len(index.chunks) == report.chunks and not report.unchanged


def test_cli_reports_damage_in_one_line_with_exit_2(fake_settings):
    build_index(fake_settings, FakeEmbedder(64))
    edit_manifest(fake_settings, drop("model"))
    env = {**os.environ, "POLICYQA_MODEL": "fake-64"}
    out = subprocess.run(
        [sys.executable, "-m", "policyqa", "ask", "星创天地有多少个？", "--index", str(fake_settings.index_dir)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "model" in out.stderr and "index build" in out.stderr


def test_disk_full_leaves_no_temporary_folder_and_the_live_version(fake_settings, corpus_copy, monkeypatch):
    fake_settings.corpus_dir = corpus_copy
    embedder = FakeEmbedder(64)
    first = build_index(fake_settings, embedder)
    (corpus_copy / "new.txt").write_text("关于新增内容的通知\n\n新增科技项目十项。\n", encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "save", full)
    for _ in range(2):  # each retry must clean up after itself
        with pytest.raises(IndexWriteError, match="No space left on device"):
            build_index(fake_settings, embedder)
    versions = fake_settings.index_dir / "versions"
    assert not list(versions.glob(".tmp-*"))
    assert load_index(fake_settings.index_dir).version == first.version
    monkeypatch.undo()
    assert build_index(fake_settings, embedder).documents == 2


def test_unchanged_corpus_keeps_the_version(fake_settings):
    embedder = FakeEmbedder(64)
    first = build_index(fake_settings, embedder)
    again = build_index(fake_settings, embedder)
    assert again.unchanged and again.version == first.version and again.embedded == 0
    assert len(list((fake_settings.index_dir / "versions").iterdir())) == 1


def test_a_new_reading_of_the_outline_rebuilds_an_unchanged_corpus(fake_settings):
    # The text is the same, but a passage's headings are not: the old version would carry stale ones.
    from policyqa.index.build import plan_build

    embedder = FakeEmbedder(64)
    first = build_index(fake_settings, embedder)
    plan = plan_build(fake_settings)
    plan.chunks[0].section = [*plan.chunks[0].section, "首先报告2001年的工作"]
    again = build_index(fake_settings, embedder, plan=plan)
    assert not again.unchanged and again.version != first.version


def test_manifest_checksums_cover_every_written_file(fake_settings):
    build_index(fake_settings, FakeEmbedder(64))
    folder = folder_of(fake_settings)
    listed = set(json.loads((folder / "manifest.json").read_text())["files"])
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"manifest.json"}
    assert listed == written and any(name.startswith("bm25/") for name in listed)
    assert json.loads((folder / "manifest.json").read_text())["format_version"] == FORMAT_VERSION
