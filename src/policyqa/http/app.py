"""The HTTP service, built by ``create_app``: the JSON API, an OpenAI-compatible chat endpoint and the page.

Model inference and index loading run in the thread pool so the event loop keeps serving; a background
task asks the index store for its live version (index/CURRENT, or the Milvus alias) and swaps in a new
engine when a build lands, without failing requests in flight; a version that fails to load, or a store
that stops answering, is reported on /readyz.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import re
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import PolicyQAError
from ..query.holder import EngineHolder
from ..settings import Settings, get_settings
from .documents import DocumentAdmin
from .feedback import feedback_routes
from .guard import Guard, error_body
from .questions import question_routes
from .schemas import Ready

log = logging.getLogger("policyqa.http")
_KINDS = {
    400: "invalid_request_error",
    401: "invalid_api_key",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    413: "request_too_large",
    422: "unprocessable",
}


class _Error(JSONResponse):
    def render(self, content) -> bytes:
        return content  # already encoded by error_body, lone surrogates escaped


def _error(request: Request, status: int, message: str, kind: str) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None)
    return _Error(error_body(status, message, kind, request_id), status_code=status)


def page_response() -> HTMLResponse:
    """The chat page with a Content-Security-Policy that admits only its own inline script and style."""
    html = resources.files("policyqa.http").joinpath("static/index.html").read_text(encoding="utf-8")

    def hashes(tag: str) -> str:
        # Inline blocks only (a <script src=…> is admitted by 'self'), whatever their other attributes.
        found = re.findall(rf"<{tag}(?![^>]*\ssrc=)[^>]*>(.*?)</{tag}>", html, flags=re.S)
        return " ".join(
            f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'" for body in found
        )

    csp = (
        f"default-src 'self'; script-src 'self' {hashes('script')}; style-src 'self' {hashes('style')}; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
    headers = {"Content-Security-Policy": csp, "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}
    return HTMLResponse(html, headers=headers)


class _Assets(StaticFiles):
    """The page's scripts and styles, revalidated on every load so an upgrade is never half-applied."""

    def file_response(self, *args, **kwargs):
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


def create_app(
    settings: Settings | None = None, holder: EngineHolder | None = None, embedder=None
) -> FastAPI:
    settings = settings or get_settings()
    holder = holder or EngineHolder(settings, embedder)
    page = page_response()
    admin = DocumentAdmin(settings, holder)

    async def engine():
        return await run_in_threadpool(holder.get)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            await engine()  # warm up; /readyz reports a failure and the service stays up
        except Exception as exc:
            log.warning("index not ready: %s", exc)
        task = asyncio.create_task(_watch_index(holder, settings.reload_interval))
        yield
        task.cancel()
        await run_in_threadpool(admin.close)  # a rebuild in flight is stopped and its change undone

    app = FastAPI(
        title="policyqa",
        version=__version__,
        lifespan=lifespan,
        description="Cited question answering over Chinese science-policy documents.",
    )
    app.state.holder = holder
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(Guard, settings=settings)

    @app.exception_handler(PolicyQAError)
    async def policyqa_error(request: Request, exc: PolicyQAError):
        return _error(request, exc.http_status, str(exc), _KINDS.get(exc.http_status, "server_error"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = str(exc.detail)
        if detail == "There was an error parsing the body":  # FastAPI's words for undecodable bytes
            detail = "请求体无法解析：应为 UTF-8 编码的 JSON (the body is not UTF-8 JSON)"
        return _error(request, exc.status_code, detail, _KINDS.get(exc.status_code, "http_error"))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return _error(
                request, 400, "请求体不是合法的 JSON (malformed JSON body)", "invalid_request_error"
            )
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'body'}: {e.get('msg')}" for e in errors[:5]
        )
        return _error(request, 422, f"请求参数有误 (invalid request): {detail}", "invalid_request_error")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index_page():
        return page

    assets = resources.files("policyqa.http").joinpath("static/app")
    app.mount("/static", _Assets(directory=str(assets)), name="static")
    app.include_router(admin.router)
    app.include_router(feedback_routes(settings))

    @app.get("/healthz")
    async def healthz():
        return {"status": "ok", "version": __version__}

    @app.get(
        "/readyz",
        response_model=Ready,
        response_model_exclude_none=True,
        responses={503: {"description": "index not ready"}},
    )
    async def readyz(request: Request):
        if holder.unavailable:  # Milvus stopped answering: a load balancer should send no one here
            return _error(request, 503, f"索引未就绪 (index not ready): {holder.unavailable}", "not_ready")
        try:
            live = await engine()
        except PolicyQAError as exc:
            return _error(request, 503, f"索引未就绪 (index not ready): {exc}", "not_ready")
        except Exception:  # a bug while loading: not ready, and the trace goes to our log only
            log.exception("index could not be loaded")
            return _error(
                request,
                503,
                "索引未就绪 (index not ready): it failed to load; see the server log",
                "not_ready",
            )
        body = {
            "status": "ready",
            "index_version": live.version,
            "documents": len(live.index.documents),
            "chunks": len(live.index.chunks),
            "model": live.index.manifest["model"]["id"],
            "updated": live.index.manifest.get("created"),
            "store": holder.store.kind,
        }
        if holder.last_error:  # still serving the previous version
            body["warning"] = holder.last_error
        return body

    app.include_router(question_routes(settings, engine))

    return app


async def _watch_index(holder: EngineHolder, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await run_in_threadpool(holder.refresh)
        except Exception as exc:  # CURRENT unreadable, Milvus away …: report it, keep serving what is loaded
            holder.last_error = str(exc)
            log.warning("index watch: %s", exc)
