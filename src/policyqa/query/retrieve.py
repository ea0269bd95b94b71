"""Retrievers with one method, ``search(analysis, k) -> list[Hit]``: dense, lexical, and their fusion.

Fusion itself is ``fusion.fuse`` (eval/README.md compares the methods). After fusion, candidates that hold
the kind of figure the question asks for are raised, and a question that names a document number puts
the passages containing that number first, whatever the fusion.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..corpus.chunk import Chunk
from ..index.store import IndexData
from ..models.embed import Embedder
from ..settings import RETRIEVERS, Settings
from ..text.normalize import with_term_forms
from ..text.segment import defines
from . import fusion
from .analysis import QueryAnalysis


@dataclass
class Hit:
    chunk: Chunk
    score: float
    rank: int = 0
    sources: dict[str, float] = field(default_factory=dict)  # per-retriever score
    row: int | None = None  # the chunk's row in the index (for per-row scope strengths)

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


def _rows(analysis: QueryAnalysis):
    return analysis.scope.rows if analysis.scope is not None else None


def _hits(index: IndexData, scored: fusion.Run, source: str) -> list[Hit]:
    return [
        Hit(index.chunks[row], score, rank, {source: score}, row)
        for rank, (row, score) in enumerate(scored, 1)
    ]


class DenseRetriever:
    def __init__(self, index: IndexData, embedder: Embedder):
        self.index, self.embedder = index, embedder

    def scored(self, analysis: QueryAnalysis, k: int) -> fusion.Run:
        if analysis.scope is not None and analysis.scope.empty:
            return []
        vector = analysis.embedded(self.embedder, [analysis.unnamed])[0]
        return self.index.dense.search(vector, k, _rows(analysis))

    def search(self, analysis: QueryAnalysis, k: int) -> list[Hit]:
        return _hits(self.index, self.scored(analysis, k), "dense")


class LexicalRetriever:
    def __init__(self, index: IndexData):
        self.index = index

    def scored(self, analysis: QueryAnalysis, k: int) -> fusion.Run:
        if analysis.scope is not None and analysis.scope.empty:
            return []
        query = with_term_forms(analysis.text, tuple(analysis.terms))
        return self.index.lexical.search(query, k, _rows(analysis))

    def search(self, analysis: QueryAnalysis, k: int) -> list[Hit]:
        return _hits(self.index, self.scored(analysis, k), "bm25")


def docnum_first(analysis: QueryAnalysis, order: list[int], keys: list[str]) -> list[int]:
    """Passages that contain a document number the question names, ahead of the fused order."""
    if not analysis.docnums:
        return order
    # The fused list only holds candidates; scan every chunk (in scope) so a cited number is never missed.
    rows = _rows(analysis)
    candidates = range(len(keys)) if rows is None else rows
    matching = [int(row) for row in candidates if any(n in keys[row] for n in analysis.docnums)]
    if not matching:
        return order
    position = {row: i for i, row in enumerate(order)}
    matching.sort(key=lambda r: position.get(r, len(order)))
    chosen = set(matching)
    return matching + [r for r in order if r not in chosen]


class HybridRetriever:
    def __init__(
        self,
        index: IndexData,
        embedder: Embedder,
        *,
        fusion: str,
        dense_weight: float,
        rrf_k: int,
        candidates: int,
        answer_type_boost: float,
        scope_boost: float = 0.0,
        reranker=None,
        rerank_top: int = 20,
    ):
        self.index = index
        self.dense = DenseRetriever(index, embedder)
        self.lexical = LexicalRetriever(index)
        self.fusion, self.dense_weight, self.rrf_k = fusion, dense_weight, rrf_k
        self.candidates, self.reranker, self.rerank_top = candidates, reranker, rerank_top
        self.answer_type_boost, self.scope_boost = answer_type_boost, scope_boost

    def fused(
        self, analysis: QueryAnalysis, dense_run: fusion.Run, lexical_run: fusion.Run
    ) -> tuple[list[int], dict[int, float]]:
        """Rows in fused order; the pure part of ``search`` that the sweeps reuse on stored runs."""
        scores = fusion.fuse(
            dense_run, lexical_run, self.fusion, self.dense_weight, analysis.exactness, self.rrf_k
        )
        if analysis.figure is not None:
            # A passage without any figure of the asked kind cannot hold the answer, however close its wording.
            keys, shows = self.index.keys, analysis.figure.shows
            scores = fusion.raise_matching(
                scores, lambda row: bool(shows.search(keys[row])), self.answer_type_boost
            )
        if analysis.meaning:
            # Asked what a term means, the passage that defines it ("本法所称X，是指…") before those using it.
            keys, rows = self.index.keys, _rows(analysis)
            # Within the documents the question names, their definition of the term comes first:
            # "农业技术推广法怎么定义农业技术推广？" shares its words with every passage of that law, and
            # neither search need rank 第二条 near the top, or among its candidates at all.
            looked_at = set(scores) if rows is None else set(scores) | {int(r) for r in rows}
            defining = {row for row in looked_at if defines(keys[row], analysis.meaning)}
            if rows is not None and scores:
                scores = {**scores, **dict.fromkeys(defining, max(scores.values()))}
            scores = fusion.raise_matching(scores, defining.__contains__, self.answer_type_boost)
        scope = analysis.scope
        if scope is not None and self.scope_boost > 0:
            # The year's own report before another that mentions the year; a named issuer's documents first.
            strength, issuers, chunks = scope.strength, scope.issuer_docs, self.index.chunks
            scores = {
                row: s * (1.0 + self.scope_boost * (
                    (strength[row] if strength is not None else 0.0) + issuers.get(chunks[row].doc_id, 0.0)
                ))
                for row, s in scores.items()
            }  # fmt: skip
        return docnum_first(analysis, fusion.order(scores), self.index.keys), scores

    def search(self, analysis: QueryAnalysis, k: int) -> list[Hit]:
        n = max(k, self.candidates)
        dense_run = self.dense.scored(analysis, n)
        lexical_run = self.lexical.scored(analysis, n)
        order, scores = self.fused(analysis, dense_run, lexical_run)
        dense_scores, lexical_scores = dict(dense_run), dict(lexical_run)
        hits = []
        for rank, row in enumerate(order[: max(k, self.rerank_top if self.reranker else k)], 1):
            sources = {"fused": scores[row]}
            if row in dense_scores:
                sources["dense"] = dense_scores[row]
            if row in lexical_scores:
                sources["bm25"] = lexical_scores[row]
            hits.append(Hit(self.index.chunks[row], scores[row], rank, sources, row))
        if self.reranker is not None:
            hits = self.reranker.rerank(analysis.text, hits)
        return hits[:k]


def make_retrievers(index: IndexData, embedder: Embedder, settings: Settings, reranker=None) -> dict:
    """One retriever of each name in ``settings.RETRIEVERS``, configured from ``settings``."""
    made = {
        "dense": DenseRetriever(index, embedder),
        "bm25": LexicalRetriever(index),
        "hybrid": HybridRetriever(
            index,
            embedder,
            fusion=settings.fusion,
            dense_weight=settings.dense_weight,
            rrf_k=settings.rrf_k,
            candidates=settings.candidates,
            answer_type_boost=settings.answer_type_boost,
            scope_boost=settings.scope_boost,
            reranker=reranker,
            rerank_top=settings.rerank_top,
        ),
    }
    assert set(made) == set(RETRIEVERS)
    return made
