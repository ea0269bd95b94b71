"""The on-disk index: versioned folders, a manifest that describes them, and an atomic switch.

Layout::

    index/CURRENT              name of the live version (replaced atomically)
    index/versions/<version>/  manifest.json chunks.jsonl documents.jsonl vectors.npy dense.faiss bm25/

A build writes a hidden temporary folder, renames it into ``versions/`` and only then replaces
``CURRENT``; killing it at any moment leaves the previous version loadable, and a failed write removes
its temporary folder. The manifest (manifest.py) names the model (with where its cosines lie), the
chunking, the analyzer and a checksum of every file; loading refuses anything that does not match, with
one line that says what is wrong and how to repair it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..corpus.chunk import Chunk
from ..errors import IndexLoadError, PolicyQAError
from ..text.normalize import search_key
from .backends.base import IndexData
from .lexical import LexicalIndex
from .manifest import (
    DATA_FILES,
    REPAIR,
    check_analyzer,
    check_model,
    read_manifest,
    verify_files,
    write_manifest,
)

_VERSION_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


class IndexWriteError(PolicyQAError):
    """The index could not be written (disk full, permissions); the live version is untouched."""


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

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top ``k`` rows by inner product, only among ``allowed`` rows when given."""
        import faiss

        k = min(k, self.index.ntotal if allowed is None else len(allowed))
        if k <= 0:
            return []
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            if self.exact:
                params = faiss.SearchParameters(sel=selector)
            else:
                params = faiss.SearchParametersHNSW(
                    sel=selector, efSearch=max(self.index.hnsw.efSearch, 2 * k)
                )
        x = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        scores, rows = self.index.search(x, k, params=params)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0]) if r >= 0]


def current_version(index_dir: Path) -> str | None:
    """The live version's name, None when there is no index yet; a damaged CURRENT is an IndexLoadError."""
    path = Path(index_dir) / "CURRENT"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:  # a folder, no permission …
        raise IndexLoadError(f"{path} cannot be read ({exc.strerror or exc}): {REPAIR}") from None
    try:
        name = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise IndexLoadError(f"{path} is not UTF-8 text: {REPAIR}") from None
    if not name:
        return None
    if not _VERSION_NAME.match(name):
        raise IndexLoadError(f"{path} does not name a version ({name[:40]!r}): {REPAIR}")
    return name


def version_folder(index_dir: Path) -> Path:
    version = current_version(index_dir)
    if version is None:
        raise IndexLoadError(f"no index in {index_dir}: run `policyqa index build` first")
    return Path(index_dir) / "versions" / version


def _read_jsonl(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    except FileNotFoundError as exc:
        raise IndexLoadError(f"index file missing: {path}: {REPAIR}") from exc
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IndexLoadError(f"index file corrupt: {path} ({exc}): {REPAIR}") from exc


def load_index(index_dir: Path, fingerprint: str | None = None, ef_search: int = 128) -> IndexData:
    """Load the live version; refuse one built by another model or format with a clear message."""
    import faiss

    folder = version_folder(index_dir)
    manifest = read_manifest(folder)
    check_model(manifest, str(folder), fingerprint)
    verify_files(folder, manifest["files"])
    chunks = [Chunk.from_dict(d) for d in _read_jsonl(folder / "chunks.jsonl")]
    documents = {d["doc_id"]: d for d in _read_jsonl(folder / "documents.jsonl")}
    try:
        dense_index = faiss.read_index(str(folder / "dense.faiss"))
    except Exception as exc:  # faiss raises RuntimeError with a C++ message
        raise IndexLoadError(f"index file corrupt: {folder / 'dense.faiss'} ({exc}): {REPAIR}") from exc
    if hasattr(dense_index, "hnsw"):  # faiss index types differ by class; HNSW has its search depth
        dense_index.hnsw.efSearch = ef_search
    lexical = LexicalIndex.load(folder / "bm25")
    if dense_index.ntotal != len(chunks) or lexical.num_docs != len(chunks):
        raise IndexLoadError(
            f"index in {folder} is inconsistent: {len(chunks)} chunks, {dense_index.ntotal} vectors, "
            f"{lexical.num_docs} BM25 documents: {REPAIR}"
        )
    if lexical.analyzer != manifest["analyzer"]:
        raise IndexLoadError(f"BM25 analyzer in {folder} differs from the manifest's: {REPAIR}")
    check_analyzer(manifest, str(folder))
    dense = DenseIndex(dense_index, manifest["dense"]["type"] == "flat")
    return IndexData(
        folder, manifest, chunks, documents, dense, lexical, [search_key(c.text) for c in chunks]
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
    index_dir = Path(index_dir)
    versions = index_dir / "versions"
    tmp = versions / f".tmp-{version}"
    try:
        versions.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        _write_files(tmp, version, manifest, chunks, documents, vectors, dense, lexical)
        final = versions / version
        os.replace(tmp, final)
        _point_current(index_dir, version)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise IndexWriteError(
            f"cannot write the index in {index_dir} ({exc.strerror or exc}); the live version is unchanged"
        ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    prune(versions, keep={version})
    return final


def _write_files(tmp: Path, version, manifest, chunks, documents, vectors, dense, lexical) -> None:
    import faiss

    with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as fh:
        for c in chunks:
            fh.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
    with (tmp / "documents.jsonl").open("w", encoding="utf-8") as fh:
        for d in documents:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    np.save(tmp / "vectors.npy", vectors.astype(np.float32), allow_pickle=False)
    faiss.write_index(dense.index, str(tmp / "dense.faiss"))
    lexical.save(tmp / "bm25")
    names = [
        *DATA_FILES,
        *sorted(p.relative_to(tmp).as_posix() for p in (tmp / "bm25").rglob("*") if p.is_file()),
    ]
    write_manifest(tmp, manifest, version, names)
    for path in tmp.rglob("*"):
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())


def _point_current(index_dir: Path, version: str) -> None:
    current = index_dir / "CURRENT"
    if current.is_dir() and not current.is_symlink():  # a damaged pointer must not block the repair
        shutil.rmtree(current)
    pointer = index_dir / ".CURRENT.tmp"
    pointer.write_text(version)
    with pointer.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(pointer, current)


def prune(versions: Path, keep: set[str], retain: int = 2) -> None:
    """Keep the newest versions (a server may still be reading the previous one) and drop leftovers."""
    if not versions.is_dir():
        return
    done = sorted(
        (p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name
    )
    for old in done[:-retain]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in versions.glob(".tmp-*"):
        if tmp.name[5:] not in keep:
            shutil.rmtree(tmp, ignore_errors=True)
