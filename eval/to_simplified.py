#!/usr/bin/env python3
"""Rewrite an eval set's questions in simplified characters (OpenCC), keeping everything else.

Usage:
    python eval/to_simplified.py IN.jsonl OUT.jsonl [--config t2s]

DRCD is written in traditional characters; an official on the mainland asks in simplified ones. The
converted set measures whether retrieval still finds the traditional paragraphs. Gold strings stay as
they are: they are copied from the documents, and relevance compares them through ``search_key``.
History turns are converted too (they are the user's words). ``--config tw2sp`` also swaps Taiwanese
wording for mainland wording (软件 for 軟體), a harder test than characters alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path)
    ap.add_argument("target", type=Path)
    ap.add_argument("--config", default="t2s", help="OpenCC conversion (default t2s; tw2sp for wording too)")
    args = ap.parse_args(argv)
    from opencc import OpenCC

    convert = OpenCC(args.config).convert
    if not args.source.is_file():
        print(f"error: {args.source} not found", file=sys.stderr)
        return 2
    changed = total = 0
    with args.source.open(encoding="utf-8") as fh, args.target.open("w", encoding="utf-8") as out:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            simplified = convert(row["question"])
            changed += simplified != row["question"]
            total += 1
            row["question"] = simplified
            if isinstance(row.get("history"), list):
                row["history"] = [convert(turn) for turn in row["history"]]
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{args.target}: {total} questions, {changed} changed by {args.config}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
