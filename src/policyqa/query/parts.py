"""Several questions in one message ("科普法是什么时候修订的？修订是在哪次会议上？"): each is answered on
its own, the later ones read as follow-ups of the earlier ones, and the answers are joined under the
questions they answer, their citations numbered in one run.

Officials often ask a figure and its context in one breath; answered as one question the message got the
first part's answer or the second's, never both. A message is split only where a question mark ends a
part that asks something itself; a statement before the question ("我们刚拿到一项专利授权。这种专利能
保护多少年？") stays with it.

Two or more measures asked at once ("2023年的经济增长目标和赤字率分别是多少？") are a message of several
questions too: answered as one, the quote that best matched one measure was the whole answer. They are
split only where the question says each is asked on its own (分别, 各是), and the split answer is used only
when the whole question's answer leaves a measure unnamed and the parts quote something it does not
("智能制造装备和工业软件的市场满足率分别要超过多少？" is answered by one sentence that gives both).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..text.normalize import search_key
from .answer import ARTICLE, LATEST_NOTE, Answer, Citation
from .figures import asked_figure

# What makes a part a question of its own (an interrogative word, or a final 吗/呢).
_ASKS = re.compile(
    r"多少|多大|多长|多久|几|什么|哪|谁|何|怎么|怎样|如何|为何|是否|有没有|有无|能否|可否|是不是|吗|呢"
)
_END = re.compile(r"(?<=[？?])")
_MARKER = re.compile(r"\[(\d+)\]")
# A quoted sentence: what comes before its marker, after a document's label or the one before it.
# (A citation names its passage, not each sentence quoted from it: quotes are compared by their text.)
_QUOTE = re.compile(r"([^\[\]】\n]+)\[\d+\]")
MAX_PARTS = 4  # more than this is a list of questions pasted in: answered as one text, as before


def question_parts(text: str) -> list[str]:
    """The questions of a message, in order; the message itself when it asks one thing (or very many)."""
    pieces = [p.strip() for p in _END.split(text) if p.strip()]
    parts: list[str] = []
    for piece in pieces:
        # A trailing remark belongs to the question before it, and so does "文号是多少？": the number of
        # the document the question before asks for ("有没有专门的行动计划？文号多少？") is read with it,
        # or the document it numbers is lost; so does "具体数字是多少？" after the figure it asks again.
        if parts and (not _asks(piece) or _numbers_the_last(piece)):
            parts[-1] += piece
        else:
            parts.append(piece)
    parts = list(dict.fromkeys(parts))  # a question pasted twice is asked once
    asking = [p for p in parts if _asks(p)]
    if len(asking) < 2 or len(parts) > MAX_PARTS or len(asking) != len(parts):
        return [text]
    return parts


# "分别", "各是": each of the things named before is asked about on its own.
_EACH = re.compile(r"分别|各自|各(?=是|为|有|要|达|占|多|几|在|应|拟|将|不)")
_AND = re.compile(r"以及|和|与|及|、")
# Where the measures begin: after the year, the document or the clause that scopes them all.
_SCOPED = re.compile(
    r"\d年(?:的|中|里)?|[，,：:；;。]|(?:提出|规定|明确|要求)的?"
    r"|(?:报告|规划|方案|计划|意见|通知|办法|条例|法)(?:中|里)的?"
)
_MEASURE = (2, 12)  # a measure named in 2–12 characters; longer, the "和" joins clauses, not measures


def coordinated(question: str) -> dict[str, str]:
    """Each measure and its own question when ``question`` asks the same of several joined by 和/与/及/、
    and says each is asked (分别, 各是); {} otherwise. The scope before the measures and the rest of the
    question go with each: "到2025年，智能制造装备和工业软件的市场满足率分别要超过多少？" → {"智能制造装备":
    "到2025年，智能制造装备的市场满足率要超过多少？", "工业软件": "到2025年，工业软件的市场满足率要超过多少？"}."""
    each = _EACH.search(question)
    if each is None or "《" in question or not _asks(question[each.end() :]):
        return {}
    head, rest = question[: each.start()], question[each.end() :]
    joins = list(_AND.finditer(head))
    if not joins:
        return {}
    scoped = [m.end() for m in _SCOPED.finditer(head, 0, joins[0].start())]
    start = scoped[-1] if scoped else 0
    # What follows the last measure and belongs to all ("…和工业软件的市场满足率": 的市场满足率).
    shared = head.find("的", joins[-1].end())
    shared = shared if shared >= 0 else len(head)
    # "高新技术企业的数量和科技型中小企业的数量": the shared part said with each is said once
    measures = [m.removesuffix(head[shared:]) for m in _AND.split(head[start:shared])]
    if shared < len(head) and any("的" in m for m in measures[:-1]):
        return {}  # "国家的促进科技成果转化法和浙江省的条例": what is shared is not clear
    if not 2 <= len(measures) <= MAX_PARTS or len(set(measures)) < len(measures):
        return {}
    if any(not _MEASURE[0] <= len(m) <= _MEASURE[1] or re.search(r"\d", m) for m in measures):
        return {}  # years set side by side are compared, not split
    return {m: head[:start] + m + head[shared:] + rest for m in measures}


def names_every(whole: Answer, measures) -> bool:
    """Whether the whole question's answer names every measure asked: then it is not split (the parts'
    answers would add the neighbouring figures each finds, not the one missing)."""
    said = search_key("".join(_quotes(whole)))  # the quotes, not their documents' labels
    return not whole.abstained and all(search_key(m) in said for m in measures)


def quoted_already(whole: Answer, answers: list[Answer]) -> bool:
    """Whether the whole question's answer quotes every sentence the answers of its parts quote (or the
    parts are all refused): then it is the better answer, one text."""
    said = _MARKER.sub("", whole.answer)
    return all(a.abstained or all(q in said for q in _quotes(a)) for a in answers)


def _quotes(answer: Answer) -> list[str]:
    # An article's number is written before its first quote only ("第五条 甲[1]乙[1]"): not part of it.
    return [ARTICLE.sub("", q).lstrip() for q in _QUOTE.findall(answer.answer)]


# "…粮食产了多少？具体数字是多少？": the figure of the question before, asked again more pointedly.
_BARE = re.compile(r"(?:那么?)?(?:具体)?的?(?:数字|数据|数额|数目|金额)?(?:具体)?(?:是|有|为)?多少[？?]?")


def _numbers_the_last(piece: str) -> bool:
    if _BARE.fullmatch(piece.strip()):
        return True
    figure = asked_figure(piece)
    return figure is not None and figure.name == "document number" and "《" not in piece


def _asks(piece: str) -> bool:
    core = re.sub(r"[\s？?！!。，,、；;：:]", "", piece)
    return bool(_ASKS.search(piece)) and len(core) >= 2


def _renumbered(text: str, numbers: dict[int, int]) -> str:
    """``text`` with its markers renumbered (a "[2018]" in a quote is no marker: it is left as it is)."""
    return _MARKER.sub(lambda m: f"[{numbers[int(m[1])]}]" if int(m[1]) in numbers else m[0], text)


def _place(c: Citation) -> tuple:
    return (c.doc_id, c.start, c.end, c.quote_start, c.quote_end)


def joined(message: str, parts: list[str], answers: list[Answer], total_ms: float) -> Answer:
    """One answer for the message: each part's answer under its question, citations numbered in one run
    (a sentence quoted for two parts keeps one number). It is refused only when every part is; it is as
    sure as its least sure answered part."""
    texts, citations, related, reasons = [], [], [], []
    cited: dict[tuple, int] = {}
    offered: set[tuple] = set()
    said: dict[str, int] = {}  # an answer's text → the first part it answered
    for i, (part, ans) in enumerate(zip(parts, answers), 1):
        numbers = {}
        for c in ans.citations:
            if (place := _place(c)) not in cited:
                cited[place] = len(citations) + 1
                citations.append(replace(c, n=cited[place]))
            numbers[c.n] = cited[place]
        body = _renumbered(ans.answer, numbers)
        if i > 1 and any(LATEST_NOTE in t for t in texts):  # said once is enough
            body = body.replace(f"\n{LATEST_NOTE}", "")
        # One sentence that answers two parts ("…126个重大项目，计划投资总额1746亿元。") is quoted once.
        if not ans.abstained and (first := said.setdefault(body.replace(f"\n{LATEST_NOTE}", ""), i)) < i:
            body = f"见（{first}）的回答。"
        texts.append(f"（{i}）{part}\n{body}")
        for c in ans.related:
            if (place := _place(c)) not in offered:
                offered.add(place)
                related.append(replace(c, n=len(related) + 1))
        reasons += [f"（{i}）{r}" for r in ans.reasons]
    answered = [a for a in answers if not a.abstained]
    confidence = min(a.confidence for a in answered) if answered else max(a.confidence for a in answers)
    return Answer(
        "\n\n".join(texts),  # a blank line: Markdown clients of the chat endpoint keep the parts apart
        not answered,
        citations,
        related,
        message,
        confidence,
        reasons,
        {"total": round(total_ms, 1), "parts": len(parts)},
    )
