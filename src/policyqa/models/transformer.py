"""The real embedder: a sentence-transformers model, its question and passage prompts, a cache of recent
vectors for query-time calls, and ONNX Runtime for questions where it is faster than torch.

``load_embedder`` (embed.py) finds the model folder and builds one.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..settings import Settings

RECENT_BATCH = 16  # calls up to this size go through the cache of recent vectors (builds send more)

# Query/passage prompts of well-known retrieval models whose folders do not declare them.
KNOWN_PROMPTS = {
    "BAAI/bge-small-zh-v1.5": ("为这个句子生成表示以用于检索相关文章：", ""),
    "BAAI/bge-base-zh-v1.5": ("为这个句子生成表示以用于检索相关文章：", ""),
    "BAAI/bge-large-zh-v1.5": ("为这个句子生成表示以用于检索相关文章：", ""),
    "intfloat/multilingual-e5-small": ("query: ", "passage: "),
    "intfloat/multilingual-e5-base": ("query: ", "passage: "),
    "intfloat/multilingual-e5-large": ("query: ", "passage: "),
}


class SentenceTransformerEmbedder:
    def __init__(self, model_id: str, path_or_name: str, weights_hash: str, settings: Settings):
        from sentence_transformers import SentenceTransformer

        try:
            self.model = SentenceTransformer(
                path_or_name, device=settings.device, local_files_only=not Path(path_or_name).exists()
            )
        except Exception as exc:  # hub errors, missing files, bad configs: all mean "unusable model"
            raise ModelError(
                f"cannot load embedding model {model_id!r}: {exc}. Give a local sentence-transformers folder "
                f"or a model name already in the Hugging Face cache (model hubs are not reachable here)."
            ) from exc
        known = KNOWN_PROMPTS.get(model_id, (None, None))
        prompts = self.model.prompts or {}
        self.query_prompt = (
            settings.query_prompt
            if settings.query_prompt is not None
            else prompts.get("query", known[0] or "")
        )
        passage = prompts.get("passage", prompts.get("document", known[1] or ""))
        self.passage_prompt = settings.passage_prompt if settings.passage_prompt is not None else passage
        self.batch_size = settings.embed_batch_size
        self.model_id = model_id
        dim_of = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        self.dim = int(dim_of())
        prompt_key = f"{self.query_prompt}\x1f{self.passage_prompt}"
        self.fingerprint = hashlib.sha256(
            f"{model_id}\x1f{weights_hash}\x1f{prompt_key}".encode()
        ).hexdigest()[:16]
        self.weights_hash = weights_hash
        self._recent: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.cache_size = settings.embed_cache
        self.threads: int | None = None  # None: one per core (builds); serving sets one per query
        self.onnx = self._load_onnx(settings)
        self._torch_released = False

    @property
    def backend(self) -> str:
        return "onnx" if self.onnx else "torch"

    @property
    def batch_backend(self) -> str:
        """What embeds build-sized batches: torch, unless serving_only() freed it."""
        return "onnx" if self._torch_released else "torch"

    def use_threads(self, threads: int | None) -> None:
        import torch

        self.threads = threads
        if threads:
            # Measured (bench/RESULTS.md): with torch's default of one thread per core, concurrent
            # requests or a build next door make OpenMP threads spin against each other and a query
            # embedding takes ~1 s instead of ~50 ms. ONNX Runtime gets the same count per call.
            torch.set_num_threads(threads)

    def serving_only(self) -> None:
        """When ONNX Runtime carries the model, free the torch copy of the transformer's weights (~470 MB
        for the default model); every call then goes through ONNX Runtime. ``self.model`` can no longer
        encode or be saved afterwards."""
        if self.onnx is not None and not self._torch_released:
            self.model[0].auto_model.to("meta")  # parameters without storage
            self._torch_released = True
            _return_freed_memory()

    def _load_onnx(self, settings: Settings):
        if settings.backend == "torch" or settings.device != "cpu":
            return None
        from . import onnx as onnxrt

        if not onnxrt.available():
            if settings.backend == "onnx":
                raise ModelError("POLICYQA_BACKEND=onnx needs onnxruntime: pip install onnxruntime")
            return None
        runner = onnxrt.load(self.model, Path(settings.model_dir) / "onnx", self.weights_hash)
        if runner is None and settings.backend == "onnx":
            raise ModelError(
                f"model {self.model_id!r} cannot run in ONNX Runtime (see the log); use POLICYQA_BACKEND=torch"
            )
        return runner

    def embed_batch(self, texts: list[str], kind: str = "passage") -> np.ndarray:
        # Query-time calls are small and repeat: a question is embedded by retrieval and again by the
        # answerer, and the sentences an answer may quote recur across questions about the same passages.
        if len(texts) > RECENT_BATCH:
            return self._encode(texts, kind)
        keys = [(kind, t) for t in texts]
        with self._lock:
            known = {k: v for k in keys if (v := self._recent.get(k)) is not None}
        todo = list(dict.fromkeys(k for k in keys if k not in known))
        if todo:
            fresh = self._encode([t for _, t in todo], kind)
            known.update(zip(todo, fresh))
            with self._lock:
                for k in todo:
                    self._recent[k] = known[k]
                while len(self._recent) > self.cache_size:
                    self._recent.popitem(last=False)
        return np.stack([known[k] for k in keys]).astype(np.float32, copy=True)

    def forget(self) -> None:
        """Empty the cache of recent vectors (benchmarks time cold queries)."""
        with self._lock:
            self._recent.clear()

    def _encode(self, texts: list[str], kind: str) -> np.ndarray:
        prompt = self.query_prompt if kind == "query" else self.passage_prompt
        if self.onnx is not None and (len(texts) <= RECENT_BATCH or self._torch_released):
            # Measured: ONNX Runtime halves the time of a question (~20 vs ~45 ms) but is no faster than
            # torch on build-sized batches (21.6 vs 22.6 chunks/s), where a second session would cost memory.
            return self._encode_onnx(list(texts), prompt or None)
        vectors = self.model.encode(
            list(texts),
            prompt=prompt or None,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def _encode_onnx(self, texts: list[str], prompt: str | None) -> np.ndarray:
        threads = self.threads or os.cpu_count() or 1
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        # Longest first, as sentence-transformers does: batches of similar length waste little on padding.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            vectors = self.onnx.embed(self.model, [texts[i] for i in rows], prompt, threads).numpy()
            out[rows] = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return out


def _return_freed_memory() -> None:
    """glibc keeps freed heap pages; hand them back so the process's RSS shows the saving (~260 MB)."""
    import contextlib
    import ctypes
    import ctypes.util

    with contextlib.suppress(OSError, AttributeError):  # not glibc (macOS, musl): nothing to do
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
