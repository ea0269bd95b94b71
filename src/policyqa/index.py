"""The on-disk index: versioned folders, a manifest that describes them, and an atomic switch.

Layout::

    index/CURRENT              name of the live version (replaced atomically)
    index/versions/<version>/  manifest.json chunks.jsonl documents.jsonl vectors.npy dense.faiss bm25/

A build writes a hidden temporary folder, renames it into ``versions/`` and only then replaces
``CURRENT``; killing it at any moment leaves the previous version loadable.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import __version__
from .chunk import Chunk
from .errors import IndexLoadError
from .lexical import LexicalIndex
from .textnorm import search_key

FORMAT_VERSION = 1
FILES = ("chunks.jsonl", "documents.jsonl", "vectors.npy", "dense.faiss")


@dataclass
class DenseIndex:
    index: object  # faiss.Index
    exact: bool

    @classmethod
    def build(
        cls, vectors: np.ndarray, ann_threshold: int, hnsw_m: int = 32, ef_search: int = 128
    ) -> DenseIndex:
        import faiss

        dim = vectors.shape[1]
        if len(vectors) < ann_threshold:
            index = faiss.IndexFlatIP(dim)
        else:
            index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 200
            index.hnsw.efSearch = ef_search
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index, len(vectors) < ann_threshold)

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        k = min(k, self.index.ntotal)
        if k <= 0:
            return []
        scores, rows = self.index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0]) if r >= 0]


@dataclass
class IndexData:
    folder: Path
    manifest: dict
    chunks: list[Chunk]
    documents: dict[str, dict]
    vectors: np.ndarray
    dense: DenseIndex
    lexical: LexicalIndex
    keys: list[str] = field(default_factory=list)  # search keys of chunk texts, for exact matching

    @property
    def version(self) -> str:
        return self.manifest["version"]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def current_version(index_dir: Path) -> str | None:
    try:
        return (Path(index_dir) / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None


def _read_jsonl(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    except FileNotFoundError as exc:
        raise IndexLoadError(f"index file missing: {path}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IndexLoadError(f"index file corrupt: {path} ({exc})") from exc


def load_index(index_dir: Path, fingerprint: str | None = None, ef_search: int = 128) -> IndexData:
    """Load the live version; refuse one built by another model or format with a clear message."""
    import faiss

    index_dir = Path(index_dir)
    version = current_version(index_dir)
    if version is None:
        raise IndexLoadError(f"no index in {index_dir}: run `policyqa index build` first")
    folder = index_dir / "versions" / version
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IndexLoadError(f"index file missing: {manifest_path}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IndexLoadError(f"index file corrupt: {manifest_path} ({exc})") from exc
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexLoadError(
            f"index in {folder} has format version {manifest.get('format_version')}, this policyqa reads "
            f"{FORMAT_VERSION}: rebuild it with `policyqa index build --full`"
        )
    if fingerprint is not None and manifest["model"]["fingerprint"] != fingerprint:
        raise IndexLoadError(
            f"index in {folder} was built with model {manifest['model']['id']!r} "
            f"(fingerprint {manifest['model']['fingerprint']}), but the configured model has fingerprint "
            f"{fingerprint}: rebuild with `policyqa index build --full` or set POLICYQA_MODEL to the index's model"
        )
    for name in FILES:
        path = folder / name
        if not path.exists():
            raise IndexLoadError(f"index file missing: {path}")
        if sha256_file(path) != manifest["files"][name]:
            raise IndexLoadError(f"index file corrupt (checksum mismatch): {path}")
    chunks = [Chunk.from_dict(d) for d in _read_jsonl(folder / "chunks.jsonl")]
    documents = {d["doc_id"]: d for d in _read_jsonl(folder / "documents.jsonl")}
    try:
        vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        dense_index = faiss.read_index(str(folder / "dense.faiss"))
    except Exception as exc:
        raise IndexLoadError(f"index file corrupt: {exc}") from exc
    if hasattr(dense_index, "hnsw"):
        dense_index.hnsw.efSearch = ef_search
    if dense_index.ntotal != len(chunks) or len(vectors) != len(chunks):
        raise IndexLoadError(
            f"index in {folder} is inconsistent: {len(chunks)} chunks, {dense_index.ntotal} vectors"
        )
    lexical = LexicalIndex.load(folder / "bm25")
    dense = DenseIndex(dense_index, manifest["dense"]["type"] == "flat")
    return IndexData(
        folder, manifest, chunks, documents, vectors, dense, lexical, [search_key(c.text) for c in chunks]
    )


def write_version(
    index_dir: Path,
    version: str,
    manifest: dict,
    chunks: list[Chunk],
    documents: list[dict],
    vectors: np.ndarray,
    dense: DenseIndex,
    lexical: LexicalIndex,
) -> Path:
    """Write a complete version next to the live one, then switch CURRENT to it atomically."""
    import faiss

    index_dir = Path(index_dir)
    versions = index_dir / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    tmp = versions / f".tmp-{version}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as fh:
        for c in chunks:
            fh.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
    with (tmp / "documents.jsonl").open("w", encoding="utf-8") as fh:
        for d in documents:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    np.save(tmp / "vectors.npy", vectors.astype(np.float32), allow_pickle=False)
    faiss.write_index(dense.index, str(tmp / "dense.faiss"))
    lexical.save(tmp / "bm25")
    manifest = {
        **manifest,
        "version": version,
        "package_version": __version__,
        "format_version": FORMAT_VERSION,
    }
    manifest["files"] = {name: sha256_file(tmp / name) for name in FILES}
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    _fsync_tree(tmp)
    final = versions / version
    os.replace(tmp, final)
    pointer = index_dir / ".CURRENT.tmp"
    pointer.write_text(version)
    with pointer.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(pointer, index_dir / "CURRENT")
    _prune(versions, keep={version})
    return final


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())


def _prune(versions: Path, keep: set[str], retain: int = 2) -> None:
    """Keep the newest versions (a server may still be reading the previous one) and drop leftovers."""
    done = sorted(
        (p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name
    )
    for old in done[:-retain]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in versions.glob(".tmp-*"):
        if tmp.name[5:] not in keep:
            shutil.rmtree(tmp, ignore_errors=True)
