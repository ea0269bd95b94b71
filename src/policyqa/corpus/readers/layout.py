"""Paragraphs from positioned lines (PDF text layers and OCR alike).

A PDF knows where each line sits, so paragraphs are rebuilt from geometry instead of guessed from
text: a line continues into the next one when it runs to the right margin and the next one starts at
the left margin (no first-line indent) in the same type size. A short line set off the margins
that interrupts an unfinished sentence is a caption and moves after its paragraph. Running headers,
footers and page numbers (small lines repeated at the top or bottom of the pages) are dropped.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from ..artefacts import PAGE_NUMBER
from ..headings import ARTICLE_RE, ends_sentence, heading_rank
from ..lines import join_lines

# Tolerances in units of the body text's line height (≈ one Chinese character's width).
MARGIN_SLACK = 1.6  # a line ending this close to the right margin ran into it (kinsoku, ragged Latin)
INDENT_MIN = 0.6  # a start this far right of the left margin is an indent
SIZE_SLACK = 0.25  # relative height difference still read as the same type size
GAP_FACTOR = 1.8  # a vertical gap this many times the usual one separates paragraphs
MARGIN_SHARE = 0.1  # a margin is where at least this share of the lines start (or end)
CAPTION_LOOKAHEAD = 3  # caption lines that may interrupt one sentence
SMALL_TYPE = 0.8  # a first or last line below this share of the body's size is a running head


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float  # y grows downwards
    bottom: float
    page: int

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class _Geometry:
    left: float
    right: float
    height: float
    gap: float

    def at_left(self, ln: Line) -> bool:
        return ln.x0 <= self.left + INDENT_MIN * self.height

    def at_right(self, ln: Line) -> bool:
        return ln.x1 >= self.right - MARGIN_SLACK * self.height

    def same_size(self, a: Line, b: Line) -> bool:
        return abs(a.height - b.height) <= SIZE_SLACK * max(a.height, b.height, 1e-6)

    def centred(self, ln: Line) -> bool:
        middle = (self.left + self.right) / 2
        inside = not self.at_left(ln) and not self.at_right(ln)  # an indented full line is no title
        return inside and abs((ln.x0 + ln.x1) / 2 - middle) <= 1.5 * self.height


def _margin(values: list[float], size: float, lowest: bool) -> float:
    """The outermost position shared by at least MARGIN_SHARE of the lines (binned by half a line)."""
    bins = Counter(round(v / (size / 2)) for v in values)
    need = max(2, math.ceil(MARGIN_SHARE * len(values))) if len(values) > 2 else 1
    keys = sorted(bins, reverse=not lowest)
    chosen = next((k for k in keys if bins[k] >= need), keys[0])
    near = [v for v in values if round(v / (size / 2)) == chosen]
    return min(near) if lowest else max(near)


def _geometry(lines: list[Line]) -> _Geometry:
    height = statistics.median(ln.height for ln in lines) or 1.0
    gaps = [
        b.top - a.bottom
        for a, b in zip(lines, lines[1:])
        if a.page == b.page and b.top - a.bottom > -0.3 * height
    ]
    gap = statistics.median(gaps) if gaps else height * 0.5
    left = _margin([ln.x0 for ln in lines], height, lowest=True)
    right = _margin([ln.x1 for ln in lines], height, lowest=False)
    return _Geometry(left, right, height, max(gap, 0.1 * height))


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def drop_running(pages: list[list[Line]]) -> list[list[Line]]:
    """Remove page numbers and headers/footers repeated across pages (top or bottom two lines)."""
    body = [ln for page in pages for ln in page]
    if not body:
        return pages
    height = statistics.median(ln.height for ln in body)
    edges = [page[:2] + page[-2:] for page in pages]
    seen = Counter(k for edge in edges for k in {_key(ln.text) for ln in edge})
    need = max(2, math.ceil(0.5 * len(pages)))
    drop = set()
    for page, edge in zip(pages, edges):
        for ln in edge:
            numbered = PAGE_NUMBER.match(ln.text.strip())
            # Repeated lines are running heads only in body size or smaller: a title is larger.
            running = seen[_key(ln.text)] >= need and ln.height <= height * (1 + SIZE_SLACK)
            if numbered or (len(pages) > 1 and running):
                drop.add(id(ln))
        # Nothing repeats on a single page: a first line in small type set apart is a running head (not
        # the last: a one-line footnote looks the same there; page numbers went above).
        if len(pages) == 1 and len(page) > 2:
            first, after = page[0], page[1]
            if first.height < SMALL_TYPE * height and after.top - first.bottom > height:
                drop.add(id(first))
    return [[ln for ln in page if id(ln) not in drop] for page in pages]


def _breaks_before(prev: Line, ln: Line) -> bool:
    """A heading or article that follows a finished sentence starts anew whatever its position."""
    text = ln.text.strip()
    return ends_sentence(prev.text) and (heading_rank(text) is not None or bool(ARTICLE_RE.match(text)))


def _continues(g: _Geometry, prev: Line, ln: Line, check_gap: bool = True) -> bool:
    wide_gap = ln.page == prev.page and ln.top - prev.bottom > GAP_FACTOR * g.gap + 0.2 * g.height
    if (
        check_gap and wide_gap and ends_sentence(prev.text)
    ):  # a finished sentence, then space: a new paragraph
        return False
    if ln.page not in (prev.page, prev.page + 1) or not g.same_size(prev, ln) or _breaks_before(prev, ln):
        return False
    if g.at_right(prev) and g.at_left(ln):
        return True
    # A title set centred over two lines ("关于印发《…》的" / "通知").
    return ln.page == prev.page and g.centred(prev) and g.centred(ln) and not ends_sentence(prev.text)


def paragraphs(pages: list[list[Line]]):
    """Parts (paragraphs and captions) from each page's lines in reading order."""
    from . import Part

    lines = [ln for page in drop_running(pages) for ln in page if ln.text.strip()]
    if not lines:
        return []
    g = _geometry(lines)
    parts: list[Part] = []
    current: list[Line] = []
    captions: list[Line] = []

    def flush() -> None:
        if current:
            parts.append(Part(join_lines([ln.text.strip() for ln in current])))
        parts.extend(Part(ln.text.strip(), "caption") for ln in captions)
        current.clear()
        captions.clear()

    i = 0
    while i < len(lines):
        ln = lines[i]
        if current and _continues(g, current[-1], ln):
            current.append(ln)
            i += 1
            continue
        if current and not ends_sentence(current[-1].text) and g.at_right(current[-1]):
            # Lines off the margins inside an unfinished sentence, which then goes on: captions.
            ahead = lines[i + 1 : i + 1 + CAPTION_LOOKAHEAD]
            resume = next(
                (n for n, nxt in enumerate(ahead, 1) if _continues(g, current[-1], nxt, check_gap=False)), 0
            )
            if resume and all(
                not g.at_left(c) or not g.same_size(current[-1], c) for c in lines[i : i + resume]
            ):
                captions.extend(lines[i : i + resume])
                i += resume
                continue
        flush()
        current.append(ln)
        i += 1
    flush()
    return parts
