#!/usr/bin/env python3
"""Checks specific to OUR hand-labelled sets, on top of the checks every eval set gets.

Every set: `policyqa check-set FILE --corpus DIR` (valid JSON, required fields, unique ids, gold strings in
their gold documents). This script adds what the project promised about its own sets: the type
vocabulary, follow-ups with history, unanswerable questions without golds, minimum counts, and the
measured character overlap of paraphrases with the sentence that answers them.

    python eval/check_questions.py --set demo
    python eval/check_questions.py --set collection --corpus ~/.cache/policyqa/collection/corpus

Exit status 0 when everything passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import re
import statistics
import sys
from pathlib import Path

from policyqa.corpus.ingest import load_corpus
from policyqa.evaluation.questions import check_eval_set, load_eval_set
from policyqa.text.normalize import search_key
from policyqa.text.segment import QUERY_PHRASES, split_sentences

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "demo": {
        "questions": ROOT / "eval" / "questions.jsonl",
        "corpus": ROOT / "corpus",
        "types": {
            "docnum",
            "amount",
            "count",
            "date",
            "org_place",
            "list",
            "section",
            "paraphrase",
            "followup",
            "unanswerable",
        },
        "minimums": {"total": 90, "paraphrase": 20, "followup": 12, "unanswerable": 18},
    },
    "collection": {
        "questions": ROOT / "eval" / "collection" / "questions.jsonl",
        "corpus": Path.home() / ".cache" / "policyqa" / "collection" / "corpus",
        "types": {
            "figure",
            "date",
            "docnum",
            "issuer",
            "article",
            "liability",
            "list",
            "broad",
            "comparison",
            "definition",
            "unanswerable",
            "offtopic",
        },  # fmt: skip
        "minimums": {
            "total": 300,
            "paraphrase": 80,
            "followup": 30,
            "unanswerable": 60,
            "offtopic": 15,
            "year": 60,
        },
    },
}
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def bigrams(text: str) -> set[str]:
    return {
        run[i : i + 2] for run in _CJK_RUN.findall(QUERY_PHRASES.sub(" ", text)) for i in range(len(run) - 1)
    }


def overlap(question: str, golds: list[str], docs: list[str]) -> float | None:
    """Share of the question's character bigrams found in the sentence(s) holding its gold string."""
    asked = bigrams(question)
    best = None
    for text in docs:
        for s, e in split_sentences(text):
            sentence = text[s:e]
            if any(
                search_key(g) in search_key(sentence) or search_key(sentence) in search_key(g) for g in golds
            ):
                share = len(asked & bigrams(sentence)) / len(asked) if asked else 0.0
                best = share if best is None else max(best, share)
    return best


def check(name: str, questions_path: Path, corpus: Path) -> int:
    spec = SETS[name]
    documents = {d.doc_id: d.text for d in load_corpus(corpus).documents}
    errors = check_eval_set(questions_path, documents)
    questions = load_eval_set(questions_path)
    counts = collections.Counter(q.type for q in questions)
    tags = collections.Counter(t for q in questions for t in q.tags)
    for q in questions:
        if q.type not in spec["types"]:
            errors.append(f"{q.id}: type {q.type!r} is not one of ours")
        followup = q.type == "followup" or "followup" in q.tags
        if followup != bool(q.history):
            errors.append(f"{q.id}: follow-ups, and only they, carry a history")
        if not q.answerable and (q.gold_docs or q.answers):
            errors.append(f"{q.id}: unanswerable question with gold documents or strings")
    have = {
        "total": len(questions),
        "paraphrase": counts["paraphrase"] + tags["paraphrase"],
        "followup": sum(bool(q.history) for q in questions),
        "unanswerable": sum(not q.answerable and q.type != "offtopic" for q in questions),
        "offtopic": counts["offtopic"],
        "year": tags["year"] + tags["relative-year"],
    }
    for key, minimum in spec["minimums"].items():
        if have[key] < minimum:
            errors.append(f"need at least {minimum} {key} questions, have {have[key]}")
    shares = collections.defaultdict(list)
    for q in questions:
        if q.answerable and q.answers:
            share = overlap(q.question, q.answers, [documents[d] for d in q.gold_docs if d in documents])
            if share is not None:
                kind = "paraphrase" if q.type == "paraphrase" or "paraphrase" in q.tags else "other"
                shares[kind].append(share)
    print(f"{questions_path}: {len(questions)} questions; " + ", ".join(f"{k} {v}" for k, v in have.items()))
    print("  types: " + ", ".join(f"{t} {n}" for t, n in counts.most_common()))
    for kind, values in shares.items():
        print(
            f"  character-bigram overlap of {kind} questions with their gold sentence: "
            f"median {statistics.median(values):.2f}, mean {statistics.mean(values):.2f} (n={len(values)})"
        )
    for e in errors:
        print(f"ERROR: {e}")
    print("FAIL" if errors else "OK")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=sorted(SETS), default="demo")
    ap.add_argument("--questions", type=Path, default=None)
    ap.add_argument("--corpus", type=Path, default=None)
    args = ap.parse_args(argv)
    spec = SETS[args.set]
    return check(args.set, args.questions or spec["questions"], args.corpus or spec["corpus"])


if __name__ == "__main__":
    sys.exit(main())
