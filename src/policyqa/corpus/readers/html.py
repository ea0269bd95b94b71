"""HTML pages: the main text only (trafilatura drops navigation, headers and footers)."""

from __future__ import annotations

from pathlib import Path

from ...errors import IngestError
from .text import read_text


def read(path: Path, options=None):
    import trafilatura

    from . import Extracted

    html = read_text(path)
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta is not None else None
    if not text:
        raise IngestError(f"{path}: no main text found in HTML")
    return Extracted(raw=text, title=title)
