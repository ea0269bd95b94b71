"""The query side in one object: a loaded index version, its retrievers and the answerer.

An Engine is immutable once made; the service swaps whole engines when a new index version lands,
so a request that started on the old one finishes on it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .answer import Answer, Answerer
from .embed import Embedder, load_embedder
from .errors import InputError, NotFoundError
from .index import IndexData, current_version, load_index
from .retrieve import Hit, make_retriever
from .settings import Settings

RETRIEVERS = ("hybrid", "dense", "bm25")


def load_reranker(settings: Settings):
    if not settings.rerank_model:
        return None
    from .rerank import CrossEncoderReranker

    return CrossEncoderReranker(settings.rerank_model, settings.device)


@dataclass
class Engine:
    settings: Settings
    embedder: Embedder
    index: IndexData

    def __post_init__(self):
        reranker = load_reranker(self.settings)
        self.retrievers = {
            kind: make_retriever(kind, self.index, self.embedder, self.settings, reranker)
            for kind in RETRIEVERS
        }
        self.answerer = Answerer(self.retrievers["hybrid"], self.index, self.embedder, self.settings)

    @classmethod
    def load(cls, settings: Settings, embedder: Embedder | None = None) -> Engine:
        if settings.query_threads:
            import torch

            # Measured (bench/RESULTS.md): with torch's default of one thread per core, concurrent
            # requests or a build next door make OpenMP threads spin against each other and a query
            # embedding takes ~1 s instead of ~50 ms. Query-time work is small: one thread each.
            torch.set_num_threads(settings.query_threads)
        embedder = embedder or load_embedder(settings)
        if settings.query_threads and hasattr(embedder, "threads"):
            embedder.threads = settings.query_threads  # the same reasoning for ONNX Runtime's threads
        index = load_index(settings.index_dir, embedder.fingerprint, settings.hnsw_ef_search)
        return cls(settings, embedder, index)

    @property
    def version(self) -> str:
        return self.index.version

    def check_question(self, text: str) -> str:
        text = (text or "").strip()
        if not text:
            raise InputError("问题不能为空 (the question is empty)")
        if len(text) > self.settings.max_question_chars:
            raise InputError(
                f"问题过长：{len(text)} 字，上限 {self.settings.max_question_chars} 字 "
                f"(question too long: {len(text)} > {self.settings.max_question_chars} characters)"
            )
        return text

    def check_k(self, k: int | None) -> int:
        k = self.settings.top_k if k is None else k
        if not 1 <= k <= self.settings.max_k:
            raise InputError(
                f"k 必须在 1 到 {self.settings.max_k} 之间 (k must be between 1 and {self.settings.max_k})"
            )
        return k

    def search(self, query: str, k: int | None = None, retriever: str = "hybrid") -> list[Hit]:
        if retriever not in self.retrievers:
            raise InputError(f"unknown retriever {retriever!r}; choose one of {', '.join(RETRIEVERS)}")
        return self.retrievers[retriever].search(self.check_question(query), self.check_k(k))

    def ask(self, question: str, history: list | None = None, k: int | None = None) -> Answer:
        return self.answerer.ask(self.check_question(question), history or [], self.check_k(k))

    def document(self, doc_id: str) -> dict:
        try:
            return self.index.documents[doc_id]
        except KeyError:
            raise NotFoundError(f"文档不存在 (no document with id {doc_id!r})") from None


class EngineHolder:
    """Holds the live engine and replaces it when index/CURRENT names a new version."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self._embedder = embedder
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self.last_error: str | None = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            embedder = load_embedder(self.settings)
            if hasattr(embedder, "release_torch"):
                embedder.release_torch()  # its own embedder, in a serving process: only questions come
            self._embedder = embedder
        return self._embedder

    def get(self) -> Engine:
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = Engine.load(self.settings, self.embedder)
                engine = self._engine
        return engine

    def refresh(self) -> bool:
        """Load the version CURRENT names if it differs from the live one; True when swapped."""
        version = current_version(self.settings.index_dir)
        if version is None or (self._engine is not None and self._engine.version == version):
            return False
        try:
            fresh = Engine.load(self.settings, self.embedder)
        except Exception as exc:  # a bad new version must not take the running service down
            self.last_error = str(exc)
            return False
        self._engine = fresh  # a single reference assignment: in-flight requests keep the old engine
        self.last_error = None
        return True
