"""ONNX Runtime backend: the same vectors as torch (so either can query an index built by the other),
faster questions, and a safe fallback when a model or a cached export is unusable."""

import numpy as np
import pytest

from policyqa.errors import ModelError
from policyqa.models import onnx as onnxrt
from policyqa.models.embed import load_embedder
from policyqa.settings import DEFAULT_MODEL, Settings

from ..conftest import tiny_bert_folder

TEXTS = [
    "新政发〔2018〕44号文件对科技创新作出部署",
    "自治区科技成果转化基金3亿元已经注册完成开始运行，" * 12,  # long: another batch shape
    "惠达农牧星创天地以市场需求为导向",
    "科技",
] * 10  # 40 texts: more than one batch, mixed lengths, so the longest-first reordering is exercised


def _pair(tmp_path, model):
    common = {"model": model, "model_dir": tmp_path / "models"}
    return load_embedder(Settings(**common)), load_embedder(Settings(backend="torch", **common))


def test_tiny_bert_with_token_types_matches_torch(tmp_path):
    fast, slow = _pair(tmp_path, str(tiny_bert_folder(tmp_path, TEXTS)))
    assert fast.backend == "onnx" and slow.backend == "torch"
    assert fast.fingerprint == slow.fingerprint  # the same vectors: an index is shared by both
    expected = slow.embed_batch(TEXTS, "passage")
    # 40 texts in batches of 32, longest first: rows must come back in their own places
    a = fast._encode_onnx(TEXTS, fast.passage_prompt or None)
    assert a.shape == expected.shape == (len(TEXTS), 32)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert (a * expected).sum(axis=1).min() > 0.9999
    fast.threads = 1  # as an engine sets it
    assert (
        float(fast.embed_batch(["科技创新"], "query")[0] @ slow.embed_batch(["科技创新"], "query")[0])
        > 0.9999
    )


def test_onnx_runtime_for_query_sized_calls_torch_for_build_sized_ones(tmp_path):
    fast, _ = _pair(tmp_path, str(tiny_bert_folder(tmp_path, TEXTS)))
    calls = []
    original = fast.onnx.embed

    def spy(model, texts, prompt, threads):
        calls.append(len(texts))
        return original(model, texts, prompt, threads)

    fast.onnx.embed = spy
    fast.embed_batch(TEXTS[:8], "passage")  # sentences an answer may quote
    fast.embed_batch(TEXTS, "passage")  # a build batch
    assert calls == [4]  # TEXTS[:8] holds 4 distinct texts; the 40-text batch went to torch


def test_corrupt_cached_export_is_exported_again(tmp_path):
    folder = tiny_bert_folder(tmp_path, TEXTS)
    first = load_embedder(Settings(model=str(folder), model_dir=tmp_path / "models"))
    cached = first.onnx.path
    cached.write_bytes(b"not an onnx file")
    again = load_embedder(Settings(model=str(folder), model_dir=tmp_path / "models"))
    assert again.backend == "onnx" and cached.stat().st_size > 1000
    assert np.allclose(again.embed_batch(TEXTS[:4]), first.embed_batch(TEXTS[:4]), atol=1e-5)


def test_forced_onnx_without_onnxruntime_is_a_clear_error(tmp_path, monkeypatch):
    folder = tiny_bert_folder(tmp_path, TEXTS)
    monkeypatch.setattr(onnxrt, "available", lambda: False)
    with pytest.raises(ModelError, match="needs onnxruntime"):
        load_embedder(Settings(model=str(folder), model_dir=tmp_path / "models", backend="onnx"))
    auto = load_embedder(Settings(model=str(folder), model_dir=tmp_path / "models"))
    assert auto.backend == "torch" and auto.onnx is None


def test_unexportable_model_falls_back_to_torch_or_errors_when_forced(tmp_path, monkeypatch):
    folder = tiny_bert_folder(tmp_path, TEXTS)

    def broken(st_model, target):
        raise RuntimeError("export not supported")

    monkeypatch.setattr(onnxrt, "export", broken)
    auto = load_embedder(Settings(model=str(folder), model_dir=tmp_path / "models"))
    assert auto.backend == "torch" and auto.embed_batch(["科技"]).shape == (1, 32)
    with pytest.raises(ModelError, match="cannot run in ONNX Runtime"):
        load_embedder(Settings(model=str(folder), model_dir=tmp_path / "models", backend="onnx"))


@pytest.mark.slow
def test_default_model_same_vectors_in_both_backends():
    fast = load_embedder(Settings(model=DEFAULT_MODEL))
    slow = load_embedder(Settings(model=DEFAULT_MODEL, backend="torch"))
    assert fast.backend == "onnx" and fast.fingerprint == slow.fingerprint
    for kind in ("query", "passage"):
        prompt = fast.query_prompt if kind == "query" else fast.passage_prompt
        a, b = fast._encode_onnx(TEXTS, prompt), slow.embed_batch(TEXTS, kind)
        assert (a * b).sum(axis=1).min() > 0.9999


def test_released_torch_weights_leave_every_call_to_onnx_runtime(tmp_path):
    fast, slow = _pair(tmp_path, str(tiny_bert_folder(tmp_path, TEXTS)))
    fast.serving_only()
    assert all(p.is_meta for p in fast.model[0].auto_model.parameters())  # the memory is gone
    a, b = fast.embed_batch(TEXTS, "passage"), slow.embed_batch(TEXTS, "passage")  # a build-sized call
    assert (a * b).sum(axis=1).min() > 0.9999
    torch_only = load_embedder(Settings(model=str(tmp_path / "tiny-bert"), backend="torch"))
    torch_only.serving_only()  # nothing to release without ONNX Runtime: torch keeps working
    assert not any(p.is_meta for p in torch_only.model[0].auto_model.parameters())
