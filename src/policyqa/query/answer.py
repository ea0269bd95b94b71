"""Extractive answers with verbatim citations, and abstention when the evidence does not answer.

An answer is composed only of sentences copied from the retrieved passages; each carries a marker
[n] pointing at a citation with exact offsets into the cleaned document. Before answering we check
that the evidence meets the question's hard constraints (the place and year it names, the kind of
figure it asks for) and covers its content words; otherwise we say the documents do not contain it.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from ..models.calibrate import scale
from ..text.normalize import search_key
from ..text.segment import split_sentences
from .analysis import QueryAnalysis
from .constraints import violations
from .params import CONFIDENCE, SENTENCES
from .retrieve import Hit


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


Picked = tuple[Hit, int, int, float]  # a passage, the quoted sentence's span in it, and its score


def overlap(terms: dict[str, float], key: str) -> float:
    """IDF-weighted share of ``terms`` found in the search key ``key``."""
    total = sum(terms.values()) or 1.0
    return sum(w for t, w in terms.items() if search_key(t) in key) / total


class Answerer:
    def __init__(self, index, embedder, settings):
        self.index, self.embedder, self.settings = index, embedder, settings
        self.calibration = index.manifest["model"]["calibration"]

    def evidence_text(self, hits: list[Hit]) -> str:
        parts = []
        for h in hits:
            doc = self.index.documents.get(h.chunk.doc_id, {})
            meta = doc.get("metadata", {})
            parts.append(
                " ".join(
                    [
                        h.chunk.title,
                        *h.chunk.section,
                        h.chunk.text,
                        str(meta.get("region", "")),
                        str(meta.get("year", "")),
                        str(meta.get("date", "")),
                    ]
                )
            )
        return search_key(" ".join(parts))

    def judge(
        self, analysis: QueryAnalysis, hits: list[Hit], picked: list[Picked]
    ) -> tuple[float, list[str]]:
        """Confidence in [0, 1] that the quoted evidence answers the question, and reasons against it."""
        if not hits or not picked:
            return 0.0, ["没有检索到相关段落"]
        cited = list({id(h): h for h, *_ in picked}.values())
        evidence = self.evidence_text(cited)
        quotes = "".join(h.chunk.text[s:e] for h, s, e, _ in picked)
        reasons = violations(analysis, evidence, quotes)
        covered = overlap(analysis.terms, evidence)
        dense = max((h.sources.get("dense", 0.0) for h in hits[: CONFIDENCE.dense_top]), default=0.0)
        w = self.settings.coverage_weight
        confidence = w * covered + (1 - w) * scale(dense, self.calibration)
        if analysis.subject and search_key(analysis.subject) not in search_key(quotes):
            # Soft: paraphrases name the subject differently, but a quote without it is weaker evidence.
            confidence *= self.settings.subject_penalty
        if reasons:
            confidence = min(confidence, CONFIDENCE.veto_cap * self.settings.abstain_threshold)
        return confidence, reasons

    def pick_sentences(self, analysis: QueryAnalysis, hits: list[Hit]) -> list[Picked]:
        """Score sentences of the top passages; a follow-up's own words outweigh the earlier turn's."""
        candidates = [
            (hit, s, e)
            for hit in hits[: self.settings.answer_passages]
            for s, e in split_sentences(hit.chunk.text)
        ]
        if not candidates:
            return []
        texts = [h.chunk.text[s:e] for h, s, e in candidates]
        figure = analysis.figure.shows if analysis.figure else None
        p = SENTENCES
        lexical = []
        for (hit, _, _), text in zip(candidates, texts):
            key = search_key(text)
            share = overlap(analysis.terms, key)
            if analysis.followup:
                share = p.focus_share * overlap(analysis.focus_terms, key) + (1 - p.focus_share) * share
            bonus = p.figure_bonus if figure is not None and figure.search(key) else 0.0
            lexical.append(p.lexical_share * share + bonus + p.rank_bonus / hit.rank)
        # Embedding every sentence costs more than the search itself; only the lexical front-runners
        # get a dense score, which decides among them.
        shortlist = sorted(range(len(candidates)), key=lambda i: -lexical[i])[
            : self.settings.answer_shortlist
        ]
        qv = self.embedder.embed_batch([analysis.text], "query")[0]
        dense = self.embedder.embed_batch([texts[i] for i in shortlist], "passage") @ qv
        scored = [(*candidates[i], lexical[i] + p.dense_share * float(d)) for i, d in zip(shortlist, dense)]
        scored.sort(key=lambda x: -x[3])
        best = scored[0][3]
        chosen = [scored[0]]
        for item in scored[1:]:
            if len(chosen) >= self.settings.answer_sentences or item[3] < best - p.margin:
                break
            chosen.append(item)
        # Read in document order, as the author wrote it.
        return sorted(chosen, key=lambda x: (x[0].rank, x[1]))

    def answer(self, analysis: QueryAnalysis, hits: list[Hit], retrieve_ms: float = 0.0) -> Answer:
        t1 = time.perf_counter()
        picked = self.pick_sentences(analysis, hits)
        confidence, reasons = self.judge(analysis, hits, picked)
        abstained = confidence < self.settings.abstain_threshold or not picked
        numbers: dict[str, int] = {}
        citations: list[Citation] = []
        parts = []
        if not abstained:
            for hit, s, e, _ in picked:
                n = numbers.setdefault(hit.chunk.chunk_id, len(numbers) + 1)
                if n > len(citations):
                    citations.append(Citation.of(n, hit, s, e))
                parts.append(f"{hit.chunk.text[s:e]}[{n}]")
            text = "".join(parts)
        else:
            why = "；".join(dict.fromkeys(reasons)) if reasons else "检索到的段落与问题关系不大"
            text = f"资料中未找到该问题的答案（{why}）。以下段落可能相关，请核对。"
        related = [Citation.of(i + 1, h) for i, h in enumerate(hits)] if abstained else []
        answer_ms = (time.perf_counter() - t1) * 1000
        timing = {
            "retrieve": round(retrieve_ms, 1),
            "answer": round(answer_ms, 1),
            "total": round(retrieve_ms + answer_ms, 1),
        }
        return Answer(
            text, abstained, citations, related, analysis.text, round(confidence, 4), reasons, timing
        )
