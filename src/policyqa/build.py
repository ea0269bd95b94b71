"""Build (or incrementally rebuild) the index from a corpus folder.

Vectors are cached by (model fingerprint, hash of the embedded text): an unchanged chunk of an
unchanged document is never embedded twice; an edited document only re-embeds its own chunks.
"""

from __future__ import annotations

import fcntl
import hashlib
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .chunk import chunk_corpus
from .embed import Embedder
from .errors import IndexLoadError, PolicyQAError
from .index import DenseIndex, current_version, load_index, write_version
from .ingest import Problem, load_corpus
from .lexical import LexicalIndex
from .settings import Settings


@dataclass
class BuildReport:
    version: str
    documents: int
    chunks: int
    embedded: int
    reused: int
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


@contextmanager
def build_lock(index_dir: Path):
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".build.lock").open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise PolicyQAError(f"another index build is running in {index_dir}") from exc
        yield


def _previous(index_dir: Path, fingerprint: str) -> tuple[dict[str, np.ndarray], dict]:
    """Vectors of the live version by text hash, when it was made by the same model."""
    if current_version(index_dir) is None:
        return {}, {}
    try:
        old = load_index(index_dir, fingerprint)
    except IndexLoadError:
        return {}, {}
    cache = {text_hash(c.context): old.vectors[i] for i, c in enumerate(old.chunks)}
    return cache, old.manifest.get("documents", {})


def _embed(embedder: Embedder, texts: list[str], batch: int, progress: bool) -> np.ndarray:
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    bar = None
    if progress and texts:
        from tqdm import tqdm

        bar = tqdm(total=len(texts), unit="chunk", desc="embedding", smoothing=0.1)
    # Sorting by length keeps padding low inside each batch; results go back to their own rows.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    step = max(batch * 8, 64)
    for lo in range(0, len(order), step):
        rows = order[lo : lo + step]
        out[rows] = embedder.embed_batch([texts[i] for i in rows], "passage")
        if bar:
            bar.update(len(rows))
    if bar:
        bar.close()
    return out


def build_index(
    settings: Settings,
    embedder: Embedder,
    corpus_dir: Path | None = None,
    index_dir: Path | None = None,
    full: bool = False,
    progress: bool = False,
) -> BuildReport:
    started = time.perf_counter()
    corpus_dir = Path(corpus_dir or settings.corpus_dir)
    index_dir = Path(index_dir or settings.index_dir)
    with build_lock(index_dir):
        corpus = load_corpus(corpus_dir)
        if not corpus.documents:
            reasons = "; ".join(f"{p.source}: {p.reason}" for p in corpus.problems) or "no files"
            raise PolicyQAError(f"no readable documents in {corpus_dir} ({reasons})")
        chunks = chunk_corpus(corpus.documents, settings.chunk_size, settings.chunk_overlap)
        cache, old_docs = ({}, {}) if full else _previous(index_dir, embedder.fingerprint)

        contexts = [c.context for c in chunks]
        hashes = [text_hash(t) for t in contexts]
        missing = [i for i, h in enumerate(hashes) if h not in cache]
        t0 = time.perf_counter()
        fresh = _embed(embedder, [contexts[i] for i in missing], settings.embed_batch_size, progress)
        embed_seconds = time.perf_counter() - t0
        vectors = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
        for row, i in enumerate(missing):
            vectors[i] = fresh[row]
        for i, h in enumerate(hashes):
            if h in cache:
                vectors[i] = cache[h]

        dense = DenseIndex.build(vectors, settings.ann_threshold, settings.hnsw_m, settings.hnsw_ef_search)
        lexical = LexicalIndex.build(contexts, settings.analyzer)
        doc_hashes = {d.doc_id: d.content_hash for d in corpus.documents}
        version = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        manifest = {
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "model": {
                "id": embedder.model_id,
                "fingerprint": embedder.fingerprint,
                "weights_sha256": getattr(embedder, "weights_hash", None),
                "dimension": embedder.dim,
                "query_prompt": getattr(embedder, "query_prompt", None),
                "passage_prompt": getattr(embedder, "passage_prompt", None),
            },
            "chunking": {
                "size": settings.chunk_size,
                "overlap": settings.chunk_overlap,
                "splitter": "langchain-recursive-zh",
            },
            "analyzer": settings.analyzer,
            "dense": {
                "type": "flat" if dense.exact else "hnsw",
                "metric": "inner_product",
                "hnsw_m": settings.hnsw_m,
            },
            "corpus": {
                "path": str(corpus_dir),
                "hash": text_hash("".join(sorted(doc_hashes.values()))),
                "documents": len(corpus.documents),
                "chunks": len(chunks),
            },
            "documents": doc_hashes,
        }
        documents = [
            {
                "doc_id": d.doc_id,
                "title": d.title,
                "source": d.source,
                "text": d.text,
                "metadata": d.metadata,
                "sections": [
                    {
                        "kind": b.kind,
                        "text": b.text,
                        "section": list(b.section),
                        "start": b.start,
                        "end": b.end,
                    }
                    for b in d.blocks
                    if b.kind in ("title", "heading")
                ],
            }
            for d in corpus.documents
        ]
        write_version(index_dir, version, manifest, chunks, documents, vectors, dense, lexical)

    return BuildReport(
        version=version,
        documents=len(corpus.documents),
        chunks=len(chunks),
        embedded=len(missing),
        reused=len(chunks) - len(missing),
        added=sorted(set(doc_hashes) - set(old_docs)) if old_docs else [],
        changed=sorted(k for k in doc_hashes if k in old_docs and old_docs[k] != doc_hashes[k]),
        removed=sorted(set(old_docs) - set(doc_hashes)),
        problems=corpus.problems,
        seconds=time.perf_counter() - started,
        embed_seconds=embed_seconds,
    )
