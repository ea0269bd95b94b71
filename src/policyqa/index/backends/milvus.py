"""The Milvus store: the live version is the collection an alias points at, shared by every replica.

A replica resolves the alias (``current_version``, polled by the service), reads that version's manifest,
documents, BM25 statistics and chunk records from Milvus, and from then on searches that version's
collection by name — so a request that started before a rebuild moved the alias finishes on the version
it started on, which the build keeps for ``POLICYQA_MILVUS_GRACE`` seconds. Dense and BM25 search, and the
question's scope as a filter expression, run in Milvus; fusion and everything after it stay ours.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from ...corpus.chunk import Chunk
from ...errors import IndexLoadError, PolicyQAError
from ...text.normalize import search_key
from ..manifest import REPAIR, check_analyzer, check_model, validate_manifest
from .base import IndexData, Previous, Run
from .milvus_io import connect, page_rows, read_blobs, rows_filter, shown, translated
from .sparse import SparseStats

VERSION_RE = re.compile(r"^\d{8}T\d{12}Z$")  # the names builds give versions ("%Y%m%dT%H%M%S%fZ")


class MilvusStore:
    kind = "milvus"

    def __init__(self, settings, index_dir: Path | None = None):
        self.uri = settings.milvus_uri or str(Path(index_dir or settings.index_dir) / "milvus.db")
        self.token = settings.milvus_token.get_secret_value() if settings.milvus_token else ""
        self.db_name, self.alias = settings.milvus_db, settings.milvus_collection
        self.timeout, self.grace = settings.milvus_timeout, settings.milvus_grace
        self._client = None
        self._lock = threading.Lock()

    def where(self) -> str:
        return f"{shown(self.uri)} (alias {self.alias})"

    @property
    def client(self):
        """Connected on first use, so a service starts (and says why it is not ready) without Milvus."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    if not urlsplit(self.uri).scheme and self.uri.endswith(".db"):
                        Path(self.uri).parent.mkdir(parents=True, exist_ok=True)  # Milvus Lite's folder
                    self._client = connect(self.uri, self.token, self.db_name, self.timeout)
        return self._client

    def collection(self, version: str) -> str:
        return f"{self.alias}_{version}"

    def meta(self, version: str) -> str:
        return f"{self.alias}_{version}_meta"

    def current_version(self) -> str | None:
        with translated(self.where(), "resolve the alias"):
            if self.alias not in self.client.list_aliases().get("aliases", []):
                return None
            target = self.client.describe_alias(self.alias)["collection_name"]
        version = target[len(self.alias) + 1 :] if target.startswith(self.alias + "_") else ""
        if not VERSION_RE.match(version):
            raise IndexLoadError(
                f"alias {self.alias} in Milvus at {shown(self.uri)} points at {target!r}, which is no "
                f"policyqa version: {REPAIR}"
            )
        return version

    def _live(self) -> str:
        version = self.current_version()
        if version is None:
            raise IndexLoadError(f"no index in Milvus at {self.where()}: run `policyqa index build` first")
        return version

    def _blobs(self, version: str, names: list[str]) -> tuple[dict, dict[str, bytes]]:
        """The version's manifest (validated) and the named blobs, checked against its checksums."""
        meta, which = self.meta(version), f"index {version} in Milvus at {self.where()}"
        with translated(self.where(), f"read {meta}"):
            if not self.client.has_collection(meta):
                raise IndexLoadError(f"{which} has no {meta} collection: {REPAIR}")
            self.client.load_collection(meta)
            blobs = read_blobs(self.client, meta, ["manifest", *names])
        if missing := [n for n in ["manifest", *names] if n not in blobs]:
            raise IndexLoadError(f"{which} lacks its {', '.join(missing)}: {REPAIR}")
        try:
            manifest = validate_manifest(json.loads(blobs["manifest"]), f"{meta}: manifest", which)
        except (ValueError, UnicodeDecodeError) as exc:
            raise IndexLoadError(f"{meta}: manifest is corrupt ({exc}): {REPAIR}") from None
        for name in names:
            if hashlib.sha256(blobs[name]).hexdigest() != manifest["files"].get(name):
                raise IndexLoadError(f"{meta}: {name} is corrupt (checksum mismatch): {REPAIR}")
        return manifest, blobs

    def load(self, fingerprint: str | None = None, ef_search: int = 128) -> IndexData:
        version = self._live()
        manifest, blobs = self._blobs(version, ["documents", "stats"])
        where = f"Milvus at {self.where()}, version {version}"
        check_model(manifest, where, fingerprint)
        check_analyzer(manifest, where)
        try:
            documents = {d["doc_id"]: d for d in json.loads(blobs["documents"])}
            stats = SparseStats.from_bytes(blobs["stats"])
        except (ValueError, KeyError, TypeError, PolicyQAError) as exc:
            raise IndexLoadError(f"{self.meta(version)} is corrupt ({exc}): {REPAIR}") from None
        if stats.analyzer != manifest["analyzer"]:
            raise IndexLoadError(f"BM25 statistics in {where} differ from the manifest's analyzer: {REPAIR}")
        total, name = int(manifest["corpus"]["chunks"]), self.collection(version)
        chunks: list[Chunk] = []
        with translated(self.where(), f"read {name}"):
            self.client.load_collection(name)
            for page in page_rows(self.client, name, total, ["row", "record"]):
                if [r["row"] for r in page] != list(range(len(chunks), len(chunks) + len(page))):
                    break
                chunks.extend(Chunk.from_dict(json.loads(r["record"])) for r in page)
        if len(chunks) != total or stats.num_docs != total:
            raise IndexLoadError(f"{where} is inconsistent: the manifest names {total} chunks: {REPAIR}")
        dense = MilvusDense(self, name, total, manifest["dense"]["type"] == "flat", ef_search)
        lexical = MilvusLexical(self, name, total, stats)
        return IndexData(
            None, manifest, chunks, documents, dense, lexical, [search_key(c.text) for c in chunks]
        )

    def previous(self, fingerprint: str) -> Previous:
        """The live version's vectors by text hash, when the same model made them; a damaged live version
        means embedding everything, an unreachable Milvus fails the build."""
        try:
            version = self.current_version()
            if version is None:
                return Previous()
            manifest, _ = self._blobs(version, [])
            if manifest["model"]["fingerprint"] != fingerprint:
                return Previous(
                    manifest, note="the live index was made by another model: every chunk is embedded"
                )
            total = int(manifest["corpus"]["chunks"])
            vectors = np.zeros((total, int(manifest["model"]["dimension"])), dtype=np.float32)
            rows: dict[str, int] = {}
            name = self.collection(version)
            with translated(self.where(), f"read {name}"):
                self.client.load_collection(name)
                for page in page_rows(self.client, name, total, ["row", "text_hash", "dense"]):
                    for r in page:
                        vectors[r["row"]] = np.asarray(r["dense"], dtype=np.float32)
                        rows[r["text_hash"]] = int(r["row"])
        except IndexLoadError as exc:
            return Previous(note=f"the live index cannot be reused ({exc}); building from scratch")
        return Previous(manifest, rows, vectors, None, intact=len(set(rows.values())) == total)

    def write(self, version, manifest, chunks, documents, vectors, settings) -> None:
        from .milvus_write import write_version

        write_version(self, version, manifest, chunks, documents, vectors, settings)

    def keep(self, version: str) -> None:
        from .milvus_write import prune

        prune(self)

    def info(self) -> tuple[dict, list[dict]]:
        version = self._live()
        manifest, blobs = self._blobs(version, ["documents"])
        return manifest, json.loads(blobs["documents"])

    def search(
        self, collection: str, data: list, field: str, k: int, allowed, params: dict, total: int
    ) -> Run:
        expr = "" if allowed is None else rows_filter(allowed, total)
        with translated(self.where(), "search"):
            result = self.client.search(
                collection, data=data, anns_field=field, limit=k, filter=expr, search_params=params
            )
        return [(int(hit.id), float(hit.distance)) for hit in result[0]]


class MilvusDense:
    def __init__(self, store: MilvusStore, collection: str, total: int, exact: bool, ef_search: int):
        self.store, self.collection, self.total = store, collection, total
        self.exact, self.ef_search = exact, ef_search

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> Run:
        k = min(k, self.total if allowed is None else len(allowed))
        if k <= 0:
            return []
        params: dict = {"metric_type": "IP"}
        if not self.exact:  # as the local HNSW: a filtered search looks deeper than k
            params["params"] = {"ef": max(self.ef_search, 2 * k)}
        vector = np.ascontiguousarray(query, dtype=np.float32).reshape(-1)
        return self.store.search(self.collection, [vector], "dense", k, allowed, params, self.total)


class MilvusLexical:
    """BM25 in Milvus: the question as a sparse vector of IDF weights against the chunks' stored weights."""

    def __init__(self, store: MilvusStore, collection: str, total: int, stats: SparseStats):
        self.store, self.collection, self.total, self.stats = store, collection, total, stats
        self.analyzer = stats.analyzer

    @property
    def num_docs(self) -> int:
        return self.stats.num_docs

    def doc_freq(self, term: str) -> int:
        return self.stats.doc_freq(term)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> Run:
        vector = self.stats.query_vector(query)
        k = min(k, self.total if allowed is None else len(allowed))
        if not vector or k <= 0:
            return []
        hits = self.store.search(
            self.collection, [vector], "sparse", k, allowed, {"metric_type": "IP"}, self.total
        )
        return [(row, score) for row, score in hits if score > 0]
