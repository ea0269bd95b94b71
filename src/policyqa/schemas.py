"""Request bodies of the JSON API; limits come from Settings and are enforced by the engine."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        ..., description="The question, in Chinese.", examples=["2018年自治区出台了哪些重大政策措施？"]
    )
    history: list[Any] = Field(
        default_factory=list, description="Earlier user turns (strings or chat messages)."
    )
    k: int | None = Field(None, description="How many passages to retrieve.")


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(..., examples=["新政发〔2018〕44号"])
    k: int | None = None
    retriever: str = Field("hybrid", description="hybrid, dense or bm25")
