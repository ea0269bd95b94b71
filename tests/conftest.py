"""Shared fixtures: the demo corpus, a fake-embedder index built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO_CORPUS = ROOT / "corpus"
DEMO_FILE = DEMO_CORPUS / "2018-xinjiang-sci-tech-report.txt"
SHARED_DATA = Path(os.environ.get("POLICYQA_SHARED_DATA", ROOT.parent / "shared" / "data"))


def needs_shared(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="session")
def demo_doc():
    from policyqa.corpus.ingest import load_corpus

    corpus = load_corpus(DEMO_CORPUS)
    assert not corpus.problems
    return corpus.documents[0]


@pytest.fixture
def fake_settings(tmp_path):
    from policyqa.settings import Settings

    # The learned answer check reads real embeddings; with the fake embedder the rules check is the one
    # whose decisions unit tests can state.
    return Settings(
        corpus_dir=DEMO_CORPUS, index_dir=tmp_path / "index", model="fake-64", model_dir=tmp_path / "models",
        answer_check="rules",
    )  # fmt: skip


def build_fake_engine(corpus, folder, abstain_threshold: float = 0.4):
    """Index ``corpus`` into ``folder``/index with the deterministic fake embedder and load an engine.
    The hand-set answer check and an explicit threshold: unit tests must not move when the real model's
    check is retrained or its threshold recalibrated."""
    from policyqa.index.build import build_index
    from policyqa.models.embed import load_embedder
    from policyqa.query.engine import Engine
    from policyqa.settings import Settings

    settings = Settings(
        corpus_dir=corpus,
        index_dir=folder / "index",
        model="fake-64",
        abstain_threshold=abstain_threshold,
        answer_check="rules",
    )
    embedder = load_embedder(settings)
    build_index(settings, embedder)
    return Engine.load(settings, embedder)


def fake_engine_over(texts: dict[str, str], folder, abstain_threshold: float = 0.4):
    """An engine (build_fake_engine) over a corpus of ``{name}.txt`` files written into ``folder``/corpus."""
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in texts.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    return build_fake_engine(corpus, folder, abstain_threshold)


def candidates(engine, question: str, k: int = 5) -> list:
    """The sentences an answer to ``question`` may quote, best first, as ``ask`` ranks them."""
    analysis = engine.analyze(question)
    return engine.answerer.composer.score(analysis, engine.evidence(analysis, k))


def picked(engine, text: str, spans: list[tuple[int, int]]) -> list:
    """Sentences at ``spans`` of ``text``, as the composer would pick them, in a passage of ``engine``'s
    index whose text is replaced by ``text``."""
    from dataclasses import replace

    from policyqa.query.picked import Picked
    from policyqa.query.retrieve import Hit

    hit = engine.retrieve(engine.analyze("科普经费"), 1)[0]
    hit = Hit(replace(hit.chunk, text=text), hit.score, 1, hit.sources, hit.row)
    return [Picked(hit, s, e, 1.0, frozenset()) for s, e in spans]


@pytest.fixture(scope="session")
def fake_engine(tmp_path_factory):
    """An engine over the demo corpus with the deterministic fake embedder."""
    return build_fake_engine(DEMO_CORPUS, tmp_path_factory.mktemp("fake-index"))


@pytest.fixture
def corpus_copy(tmp_path):
    target = tmp_path / "corpus"
    shutil.copytree(DEMO_CORPUS, target)
    return target


def tiny_bert_parts(folder, texts, **config):
    """A character-level BERT tokenizer over ``texts`` saved in ``folder``, and a small random config."""
    from transformers import BertConfig, BertTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(set("".join(texts)))
    (folder / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    BertTokenizerFast(vocab_file=str(folder / "vocab.txt")).save_pretrained(folder)
    sizes = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64}
    return BertConfig(vocab_size=len(vocab), **(sizes | config))


def tiny_bert_folder(
    tmp_path, texts=("新政发〔2018〕44号文件对科技创新作出部署，自治区科技成果转化基金3亿元",)
):
    """A random BERT with token_type_ids and CLS pooling (the shape of bge models), built offline."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import BertModel

    raw = tmp_path / "raw"
    BertModel(tiny_bert_parts(raw, texts)).save_pretrained(raw)
    transformer = Transformer(str(raw))
    pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="cls")
    folder = tmp_path / "tiny-bert"
    SentenceTransformer(modules=[transformer, pooling, Normalize()]).save(str(folder))
    return folder
