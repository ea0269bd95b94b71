"""Embedders: the real default model through the pipeline, other models by path, clear errors."""

import numpy as np
import pytest

from policyqa.errors import ModelError
from policyqa.models.embed import FakeEmbedder, load_embedder
from policyqa.settings import DEFAULT_MODEL, Settings


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    return load_embedder(Settings(model=DEFAULT_MODEL))


def test_fake_embedder_is_deterministic_and_normalised():
    e = FakeEmbedder(32)
    a, b = e.embed_batch(["科技创新", "科技创新", ""]), e.embed_batch(["科技创新"])
    assert np.allclose(a[0], b[0]) and np.allclose(np.linalg.norm(a, axis=1), 1.0)


@pytest.mark.slow
def test_default_model_embeds_with_e5_prompts(real):
    assert real.dim == 384 and real.query_prompt == "query: " and real.passage_prompt == "passage: "
    passages = real.embed_batch(
        ["自治区科技成果转化基金3亿元已经注册完成开始运行", "惠达农牧星创天地以市场需求为导向"], "passage"
    )
    query = real.embed_batch(["科技成果转化基金的规模"], "query")[0]
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert passages[0] @ query > passages[1] @ query + 0.03


@pytest.mark.slow
def test_default_model_retrieves_paraphrases_on_the_demo(tmp_path, real):
    from policyqa.index.build import build_index
    from policyqa.query.engine import Engine

    from ..conftest import DEMO_CORPUS

    settings = Settings(corpus_dir=DEMO_CORPUS, index_dir=tmp_path / "index")
    report = build_index(settings, real)
    assert report.embedded == report.chunks > 10
    engine = Engine.load(settings, real)
    hits = engine.search("给农牧民提供一站式科技服务的平台", 3, "dense")
    assert any("惠达农牧星创天地" in h.chunk.text for h in hits)


@pytest.mark.slow
def test_local_model_folder_and_custom_prompts(real, tmp_path):
    folder = tmp_path / "copy"
    real.model.save(str(folder))
    other = load_embedder(Settings(model=str(folder), query_prompt="问：", passage_prompt=""))
    assert other.query_prompt == "问：" and other.passage_prompt == ""
    assert other.fingerprint != real.fingerprint and other.dim == 384
    assert other.embed_batch(["科技"], "query").shape == (1, 384)


def test_unknown_model_name_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="unknown embedding model 'no-such-org/no-such-model'"):
        load_embedder(Settings(model="no-such-org/no-such-model", model_dir=tmp_path))
