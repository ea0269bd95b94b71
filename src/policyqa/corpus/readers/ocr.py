"""OCR for scans: PDF pages without a text layer and image files, with RapidOCR on ONNX Runtime.

``rapidocr-onnxruntime`` ships its PP-OCR detection, direction and recognition models inside the wheel,
so nothing is downloaded; it is the optional ``[ocr]`` extra (OpenCV and the models add ~220 MB).
Pages are rendered with pypdfium2 at ``RENDER_DPI``; each page's progress is logged on
``policyqa.ocr`` (the CLI shows it) and its lines are kept in a cache keyed by the file's hash, so an
index rebuild does not OCR the same scan again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from functools import lru_cache
from pathlib import Path

from ...errors import IngestError
from . import Extracted, ReadOptions, layout

log = logging.getLogger("policyqa.ocr")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
RENDER_DPI = 200  # small type (10 pt) stays legible to the recogniser; higher only costs time
MIN_SCORE = 0.5  # recognised lines below this confidence are noise (stamps, specks, photo texture)
CACHE_VERSION = 1  # bump when the lines stored in the cache change meaning


def available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def _engine_name() -> str:
    from importlib.metadata import version

    return f"rapidocr-onnxruntime {version('rapidocr-onnxruntime')}"


def recognise(image, page: int, scale: float = 1.0) -> list[layout.Line]:
    """Lines of text in a PIL image; coordinates divided by ``scale`` (render pixels → PDF points)."""
    import numpy as np

    result, _ = _engine()(np.asarray(image.convert("RGB")))
    segments = []
    for box, text, score in result or []:
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        xs, ys = [p[0] / scale for p in box], [p[1] / scale for p in box]
        segments.append(layout.Line(str(text), min(xs), max(xs), min(ys), max(ys), page))
    return _rows(segments)


def _rows(segments: list[layout.Line]) -> list[layout.Line]:
    """Detected boxes that share a row (a line broken by a wide gap) become one line, top to bottom."""
    rows: list[list[layout.Line]] = []
    for seg in sorted(segments, key=lambda s: (s.top + s.bottom) / 2):
        middle = (seg.top + seg.bottom) / 2
        if rows and abs(middle - (rows[-1][0].top + rows[-1][0].bottom) / 2) < 0.5 * rows[-1][0].height:
            rows[-1].append(seg)
        else:
            rows.append([seg])
    lines = []
    for row in rows:
        row.sort(key=lambda s: s.x0)
        text = " ".join(s.text.strip() for s in row)
        top, bottom = min(s.top for s in row), max(s.bottom for s in row)
        lines.append(layout.Line(text, row[0].x0, max(s.x1 for s in row), top, bottom, row[0].page))
    return lines


def _cache_file(path: Path, options: ReadOptions) -> Path | None:
    if options.ocr_cache is None:
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Path(options.ocr_cache) / f"{digest}.json"


def _load_cache(file: Path | None) -> dict:
    if file is None or not file.is_file():
        return {}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("version") != CACHE_VERSION or data.get("engine") != _engine_name():
        return {}
    return {int(n): [layout.Line(**ln) for ln in lines] for n, lines in data.get("pages", {}).items()}


def _save_cache(file: Path | None, pages: dict[int, list[layout.Line]]) -> None:
    if file is None:
        return
    data = {
        "version": CACHE_VERSION,
        "engine": _engine_name(),
        "pages": {str(n): [vars(ln) for ln in lines] for n, lines in pages.items()},
    }
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(file)
    except OSError as exc:  # a read-only cache folder costs time, not correctness
        log.warning("OCR cache not written (%s)", exc)


def pdf_pages(pdf, path: Path, numbers: list[int], options: ReadOptions):
    """(page index, lines) for each page in ``numbers``, OCRed (or from the cache), in order."""
    cache_file = _cache_file(path, options)
    done = _load_cache(cache_file)
    fresh = False
    for step, n in enumerate(numbers, 1):
        if n not in done:
            t0 = time.perf_counter()
            scale = RENDER_DPI / 72
            image = pdf[n].render(scale=scale).to_pil()
            done[n] = recognise(image, n, scale)
            fresh = True
            log.info("OCR %s: page %d (%d/%d), %d lines, %.1f s",
                     path.name, n + 1, step, len(numbers), len(done[n]), time.perf_counter() - t0)  # fmt: skip
        yield n, done[n]
    if fresh:
        _save_cache(cache_file, done)


def read_image(path: Path, options: ReadOptions) -> Extracted:
    """An image file (every frame of a multi-page TIFF) through OCR."""
    if not available():
        raise IngestError("an image needs OCR: install the OCR extra, pip install 'policyqa[ocr]'")
    from PIL import Image, ImageSequence, UnidentifiedImageError

    cache_file = _cache_file(path, options)
    done = _load_cache(cache_file)
    cached = set(done)
    try:
        with Image.open(path) as image:
            frames = max(1, getattr(image, "n_frames", 1))
            for n, frame in enumerate(ImageSequence.Iterator(image)):
                if n in done:
                    continue
                t0 = time.perf_counter()
                done[n] = recognise(frame, n)
                log.info("OCR %s: page %d/%d, %d lines, %.1f s",
                         path.name, n + 1, frames, len(done[n]), time.perf_counter() - t0)  # fmt: skip
    except (UnidentifiedImageError, OSError) as exc:
        raise IngestError(f"unreadable image ({exc})") from None
    if set(done) != cached:
        _save_cache(cache_file, done)
    pages = [done[n] for n in sorted(done)]
    if not any(pages):
        raise IngestError("no text recognised in the image")
    return Extracted(parts=layout.paragraphs(pages), info={"ocr_pages": [n + 1 for n in sorted(done)]})
