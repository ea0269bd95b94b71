"""Retrievers with one method, ``search(query, k) -> list[Hit]``: dense, lexical, and their fusion.

Fusion methods (compared with the eval harness, see eval/README.md):
- ``rrf``: reciprocal-rank fusion with equal weights;
- ``weighted_rrf``: RRF with a dense weight w and lexical weight 1-w;
- ``score``: min-max normalised scores combined with the same weights;
- ``adaptive``: weighted RRF whose lexical weight rises when the question carries exact tokens
  (document numbers, figures, dates, Latin names) that BM25 matches and embeddings blur.
Whatever the method, a question that names a document number puts the passages containing that
number first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .chunk import Chunk
from .constraints import asked_figure
from .embed import Embedder
from .index import IndexData
from .textnorm import docnum_keys

FUSIONS = ("rrf", "weighted_rrf", "score", "adaptive")
_EXACT_RE = re.compile(r"\d|[A-Za-z]{2,}|《")


@dataclass
class Hit:
    chunk: Chunk
    score: float
    rank: int = 0
    sources: dict[str, float] = field(default_factory=dict)  # per-retriever score

    def to_dict(self) -> dict:
        c = self.chunk
        return {
            "rank": self.rank,
            "score": self.score,
            "sources": self.sources,
            "chunk_id": c.chunk_id,
            "doc_id": c.doc_id,
            "title": c.title,
            "section": c.section,
            "text": c.text,
            "start": c.start,
            "end": c.end,
            "kind": c.kind,
        }


def _hits(index: IndexData, scored: list[tuple[int, float]], source: str) -> list[Hit]:
    return [
        Hit(index.chunks[row], score, rank, {source: score}) for rank, (row, score) in enumerate(scored, 1)
    ]


class DenseRetriever:
    def __init__(self, index: IndexData, embedder: Embedder):
        self.index, self.embedder = index, embedder

    def scored(self, query: str, k: int) -> list[tuple[int, float]]:
        vector = self.embedder.embed_batch([query], "query")[0]
        return self.index.dense.search(vector, k)

    def search(self, query: str, k: int) -> list[Hit]:
        return _hits(self.index, self.scored(query, k), "dense")


class LexicalRetriever:
    def __init__(self, index: IndexData):
        self.index = index

    def scored(self, query: str, k: int) -> list[tuple[int, float]]:
        return self.index.lexical.search(query, k)

    def search(self, query: str, k: int) -> list[Hit]:
        return _hits(self.index, self.scored(query, k), "bm25")


def rrf(rankings: list[list[int]], weights: list[float], k: int = 60) -> dict[int, float]:
    """Σ w_i / (k + rank_i), rank starting at 1; items missing from a ranking get nothing from it."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, row in enumerate(ranking, 1):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    return fused


def minmax_combine(runs: list[list[tuple[int, float]]], weights: list[float]) -> dict[int, float]:
    """Σ w_i · (s - min_i) / (max_i - min_i); a run with a single distinct score counts as 1 for all."""
    fused: dict[int, float] = {}
    for run, weight in zip(runs, weights):
        if not run:
            continue
        scores = np.array([s for _, s in run], dtype=np.float64)
        lo, hi = scores.min(), scores.max()
        for row, s in run:
            norm = (s - lo) / (hi - lo) if hi > lo else 1.0
            fused[row] = fused.get(row, 0.0) + weight * norm
    return fused


def favour_answer_type(
    query: str, fused: dict[int, float], keys: list[str], boost: float
) -> dict[int, float]:
    """Raise by ``boost`` (relative) the fused score of candidates that contain the kind of figure the
    question asks for: an amount for "总值多少", a document number for "文号", a percentage for "比例".
    A passage without any such figure cannot hold the answer, however close its wording."""
    asked = asked_figure(query) if boost > 0 else None
    if asked is None:
        return fused
    pattern = asked[1]
    return {row: s * (1.0 + boost) if pattern.search(keys[row]) else s for row, s in fused.items()}


def exactness(query: str) -> float:
    """Share of the question made of things embeddings blur: numbers, Latin names, titles in 《》."""
    return min(1.0, len(_EXACT_RE.findall(query)) / 4.0)


class HybridRetriever:
    def __init__(
        self,
        index: IndexData,
        embedder: Embedder,
        fusion: str = "weighted_rrf",
        dense_weight: float = 0.5,
        rrf_k: int = 60,
        candidates: int = 50,
        reranker=None,
        rerank_top: int = 20,
        answer_type_boost: float = 0.0,
    ):
        if fusion not in FUSIONS:
            raise ValueError(f"unknown fusion {fusion!r}; choose one of {', '.join(FUSIONS)}")
        self.index = index
        self.dense = DenseRetriever(index, embedder)
        self.lexical = LexicalRetriever(index)
        self.fusion, self.dense_weight, self.rrf_k = fusion, dense_weight, rrf_k
        self.candidates, self.reranker, self.rerank_top = candidates, reranker, rerank_top
        self.answer_type_boost = answer_type_boost

    def weights(self, query: str) -> list[float]:
        if self.fusion == "rrf":
            return [0.5, 0.5]
        w = self.dense_weight
        if self.fusion == "adaptive":
            w = w * (1.0 - 0.5 * exactness(query))
        return [w, 1.0 - w]

    def search(self, query: str, k: int) -> list[Hit]:
        n = max(k, self.candidates)
        dense_run = self.dense.scored(query, n)
        lexical_run = self.lexical.scored(query, n)
        weights = self.weights(query)
        if self.fusion == "score":
            fused = minmax_combine([dense_run, lexical_run], weights)
        else:
            fused = rrf([[r for r, _ in dense_run], [r for r, _ in lexical_run]], weights, self.rrf_k)
        fused = favour_answer_type(query, fused, self.index.keys, self.answer_type_boost)
        dense_scores, lexical_scores = dict(dense_run), dict(lexical_run)
        order = sorted(fused, key=lambda r: -fused[r])
        order = self._docnum_first(query, order)
        hits = []
        for rank, row in enumerate(order[: max(k, self.rerank_top if self.reranker else k)], 1):
            sources = {"fused": fused[row]}
            if row in dense_scores:
                sources["dense"] = dense_scores[row]
            if row in lexical_scores:
                sources["bm25"] = lexical_scores[row]
            hits.append(Hit(self.index.chunks[row], fused[row], rank, sources))
        if self.reranker is not None:
            hits = self.reranker.rerank(query, hits)
        return hits[:k]

    def _docnum_first(self, query: str, order: list[int]) -> list[int]:
        numbers = docnum_keys(query)
        if not numbers:
            return order
        # The fused list only holds candidates; scan every chunk so a cited number is never missed.
        matching = [row for row, key in enumerate(self.index.keys) if any(n in key for n in numbers)]
        if not matching:
            return order
        position = {row: i for i, row in enumerate(order)}
        matching.sort(key=lambda r: position.get(r, len(order)))
        chosen = set(matching)
        return matching + [r for r in order if r not in chosen]


def make_retriever(kind: str, index: IndexData, embedder: Embedder, settings, reranker=None):
    if kind == "dense":
        return DenseRetriever(index, embedder)
    if kind == "bm25":
        return LexicalRetriever(index)
    if kind == "hybrid":
        return HybridRetriever(
            index,
            embedder,
            settings.fusion,
            settings.dense_weight,
            settings.rrf_k,
            settings.candidates,
            reranker,
            settings.rerank_top,
            settings.answer_type_boost,
        )
    raise ValueError(f"unknown retriever {kind!r}; choose dense, bm25 or hybrid")
