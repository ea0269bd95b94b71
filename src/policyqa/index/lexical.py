"""BM25 over a Chinese analyzer that keeps document numbers, figures and dates whole.

Officials ask for 新政发〔2018〕44号, 1837.7亿元, 97.1% and 2018年11月23日; a word segmenter or a
character n-gram analyzer would shred these into digits that match everywhere. They are cut out
first as atoms (on the search key, so bracket, width and spacing variants coincide) and the Chinese
text around them is analysed as words (jieba), character uni+bigrams, or both.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path

import numpy as np

from ..errors import IndexLoadError
from ..settings import ANALYZERS
from ..text.normalize import CJK, SEARCH_KEY_VERSION, search_key
from ..text.segment import QUERY_PHRASES, search_words

_UNIT = (
    r"(?:万亿元|亿元|万元|千万元|元|亿|万|千|家|个|项|条|人|次|所|座|台|套|件|名|倍|年|月|日|平方米|公里|%)"
)
ATOM_RE = re.compile(
    rf"(?P<docnum>[{CJK}]{{1,12}}〔\d{{4}}〕\d{{1,4}}号)"
    r"|(?P<date>\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?)"
    rf"|(?P<number>\d+(?:[.,]\d+)*(?:/\d+)?{_UNIT}?)"
    r"|(?P<latin>[a-z][a-z0-9&+.\-]*)"
)
_CJK_RUN = re.compile(f"[{CJK}]+")


def _atom_tokens(kind: str, atom: str) -> list[str]:
    if kind == "docnum":
        # The issuer prefix has no boundary of its own ("和财建〔2018〕408号"), so index its tails:
        # any typed form of the issuer shares several of these tokens, and the number alone still matches.
        bracket = atom.index("〔")
        prefix, core = atom[:bracket], atom[bracket:]
        return [core] + [prefix[-n:] + core for n in range(1, min(len(prefix), 6) + 1)]
    if kind == "date":
        parts = re.findall(r"\d+[年月日]", atom)
        return [atom] + (parts if len(parts) > 1 else [])
    if kind == "number":
        bare = re.match(r"\d+(?:[.,]\d+)*(?:/\d+)?", atom).group(0)
        return [atom] if bare == atom else [atom, bare]
    return [atom]


def _cjk_tokens(run: str, analyzer: str, query: bool = False) -> list[str]:
    if query:
        return [t for part in QUERY_PHRASES.split(run) if part for t in _cjk_tokens(part, analyzer)]
    tokens: list[str] = []
    if analyzer in ("char", "both"):
        tokens.extend(run)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    if analyzer in ("jieba", "both"):
        words = search_words(run)
        # In "both" mode single characters are already there as unigrams.
        tokens.extend(w for w in words if analyzer == "jieba" or len(w) > 1)
    return tokens


def analyze(text: str, analyzer: str = "both", query: bool = False) -> list[str]:
    if analyzer not in ANALYZERS:
        raise ValueError(f"unknown analyzer {analyzer!r}; choose one of {', '.join(ANALYZERS)}")
    key = search_key(text)
    tokens: list[str] = []
    pos = 0
    for m in ATOM_RE.finditer(key):
        for run in _CJK_RUN.findall(key[pos : m.start()]):
            tokens.extend(_cjk_tokens(run, analyzer, query))
        tokens.extend(_atom_tokens(m.lastgroup or "", m.group(0)))
        pos = m.end()
    for run in _CJK_RUN.findall(key[pos:]):
        tokens.extend(_cjk_tokens(run, analyzer, query))
    return tokens


# Exercises every part of the analyzer (document number, date, amount, percentage, Latin, Chinese words):
# its tokens fingerprint the analyzer's code and jieba's dictionary, which an index's tokens depend on.
_PROBE = "新政发〔2018〕44号：2018年11月23日起，投资1837.7亿元，占比97.1%，支持AI+制造和科技创新。"


@functools.lru_cache(maxsize=8)
def analyzer_fingerprint(analyzer: str) -> str:
    tokens = [analyze(_PROBE, analyzer), analyze(_PROBE, analyzer, query=True)]
    return hashlib.sha1(json.dumps([analyzer, tokens], ensure_ascii=False).encode()).hexdigest()[:16]


class LexicalIndex:
    """bm25s over pre-analysed tokens; scores every chunk so fusion can see the whole ranking."""

    def __init__(self, retriever, analyzer: str):
        self.retriever = retriever
        self.analyzer = analyzer
        self.vocab = retriever.vocab_dict

    @classmethod
    def build(cls, texts: list[str], analyzer: str) -> LexicalIndex:
        import bm25s

        retriever = bm25s.BM25(k1=1.2, b=0.75)
        # Token ids, not token strings: every CJK unigram and bigram would otherwise be its own string
        # object (~80 bytes each, ~850 per chunk), which made a 87k-chunk build peak at 5.7 GB.
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(tok, len(vocab)) for tok in analyze(t, analyzer)] for t in texts]
        retriever.index((ids, vocab), show_progress=False)
        return cls(retriever, analyzer)

    def doc_freq(self, term: str) -> int:
        """Chunks containing the token ``term`` (as the analyzer produced it), from the CSC matrix."""
        vid = self.vocab.get(search_key(term))
        if vid is None:
            return 0
        indptr = self.retriever.scores["indptr"]
        return int(indptr[vid + 1] - indptr[vid])

    @property
    def num_docs(self) -> int:
        return int(self.retriever.scores["num_docs"])

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in analyze(query, self.analyzer, query=True) if t in self.vocab]
        if not tokens:
            return np.zeros(self.retriever.scores["num_docs"], dtype=np.float32)
        return np.asarray(self.retriever.get_scores(tokens), dtype=np.float32)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        scores = self.scores(query)
        if allowed is not None:
            kept = np.zeros_like(scores)
            kept[allowed] = scores[allowed]
            scores = kept
        k = min(k, len(scores))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(folder), show_progress=False)
        described = {"analyzer": self.analyzer, "search_key": SEARCH_KEY_VERSION}
        (folder / "analyzer.json").write_text(json.dumps(described))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        repair = "rebuild it with `policyqa index build`"
        try:
            described = json.loads((folder / "analyzer.json").read_text(encoding="utf-8"))
            analyzer, key_version = described["analyzer"], described.get("search_key", 1)
            retriever = bm25s.BM25.load(str(folder), mmap=False)
        except FileNotFoundError as exc:
            raise IndexLoadError(f"BM25 index file missing: {exc.filename}: {repair}") from None
        except Exception as exc:  # bm25s and numpy raise many types on damaged files
            raise IndexLoadError(f"BM25 index in {folder} is corrupt ({exc}): {repair}") from None
        if analyzer not in ANALYZERS:
            raise IndexLoadError(f"BM25 index in {folder} names an unknown analyzer {analyzer!r}: {repair}")
        if key_version != SEARCH_KEY_VERSION:
            # Its tokens were folded another way (before v2: traditional characters kept), so questions
            # would silently miss; the rebuild re-embeds nothing.
            raise IndexLoadError(
                f"BM25 index in {folder} was made with search key version {key_version}, this policyqa "
                f"uses {SEARCH_KEY_VERSION}: {repair}"
            )
        return cls(retriever, analyzer)
