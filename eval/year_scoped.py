"""Issue #13's targets on the year-scoped questions of the collection (ids ``g…``: the work reports
2000–2025 and their NPC resolutions), read from a ``policyqa eval --report`` run.

    policyqa eval --eval-set eval/collection/questions.jsonl --index /tmp/coll/index --split test --report /tmp/t
    python eval/year_scoped.py /tmp/t/results.json

- right year: answerable questions whose answer holds the gold from the right year's document (the
  harness's "answer correct": gold string, cited from a gold document, nothing mixed in);
- right year's figure: the issue's own wording, "the answer holds the gold figure from the right year's
  document": answered from gold documents only, with every number of a gold string written in the quotes
  ("今年的经济增长目标定为7.5%左右" gives the figure of "国内生产总值增长7.5%左右" in other words); a gold
  string without digits counts as the harness counts it. Reported beside the strict measure, not instead;
- only the right year: answered questions whose every quote is from a gold document;
- wrong year, sure: answered questions quoting another document with confidence ≥ 0.9;
- unanswerable ones refused.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

QUESTIONS = Path(__file__).parent / "collection" / "questions.jsonl"


_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?%?(?![\d.]*\d)")
_LABEL = re.compile(r"【[^】]*】")  # a quote's document label names its year, which is no figure


def holds_figure(row: dict) -> bool:
    """Answered, with every number of one gold string in the quotes (which documents are cited is
    checked by the caller, as for the other measures)."""
    answer = row["answer"]
    if not row["answerable"] or answer["abstained"]:
        return False
    if answer["correct"]:
        return True
    quoted = set(_NUMBER.findall(_LABEL.sub("", answer.get("answer", ""))))
    for gold in row.get("answers") or []:
        numbers = _NUMBER.findall(gold)
        if numbers and set(numbers) <= quoted:
            return True
    return False


def summarise(rows: list[dict], gold_docs: dict[str, set[str]], prefix: str = "g") -> dict:
    rows = [r for r in rows if r["id"].startswith(prefix)]
    answerable = [r for r in rows if r["answerable"]]
    answered = [r for r in answerable if not r["answer"]["abstained"]]
    foreign = [r for r in answered if not set(r["answer"]["cited_docs"]) <= gold_docs[r["id"]]]
    unanswerable = [r for r in rows if not r["answerable"]]
    return {
        "answerable": len(answerable),
        "right_year": round(sum(r["answer"]["correct"] for r in answerable) / max(1, len(answerable)), 3),
        "right_year_figure": round(
            sum(holds_figure(r) and set(r["answer"]["cited_docs"]) <= gold_docs[r["id"]] for r in answerable)
            / max(1, len(answerable)),
            3,
        ),
        "only_right_year": round((len(answered) - len(foreign)) / max(1, len(answered)), 3),
        "wrong_year_sure": sorted(r["id"] for r in foreign if r["answer"]["confidence"] >= 0.9),
        "unanswerable_refused": f"{sum(r['answer']['abstained'] for r in unanswerable)} / {len(unanswerable)}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="results.json of `policyqa eval --report`")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    args = parser.parse_args(argv)
    try:
        rows = json.loads(args.results.read_text(encoding="utf-8"))["rows"]
        questions = [
            json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line
        ]
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: cannot read {args.results} or {args.questions}: {exc}", file=sys.stderr)
        return 2
    gold = {q["id"]: set(q.get("gold_docs") or []) for q in questions}
    print(json.dumps(summarise(rows, gold), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
