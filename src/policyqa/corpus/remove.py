"""Taking a document's file (and its .meta.json sidecar) out of the corpus, undoably.

The files are moved into a hidden folder of the corpus (which ingest skips, and which is on the same file
system, so the moves are renames); a rebuild that fails moves them back, one that succeeds purges them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import InputError, NotFoundError, PolicyQAError
from .ingest import META_SUFFIX
from .upload import UploadConflict

TRASH = ".trash"


@dataclass
class Removal:
    folder: Path
    moved: list[tuple[Path, Path]] = field(default_factory=list)  # (place in the corpus, place in trash)

    def restore(self) -> None:
        for original, kept in reversed(self.moved):
            os.replace(kept, original)
        self.moved.clear()
        self.purge()

    def purge(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.folder.parent.rmdir()  # the trash folder itself, once empty


def source_file(corpus_dir: Path, source: str) -> Path:
    """The corpus file a document came from; refuses sources that are not one file of their own."""
    if "#" in source:
        raise UploadConflict(
            f"该文件来自合集 {source.split('#')[0]}，只能在服务器上编辑 "
            "(the document is one line of a JSONL collection; edit that file instead)"
        )
    rel = PurePosixPath(source)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or rel.parts[0].startswith("."):
        raise InputError(f"文档来源不在语料目录内 (the source {source!r} is not inside the corpus)")
    path = Path(corpus_dir) / rel
    if not path.is_file() and not path.is_symlink():
        raise NotFoundError(f"语料中已没有文件 {source} (the file is gone from the corpus)")
    return path


def remove(corpus_dir: Path, source: str) -> Removal:
    """Move the document's file and sidecar out of the corpus; ``restore`` puts them back."""
    path = source_file(corpus_dir, source)
    trash = Path(corpus_dir) / TRASH
    if trash.is_symlink():  # a planted link would move corpus files elsewhere
        raise PolicyQAError(f"{trash} is a symbolic link; remove it to delete documents")
    removal = Removal(trash / uuid.uuid4().hex[:12])
    removal.folder.mkdir(parents=True)
    sidecar = path.with_name(path.name + META_SUFFIX)
    try:
        for original in (path, sidecar):
            if original.exists() or original.is_symlink():
                kept = removal.folder / original.name
                os.replace(original, kept)  # moves a link itself, never what it points to
                removal.moved.append((original, kept))
    except OSError:
        removal.restore()
        raise
    return removal
