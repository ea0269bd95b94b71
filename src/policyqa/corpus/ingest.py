"""Read a corpus folder: text, Markdown, PDF, DOCX, HTML and JSONL files become cleaned documents.

A bad file never stops the corpus from loading: it is reported (with its path and why) and skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError
from ..text.normalize import DOCNUM_RE
from .clean import Block, clean_document

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx", ".html", ".htm", ".jsonl"}
META_SUFFIX = ".meta.json"
_DATE_RE = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_ISSUER_RE = re.compile(
    r"^[\u4e00-\u9fff（）()、\s]{2,40}(政府|部|委员会|委|厅|局|办公室|办公厅|院|中心|署|会)$"
)


@dataclass
class Document:
    doc_id: str
    title: str
    source: str
    text: str  # cleaned; every offset in the system points into this
    blocks: list[Block] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(f"{self.title}\n{self.text}".encode()).hexdigest()


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


def detect_metadata(text: str) -> dict:
    meta: dict = {}
    head = text[:800]
    # A document's own number stands on a line of its own near the top; numbers inside sentences
    # are other documents it cites.
    for line in head.split("\n"):
        if (m := DOCNUM_RE.fullmatch(line.strip())) is not None:
            meta["doc_number"] = m.group(0)
            break
    tail = text[-400:]
    dates = _DATE_RE.findall(tail) or _DATE_RE.findall(head)
    if dates:
        meta["date"] = re.sub(r"\s+", "", dates[-1])
        lines = [ln.strip() for ln in tail.split("\n") if ln.strip()]
        for i, line in enumerate(lines):
            if meta["date"] in re.sub(r"\s+", "", line) and i > 0 and _ISSUER_RE.match(lines[i - 1]):
                meta["issuer"] = lines[i - 1]
    return meta


def make_document(
    doc_id: str,
    raw: str,
    source: str,
    title: str | None = None,
    meta: dict | None = None,
    fallback_title: str | None = None,
) -> Document:
    """``title`` is authoritative; ``fallback_title`` (file metadata) only beats the file name."""
    cleaned = clean_document(raw, title=title)
    fallback = fallback_title or (Path(source).stem if source else doc_id)
    metadata = detect_metadata(cleaned.text)
    metadata.update({k: v for k, v in (meta or {}).items() if k not in {"id", "title", "text"}})
    return Document(doc_id, cleaned.title or fallback, source, cleaned.text, cleaned.blocks, metadata)


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
    return [make_document(meta.get("id", doc_id), raw, rel, meta.get("title"), meta, fallback_title=found)]


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
            yield make_document(doc_id, str(text), f"{rel}#{n}", obj.get("title"), obj)


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
