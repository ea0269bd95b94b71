"""ONNX Runtime for the transformer inside a sentence-transformers model.

Why: on the 2-core reference machine one question takes ~45 ms through torch (one thread) and ~18 ms
through ONNX Runtime, whose vector has cosine 0.9999999 to torch's; passage batches are ~1.3x faster
(bench/RESULTS.md). sentence-transformers' own ``backend="onnx"`` goes through optimum-onnx, which pins
transformers<4.58 and so cannot be installed next to sentence-transformers 6, hence the export here.

Only the first module (the transformer) runs in ONNX Runtime; pooling, normalisation and any dense layer
stay sentence-transformers' own modules, so every pooling mode and prompt option behaves as before.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

OPSET = 17
PROBE = [
    "query: 新疆维吾尔自治区2018年科技创新工作取得哪些成效？",
    "passage: 新政发〔2018〕44号 规定了1746亿元。",
]
MIN_PROBE_COSINE = 0.9999  # an export that changes vectors more than this is not used


def available() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def _features(st_model, texts: list[str], prompt: str | None = None) -> dict:
    if hasattr(st_model, "preprocess"):  # sentence-transformers >= 6
        return st_model.preprocess(texts, prompt=prompt)
    return st_model.tokenize([(prompt or "") + t for t in texts])


def _input_names(st_model) -> list[str]:
    names = list(getattr(st_model.tokenizer, "model_input_names", ["input_ids", "attention_mask"]))
    return [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in names]


def export(st_model, target: Path) -> Path:
    """Write the transformer of ``st_model`` as ONNX to ``target`` (atomically: a crash leaves no half file)."""
    import torch

    names = _input_names(st_model)
    backbone = st_model[0].auto_model.eval()

    class Wrapped(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone = backbone

        def forward(self, *tensors):
            return self.backbone(**dict(zip(names, tensors, strict=True))).last_hidden_state

    sample = _features(st_model, PROBE)
    args = tuple(sample[n] for n in names)
    axes = {n: {0: "batch", 1: "tokens"} for n in names} | {"token_embeddings": {0: "batch", 1: "tokens"}}
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")  # tracer and deprecation chatter about the export path
            torch.onnx.export(
                Wrapped(),
                args,
                str(tmp),
                input_names=names,
                output_names=["token_embeddings"],
                dynamic_axes=axes,
                opset_version=OPSET,
                dynamo=False,
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


class OnnxTransformer:
    """Token embeddings from an exported transformer; one ONNX Runtime session per thread count."""

    def __init__(self, path: Path, input_names: list[str]):
        self.path = path
        self.input_names = input_names
        self._sessions: dict[int, object] = {}

    def session(self, threads: int):
        sess = self._sessions.get(threads)
        if sess is None:
            import onnxruntime as ort

            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            sess = ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
            self._sessions[threads] = sess
        return sess

    def __call__(self, features: dict, threads: int) -> np.ndarray:
        feeds = {n: features[n].numpy().astype(np.int64, copy=False) for n in self.input_names}
        return self.session(threads).run(None, feeds)[0]

    def embed(self, st_model, texts: list[str], prompt: str | None, threads: int):
        """Sentence embeddings (a torch tensor) of one batch: ONNX transformer, then the model's own tail."""
        import torch

        with torch.inference_mode():
            features = _features(st_model, texts, prompt)
            features["token_embeddings"] = torch.from_numpy(self(features, threads))
            for module in list(st_model)[1:]:
                features = module(features)
            return features["sentence_embedding"]


def load(st_model, cache_dir: Path, weights_hash: str) -> OnnxTransformer | None:
    """The ONNX transformer for ``st_model``, exported on first use into ``cache_dir``; None when this
    model cannot run that way (then the caller keeps torch), with the reason logged."""
    first = st_model[0]
    if type(first).__name__ != "Transformer" or not hasattr(first, "auto_model"):
        log.info("ONNX Runtime not used: the first module is %s", type(first).__name__)
        return None
    names = _input_names(st_model)
    target = Path(cache_dir) / f"{weights_hash[:24]}-opset{OPSET}.onnx"
    cos = 0.0
    for attempt in range(2):  # a cached file that fails to load (truncated, corrupt) is exported again
        try:
            if not target.exists():
                log.info("exporting the embedding model to ONNX: %s", target)
                export(st_model, target)
            runner = OnnxTransformer(target, names)
            cos = _probe_cosine(st_model, runner)
            break
        except Exception as exc:  # an unusual architecture, a broken file: torch still works
            target.unlink(missing_ok=True)
            if attempt:
                log.warning("ONNX Runtime not used (%s: %s); embedding with torch", type(exc).__name__, exc)
                return None
    if cos < MIN_PROBE_COSINE:
        log.warning("ONNX Runtime not used: probe cosine %.6f to torch is below %s", cos, MIN_PROBE_COSINE)
        return None
    return runner


def _probe_cosine(st_model, runner: OnnxTransformer) -> float:
    expected = st_model.encode(
        PROBE, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False
    )
    got = runner.embed(st_model, PROBE, None, 1).numpy()
    got /= np.linalg.norm(got, axis=1, keepdims=True)
    return float((got * expected).sum(axis=1).min())
