"""File readers, one per format, behind one registry: suffix → reader.

A reader turns a file into an ``Extracted``: either raw text that the cleaner still has to repair (TXT,
Markdown, HTML: hard wraps, captions, headings found from the text alone), or ``parts``, paragraphs
whose boundaries the format already knows (DOCX paragraphs, PDF paragraphs rebuilt from line geometry,
spreadsheet rows, slides). Libraries are imported inside the readers so a corpus of text files never
pays for them, and their log chatter is captured while they read (see ``quiet``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import IngestError


@dataclass
class Part:
    """One paragraph as the file gives it. ``kind``: "para" (headings and articles are still looked for
    in it), "text" (taken as it is: a table row), "caption", or "heading" with its ``rank``."""

    text: str
    kind: str = "para"
    rank: int = 0


@dataclass
class Extracted:
    raw: str | None = None  # text for the cleaner (TXT/MD/HTML)
    parts: list[Part] | None = None  # paragraphs already delimited (PDF/DOCX/XLSX/PPTX/images)
    title: str | None = None  # from the file's properties
    info: dict = field(default_factory=dict)  # metadata the file itself gives (pages that were OCRed …)
    notes: list[str] = field(default_factory=list)  # read, but with a caveat the user should see

    def empty(self) -> bool:
        if self.parts is not None:
            return not any(p.text.strip() for p in self.parts)
        return not (self.raw or "").strip()


@dataclass
class ReadOptions:
    ocr_cache: Path | None = None  # where OCR results are kept between builds (None: not kept)


Reader = Callable[[Path, ReadOptions], Extracted]

# Formats that need a converter we cannot run offline without LibreOffice: say what to do instead.
LEGACY = {
    ".doc": "legacy Word .doc is not supported: save it as .docx (Word, WPS: File › Save As) or as PDF",
    ".wps": "WPS .wps is not supported: save it as .docx (WPS: 文件 › 另存为 › .docx) or as PDF",
    ".xls": "legacy Excel .xls is not supported: save it as .xlsx",
    ".ppt": "legacy PowerPoint .ppt is not supported: save it as .pptx",
    ".et": "WPS spreadsheet .et is not supported: save it as .xlsx",
    ".dps": "WPS presentation .dps is not supported: save it as .pptx",
}


def _registry() -> dict[str, Reader]:
    from . import html, ocr, office, pdf, text

    readers: dict[str, Reader] = {s: text.read for s in text.SUFFIXES}
    readers.update({".pdf": pdf.read, ".docx": office.read_docx, ".xlsx": office.read_xlsx})
    readers.update({".xlsm": office.read_xlsx, ".pptx": office.read_pptx})
    readers.update({".html": html.read, ".htm": html.read})
    readers.update({s: ocr.read_image for s in ocr.IMAGE_SUFFIXES})
    return readers


READERS = _registry()
SUFFIXES = frozenset(READERS) | {".jsonl"}


def read(path: Path, options: ReadOptions | None = None) -> Extracted:
    """Read one file with the reader for its suffix; IngestError says why a file cannot be read."""
    suffix = path.suffix.lower()
    if suffix in LEGACY:
        raise IngestError(LEGACY[suffix])
    reader = READERS.get(suffix)
    if reader is None:
        raise IngestError(f"unsupported file type {path.suffix or '(none)'}")
    with quiet():
        return reader(path, options or ReadOptions())


# Libraries that log about the files they read ("EOF marker not found", "invalid float value"): the
# reader's own IngestError already says what is wrong, so their lines would only duplicate it.
_CHATTY = (
    "pypdfium2",
    "openpyxl",
    "pptx",
    "docx",
    "trafilatura",
    "htmldate",
    "charset_normalizer",
    "RapidOCR",
    "OrtInferSession",
)


@contextmanager
def quiet():
    """Hold the chatty libraries' loggers at ERROR and warnings.warn silent while a file is read."""
    import warnings

    loggers = [logging.getLogger(name) for name in _CHATTY]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)
