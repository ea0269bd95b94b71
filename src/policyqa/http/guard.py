"""What every request passes before and after a route: a request id, the body-size limit (also for
chunked bodies that announce no length), the API key, security headers, a JSON 500 for anything
unexpected, and one audit line.

It is plain ASGI, so it sees the body as it streams in and can stop reading at the limit instead of
buffering 20 MB first, and it sits inside Starlette's outermost error handler, so a failure reaches the
client as JSON with a request id and never as a traceback.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
import uuid

from starlette.exceptions import HTTPException

log = logging.getLogger("policyqa.http")
audit = logging.getLogger("policyqa.audit")

OPEN_PATHS = {"/", "/healthz", "/readyz", "/docs", "/openapi.json", "/redoc", "/docs/oauth2-redirect"}
OPEN_PREFIXES = ("/static/",)  # the page's scripts and styles: the page itself is open too
UPLOAD_PATH = "/api/admin/documents"  # POST: a document, allowed max_upload_bytes instead of max_body_bytes
UPLOAD_OVERHEAD = 64 * 1024  # multipart boundaries and part headers around the file
PROBES = {"/healthz", "/readyz"}  # polled every few seconds by load balancers: not worth an audit line


def error_body(status: int, message: str, kind: str, request_id: str | None = None) -> bytes:
    # Text from a request can hold lone surrogates; they must not break the error that reports them.
    message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    error = {"message": message, "type": kind}
    if request_id:
        error["request_id"] = request_id
    return json.dumps({"error": error}, ensure_ascii=False).encode("utf-8")


def key_id(key: str) -> str:
    """A key's name in logs: a hash prefix, never the key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


class Guard:
    def __init__(self, app, settings):
        self.app = app
        self.limit = settings.max_body_bytes
        self.upload_limit = max(settings.max_upload_bytes + UPLOAD_OVERHEAD, self.limit)
        # Admin keys are API keys too; with no API keys set, the API stays open and only admin routes check.
        keys = settings.api_keys + settings.admin_keys if settings.api_keys else []
        self.keys = [k.encode("utf-8") for k in keys]
        self.log_questions = settings.log_questions

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        request_id = uuid.uuid4().hex[:16]
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        headers = {k.decode("latin-1").lower(): v for k, v in scope.get("headers", [])}
        status = {"code": 0}

        async def reply(code: int, message: str, kind: str, extra=()):
            body = error_body(code, message, kind, request_id)
            await send_wrapped(
                {
                    "type": "http.response.start",
                    "status": code,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        *extra,
                    ],
                }
            )
            await send_wrapped({"type": "http.response.body", "body": body})

        async def send_wrapped(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                extra = [(b"x-request-id", request_id.encode()), (b"x-content-type-options", b"nosniff")]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        key = None
        path = scope.get("path", "")
        limit = self.upload_limit if path == UPLOAD_PATH and scope.get("method") == "POST" else self.limit
        try:
            length = headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > limit):
                too_big = length.isdigit()
                await reply(
                    413 if too_big else 400,
                    f"请求体过大 (request body too large: over {limit} bytes)"
                    if too_big
                    else "bad Content-Length",
                    "request_too_large" if too_big else "invalid_request_error",
                )
                return
            is_open = path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)
            if self.keys and not is_open and scope.get("method") != "OPTIONS":
                key = self._key(headers.get("authorization", b""))
                if key is None:
                    await reply(401, "缺少或错误的 API 密钥 (missing or invalid API key)", "invalid_api_key",
                                [(b"www-authenticate", b"Bearer")])  # fmt: skip
                    return
            await self.app(scope, self._limited(receive, limit), send_wrapped)
        except Exception:  # the last line of defence: JSON with a request id, the trace only in our log
            log.exception("request %s failed", request_id)
            if status["code"] == 0:
                await reply(
                    500,
                    "服务器内部错误 (internal error); quote the request id when reporting it",
                    "server_error",
                )
        finally:
            if path not in PROBES and not path.startswith(OPEN_PREFIXES):  # probes and page assets: noise
                self._audit(scope, state, request_id, key, status["code"], started)

    def _key(self, raw: bytes) -> str | None:
        """The matching configured key, compared as bytes in constant time (headers may hold any byte)."""
        if not raw.lower().startswith(b"bearer "):
            return None
        token = raw[7:].strip()
        for key in self.keys:
            if secrets.compare_digest(token, key):
                return key.decode("utf-8")
        return None

    def _limited(self, receive, limit: int):
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # FastAPI re-raises HTTPException from body reading; the handler turns it into JSON.
                    raise HTTPException(413, f"请求体过大 (request body too large: over {limit} bytes)")
            return message

        return limited

    def _audit(self, scope, state, request_id, key, code, started) -> None:
        record = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "request_id": request_id,
            "key_id": key_id(key) if key else None,
            "method": scope.get("method"),
            "route": scope.get("path"),
            "status": code or 499,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
        asked = state.get("question")
        if asked is not None:
            record["question_chars"] = len(asked)
            if self.log_questions:
                record["question"] = asked.encode("utf-8", "backslashreplace").decode("utf-8")
        audit.info(json.dumps(record, ensure_ascii=False))
