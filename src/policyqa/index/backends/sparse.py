"""BM25 as sparse vectors, so a vector engine (Milvus) scores what bm25s scores in the local store.

bm25s (the "lucene" variant, k1=1.2, b=0.75, as ``LexicalIndex`` builds it) scores chunk d for the
query's tokens q1..qn (a repeated token counts again) as

    Σ idf(q) · tf(q,d) / (tf(q,d) + k1·(1 − b + b·|d|/avgdl)),   idf(t) = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5)).

The fraction depends only on the chunk and the corpus's mean length; idf only on the corpus. So a chunk
is stored as {dim(t): fraction} and a question is sent as {dim(t): count(t)·idf(t)}: the engine's inner
product is the BM25 score. The corpus statistics (N, avgdl, every token's df and its dimension) are
computed over the version's whole corpus at build and stored with that version; they change only when
a rebuild rewrites every chunk's weights. What differs from bm25s: float32 rounding of the two factors
(relative error ~1e-6) and so the order of exact ties.

Token → dimension: the analyzer's tokens are hashed (blake2b, 64 bits) and sorted; a token's dimension
is 1 + its hash's position, so a replica keeps two arrays (12 bytes per token) instead of a dict of
strings. Dimension 0 stands in for a chunk without tokens (Milvus refuses an empty sparse vector); no
question ever weighs it.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ...errors import PolicyQAError
from ...text.normalize import search_key
from ..lexical import analyze

K1, B = 1.2, 0.75  # bm25s's defaults, which LexicalIndex uses
METHOD = "bm25-lucene"
EMPTY_DIM = 0


def token_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass
class SparseStats:
    """A version's corpus statistics: what turns a question into its BM25 query vector."""

    analyzer: str
    hashes: np.ndarray  # uint64, sorted: token hash per dimension - 1
    df: np.ndarray  # uint32: chunks containing the token
    num_docs: int
    avgdl: float
    k1: float = K1
    b: float = B

    def dim(self, token: str) -> int | None:
        h = np.uint64(token_hash(token))
        pos = int(np.searchsorted(self.hashes, h))
        return pos + 1 if pos < len(self.hashes) and self.hashes[pos] == h else None

    def doc_freq(self, term: str) -> int:
        dim = self.dim(search_key(term))
        return 0 if dim is None else int(self.df[dim - 1])

    def idf(self, df: int) -> float:
        return float(np.log(1.0 + (self.num_docs - df + 0.5) / (df + 0.5)))

    def query_vector(self, text: str) -> dict[int, float]:
        """{dimension: count·idf} over the question's tokens that the corpus holds; {} when none."""
        counts = Counter(analyze(text, self.analyzer, query=True))
        vector: dict[int, float] = {}
        for token, count in counts.items():
            dim = self.dim(token)
            if dim is not None:
                vector[dim] = count * self.idf(int(self.df[dim - 1]))
        return vector

    def summary(self) -> dict:
        return {
            "method": METHOD, "k1": self.k1, "b": self.b, "num_docs": self.num_docs,
            "avgdl": self.avgdl, "vocabulary": len(self.hashes),
        }  # fmt: skip

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        header = {"analyzer": self.analyzer, **self.summary()}
        np.savez_compressed(buffer, hashes=self.hashes, df=self.df, header=np.array(json.dumps(header)))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SparseStats:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            header = json.loads(str(arrays["header"]))
            if header.get("method") != METHOD:
                raise PolicyQAError(f"unknown lexical statistics method {header.get('method')!r}")
            return cls(
                header["analyzer"], arrays["hashes"], arrays["df"], int(header["num_docs"]),
                float(header["avgdl"]), float(header["k1"]), float(header["b"]),
            )  # fmt: skip


def encode_corpus(texts: list[str], analyzer: str) -> tuple[SparseStats, list[dict[int, float]]]:
    """Every chunk's BM25 document-side weights and the corpus statistics they were computed with."""
    vocab: dict[str, int] = {}
    docs = [Counter(vocab.setdefault(t, len(vocab)) for t in analyze(text, analyzer)) for text in texts]
    lengths = np.array([sum(c.values()) for c in docs], dtype=np.float64)
    avgdl = float(lengths.mean()) if len(docs) and lengths.sum() else 1.0
    hashes = np.fromiter((token_hash(t) for t in vocab), dtype=np.uint64, count=len(vocab))
    order = np.argsort(hashes, kind="stable")
    if len(hashes) > 1 and np.any(hashes[order][1:] == hashes[order][:-1]):
        raise PolicyQAError("two analyzer tokens share a 64-bit hash; report this corpus to the developers")
    dims = np.empty(len(vocab), dtype=np.int64)
    dims[order] = np.arange(1, len(vocab) + 1)  # token id → dimension
    df = np.zeros(len(vocab), dtype=np.uint32)
    vectors: list[dict[int, float]] = []
    for counts, length in zip(docs, lengths):
        if not counts:
            vectors.append({EMPTY_DIM: 1.0})
            continue
        ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        df[ids] += 1
        weights = tf / (tf + K1 * (1 - B + B * length / avgdl))
        vectors.append(dict(zip(dims[ids].tolist(), weights.astype(np.float32).tolist())))
    stats = SparseStats(analyzer, hashes[order], df[order], len(texts), avgdl)
    return stats, vectors
