"""Does this sentence answer the question? A small learned check over features that transfer across corpora.

Each candidate sentence is described by what generalises beyond one document set: how close it is to the
question (cosines placed on the model's own scale, see models/calibrate.py), how much of the question's
weighted wording it and its passage cover, whether it holds a filler of the kind the question asks for
(a figure, a date, a document number, an organisation), whether named places, titles and numbers are
missing, whether it states a plan where the question asks for a result, how retrieval ranked it, and how
much of the question the collection knows at all. A logistic regression and boosted trees, averaged
(scorers.py), trained by eval/verifier/train.py (CMRC 2018, DRCD, near misses made by removing the gold
paragraph, our own questions) weigh them; an isotonic map fitted on held-out answers turns the best quoted
sentence's score into the probability that the answer is right. The model is a small JSON file: plain numpy at run time.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from importlib import resources

import numpy as np

from ..models.calibrate import scale
from ..text.normalize import search_key
from .analysis import QueryAnalysis
from .asking import ASKS_BODY, NAMES_BODY, PLANNED
from .figures import DATE_SHOWN
from .params import SENTENCES
from .picked import Picked
from .scorers import scorer
from .sentences import overlap, said

_PERSON = re.compile(r"(?:同志|先生|女士|书记|省长|市长|主席|总理|部长|厅长|局长|主任|院士|教授|校长|董事长)")
_DONE = re.compile(r"已经|已|完成|建成|实际|实现了|达到了|结果|最终|是否")
_TITLE = re.compile(r"《([^》]{2,40})》")
_QUESTION_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d年])")
# A document named by its title: 《…》, or a name ending in a kind that is never an ordinary word.
_NAMED = re.compile(r"《([^》]{2,40})》|([\u4e00-\u9fff“”]{3,24}(?:条例|规划|纲要|实施细则|管理办法))")
SLOTS = {
    "who": re.compile(r"谁|哪位|什么人|何人"),
    "org": ASKS_BODY,
    "when": re.compile(r"何时|什么时候|哪一?年|哪一?天|哪个月|几月|日期|时间"),
    "yesno": re.compile(r"是否|有没有|是不是|能否|可否|能不能"),
    "how": re.compile(r"如何|怎么|怎样|为什么|原因|什么措施|哪些措施"),
}
FEATURES = (
    "dense", "passage_dense", "coverage", "coverage_evidence", "coverage_focus", "inverse_rank",
    "fused_margin", "unknown_terms", "missing_distinct", "figure_asked", "figure_shown", "subject_shown",
    "slot_who", "who_filled", "slot_org", "org_filled", "slot_when", "when_filled", "slot_yesno", "slot_how",
    "place_missing", "title_missing", "unknown_document", "number_missing", "planned_for_done",
    "scope_strength", "years_named",
    "sentence_length", "question_terms", "mode_list", "mode_compare", "followup",
)  # fmt: skip


@dataclass
class Context:
    """What the features read besides the sentence: the retrieval run and the collection's vocabulary."""

    analysis: QueryAnalysis
    hits: list
    calibration: dict[str, float]
    doc_freq: callable  # term → passages holding it
    num_docs: int
    documents: dict[str, dict]
    titles: list[str]  # every document's title as questions name it (ScopeIndex cores)
    untitled: frozenset[str] = frozenset()  # documents that came without a title line (ScopeIndex)


def _evidence(c: Picked, documents: dict) -> str:
    chunk = c.hit.chunk
    meta = (documents.get(chunk.doc_id) or {}).get("metadata") or {}
    extra = " ".join(str(meta.get(k, "")) for k in ("region", "year", "issuer", "date"))
    return search_key(" ".join([chunk.title, *chunk.section, chunk.text, extra]))


def unknown_titles(names: list[str], analysis: QueryAnalysis, titles: list[str]) -> list[str]:
    """Of the titles a question names, those no document of the collection has (none, when the scope
    found the document the question names, shortened as officials do)."""
    if analysis.scope is not None and analysis.scope.documents:
        return []
    return [
        n
        for n in names
        if not any(
            search_key(n).strip("“”") in search_key(t) or search_key(t) in search_key(n) for t in titles
        )
    ]


def content_terms(a: QueryAnalysis, terms: dict[str, float]) -> dict[str, float]:
    """``terms`` with each year the question names weighing as much as its other words on average.
    Years are rare words (IDF ~8 against ~3 for 就业): at full weight a sentence that merely states the
    year ("到2027年，全社会研发经费投入强度达到2.8%左右") would cover half of "2027年的城镇新增就业目标",
    more than the right report's sentence, which names the indicator and leaves the year to the report's
    title (the scope and ``coverage_evidence`` judge the year). Yet where the documents are not dated a
    sentence's year is what tells it from the next ("2015年，班杰获得了什么奖？")."""
    years = {str(y) for y in a.years}
    named = [t for t in terms if t.removesuffix("年") in years]
    others = [w for t, w in terms.items() if t not in named]
    if not named or not others:
        return terms
    mean = sum(others) / len(others)
    return {t: min(w, mean) if t in named else w for t, w in terms.items()}


def features(c: Picked, ctx: Context) -> np.ndarray:
    a = ctx.analysis
    text = c.reads or c.text
    asked, focus = content_terms(a, a.terms), content_terms(a, a.focus_terms)
    key, evidence = search_key(text), _evidence(c, ctx.documents)
    fused = [h.sources.get("fused", h.score) for h in ctx.hits[:2]]
    margin = (fused[0] - fused[1]) / fused[0] if len(fused) == 2 and fused[0] > 0 else 1.0
    total = sum(a.terms.values()) or 1.0
    unknown = sum(w for t, w in a.terms.items() if ctx.doc_freq(t) == 0) / total
    log_n = math.log(1 + ctx.num_docs)
    missing = [w for t, w in a.terms.items() if not said(t, evidence)]
    question = a.question
    slots = {name: bool(p.search(question)) for name, p in SLOTS.items()}
    titles = _TITLE.findall(question)
    named = [a or b for a, b in _NAMED.findall(question)]
    # The question names a document by title, and no document of the collection is it. A document that
    # came without a title line may be the one named (as for the hard check, HardChecks.absent_documents).
    untitled = c.doc_id in ctx.untitled
    unknown_document = (
        bool(named) and not untitled and len(unknown_titles(named, a, ctx.titles)) == len(named)
    )
    numbers = _QUESTION_NUMBER.findall(question)
    scope = a.scope
    row_strength = 0.0
    if scope is not None and scope.strength is not None:
        row_strength = float(scope.strength[c.hit.row]) if c.hit.row is not None else 0.0
    values = {
        "dense": scale(c.dense, ctx.calibration),
        "passage_dense": scale(c.hit.sources.get("dense", 0.0), ctx.calibration),
        # A follow-up's own words ("那一年的进出口目标呢？") say what is asked; the earlier turn's
        # ("居民消费价格涨幅目标") only set the scene, as when the sentences were ranked (compose).
        "coverage": (
            SENTENCES.focus_share * overlap(focus, key) + (1 - SENTENCES.focus_share) * overlap(asked, key)
            if a.followup
            else overlap(asked, key)
        ),
        "coverage_evidence": overlap(a.terms, evidence),
        "coverage_focus": overlap(focus, key) if a.followup else overlap(asked, key),
        "inverse_rank": 1.0 / c.order,
        "fused_margin": margin,
        "unknown_terms": unknown,
        "missing_distinct": max(missing, default=0.0) / log_n if log_n else 0.0,
        "figure_asked": float(a.figure is not None),
        "figure_shown": float(a.figure is not None and bool(a.figure.shows.search(key))),
        "subject_shown": float(bool(a.subject) and search_key(a.subject) in key),
        "slot_who": float(slots["who"]),
        "who_filled": float(slots["who"] and bool(_PERSON.search(text))),
        "slot_org": float(slots["org"]),
        "org_filled": float(slots["org"] and bool(NAMES_BODY.search(text))),
        "slot_when": float(slots["when"]),
        "when_filled": float(slots["when"] and bool(DATE_SHOWN.search(key))),
        "slot_yesno": float(slots["yesno"]),
        "slot_how": float(slots["how"]),
        # Several places named ("北京和上海的…分别…") are answered one per sentence: it must speak of one.
        "place_missing": float(
            any(search_key(p) not in evidence for p in a.places)
            if len(a.places) < 2
            else all(search_key(p) not in evidence for p in a.places)
        ),
        "title_missing": float(not untitled and any(search_key(t) not in evidence for t in titles)),
        "unknown_document": float(unknown_document),
        "number_missing": float(any(n not in evidence for n in numbers)),
        "planned_for_done": float(bool(_DONE.search(question)) and bool(PLANNED.search(text))),
        "scope_strength": row_strength,
        "years_named": float(bool(a.years)),
        "sentence_length": math.log(1 + len(text)) / 6.0,
        "question_terms": math.log(1 + len(a.terms)) / 3.0,
        "mode_list": float(a.mode == "list"),
        "mode_compare": float(a.mode == "compare"),
        "followup": float(a.followup),
    }
    return np.array([values[name] for name in FEATURES], dtype=np.float64)


class Verifier:
    """The trained model (scorers.py: a regression, trees, or their mean), then an isotonic map from the
    best quoted sentence's score to a probability."""

    def __init__(self, model: dict):
        if tuple(model["features"]) != FEATURES:
            raise ValueError(
                "verifier model was trained on other features: retrain it (eval/verifier/train.py)"
            )
        self.model = model
        self.scorer = scorer(model)
        self.iso_x = np.asarray(model["isotonic"]["x"], dtype=np.float64)
        self.iso_y = np.asarray(model["isotonic"]["y"], dtype=np.float64)
        self.threshold = float(model["threshold"])
        self.info = model.get("info", {})

    @classmethod
    def bundled(cls) -> Verifier | None:
        path = resources.files("policyqa.query").joinpath("verifier.json")
        if not path.is_file():
            return None
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def score(self, rows: np.ndarray) -> np.ndarray:
        """The model's probability that each sentence answers the question."""
        return self.scorer.probability(np.atleast_2d(np.asarray(rows, dtype=np.float64)))

    def confidence(self, best: float) -> float:
        """The probability that an answer whose best sentence scored ``best`` is right (held-out fit)."""
        return float(np.interp(best, self.iso_x, self.iso_y))
