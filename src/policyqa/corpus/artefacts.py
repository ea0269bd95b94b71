"""Lines that text extracted from a PDF holds but the document never said: page numbers and split-off
subscripts.

A PDF converted to plain text keeps each page's number as a line of its own, usually in the middle of
a sentence that runs on to the next page ("紧扣检测装备精⏎1⏎准、可靠、智能"); joined back as they are,
the sentence reads "精1准" and a figure can grow a digit. A subscript or a footnote mark is set on its own
line as well ("广义货币M⏎2⏎预期增长12%左右", "细颗粒物（PM⏎2.5⏎）"), which cuts the sentence in two.

Page numbers are told from numbers of the text by how they run: they count up one page at a time, a
page apart. A table's row numbers count up too, but a few lines apart, and are left alone.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable

from ..text.normalize import normalize_chars

# A line that is only a page number ("3", "- 3 -", "第3页", "第3页 共10页", "3/10", "page 3 of 10"); its
# first number is the page's (the PDF reader drops such lines by where they sit, readers/layout.py).
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~·\s]*\d{1,4}[-—–－~·\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
# A page holds far more text than this; a table's numbered rows are a few dozen characters apart.
MIN_PAGE_CHARS = 300
MAX_PAGE_STEP = 2  # a page of pictures only, or a number the conversion lost, skips one
MAX_FIRST_PAGE = 5  # numbering may start after a cover and a contents page
# Most page breaks fall inside a sentence; a list whose long items each stand under a number on a line of
# their own never does.
MIN_INTERRUPTED = 0.25
_SUBSCRIPT = re.compile(r"^\d{1,2}(?:\.\d)?$")
_OPENS_MARK = ("[", "［", "【")
_MARK = re.compile(r"^[\[［【]\d{1,3}[\]］】]$")  # a footnote mark that ended up a line of its own
_CLOSES_MARK = ("]", "］", "】")


def _stripped(line: str) -> str:
    return normalize_chars(line).strip()


def page_number_lines(lines: list[str], ends_sentence: Callable[[str], bool]) -> set[int]:
    """Indices of the lines that are page numbers: a run of bare numbers counting up a page at a time
    (at least two, on average a page of text apart, none set between the brackets of a footnote mark,
    enough of them inside a sentence that ``ends_sentence`` says the line before does not finish)."""
    texts = [_stripped(line) for line in lines]
    run: list[tuple[int, int, int]] = []  # (line, number, characters of text before it)
    chars = 0
    for i, text in enumerate(texts):
        if text and PAGE_NUMBER.match(text) and not _between_marks(texts, i):
            value = int(re.search(r"\d+", text).group())
            step = value - run[-1][1] if run else None
            if (step is None and 1 <= value <= MAX_FIRST_PAGE) or (
                step is not None and 1 <= step <= MAX_PAGE_STEP
            ):
                run.append((i, value, chars))
        chars += len(text)
    if len(run) < 2:
        return set()
    gaps = [b[2] - a[2] for a, b in zip(run, run[1:])]
    before = [next((texts[j] for j in range(i - 1, -1, -1) if texts[j]), "") for i, _, _ in run]
    inside = sum(bool(prev) and not ends_sentence(prev) for prev in before)
    if statistics.median(gaps) < MIN_PAGE_CHARS or inside < MIN_INTERRUPTED * len(run):
        return set()
    return {i for i, _, _ in run}


def _neighbour(texts: list[str], i: int, step: int) -> str:
    j = i + step
    return texts[j] if 0 <= j < len(texts) else ""


def _between_marks(texts: list[str], i: int) -> bool:
    return _neighbour(texts, i, -1).endswith(_OPENS_MARK) and _neighbour(texts, i, 1).startswith(_CLOSES_MARK)


def _split_off(texts: list[str], i: int) -> bool:
    """Line ``i`` is a subscript or footnote number set apart from the words it belongs to: a short
    number right after a Latin letter ("M", "PM") or an opening bracket, with the sentence going on."""
    before, after = _neighbour(texts, i, -1), _neighbour(texts, i, 1)
    if not (_SUBSCRIPT.match(texts[i]) and before and after):
        return False
    return (before[-1].isascii() and before[-1].isalpha()) or _between_marks(texts, i)


def repair_lines(raw: str, ends_sentence: Callable[[str], bool]) -> str:
    """``raw`` without its page-number lines, and with split-off subscripts joined to their words."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pages = page_number_lines(lines, ends_sentence)
    lines = [line for i, line in enumerate(lines) if i not in pages]
    texts = [_stripped(line) for line in lines]
    out: list[str] = []
    i = 0
    while i < len(lines):
        if out and i + 1 < len(lines) and _split_off(texts, i):
            out[-1] = out[-1].rstrip() + texts[i] + lines[i + 1].lstrip()
            i += 2
            # "代表会议⏎[⏎1⏎]⏎以来的工作": the mark, whole again, goes back into its sentence.
            if _MARK.match(out[-1]) and len(out) > 1 and out[-2].strip() and i < len(lines):
                mark = out.pop()
                out[-1] = out[-1].rstrip() + mark + lines[i].lstrip()
                i += 1
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)
