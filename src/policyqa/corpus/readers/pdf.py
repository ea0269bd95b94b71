"""PDF: the text layer with each line's position (pypdfium2, PDFium's bindings), paragraphs rebuilt
from that geometry; pages without a text layer are OCRed when the ``[ocr]`` extra is installed."""

from __future__ import annotations

import logging
from pathlib import Path

from ...errors import IngestError
from . import Extracted, ReadOptions, layout, ocr

log = logging.getLogger(__name__)
# A page whose text layer has fewer visible characters than this is treated as a scan (a stray page
# number or a watermark letter is no text layer).
MIN_PAGE_CHARS = 8
_PLACEHOLDER_TITLES = {"untitled", "无标题", "microsoft word", "unknown"}


def read(path: Path, options: ReadOptions) -> Extracted:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError, ValueError) as exc:
        raise IngestError(f"unreadable PDF ({_reason(exc)})") from None
    try:
        count = len(pdf)
        if count == 0:
            raise IngestError("PDF has no pages")
        pages = [_text_lines(pdf[n], n) for n in range(count)]
        title = (pdf.get_metadata_dict(skip_empty=True) or {}).get("Title")
        scanned = [
            n for n, lines in enumerate(pages) if sum(len(ln.text.strip()) for ln in lines) < MIN_PAGE_CHARS
        ]
        info: dict = {}
        notes: list[str] = []
        if scanned:
            if ocr.available():
                for n, lines in ocr.pdf_pages(pdf, path, scanned, options):
                    pages[n] = lines
                info["ocr_pages"] = [n + 1 for n in scanned]
            elif len(scanned) == count:
                raise IngestError(
                    f"no text layer on any of its {count} page(s) (a scanned PDF?): install the OCR extra, "
                    "pip install 'policyqa[ocr]', to read it"
                )
            else:
                notes.append(
                    f"pages {_ranges(scanned)} have no text layer and were not read "
                    "(install the OCR extra, pip install 'policyqa[ocr]', to OCR them)"
                )
    finally:
        pdf.close()
    if title and title.strip().lower() in _PLACEHOLDER_TITLES:
        title = None
    return Extracted(parts=layout.paragraphs(pages), title=title, info=info, notes=notes)


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.replace("Failed to load document", "not a PDF or damaged").strip(" .")


def _ranges(pages: list[int]) -> str:
    """0-based page indexes as '1-3, 7' (1-based)."""
    spans: list[list[int]] = []
    for n in pages:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"{a + 1}" if a == b else f"{a + 1}-{b + 1}" for a, b in spans)


def _text_lines(page, number: int) -> list[layout.Line]:
    """The page's lines as PDFium breaks them, each with the box of its visible characters."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        if len(text) != count:  # characters outside the BMP: fall back to one character at a time
            text = "".join(textpage.get_text_range(i, 1) or " " for i in range(count))
        lines: list[layout.Line] = []
        chars: list[str] = []
        boxes: list[tuple[float, float, float, float]] = []

        def close() -> None:
            if boxes and "".join(chars).strip():
                left = min(b[0] for b in boxes)
                right = max(b[2] for b in boxes)
                top = height - max(b[3] for b in boxes)
                bottom = height - min(b[1] for b in boxes)
                lines.append(layout.Line("".join(chars), left, right, top, bottom, number))
            chars.clear()
            boxes.clear()

        for i, ch in enumerate(text[:count]):
            if ch in "\r\n":
                close()
                continue
            chars.append(ch)
            if not ch.isspace():
                box = textpage.get_charbox(i)
                if box[2] > box[0] or box[3] > box[1]:
                    boxes.append(box)
        close()
        return lines
    finally:
        textpage.close()
