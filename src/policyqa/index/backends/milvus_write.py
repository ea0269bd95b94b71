"""Writing a version into Milvus, switching the alias to it, and dropping versions nobody reads any more.

Order of a build: the new version's two collections are written, flushed, counted and loaded while the
alias still points at the old one; then one ``alter_alias`` call moves it (Milvus switches an alias
atomically, and every replica sees the same alias); then the time of the switch is recorded with the new
version. A build killed at any point before the switch leaves the alias where it was; its half-written
collections are dropped by the next build. A replaced version stays ``POLICYQA_MILVUS_GRACE`` seconds
after the switch, for replicas that have not swapped yet and requests in flight; the next build (or
``policyqa index build`` with nothing to do) drops it after that. Builds must not run concurrently:
they hold the builder's lock file, so run one builder (docs/milvus.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time

import numpy as np

from ... import __version__
from ...errors import PolicyQAError
from ..manifest import FORMAT_VERSION
from .base import text_hash
from .milvus_io import (
    INSERT_BATCH,
    VARCHAR_MAX,
    blob_rows,
    chunk_indexes,
    chunk_schema,
    meta_indexes,
    meta_schema,
    read_blobs,
    translated,
    wait_for_indexes,
)
from .sparse import encode_corpus

log = logging.getLogger(__name__)
SWITCHED = "switched"
INDEX_WAIT_S = 1800.0  # how long a build waits for Milvus to index its rows before switching anyway


def _clip(value, limit: int) -> str:
    """A scalar field's value within its VARCHAR limit (bytes); the full value stays in the record."""
    return str(value or "").encode("utf-8")[:limit].decode("utf-8", "ignore")


def _year(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _chunk_rows(chunks, documents, vectors, sparse, lo: int, hi: int) -> list[dict]:
    facts = {d["doc_id"]: d.get("metadata") or {} for d in documents}
    rows = []
    for i in range(lo, hi):
        c, meta = chunks[i], facts.get(chunks[i].doc_id, {})
        record = json.dumps(c.to_dict(), ensure_ascii=False)
        if len(record.encode("utf-8")) > VARCHAR_MAX:
            raise PolicyQAError(
                f"passage {c.chunk_id} takes {len(record.encode('utf-8'))} bytes, more than a Milvus VARCHAR "
                f"holds ({VARCHAR_MAX}): lower POLICYQA_CHUNK_SIZE"
            )
        rows.append({
            "row": i, "chunk_id": _clip(c.chunk_id, 1024), "doc_id": _clip(c.doc_id, 1024),
            "text_hash": text_hash(c.context), "year": _year(meta.get("year")),
            "issuer": _clip(meta.get("issuer"), 512), "region": _clip(meta.get("region"), 256),
            "kind": _clip(meta.get("kind"), 128), "record": record, "dense": vectors[i], "sparse": sparse[i],
        })  # fmt: skip
    return rows


def _switch_marker(seq: int) -> list[dict]:
    return blob_rows({SWITCHED: json.dumps({"at": time.time()}).encode()}, first_seq=seq)


def write_version(store, version, manifest, chunks, documents, vectors: np.ndarray, settings) -> None:
    client, where = store.client, store.where()
    name, meta = store.collection(version), store.meta(version)
    prune(store)  # what killed builds left, and versions past their grace
    stats, sparse = encode_corpus([c.lexical_context for c in chunks], manifest["analyzer"])
    docs_blob = json.dumps(documents, ensure_ascii=False).encode("utf-8")
    stats_blob = stats.to_bytes()
    manifest = {
        **manifest, "version": version, "package_version": __version__, "format_version": FORMAT_VERSION,
        "store": {"kind": "milvus", "collection": name}, "lexical": stats.summary(),
        "files": {"documents": hashlib.sha256(docs_blob).hexdigest(), "stats": hashlib.sha256(stats_blob).hexdigest()},
    }  # fmt: skip
    blobs = blob_rows(
        {
            "manifest": json.dumps(manifest, ensure_ascii=False).encode(),
            "documents": docs_blob,
            "stats": stats_blob,
        }
    )
    try:
        with translated(where, f"write version {version}"):
            client.create_collection(meta, schema=meta_schema(), index_params=meta_indexes(client))
            for lo in range(0, len(blobs), 20):
                client.insert(meta, blobs[lo : lo + 20])
            exact = manifest["dense"]["type"] == "flat"
            client.create_collection(
                name,
                schema=chunk_schema(vectors.shape[1]),
                index_params=chunk_indexes(client, exact, settings.hnsw_m),
            )
            for lo in range(0, len(chunks), INSERT_BATCH):
                hi = min(lo + INSERT_BATCH, len(chunks))
                client.insert(name, _chunk_rows(chunks, documents, vectors, sparse, lo, hi))
            for collection in (meta, name):
                client.flush(collection)  # sealed segments get their indexes (Milvus Lite searches them)
                client.load_collection(collection)
            if not wait_for_indexes(client, name, ("dense", "sparse"), len(chunks), INDEX_WAIT_S):
                log.warning(
                    "Milvus has not finished indexing %s; switching anyway (searches stay exact)", name
                )
            counted = client.query(name, filter="", output_fields=["count(*)"], consistency_level="Strong")
            if int(counted[0]["count(*)"]) != len(chunks):
                raise PolicyQAError(
                    f"Milvus holds {counted[0]['count(*)']} of {len(chunks)} rows written to {name}"
                )
            # The first search builds caches (Milvus Lite's inverted lists): pay it here, not in a request.
            client.search(
                name, data=[vectors[0]], anns_field="dense", limit=1, search_params={"metric_type": "IP"}
            )
            client.search(
                name, data=[sparse[0]], anns_field="sparse", limit=1, search_params={"metric_type": "IP"}
            )
    except BaseException:
        _drop(client, [name, meta])
        raise
    with translated(where, f"move alias {store.alias} to {name}"):
        if store.alias in client.list_aliases().get("aliases", []):
            client.alter_alias(name, store.alias)
        else:
            client.create_alias(name, store.alias)
        client.insert(meta, _switch_marker(len(blobs)))
        client.flush(meta)
    prune(store)


def _drop(client, names: list[str]) -> None:
    for collection in names:
        try:
            if client.has_collection(collection):
                client.drop_collection(collection)
        except Exception as exc:  # best effort: the next build retries
            log.warning("could not drop %s: %s", collection, exc)


def _switched_at(client, meta: str) -> float | None:
    client.load_collection(meta)  # a small collection; a fresh Milvus (Lite) process has it released
    blob = read_blobs(client, meta, [SWITCHED]).get(SWITCHED)
    return None if blob is None else float(json.loads(blob)["at"])


def prune(store, now: float | None = None) -> list[str]:
    """Drop versions that never went live (killed builds) and those replaced more than the grace period
    ago; the live version always stays. Returns the dropped versions."""
    from .milvus import VERSION_RE

    client, now = store.client, time.time() if now is None else now
    prefix = store.alias + "_"
    with translated(store.where(), "list collections"):
        names = set(client.list_collections())
        live = store.current_version()
        found = {n[len(prefix) :].removesuffix("_meta") for n in names if n.startswith(prefix)}
        versions = sorted(v for v in found if VERSION_RE.match(v))
        switched: dict[str, float | None] = {}
        for v in versions:
            complete = store.collection(v) in names and store.meta(v) in names
            switched[v] = _switched_at(client, store.meta(v)) if complete else None
            if v == live and switched[v] is None and complete:  # the build died right after the switch
                client.insert(store.meta(v), _switch_marker(10**12))
                switched[v] = now
    dropped = []
    for v in versions:
        if v == live:
            continue
        if switched[v] is not None:
            later = [t for t in switched.values() if t is not None and t > switched[v]]
            if not later or now - min(later) < store.grace:
                continue  # still within its grace (or never replaced: the alias was moved by hand)
        _drop(client, [store.collection(v), store.meta(v)])
        dropped.append(v)
    return dropped
