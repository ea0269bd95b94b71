"""Index build: manifest, incremental rebuild, atomic switch under SIGKILL, mismatch and corruption."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from policyqa.errors import IndexLoadError
from policyqa.index.build import build_index
from policyqa.index.store import DenseIndex, current_version, load_index
from policyqa.models.embed import FakeEmbedder, load_embedder

from ..conftest import ROOT


def test_manifest_describes_the_index(fake_settings):
    embedder = load_embedder(fake_settings)
    report = build_index(fake_settings, embedder)
    index = load_index(fake_settings.index_dir, embedder.fingerprint)
    m = index.manifest
    assert m["model"]["id"] == "fake-64" and m["model"]["dimension"] == 64
    assert m["chunking"] == {"size": 300, "overlap": 60, "splitter": "langchain-recursive-zh"}
    assert m["analyzer"] == "both" and m["package_version"] and m["format_version"] == 2
    assert set(m["documents"]) == {"2018-xinjiang-sci-tech-report"} and m["corpus"]["hash"]
    assert report.chunks == len(index.chunks) == index.dense.index.ntotal
    doc = index.documents["2018-xinjiang-sci-tech-report"]
    assert all(doc["text"][c.start : c.end] == c.text for c in index.chunks)


def test_incremental_rebuild_reembeds_only_the_edited_document(fake_settings, corpus_copy):
    extra = corpus_copy / "notice.txt"
    extra.write_text(
        "关于科技创新的通知\n\n一、目标\n到2020年，研发投入达到100亿元。\n二、措施\n加强基础研究，支持企业创新。\n",
        encoding="utf-8",
    )
    fake_settings.corpus_dir = corpus_copy
    embedder = FakeEmbedder(64)
    first = build_index(fake_settings, embedder)
    assert first.embedded == first.chunks and first.reused == 0
    before = embedder.embedded
    second = build_index(fake_settings, embedder)
    assert second.embedded == 0 and embedder.embedded == before
    old_contexts = {c.context for c in load_index(fake_settings.index_dir).chunks}
    extra.write_text(extra.read_text(encoding="utf-8").replace("100亿元", "120亿元"), encoding="utf-8")
    third = build_index(fake_settings, embedder)
    new_chunks = [c for c in load_index(fake_settings.index_dir).chunks if c.context not in old_contexts]
    assert third.changed == ["notice"]
    # Only the edited chunk of the edited document is embedded again; the demo document's are all reused.
    assert [c.doc_id for c in new_chunks] == ["notice"] and "120亿元" in new_chunks[0].text
    assert third.embedded == 1 == embedder.embedded - before
    extra.unlink()
    fourth = build_index(fake_settings, embedder)
    assert fourth.removed == ["notice"] and fourth.embedded == 0
    assert {c.doc_id for c in load_index(fake_settings.index_dir).chunks} == {"2018-xinjiang-sci-tech-report"}


def test_full_rebuild_reembeds_everything(fake_settings):
    embedder = FakeEmbedder(64)
    build_index(fake_settings, embedder)
    report = build_index(fake_settings, embedder, full=True)
    assert report.embedded == report.chunks


def test_flat_search_matches_brute_force():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(500, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    dense = DenseIndex.build(vectors, ann_threshold=10_000)
    for q in vectors[:20] + 0.1 * rng.normal(size=(20, 32)).astype(np.float32):
        q = q / np.linalg.norm(q)
        expected = np.argsort(-(vectors @ q))[:10]
        got = [row for row, _ in dense.search(q, 10)]
        assert got == list(expected)
        assert np.allclose([s for _, s in dense.search(q, 10)], (vectors @ q)[expected], atol=1e-5)


def test_hnsw_recall_against_exact():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(3000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    exact, approx = DenseIndex.build(vectors, 10_000), DenseIndex.build(vectors, 100)
    assert exact.exact and not approx.exact
    recall = []
    for q in vectors[:50]:
        truth = {r for r, _ in exact.search(q, 10)}
        recall.append(len(truth & {r for r, _ in approx.search(q, 10)}) / 10)
    assert np.mean(recall) >= 0.9


def test_model_mismatch_is_refused(fake_settings):
    build_index(fake_settings, FakeEmbedder(64))
    with pytest.raises(IndexLoadError, match="was built with model 'fake-64'"):
        load_index(fake_settings.index_dir, FakeEmbedder(32).fingerprint)


def test_format_version_mismatch_is_refused(fake_settings):
    build_index(fake_settings, FakeEmbedder(64))
    folder = fake_settings.index_dir / "versions" / current_version(fake_settings.index_dir)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["format_version"] = 99
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexLoadError, match="format version 99"):
        load_index(fake_settings.index_dir)


@pytest.mark.parametrize("name", ["chunks.jsonl", "vectors.npy", "dense.faiss", "manifest.json"])
def test_missing_or_corrupt_files_are_named(fake_settings, name):
    build_index(fake_settings, FakeEmbedder(64))
    path = fake_settings.index_dir / "versions" / current_version(fake_settings.index_dir) / name
    path.write_bytes(path.read_bytes()[:50] + b"garbage")
    with pytest.raises(IndexLoadError, match=name.replace(".", r"\.")):
        load_index(fake_settings.index_dir)
    path.unlink()
    with pytest.raises(IndexLoadError, match=f"missing.*{name}"):
        load_index(fake_settings.index_dir)


def test_no_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexLoadError, match="policyqa index build"):
        load_index(tmp_path / "none")


KILL_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from policyqa.index.build import build_index
    from policyqa.models.embed import FakeEmbedder
    from policyqa.settings import Settings

    class Slow(FakeEmbedder):
        def embed_batch(self, texts, kind="passage"):
            print("EMBEDDING", flush=True)
            time.sleep(0.2)
            return super().embed_batch(texts, kind)

    settings = Settings(corpus_dir=sys.argv[1], index_dir=sys.argv[2], model="fake-64", embed_batch_size=1)
    build_index(settings, Slow(64), full=True)
    """
)


@pytest.mark.parametrize("delay", [0.0, 0.3, 0.6])
def test_killed_build_leaves_previous_index_loadable(fake_settings, corpus_copy, tmp_path, delay):
    fake_settings.corpus_dir = corpus_copy
    build_index(fake_settings, FakeEmbedder(64))
    old = load_index(fake_settings.index_dir)
    (corpus_copy / "more.txt").write_text(
        "一、新增内容\n" + "自治区新增科技项目十项。" * 200, encoding="utf-8"
    )
    script = tmp_path / "slow_build.py"
    script.write_text(KILL_SCRIPT)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(corpus_copy), str(fake_settings.index_dir)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert proc.stdout.readline().strip() == b"EMBEDDING"
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    again = load_index(fake_settings.index_dir)
    assert again.version == old.version and len(again.chunks) == len(old.chunks)
    # The next build cleans up what the killed one left and succeeds.
    report = build_index(fake_settings, FakeEmbedder(64))
    assert "more" in {c.doc_id for c in load_index(fake_settings.index_dir).chunks} and report.documents == 2
