"""`policyqa ingest`: what the pipeline makes of a corpus (documents, sections, chunks, metadata)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from .common import _print_json, _print_problems, _settings, _show_ocr_progress, console


def ingest(
    corpus: Path = typer.Option(None, help="Corpus folder."), as_json: bool = typer.Option(False, "--json")
):
    """Show what the pipeline makes of a corpus: documents, sections, chunks."""
    from ..corpus.chunk import chunk_document
    from ..corpus.ingest import load_corpus

    settings = _settings(corpus=corpus)
    if not as_json:
        _show_ocr_progress()
    result = load_corpus(settings.corpus_dir, settings.follow_symlinks, settings.ocr_cache_dir)
    rows = []
    for doc in result.documents:
        chunks = chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
        lengths = [len(c.text) for c in chunks] or [0]
        sections = list(dict.fromkeys(" > ".join(b.section) for b in doc.blocks if b.section))
        rows.append(
            {
                "doc_id": doc.doc_id,
                "title": doc.title,
                "chars": len(doc.text),
                "sections": len(sections),
                "captions": sum(b.kind == "caption" for b in doc.blocks),
                "chunks": len(chunks),
                "chunk_chars_mean": round(sum(lengths) / len(lengths), 1),
                "chunk_chars_max": max(lengths),
                "metadata": doc.metadata,
                "metadata_sources": doc.metadata_sources,
                "section_paths": sections,
            }
        )
    problems = [{"source": p.source, "reason": p.reason} for p in result.problems]
    notes = [{"source": n.source, "reason": n.reason} for n in result.notes]
    if as_json:
        _print_json({"documents": rows, "problems": problems, "notes": notes})
        return
    table = Table("doc_id", "title", "chars", "sections", "captions", "chunks", "mean", "max")
    for r in rows:
        table.add_row(
            r["doc_id"],
            r["title"][:30],
            str(r["chars"]),
            str(r["sections"]),
            str(r["captions"]),
            str(r["chunks"]),
            str(r["chunk_chars_mean"]),
            str(r["chunk_chars_max"]),
        )
    console.print(table)
    if len(rows) == 1:
        for path in rows[0]["section_paths"]:
            console.print(f"  § {path}")
    _print_problems(result.problems, result.notes)
    console.print(f"{len(rows)} documents, {sum(r['chunks'] for r in rows)} chunks, {len(problems)} skipped")
