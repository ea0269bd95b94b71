"""The query side in one object: a loaded index version, its retrievers and the answerer.

A question enters here, is checked and analysed once (``QueryAnalysis``), and the analysis is what
retrieval and answering see. An Engine is immutable once made; the service swaps whole engines when a
new index version lands, so a request that started on the old one finishes on it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from ..errors import InputError, NotFoundError, PolicyQAError, StoreUnavailableError
from ..index.backends import IndexData, Store, open_store
from ..models.embed import Embedder, load_embedder
from ..settings import RETRIEVERS, Settings
from ..text.normalize import bad_character
from .analysis import COMPARE, QueryAnalysis
from .answer import Answer, Answerer
from .evidence import evidence
from .filters import Filters
from .followup import user_turns
from .intent import off_topic, scope_reply
from .parts import coordinated, joined, names_every, question_parts, quoted_already
from .retrieve import Hit, make_retrievers
from .scope import ScopeIndex
from .verify import Verifier

log = logging.getLogger(__name__)


def load_reranker(settings: Settings):
    if not settings.rerank_model:
        return None
    from ..models.rerank import CrossEncoderReranker

    return CrossEncoderReranker(settings.rerank_model, settings.device)


@dataclass
class Engine:
    settings: Settings
    embedder: Embedder
    index: IndexData
    retrievers: dict = field(init=False)
    answerer: Answerer = field(init=False)
    scope_index: ScopeIndex = field(init=False)
    # The day a question is asked on, for what 今年 and 去年 mean (a test sets its own).
    today: Callable[[], date] = field(default=date.today, repr=False)

    def __post_init__(self):
        self.retrievers = make_retrievers(
            self.index, self.embedder, self.settings, load_reranker(self.settings)
        )
        self.scope_index = ScopeIndex(self.index.chunks, self.index.documents, self.index.keys)
        # Read only when used: rows for a verifier with new features are collected under the rules.
        verifier = Verifier.bundled() if self.settings.answer_check == "learned" else None
        self.answerer = Answerer(self.index, self.embedder, self.settings, self.scope_index, verifier)

    @classmethod
    def load(cls, settings: Settings, embedder: Embedder | None = None, store: Store | None = None) -> Engine:
        embedder = embedder or load_embedder(settings)
        embedder.use_threads(settings.query_threads)
        store = store or open_store(settings)
        return cls(settings, embedder, store.load(embedder.fingerprint, settings.hnsw_ef_search))

    @property
    def version(self) -> str:
        return self.index.version

    def check_question(self, text: str) -> str:
        text = (text or "").strip()
        if not text:
            raise InputError("问题不能为空 (the question is empty)")
        if why := bad_character(text):
            raise InputError(f"问题含有非法字符 ({why})")
        if len(text) > self.settings.max_question_chars:
            raise InputError(
                f"问题过长：{len(text)} 字，上限 {self.settings.max_question_chars} 字 "
                f"(question too long: {len(text)} > {self.settings.max_question_chars} characters)"
            )
        return text

    def check_k(self, k: int | None) -> int:
        k = self.settings.top_k if k is None else k
        if not 1 <= k <= self.settings.max_k:
            raise InputError(
                f"k 必须在 1 到 {self.settings.max_k} 之间 (k must be between 1 and {self.settings.max_k})"
            )
        return k

    def check_history(self, history: list | None) -> list[str]:
        """Earlier user turns within the limits: a follow-up needs the last turn, not a transcript."""
        turns = user_turns(history or [])
        for turn in turns:
            if why := bad_character(turn):
                raise InputError(f"对话历史含有非法字符 ({why})")
        s = self.settings
        if len(turns) > s.max_history_turns:
            raise InputError(
                f"对话历史过长：{len(turns)} 轮，上限 {s.max_history_turns} 轮 "
                f"(history has {len(turns)} turns; at most {s.max_history_turns})"
            )
        chars = sum(len(t) for t in turns)
        if chars > s.max_history_chars:
            raise InputError(
                f"对话历史过长：{chars} 字，上限 {s.max_history_chars} 字 "
                f"(history has {chars} characters; at most {s.max_history_chars})"
            )
        return turns

    def idf(self, term: str) -> float:
        lexical = self.index.lexical
        return math.log(1 + lexical.num_docs / (1 + lexical.doc_freq(term)))

    def analyze(
        self,
        question: str,
        history: list | None = None,
        filters: Filters | dict | None = None,
        continued: bool = False,
    ) -> QueryAnalysis:
        """The question read once, with the passages it (and the caller's filters) may be answered from;
        ``continued``: a later question of the same message, read after the one before it."""
        scopes = self.scope_index
        analysis = QueryAnalysis.of(
            self.check_question(question),
            self.check_history(history),
            self.idf,
            tuple(scopes.known_regions),
            self.today(),
            continued,
        )
        filters = filters if isinstance(filters, Filters) else Filters.parse(filters)
        analysis.scope = scopes.scope(analysis.years, analysis.places, filters, analysis.text, analysis.tense)
        # "“十三五”和“十四五”两个规划…分别定了什么目标": two documents named and compared.
        if analysis.scope.side_by_side and COMPARE.search(analysis.question):
            analysis.mode = "compare"
        return analysis

    def search(
        self,
        query: str,
        k: int | None = None,
        retriever: str = "hybrid",
        history: list | None = None,
        filters: Filters | dict | None = None,
    ) -> list[Hit]:
        if retriever not in self.retrievers:
            raise InputError(f"unknown retriever {retriever!r}; choose one of {', '.join(RETRIEVERS)}")
        k = self.check_k(k)
        return self.retrieve(self.analyze(query, history, filters), k, retriever)

    def retrieve(self, analysis: QueryAnalysis, k: int, retriever: str = "hybrid") -> list[Hit]:
        """Passages in the question's scope; when nothing matches the year or place it names (and the
        caller set no filter), the nearest passages of other years or places, which ``ask`` only offers
        as related reading under a refusal that says so."""
        scope = analysis.scope
        if scope is not None and scope.empty and not scope.filters:
            return self.retrievers[retriever].search(replace(analysis, scope=None), k)
        return self.retrievers[retriever].search(analysis, k)

    def ask(
        self,
        question: str,
        history: list | None = None,
        k: int | None = None,
        filters: Filters | dict | None = None,
    ) -> Answer:
        k = self.check_k(k)
        t0 = time.perf_counter()
        question = self.check_question(question)
        if kind := off_topic(question, bool(history)):  # a greeting, a task, chit-chat: quote nothing
            return Answer(
                scope_reply(self.example_titles(), len(self.index.documents), kind), True, [], [], question,
                0.0, [f"不是关于资料的问题（{kind}）"], {"total": round((time.perf_counter() - t0) * 1000, 1)},
            )  # fmt: skip
        parts = question_parts(question)
        if len(parts) == 1:
            return self._ask_one(question, history, k, filters, t0)
        return self._ask_parts(question, parts, history, k, filters, t0)

    def _answer(self, question: str, history, k: int, filters, continued: bool = False) -> Answer:
        analysis = self.analyze(question, history, filters, continued)
        return self.answerer.answer(analysis, self.evidence(analysis, k), shown=k)

    def _ask_one(self, question: str, history, k: int, filters, t0: float) -> Answer:
        analysis = self.analyze(question, history, filters)
        hits = self.evidence(analysis, k)
        whole = self.answerer.answer(analysis, hits, (time.perf_counter() - t0) * 1000, shown=k)
        # "…的经济增长目标和赤字率分别是多少？": when the whole question's answer leaves a measure unnamed,
        # each is asked on its own too, and their answers given if they quote more (years and places side
        # by side are compared instead).
        measures = coordinated(question) if analysis.mode == "fact" else {}
        if not measures or names_every(whole, measures):
            return whole
        asked = list(measures.values())
        answers = [self._answer(m, history, k, filters) for m in asked]
        if quoted_already(whole, answers):
            return whole
        return joined(question, asked, answers, (time.perf_counter() - t0) * 1000)

    def _ask_parts(self, question: str, parts: list[str], history, k: int, filters, t0: float) -> Answer:
        """Several questions in one message: each answered in turn, a later one read after the earlier
        ones as a follow-up is ("修订是在哪次会议上？" after "科普法是什么时候修订的？")."""
        answers, turns = [], self.check_history(history)
        for i, part in enumerate(parts):
            answers.append(self._answer(part, turns, k, filters, continued=i > 0))
            turns = [*turns, part]
            # The earliest turns give way first: the parts themselves must never make the history too long.
            while turns and (
                len(turns) > self.settings.max_history_turns
                or sum(map(len, turns)) > self.settings.max_history_chars
            ):
                turns = turns[1:]
        return joined(question, parts, answers, (time.perf_counter() - t0) * 1000)

    def evidence(self, analysis: QueryAnalysis, k: int) -> list[Hit]:
        """The passages an answer reads (query/evidence.py): deeper than ``k`` when a year is named."""
        return evidence(self.retrieve, self.scope_index, analysis, k)

    def example_titles(self, n: int = 3) -> list[str]:
        """Titles to name in replies: the most recent documents with a title of their own."""
        docs = sorted(
            self.index.documents.values(),
            key=lambda d: (-(d.get("metadata") or {}).get("year", 0) or 0, d["doc_id"]),
        )
        own = [
            d["title"]
            for d in docs
            if (d.get("metadata_sources") or {}).get("title") not in ("file name", "text:first sentence")
        ]
        return (own or [d["title"] for d in docs])[:n]

    def document_summaries(self) -> list[dict]:
        """Every document with its metadata, where each field came from, and its passage count."""
        passages: dict[str, int] = {}
        for c in self.index.chunks:
            passages[c.doc_id] = passages.get(c.doc_id, 0) + 1
        return [
            {
                "doc_id": d["doc_id"],
                "title": d["title"],
                "source": d["source"],
                "chars": len(d["text"]),
                "passages": passages.get(d["doc_id"], 0),
                "metadata": d.get("metadata") or {},
                "metadata_sources": d.get("metadata_sources") or {},
            }
            for d in self.index.documents.values()
        ]

    def document(self, doc_id: str) -> dict:
        try:
            return self.index.documents[doc_id]
        except KeyError:
            raise NotFoundError(f"文档不存在 (no document with id {doc_id!r})") from None


class EngineHolder:
    """Holds the live engine and replaces it when the store names a new live version (index/CURRENT, or
    the Milvus alias that every replica watches)."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.store = open_store(settings)
        self._embedder = embedder
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self.last_error: str | None = None
        self.unavailable: str | None = None  # the store stopped answering: not ready, whatever is loaded

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            embedder = load_embedder(self.settings)
            embedder.serving_only()  # its own embedder, in a serving process: only questions come
            self._embedder = embedder
        return self._embedder

    def get(self) -> Engine:
        """The live engine, loading it on first use; raises a PolicyQAError when it cannot be loaded."""
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    try:
                        self._engine = Engine.load(self.settings, self.embedder, self.store)
                    except PolicyQAError as exc:
                        self.last_error = str(exc)
                        raise
                    self.last_error = None
                engine = self._engine
        return engine

    def refresh(self) -> bool:
        """Load the store's live version if it differs from the loaded one; True when swapped."""
        try:
            version = self.store.current_version()
        except StoreUnavailableError as exc:
            self.unavailable = str(exc)
            raise
        self.unavailable = None
        if version is None or (self._engine is not None and self._engine.version == version):
            return False
        try:
            fresh = Engine.load(self.settings, self.embedder, self.store)
        except Exception as exc:  # a bad new version must not take the running service down
            self.last_error = f"index version {version} not loaded: {exc}"
            log.warning("%s", self.last_error)
            return False
        self._engine = fresh  # a single reference assignment: in-flight requests keep the old engine
        self.last_error = None
        return True
