"""Build (or incrementally rebuild) the index from a corpus folder, in three steps.

1. ``plan_build``: read, clean and chunk the corpus (no model needed, so path and file errors come
   before a model loads);
2. embed what the live version does not already hold: vectors are reused by (model fingerprint, hash
   of the embedded text), read from the live version (the local store's memory-mapped ``vectors.npy``,
   or its Milvus collection); an edited document only re-embeds its own chunks;
3. the store writes a new version and switches to it, unless nothing changed at all (then the live
   version stays). Which store: ``POLICYQA_STORE`` (``backends.open_store``).
"""

from __future__ import annotations

import fcntl
import json
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..corpus.chunk import Chunk, chunk_corpus
from ..corpus.ingest import Corpus, Problem, load_corpus
from ..errors import PolicyQAError
from ..models.calibrate import calibrate
from ..models.embed import Embedder
from ..settings import Settings
from ..text.normalize import SEARCH_KEY_VERSION
from .backends import Previous, open_store
from .backends.base import text_hash
from .lexical import analyzer_fingerprint


@dataclass
class BuildReport:
    version: str
    documents: int
    chunks: int
    embedded: int
    reused: int
    unchanged: bool = False  # nothing changed: the live version was kept
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class BuildPlan:
    corpus_dir: Path
    corpus: Corpus
    chunks: list[Chunk]

    @property
    def contexts(self) -> list[str]:
        return [c.context for c in self.chunks]


@contextmanager
def build_lock(index_dir: Path):
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".build.lock").open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise PolicyQAError(f"another index build is running in {index_dir}") from exc
        yield


def plan_build(settings: Settings, corpus_dir: Path | None = None) -> BuildPlan:
    corpus_dir = Path(corpus_dir or settings.corpus_dir)
    corpus = load_corpus(corpus_dir, settings.follow_symlinks, settings.ocr_cache_dir)
    if not corpus.documents:
        reasons = "; ".join(f"{p.source}: {p.reason}" for p in corpus.problems) or "no files"
        raise PolicyQAError(f"no readable documents in {corpus_dir} ({reasons})")
    return BuildPlan(
        corpus_dir, corpus, chunk_corpus(corpus.documents, settings.chunk_size, settings.chunk_overlap)
    )


def embed_texts(embedder: Embedder, texts: list[str], batch: int, progress: bool) -> np.ndarray:
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


def _build_key(
    settings: Settings, embedder: Embedder, doc_hashes: dict[str, str], chunks: list[Chunk]
) -> str:
    """Everything a version's files depend on; equal keys mean a rebuild would write the same index.
    (The passages as cut, with their headings: a new reading of the outline changes them, not the text.)"""
    parts = {
        "documents": sorted(doc_hashes.items()),
        "passages": text_hash(
            json.dumps([[c.chunk_id, c.start, c.end, c.section] for c in chunks], ensure_ascii=False)
        ),
        "model": embedder.fingerprint,
        "chunking": [settings.chunk_size, settings.chunk_overlap],
        "analyzer": settings.analyzer,
        "search_key": SEARCH_KEY_VERSION,
        "dense": [settings.ann_threshold, settings.hnsw_m],
    }
    return text_hash(json.dumps(parts, ensure_ascii=False))


def _calibration(embedder: Embedder, old: Previous) -> dict:
    """Measured once per model: a rebuild with the same model keeps the live version's numbers."""
    model = old.manifest.get("model", {})
    if model.get("fingerprint") == embedder.fingerprint and model.get("calibration"):
        return model["calibration"]
    return calibrate(embedder)


def _manifest(settings: Settings, embedder: Embedder, plan: BuildPlan, key: str, calibration: dict) -> dict:
    exact = len(plan.chunks) < settings.ann_threshold  # exact search below the threshold, HNSW above
    doc_hashes = {d.doc_id: d.content_hash for d in plan.corpus.documents}
    return {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "build_key": key,
        "model": {
            "id": embedder.model_id,
            "fingerprint": embedder.fingerprint,
            "weights_sha256": embedder.weights_hash,
            "dimension": embedder.dim,
            "query_prompt": embedder.query_prompt,
            "passage_prompt": embedder.passage_prompt,
            "calibration": calibration,
        },
        "chunking": {
            "size": settings.chunk_size,
            "overlap": settings.chunk_overlap,
            "splitter": "langchain-recursive-zh",
        },
        "analyzer": settings.analyzer,
        "analyzer_fingerprint": analyzer_fingerprint(settings.analyzer),
        "dense": {
            "type": "flat" if exact else "hnsw",
            "metric": "inner_product",
            "hnsw_m": settings.hnsw_m,
        },
        "corpus": {
            "path": str(plan.corpus_dir),
            "hash": text_hash("".join(sorted(doc_hashes.values()))),
            "documents": len(plan.corpus.documents),
            "chunks": len(plan.chunks),
        },
        "documents": doc_hashes,
    }


def _document_records(plan: BuildPlan) -> list[dict]:
    return [
        {
            "doc_id": d.doc_id,
            "title": d.title,
            "source": d.source,
            "text": d.text,
            "metadata": d.metadata,
            "metadata_sources": d.metadata_sources,
            "sections": [
                {"kind": b.kind, "text": b.text, "section": list(b.section), "start": b.start, "end": b.end}
                for b in d.blocks
                if b.kind in ("title", "heading")
            ],
        }
        for d in plan.corpus.documents
    ]


def build_index(
    settings: Settings,
    embedder: Embedder,
    corpus_dir: Path | None = None,
    index_dir: Path | None = None,
    full: bool = False,
    progress: bool = False,
    plan: BuildPlan | None = None,
) -> BuildReport:
    started = time.perf_counter()
    if index_dir is not None:
        settings = settings.model_copy(update={"index_dir": Path(index_dir)})
    store = open_store(settings)
    with build_lock(Path(settings.index_dir)):
        plan = plan or plan_build(settings, corpus_dir)
        old = Previous() if full else store.previous(embedder.fingerprint)
        doc_hashes = {d.doc_id: d.content_hash for d in plan.corpus.documents}
        old_docs = old.manifest.get("documents", {})
        diff = {
            "added": sorted(set(doc_hashes) - set(old_docs)) if old_docs else [],
            "changed": sorted(k for k in doc_hashes if k in old_docs and old_docs[k] != doc_hashes[k]),
            "removed": sorted(set(old_docs) - set(doc_hashes)),
        }
        common = {"documents": len(doc_hashes), "chunks": len(plan.chunks), "problems": plan.corpus.problems}
        key = _build_key(settings, embedder, doc_hashes, plan.chunks)
        corpus_notes = [f"{n.source}: {n.reason}" for n in plan.corpus.notes]
        if old.intact and old.manifest.get("build_key") == key:
            store.keep(old.manifest["version"])
            return BuildReport(
                old.manifest["version"], embedded=0, reused=len(plan.chunks), unchanged=True, **common,
                notes=corpus_notes, seconds=time.perf_counter() - started,
            )  # fmt: skip

        contexts = plan.contexts
        hashes = [text_hash(t) for t in contexts]
        missing = [i for i, h in enumerate(hashes) if h not in old.rows]
        t0 = time.perf_counter()
        fresh = embed_texts(embedder, [contexts[i] for i in missing], settings.embed_batch_size, progress)
        embed_seconds = time.perf_counter() - t0
        vectors = np.zeros((len(plan.chunks), embedder.dim), dtype=np.float32)
        vectors[missing] = fresh
        reused = [i for i, h in enumerate(hashes) if h in old.rows]
        if reused:
            vectors[reused] = old.vectors[[old.rows[hashes[i]] for i in reused]]

        version = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        manifest = _manifest(settings, embedder, plan, key, _calibration(embedder, old))
        store.write(version, manifest, plan.chunks, _document_records(plan), vectors, settings)

    return BuildReport(
        version, embedded=len(missing), reused=len(reused), **diff, **common,
        notes=([old.note] if old.note else []) + corpus_notes, seconds=time.perf_counter() - started, embed_seconds=embed_seconds,
    )  # fmt: skip
