"""Raw text into lines: tidied, with the blank lines and indents around each kept, soft wraps undone;
how lines join back into a paragraph; and whether the text is hard-wrapped at a fixed width (PDF text).

The line is the unit ``clean`` rebuilds paragraphs from; the PDF and Office readers join their own lines
with ``join_lines`` so that Latin words wrapped across lines get their space back the same way.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from ..text.normalize import display_width, has_cjk, normalize_chars, tidy_spaces
from .headings import ends_sentence


@dataclass
class Line:
    text: str  # tidied
    raw: str  # before tidying: caption runs are separated by spaces there
    indented: bool  # began with whitespace in the source
    blank_before: bool
    blank_after: bool = False
    kind: str = "para"  # "para" | "text" | "caption" | "heading": what the file said (see readers.Part)
    rank: int = 0


def read_lines(raw: str) -> list[Line]:
    out: list[Line] = []
    blank, soft = True, False
    for source in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        # Web pages mark a soft wrap with a line holding only a zero-width space, even inside a number
        # ("国内生产总值达到74.4⏎\u200b⏎万亿元"): the sentence goes on, it is no paragraph break.
        normalized = normalize_chars(source)
        invisible_only = bool(source.strip()) and not normalized.strip()
        if invisible_only and out and not blank and not ends_sentence(out[-1].text):
            soft = True
            continue
        source_line = re.sub(r"<!--.*?-->", "", normalized)
        text = tidy_spaces(
            source_line.lstrip("#").strip() if source_line.lstrip().startswith("#") else source_line
        )
        if not text:
            blank, soft = True, False
            if out:
                out[-1].blank_after = True
            continue
        if soft:
            prev = out[-1]
            prev.text, prev.raw = join_lines([prev.text, text]), f"{prev.raw}{source_line.strip()}"
            soft = False
            continue
        out.append(Line(text, source_line.strip(), source_line[:1].isspace(), blank))
        blank = False
    return out


def is_hard_wrapped(lines: list[Line]) -> tuple[bool, float]:
    """PDF text: many lines stop mid-sentence. Returns (wrapped?, typical full-line width)."""
    long = [ln for ln in lines if display_width(ln.text) >= 8]
    if len(long) < 4:
        return False, 0.0
    open_lines = [display_width(ln.text) for ln in long if not ends_sentence(ln.text)]
    if len(open_lines) < 0.3 * len(long):
        return False, 0.0
    return True, float(statistics.median(open_lines))


def join_lines(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        # Latin words wrapped across lines need their space back; Chinese never takes one.
        if text and part and not has_cjk(text[-1] + part[0]) and text[-1].isalnum() and part[0].isalnum():
            text += " "
        text += part
    return text
