"""Who may change the corpus from the page: admin keys when set, else any API key, else anyone.

The Guard middleware has already refused requests without a valid key when keys are set; this decides
whether that key may also upload and delete documents.
"""

from __future__ import annotations

import secrets

from fastapi import Request

from ..errors import AuthError, PolicyQAError
from ..settings import Settings
from .guard import key_id


class Forbidden(PolicyQAError):
    http_status = 403


def bearer(request: Request) -> str | None:
    raw = request.headers.get("authorization", "")
    if not raw.lower().startswith("bearer "):
        return None
    return raw[7:].strip() or None


def _matches(token: str | None, keys: list[str]) -> bool:
    if token is None:
        return False
    given = token.encode("utf-8", "surrogateescape")
    found = False
    for key in keys:  # every key compared, in constant time each
        found |= secrets.compare_digest(given, key.encode("utf-8"))
    return found


def caller_id(request: Request, settings: Settings) -> str | None:
    """The caller's key as it appears in logs (a hash prefix), when the caller sent a configured key."""
    token = bearer(request)
    return key_id(token) if _matches(token, settings.api_keys + settings.admin_keys) else None


def admin_only(settings: Settings):
    """A FastAPI dependency that lets only administrators through."""

    async def check(request: Request) -> None:
        keys = settings.admin_keys or settings.api_keys
        if not keys:
            return
        token = bearer(request)
        if token is None:
            raise AuthError("缺少 API 密钥 (missing API key)")
        if not _matches(token, keys):
            raise Forbidden("需要管理员密钥才能管理文件 (managing documents needs an admin key)")

    return check
