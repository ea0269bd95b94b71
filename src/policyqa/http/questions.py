"""The routes that read the live engine: questions (/api/ask, /api/search and the OpenAI-compatible
/v1/chat/completions with /v1/models) and what the page shows around them (the documents, example questions).

Each request takes the engine once, through ``engine`` from create_app, and finishes on that version; model
inference runs in the thread pool so the event loop keeps serving.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from ..errors import InputError
from ..query.engine import Engine
from ..settings import Settings
from .examples import Examples
from .openai_chat import ChatRequest, chat_completion, chat_stream
from .schemas import AskRequest, AskResponse, DocumentList, SearchRequest, SearchResponse
from .wording import confidence_words


def question_routes(settings: Settings, engine: Callable[[], Awaitable[Engine]]) -> APIRouter:
    examples = Examples(settings.example_questions)
    router = APIRouter()

    def worded(answer) -> dict:
        return confidence_words(answer.confidence, answer.abstained, settings.confidence_strong)

    @router.post("/api/ask", response_model=AskResponse)
    async def api_ask(request: Request, body: AskRequest):
        request.state.question = body.question
        live = await engine()
        answer = await run_in_threadpool(live.ask, body.question, body.history_turns(), body.k, body.filters)
        return {**answer.to_dict(), "confidence_words": worded(answer), "index_version": live.version}

    @router.post("/api/search", response_model=SearchResponse)
    async def api_search(request: Request, body: SearchRequest):
        request.state.question = body.query
        live = await engine()
        hits = await run_in_threadpool(live.search, body.query, body.k, body.retriever, None, body.filters)
        return {"hits": [h.to_dict() for h in hits], "index_version": live.version}

    @router.get("/api/documents", response_model=DocumentList)
    async def documents():
        return {"documents": (await engine()).document_summaries()}

    @router.get("/api/examples")
    async def example_questions():
        """Questions to offer on the empty page: POLICYQA_EXAMPLE_QUESTIONS, or made from the corpus."""
        live = await engine()
        return await run_in_threadpool(examples.get, live)

    @router.get("/api/documents/{doc_id:path}")
    async def document(doc_id: str):
        # Ids are looked up in memory, never joined to a filesystem path.
        return (await engine()).document(doc_id)

    @router.get("/v1/models")
    async def models():
        return {"object": "list", "data": [{"id": "policyqa", "object": "model", "owned_by": "policyqa"}]}

    @router.post("/v1/chat/completions")
    async def chat(request: Request, body: ChatRequest):
        if len(body.messages) > settings.max_messages:
            raise InputError(
                f"消息过多：{len(body.messages)} 条，上限 {settings.max_messages} 条 "
                f"(too many messages: at most {settings.max_messages})"
            )
        question = body.question()
        if not question:
            raise InputError("messages 中没有用户问题 (no user message with text)")
        request.state.question = question
        live = await engine()
        answer = await run_in_threadpool(live.ask, question, body.history(), None, body.filters)
        extra = {"confidence_words": worded(answer), "index_version": live.version}
        if body.stream:
            return StreamingResponse(
                chat_stream(body, answer, extra),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        return chat_completion(body, answer, extra)

    return router
