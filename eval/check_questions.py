#!/usr/bin/env python3
"""Validate the hand-labelled evaluation set eval/questions.jsonl.

Stdlib only.  Checks:
  * every line is a UTF-8 JSON object written with ensure_ascii=False
  * required keys, value types, allowed types, unique ids
  * answerable <-> answers / gold_docs consistency
  * "history" present exactly on "followup" questions, and every history
    entry repeats the text of an earlier question in the file
  * every gold string occurs in one of its gold documents after removing
    ALL whitespace from both the gold string and the document text
  * the minimum counts asked for by the issue

Prints counts by type.  Exit status 0 when everything passes, 1 otherwise.

Usage: python eval/check_questions.py [--questions PATH] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPES = (
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
)
REQUIRED = ("id", "question", "answers", "gold_docs", "answerable", "type")
ALLOWED = set(REQUIRED) | {"history"}
MINIMUMS = {"total": 90, "paraphrase": 20, "followup": 12, "unanswerable": 18}
WS = re.compile(r"\s+")


def strip_ws(text: str) -> str:
    return WS.sub("", text)


def load_corpus(corpus_dir: Path) -> dict[str, str]:
    return {p.stem: strip_ws(p.read_text(encoding="utf-8")) for p in sorted(corpus_dir.glob("*.txt"))}


def check(questions: Path, corpus_dir: Path) -> int:
    docs = load_corpus(corpus_dir)
    errors: list[str] = []
    notes: list[str] = []
    seen_ids: set[str] = set()
    seen_questions: list[str] = []
    seen_turns: set[tuple] = set()
    by_type: collections.Counter = collections.Counter()
    n_answerable = 0

    raw = questions.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        print(f"FAIL: {questions} is not UTF-8: {exc}")
        return 1

    records = 0
    for lineno, line in enumerate(text.splitlines(), 1):
        where = f"line {lineno}"
        if not line.strip():
            errors.append(f"{where}: blank line")
            continue
        if re.search(r"\\u[0-9a-fA-F]{4}", line):
            errors.append(f"{where}: \\u escapes found (write with ensure_ascii=False)")
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: invalid JSON: {exc}")
            continue
        if not isinstance(rec, dict):
            errors.append(f"{where}: not a JSON object")
            continue
        records += 1
        qid = rec.get("id")
        where = f"line {lineno} ({qid})"

        missing = [k for k in REQUIRED if k not in rec]
        extra = sorted(set(rec) - ALLOWED)
        if missing:
            errors.append(f"{where}: missing keys {missing}")
            continue
        if extra:
            errors.append(f"{where}: unexpected keys {extra}")

        if not isinstance(qid, str) or not re.fullmatch(r"q\d{3,}", qid):
            errors.append(f"{where}: id must look like 'q001'")
        elif qid in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(qid)

        q = rec["question"]
        if not isinstance(q, str) or not q.strip():
            errors.append(f"{where}: question must be a non-empty string")
            q = ""
        qtype = rec["type"]
        if qtype not in TYPES:
            errors.append(f"{where}: unknown type {qtype!r}")
        by_type[qtype] += 1

        answers, gold_docs, answerable = rec["answers"], rec["gold_docs"], rec["answerable"]
        if not isinstance(answerable, bool):
            errors.append(f"{where}: answerable must be true/false")
        if not isinstance(answers, list) or not all(isinstance(a, str) and a.strip() for a in answers):
            errors.append(f"{where}: answers must be a list of non-empty strings")
            answers = []
        if not isinstance(gold_docs, list) or not all(isinstance(d, str) for d in gold_docs):
            errors.append(f"{where}: gold_docs must be a list of strings")
            gold_docs = []
        if len(set(answers)) != len(answers):
            errors.append(f"{where}: duplicate gold strings")

        if answerable is True:
            n_answerable += 1
            if qtype == "unanswerable":
                errors.append(f"{where}: type 'unanswerable' but answerable is true")
            if not answers:
                errors.append(f"{where}: answerable question without answers")
            if not gold_docs:
                errors.append(f"{where}: answerable question without gold_docs")
            for d in gold_docs:
                if d not in docs:
                    errors.append(f"{where}: gold doc {d!r} not in {corpus_dir}")
            for a in answers:
                needle = strip_ws(a)
                hits = [d for d in gold_docs if d in docs and needle in docs[d]]
                if not hits:
                    errors.append(f"{where}: gold string {a!r} not found in {gold_docs}")
                elif sum(docs[d].count(needle) for d in hits) > 1:
                    notes.append(f"{where}: gold string {a!r} occurs more than once")
        elif answerable is False:
            if answers:
                errors.append(f"{where}: unanswerable question must have answers []")
            if gold_docs:
                errors.append(f"{where}: unanswerable question must have gold_docs []")
            if qtype != "unanswerable":
                errors.append(f"{where}: answerable is false but type is {qtype!r}")

        history = rec.get("history")
        if qtype == "followup":
            if (
                not isinstance(history, list)
                or not history
                or not all(isinstance(h, str) and h.strip() for h in history)
            ):
                errors.append(f"{where}: followup needs a non-empty history list of strings")
                history = []
            for h in history:
                if h not in seen_questions:
                    errors.append(f"{where}: history entry {h!r} is not an earlier question in the file")
        elif "history" in rec:
            errors.append(f"{where}: history is only allowed on followup questions")

        turn = (tuple(history or ()), q)
        if turn in seen_turns:
            errors.append(f"{where}: duplicate question {q!r} (same history)")
        seen_turns.add(turn)
        seen_questions.append(q)

    unanswerable = records - n_answerable
    minimum_checks = {
        "total": records,
        "paraphrase": by_type["paraphrase"],
        "followup": by_type["followup"],
        "unanswerable": by_type["unanswerable"],
    }
    for key, have in minimum_checks.items():
        if have < MINIMUMS[key]:
            errors.append(f"need at least {MINIMUMS[key]} {key} questions, have {have}")

    print(
        f"{questions.relative_to(ROOT) if questions.is_relative_to(ROOT) else questions}: "
        f"{records} questions ({n_answerable} answerable, {unanswerable} unanswerable)"
    )
    for t in TYPES:
        print(f"  {t:<13}{by_type[t]:>4}")
    for t in sorted(set(by_type) - set(TYPES)):
        print(f"  {t!s:<13}{by_type[t]:>4}  (unknown type)")
    for n in notes:
        print(f"note: {n}")
    if errors:
        for e in errors:
            print(f"ERROR: {e}")
        print(f"FAIL: {len(errors)} error(s)")
        return 1
    print("OK")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = ap.parse_args(argv)
    return check(args.questions.resolve(), args.corpus.resolve())


if __name__ == "__main__":
    sys.exit(main())
