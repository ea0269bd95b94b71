"""The HTTP service, built by ``create_app``: the JSON API, an OpenAI-compatible chat endpoint and the page.

Model inference runs in the thread pool so the event loop keeps serving; a background task watches
index/CURRENT and swaps in a new engine when a build lands, without failing requests in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__
from .chat import ChatRequest, chat_completion, chat_stream
from .engine import EngineHolder
from .errors import InputError, PolicyQAError
from .schemas import AskRequest, SearchRequest
from .settings import Settings, get_settings

OPEN_PATHS = {"/", "/healthz", "/readyz", "/docs", "/openapi.json", "/redoc", "/docs/oauth2-redirect"}


def _error(status: int, message: str, kind: str) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind}}, status_code=status)


def create_app(
    settings: Settings | None = None, holder: EngineHolder | None = None, embedder=None
) -> FastAPI:
    settings = settings or get_settings()
    holder = holder or EngineHolder(settings, embedder)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        with contextlib.suppress(PolicyQAError):
            await run_in_threadpool(holder.get)  # warm up; /readyz reports a failure
        task = asyncio.create_task(_watch_index(holder, settings.reload_interval))
        yield
        task.cancel()

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

    @app.middleware("http")
    async def guard(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            return _error(
                413,
                f"请求体过大 (request body too large: over {settings.max_body_bytes} bytes)",
                "request_too_large",
            )
        if settings.api_keys and request.url.path not in OPEN_PATHS and request.method != "OPTIONS":
            given = request.headers.get("authorization", "")
            token = given[7:].strip() if given.lower().startswith("bearer ") else ""
            if not any(secrets.compare_digest(token, key) for key in settings.api_keys):
                return _error(401, "缺少或错误的 API 密钥 (missing or invalid API key)", "invalid_api_key")
        return await call_next(request)

    @app.exception_handler(PolicyQAError)
    async def policyqa_error(request: Request, exc: PolicyQAError):
        kind = {400: "invalid_request_error", 401: "invalid_api_key", 404: "not_found"}.get(
            exc.http_status, "server_error"
        )
        return _error(exc.http_status, str(exc), kind)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(
            exc.status_code, str(exc.detail), "not_found" if exc.status_code == 404 else "http_error"
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return _error(400, "请求体不是合法的 JSON (malformed JSON body)", "invalid_request_error")
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'body'}: {e.get('msg')}" for e in errors
        )
        return _error(422, f"请求参数有误 (invalid request): {detail}", "invalid_request_error")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page():
        return resources.files("policyqa").joinpath("static/index.html").read_text(encoding="utf-8")

    @app.get("/healthz")
    async def healthz():
        return {"status": "ok", "version": __version__}

    @app.get("/readyz")
    async def readyz():
        try:
            engine = await run_in_threadpool(holder.get)
        except PolicyQAError as exc:
            return _error(503, f"索引未就绪 (index not ready): {exc}", "not_ready")
        return {
            "status": "ready",
            "index_version": engine.version,
            "documents": len(engine.index.documents),
            "chunks": len(engine.index.chunks),
            "model": engine.index.manifest["model"]["id"],
        }

    @app.post("/api/ask")
    async def api_ask(body: AskRequest):
        engine = holder.get()
        answer = await run_in_threadpool(engine.ask, body.question, body.history, body.k)
        return {**answer.to_dict(), "index_version": engine.version}

    @app.post("/api/search")
    async def api_search(body: SearchRequest):
        engine = holder.get()
        hits = await run_in_threadpool(engine.search, body.query, body.k, body.retriever)
        return {"hits": [h.to_dict() for h in hits], "index_version": engine.version}

    @app.get("/api/documents")
    async def documents():
        docs = holder.get().index.documents.values()
        return {
            "documents": [
                {
                    "doc_id": d["doc_id"],
                    "title": d["title"],
                    "source": d["source"],
                    "chars": len(d["text"]),
                    "metadata": d["metadata"],
                }
                for d in docs
            ]
        }

    @app.get("/api/documents/{doc_id:path}")
    async def document(doc_id: str):
        # Ids are looked up in memory, never joined to a filesystem path.
        return holder.get().document(doc_id)

    @app.get("/v1/models")
    async def models():
        return {"object": "list", "data": [{"id": "policyqa", "object": "model", "owned_by": "policyqa"}]}

    @app.post("/v1/chat/completions")
    async def chat(body: ChatRequest):
        engine = holder.get()
        if not body.question():
            raise InputError("messages 中没有用户问题 (no user message with text)")
        answer = await run_in_threadpool(engine.ask, body.question(), body.history(), None)
        if body.stream:
            return StreamingResponse(
                chat_stream(body, answer),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        return chat_completion(body, answer)

    return app


async def _watch_index(holder: EngineHolder, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        with contextlib.suppress(Exception):
            await run_in_threadpool(holder.refresh)
