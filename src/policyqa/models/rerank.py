"""Optional cross-encoder reranking (POLICYQA_RERANK_MODEL): off by default, as no Chinese reranker
ships offline; any sentence-transformers CrossEncoder folder or cached name works."""

from __future__ import annotations

from dataclasses import replace

from ..errors import ModelError


class CrossEncoderReranker:
    def __init__(self, name_or_path: str, device: str = "cpu"):
        from sentence_transformers import CrossEncoder

        try:
            self.model = CrossEncoder(name_or_path, device=device, local_files_only=True)
        except Exception as exc:
            raise ModelError(f"cannot load reranker {name_or_path!r}: {exc}") from exc

    def rerank(self, query: str, hits: list) -> list:
        if not hits:
            return hits
        scores = self.model.predict([(query, h.chunk.context) for h in hits], show_progress_bar=False)
        order = sorted(range(len(hits)), key=lambda i: -float(scores[i]))
        return [
            replace(
                hits[i],
                score=float(scores[i]),
                rank=rank,
                sources={**hits[i].sources, "rerank": float(scores[i])},
            )
            for rank, i in enumerate(order, 1)
        ]
