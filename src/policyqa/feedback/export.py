"""Ratings become eval questions, so evaluators grow the hand-labelled set from real use.

What each rating says, and what it becomes (the latest rating wins when a question was rated twice):

- 👍 on an answer: a labelled answerable question; its gold strings are the quoted sentences and its gold
  documents the cited ones (a later change that loses them shows up in ``policyqa eval``).
- 👍 on a refusal, or 👎 marked "the documents do not say": a labelled unanswerable question.
- 👎 with a correction found verbatim in a document: labelled, the correction is the gold string and the
  documents holding it are the gold documents.
- 👎 without a correction, or with one the documents do not contain word for word: a to-label entry in a
  separate file, with ``answerable: null`` so that no eval loads it before a person has labelled it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..text.normalize import search_key
from .store import Feedback

TYPE_CONFIRMED = "feedback-confirmed"
TYPE_REFUSAL = "feedback-refusal"
TYPE_CORRECTED = "feedback-corrected"
_WS = re.compile(r"\s+")


def _key(item: Feedback) -> tuple:
    return (_WS.sub("", item.question), tuple(_WS.sub("", h) for h in item.history))


def latest(items: list[Feedback]) -> list[Feedback]:
    """One rating per (question, earlier turns): the most recent."""
    chosen: dict[tuple, Feedback] = {}
    for item in sorted(items, key=lambda i: (i.updated, i.id)):
        chosen[_key(item)] = item
    return sorted(chosen.values(), key=lambda i: (i.updated, i.id))


def _forms(text: str) -> tuple[str, str]:
    """Text without whitespace, and its search key: the two forms eval gold strings are matched in."""
    return _WS.sub("", text), search_key(text)


def _holding(text: str, documents: dict[str, tuple[str, str]]) -> list[str]:
    plain, key = _forms(text)
    return sorted(d for d, (p, k) in documents.items() if plain and (plain in p or key in k))


def _base(item: Feedback) -> dict:
    tags = ["feedback", "up" if item.rating > 0 else "down", f"rated:{item.day}"]
    note = "; ".join(x for x in (item.comment.strip(), f"index {item.index_version}") if x)
    return {
        "id": f"fb-{item.id[:16]}",
        "question": item.question,
        "history": list(item.history),
        "tags": tags,
        "note": note,
        "source": "feedback",
        "feedback_id": item.id,
        "index_version": item.index_version,
    }


def _to_label(item: Feedback, reason: str) -> dict:
    return {
        **_base(item),
        "answerable": None,  # a person decides; load_eval_set refuses null, so it is never scored unlabelled
        "status": "to-label",
        "reason": reason,
        "given_answer": item.answer,
        "abstained": item.abstained,
        "citations": [
            {k: c.get(k) for k in ("n", "doc_id", "title", "section", "quote")} for c in item.citations
        ],
        "comment": item.comment,
        "correction": item.correction,
    }


def to_eval_items(
    items: list[Feedback], documents: dict[str, str] | None = None
) -> tuple[list[dict], list[dict]]:
    """(labelled eval questions, entries to label). ``documents`` (doc id → indexed text) is where a
    correction must be found verbatim to count as a gold string; without it every correction waits."""
    labelled, pending = [], []
    forms = {doc_id: _forms(text) for doc_id, text in (documents or {}).items()}
    for item in latest(items):
        base = _base(item)
        if item.rating > 0 and not item.abstained:
            quotes = list(dict.fromkeys(c["quote"] for c in item.citations if c.get("quote", "").strip()))
            docs = sorted({c["doc_id"] for c in item.citations if c.get("doc_id")})
            if not quotes and not docs:
                pending.append(_to_label(item, "👍 on an answer without citations"))
                continue
            labelled.append(
                {**base, "answerable": True, "answers": quotes, "gold_docs": docs, "type": TYPE_CONFIRMED}
            )
        elif (item.rating > 0 and item.abstained) or item.should_refuse:
            labelled.append(
                {**base, "answerable": False, "answers": [], "gold_docs": [], "type": TYPE_REFUSAL}
            )
        elif item.correction.strip():
            holding = _holding(item.correction.strip(), forms)
            if holding:
                labelled.append(
                    {**base, "answerable": True, "answers": [item.correction.strip()], "gold_docs": holding,
                     "type": TYPE_CORRECTED}
                )  # fmt: skip
            else:
                why = "the correction is not found word for word in the indexed documents"
                pending.append(
                    _to_label(item, why if documents else "no index to check the correction against")
                )
        else:
            pending.append(_to_label(item, "👎 without a correction"))
    return labelled, pending


def stats(items: list[Feedback]) -> dict:
    """Counts by day and by cited document (every rating, not only the latest per question)."""
    by_day: dict[str, Counter] = defaultdict(Counter)
    by_doc: dict[str, Counter] = defaultdict(Counter)
    titles: dict[str, str] = {}
    for item in items:
        mark = "up" if item.rating > 0 else "down"
        day = by_day[item.day]
        day[mark] += 1
        day["corrections"] += bool(item.correction.strip())
        day["refusals"] += item.abstained
        for doc_id in dict.fromkeys(c.get("doc_id") for c in item.citations if c.get("doc_id")):
            by_doc[doc_id][mark] += 1
            titles.setdefault(
                doc_id, next(c.get("title", "") for c in item.citations if c.get("doc_id") == doc_id)
            )
    up = sum(d["up"] for d in by_day.values())
    return {
        "total": len(items),
        "up": up,
        "down": len(items) - up,
        "satisfaction": round(up / len(items), 3) if items else None,
        "by_day": [{"day": k, **_counts(v)} for k, v in sorted(by_day.items())],
        "by_document": sorted(
            ({"doc_id": k, "title": titles.get(k, ""), **_counts(v)} for k, v in by_doc.items()),
            key=lambda r: (-r["down"], -r["up"], r["doc_id"]),
        ),
    }


def _counts(c: Counter) -> dict:
    out = {"up": c["up"], "down": c["down"]}
    for extra in ("corrections", "refusals"):
        if extra in c:
            out[extra] = c[extra]
    return out
