"""Plain text and Markdown: decoded with the encodings Chinese offices actually use."""

from __future__ import annotations

from pathlib import Path

from ...errors import IngestError

SUFFIXES = (".txt", ".md", ".markdown")


def read(path: Path, options=None):
    from . import Extracted

    return Extracted(raw=read_text(path))


def read_text(path: Path) -> str:
    return decode_bytes(path.read_bytes(), str(path))


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
