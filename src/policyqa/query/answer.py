"""Extractive answers with verbatim citations, and abstention when the evidence does not answer.

An answer is composed only of sentences copied from the retrieved passages; each carries a marker
[n] pointing at a citation with exact offsets into the cleaned document. Before answering we check
that the evidence meets the question's hard constraints (the place and year it names, the kind of
figure it asks for) and covers its content words; otherwise we say the documents do not contain it.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from ..models.calibrate import scale
from ..text.normalize import search_key
from .analysis import QueryAnalysis
from .checks import HardChecks, evidence_text
from .compose import Composer
from .params import CONFIDENCE
from .picked import Picked
from .retrieve import Hit
from .scope import ScopeIndex
from .sentences import overlap
from .verify import Context, Verifier, features
from .widen import whole_sentences

RULES_THRESHOLD = 0.12  # the hand-set check's threshold, calibrated on the demo set (eval/README.md)


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

    @classmethod
    def of(cls, n: int, hit: Hit, s: int = 0, e: int = 0) -> Citation:
        """Citation ``n`` of ``hit``'s passage, quoting its characters ``s:e`` (none when both are 0)."""
        c = hit.chunk
        return cls(
            n, c.doc_id, c.title, c.section, c.text, c.start, c.end, round(hit.score, 6),
            c.text[s:e], c.start + s, c.start + e,
        )  # fmt: skip


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


ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇两\d]+条")  # an article's number
# Said under an answer taken from the latest of several versions because the question named none.
LATEST_NOTE = "（问题未指明年份或版本，以上依据最新的文件；问其他年份或版本请在问题中注明。）"


def article_of(section: list[str]) -> str | None:
    """The article a passage belongs to ("第十八条"), from the innermost heading of its section path."""
    m = ARTICLE.match(section[-1].strip()) if section else None
    return m.group(0) if m else None


class Answerer:
    def __init__(self, index, embedder, settings, scopes: ScopeIndex, verifier: Verifier | None = None):
        self.index, self.embedder, self.settings = index, embedder, settings
        self.calibration = index.manifest["model"]["calibration"]
        self.composer = Composer(embedder, settings, scopes)
        self.checks = HardChecks(index.documents, self.composer)
        self.labelled = len(index.documents) > 1  # one document needs no name on every quote
        self.verifier = verifier if settings.answer_check == "learned" else None
        if settings.abstain_threshold is not None:
            self.threshold = settings.abstain_threshold
        else:
            self.threshold = self.verifier.threshold if self.verifier else RULES_THRESHOLD

    def context(self, analysis: QueryAnalysis, hits: list[Hit]) -> Context:
        lexical = self.index.lexical
        return Context(
            analysis, hits, self.calibration, lexical.doc_freq, lexical.num_docs, self.index.documents,
            self.composer.scopes.cores, self.composer.scopes.untitled,
        )  # fmt: skip

    def assess(
        self, analysis: QueryAnalysis, hits: list[Hit], picked: list[Picked]
    ) -> tuple[float, list[str]]:
        """Confidence that the quoted answer is right, and reasons against it. With the learned check,
        the confidence is a probability (the verifier's score of the best quote, calibrated); a place the
        evidence does not mention at all remains a hard veto."""
        if self.verifier is None:
            return self.judge(analysis, hits, picked)
        if analysis.scope is not None and analysis.scope.empty:
            return 0.0, [analysis.scope.why_empty()]
        if not hits or not picked:
            return 0.0, ["没有检索到相关段落"]
        ctx = self.context(analysis, hits)
        scores = self.verifier.score(np.stack([features(c, ctx) for c in picked]))
        if analysis.figure is not None:
            # A figure question is answered by a sentence holding such a figure: the answer is as sure
            # as its best such sentence ("财政赤字10500亿元" beside "M2增长目标为17%" does not give the
            # deficit ratio). Without any, the hard check below says so.
            shows = [analysis.figure.shows.search(search_key(c.text)) is not None for c in picked]
            if any(shows):
                scores = scores[np.array(shows)]
        confidence = self.verifier.confidence(float(scores.max()))
        reasons, vetoed = self.checks.check(analysis, picked)
        if vetoed:
            confidence = min(confidence, CONFIDENCE.veto_cap * self.threshold)
        elif confidence < self.threshold and not reasons:
            reasons = ["引文与问题不符"]
        return confidence, reasons

    def judge(
        self, analysis: QueryAnalysis, hits: list[Hit], picked: list[Picked]
    ) -> tuple[float, list[str]]:
        """Confidence in [0, 1] that the quoted evidence answers the question, and reasons against it."""
        if analysis.scope is not None and analysis.scope.empty:
            return 0.0, [analysis.scope.why_empty()]
        if not hits or not picked:
            return 0.0, ["没有检索到相关段落"]
        cited = list({id(c.hit): c.hit for c in picked}.values())
        evidence = evidence_text(cited, self.index.documents)
        reasons = self.checks.reasons(analysis, picked, cited, evidence)
        quotes = "".join(c.text for c in picked)
        covered = overlap(analysis.terms, evidence)
        dense = max((h.sources.get("dense", 0.0) for h in hits[: CONFIDENCE.dense_top]), default=0.0)
        w = self.settings.coverage_weight
        confidence = w * covered + (1 - w) * scale(dense, self.calibration)
        if analysis.subject and search_key(analysis.subject) not in search_key(quotes):
            # Soft: paraphrases name the subject differently, but a quote without it is weaker evidence.
            confidence *= self.settings.subject_penalty
        if reasons:
            confidence = min(confidence, CONFIDENCE.veto_cap * self.threshold)
        return confidence, reasons

    def answer(
        self, analysis: QueryAnalysis, hits: list[Hit], retrieve_ms: float = 0.0, shown: int | None = None
    ) -> Answer:
        """The answer from ``hits``; a refusal offers the first ``shown`` of them (all by default)."""
        t1 = time.perf_counter()
        out_of_scope = analysis.scope is not None and analysis.scope.empty
        picked = [] if out_of_scope else self.composer.select(analysis, self.composer.score(analysis, hits))
        confidence, reasons = self.assess(analysis, hits, picked)
        abstained = confidence < self.threshold or not picked
        if not abstained:
            # Widened after the check, which was trained and calibrated on the clauses themselves.
            text, citations = self.write(whole_sentences(analysis, picked, self.composer.scopes))
            scope = analysis.scope
            if (
                scope is not None
                and scope.latest
                and any(c.doc_id in self.composer.scopes.series_of for c in citations)
            ):
                text += f"\n{LATEST_NOTE}"
            if analysis.readings:  # the year the question named by an event, as it was read
                text += f"\n（问题中的{'，'.join(analysis.readings)}。）"
        else:
            why = "；".join(dict.fromkeys(reasons)) if reasons else "检索到的段落与问题关系不大"
            offered = (
                "以下为其他年份或地区的相关段落，仅供参考" if out_of_scope else "以下段落可能相关，请核对"
            )
            text, citations = f"资料中未找到该问题的答案（{why}）。{offered}。", []
        related = [Citation.of(i + 1, h) for i, h in enumerate(hits[:shown])] if abstained else []
        answer_ms = (time.perf_counter() - t1) * 1000
        timing = {
            "retrieve": round(retrieve_ms, 1),
            "answer": round(answer_ms, 1),
            "total": round(retrieve_ms + answer_ms, 1),
        }
        return Answer(
            text, abstained, citations, related, analysis.text, round(confidence, 4), reasons, timing
        )

    def write(self, picked: list[Picked]) -> tuple[str, list[Citation]]:
        """The quotes with their [n] markers; with several documents, each group named by its document."""
        numbers: dict[str, int] = {}
        citations: list[Citation] = []
        parts, last_doc, last_article = [], None, None
        for c in picked:
            n = numbers.setdefault(c.hit.chunk.chunk_id, len(numbers) + 1)
            if n > len(citations):
                citations.append(Citation.of(n, c.hit, c.start, c.end))
            if self.labelled and c.doc_id != last_doc:
                parts.append(("\n" if parts else "") + f"【{self.composer.scopes.label(c.doc_id)}】")
            # Laws are cited by article: "第十八条 每年5月30日为全国科技工作者日。" (the heading is not
            # part of the quote, which stays the exact sentence).
            article = article_of(c.hit.chunk.section)
            if article and (c.doc_id, article) != (last_doc, last_article):
                parts.append(f"{article} ")
            last_doc, last_article = c.doc_id, article
            parts.append(f"{c.text}[{n}]")
        return "".join(parts), citations
