"""Command line: ingest, index build/info, search, ask, serve, eval, feedback export/stats.

Every PolicyQAError becomes a one-line message and exit status 2; nothing prints a traceback at a user.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from .errors import PolicyQAError
from .feedback.cli import feedback_app
from .settings import RETRIEVERS, Settings, get_settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Cited question answering over Chinese policy texts.",
)
index_app = typer.Typer(no_args_is_help=True, help="Build and inspect the index.")
app.add_typer(index_app, name="index")
app.add_typer(feedback_app, name="feedback")
console = Console()
err = Console(stderr=True)


def _log_to_stderr() -> None:
    """Service logs (warnings, the audit line per request) on stderr next to uvicorn's."""
    import logging

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s %(message)s"))
    for name in ("policyqa", "policyqa.audit"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        if not logger.handlers:
            logger.addHandler(handler)
    logging.getLogger("policyqa.audit").propagate = False


def _show_ocr_progress() -> None:
    """OCR takes seconds a page: say which page of which scan is being read (on stderr)."""
    import logging

    logger = logging.getLogger("policyqa.ocr")
    logger.setLevel(logging.INFO)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.propagate = False


def _print_problems(problems, notes=()) -> None:
    """The one list of skipped files (and files read with a caveat), each with its reason."""
    for p in problems:
        err.print(f"[yellow]skipped[/] {p.source}: {p.reason}", highlight=False)
    for n in notes:
        err.print(f"[yellow]note[/] {n.source}: {n.reason}", highlight=False)


def _check_index(settings: Settings) -> None:
    """A missing or unreadable index fails here, in a moment, not after the model has loaded."""
    from .index.store import read_manifest, version_folder

    read_manifest(version_folder(settings.index_dir))


def _settings(index: Path | None = None, corpus: Path | None = None) -> Settings:
    settings = get_settings().model_copy()
    if index is not None:
        settings.index_dir = index
    if corpus is not None:
        settings.corpus_dir = corpus
    return settings


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command()
def ingest(
    corpus: Path = typer.Option(None, help="Corpus folder."), as_json: bool = typer.Option(False, "--json")
):
    """Show what the pipeline makes of a corpus: documents, sections, chunks."""
    from .corpus.chunk import chunk_document
    from .corpus.ingest import load_corpus

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
    from .index.build import build_index, plan_build
    from .models.embed import load_embedder

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


@index_app.command("info")
def index_info(index: Path = typer.Option(None), as_json: bool = typer.Option(False, "--json")):
    """Describe the live index: its manifest and every document with its metadata."""
    from .index.store import read_manifest, version_folder

    settings = _settings(index)
    folder = version_folder(settings.index_dir)
    manifest = read_manifest(folder)
    manifest["documents"] = f"{len(manifest.get('documents', {}))} documents (hashes omitted)"
    documents = []
    with (folder / "documents.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            documents.append({k: d.get(k) for k in ("doc_id", "title", "metadata", "metadata_sources")})
    if as_json:
        _print_json({"manifest": manifest, "documents": documents})
        return
    m = manifest
    console.print(
        f"index {m['version']}: model {m['model']['id']} ({m['model']['dimension']} dimensions), "
        f"{m['corpus']['documents']} documents, {m['corpus']['chunks']} chunks, analyzer {m['analyzer']}, "
        f"dense {m['dense']['type']}, built {m.get('created', '?')}"
    )
    table = Table("doc_id", "title", "year", "issuer", "region", "kind", "number")
    for d in documents:
        meta = d["metadata"] or {}
        table.add_row(
            d["doc_id"], (d["title"] or "")[:36], str(meta.get("year") or ""), str(meta.get("issuer") or "")[:16],
            str(meta.get("region") or ""), str(meta.get("kind") or ""), str(meta.get("doc_number") or ""),
        )  # fmt: skip
    console.print(table)


def _engine(index: Path | None):
    from .query.engine import Engine

    settings = _settings(index)
    _check_index(settings)
    return Engine.load(settings)


@app.command()
def search(
    question: str,
    k: int = typer.Option(5, "-k"),
    index: Path = typer.Option(None),
    retriever: str = typer.Option("hybrid", help=", ".join(RETRIEVERS)),
    as_json: bool = typer.Option(False, "--json"),
):
    """Show the passages retrieved for a question."""
    hits = _engine(index).search(question, k, retriever)
    if as_json:
        _print_json({"hits": [h.to_dict() for h in hits]})
        return
    for h in hits:
        console.print(
            f"[bold]{h.rank}.[/] {h.chunk.title} › {' › '.join(h.chunk.section)}  "
            f"[dim]{h.chunk.doc_id}:{h.chunk.start}-{h.chunk.end} score={h.score:.4f}[/]"
        )
        console.print(f"   {h.chunk.text}\n")


@app.command()
def ask(question: str, index: Path = typer.Option(None), as_json: bool = typer.Option(False, "--json")):
    """Answer a question with cited passages (or say the documents do not contain it)."""
    answer = _engine(index).ask(question)
    if as_json:
        _print_json(answer.to_dict())
        return
    console.print(answer.answer + "\n")
    for c in answer.citations or answer.related:
        console.print(
            f"[bold][{c.n}][/] {c.title} › {' › '.join(c.section)}  [dim]{c.doc_id}:{c.start}-{c.end}[/]"
        )
        console.print(f"    {c.text}\n")


@app.command()
def serve(
    index: Path = typer.Option(None),
    corpus: Path = typer.Option(None),
    host: str = "127.0.0.1",
    port: int = typer.Option(8000, min=1, max=65535),
):
    """Run the chat service; builds the index first if there is none."""
    import uvicorn

    from .http.app import create_app
    from .index.build import build_index, plan_build
    from .index.store import current_version
    from .models.embed import load_embedder

    settings = _settings(index, corpus)
    try:
        missing = current_version(settings.index_dir) is None
    except PolicyQAError as exc:  # a damaged index: serve anyway, /readyz says why
        err.print(f"[yellow]warning:[/] {exc}")
        missing = False
    plan = None
    if missing:  # corpus errors before the model loads
        err.print(f"no index in {settings.index_dir}: building it from {settings.corpus_dir} …")
        _show_ocr_progress()
        plan = plan_build(settings)
        _print_problems(plan.corpus.problems, plan.corpus.notes)
    embedder = load_embedder(settings)
    if plan is not None:
        build_index(settings, embedder, progress=True, plan=plan)
    embedder.serving_only()  # from here on only questions are embedded (ONNX Runtime when it loaded)
    _log_to_stderr()
    console.print(f"policyqa serving on http://{host}:{port}/  (API docs: /docs)")
    uvicorn.run(create_app(settings, embedder=embedder), host=host, port=port, log_level="info")


@app.command("eval")
def eval_command(
    eval_set: Path = typer.Option(Path("eval/questions.jsonl"), "--eval-set", help="Questions (JSONL)."),
    index: Path = typer.Option(None),
    retriever: str = typer.Option("hybrid", help="bm25, dense, hybrid or all"),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics object."),
    report: Path | None = typer.Option(None, help="Write results.json, report.md and a PNG chart here."),
    compare: Path | None = typer.Option(None, help="A previous results.json: list questions that changed."),
    split: str | None = typer.Option(None, help="Only the questions of this split (e.g. dev or test)."),
    near_miss: bool = typer.Option(
        False, "--near-miss", help="Ask every answerable question with its gold documents left out."
    ),
):
    """Score retrieval, answers, abstention and latency against a labelled question set."""
    try:
        from .evaluation.cli import run_eval_command
    except ImportError as exc:
        raise PolicyQAError(
            f"`policyqa eval` needs the evaluation extra ({exc.name} is missing): pip install 'policyqa[eval]'"
        ) from None

    from .evaluation.questions import load_eval_set

    load_eval_set(eval_set, split)  # a missing or malformed set, then a missing index: before the model loads
    settings = _settings(index)
    _check_index(settings)
    run_eval_command(settings, eval_set, retriever, as_json, report, compare, split, near_miss)


@app.command("check-set")
def check_set(
    eval_set: Path = typer.Argument(..., help="Questions (JSONL)."),
    corpus: Path = typer.Option(None, help="Also check that gold strings occur in these documents."),
):
    """Validate an eval set: JSON, required fields, unique ids, and gold strings present in the corpus."""
    from .corpus.ingest import load_corpus
    from .evaluation.questions import check_eval_set, load_eval_set

    questions = load_eval_set(eval_set)  # format errors: one line, exit 2
    documents = None
    if corpus is not None:
        documents = {
            d.doc_id: d.text for d in load_corpus(corpus, ocr_cache=get_settings().ocr_cache_dir).documents
        }
    problems = check_eval_set(eval_set, documents)
    for line in problems:
        err.print(line, markup=False, highlight=False)
    answerable = sum(q.answerable for q in questions)
    console.print(
        f"{eval_set}: {len(questions)} questions ({answerable} answerable), "
        f"{len({q.type for q in questions})} types, {len(problems)} problem(s)"
        + (f", gold strings checked against {len(documents)} documents" if documents is not None else "")
    )
    if problems:
        raise typer.Exit(1)


def main() -> None:
    try:
        app()
    except PolicyQAError as exc:
        # One line, never wrapped or marked up: scripts grep it and operators paste it.
        message = " ".join(str(exc).split("\n")).encode("utf-8", "backslashreplace").decode("utf-8")
        sys.stderr.write(f"error: {message}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
