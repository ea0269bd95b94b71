"""Build (or incrementally rebuild) the index from a corpus folder, in three steps.

1. ``plan_build``: read, clean and chunk the corpus (no model needed, so path and file errors come
   before a model loads);
2. embed what the live version does not already hold: vectors are reused by (model fingerprint, hash
   of the embedded text), read from the live version's memory-mapped ``vectors.npy``; an edited document
   only re-embeds its own chunks;
3. write a new version and switch to it, unless nothing changed at all (then the live version stays).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..corpus.chunk import Chunk, chunk_corpus
from ..corpus.ingest import Corpus, Problem, load_corpus
from ..errors import IndexLoadError, PolicyQAError
from ..models.calibrate import calibrate
from ..models.embed import Embedder
from ..settings import Settings
from ..text.normalize import SEARCH_KEY_VERSION
from .lexical import LexicalIndex
from .manifest import read_manifest, sha256_file
from .store import DenseIndex, current_version, prune, write_version


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


@dataclass
class Previous:
    """What the live version offers a rebuild: its manifest and its vectors by text hash."""

    manifest: dict = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    vectors: np.ndarray | None = None
    note: str | None = None
    intact: bool = False  # every file matches its checksum: a rebuild with nothing new may keep it


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


def plan_build(settings: Settings, corpus_dir: Path | None = None) -> BuildPlan:
    corpus_dir = Path(corpus_dir or settings.corpus_dir)
    corpus = load_corpus(corpus_dir, settings.follow_symlinks, settings.ocr_cache_dir)
    if not corpus.documents:
        reasons = "; ".join(f"{p.source}: {p.reason}" for p in corpus.problems) or "no files"
        raise PolicyQAError(f"no readable documents in {corpus_dir} ({reasons})")
    return BuildPlan(
        corpus_dir, corpus, chunk_corpus(corpus.documents, settings.chunk_size, settings.chunk_overlap)
    )


def previous(index_dir: Path, fingerprint: str) -> Previous:
    """The live version's vectors (memory-mapped, checksummed) when the same model made them.

    A missing or damaged live version is no error here: the rebuild embeds what it cannot reuse."""
    try:
        version = current_version(index_dir)
        if version is None:
            return Previous()
        folder = Path(index_dir) / "versions" / version
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
    return Previous(manifest, {text_hash(t): i for i, t in enumerate(contexts)}, vectors, note, not damaged)


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


def _build_key(settings: Settings, embedder: Embedder, doc_hashes: dict[str, str]) -> str:
    """Everything a version's files depend on; equal keys mean a rebuild would write the same index."""
    parts = {
        "documents": sorted(doc_hashes.items()),
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


def _manifest(
    settings: Settings, embedder: Embedder, plan: BuildPlan, dense: DenseIndex, key: str, calibration: dict
) -> dict:
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
        "dense": {
            "type": "flat" if dense.exact else "hnsw",
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
    index_dir = Path(index_dir or settings.index_dir)
    with build_lock(index_dir):
        plan = plan or plan_build(settings, corpus_dir)
        old = Previous() if full else previous(index_dir, embedder.fingerprint)
        doc_hashes = {d.doc_id: d.content_hash for d in plan.corpus.documents}
        old_docs = old.manifest.get("documents", {})
        diff = {
            "added": sorted(set(doc_hashes) - set(old_docs)) if old_docs else [],
            "changed": sorted(k for k in doc_hashes if k in old_docs and old_docs[k] != doc_hashes[k]),
            "removed": sorted(set(old_docs) - set(doc_hashes)),
        }
        common = {"documents": len(doc_hashes), "chunks": len(plan.chunks), "problems": plan.corpus.problems}
        key = _build_key(settings, embedder, doc_hashes)
        corpus_notes = [f"{n.source}: {n.reason}" for n in plan.corpus.notes]
        if old.intact and old.manifest.get("build_key") == key:
            prune(index_dir / "versions", keep={old.manifest["version"]})
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

        dense = DenseIndex.build(vectors, settings.ann_threshold, settings.hnsw_m, settings.hnsw_ef_search)
        lexical = LexicalIndex.build([c.lexical_context for c in plan.chunks], settings.analyzer)
        version = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        manifest = _manifest(settings, embedder, plan, dense, key, _calibration(embedder, old))
        write_version(
            index_dir, version, manifest, plan.chunks, _document_records(plan), vectors, dense, lexical
        )

    return BuildReport(
        version, embedded=len(missing), reused=len(reused), **diff, **common,
        notes=([old.note] if old.note else []) + corpus_notes, seconds=time.perf_counter() - started, embed_seconds=embed_seconds,
    )  # fmt: skip
