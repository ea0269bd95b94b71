"""Read a corpus folder into cleaned documents: walk it, read each file with the reader for its format
(``readers``), apply ``.meta.json`` sidecars, and assemble documents with their metadata.

A bad file never stops the corpus from loading: it is reported (with its path and why) and skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError
from . import metadata, readers
from .clean import Block, CleanDoc, clean_document, clean_parts
from .readers.text import decode_bytes, read_text

__all__ = ["Corpus", "Document", "Problem", "decode_bytes", "load_corpus", "make_document"]

log = logging.getLogger(__name__)

META_SUFFIX = ".meta.json"
SUFFIXES = readers.SUFFIXES


@dataclass
class Document:
    doc_id: str
    title: str
    source: str
    text: str  # cleaned; every offset in the system points into this
    blocks: list[Block] = field(default_factory=list)
    metadata: dict = field(
        default_factory=dict
    )  # year, date, issuer, region, level, kind, doc_number, period …
    metadata_sources: dict = field(default_factory=dict)  # field → where it was found (title included)
    text_title: str = ""  # the title as the text itself gives it: what passages are embedded with

    @property
    def content_hash(self) -> str:
        """Changes with the text or any metadata (the document is rewritten, maybe not re-embedded)."""
        described = json.dumps([self.title, self.metadata], ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(f"{described}\n{self.text}".encode()).hexdigest()


@dataclass
class Problem:
    source: str
    reason: str


@dataclass
class Corpus:
    documents: list[Document]
    problems: list[Problem]  # files skipped, and why
    notes: list[Problem] = field(default_factory=list)  # files read with a caveat (pages left unread)


def make_document(
    doc_id: str,
    raw: str | CleanDoc,
    source: str,
    given: dict | None = None,
    given_source: str = "sidecar",
    file_title: str | None = None,
    file_info: dict | None = None,
) -> Document:
    """Clean ``raw`` (text, or a document a reader already delimited) and find its metadata; ``given``
    (sidecar or JSONL fields) beats the text, the text beats ``file_title`` (PDF/DOCX/HTML properties),
    and those beat the file name. ``file_info`` is what reading the file recorded (pages OCRed)."""
    given = {k: v for k, v in (given or {}).items() if k not in {"id", "text"}}
    cleaned = clean_document(raw) if isinstance(raw, str) else raw
    found_title = cleaned.blocks[0].text if cleaned.blocks and cleaned.blocks[0].kind == "title" else None
    stem = Path(source.split("#")[0]).stem if source else doc_id
    meta = metadata.detect(cleaned.text, cleaned.blocks, found_title, given, given_source, stem, file_title)
    values = dict(meta.values)
    title = values.pop("title")
    # Passages are embedded under the title the text itself gives, so editing a sidecar never re-embeds.
    own = (
        meta
        if not given
        else metadata.detect(cleaned.text, cleaned.blocks, found_title, {}, "", stem, file_title)
    )
    text_title = (
        own.values["title"] if own.sources["title"].split(";")[0] in metadata.TITLE_SOURCES_EMBEDDED else ""
    )
    extra = {k: v for k, v in given.items() if k not in values and k != "title"}
    sources = dict(meta.sources)
    for key, value in (file_info or {}).items():
        if key not in values and key not in extra:
            extra[key] = value
            sources[key] = "file"
    return Document(
        doc_id, title, source, cleaned.text, cleaned.blocks, {**extra, **values}, sources, text_title
    )


def _sidecar(path: Path) -> dict:
    side = path.with_name(path.name + META_SUFFIX)
    if not side.exists():
        return {}
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(f"{side.name}: invalid metadata JSON ({exc})") from exc
    if not isinstance(meta, dict):
        raise IngestError(f"{side.name}: metadata must be a JSON object")
    for key in ("id", "title"):
        if key in meta and (not isinstance(meta[key], str) or not meta[key].strip()):
            raise IngestError(f"{side.name}: {key!r} must be a non-empty string")
    return meta


def load_file(path: Path, root: Path, options: readers.ReadOptions | None = None) -> list[Document]:
    return _load_file(path, root, options or readers.ReadOptions(), [])


def _load_file(path: Path, root: Path, options: readers.ReadOptions, notes: list[Problem]) -> list[Document]:
    rel = path.relative_to(root).as_posix()
    doc_id = rel.rsplit(".", 1)[0]
    if path.stat().st_size == 0:
        raise IngestError(f"{rel}: empty file")
    if path.suffix.lower() == ".jsonl":
        return list(_load_jsonl(path, rel))
    meta = _sidecar(path)
    try:
        got = readers.read(path, options)
    except IngestError as exc:
        message = str(exc)
        raise IngestError(message if message.startswith((rel, str(path))) else f"{rel}: {message}") from None
    if got.empty():
        raise IngestError(f"{rel}: no text in file")
    notes.extend(Problem(rel, note) for note in got.notes)
    cleaned = clean_parts(got.parts) if got.parts is not None else clean_document(got.raw or "")
    return [make_document(meta.get("id", doc_id), cleaned, rel, meta, "sidecar", got.title, got.info)]


def _load_jsonl(path: Path, rel: str):
    for n, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text, doc_id = obj["text"], str(obj["id"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            log.warning("%s line %d skipped: %s", rel, n, exc)
            continue
        if str(text).strip():
            yield make_document(doc_id, str(text), f"{rel}#{n}", obj, "jsonl")


def iter_corpus_files(corpus_dir: Path, follow_symlinks: bool = False) -> tuple[list[Path], list[Problem]]:
    """Corpus files in a fixed order, and the ones refused: links that lead outside the corpus folder
    (a corpus must not be able to pull /etc/hostname or a neighbour's secrets into the index)."""
    if not corpus_dir.is_dir():
        raise IngestError(f"corpus folder not found: {corpus_dir}")
    root = corpus_dir.resolve()
    files, refused = [], []
    for folder, dirs, names in os.walk(corpus_dir, followlinks=follow_symlinks):
        dirs.sort()
        here = Path(folder)
        for name in list(dirs):
            if name.startswith("."):
                dirs.remove(name)
            elif not follow_symlinks and _leaves(here / name, root):
                dirs.remove(name)
                refused.append(_outside(here / name, corpus_dir))
        for name in sorted(names):
            path = here / name
            if name.startswith(".") or name.endswith(META_SUFFIX) or name == "README.md":
                continue
            if not follow_symlinks and _leaves(path, root):
                refused.append(_outside(path, corpus_dir))
            elif path.is_file():
                files.append(path)
    return sorted(files), refused


def _outside(path: Path, corpus_dir: Path) -> Problem:
    return Problem(
        path.relative_to(corpus_dir).as_posix(),
        "symbolic link to a place outside the corpus folder (set POLICYQA_FOLLOW_SYMLINKS=true to allow)",
    )


def _leaves(path: Path, root: Path) -> bool:
    """True when ``path`` resolves (through links) to a place outside the corpus folder."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a link loop
        return True
    return target != root and root not in target.parents


def _without_name(message: str, rel: str, path: Path) -> str:
    """The reason alone: the problem list already names the file."""
    for name in (str(path), rel):
        if message.startswith(name + ": "):
            return message[len(name) + 2 :]
    return message


def load_corpus(corpus_dir: Path, follow_symlinks: bool = False, ocr_cache: Path | None = None) -> Corpus:
    """Every readable document; unreadable files are reported and skipped. Two documents that claim one
    id stop the load (naming both), because keeping either would silently drop the other.
    ``ocr_cache``: where OCR results are kept between loads (None: scans are OCRed every time)."""
    corpus_dir = Path(corpus_dir)
    documents: list[Document] = []
    files, problems = iter_corpus_files(corpus_dir, follow_symlinks)
    notes: list[Problem] = []
    options = readers.ReadOptions(ocr_cache=ocr_cache)
    owner: dict[str, str] = {}
    for path in files:
        rel = path.relative_to(corpus_dir).as_posix()
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES and suffix not in readers.LEGACY:
            problems.append(Problem(rel, f"unsupported file type {path.suffix or '(none)'}"))
            continue
        try:
            docs = _load_file(path, corpus_dir, options, notes)
        except IngestError as exc:
            problems.append(Problem(rel, _without_name(str(exc), rel, path)))
            continue
        except OSError as exc:
            problems.append(Problem(rel, f"cannot read: {exc.strerror or exc}"))
            continue
        for doc in docs:
            if doc.doc_id in owner:
                raise IngestError(
                    f"duplicate document id {doc.doc_id!r}: claimed by {owner[doc.doc_id]} and by {doc.source} "
                    f"(check the id in their .meta.json sidecars or JSONL lines); the index was not changed"
                )
            owner[doc.doc_id] = doc.source
            documents.append(doc)
    for p in problems:
        log.debug("skipped %s: %s", p.source, p.reason)  # the caller lists them (once)
    return Corpus(documents, problems, notes)
