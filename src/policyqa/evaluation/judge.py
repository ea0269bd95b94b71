"""Judging one answer of `policyqa eval`: whether it is right, which documents it cites, and, when it
failed, why.

An answer is correct when it is given, holds a gold string and every ``must_include`` string, and quotes
no figure from a document outside the question's gold documents; one that holds the gold but also
quotes such a figure (another year, region or version) is "mixed" and counts as wrong.
"""

from __future__ import annotations

import re

from ..text.normalize import search_key
from .questions import Question

_MARKER_RE = re.compile(r"\[\d+\]")
# Kinds of figure: a quote from another document "conflicts" when it states a figure of a kind the gold holds.
_FIGURES = {
    "percent": re.compile(r"\d(?:\.\d+)?%|百分之"),
    "money": re.compile(r"\d[\d.,]*[千万亿]*元"),
    "date": re.compile(r"\d{4}年|\d{1,2}月\d{1,2}日"),
    "count": re.compile(r"\d[\d.,]*[千万亿]?[个项家人户件所座台套名条次倍吨斤里亩]"),
}


def figure_kinds(text: str) -> set[str]:
    key = search_key(text)
    kinds = {name for name, pattern in _FIGURES.items() if pattern.search(key)}
    return kinds or ({"number"} if re.search(r"\d", key) else set())


def citation_ok(engine, citation, texts: dict[str, str]) -> bool:
    if citation.doc_id not in texts:
        texts[citation.doc_id] = engine.document(citation.doc_id)["text"]
    text = texts[citation.doc_id]
    return (
        bool(citation.quote)
        and text[citation.quote_start : citation.quote_end] == citation.quote
        and text[citation.start : citation.end] == citation.text
    )


def judge_answer(engine, q: Question, ans, texts: dict[str, str]) -> dict:
    """The row for one answer of ``q`` (all but its latency); ``texts`` caches the cited documents."""
    plain = _MARKER_RE.sub("", ans.answer)
    # With gold documents only, the answer must cite one of them.
    hit = (
        q.complete(plain)
        if (q.answers or q.must_include)
        else any(c.doc_id in q.gold_docs for c in ans.citations)
    )
    gold_kinds = set().union(*(figure_kinds(a) for a in q.answers + q.must_include))
    foreign = sorted(
        {
            c.doc_id
            for c in ans.citations
            if q.gold_docs and c.doc_id not in q.gold_docs and gold_kinds & figure_kinds(c.quote)
        }
    )
    answered = q.answerable and not ans.abstained and hit
    valid = [citation_ok(engine, c, texts) for c in ans.citations]
    return {
        "abstained": ans.abstained,
        "confidence": float(ans.confidence),
        "correct": bool(answered and not foreign),
        "mixed": bool(answered and foreign),
        "cited_docs": list(dict.fromkeys(c.doc_id for c in ans.citations)),
        "foreign_docs": foreign,
        "citations": len(valid),
        "citations_valid": all(valid) if valid else None,
        "answer": ans.answer,
        "reasons": ans.reasons,
    }


def cause(q: Question, answer: dict, retrieval: dict | None) -> str | None:
    """Why a question failed, in words a reader can act on; None when it did not fail."""
    rank = (retrieval or {}).get("rank")
    found = f"gold retrieved at rank {rank}" if rank else "gold not retrieved in the top 10"
    if not q.answerable:
        if answer["abstained"]:
            return None
        where = ", ".join(answer["cited_docs"]) or "no document"
        return f"answered an unanswerable question (confidence {answer['confidence']:.2f}) from {where}"
    if answer["correct"]:
        return None
    if answer["abstained"]:
        why = "; ".join(answer["reasons"]) or "confidence below the threshold"
        return f"refused ({why}); {found}"
    if answer["mixed"]:
        return f"mixed: holds the gold but also quotes a figure from {', '.join(answer['foreign_docs'])}"
    wrong_docs = [d for d in answer["cited_docs"] if q.gold_docs and d not in q.gold_docs]
    if wrong_docs and not any(d in q.gold_docs for d in answer["cited_docs"]):
        return f"answered from the wrong document ({', '.join(wrong_docs)}); {found}"
    if rank:
        return f"gold retrieved at rank {rank} but another sentence quoted"
    return "gold not retrieved in the top 10"
