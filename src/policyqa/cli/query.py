"""`policyqa search`, `policyqa ask` and `policyqa serve`: questions against the live index."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import PolicyQAError
from ..settings import RETRIEVERS
from .common import _check_index, _print_json, _print_problems, _settings, _show_ocr_progress, console, err


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


def _engine(index: Path | None):
    from ..query.engine import Engine

    settings = _settings(index)
    _check_index(settings)
    return Engine.load(settings)


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


def serve(
    index: Path = typer.Option(None),
    corpus: Path = typer.Option(None),
    host: str = "127.0.0.1",
    port: int = typer.Option(8000, min=1, max=65535),
):
    """Run the chat service; builds a local index first if there is none (a Milvus replica never builds)."""
    import uvicorn

    from ..errors import StoreUnavailableError
    from ..http.app import create_app
    from ..index.backends import open_store
    from ..index.build import build_index, plan_build
    from ..models.embed import load_embedder

    settings = _settings(index, corpus)
    store = open_store(settings)
    try:
        missing = store.current_version() is None  # an unreachable Milvus stops here: exit 2, one line
    except StoreUnavailableError:
        raise
    except PolicyQAError as exc:  # a damaged index: serve anyway, /readyz says why
        err.print(f"[yellow]warning:[/] {exc}")
        missing = False
    if (
        missing and store.kind != "local"
    ):  # replicas never build: N of them starting together would build N times
        err.print(
            f"[yellow]warning:[/] no index in {store.where()}: not ready until `policyqa index build` runs"
        )
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
