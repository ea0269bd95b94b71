"""What retrieval and builds need from an index store, whichever store holds the index.

The query side makes exactly these calls on a loaded ``IndexData``: ``dense.search(vector, k, allowed)``,
``lexical.search(text, k, allowed)``, and ``lexical.num_docs`` / ``lexical.doc_freq(term)`` for term
weights. Rows are positions in ``IndexData.chunks``; ``allowed`` is a numpy array of rows (the question's
scope and the caller's filters) or None for every row. Both stores honour these shapes, so the query
package never asks which store it talks to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from ...corpus.chunk import Chunk

Run = list[tuple[int, float]]  # (row, score), best first


def text_hash(text: str) -> str:
    """The key a passage's vector is reused under: the hash of exactly what was embedded."""
    return hashlib.sha1(text.encode()).hexdigest()


class DenseSearch(Protocol):
    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> Run:
        """Top ``k`` rows by inner product with ``query``, only among ``allowed`` rows when given."""
        ...


class LexicalSearch(Protocol):
    analyzer: str

    @property
    def num_docs(self) -> int: ...

    def doc_freq(self, term: str) -> int:
        """Chunks containing the analyzer token ``term``."""
        ...

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> Run:
        """Top ``k`` rows by BM25, only rows with a positive score, among ``allowed`` when given."""
        ...


@dataclass
class IndexData:
    folder: Path | None  # the local store's version folder; None where the index lives in a server
    manifest: dict
    chunks: list[Chunk]
    documents: dict[str, dict]
    dense: DenseSearch
    lexical: LexicalSearch
    keys: list[str] = field(default_factory=list)  # search keys of chunk texts, for exact matching

    @property
    def version(self) -> str:
        return self.manifest["version"]


@dataclass
class Previous:
    """What the live version offers a rebuild: its manifest and its vectors by text hash."""

    manifest: dict = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    vectors: np.ndarray | None = None
    note: str | None = None
    intact: bool = False  # complete and undamaged: a rebuild with nothing new may keep it


class Store(Protocol):
    """An index store: where versions are written, which one is live, and how one is loaded."""

    kind: str

    def where(self) -> str:
        """Where the index lives, for messages (a folder, or a Milvus URI and alias; never a secret)."""
        ...

    def current_version(self) -> str | None:
        """The live version's name; None when nothing was built yet. Cheap: replicas poll it."""
        ...

    def load(self, fingerprint: str | None = None, ef_search: int = 128) -> IndexData:
        """The live version, refused (IndexLoadError) when another model or analyzer made it."""
        ...

    def previous(self, fingerprint: str) -> Previous:
        """The live version's manifest and, when ``fingerprint``'s model made it, its vectors by text hash."""
        ...

    def write(
        self,
        version: str,
        manifest: dict,
        chunks: list[Chunk],
        documents: list[dict],
        vectors: np.ndarray,
        settings,
    ) -> None:
        """Write a complete version, then make it live atomically; the live one is untouched on failure."""
        ...

    def keep(self, version: str) -> None:
        """Nothing changed: ``version`` stays live; drop what earlier builds left behind."""
        ...

    def info(self) -> tuple[dict, list[dict]]:
        """The live version's manifest and its document records (with metadata)."""
        ...
