"""The Milvus side of a version: a connection, the two collection schemas, blobs, paging, filters.

A version ``V`` under alias ``A`` is two collections:

* ``A_V``: one row per chunk, primary key = the chunk's row in ``IndexData.chunks``. Scalar fields hold
  what filters and operators need (doc_id, year, issuer, region, kind of the chunk's document; the text
  hash its vector is reused under) and ``record`` holds the chunk itself as JSON; ``dense`` is its
  embedding, ``sparse`` its BM25 document-side weights (``sparse.py``).
* ``A_V_meta``: the manifest, the documents (with metadata) and the BM25 statistics as gzip+base64
  "blobs" cut into VARCHAR-sized parts, and, once the alias points at ``A_V``, the time it did.

Everything a replica needs is there, so no replica reads a local index folder.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import logging
import os
import time
from urllib.parse import urlsplit

import numpy as np

from ...errors import ConfigError, StoreUnavailableError

VARCHAR_MAX = 65_535  # bytes, Milvus's limit for one VARCHAR value
PART_CHARS = 60_000  # base64 characters per blob row (ASCII: one byte each)
PAGE = 1_000  # rows per query page: ~5 MB of chunk records, far below gRPC's message limit
INSERT_BATCH = 500


def shown(uri: str) -> str:
    """The URI without credentials, for messages."""
    parts = urlsplit(uri)
    if parts.password or parts.username:
        return parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")).geturl()
    return uri


def connect(uri: str, token: str, db_name: str, timeout: float):
    # gRPC's C core prints its own connection notices (keepalive GOAWAYs on idle channels during a long
    # embedding, reconnects) on stderr; failures reach the user once, as our one-line errors.
    os.environ.setdefault("GRPC_VERBOSITY", "NONE")
    try:
        from pymilvus import MilvusClient
        from pymilvus.exceptions import MilvusException
    except ImportError:
        raise ConfigError(
            "POLICYQA_STORE=milvus needs pymilvus and milvus-lite: pip install 'policyqa[milvus]'"
        ) from None
    # pymilvus logs every failed call with a traceback; we report each failure once, in one line.
    logging.getLogger("pymilvus").setLevel(logging.CRITICAL)
    try:
        return MilvusClient(uri=uri, token=token, db_name=db_name, timeout=timeout)
    except MilvusException as exc:
        hint = ""
        if uri.endswith(".db"):
            hint = (
                " (a Milvus Lite .db folder opens in one process at a time: for several, run "
                "`milvus-lite server --data-dir DIR` and set POLICYQA_MILVUS_URI=http://host:19530)"
            )
        raise StoreUnavailableError(
            f"cannot reach Milvus at {shown(uri)}: {getattr(exc, 'message', exc)}{hint}"
        ) from None


@contextlib.contextmanager
def translated(where: str, action: str):
    """Milvus and gRPC failures as one-line StoreUnavailableErrors (HTTP 503, CLI exit 2)."""
    import grpc
    from pymilvus.exceptions import MilvusException

    try:
        yield
    except (MilvusException, grpc.RpcError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        raise StoreUnavailableError(
            f"Milvus at {where} failed to {action}: {' '.join(message.split())}"
        ) from None


def chunk_schema(dim: int):
    from pymilvus import DataType, MilvusClient

    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("row", DataType.INT64, is_primary=True)
    for name, length in (("chunk_id", 1024), ("doc_id", 1024), ("text_hash", 64)):
        schema.add_field(name, DataType.VARCHAR, max_length=length)
    schema.add_field("year", DataType.INT64)  # 0: the document states none
    for name, length in (("issuer", 512), ("region", 256), ("kind", 128)):
        schema.add_field(name, DataType.VARCHAR, max_length=length)
    schema.add_field("record", DataType.VARCHAR, max_length=VARCHAR_MAX)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    return schema


def chunk_indexes(client, exact: bool, hnsw_m: int):
    params = client.prepare_index_params()
    if exact:
        params.add_index("dense", index_type="FLAT", metric_type="IP")
    else:
        params.add_index(
            "dense", index_type="HNSW", metric_type="IP", params={"M": hnsw_m, "efConstruction": 200}
        )
    params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    return params


def meta_schema():
    from pymilvus import DataType, MilvusClient

    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("seq", DataType.INT64, is_primary=True)
    schema.add_field("blob", DataType.VARCHAR, max_length=64)
    schema.add_field("part", DataType.INT64)
    schema.add_field("body", DataType.VARCHAR, max_length=VARCHAR_MAX)
    schema.add_field("pad", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants a vector field in every collection
    return schema


def meta_indexes(client):
    params = client.prepare_index_params()
    params.add_index("pad", index_type="FLAT", metric_type="L2")
    return params


def blob_rows(blobs: dict[str, bytes], first_seq: int = 0) -> list[dict]:
    rows, seq = [], first_seq
    for name, data in blobs.items():
        text = base64.b64encode(gzip.compress(data, compresslevel=6)).decode("ascii")
        for part, lo in enumerate(range(0, max(len(text), 1), PART_CHARS)):
            rows.append({"seq": seq, "blob": name, "part": part, "body": text[lo : lo + PART_CHARS]})
            rows[-1]["pad"] = [0.0, 0.0]
            seq += 1
    return rows


def read_blobs(client, collection: str, names: list[str]) -> dict[str, bytes]:
    """The named blobs that exist (a missing one is absent from the result, not an error)."""
    quoted = ", ".join(f'"{n}"' for n in names)
    directory = client.query(
        collection, filter=f"blob in [{quoted}]", output_fields=["seq", "blob", "part"], limit=16_384,
        consistency_level="Strong",
    )  # fmt: skip
    seqs = sorted(int(r["seq"]) for r in directory)
    parts: dict[str, list[tuple[int, str]]] = {}
    for lo in range(0, len(seqs), 50):  # 50 parts: ~3 MB per call
        batch = seqs[lo : lo + 50]
        got = client.query(
            collection, filter=f"seq in [{', '.join(map(str, batch))}]",
            output_fields=["blob", "part", "body"], limit=len(batch), consistency_level="Strong",
        )  # fmt: skip
        for r in got:
            parts.setdefault(r["blob"], []).append((int(r["part"]), r["body"]))
    return {
        name: gzip.decompress(base64.b64decode("".join(body for _, body in sorted(pieces))))
        for name, pieces in parts.items()
    }


def page_rows(client, collection: str, total: int, fields: list[str]):
    """Every row of a chunk collection in row order, a page at a time (rows are 0 … total-1)."""
    for lo in range(0, total, PAGE):
        hi = min(lo + PAGE, total)
        got = client.query(
            collection, filter=f"row >= {lo} and row < {hi}", output_fields=fields, limit=hi - lo
        )
        yield sorted(got, key=lambda r: r["row"])


def wait_for_indexes(client, collection: str, fields: tuple[str, ...], total: int, seconds: float) -> bool:
    """Wait until Milvus has indexed every row (a server builds indexes after the flush, in the
    background; until then it searches those rows exhaustively: right, but slow). False on timeout."""
    deadline = time.monotonic() + seconds
    while True:
        states = [client.describe_index(collection, field) for field in fields]
        if all(s.get("state") == "Finished" or int(s.get("indexed_rows", 0)) >= total for s in states):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(1.0)


def _runs(rows: np.ndarray) -> str:
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    starts, ends = rows[np.r_[0, breaks]], rows[np.r_[breaks - 1, len(rows) - 1]]
    single = starts == ends
    parts = [f"(row >= {a} and row <= {b})" for a, b in zip(starts[~single], ends[~single])]
    if single.any():
        parts.append(f"row in [{', '.join(map(str, starts[single].tolist()))}]")
    return " or ".join(parts)


def rows_filter(allowed: np.ndarray, total: int) -> str:
    """A Milvus filter expression true exactly for the ``allowed`` rows: runs of consecutive rows (a
    document's passages are consecutive) as ranges, the rest as a list; "" when every row is allowed."""
    chosen = np.zeros(total, dtype=bool)
    chosen[np.asarray(allowed, dtype=np.int64)] = True
    rows, rest = np.flatnonzero(chosen), np.flatnonzero(~chosen)
    if not len(rest):
        return ""
    if not len(rows):
        return "row < 0"
    allowed_expr = _runs(rows)
    if len(rest) < len(rows):  # most rows allowed: naming the others may be shorter
        other = f"not ({_runs(rest)})"
        return other if len(other) < len(allowed_expr) else allowed_expr
    return allowed_expr
