"""Read a corpus folder: text, Markdown, PDF, DOCX, HTML and JSONL files become cleaned documents.

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
from . import metadata
from .clean import Block, clean_document

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx", ".html", ".htm", ".jsonl"}
META_SUFFIX = ".meta.json"


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
    problems: list[Problem]


def decode_bytes(data: bytes, name: str) -> str:
    """Decode text, refusing binary data; the error names the file."""
    text = _decode(data, name)
    if _looks_binary(text):
        raise IngestError(f"{name}: binary file (not text)")
    return text


def _decode(data: bytes, name: str) -> str:
    """UTF-8 first; then UTF-16 by BOM or NUL pattern; then GB18030 (a superset of GBK); else fail."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if not _looks_binary(text):
                return text
        raise IngestError(f"{name}: binary file (not text)")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and not _looks_binary(str(best)):
        return str(best)
    raise IngestError(f"{name}: cannot decode (not UTF-8, UTF-16 or GB18030/GBK)")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return bool(sample) and controls > len(sample) * 0.02


def _read_text(path: Path) -> str:
    return decode_bytes(path.read_bytes(), str(path))


def _read_pdf(path: Path) -> tuple[str, str | None]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types on damaged files
        raise IngestError(f"{path}: unreadable PDF ({exc})") from exc
    title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    return "\n".join(pages), str(title) if title else None


def _read_docx(path: Path) -> tuple[str, str | None]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise IngestError(f"{path}: unreadable DOCX ({exc})") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    title = document.core_properties.title or None
    # One paragraph a line and a blank line between: the cleaner treats such text as unwrapped.
    return "\n\n".join(lines), title


def _read_html(path: Path) -> tuple[str, str | None]:
    import trafilatura

    html = _read_text(path)
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta is not None else None
    if not text:
        raise IngestError(f"{path}: no main text found in HTML")
    return text, title


def make_document(
    doc_id: str,
    raw: str,
    source: str,
    given: dict | None = None,
    given_source: str = "sidecar",
    file_title: str | None = None,
) -> Document:
    """Clean ``raw`` and find its metadata; ``given`` (sidecar or JSONL fields) beats the text, the text
    beats ``file_title`` (PDF/DOCX/HTML properties), and those beat the file name."""
    given = {k: v for k, v in (given or {}).items() if k not in {"id", "text"}}
    cleaned = clean_document(raw)
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
    return Document(
        doc_id, title, source, cleaned.text, cleaned.blocks, {**extra, **values}, meta.sources, text_title
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


def load_file(path: Path, root: Path) -> list[Document]:
    rel = path.relative_to(root).as_posix()
    doc_id = rel.rsplit(".", 1)[0]
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise IngestError(f"{rel}: empty file")
    if suffix == ".jsonl":
        return list(_load_jsonl(path, rel))
    meta = _sidecar(path)
    found = None
    if suffix in TEXT_SUFFIXES:
        raw = _read_text(path)
    elif suffix == ".pdf":
        raw, found = _read_pdf(path)
    elif suffix == ".docx":
        raw, found = _read_docx(path)
    else:
        raw, found = _read_html(path)
    if not raw.strip():
        raise IngestError(f"{rel}: no text in file")
    if found and found.strip().lower() in {"untitled", "无标题", "microsoft word"}:
        found = None
    return [make_document(meta.get("id", doc_id), raw, rel, meta, "sidecar", file_title=found)]


def _load_jsonl(path: Path, rel: str):
    for n, line in enumerate(_read_text(path).splitlines(), 1):
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


def load_corpus(corpus_dir: Path, follow_symlinks: bool = False) -> Corpus:
    """Every readable document; unreadable files are reported and skipped. Two documents that claim one
    id stop the load (naming both), because keeping either would silently drop the other."""
    corpus_dir = Path(corpus_dir)
    documents: list[Document] = []
    files, problems = iter_corpus_files(corpus_dir, follow_symlinks)
    owner: dict[str, str] = {}
    for path in files:
        rel = path.relative_to(corpus_dir).as_posix()
        if path.suffix.lower() not in SUFFIXES:
            problems.append(Problem(rel, f"unsupported file type {path.suffix or '(none)'}"))
            continue
        try:
            docs = load_file(path, corpus_dir)
        except IngestError as exc:
            problems.append(Problem(rel, str(exc)))
            continue
        except OSError as exc:
            problems.append(Problem(rel, f"cannot read: {exc}"))
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
        log.info("skipped %s: %s", p.source, p.reason)
    return Corpus(documents, problems)
