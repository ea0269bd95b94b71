"""Traditional and simplified characters match each other; what is shown keeps the document's own."""

import json

import pytest

from policyqa.errors import IndexLoadError
from policyqa.index.build import build_index
from policyqa.index.lexical import analyze
from policyqa.index.store import load_index, version_folder
from policyqa.models.embed import FakeEmbedder
from policyqa.query.engine import Engine
from policyqa.text.normalize import search_key, to_simplified

TRADITIONAL = (
    "臺北市科技發展計畫\n\n一、發展目標\n"
    "至2025年，本市研究發展經費投入達到新臺幣1200億元，培育新創企業三百家。\n"
    "二、重點措施\n強化產學合作，推動關鍵技術國產化。\n"
)


def test_search_key_folds_traditional_characters_and_keeps_length():
    assert search_key("研究發展經費") == search_key("研究发展经费") == "研究发展经费"
    assert search_key("新政發〔2018〕44號") == search_key("新政发[2018]44号")
    text = "臺灣關於數據資料的規範"
    assert len(to_simplified(text)) == len(text) and to_simplified(text) == "台湾关于数据资料的规范"
    assert to_simplified("显著提高科技水平") == "显著提高科技水平"  # simplified text stays as it is
    assert analyze("研究發展經費", "jieba") == analyze("研究发展经费", "jieba")


@pytest.fixture
def traditional_engine(fake_settings, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "taipei.txt").write_text(TRADITIONAL, encoding="utf-8")
    fake_settings.corpus_dir = corpus
    fake_settings.abstain_threshold = 0.1
    embedder = FakeEmbedder(64)
    build_index(fake_settings, embedder)
    return Engine.load(fake_settings, embedder)


def test_simplified_question_finds_traditional_passage_and_quotes_it_unchanged(traditional_engine):
    hits = traditional_engine.search("研究发展经费投入达到多少亿元？", 3, "bm25")
    assert hits and "研究發展經費投入達到新臺幣1200億元" in hits[0].chunk.text
    answer = traditional_engine.ask("研究发展经费投入达到多少亿元？")
    assert answer.citations and "新臺幣1200億元" in answer.citations[0].text  # the original characters


def test_an_index_made_before_the_folding_is_refused_then_rebuilt_without_embedding(fake_settings):
    embedder = FakeEmbedder(64)
    build_index(fake_settings, embedder)
    folder = version_folder(fake_settings.index_dir)
    described = folder / "bm25" / "analyzer.json"
    described.write_text(json.dumps({"analyzer": "both"}))  # as written before search key version 2
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    from policyqa.index.manifest import sha256_file

    manifest["files"]["bm25/analyzer.json"] = sha256_file(described)
    manifest["build_key"] = "made-by-an-older-policyqa"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexLoadError, match="search key version 1.*policyqa index build"):
        load_index(fake_settings.index_dir)
    report = build_index(fake_settings, embedder)
    assert not report.unchanged and report.embedded == 0  # BM25 remade, every vector reused
    load_index(fake_settings.index_dir)
