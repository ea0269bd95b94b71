"""API filters: what a caller narrows a search to (the ``filters`` object of the HTTP API and the CLI).

Every given facet must match; a malformed filter is an InputError that names the key, never a
traceback. Filters are applied to the rows of an index by ScopeIndex.filtered (query/scope.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputError

FILTER_KEYS = ("doc_ids", "exclude_doc_ids", "year", "issuer", "region", "kind")


@dataclass
class Filters:
    """What a caller narrows a search to (API ``filters``); every given facet must match."""

    doc_ids: list[str] = field(default_factory=list)
    year: int | None = None
    issuer: str | None = None
    region: str | None = None
    kind: str | None = None
    exclude_doc_ids: list[str] = field(default_factory=list)  # everything but these documents

    @classmethod
    def parse(cls, data: dict | None) -> Filters:
        if not data:
            return cls()
        if not isinstance(data, dict):
            raise InputError("filters 必须是对象 (filters must be an object)")
        unknown = sorted(set(data) - set(FILTER_KEYS))
        if unknown:
            raise InputError(
                f"未知的筛选条件 (unknown filter key(s) {unknown}; use {', '.join(FILTER_KEYS)})"
            )
        ids = {key: data.get(key) or [] for key in ("doc_ids", "exclude_doc_ids")}
        for key, value in ids.items():
            if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
                raise InputError(f"filters.{key} must be a list of document ids")
        year = data.get("year")
        if year is not None and (
            isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100
        ):
            raise InputError("filters.year must be a year such as 2023")
        for key in ("issuer", "region", "kind"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise InputError(f"filters.{key} must be a string")
        return cls(
            ids["doc_ids"], year, data.get("issuer") or None, data.get("region") or None,
            data.get("kind") or None, ids["exclude_doc_ids"],
        )  # fmt: skip

    def __bool__(self) -> bool:
        return bool(
            self.doc_ids or self.year or self.issuer or self.region or self.kind or self.exclude_doc_ids
        )

    def describe(self) -> str:
        parts = [f"{self.year}年" if self.year else "", self.region or "", self.issuer or "", self.kind or ""]
        parts += [f"文件 {', '.join(self.doc_ids)}" if self.doc_ids else ""]
        return "、".join(p for p in parts if p)
