#!/usr/bin/env python3
"""Assign each question of an eval set to the "dev" or "test" half, deterministically.

Questions are grouped by (id prefix, type, answerable); inside a group they are ordered by a hash of their
id and dealt alternately, so both halves hold every kind of question in the same proportions and adding
a question never moves another one. Tune on dev; report on test.

Usage: python eval/collection/split.py QUESTIONS.jsonl [--write]
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import re
import sys
from pathlib import Path


def assign(rows: list[dict]) -> list[dict]:
    groups: dict[tuple, list[dict]] = collections.defaultdict(list)
    for row in rows:
        prefix = re.match(r"[A-Za-z]*", row["id"]).group(0)
        groups[(prefix, row.get("type", ""), row["answerable"])].append(row)
    for members in groups.values():
        members.sort(key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())
        for i, row in enumerate(members):
            row["split"] = "dev" if i % 2 == 0 else "test"
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--write", action="store_true", help="rewrite the file with the split field")
    args = parser.parse_args(argv)
    rows = [
        json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assign(rows)
    counts = collections.Counter(r["split"] for r in rows)
    print(f"{len(rows)} questions: dev {counts['dev']}, test {counts['test']}")
    if args.write:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        args.questions.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
