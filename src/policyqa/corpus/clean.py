"""Turn PDF-extracted or plain Chinese text into clean blocks: title, headings, paragraphs, captions.

PDF text arrives hard-wrapped at a fixed width, with blank lines inside paragraphs and photo captions
dropped into the middle of sentences. We rebuild paragraphs from line geometry: a line that fills the
measured width, or does not end a sentence, continues its paragraph; short lines that interrupt an
unfinished sentence are captions and are moved out of the running text.

The text is first read into lines (``lines``); what a single line is (a heading, an article, a title)
is told by ``headings``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.normalize import DOCNUM_RE, display_width, normalize_chars, tidy_spaces
from .artefacts import repair_lines
from .headings import (
    ARTICLE_RANK,
    ARTICLE_RE,
    SUBTITLE,
    ends_sentence,
    heading_rank,
    is_heading_line,
    looks_like_title,
    split_inline_heading,
    title_kind,
)
from .lines import Line, is_hard_wrapped, join_lines, read_lines


@dataclass
class Block:
    kind: str  # "title" | "heading" | "para" | "caption"
    text: str
    rank: int = 0
    section: tuple[str, ...] = ()
    start: int = 0
    end: int = 0


@dataclass
class CleanDoc:
    text: str
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None


def _split_captions(line: Line) -> list[str]:
    return [tidy_spaces(c) for c in re.split(r"(?<=[。.])\s+", line.raw) if c.strip()]


def _is_standalone_caption(ln: Line, nxt: Line | None, last_kind: str, width: float) -> bool:
    """A one-line block that is not part of the wrapped running text.

    Either it is wider than the wrap width (a different layout element, e.g. a caption under a photo),
    or it is a one-line sentence without any clause punctuation between a heading and the section's
    first real paragraph (photo captions placed under a heading).
    """
    one_line = nxt is None or ln.blank_after or nxt.indented or is_heading_line(nxt.text)
    if not (one_line and ln.blank_before and ends_sentence(ln.text)):
        return False
    if display_width(ln.text) > 1.3 * width:
        return True
    no_clauses = not re.search(r"[，、；：,;:]", ln.text)
    return (
        last_kind in ("heading", "caption")
        and no_clauses
        and nxt is not None
        and not is_heading_line(nxt.text)
    )


def _blocks_wrapped(lines: list[Line], width: float) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    captions: list[str] = []
    last_kind = "start"

    def flush() -> None:
        nonlocal para, captions
        if para:
            blocks.extend(_para_blocks(join_lines(para)))
        blocks.extend(Block("caption", c) for c in captions)
        para, captions = [], []

    def is_open() -> bool:
        if not para:
            return False
        last = para[-1]
        return not ends_sentence(last) or display_width(last) >= width - 1.5

    for i, ln in enumerate(lines):
        text, short = ln.text, display_width(ln.text) < 0.8 * width
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if para and ends_sentence(para[-1]) and (heading_rank(text) or ARTICLE_RE.match(text)):
            flush()  # a heading or article after a finished sentence starts anew, even after a full line
        # A full line that runs on into the next one is the start of a paragraph, not a heading line.
        runs_on = display_width(text) >= width - 1.5 and nxt is not None and not ln.blank_after
        if is_heading_line(text) and not runs_on and (not is_open() or ln.blank_before):
            flush()
            blocks.append(Block("heading", text, heading_rank(text) or 0))
            last_kind = "heading"
            continue
        if is_open():
            interrupts = ln.indented or (short and ln.blank_before and ln.blank_after)
            captionish = ends_sentence(text) or not re.search(r"[，、；：]", text)
            if interrupts and captionish and nxt is not None and not is_heading_line(nxt.text):
                captions.extend(_split_captions(ln))
                continue
            para.append(text)
            continue
        if _is_standalone_caption(ln, nxt, last_kind, width):
            flush()
            blocks.extend(Block("caption", c) for c in _split_captions(ln))
            last_kind = "caption"
            continue
        flush()
        para = [text]
        last_kind = "para"
        # A short line that ends a sentence closes its paragraph even without a blank line after it.
        if ends_sentence(text) and (short or ln.blank_after):
            flush()
    flush()
    return blocks


def _para_blocks(text: str) -> list[Block]:
    """One paragraph: an article's number split off as its heading, a heading line, a heading run into
    its paragraph ("（一）着力稳增长。今年……"), or plain text."""
    article = ARTICLE_RE.match(text)
    if article:
        rest = text[article.end() :].strip()
        return [Block("heading", article.group(1), ARTICLE_RANK)] + ([Block("para", rest)] if rest else [])
    if is_heading_line(text):
        return [Block("heading", text, heading_rank(text) or 0)]
    if (split := split_inline_heading(text)) is not None:
        return [Block("heading", split[0], heading_rank(text) or 0), Block("para", split[1])]
    return [Block("para", text)]


_PAIRS = (("《", "》"), ("（", "）"), ("(", ")"))
_CONTINUES = tuple("》）)”’」』，、；：。")


def _broken_off(prev: Line, line: Line) -> bool:
    """Web text broken inside a sentence ("全面实施《\n国家中长期科学和技术发展规划纲要\n》。"): the line
    before leaves a title or bracket open, or ends on an opening quote, or this line starts with what
    can only close or continue a sentence."""
    if prev.kind != "para" or line.kind != "para" or prev.blank_after:
        return False
    text = prev.text
    return (
        any(text.count(a) > text.count(b) for a, b in _PAIRS)
        or text.endswith(("“", "‘"))
        or line.text.startswith(_CONTINUES)
        # stopped mid-sentence at a word set on a line of its own as a link ("…提升。新建⏎高速铁路⏎…")
        or (_MID_SENTENCE.search(text) is not None and not heading_rank(line.text))
    )


# A sentence ended inside the line but not at its end ("…持续提升。新建"): running text broken off.
_MID_SENTENCE = re.compile(r"[。！？；][^。！？；]*[^。！？；：:…”’」』）)\s]$")


def _rejoin(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for ln in lines:
        if out and _broken_off(out[-1], ln):
            prev = out[-1]
            prev.text = join_lines([prev.text, ln.text])
            prev.raw = f"{prev.raw} {ln.raw}"
            prev.blank_after = ln.blank_after
        else:
            out.append(ln)
    return out


def _blocks_unwrapped(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    for ln in _rejoin(lines):
        if ln.kind == "heading":
            blocks.append(Block("heading", ln.text, ln.rank))
        elif ln.kind in ("caption", "text"):
            blocks.append(Block("caption" if ln.kind == "caption" else "para", ln.text))
        else:
            blocks.extend(_para_blocks(ln.text))
    return blocks


def clean_document(raw: str, title: str | None = None) -> CleanDoc:
    """Clean raw text into blocks with section paths and offsets into the returned text."""
    return _assemble(read_lines(repair_lines(raw, ends_sentence)), title, wrapped=None)


def clean_parts(parts, title: str | None = None) -> CleanDoc:
    """Clean paragraphs a file already delimits (``readers.Part``): never re-wrapped, but tidied, and
    headings, articles and the title are found in them as in text."""
    lines = []
    for part in parts:
        text = tidy_spaces(" ".join(normalize_chars(part.text).split()))
        if text:
            lines.append(Line(text, text, False, True, True, part.kind, part.rank))
    return _assemble(lines, title, wrapped=False)


def _assemble(lines: list[Line], title: str | None, wrapped: bool | None) -> CleanDoc:
    found_title = None
    if (
        lines
        and lines[0].kind == "para"
        and looks_like_title(lines[0].text)
        and (
            len(lines) == 1
            or lines[0].blank_after
            or title
            or is_heading_line(lines[1].text)
            or DOCNUM_RE.match(lines[1].text)
            or SUBTITLE.match(lines[1].text)
            # "“十四五”智能制造发展规划" directly followed by its text: a title by what it names
            or (title_kind(lines[0].text) and "，" not in lines[0].text)
        )
    ):
        found_title = lines[0].text
        lines = lines[1:]
        if lines and lines[0].kind == "para" and SUBTITLE.match(lines[0].text):
            found_title += tidy_spaces(lines[0].text).replace(" ", "")
            lines = lines[1:]
    width = 0.0
    if wrapped is None:
        wrapped, width = is_hard_wrapped(lines)
    blocks = _blocks_wrapped(lines, width) if wrapped else _blocks_unwrapped(lines)
    title = title or found_title
    if found_title:
        blocks.insert(0, Block("title", found_title))

    stack: list[tuple[int, str]] = []
    pieces: list[str] = []
    offset = 0
    for block in blocks:
        if block.kind == "heading":
            while stack and stack[-1][0] >= block.rank:
                stack.pop()
            stack.append((block.rank, block.text))
        block.section = tuple(text for _, text in stack)
        block.start, block.end = offset, offset + len(block.text)
        pieces.append(block.text)
        offset = block.end + 1
    return CleanDoc("\n".join(pieces), blocks, title)
