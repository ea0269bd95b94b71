"""Index stores behind one interface (``base.Store``), chosen by ``POLICYQA_STORE``.

``local`` (the default): versioned FAISS + bm25s folders in ``POLICYQA_INDEX_DIR``, one process per
folder. ``milvus``: one collection per version behind an alias in Milvus Lite, Standalone or
Distributed, shared by any number of ``policyqa serve`` replicas (docs/milvus.md). ``pymilvus`` is
imported only when the Milvus store is chosen, so the default install does not need it.
"""

from __future__ import annotations

from pathlib import Path

from .base import DenseSearch, IndexData, LexicalSearch, Previous, Store

__all__ = ["DenseSearch", "IndexData", "LexicalSearch", "Previous", "Store", "open_store"]


def open_store(settings, index_dir: Path | None = None) -> Store:
    """The store ``settings.store`` names; ``index_dir`` overrides the settings' folder (CLI --index)."""
    if settings.store == "milvus":
        from .milvus import MilvusStore

        return MilvusStore(settings, index_dir)
    from .local import LocalStore

    return LocalStore(Path(index_dir or settings.index_dir))
