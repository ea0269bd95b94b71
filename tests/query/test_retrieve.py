"""Fusion against hand-computed values, retrievers against brute force, document-number lookups."""

import numpy as np
import pytest

from policyqa.index.lexical import analyze
from policyqa.query.analysis import QueryAnalysis
from policyqa.query.asking import exactness
from policyqa.query.figures import asked_figure
from policyqa.query.fusion import fuse, minmax_combine, raise_matching, rrf, sureness, weights
from policyqa.query.retrieve import HybridRetriever
from policyqa.settings import FUSIONS


def hybrid(engine, **overrides):
    s = engine.settings
    options = dict(
        fusion=s.fusion, dense_weight=s.dense_weight, rrf_k=s.rrf_k, candidates=s.candidates,
        answer_type_boost=s.answer_type_boost,
    )  # fmt: skip
    return HybridRetriever(engine.index, engine.embedder, **(options | overrides))


def test_rrf_hand_computed():
    fused = rrf([[1, 2, 3], [3, 1]], [0.7, 0.3], k=60)
    assert fused[1] == pytest.approx(0.7 / 61 + 0.3 / 62)
    assert fused[2] == pytest.approx(0.7 / 62)
    assert fused[3] == pytest.approx(0.7 / 63 + 0.3 / 61)
    assert sorted(fused, key=lambda r: -fused[r]) == [1, 3, 2]


def test_minmax_combination_hand_computed():
    fused = minmax_combine([[(1, 0.9), (2, 0.7), (3, 0.5)], [(3, 10.0), (4, 2.0)]], [0.5, 0.5])
    assert fused[1] == pytest.approx(0.5)
    assert fused[2] == pytest.approx(0.25)
    assert fused[3] == pytest.approx(0.0 + 0.5)
    assert fused[4] == pytest.approx(0.0)


def test_fuse_dispatches_to_the_hand_computed_methods():
    dense, lexical = [(1, 0.9), (2, 0.7), (3, 0.5)], [(3, 10.0), (4, 2.0)]
    assert fuse(dense, lexical, "score", 0.5) == pytest.approx(minmax_combine([dense, lexical], [0.5, 0.5]))
    assert fuse(dense, lexical, "weighted_rrf", 0.3) == pytest.approx(rrf([[1, 2, 3], [3, 4]], [0.3, 0.7]))
    assert fuse(dense, lexical, "rrf", 0.3) == pytest.approx(rrf([[1, 2, 3], [3, 4]], [0.5, 0.5]))
    # adaptive: an exact question (exactness 1) halves the dense weight
    assert fuse(dense, lexical, "adaptive", 0.6, 1.0) == pytest.approx(rrf([[1, 2, 3], [3, 4]], [0.3, 0.7]))


def test_distribution_weights_hand_computed():
    sharp = [(1, 10.0), (2, 2.0), (3, 2.0), (4, 1.0)]  # rest mean 5/3, std sqrt(2/9)
    flat = [(1, 0.9), (2, 0.9), (3, 0.9)]
    assert sureness(sharp) == pytest.approx((10 - 5 / 3) / (2 / 9) ** 0.5)
    assert sureness(flat) == 0.0 and sureness(sharp[:2]) == 0.0
    # a flat dense run and a sharp BM25 run: half the fixed 0.4, half 0 → 0.2 for dense
    assert weights("score_dist", 0.4, dense=flat, lexical=sharp) == pytest.approx([0.2, 0.8])
    assert weights("score_dist", 0.4, dense=flat, lexical=flat) == pytest.approx([0.4, 0.6])


def test_answer_type_boost_hand_computed():
    keys = ["投资总额1746亿元", "重大项目126个", "新政发〔2018〕44号", "占比97.1%"]
    fused = {0: 0.5, 1: 0.8, 2: 0.6, 3: 0.4}

    def boost(question, b):
        shows = asked_figure(question).shows
        return raise_matching(fused, lambda row: bool(shows.search(keys[row])), b)

    assert boost("计划投资总额是多少？", 0.2) == pytest.approx({0: 0.6, 1: 0.8, 2: 0.6, 3: 0.4})
    assert boost("实施意见的文号是什么？", 0.5) == pytest.approx({0: 0.5, 1: 0.8, 2: 0.9, 3: 0.4})
    assert asked_figure("科技创新有哪些举措？") is None  # no figure asked: nothing to raise
    assert boost("计划投资总额是多少？", 0.0) == fused


def test_exactness():
    assert exactness("科技创新有哪些举措") == 0
    assert exactness("新政发〔2018〕44号是什么") == 1.0


def test_dense_matches_brute_force(fake_engine):
    index, embedder = fake_engine.index, fake_engine.embedder
    vectors = np.load(index.folder / "vectors.npy")
    for q in ["试验区计划投资总额", "星创天地有多少个", "科技金融服务"]:
        qv = embedder.embed_batch([q], "query")[0]
        expected = list(np.argsort(-(vectors @ qv), kind="stable")[:5])
        hits = fake_engine.search(q, 5, "dense")
        assert [index.chunks.index(h.chunk) for h in hits] == expected


def test_bm25_matches_brute_force_scores(fake_engine):
    index = fake_engine.index
    q = "科技型中小企业评价"
    scores = index.lexical.scores(q)
    hits = fake_engine.search(q, 5, "bm25")
    assert [h.score for h in hits] == pytest.approx(sorted(scores, reverse=True)[:5], rel=1e-5)


def test_bm25_scores_equal_the_formula_computed_by_hand(fake_engine):
    """Lucene BM25 (bm25s' default: idf = ln(1 + (N - df + .5) / (df + .5)), k1 1.2, b 0.75) from the
    analyzed chunk texts, against the index's scores for every chunk."""
    from collections import Counter
    from math import log

    docs = [Counter(analyze(c.lexical_context, "both")) for c in fake_engine.index.chunks]
    n, avgdl = len(docs), sum(sum(d.values()) for d in docs) / len(docs)
    for q in ("科技型中小企业评价", "新政发〔2018〕44号的主要内容", "1746亿元投向哪里"):
        expected = np.zeros(n)
        for tok in analyze(q, "both", query=True):
            df = sum(tok in d for d in docs)
            if not df:
                continue
            idf = log(1 + (n - df + 0.5) / (df + 0.5))
            for i, d in enumerate(docs):
                tf, dl = d[tok], sum(d.values())
                expected[i] += idf * tf / (tf + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl))
        assert expected.max() > 0
        assert fake_engine.index.lexical.scores(q) == pytest.approx(expected, rel=1e-4, abs=1e-5)


@pytest.mark.parametrize(
    "query",
    [
        "财建〔2018〕408号的要求是什么？",
        "财建﹝2018﹞408号",
        "财建[2018]408号",
        "财建【2018】408号",
        "财建 〔２０１８〕 408 号",
    ],
)
def test_document_number_variants_find_their_passage_first(fake_engine, query):
    for kind in ("hybrid", "bm25"):
        top = fake_engine.search(query, 3, kind)[0]
        assert "财建﹝2018﹞408号" in top.chunk.text, kind


def test_document_number_first_even_when_fusion_prefers_others(fake_engine):
    hits = fake_engine.search("请问新政发（2018）84号讲的是什么？星创天地 众创空间 孵化器", 5, "hybrid")
    assert "新政发〔2018〕84号" in hits[0].chunk.text


def test_analyzer_keeps_figures_whole():
    tokens = analyze("七个创新园生产总值1837.7亿元，占全疆19.04%", "char")
    assert "1837.7亿元" in tokens and "19.04%" in tokens and "1837" not in tokens
    assert set(analyze("2018年11月23日", "jieba")) >= {"2018年11月23日", "2018年", "11月", "23日"}


@pytest.mark.parametrize("fusion", FUSIONS)
def test_every_fusion_runs_and_ranks(fake_engine, fusion):
    retriever = hybrid(fake_engine, fusion=fusion)
    hits = retriever.search(QueryAnalysis.of("自治区科技成果转化基金规模"), 5)
    assert len(hits) == 5 and [h.rank for h in hits] == [1, 2, 3, 4, 5]
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))


def test_reranker_plumbing_with_tiny_random_cross_encoder(fake_engine, tmp_path):
    """No Chinese reranker ships offline: build a tiny random BERT cross-encoder to test the wiring."""
    from sentence_transformers import CrossEncoder
    from transformers import BertForSequenceClassification

    from policyqa.models.rerank import CrossEncoderReranker

    from ..conftest import tiny_bert_parts

    folder = tmp_path / "tiny-ce"
    texts = ["科技创新企业基金投资试验区星创天地众创空间孵化器新疆"]
    config = tiny_bert_parts(
        folder, texts, hidden_size=16, num_hidden_layers=1, intermediate_size=32, num_labels=1
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    CrossEncoder(str(folder)).save(str(folder))
    reranker = CrossEncoderReranker(str(folder))
    retriever = hybrid(fake_engine, reranker=reranker, rerank_top=8)
    hits = retriever.search(QueryAnalysis.of("星创天地"), 4)
    assert len(hits) == 4 and all("rerank" in h.sources for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_an_abbreviation_finds_its_spelled_out_form(tmp_path):
    from policyqa.text.normalize import with_term_forms

    from ..conftest import build_fake_engine

    assert with_term_forms("2003年GDP增长了多少？") == "2003年GDP增长了多少？ 国内生产总值"
    assert with_term_forms("GDPR合规") == "GDPR合规"  # a longer Latin word is not the abbreviation
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "对外贸易。\n\n进出口总额比上年增长37.1%，对外贸易增长较快。\n", encoding="utf-8"
    )
    (corpus / "b.txt").write_text(
        "经济运行。\n\n国内生产总值比上年增长9.1%，达到11.67万亿元。\n", encoding="utf-8"
    )
    engine = build_fake_engine(corpus, tmp_path)
    assert engine.search("GDP增长了多少？", 2, "bm25")[0].chunk.doc_id == "b"


def test_a_polite_please_is_scaffolding_but_the_please_inside_a_word_is_not():
    from policyqa.index.lexical import analyze
    from policyqa.text.segment import content_words

    # "申请" lost its 请 to the scaffolding pattern: the question kept "申" and searched for no 申请.
    assert "专利申请" in content_words("专利法实施细则规定的专利申请费是多少？")
    assert "申请" in analyze("申请人可以请求复审吗？", "jieba", query=True)
    assert content_words("请列出科技政策") == ["列出", "科技", "政策"]
    assert analyze("请问申请日是哪天？", "char", query=True)[:3] == ["申", "请", "日"]


def test_a_chinese_short_form_is_a_word_and_finds_its_long_form(tmp_path):
    from policyqa.query.sentences import overlap
    from policyqa.text.normalize import search_key, term_forms, with_term_forms
    from policyqa.text.segment import content_words

    from ..conftest import build_fake_engine

    # jieba cuts "年高企要" into 年/高/企要; the short form is kept whole, but only where a word starts.
    assert "高企" in content_words("到2025年高企要达到多少家？")
    assert content_words("如何提高企业研发投入？") == ["提高", "企业", "研发", "投入"]
    assert content_words("市科技部门负责什么？") == ["科技", "部门", "负责"]  # not 科技部 + 门
    assert "专项债" in content_words("专项债规模多大？")  # jieba's 专项/债, whole
    assert "研究与试验发展经费" in term_forms("研发经费")  # inside a longer word too
    assert term_forms("企业") == ("企业",)
    # Programmes officials name short and reports spell out.
    assert overlap({"棚改": 1.0}, search_key("棚户区住房改造620多万套")) == 1.0
    assert overlap({"低保": 1.0}, search_key("城市居民最低生活保障人数")) == 1.0
    assert "新型农村合作医疗试点" in term_forms("新农合试点")
    assert with_term_forms("高企有多少家", ("高企",)) == "高企有多少家 高新技术企业"
    assert with_term_forms("提高企业效益", ("提高", "企业")) == "提高企业效益"
    terms = {"高企": 5.0, "2025": 5.0}
    assert overlap(terms, search_key("到2025年，全省高新技术企业达到2.5万家。")) == 1.0
    assert overlap(terms, search_key("到2025年，全省新型研发机构达到1000家。")) == 0.5
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "研发机构。\n\n到2025年，全省新型研发机构总量达到1000家，企业研发投入持续增长。\n",
        encoding="utf-8",
    )
    (corpus / "b.txt").write_text(
        "企业培育。\n\n到2025年，全省高新技术企业达到2.5万家，培育一批创新型领军企业。\n",
        encoding="utf-8",
    )
    engine = build_fake_engine(corpus, tmp_path)
    assert engine.search("到2025年高企要达到多少家？", 2, "bm25")[0].chunk.doc_id == "b"


def test_the_question_is_embedded_once_per_answer(fake_engine, monkeypatch):
    # Dense search and the sentence ranking both need the question's vector; one model call must serve both.
    asked: list[str] = []
    embed = fake_engine.embedder.embed_batch

    def spy(texts, kind="passage"):
        if kind == "query":
            asked.extend(texts)
        return embed(texts, kind)

    monkeypatch.setattr(fake_engine.embedder, "embed_batch", spy)
    fake_engine.ask("星创天地有多少个？")
    assert asked and len(asked) == len(set(asked))


def test_embedded_vectors_equal_a_direct_embedding():
    from policyqa.models.embed import FakeEmbedder

    embedder, analysis = FakeEmbedder(), QueryAnalysis.of("2023年科技投入增长多少？")
    first = analysis.embedded(embedder, ["科技投入增长多少？", analysis.text])
    again = analysis.embedded(embedder, [analysis.text])
    assert embedder.calls == 1
    assert np.allclose(first[1], again[0])
    assert np.allclose(first, embedder.embed_batch(["科技投入增长多少？", analysis.text], "query"))
