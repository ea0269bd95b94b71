"""`policyqa feedback export` and `policyqa feedback stats`: ratings from the page, for evaluators."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from ..errors import InputError, PolicyQAError
from ..feedback.export import stats, to_eval_items
from ..feedback.store import FeedbackStore
from ..settings import get_settings
from .common import _settings, console, err

feedback_app = typer.Typer(no_args_is_help=True, help="Ratings of answers: export them as eval questions.")

DB_HELP = "Feedback database (default: POLICYQA_FEEDBACK_DB, or feedback.sqlite3 beside the index)."


def _store(db: Path | None, index: Path | None) -> FeedbackStore:
    path = db or _settings(index).feedback_path
    if not path.exists():
        raise InputError(f"no feedback database at {path} (nothing has been rated yet, or give --db)")
    return FeedbackStore(path)


def _indexed_texts(index: Path | None) -> dict[str, str] | None:
    """Doc id → text of the live index version, where corrections are looked up word for word."""
    from ..index.backends import open_store

    settings = get_settings()
    try:
        _, records = open_store(settings, index).info()
        return {d["doc_id"]: d["text"] for d in records}
    except (PolicyQAError, OSError, ValueError, KeyError) as exc:
        err.print(
            f"[yellow]note[/] no index to check corrections against ({exc}); they go to the to-label file"
        )
        return None


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


@feedback_app.command("export")
def export(
    out: Path = typer.Option(Path("feedback-eval.jsonl"), help="Labelled questions (an eval set)."),
    to_label: Path | None = typer.Option(
        None, help="Entries a person must label (default: OUT-to-label.jsonl)."
    ),
    db: Path | None = typer.Option(None, help=DB_HELP),
    index: Path | None = typer.Option(None, help="Index whose documents corrections are checked against."),
    since: str | None = typer.Option(None, help="Only ratings from this day on (YYYY-MM-DD)."),
):
    """Write rated answers as an eval set (for `policyqa eval --eval-set`) and a file of entries to label."""
    items = _store(db, index).all(since)
    labelled, pending = to_eval_items(items, _indexed_texts(index))
    to_label = to_label or out.with_name(out.stem + "-to-label.jsonl")
    for path, rows in ((out, labelled), (to_label, pending)):
        if rows:
            _write_jsonl(path, rows)
        elif path.exists():
            path.unlink()  # an older export must not pass for this one
    answerable = sum(r["answerable"] for r in labelled)
    console.print(
        f"{len(items)} ratings → {len(labelled)} labelled questions"
        + (
            f" in {out} ({answerable} answerable, {len(labelled) - answerable} unanswerable)"
            if labelled
            else ""
        )
        + f"; {len(pending)} to label"
        + (f" in {to_label}" if pending else "")
    )
    if labelled:
        console.print(f"check and score them: policyqa check-set {out} && policyqa eval --eval-set {out}")


@feedback_app.command("stats")
def stats_command(
    db: Path | None = typer.Option(None, help=DB_HELP),
    since: str | None = typer.Option(None, help="Only ratings from this day on (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json"),
):
    """Ratings by day and by cited document."""
    summary = stats(_store(db, None).all(since))
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
        return
    rate = f"{summary['satisfaction']:.0%}" if summary["satisfaction"] is not None else "–"
    console.print(f"{summary['total']} ratings: {summary['up']} 👍, {summary['down']} 👎 (satisfied {rate})")
    days = Table("day", "👍", "👎", "corrections", "on refusals")
    for d in summary["by_day"]:
        days.add_row(
            d["day"], str(d["up"]), str(d["down"]), str(d.get("corrections", 0)), str(d.get("refusals", 0))
        )
    console.print(days)
    docs = Table("doc_id", "title", "👍", "👎")
    for d in summary["by_document"]:
        docs.add_row(d["doc_id"], d["title"][:36], str(d["up"]), str(d["down"]))
    console.print(docs)
