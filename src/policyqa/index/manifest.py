"""The manifest of an index version: what manifest.json must hold, and the checks a load makes with it.

The manifest names the format, the model (with where its cosines lie), the dense index type, the BM25
analyzer and a SHA-256 checksum of every file of the version. Reading refuses a manifest of another
format or one that is incomplete, and a file that is missing or does not match its checksum, each with
one line that says what is wrong and how to repair it (REPAIR).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from .. import __version__
from ..errors import IndexLoadError
from .lexical import analyzer_fingerprint

FORMAT_VERSION = 2
DATA_FILES = ("chunks.jsonl", "documents.jsonl", "vectors.npy", "dense.faiss")
REPAIR = "rebuild it with `policyqa index build` (add --full to re-embed everything)"


class _ModelInfo(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    fingerprint: str
    dimension: int
    calibration: dict[str, float]


class _DenseInfo(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str


class Manifest(BaseModel):
    """What manifest.json must hold; other keys are kept as they are."""

    model_config = ConfigDict(extra="allow")
    format_version: int
    version: str
    model: _ModelInfo
    dense: _DenseInfo
    analyzer: str
    files: dict[str, str]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, manifest: dict, version: str, names: list[str]) -> None:
    """Write ``folder``/manifest.json: ``manifest`` with the version, format and checksums of ``names``."""
    manifest = {
        **manifest,
        "version": version,
        "package_version": __version__,
        "format_version": FORMAT_VERSION,
        "files": {name: sha256_file(folder / name) for name in names},
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )


def read_manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexLoadError(f"index file missing: {path}: {REPAIR}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexLoadError(f"index file corrupt: {path} ({exc}): {REPAIR}") from None
    return validate_manifest(data, str(path), f"index in {folder}")


def validate_manifest(data, where: str, which: str) -> dict:
    """``data`` as a manifest this policyqa reads; ``where`` names its file, ``which`` its index
    (a folder for the local store, a collection for Milvus)."""
    if not isinstance(data, dict):
        raise IndexLoadError(f"{where} is not a JSON object: {REPAIR}")
    if data.get("format_version") != FORMAT_VERSION:
        raise IndexLoadError(
            f"{which} has format version {data.get('format_version')}, this policyqa reads "
            f"{FORMAT_VERSION}: {REPAIR}"
        )
    try:
        Manifest.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3])
        raise IndexLoadError(f"{where} is incomplete ({problems}): {REPAIR}") from None
    return data


def check_model(manifest: dict, where: str, fingerprint: str | None) -> None:
    """Vectors from another model live in another space: refuse rather than return neighbours by chance."""
    if fingerprint is not None and manifest["model"]["fingerprint"] != fingerprint:
        raise IndexLoadError(
            f"index in {where} was built with model {manifest['model']['id']!r} "
            f"(fingerprint {manifest['model']['fingerprint']}), but the configured model has fingerprint "
            f"{fingerprint}: rebuild with `policyqa index build --full` or set POLICYQA_MODEL to the index's model"
        )


def check_analyzer(manifest: dict, where: str) -> None:
    """An index whose analyzer tokenised differently (another policyqa or jieba) would match the wrong
    tokens; indexes written before the fingerprint existed carry none and are taken as they are."""
    stored = manifest.get("analyzer_fingerprint")
    if stored is not None and stored != analyzer_fingerprint(manifest["analyzer"]):
        raise IndexLoadError(
            f"index in {where} was built with another version of the {manifest['analyzer']!r} analyzer "
            f"(fingerprint {stored}, this policyqa's is {analyzer_fingerprint(manifest['analyzer'])}): {REPAIR}"
        )


def verify_files(folder: Path, files: dict[str, str]) -> None:
    """Every file a load reads is listed in the manifest, present, and matches its checksum."""
    for name in (*DATA_FILES, "bm25/analyzer.json"):
        if name not in files:
            raise IndexLoadError(f"{folder / 'manifest.json'} lists no checksum for {name}: {REPAIR}")
    for name, expected in files.items():
        path = folder / name
        if not path.is_file():
            raise IndexLoadError(f"index file missing: {path}: {REPAIR}")
        if sha256_file(path) != expected:
            raise IndexLoadError(f"index file corrupt (checksum mismatch): {path}: {REPAIR}")
