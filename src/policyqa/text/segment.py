"""Chinese segmentation in one place: jieba words, content words of a question, sentence spans.

Every layer that needs words (the BM25 analyzer, question analysis, answer checks) calls these
functions; nobody else touches jieba.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from .normalize import CHINESE_FORMS, CJK, search_key

# Question scaffolding carries no topic; dropping it keeps short questions from matching everything.
# Asking for a definition ("怎么界定", "是如何定义的", "的含义是什么") names no word of the answer: a law
# defines with "本法所称X，是指…" and never writes 界定 or 定义 there. These come first: "怎么" alone would
# leave 界定 behind as a word the answer must say. A polite "请" opens the question ("请列出…"): inside a
# word it is no scaffolding ("申请专利", "聘请", "提请审议" would lose their verb).
ASKS_DEFINITION = "(?:怎么|怎样|如何)(?:来)?(?:界定|定义)"
QUERY_PHRASES = re.compile(
    f"(?:是)?{ASKS_DEFINITION}(?:的)?|的(?:定义|含义)是什么|"
    "是什么|是多少|有多少|多少|哪些|哪个|哪里|哪家|哪一|什么|怎么样|怎么|怎样|如何|是否|是不是|请问|一下|有没有|"
    "分别|具体|情况|主要|包括|相关|(?<![\u4e00-\u9fff])请|吗|呢|么|啊|吧|几"
)
# A line without final punctuation (a date line under a title, a list item) is a sentence of its own.
_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]+(?:[。！？；!?;]+[”’」』）)]*|(?=\n)|$)")
_RUN_RE = re.compile(f"[{CJK}]+|[A-Za-z]+|\\d+(?:\\.\\d+)?%?")
_CJK_START = re.compile(f"[{CJK}]")


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    """jieba's precise-mode words."""
    return _jieba().lcut(text)


def search_words(text: str) -> list[str]:
    """jieba's search-mode words: long words and the shorter words inside them (for indexing)."""
    return _jieba().lcut_for_search(text)


@lru_cache(maxsize=4096)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's words of ``text`` with their part-of-speech flags (cached: the checks tag one clause
    once per word of the question they look for in it)."""
    import jieba.posseg

    _jieba()
    return tuple((w, flag) for w, flag in jieba.posseg.cut(text))


def _with_short_forms(run: str) -> list[str]:
    """jieba's words of ``run``, where a short form officials use ("高企", "双创") is one word: jieba cuts
    "到2025年高企要达到" into 高/企要. A form is taken only where jieba cut it into words that start where
    it starts, and either end where it ends (专项/债 → 专项债) or begin with a character jieba found no
    word for (高/企要): the "高企" of 提高企业, the "科技部" of 科技/部门 and the "科技厅" of 科技/厅长 stay as
    jieba cut them, and "国企改革" stays one word (whose forms term_forms finds)."""
    cut = words(run)
    starts, pos = {}, 0
    for w in cut:
        starts[pos] = w
        pos += len(w)
    for s, first in starts.items():
        form = next((f for f in CHINESE_FORMS if run.startswith(f, s)), None)
        end = s + len(form) if form is not None else s
        split = any(b in starts for b in range(s + 1, end))
        if split and (end in starts or end == len(run) or len(first) == 1):
            head = [w for at, w in starts.items() if at < s]
            return [*head, form, *_with_short_forms(run[end:])]
    return cut


def content_words(text: str) -> list[str]:
    """Words of two or more characters, Latin words and figures, question scaffolding removed; in order,
    without duplicates."""
    core = QUERY_PHRASES.sub(" ", text)
    found: list[str] = []
    for run in _RUN_RE.findall(core):
        if _CJK_START.match(run):
            found.extend(w for w in _with_short_forms(run) if len(w) >= 2)
        else:
            found.append(run.lower())
    return list(dict.fromkeys(found))


# A plan's note on who carries out a task ("（牵头单位：省科技厅，责任单位：省教育厅）", "（省科技厅牵头）"),
# a sentence of its own after the task it closes, though no "。" ends it.
_BODIES_NOTE = re.compile(r"[（(][^（）()]*(?:牵头|负责|责任|配合|参与|承办)[^（）()]*[）)]")


# A definition: the words before 是指 name the term it defines ("本法所称科技成果，是指…").
_DEFINES = re.compile(r"([^，。；：,;:\n]{1,40}?)[，,]?(?:是指|系指|指的是)")


def defined_terms(text: str) -> list[str]:
    """What ``text`` defines, each with the words before it in its clause ("第二条 本法所称科技成果")."""
    return _DEFINES.findall(text)


def defines(text: str, term: str) -> bool:
    """``text`` defines ``term``: "职务科技成果，是指" defines 职务科技成果 and 科技成果, not 职务发明创造;
    so does a sentence opening on the term and saying what it is ("场景创新是以新技术的创造性应用为导向，
    …的过程")."""
    key = search_key(term)
    if re.match(rf"(?:所谓)?[“\"]?{re.escape(key)}[”\"]?[，,]?是(?!否|不是)", search_key(text).lstrip()):
        return True
    return any(head.endswith(key) for head in defined_terms(text))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of at least two characters, surrounding spaces excluded."""
    spans = []
    for m in _SENTENCE_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        note = _BODIES_NOTE.match(text, s)
        if note and text[note.end() : e].strip():
            spans.append((s, note.end()))  # "（牵头单位：省国资委）支持国有企事业单位…。": two sentences
            s = note.end()
            while s < e and text[s].isspace():
                s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= 2:
            spans.append((s, e))
    return spans


# The colon that opens a list of "；" clauses ("今年发展的主要预期目标是：\n国内生产总值增长7.5%；\n城镇
# 新增就业900万人以上；…"); an ASCII colon between digits is a time, not a lead.
_LIST_COLON = re.compile(r"：|:(?!\d)")
_LEAD_START = re.compile(r"[。！？!?；;\n]")
_CLAUSES_ONLY = re.compile(r"[^。！？!?：:]*")
# Words that open an enumeration of items ("国家设立下列国家科学技术奖：").
ENUMERATING = "下列|以下|如下"
_ENUMERATES = re.compile(ENUMERATING)
# The mark a numbered item opens with ("（一）", "（1）", "二、", "3."), by kind of numbering. Such an item
# stands on its own: a law's "有下列情形之一的：" opens items that each say what they say, and reading the
# lead into every one would make them all alike.
ITEM = re.compile(
    r"\s*(?:(?P<paren>[（(][一二三四五六七八九十]{1,3}[）)])|(?P<paren_digit>[（(]\d{1,2}[）)])"
    r"|(?P<han>[一二三四五六七八九十]{1,3}、)|(?P<digit>\d{1,2}[.．、]))"
)


def note_task(text: str, start: int, end: int, heading: str = "") -> str:
    """What the note on bodies at ``start:end`` of ``text`` is about: the item's heading ("1.打造人工智能
    人才高地。") and the sentence it closes ("支持优势创新主体参与标准制订。"); empty for other sentences."""
    if not _BODIES_NOTE.fullmatch(text[start:end].strip()):
        return ""
    before = [(s, e) for s, e in split_sentences(text[:start]) if text[s:e].strip()]
    closed = text[before[-1][0] : before[-1][1]].strip() if before else ""
    if _BODIES_NOTE.fullmatch(closed):  # two notes in a row: the second still speaks of the task
        closed = ""
    return heading + closed if closed != heading else heading


# "其中科技型中小企业19862家，占总数的97.1%。" breaks down the total the sentence before it gives.
_BREAKDOWN = re.compile(r"\s*其中(?!之一)")


def breaks_down(text: str, start: int = 0) -> bool:
    """Whether the sentence at ``start`` of ``text`` opens on 其中, a part of the whole the sentence
    before it names."""
    return _BREAKDOWN.match(text, start) is not None


def breakdown_lead(text: str, start: int, longest: int = 80) -> str:
    """The sentence or "；" clause before the one at ``start`` when that one opens on 其中: a part of
    the whole just named ("全疆入网登记科技型企业20450家。其中科技型中小企业19862家，占总数的97.1%。")
    says of what only with it. At most its last ``longest`` characters."""
    if not breaks_down(text, start):
        return ""
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == 0:
        return ""
    near = max(0, end - 1 - 4 * longest)
    head = max((m.end() for m in _LEAD_START.finditer(text, near, end - 1)), default=near)
    return text[head:end].strip()[-longest:]


def clause_lead(text: str, start: int, reach: int = 400, longest: int = 80, numbered: bool = False) -> str:
    """The lead that the clause at ``start`` continues, when it is an item of a colon-opened list of
    "；" clauses: "今年发展的主要预期目标是：" for "国内生产总值增长7.5%；", which says neither that it
    is a target nor whose. Empty when the clause opens its own sentence, when more than ``reach``
    characters of items lie between, or when any sentence ends between. At most the last ``longest``
    characters of the lead. Numbered items ("（三）负责管理技术合同的认定登记工作；" under "市科学技术行政
    部门履行下列职责：") stand on their own unless ``numbered``: their lead names who does them, which
    only a question asking who needs, and it would make every item of a law's list alike."""
    if ITEM.match(text, start) and not numbered:
        return ""
    colon = None
    for m in _LIST_COLON.finditer(text, max(0, start - reach), start):
        colon = m
    if colon is None:
        return ""
    between = text[colon.end() : start]
    if not _CLAUSES_ONLY.fullmatch(between) or (
        between.strip() and not between.rstrip().endswith(("；", ";"))
    ):
        return ""
    # The lead begins after the last sentence or clause end before its colon (within ``reach``).
    near = max(0, colon.start() - reach)
    head = max((m.end() for m in _LEAD_START.finditer(text, near, colon.start())), default=near)
    lead = text[head : colon.end()].strip()
    if _ENUMERATES.search(lead) and not numbered:
        return ""
    return lead[-longest:] if len(lead) >= 2 else ""


def mentions(text: str, name: str, suffixes: tuple[str, ...] = ()) -> int:
    """How often ``text`` names ``name`` as a word of its own (or with one of ``suffixes``, as jieba
    keeps 济南市 whole): 通化 is no word of "普通化妆品", nor 长治 of "长治久安". Each occurrence is cut
    with a few characters either side, so a long text costs no more than its mentions."""
    forms = {name, *(name + s for s in suffixes)}
    count, at = 0, text.find(name)
    while at >= 0:
        start = max(0, at - 8)
        pos = start
        for w in words(text[start : at + len(name) + 8]):
            if pos == at:
                count += w in forms
                break
            if pos > at:
                break
            pos += len(w)
        at = text.find(name, at + len(name))
    return count
