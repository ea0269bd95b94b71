"""The sentence-transformers embedder: a clear error for a folder it cannot load, and its cache of recent
vectors for query-time calls."""

import numpy as np
import pytest

from policyqa.errors import ModelError
from policyqa.models.embed import load_embedder
from policyqa.settings import Settings


def test_broken_model_folder_is_a_clear_error(tmp_path):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "config.json").write_text("{not json")
    with pytest.raises(ModelError, match="cannot load embedding model"):
        load_embedder(Settings(model=str(tmp_path / "broken")))


def test_recent_vectors_are_reused_and_bounded(tmp_path):
    from ..conftest import tiny_bert_folder

    e = load_embedder(
        Settings(model=str(tiny_bert_folder(tmp_path)), model_dir=tmp_path / "m", embed_cache=3)
    )
    encoded = []
    original = e._encode

    def counting(texts, kind):
        encoded.extend((kind, t) for t in texts)
        return original(texts, kind)

    e._encode = counting
    first = e.embed_batch(["科技", "创新"], "passage")
    again = e.embed_batch(["创新", "基金", "创新"], "passage")  # one new text, one repeated in the call
    assert encoded == [("passage", "科技"), ("passage", "创新"), ("passage", "基金")]
    assert np.allclose(again[0], first[1]) and np.allclose(again[2], first[1]) and again.shape == (3, 32)
    e.embed_batch(["创新"], "query")  # a question is not a passage: its own vector
    assert encoded[-1] == ("query", "创新")
    assert len(e._recent) == 3  # bounded: the oldest went first
    assert ("passage", "科技") not in e._recent
    again[0] += 1.0  # callers get copies: the cache cannot be changed from outside
    assert np.allclose(e.embed_batch(["创新"], "passage")[0], first[1])
    e.forget()
    e.embed_batch(["创新"], "passage")
    assert encoded[-1] == ("passage", "创新")
    big = [f"文本{i}" for i in range(20)]  # a build-sized call bypasses the cache
    e.embed_batch(big, "passage")
    assert len(e._recent) <= 3
