"""Turn PDF-extracted or plain Chinese text into clean blocks: title, headings, paragraphs, captions.

PDF text arrives hard-wrapped at a fixed width, with blank lines inside paragraphs and photo captions
dropped into the middle of sentences. We rebuild paragraphs from line geometry: a line that fills the
measured width, or does not end a sentence, continues its paragraph; short lines that interrupt an
unfinished sentence are captions and are moved out of the running text.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from ..text.normalize import DOCNUM_RE, display_width, has_cjk, normalize_chars, tidy_spaces
from .artefacts import repair_lines

SENTENCE_END = "。！？!?；;：:…"
CLOSERS = "”’」』）)》〉】"

_NUM = "一二三四五六七八九十百千零〇两"
# (pattern, rank): lower rank = higher in the outline. 第X条 is an article: a heading followed by body.
HEADING_PATTERNS: list[tuple[re.Pattern[str], int]] = [
    (re.compile(rf"^第[{_NUM}\d]+编(?=\s|$|[^\d])"), 1),
    (re.compile(rf"^第[{_NUM}\d]+章(?=\s|$|[^\d])"), 2),
    (re.compile(rf"^第[{_NUM}\d]+节(?=\s|$|[^\d])"), 3),
    (re.compile(rf"^[{_NUM}]+(?:、|[．.](?!\d))"), 4),  # 一、2018年工作回顾 is a heading; 一.5 is not
    (re.compile(rf"^[（(][{_NUM}]+[）)]"), 5),
    (re.compile(r"^\d{1,2}[、．.](?![\d.])"), 6),
    (re.compile(r"^[（(]\d{1,2}[）)]"), 7),
    (re.compile(r"^[①-⑳]"), 8),
]
ARTICLE_RE = re.compile(rf"^(第[{_NUM}\d]+条)[\s　]*")
ARTICLE_RANK = 9
MAX_HEADING_WIDTH = 40


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


def heading_rank(line: str) -> int | None:
    for pattern, rank in HEADING_PATTERNS:
        if pattern.match(line):
            return rank
    return None


# A note in brackets after a finished sentence, as plans mark each task's bodies at its end
# ("…力争突破一批原创性成果。（牵头单位：省科技厅，责任单位：省教育厅）").
_NOTE = re.compile(r"[（(][^（）()]*[）)]$")


def ends_sentence(line: str) -> bool:
    stripped = line.rstrip(CLOSERS)
    if bool(stripped) and stripped[-1] in SENTENCE_END:
        return True
    before = _NOTE.sub("", line.rstrip())
    return before != line.rstrip() and ends_sentence(before)


def _is_heading_line(line: str) -> bool:
    return (
        heading_rank(line) is not None
        and display_width(line) <= MAX_HEADING_WIDTH
        and not line.endswith(("。", "；", "，", "、"))
    )


def _split_inline_heading(line: str) -> tuple[str, str] | None:
    """'（一）着力稳增长。今年……' → ('（一）着力稳增长。', '今年……') for one-paragraph-per-line texts."""
    if heading_rank(line) is None:
        return None
    m = re.match(r"^(.{2,40}?[。：:])(.+)$", line)
    if m and display_width(m.group(1)) <= MAX_HEADING_WIDTH:
        return m.group(1), m.group(2)
    return None


@dataclass
class _Line:
    text: str  # tidied
    raw: str  # before tidying: caption runs are separated by spaces there
    indented: bool  # began with whitespace in the source
    blank_before: bool
    blank_after: bool = False
    kind: str = "para"  # "para" | "text" | "caption" | "heading": what the file said (see readers.Part)
    rank: int = 0


def _lines(raw: str) -> list[_Line]:
    out: list[_Line] = []
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
            prev.text, prev.raw = _join([prev.text, text]), f"{prev.raw}{source_line.strip()}"
            soft = False
            continue
        out.append(_Line(text, source_line.strip(), source_line[:1].isspace(), blank))
        blank = False
    return out


def _is_hard_wrapped(lines: list[_Line]) -> tuple[bool, float]:
    """PDF text: many lines stop mid-sentence. Returns (wrapped?, typical full-line width)."""
    long = [ln for ln in lines if display_width(ln.text) >= 8]
    if len(long) < 4:
        return False, 0.0
    open_lines = [display_width(ln.text) for ln in long if not ends_sentence(ln.text)]
    if len(open_lines) < 0.3 * len(long):
        return False, 0.0
    return True, float(statistics.median(open_lines))


def _join(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        # Latin words wrapped across lines need their space back; Chinese never takes one.
        if text and part and not has_cjk(text[-1] + part[0]) and text[-1].isalnum() and part[0].isalnum():
            text += " "
        text += part
    return text


def _split_captions(line: _Line) -> list[str]:
    return [tidy_spaces(c) for c in re.split(r"(?<=[。.])\s+", line.raw) if c.strip()]


def _is_standalone_caption(ln: _Line, nxt: _Line | None, last_kind: str, width: float) -> bool:
    """A one-line block that is not part of the wrapped running text.

    Either it is wider than the wrap width (a different layout element, e.g. a caption under a photo),
    or it is a one-line sentence without any clause punctuation between a heading and the section's
    first real paragraph (photo captions placed under a heading).
    """
    one_line = nxt is None or ln.blank_after or nxt.indented or _is_heading_line(nxt.text)
    if not (one_line and ln.blank_before and ends_sentence(ln.text)):
        return False
    if display_width(ln.text) > 1.3 * width:
        return True
    no_clauses = not re.search(r"[，、；：,;:]", ln.text)
    return (
        last_kind in ("heading", "caption")
        and no_clauses
        and nxt is not None
        and not _is_heading_line(nxt.text)
    )


def _blocks_wrapped(lines: list[_Line], width: float) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    captions: list[str] = []
    last_kind = "start"

    def flush() -> None:
        nonlocal para, captions
        if para:
            blocks.extend(_para_blocks(_join(para)))
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
        if _is_heading_line(text) and not runs_on and (not is_open() or ln.blank_before):
            flush()
            blocks.append(Block("heading", text, heading_rank(text) or 0))
            last_kind = "heading"
            continue
        if is_open():
            interrupts = ln.indented or (short and ln.blank_before and ln.blank_after)
            captionish = ends_sentence(text) or not re.search(r"[，、；：]", text)
            if interrupts and captionish and nxt is not None and not _is_heading_line(nxt.text):
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
    if _is_heading_line(text):
        return [Block("heading", text, heading_rank(text) or 0)]
    if (split := _split_inline_heading(text)) is not None:
        return [Block("heading", split[0], heading_rank(text) or 0), Block("para", split[1])]
    return [Block("para", text)]


_PAIRS = (("《", "》"), ("（", "）"), ("(", ")"))
_CONTINUES = tuple("》）)”’」』，、；：。")


def _broken_off(prev: _Line, line: _Line) -> bool:
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
    )


def _rejoin(lines: list[_Line]) -> list[_Line]:
    out: list[_Line] = []
    for ln in lines:
        if out and _broken_off(out[-1], ln):
            prev = out[-1]
            prev.text = _join([prev.text, ln.text])
            prev.raw = f"{prev.raw} {ln.raw}"
            prev.blank_after = ln.blank_after
        else:
            out.append(ln)
    return out


def _blocks_unwrapped(lines: list[_Line]) -> list[Block]:
    blocks: list[Block] = []
    for ln in _rejoin(lines):
        if ln.kind == "heading":
            blocks.append(Block("heading", ln.text, ln.rank))
        elif ln.kind in ("caption", "text"):
            blocks.append(Block("caption" if ln.kind == "caption" else "para", ln.text))
        else:
            blocks.extend(_para_blocks(ln.text))
    return blocks


# Document kinds a title ends with, longest first ("实施细则" before "细则").
KINDS = (
    "实施细则 细则 实施办法 办法 实施意见 指导意见 意见 通知 决定 决议 批复 公告 通告 规定 条例 法 规划 纲要 行动计划 "
    "计划 实施方案 方案 指南 报告 白皮书 倡议 规范 要点 措施 函"
).split()
_SUBTITLE = re.compile(r"^[（(][^（）()]{2,24}[）)]$")  # （2021-2025 年）, （试行）, （2022 版）


# Common words ending in 法 that name a method or an act, never a law ("生成文法", "遗传算法", "依法行政").
_NOT_A_LAW = tuple(
    "方法 文法 语法 算法 书法 手法 疗法 技法 兵法 笔法 画法 用法 说法 看法 想法 做法 写法 句法 词法 魔法 "
    "佛法 戏法 章法 刀法 拳法 剑法 司法 执法 立法 守法 违法 犯法 合法 非法 依法 变法 效法 设法".split()
)


def title_kind(title: str) -> str | None:
    """The kind of document a title names by its last word: 条例, 规划, 通知 …"""
    core = re.sub(r"[（(][^）)]*[）)]$", "", title).strip("》」” ")
    kind = next((kind for kind in KINDS if core.endswith(kind)), None)
    return None if kind == "法" and core.endswith(_NOT_A_LAW) else kind


def _looks_like_title(line: _Line) -> bool:
    text = line.text
    return (
        has_cjk(text)
        and heading_rank(text) is None
        and not ARTICLE_RE.match(text)
        and display_width(text) <= 60
        and not ends_sentence(text)
        and not text.endswith(("，", "、"))
    )


def clean_document(raw: str, title: str | None = None) -> CleanDoc:
    """Clean raw text into blocks with section paths and offsets into the returned text."""
    return _assemble(_lines(repair_lines(raw, ends_sentence)), title, wrapped=None)


def clean_parts(parts, title: str | None = None) -> CleanDoc:
    """Clean paragraphs a file already delimits (``readers.Part``): never re-wrapped, but tidied, and
    headings, articles and the title are found in them as in text."""
    lines = []
    for part in parts:
        text = tidy_spaces(" ".join(normalize_chars(part.text).split()))
        if text:
            lines.append(_Line(text, text, False, True, True, part.kind, part.rank))
    return _assemble(lines, title, wrapped=False)


def _assemble(lines: list[_Line], title: str | None, wrapped: bool | None) -> CleanDoc:
    found_title = None
    if (
        lines
        and lines[0].kind == "para"
        and _looks_like_title(lines[0])
        and (
            len(lines) == 1
            or lines[0].blank_after
            or title
            or _is_heading_line(lines[1].text)
            or DOCNUM_RE.match(lines[1].text)
            or _SUBTITLE.match(lines[1].text)
            # "“十四五”智能制造发展规划" directly followed by its text: a title by what it names
            or (title_kind(lines[0].text) and "，" not in lines[0].text)
        )
    ):
        found_title = lines[0].text
        lines = lines[1:]
        if lines and lines[0].kind == "para" and _SUBTITLE.match(lines[0].text):
            found_title += tidy_spaces(lines[0].text).replace(" ", "")
            lines = lines[1:]
    width = 0.0
    if wrapped is None:
        wrapped, width = _is_hard_wrapped(lines)
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
