"""The query side in one object: a loaded index version, its retrievers and the answerer.

A question enters here, is checked and analysed once (``QueryAnalysis``), and the analysis is what
retrieval and answering see. An Engine is immutable once made; the service swaps whole engines when a
new index version lands, so a request that started on the old one finishes on it.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from ..errors import InputError, NotFoundError
from ..index.backends import IndexData, Store, open_store
from ..models.embed import Embedder, load_embedder
from ..settings import RETRIEVERS, Settings
from .analysis import QueryAnalysis
from .answer import Answer, Answerer
from .asking import COMPARE
from .evidence import evidence
from .filters import Filters
from .intent import off_topic, scope_reply
from .limits import checked_history, checked_k, checked_question
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
            checked_question(question, self.settings),
            checked_history(history, self.settings),
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
        k = checked_k(k, self.settings)
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
        k = checked_k(k, self.settings)
        t0 = time.perf_counter()
        question = checked_question(question, self.settings)
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
        answers, turns = [], checked_history(history, self.settings)
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
