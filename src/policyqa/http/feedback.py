"""POST /api/feedback: 👍 or 👎 on an answer, with an optional comment or the right answer.

The page sends what it showed (question, earlier turns, answer, citations, index version), so the row is
complete without the server keeping every answer it gives; rating the same answer again replaces the row.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ..errors import InputError
from ..feedback.store import Feedback, FeedbackStore
from ..settings import Settings
from .access import caller_id
from .schemas import CleanText

MAX_ANSWER_CHARS = 20_000
MAX_NOTE_CHARS = 2_000
MAX_CITATIONS = 20


class CitedIn(BaseModel):
    model_config = ConfigDict(extra="ignore")  # passage text and scores are not needed to label a question
    n: int = 0
    doc_id: CleanText = Field(..., max_length=500)
    title: CleanText = Field("", max_length=500)
    section: list[CleanText] = Field(default_factory=list, max_length=20)
    quote: CleanText = Field("", max_length=5_000)
    quote_start: int = 0
    quote_end: int = 0


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(..., pattern=r"^[A-Za-z0-9_-]{8,64}$", description="The page's id for this answer.")
    rating: Literal["up", "down"]
    question: CleanText = Field(..., min_length=1)
    history: list[CleanText] = Field(default_factory=list, max_length=50)
    answer: CleanText = Field(..., max_length=MAX_ANSWER_CHARS)
    abstained: bool = False
    confidence: float | None = Field(None, ge=0.0, le=1.0)
    citations: list[CitedIn] = Field(default_factory=list, max_length=MAX_CITATIONS)
    index_version: CleanText | None = Field(None, max_length=100)
    comment: CleanText = Field("", max_length=MAX_NOTE_CHARS)
    correction: CleanText = Field("", max_length=MAX_NOTE_CHARS, description="The right answer, if known.")
    should_refuse: bool = Field(False, description="The documents do not answer this question.")


def feedback_routes(settings: Settings) -> APIRouter:
    store = FeedbackStore(settings.feedback_path)
    router = APIRouter()

    @router.post("/api/feedback", status_code=201)
    async def give_feedback(request: Request, body: FeedbackIn):
        request.state.question = body.question
        if len(body.question) > settings.max_question_chars:
            raise InputError(f"问题过长 (question over {settings.max_question_chars} characters)")
        item = Feedback(
            id=body.id,
            rating=1 if body.rating == "up" else -1,
            question=body.question.strip(),
            answer=body.answer,
            history=[h for h in body.history if h.strip()],
            abstained=body.abstained,
            confidence=body.confidence,
            citations=[c.model_dump() for c in body.citations],
            index_version=body.index_version,
            comment=body.comment.strip(),
            correction=body.correction.strip(),
            should_refuse=body.should_refuse,
            key_id=caller_id(request, settings),
        )
        saved = await run_in_threadpool(store.save, item)
        return {"id": saved.id, "stored": True, "created": saved.created, "updated": saved.updated}

    return router
