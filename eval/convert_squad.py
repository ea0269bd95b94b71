#!/usr/bin/env python3
"""Turn the flattened CMRC 2018 / DRCD snapshots into a policyqa corpus and eval set.

Usage:
    python eval/convert_squad.py cmrc2018 OUTDIR [--limit-contexts N] [--seed S] [--split dev]
    python eval/convert_squad.py drcd OUTDIR --data-dir PATH/TO/drcd

Reads DATA_DIR/contexts.jsonl ({"context_id", "title", "context", ...}) and DATA_DIR/questions.jsonl
({"qid", "question", "answers", "context_id", ...}); the default DATA_DIR is shared/data/NAME next to
or inside the repository (see its SOURCE.md for provenance and licence). Writes
    OUTDIR/corpus/NAME.jsonl     one {"id", "title", "text"} line per context (id: context_id, ':' → '-')
    OUTDIR/questions.jsonl       our eval format: answers deduplicated, gold_docs [context doc id],
                                 answerable true, type "squad"
then: policyqa index build --corpus OUTDIR/corpus --index OUTDIR/index
      policyqa eval --eval-set OUTDIR/questions.jsonl --index OUTDIR/index --retriever all

The data are CC BY-SA: write OUTDIR outside the repository (e.g. /tmp); the script refuses a folder
inside it. Exit status 2 when the data are missing or malformed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ("cmrc2018", "drcd")
DEFAULT_LIMIT = 300


class DataError(Exception):
    pass


def default_data_dir(name: str) -> Path:
    for base in (ROOT / "shared" / "data", ROOT.parent / "shared" / "data"):
        if (base / name).is_dir():
            return base / name
    return ROOT.parent / "shared" / "data" / name


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise DataError(f"missing {path}")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{n}: invalid JSON ({exc.msg})") from exc
    return rows


def doc_id(context_id: str) -> str:
    return str(context_id).replace(":", "-")


def convert(
    data_dir: Path,
    out_dir: Path,
    name: str,
    limit: int | None = DEFAULT_LIMIT,
    seed: int = 0,
    split: str | None = None,
) -> tuple[int, int]:
    """Write the corpus and questions; returns (contexts, questions) written."""
    contexts = read_jsonl(data_dir / "contexts.jsonl")
    questions = read_jsonl(data_dir / "questions.jsonl")
    try:
        contexts = [c for c in contexts if split is None or c.get("split") == split]
        if limit and len(contexts) > limit:
            keep = set(random.Random(seed).sample(range(len(contexts)), limit))
            contexts = [c for i, c in enumerate(contexts) if i in keep]  # original order
        chosen = {c["context_id"] for c in contexts}
        docs = [
            {"id": doc_id(c["context_id"]), "title": c.get("title") or "", "text": c["context"]}
            for c in contexts
        ]
        rows = []
        for q in questions:
            if q["context_id"] not in chosen:
                continue
            answers = list(dict.fromkeys(a.strip() for a in q["answers"] if a and a.strip()))
            if not answers or not str(q["question"]).strip():  # the datasets hold a few blank questions
                continue
            rows.append(
                {
                    "id": str(q["qid"]),
                    "question": q["question"],
                    "answers": answers,
                    "gold_docs": [doc_id(q["context_id"])],
                    "answerable": True,
                    "type": "squad",
                }
            )
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"{data_dir}: unexpected record layout ({exc!r})") from exc
    if not docs:
        raise DataError(f"{data_dir}: no contexts{f' in split {split!r}' if split else ''}")
    (out_dir / "corpus").mkdir(parents=True, exist_ok=True)
    with (out_dir / "corpus" / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    with (out_dir / "questions.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return len(docs), len(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset", choices=DATASETS)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--data-dir", type=Path, help="folder with contexts.jsonl and questions.jsonl")
    ap.add_argument(
        "--limit-contexts",
        type=int,
        default=DEFAULT_LIMIT,
        help=f"sample this many contexts with their questions (default {DEFAULT_LIMIT}; 0 = all)",
    )
    ap.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    ap.add_argument("--split", help="keep one split only (cmrc2018: dev, trial; drcd: dev, test)")
    ap.add_argument("--allow-in-repo", action="store_true", help="write OUTDIR even inside the repository")
    args = ap.parse_args(argv)

    data_dir = args.data_dir or default_data_dir(args.dataset)
    if not (data_dir / "contexts.jsonl").is_file() or not (data_dir / "questions.jsonl").is_file():
        print(
            f"error: {args.dataset} data not found in {data_dir} (need contexts.jsonl and questions.jsonl); "
            f"pass --data-dir",
            file=sys.stderr,
        )
        return 2
    out = args.out_dir.resolve()
    if not args.allow_in_repo and (out == ROOT or ROOT in out.parents):
        print(
            f"error: {args.out_dir} is inside the repository; the data are CC BY-SA and must not be "
            f"committed: write to e.g. /tmp/{args.dataset}-eval",
            file=sys.stderr,
        )
        return 2
    try:
        n_docs, n_questions = convert(
            data_dir, args.out_dir, args.dataset, args.limit_contexts or None, args.seed, args.split
        )
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"{args.dataset}: wrote {n_docs} contexts to {args.out_dir / 'corpus'} and {n_questions} questions to "
        f"{args.out_dir / 'questions.jsonl'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
