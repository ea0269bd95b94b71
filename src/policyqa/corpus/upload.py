"""A document uploaded from the page: a safe name, a type checked by content, and a trial ingest.

The client's file name is never trusted: a name with a path in it (``../``, ``/etc/x``, ``C:\\x``), a hidden
name or control characters is refused, and the rest is reduced to letters, digits and common punctuation.
The type is read from the bytes (PDF and DOCX signatures, DOCX parts; text must decode as text) and must
agree with the extension. The file is then ingested alone in a hidden staging folder inside the corpus
(which ingest skips), so a file that does not parse is reported and never reaches the corpus or the index;
only a file that parsed is linked into the corpus, under a name nothing else holds.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError, InputError, PolicyQAError
from .chunk import chunk_document
from .ingest import META_SUFFIX, SUFFIXES, decode_bytes, load_corpus

STAGING = ".uploads"  # hidden: the corpus walk skips it
MAX_NAME_CHARS = 80  # stem length; 80 CJK characters are 240 bytes, under the usual 255-byte limit
MAX_DOCX_UNPACKED = 256 * 1024 * 1024  # a DOCX is a ZIP: refuse ones that expand beyond this
_KEEP = set(" -_.()（）《》〔〕【】[]、，,+·—")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls/.ppt of old Office
_KIND_BY_SUFFIX = {".pdf": "pdf", ".docx": "docx"}  # every other accepted suffix is text
_KIND_WORDS = {
    "pdf": "PDF",
    "docx": "Word 文档（DOCX）",
    "text": "文本",
    "ole": "旧版 Office 文件（.doc/.xls）",
}


class UploadConflict(PolicyQAError):
    """The corpus already holds a file or document of that name."""

    http_status = 409


class CorpusNotWritable(PolicyQAError):
    """The corpus folder cannot take the upload (permissions, a full disk): the operator must look."""

    http_status = 503


def clear_stale(corpus_dir: Path, older_than_s: float = 3600.0) -> None:
    """Remove staged uploads left by a stopped service (any job that owned them is gone)."""
    staging = Path(corpus_dir) / STAGING
    if staging.is_symlink() or not staging.is_dir():
        return
    cutoff = time.time() - older_than_s
    for folder in staging.iterdir():
        with contextlib.suppress(OSError):
            if folder.is_dir() and not folder.is_symlink() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Staged:
    path: Path  # the file in its staging folder
    name: str  # its safe name in the corpus
    documents: list[dict] = field(default_factory=list)  # doc_id, title, chars, passages

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.path.parent.parent.rmdir()  # the staging folder itself, once empty


def safe_name(raw: str | None) -> str:
    """The name a client gave, made safe for the corpus folder, or an InputError saying why not."""
    name = unicodedata.normalize("NFC", (raw or "").strip())
    if not name:
        raise InputError("上传的文件没有文件名 (the upload has no file name)")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise InputError("文件名含控制字符 (control characters in the file name)")
    if "/" in name or "\\" in name or re.match(r"^[A-Za-z]:", name):
        raise InputError(f"文件名不能包含路径 (a path is not allowed in the file name: {name!r})")
    if name.startswith("."):
        raise InputError(f"不接受隐藏文件 (hidden file names are refused: {name!r})")
    stem, dot, suffix = name.rpartition(".")
    suffix = f".{suffix.lower()}"
    if not dot or suffix not in SUFFIXES:
        raise InputError(
            f"不支持的文件类型 {suffix if dot else '（无扩展名）'}；可上传 {', '.join(sorted(SUFFIXES))} "
            "(unsupported file type)"
        )
    stem = "".join(ch if ch.isalnum() or ch in _KEEP else "_" for ch in stem)
    stem = re.sub(r"\s+", " ", stem).strip(" ._")[:MAX_NAME_CHARS].strip(" ._")
    if not stem:
        raise InputError(f"文件名无效 (no usable file name in {name!r})")
    if stem.lower().endswith(META_SUFFIX[: -len(".json")]) or f"{stem}{suffix}" == "README.md":
        raise InputError(f"此文件名保留给说明或元数据文件 (reserved file name: {name!r})")
    return stem + suffix


def sniff(data: bytes) -> str:
    """What the bytes are: "pdf", "docx", "text", "ole" or another kind's extension (png, zip, exe …)."""
    import filetype

    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(_OLE):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                unpacked = sum(i.file_size for i in z.infolist())
        except zipfile.BadZipFile:
            return "broken-zip"
        if {"[Content_Types].xml", "word/document.xml"} <= names:
            if unpacked > MAX_DOCX_UNPACKED:
                raise InputError(f"DOCX 解压后过大 (the DOCX expands to {unpacked} bytes)")
            return "docx"
        return "zip"
    kind = filetype.guess(data)
    if kind is not None:
        return kind.extension
    try:
        decode_bytes(data, "upload")
    except IngestError:
        return "binary"
    return "text"


def check_type(data: bytes, name: str) -> None:
    suffix = Path(name).suffix.lower()
    expected = _KIND_BY_SUFFIX.get(suffix, "text")
    found = sniff(data)
    if found != expected:
        what = _KIND_WORDS.get(found, f"{found} 文件")
        hint = "；请另存为 .docx 后上传" if found == "ole" else ""
        raise InputError(
            f"文件内容是{what}，与扩展名 {suffix} 不符{hint} (the content is {found}, not {expected})"
        )


def stage(data: bytes, raw_name: str | None, corpus_dir: Path, chunk_size: int, chunk_overlap: int) -> Staged:
    """Check the upload and ingest it alone; the caller links it into the corpus (``commit``) or discards it."""
    name = safe_name(raw_name)
    if not data:
        raise InputError("上传的文件是空的 (the file is empty)")
    check_type(data, name)
    staging = Path(corpus_dir) / STAGING
    if staging.is_symlink():  # a planted link would send the upload outside the corpus
        raise PolicyQAError(f"{staging} is a symbolic link; remove it to accept uploads")
    try:
        staging.mkdir(parents=True, exist_ok=True)
        staged = Staged(Path(tempfile.mkdtemp(dir=staging)) / name, name)
    except OSError as exc:
        raise CorpusNotWritable(f"无法写入文件目录 (cannot write to the corpus folder: {exc})") from exc
    try:
        try:
            with staged.path.open("xb") as fh:
                fh.write(data)
        except OSError as exc:
            raise CorpusNotWritable(f"无法写入文件目录 (cannot write the upload: {exc})") from exc
        corpus = load_corpus(staged.path.parent)
        if corpus.problems or not corpus.documents:
            reason = corpus.problems[0].reason if corpus.problems else "no text"
            reason = reason.replace(str(staged.path), name)  # the staging folder means nothing to the user
            if name not in reason:
                reason = f"{name}: {reason}"
            raise IngestError(f"文件无法解析，未收录 (the file could not be read: {reason})")
        for doc in corpus.documents:
            passages = chunk_document(doc, chunk_size, chunk_overlap)
            if not passages:
                raise IngestError(f"文件中没有可检索的正文 (no text to index in {name})")
            staged.documents.append(
                {"doc_id": doc.doc_id, "title": doc.title, "chars": len(doc.text), "passages": len(passages)}
            )
    except BaseException:
        staged.discard()
        raise
    return staged


def commit(staged: Staged, corpus_dir: Path) -> Path:
    """Link the staged file into the corpus under its name; never replaces or follows anything there."""
    target = Path(corpus_dir) / staged.name
    sidecar = target.with_name(target.name + META_SUFFIX)
    if sidecar.exists() or sidecar.is_symlink():
        raise UploadConflict(f"语料中已有 {sidecar.name}，请先删除同名文件 (a sidecar of that name exists)")
    try:
        try:
            os.link(staged.path, target)  # atomic, and fails when the name exists (a file or a link)
        except FileExistsError:
            raise
        except OSError:  # no hard links on this file system: create exclusively, never through a link
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(staged.path.read_bytes())
            except OSError as exc:  # ours, half written: it must not stay in the corpus
                target.unlink(missing_ok=True)
                raise CorpusNotWritable(f"无法写入文件目录 (cannot write {staged.name}: {exc})") from exc
    except FileExistsError:
        raise UploadConflict(f"语料中已有同名文件 {staged.name}，请先删除或改名 (the file exists)") from None
    finally:
        staged.discard()
    return target
