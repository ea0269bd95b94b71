"""The default store: versioned FAISS + bm25s folders on local disk (``index/store.py``), behind ``Store``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ...corpus.chunk import Chunk
from ...errors import IndexLoadError
from ..lexical import LexicalIndex
from ..manifest import read_manifest, sha256_file
from ..store import DenseIndex, current_version, load_index, prune, version_folder, write_version
from .base import IndexData, Previous, text_hash


class LocalStore:
    kind = "local"

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)

    def where(self) -> str:
        return str(self.index_dir)

    def current_version(self) -> str | None:
        return current_version(self.index_dir)

    def load(self, fingerprint: str | None = None, ef_search: int = 128) -> IndexData:
        return load_index(self.index_dir, fingerprint, ef_search)

    def previous(self, fingerprint: str) -> Previous:
        """The live version's vectors (memory-mapped, checksummed) when the same model made them.

        A missing or damaged live version is no error here: the rebuild embeds what it cannot reuse."""
        try:
            version = current_version(self.index_dir)
            if version is None:
                return Previous()
            folder = self.index_dir / "versions" / version
            manifest = read_manifest(folder)
            if manifest["model"]["fingerprint"] != fingerprint:
                return Previous(
                    manifest, note="the live index was made by another model: every chunk is embedded"
                )
            damaged = [
                name for name, digest in manifest["files"].items()
                if not (folder / name).is_file() or sha256_file(folder / name) != digest
            ]  # fmt: skip
            if {"chunks.jsonl", "vectors.npy"} & set(damaged):
                raise IndexLoadError(f"{folder} has damaged files: {', '.join(damaged)}")
            with (folder / "chunks.jsonl").open(encoding="utf-8") as fh:
                contexts = [Chunk.from_dict(json.loads(line)).context for line in fh if line.strip()]
            vectors = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
            if vectors.shape[0] != len(contexts):
                raise IndexLoadError(f"{folder} holds {len(contexts)} chunks but {vectors.shape[0]} vectors")
        except (IndexLoadError, OSError, ValueError, KeyError, TypeError) as exc:
            return Previous(note=f"the live index cannot be reused ({exc}); building from scratch")
        note = f"damaged files in the live index are rewritten: {', '.join(damaged)}" if damaged else None
        rows = {text_hash(t): i for i, t in enumerate(contexts)}
        return Previous(manifest, rows, vectors, note, not damaged)

    def write(self, version, manifest, chunks, documents, vectors, settings) -> None:
        dense = DenseIndex.build(vectors, settings.ann_threshold, settings.hnsw_m, settings.hnsw_ef_search)
        lexical = LexicalIndex.build([c.lexical_context for c in chunks], manifest["analyzer"])
        write_version(self.index_dir, version, manifest, chunks, documents, vectors, dense, lexical)

    def keep(self, version: str) -> None:
        prune(self.index_dir / "versions", keep={version})

    def info(self) -> tuple[dict, list[dict]]:
        folder = version_folder(self.index_dir)
        manifest = read_manifest(folder)
        try:
            with (folder / "documents.jsonl").open(encoding="utf-8") as fh:
                documents = [json.loads(line) for line in fh if line.strip()]
        except (OSError, ValueError) as exc:
            raise IndexLoadError(f"index file unreadable: {folder / 'documents.jsonl'} ({exc})") from None
        return manifest, documents
