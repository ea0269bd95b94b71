"""The Milvus store (embedded Milvus Lite) against the local store: same rankings, filters in the engine,
incremental builds, alias switches, grace periods, refusals."""

import json
import re

import numpy as np
import pytest

from policyqa.errors import IndexLoadError, PolicyQAError
from policyqa.index.backends import open_store
from policyqa.index.backends.milvus_io import rows_filter
from policyqa.index.backends.milvus_write import prune
from policyqa.index.backends.sparse import encode_corpus
from policyqa.index.build import build_index
from policyqa.index.lexical import LexicalIndex
from policyqa.models.embed import FakeEmbedder
from policyqa.query.engine import Engine
from policyqa.settings import Settings

from ..conftest import DEMO_FILE, ROOT, needs_shared

QUESTIONS = [
    json.loads(line)["question"] for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")
]
FILTERS = [None, {"year": 2017}, {"region": "山东"}, {"doc_ids": ["part-1", "part-3"]}]


def split_corpus(folder):
    """The demo report as three documents (one per chapter) of different years and regions."""
    text = DEMO_FILE.read_text(encoding="utf-8")
    cuts = [0, *(m.start() for m in re.finditer(r"^[二三]、", text, flags=re.M)), len(text)]
    folder.mkdir()
    for n, (lo, hi) in enumerate(zip(cuts, cuts[1:]), 1):
        (folder / f"part-{n}.txt").write_text(text[lo:hi], encoding="utf-8")
        meta = {"year": 2015 + n, "region": "山东" if n == 2 else "新疆", "title": f"第{n}部分"}
        (folder / f"part-{n}.txt.meta.json").write_text(
            json.dumps(meta, ensure_ascii=False), encoding="utf-8"
        )
    return folder


def pair(tmp_path, corpus, **extra):
    common = dict(corpus_dir=corpus, model="fake-64", abstain_threshold=0.4, **extra)
    local = Settings(index_dir=tmp_path / "local", **common)
    milvus = Settings(index_dir=tmp_path / "milvus", store="milvus", **common)
    return local, milvus


def ranked(hits):
    return [(h.chunk.chunk_id, h.score) for h in hits]


def assert_same_ranking(a, b, where):
    """Equal scores (float32 rounding aside) and the same passages, except the order inside exact ties
    and which of several tied passages fill the last places."""
    assert [s for _, s in a] == pytest.approx([s for _, s in b], rel=1e-4, abs=1e-6), where
    if not a:
        return
    last = a[-1][1]
    above = lambda run: {c for c, s in run if s > last + 1e-4 * abs(last) + 1e-6}  # noqa: E731
    assert above(a) == above(b), where
    groups = lambda run: [{c for c, t in run if abs(t - s) <= 1e-4 * abs(s) + 1e-6} for _, s in run]  # noqa: E731
    for ga, gb, (_, s) in zip(groups(a), groups(b), a):
        if s > last + 1e-4 * abs(last) + 1e-6:
            assert ga == gb, where


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stores")
    local, milvus = pair(tmp, split_corpus(tmp / "corpus"))
    embedder = FakeEmbedder(64)
    build_index(local, embedder)
    build_index(milvus, embedder)
    return Engine.load(local, embedder), Engine.load(milvus, embedder)


def test_bm25_sparse_vectors_score_like_bm25s():
    texts = [line for line in DEMO_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    stats, docs = encode_corpus(texts, "both")
    local = LexicalIndex.build(texts, "both")
    for q in [
        "星创天地有多少个？",
        "新政发〔2018〕44号",
        "科技型中小企业评价",
        "2018年研发投入1837.7亿元",
        "无关",
    ]:
        query = stats.query_vector(q)
        sparse = np.array([sum(w * query.get(d, 0.0) for d, w in doc.items()) for doc in docs])
        assert sparse == pytest.approx(local.scores(q), rel=1e-5, abs=1e-6), q
    assert stats.num_docs == local.num_docs
    assert all(stats.doc_freq(t) == local.doc_freq(t) for t in ["科技", "星创", "新政发〔2018〕44号", "缺席"])


def test_rows_filter_names_exactly_the_allowed_rows():
    assert rows_filter(np.arange(10), 10) == ""
    assert rows_filter(np.array([], dtype=int), 10) == "row < 0"
    assert rows_filter(np.array([1, 2, 3, 7]), 10) == "(row >= 1 and row <= 3) or row in [7]"
    assert rows_filter(np.array([0, 1, 2, 3, 4, 5, 6, 8, 9]), 10) == "not (row in [7])"


@pytest.mark.parametrize("retriever", ["bm25", "dense", "hybrid"])
def test_local_and_milvus_give_the_same_top_10(engines, retriever):
    local, milvus = engines
    assert milvus.index.folder is None and len(milvus.index.chunks) == len(local.index.chunks)
    assert [c.chunk_id for c in milvus.index.chunks] == [c.chunk_id for c in local.index.chunks]
    compared = 0
    for question in QUESTIONS[:60]:
        for filters in FILTERS:
            a = local.search(question, 10, retriever, filters=filters)
            b = milvus.search(question, 10, retriever, filters=filters)
            assert_same_ranking(ranked(a), ranked(b), (question, filters))
            compared += bool(a)
    assert compared > 150  # most questions find passages under most filters


def test_filters_run_in_milvus(engines):
    _, milvus = engines
    analysis = milvus.analyze("科技投入", filters={"region": "山东"})
    rows = analysis.scope.rows
    assert 0 < len(rows) < len(milvus.index.chunks)
    vector = milvus.embedder.embed_batch(["科技投入"], "query")[0]
    for run in (
        milvus.index.dense.search(vector, 50, rows),
        milvus.index.lexical.search("科技投入", 50, rows),
    ):
        assert run and {row for row, _ in run} <= set(rows.tolist())
    assert all(
        milvus.index.chunks[row].doc_id == "part-2" for row, _ in milvus.index.dense.search(vector, 50, rows)
    )


def test_answers_agree(engines):
    local, milvus = engines
    for question in QUESTIONS[:15]:
        a, b = local.ask(question), milvus.ask(question)
        assert (a.answer, a.abstained) == (b.answer, b.abstained), question


def test_incremental_build_switches_the_alias_and_keeps_the_old_version_for_its_grace(tmp_path):
    corpus = split_corpus(tmp_path / "corpus")
    _, settings = pair(tmp_path, corpus, milvus_grace=300)
    embedder = FakeEmbedder(64)
    first = build_index(settings, embedder)
    store = open_store(settings)
    assert store.current_version() == first.version and first.embedded == first.chunks
    assert build_index(settings, embedder).unchanged  # nothing changed: nothing written
    part = corpus / "part-3.txt"
    part.write_text(part.read_text(encoding="utf-8").replace("42个", "43个"), encoding="utf-8")
    second = build_index(settings, embedder)
    assert second.changed == ["part-3"] and second.embedded == 1 and second.reused == second.chunks - 1
    assert store.current_version() == second.version != first.version
    engine = Engine.load(settings, embedder)
    assert engine.version == second.version and "43个" in engine.ask("星创天地有多少个？").answer
    names = set(store.client.list_collections())
    assert {store.collection(first.version), store.meta(first.version)} <= names  # within its grace
    assert prune(store) == []
    assert prune(store, now=__import__("time").time() + 301) == [first.version]
    assert store.collection(first.version) not in set(store.client.list_collections())
    assert Engine.load(settings, embedder).version == second.version


def test_a_failed_build_leaves_the_alias_and_drops_its_collections(tmp_path, monkeypatch):
    corpus = split_corpus(tmp_path / "corpus")
    _, settings = pair(tmp_path, corpus)
    embedder = FakeEmbedder(64)
    first = build_index(settings, embedder)
    (corpus / "part-4.txt").write_text("关于新增内容的通知\n\n新增科技项目十项。\n", encoding="utf-8")
    store = open_store(settings)
    before = set(store.client.list_collections())
    from policyqa.index.backends import milvus_write

    def broken(*args, **kwargs):
        raise PolicyQAError("disk full in the middle of the insert")

    monkeypatch.setattr(milvus_write, "_chunk_rows", broken)
    with pytest.raises(PolicyQAError, match="disk full"):
        build_index(settings, embedder)
    assert store.current_version() == first.version
    assert set(store.client.list_collections()) == before
    monkeypatch.undo()
    assert build_index(settings, embedder).documents == 4


def test_another_model_or_analyzer_is_refused(tmp_path, monkeypatch):
    _, settings = pair(tmp_path, split_corpus(tmp_path / "corpus"))
    build_index(settings, FakeEmbedder(64))
    store = open_store(settings)
    with pytest.raises(IndexLoadError, match="built with model 'fake-64'") as caught:
        store.load(FakeEmbedder(32).fingerprint)
    assert "\n" not in str(caught.value)
    from policyqa.index import manifest

    monkeypatch.setattr(manifest, "analyzer_fingerprint", lambda analyzer: "0000000000000000")
    with pytest.raises(IndexLoadError, match="another version of the 'both' analyzer"):
        store.load(FakeEmbedder(64).fingerprint)


def test_cmrc_top_10_agree(tmp_path):
    """Hundreds of passages of another kind (encyclopedia paragraphs) and their questions."""
    data = needs_shared("cmrc2018")
    contexts = [json.loads(line) for line in (data / "contexts.jsonl").open(encoding="utf-8")][:150]
    corpus = tmp_path / "cmrc"
    corpus.mkdir()
    with (corpus / "cmrc.jsonl").open("w", encoding="utf-8") as fh:
        for c in contexts:
            fh.write(
                json.dumps(
                    {"id": c["context_id"].replace(":", "-"), "title": c["title"], "text": c["context"]},
                    ensure_ascii=False,
                )
                + "\n"
            )
    ids = {c["context_id"] for c in contexts}
    questions = [
        q["question"] for q in map(json.loads, (data / "questions.jsonl").open(encoding="utf-8"))
        if q["context_id"] in ids
    ][:120]  # fmt: skip
    local_settings, milvus_settings = pair(tmp_path, corpus)
    embedder = FakeEmbedder(64)
    build_index(local_settings, embedder)
    build_index(milvus_settings, embedder)
    local, milvus = Engine.load(local_settings, embedder), Engine.load(milvus_settings, embedder)
    assert len(local.index.chunks) > 150
    for question in questions:
        for retriever in ("bm25", "dense", "hybrid"):
            a, b = local.search(question, 10, retriever), milvus.search(question, 10, retriever)
            assert_same_ranking(ranked(a), ranked(b), (question, retriever))


def test_cli_builds_describes_and_prunes_a_milvus_lite_index(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ, "POLICYQA_STORE": "milvus", "POLICYQA_MODEL": "fake-64",
        "POLICYQA_MILVUS_URI": str(tmp_path / "lite" / "milvus.db"),
    }  # fmt: skip

    def cli(*args):
        out = subprocess.run(
            [sys.executable, "-m", "policyqa", *args], capture_output=True, text=True, env=env, cwd=ROOT
        )
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
        return out.stdout

    built = json.loads(cli("index", "build", "--corpus", str(split_corpus(tmp_path / "corpus")), "--json"))
    info = json.loads(cli("index", "info", "--json"))
    assert info["manifest"]["version"] == built["version"] and info["manifest"]["store"]["kind"] == "milvus"
    assert {d["doc_id"]: d["metadata"]["year"] for d in info["documents"]} == {
        "part-1": 2016,
        "part-2": 2017,
        "part-3": 2018,
    }
    assert info["manifest"]["lexical"]["num_docs"] == built["chunks"]
    assert built["version"] in cli("index", "prune")
    assert not (ROOT / "index" / "milvus.db").exists()  # the URI was used, not a default folder


def test_connection_details_stay_out_of_messages_and_a_missing_client_is_one_line(monkeypatch):
    import sys

    from policyqa.errors import ConfigError
    from policyqa.index.backends.milvus_io import connect, shown

    assert shown("https://root:s3cret@milvus.gov:19530/x") == "https://milvus.gov:19530/x"
    assert shown("/srv/milvus.db") == "/srv/milvus.db"
    settings = Settings(store="milvus", milvus_uri="http://u:pw@127.0.0.1:1", milvus_token="root:Milvus")
    store = open_store(settings)
    assert "pw" not in store.where() and "Milvus" not in repr(settings.milvus_token)
    monkeypatch.setitem(sys.modules, "pymilvus", None)  # as if the [milvus] extra were not installed
    with pytest.raises(ConfigError, match=r"pip install 'policyqa\[milvus\]'"):
        connect("http://127.0.0.1:1", "", "", 1.0)
