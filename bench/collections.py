"""Benchmark collections of about 1k, 10k and "100k" chunks, made from the real texts in ../shared/data.

Each collection is a corpus folder under /tmp/policyqa-bench/collections/<size>/: symlinks to the .txt
files (read in place) and, for JSONL sources, a .jsonl file holding the selected records. Documents are
taken in a fixed order (sci-tech local regulations, sci-tech policies, government work reports, sci-tech
news, the other laws, CMRC/DRCD paragraphs) until the size is reached, so 1k ⊂ 10k ⊂ 100k. All the shared
texts together make about 87k chunks at the default chunking (300/60): "100k" means all of them.
"""

from __future__ import annotations

if __name__ == "__main__" and not __package__:
    raise SystemExit("run as a module from the repository root: .venv/bin/python -m bench.collections")

import argparse
import contextlib
import functools
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from .common import DATA, WORK, md_table, parse_sizes, print_section

TARGETS = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
EDIT_MARK = "（基准测试插入的段落：本段用于测量修改一篇文档后的增量重建时间。）"


@dataclass(frozen=True)
class Item:
    key: str  # unique; the document id for JSONL records
    group: str  # sub-folder (txt) or file name without .jsonl (records)
    path: Path
    line: int = -1  # 0-based line of a JSONL record; -1 for a .txt file


def _index(name: str) -> list[dict]:
    return [
        json.loads(ln)
        for ln in (DATA / name / "index.jsonl").read_text(encoding="utf-8").splitlines()
        if ln.strip()
    ]


def _txt(name: str, group: str, rows: list[dict]) -> list[Item]:
    return [Item(f"{group}/{Path(r['file']).stem}", group, DATA / name / r["file"]) for r in rows]


def _lines(path: Path, group: str, key) -> list[Item]:
    return [Item(key(json.loads(ln)), group, path, n) for n, ln in enumerate(_file_lines(path)) if ln.strip()]


def all_items() -> list[Item]:
    laws = _index("laws-lawrefbook")
    items = _txt("laws-lawrefbook", "laws", [r for r in laws if r["scope"] == "local_sci_tech"])
    items += _txt("tech-policy-central-shandong", "tech-policy", _index("tech-policy-central-shandong"))
    items += _txt("gov-work-reports", "gov-reports", _index("gov-work-reports"))
    items += _lines(DATA / "crud-rag-news-scitech" / "docs.jsonl", "news", lambda o: o["id"])
    items += _txt("laws-lawrefbook", "laws", [r for r in laws if r["scope"] != "local_sci_tech"])
    items += _lines(DATA / "cmrc2018" / "contexts.jsonl", "cmrc", lambda o: f"cmrc-{o['context_id']}")
    items += _lines(DATA / "drcd" / "contexts.jsonl", "drcd", lambda o: f"drcd-{o['context_id']}")
    return items


@functools.lru_cache(maxsize=8)
def _file_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def record(item: Item) -> dict:
    """The JSONL record a collection holds for a line item: id, title (when the source has one), text."""
    obj = json.loads(_file_lines(item.path)[item.line])
    if "context" in obj:
        return {"id": item.key, "title": obj.get("title"), "text": obj["context"]}
    return {"id": item.key, "text": obj["text"]}


def chunk_counts(items: list[Item], size: int = 300, overlap: int = 60) -> dict[str, int]:
    """Chunks per item at the given chunking, cached in /tmp/policyqa-bench (they only guide the selection)."""
    from policyqa.corpus.chunk import chunk_document
    from policyqa.corpus.ingest import load_file, make_document

    cache_path = WORK / f"chunk-counts-{size}-{overlap}.json"
    cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    todo = [it for it in items if it.key not in cache]
    for it in todo:
        if it.line < 0:
            docs = load_file(it.path, it.path.parents[1])
        else:
            rec = record(it)
            docs = [make_document(rec["id"], rec["text"], f"{it.group}.jsonl#{it.line + 1}", rec, "jsonl")]
        cache[it.key] = sum(len(chunk_document(d, size, overlap)) for d in docs)
    if todo:
        WORK.mkdir(parents=True, exist_ok=True)
        cache_path.write_text(json.dumps(cache))
    return {it.key: cache[it.key] for it in items}


def select(label: str) -> tuple[list[Item], int]:
    items, target = all_items(), TARGETS[label]
    counts = chunk_counts(items)
    chosen, total = [], 0
    for it in items:
        if total >= target and label != "100k":
            break
        chosen.append(it)
        total += counts[it.key]
    return chosen, total


def make_collection(label: str) -> tuple[Path, dict]:
    """(Re)create the collection folder; same content every time, so incremental builds reuse vectors."""
    chosen, estimate = select(label)
    return write_collection(WORK / "collections" / label, chosen, label, estimate)


def write_collection(folder: Path, chosen: list[Item], label: str, estimate: int) -> tuple[Path, dict]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    records: dict[str, list[str]] = {}
    for it in chosen:
        if it.line < 0:
            (folder / it.group).mkdir(exist_ok=True)
            (folder / it.group / it.path.name).symlink_to(it.path)
        else:
            records.setdefault(it.group, []).append(json.dumps(record(it), ensure_ascii=False))
    for group, rows in records.items():
        (folder / f"{group}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    groups: dict[str, int] = {}
    for it in chosen:
        groups[it.group] = groups.get(it.group, 0) + 1
    info = {
        "size": label,
        "folder": str(folder),
        "documents": len(chosen),
        "chunks_estimate": estimate,
        "groups": groups,
        "edit_doc": str(edit_target(folder).relative_to(folder)),
    }
    (folder / ".collection.json").write_text(json.dumps(info, ensure_ascii=False, indent=2))
    return folder, info


def edit_target(folder: Path) -> Path:
    """The document the incremental-rebuild measurement edits: a mid-sized sci-tech regulation."""
    files = sorted((folder / "laws").glob("*.txt"))[:40] or sorted(folder.rglob("*.txt"))
    return sorted(files, key=lambda p: p.stat().st_size)[len(files) // 2]


@contextlib.contextmanager
def edited_document(folder: Path):
    """Replace one symlinked document by an edited copy (a paragraph inserted mid-text); restore on exit."""
    path = edit_target(folder)
    source = path.resolve()
    text = source.read_text(encoding="utf-8")
    cut = text.find("\n", len(text) // 2)
    cut = len(text) if cut < 0 else cut
    path.unlink()
    path.write_text(text[:cut] + "\n\n" + EDIT_MARK + "\n" + text[cut:], encoding="utf-8")
    try:
        yield path
    finally:
        path.unlink()
        path.symlink_to(source)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1k,10k", help="comma-separated: 1k,10k,100k")
    args = ap.parse_args()
    rows = []
    for label in parse_sizes(args.sizes):
        folder, info = make_collection(label)
        groups = ", ".join(f"{g} {n}" for g, n in info["groups"].items())
        rows.append([label, info["documents"], info["chunks_estimate"], groups, str(folder)])
    print_section(
        "collections", md_table(["size", "documents", "chunks (est.)", "documents by source", "folder"], rows)
    )


if __name__ == "__main__":
    main()
