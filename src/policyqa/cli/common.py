"""What the command groups share: the consoles, settings with a command's overrides, JSON output,
the list of skipped files, progress logging, and the quick check that an index is there.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console

from ..settings import Settings, get_settings

console = Console()
err = Console(stderr=True)


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
    """A missing or unreadable index (or an unreachable Milvus) fails here, in a moment, not after the
    model has loaded."""
    from ..errors import IndexLoadError
    from ..index.backends import open_store

    store = open_store(settings)
    if store.current_version() is None:
        raise IndexLoadError(f"no index in {store.where()}: run `policyqa index build` first")
    if store.kind == "local":  # reading the manifest is cheap here; a server would be asked again anyway
        from ..index.manifest import read_manifest
        from ..index.store import version_folder

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
