"""Request and response bodies of the JSON API. Text fields refuse what no question can hold (lone
surrogates, NUL and other control characters); length limits come from Settings and are enforced by
the engine, so the CLI and the service share them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..settings import RetrieverName
from ..text.normalize import bad_character

FILTERS_HELP = (
    "Narrow to documents: doc_ids (list), year (int), issuer, region, kind (strings); all given must match."
)


def clean_text(value: str) -> str:
    if why := bad_character(value):
        raise ValueError(why)
    return value


CleanText = Annotated[str, AfterValidator(clean_text)]


class HistoryMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: str = "user"
    content: CleanText = ""


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: CleanText = Field(
        ..., description="The question, in Chinese.", examples=["2018年自治区出台了哪些重大政策措施？"]
    )
    history: list[CleanText | HistoryMessage] = Field(
        default_factory=list, description="Earlier user turns (strings or chat messages)."
    )
    k: int | None = Field(None, description="How many passages to retrieve.")
    filters: dict[str, Any] | None = Field(None, description=FILTERS_HELP, examples=[{"year": 2023}])

    def history_turns(self) -> list[str]:
        turns = []
        for item in self.history:
            if isinstance(item, str):
                turns.append(item)
            elif item.role == "user" and item.content:
                turns.append(item.content)
        return turns


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: CleanText = Field(..., examples=["新政发〔2018〕44号"])
    k: int | None = None
    retriever: RetrieverName = Field("hybrid", description="hybrid, dense or bm25")
    filters: dict[str, Any] | None = Field(None, description=FILTERS_HELP)


class CitationOut(BaseModel):
    n: int
    doc_id: str
    title: str
    section: list[str]
    text: str
    start: int
    end: int
    score: float
    quote: str
    quote_start: int
    quote_end: int


class ConfidenceWords(BaseModel):
    level: str  # strong, limited or none
    words: str  # 依据充分, 依据有限 or 未找到依据
    hint: str
    confidence: float


class AskResponse(BaseModel):
    answer: str
    abstained: bool
    citations: list[CitationOut]
    related: list[CitationOut]
    query: str
    confidence: float
    confidence_words: ConfidenceWords
    reasons: list[str]
    timing_ms: dict[str, float]
    index_version: str


class HitOut(BaseModel):
    rank: int
    score: float
    sources: dict[str, float]
    chunk_id: str
    doc_id: str
    title: str
    section: list[str]
    text: str
    start: int
    end: int
    kind: str


class SearchResponse(BaseModel):
    hits: list[HitOut]
    index_version: str


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    source: str
    chars: int
    passages: int
    metadata: dict[str, Any]
    metadata_sources: dict[str, str]


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class Ready(BaseModel):
    status: str
    index_version: str
    documents: int
    chunks: int
    model: str
    updated: str | None = None  # when the live version was built (ISO 8601, UTC)
    store: str | None = None  # "local" or "milvus"
    warning: str | None = None  # a newer index version failed to load; the one named here still serves
