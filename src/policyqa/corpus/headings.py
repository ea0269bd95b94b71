"""What a single line of policy text is: the end of a sentence, a heading and its rank in the outline,
an article (第X条), a title and the kind of document it names.

These look at one line alone; ``clean`` uses them to decide where paragraphs break and what the outline
is, and the PDF reader (``readers.layout``) uses them to rebuild paragraphs from line geometry.
"""

from __future__ import annotations

import re

from ..text.normalize import display_width, has_cjk

SENTENCE_END = "。！？!?；;：:…"
CLOSERS = "”’」』）)》〉】"

_NUM = "一二三四五六七八九十百千零〇两"
# (pattern, rank): lower rank = higher in the outline. 第X条 is an article: a heading followed by body.
HEADING_PATTERNS: list[tuple[re.Pattern[str], int]] = [
    (re.compile(rf"^第[{_NUM}\d]+编(?=\s|$|[^\d])"), 1),
    (re.compile(rf"^第[{_NUM}\d]+章(?=\s|$|[^\d])"), 2),
    (re.compile(rf"^第[{_NUM}\d]+节(?=\s|$|[^\d])"), 3),
    (re.compile(rf"^[{_NUM}]+(?:、|[．.](?!\d))"), 4),  # 一、2018年工作回顾 is a heading; 一.5 is not
    # An unnumbered part of a report named by the year it reports on ("首先报告２００１年的工作"): a
    # sibling of the numbered parts that follow it.
    (re.compile(r"^(?:首先|下面|现在|先)?(?:报告|回顾)\s*\d{4}\s*年的?(?:政府)?工作(?:情况|回顾)?$"), 4),
    (re.compile(rf"^[（(][{_NUM}]+[）)]"), 5),
    (re.compile(r"^\d{1,2}[、．.](?![\d.])"), 6),
    (re.compile(r"^[（(]\d{1,2}[）)]"), 7),
    (re.compile(r"^[①-⑳]"), 8),
]
ARTICLE_RE = re.compile(rf"^(第[{_NUM}\d]+条)[\s　]*")
ARTICLE_RANK = 9
MAX_HEADING_WIDTH = 40


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


def is_heading_line(line: str) -> bool:
    return (
        heading_rank(line) is not None
        and display_width(line) <= MAX_HEADING_WIDTH
        and not line.endswith(("。", "；", "，", "、"))
    )


def split_inline_heading(line: str) -> tuple[str, str] | None:
    """'（一）着力稳增长。今年……' → ('（一）着力稳增长。', '今年……') for one-paragraph-per-line texts."""
    if heading_rank(line) is None:
        return None
    m = re.match(r"^(.{2,40}?[。：:])(.+)$", line)
    if m and display_width(m.group(1)) <= MAX_HEADING_WIDTH:
        return m.group(1), m.group(2)
    return None


# Document kinds a title ends with, longest first ("实施细则" before "细则").
KINDS = (
    "实施细则 细则 实施办法 办法 实施意见 指导意见 意见 通知 决定 决议 批复 公告 通告 规定 条例 法 规划 纲要 行动计划 "
    "计划 实施方案 方案 指南 报告 白皮书 倡议 规范 要点 措施 函"
).split()
SUBTITLE = re.compile(r"^[（(][^（）()]{2,24}[）)]$")  # （2021-2025 年）, （试行）, （2022 版）


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


def looks_like_title(text: str) -> bool:
    return (
        has_cjk(text)
        and heading_rank(text) is None
        and not ARTICLE_RE.match(text)
        and display_width(text) <= 60
        and not ends_sentence(text)
        and not text.endswith(("，", "、"))
    )
