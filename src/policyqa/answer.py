"""Extractive answers with verbatim citations, and abstention when the evidence does not answer.

An answer is composed only of sentences copied from the retrieved passages; each carries a marker
[n] pointing at a citation with exact offsets into the cleaned document. Before answering we check
that the evidence meets the question's hard constraints (the place and year it names, the kind of
figure it asks for) and covers its content words; otherwise we say the documents do not contain it.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

import numpy as np

from .lexical import QUERY_PHRASES, _jieba
from .retrieve import Hit
from .textnorm import CJK, search_key

PLACES = (
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 广西 海南 重庆 "
    "四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门 兵团 深圳 大连 青岛 厦门 宁波 乌鲁木齐 昌吉 石河子 "
    "哈密 喀什 伊犁 克拉玛依 吐鲁番 阿克苏 和田 库尔勒 中亚 哈萨克斯坦 塔吉克斯坦 吉尔吉斯斯坦 乌兹别克斯坦"
).split()
_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年?")
_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]+(?:[。！？；!?;]+[”’」』）)]*|$)")
# What kind of figure the question asks for, and how the evidence must show it.
FIGURE_KINDS = [
    (re.compile(r"比例|占比|百分之|百分比|比重|率"), re.compile(r"\d(?:\.\d+)?%|\d/\d|百分之|[一二三四五六七八九十]成")),
    (re.compile(r"多少钱|金额|资金|投资|拨款|经费|规模多大|多少亿|多少万|预算|融资"), re.compile(r"\d[\d.]*\s*[千万亿]*元|[千万亿]元")),
    (re.compile(r"哪一?天|哪一?年|何时|什么时候|日期|时间|哪个月"), re.compile(r"\d{4}年|\d{1,2}月|\d{1,2}日")),
    (re.compile(r"多少|几|数量|总数|个数"), re.compile(r"\d|[一二两三四五六七八九十百千万]+[个家项条所名人次批类]")),
]
_FOLLOWUP_RE = re.compile(r"^(那|那么|那在|那个|这|这个|这些|该|其|它|此|还有|另外|同时|然后|以及)|呢[？?]?$|(这个|这些|该|其|它|上述|前面|刚才)")


@dataclass
class Citation:
    n: int
    doc_id: str
    title: str
    section: list[str]
    text: str
    start: int
    end: int
    score: float
    quote: str = ""
    quote_start: int = 0
    quote_end: int = 0


@dataclass
class Answer:
    answer: str
    abstained: bool
    citations: list[Citation]
    related: list[Citation] = field(default_factory=list)
    query: str = ""
    confidence: float = 0.0
    reasons: list[str] = field(default_factory=list)
    timing_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def user_turns(history: list) -> list[str]:
    turns = []
    for item in history or []:
        if isinstance(item, str):
            turns.append(item)
        elif isinstance(item, dict) and item.get("role", "user") == "user" and item.get("content"):
            turns.append(str(item["content"]))
    return turns


def resolve_query(question: str, history: list) -> str:
    """A follow-up ("那兵团呢？", "这个基金规模多大？") is searched together with the previous question."""
    turns = user_turns(history)
    if not turns:
        return question
    core = QUERY_PHRASES.sub("", re.sub(r"[？?！!。，,\s]", "", question))
    if _FOLLOWUP_RE.search(question) or len(core) <= 6:
        return f"{turns[-1]} {question}"
    return question


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _SENTENCE_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= 2:
            spans.append((s, e))
    return spans


def content_terms(question: str) -> list[str]:
    core = QUERY_PHRASES.sub(" ", question)
    words = []
    for run in re.findall(f"[{CJK}]+|[A-Za-z]+|\\d+(?:\\.\\d+)?%?", core):
        if re.match(f"[{CJK}]", run):
            words.extend(w for w in _jieba().lcut(run) if len(w) >= 2)
        else:
            words.append(run.lower())
    seen: dict[str, None] = {}
    for w in words:
        seen.setdefault(w, None)
    return list(seen)


def constraints(question: str) -> tuple[list[str], list[str]]:
    places = [p for p in PLACES if p in question]
    years = _YEAR_RE.findall(question)
    return places, years


class Answerer:
    def __init__(self, retriever, index, embedder, settings):
        self.retriever, self.index, self.embedder, self.settings = retriever, index, embedder, settings

    def _idf(self, term: str) -> float:
        lexical = self.index.lexical
        return math.log(1 + lexical.num_docs / (1 + lexical.doc_freq(term)))

    def _weights(self, text: str) -> dict[str, float]:
        return {t: self._idf(t) for t in content_terms(text)}

    def evidence_text(self, hits: list[Hit]) -> str:
        parts = []
        for h in hits:
            doc = self.index.documents.get(h.chunk.doc_id, {})
            meta = doc.get("metadata", {})
            parts.append(" ".join([h.chunk.title, *h.chunk.section, h.chunk.text, str(meta.get("region", "")),
                                   str(meta.get("year", "")), str(meta.get("date", ""))]))
        return search_key(" ".join(parts))

    def judge(self, question: str, context_question: str, hits: list[Hit], quotes: str) -> tuple[float, list[str]]:
        """Confidence in [0, 1] that the evidence answers the question, with the reasons against it."""
        if not hits:
            return 0.0, ["没有检索到相关段落"]
        reasons = []
        evidence = self.evidence_text(hits[: self.settings.answer_passages])
        places, years = constraints(question)
        if not places and not years:
            places, years = constraints(context_question)
        for p in places:
            if search_key(p) not in evidence:
                reasons.append(f"资料未涉及“{p}”")
        for y in years:
            if y not in evidence:
                reasons.append(f"资料未涉及{y}年")
        quote_key = search_key(quotes)
        for asks, shows in FIGURE_KINDS:
            if asks.search(question):
                if not shows.search(quote_key):
                    reasons.append("引文中没有所问的数据")
                break
        terms = content_terms(context_question)
        weights = {t: self._idf(t) for t in terms}
        total = sum(weights.values()) or 1.0
        covered = sum(w for t, w in weights.items() if search_key(t) in evidence) / total
        dense = max((h.sources.get("dense", 0.0) for h in hits[:3]), default=0.0)
        confidence = 0.7 * covered + 0.3 * float(np.clip((dense - 0.75) / 0.15, 0.0, 1.0))
        if reasons:
            confidence = min(confidence, 0.2)
        return confidence, reasons

    def pick_sentences(self, query: str, hits: list[Hit], focus: str | None = None) -> list[tuple[Hit, int, int, float]]:
        """Score sentences of the top passages; ``focus`` (a follow-up's own words) outweighs the earlier turn."""
        candidates: list[tuple[Hit, int, int]] = []
        for hit in hits[: self.settings.answer_passages]:
            for s, e in split_sentences(hit.chunk.text):
                candidates.append((hit, s, e))
        if not candidates:
            return []
        texts = [h.chunk.text[s:e] for h, s, e in candidates]
        qv = self.embedder.embed_batch([query], "query")[0]
        sv = self.embedder.embed_batch(texts, "passage")
        dense = sv @ qv
        term_sets = [self._weights(query)]
        if focus and focus != query:
            term_sets = [self._weights(focus), term_sets[0]]
        figure = next((shows for asks, shows in FIGURE_KINDS if asks.search(query)), None)
        scored = []
        for (hit, s, e), text, d in zip(candidates, texts, dense):
            key = search_key(text)
            overlaps = [sum(w for t, w in ws.items() if search_key(t) in key) / (sum(ws.values()) or 1.0) for ws in term_sets]
            overlap = overlaps[0] if len(overlaps) == 1 else 0.7 * overlaps[0] + 0.3 * overlaps[1]
            bonus = 0.1 if figure is not None and figure.search(key) else 0.0
            prior = 0.1 / hit.rank
            scored.append((hit, s, e, 0.5 * overlap + 0.5 * float(d) + bonus + prior))
        scored.sort(key=lambda x: -x[3])
        best = scored[0][3]
        chosen = [scored[0]]
        for item in scored[1:]:
            if len(chosen) >= self.settings.answer_sentences or item[3] < best - 0.08:
                break
            chosen.append(item)
        # Read in document order, as the author wrote it.
        return sorted(chosen, key=lambda x: (x[0].rank, x[1]))

    def ask(self, question: str, history: list | None = None, k: int | None = None) -> Answer:
        import time

        t0 = time.perf_counter()
        query = resolve_query(question, history or [])
        hits = self.retriever.search(query, k or self.settings.top_k)
        t1 = time.perf_counter()
        picked = self.pick_sentences(query, hits, focus=question)
        quotes = "".join(h.chunk.text[s:e] for h, s, e, _ in picked)
        confidence, reasons = self.judge(question, query, hits, quotes)
        t2 = time.perf_counter()
        numbers: dict[str, int] = {}
        citations: list[Citation] = []
        parts = []
        abstained = confidence < self.settings.abstain_threshold or not picked
        if not abstained:
            for hit, s, e, _ in picked:
                n = numbers.setdefault(hit.chunk.chunk_id, len(numbers) + 1)
                if n > len(citations):
                    citations.append(self._cite(n, hit, s, e))
                parts.append(f"{hit.chunk.text[s:e]}[{n}]")
            text = "".join(parts)
        else:
            why = "；".join(dict.fromkeys(reasons)) if reasons else "检索到的段落与问题关系不大"
            text = f"资料中未找到该问题的答案（{why}）。以下段落可能相关，请核对。"
        related = [self._cite(i + 1, h, 0, 0) for i, h in enumerate(hits)] if abstained else []
        return Answer(text, abstained, citations, related, query, round(confidence, 4), reasons,
                      {"retrieve": round((t1 - t0) * 1000, 1), "answer": round((t2 - t1) * 1000, 1),
                       "total": round((t2 - t0) * 1000, 1)})

    def _cite(self, n: int, hit: Hit, s: int, e: int) -> Citation:
        c = hit.chunk
        quote = c.text[s:e]
        return Citation(n, c.doc_id, c.title, c.section, c.text, c.start, c.end, round(hit.score, 6),
                        quote, c.start + s, c.start + e)
