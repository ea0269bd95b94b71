"""`policyqa index build|prune|info`: build the index, drop versions no one reads, describe the live one."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ..errors import PolicyQAError
from .common import _print_json, _print_problems, _settings, _show_ocr_progress, console, err

index_app = typer.Typer(no_args_is_help=True, help="Build and inspect the index.")


@index_app.command("build")
def index_build(
    corpus: Path = typer.Option(None),
    index: Path = typer.Option(None),
    full: bool = typer.Option(False, "--full", help="Re-embed everything."),
    as_json: bool = typer.Option(False, "--json"),
    progress: bool | None = typer.Option(
        None, "--progress/--no-progress", help="Embedding progress on stderr (default: unless --json)."
    ),
):
    """Build the index (incremental by default) and switch to it atomically."""
    from ..index.build import build_index, plan_build
    from ..models.embed import load_embedder

    settings = _settings(index, corpus)
    if not as_json:
        _show_ocr_progress()
    plan = plan_build(settings)  # corpus errors before the model loads
    progress = not as_json if progress is None else progress
    report = build_index(settings, load_embedder(settings), full=full, progress=progress, plan=plan)
    if as_json:
        _print_json(report.to_dict())
        return
    rate = report.embedded / report.embed_seconds if report.embed_seconds > 0 else 0.0
    if report.unchanged:
        console.print(
            f"index {report.version} is up to date: {report.documents} documents, {report.chunks} chunks "
            f"(nothing changed; checked in {report.seconds:.1f}s)"
        )
    else:
        console.print(
            f"index {report.version}: {report.documents} documents, {report.chunks} chunks "
            f"({report.embedded} embedded at {rate:.1f} chunks/s, {report.reused} reused) in {report.seconds:.1f}s"
        )
    for note in report.notes:
        err.print(f"[yellow]note[/] {note}")
    for label, ids in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        if ids:
            console.print(f"  {label}: {', '.join(ids[:10])}{' …' if len(ids) > 10 else ''}")
    _print_problems(report.problems)


@index_app.command("prune")
def index_prune(index: Path = typer.Option(None)):
    """Drop versions no replica reads any more (Milvus: replaced longer than POLICYQA_MILVUS_GRACE ago)."""
    from ..index.backends import open_store

    store = open_store(_settings(index))
    version = store.current_version()
    if version is None:
        raise PolicyQAError(f"no index in {store.where()}: nothing to prune")
    store.keep(version)
    console.print(f"index {version} in {store.where()} is live; older versions past their grace are dropped")


@index_app.command("info")
def index_info(index: Path = typer.Option(None), as_json: bool = typer.Option(False, "--json")):
    """Describe the live index: its manifest and every document with its metadata."""
    from ..index.backends import open_store

    settings = _settings(index)
    manifest, records = open_store(settings).info()
    manifest["documents"] = f"{len(manifest.get('documents', {}))} documents (hashes omitted)"
    documents = [{k: d.get(k) for k in ("doc_id", "title", "metadata", "metadata_sources")} for d in records]
    if as_json:
        _print_json({"manifest": manifest, "documents": documents})
        return
    m = manifest
    console.print(
        f"index {m['version']}: model {m['model']['id']} ({m['model']['dimension']} dimensions), "
        f"{m['corpus']['documents']} documents, {m['corpus']['chunks']} chunks, analyzer {m['analyzer']}, "
        f"dense {m['dense']['type']}, built {m.get('created', '?')}, store {m.get('store', {}).get('kind', 'local')}"
    )
    table = Table("doc_id", "title", "year", "issuer", "region", "kind", "number")
    for d in documents:
        meta = d["metadata"] or {}
        table.add_row(
            d["doc_id"], (d["title"] or "")[:36], str(meta.get("year") or ""), str(meta.get("issuer") or "")[:16],
            str(meta.get("region") or ""), str(meta.get("kind") or ""), str(meta.get("doc_number") or ""),
        )  # fmt: skip
    console.print(table)
