"""The evaluation harness behind `policyqa eval`: retrieval, answers, abstention and latency.

Relevance (eval/README.md explains the choice): a retrieved passage is relevant when its text
contains one of the question's gold strings, compared with all whitespace removed and also through
``search_key`` (width, bracket and case variants). When the question lists gold documents the passage
must also belong to one of them; an answerable question with gold documents but no gold strings
counts every passage of those documents. Metrics come from ranx over the top-10 of each retriever,
with percentile-bootstrap 95% intervals (1000 resamples, fixed seed).
"""

from __future__ import annotations

import json
import re
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..query.analysis import resolve_query
from ..text.normalize import search_key

K = 10
KS = (1, 3, 5, 10)
RETRIEVAL_METRICS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10")
_RANX_NAMES = {**{f"hit@{k}": f"hit_rate@{k}" for k in KS}, "mrr@10": "mrr@10", "ndcg@10": "ndcg@10"}
NO_RELEVANT = "__no_relevant_passage_retrieved__"  # a qrels placeholder that never appears in a run
_MARKER_RE = re.compile(r"\[\d+\]")
_WS_RE = re.compile(r"\s+")
RESAMPLES, SEED = 1000, 0


@dataclass
class Question:
    id: str
    question: str
    answers: list[str]
    answerable: bool
    type: str = "other"
    gold_docs: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._golds = [(_WS_RE.sub("", a), search_key(a)) for a in self.answers if a.strip()]

    def contains_gold(self, text: str) -> bool:
        plain, key = _WS_RE.sub("", text), search_key(text)
        return any(g in plain or k in key for g, k in self._golds)

    def relevant(self, doc_id: str, text: str) -> bool:
        if self.gold_docs and doc_id not in self.gold_docs:
            return False
        return self.contains_gold(text) if self._golds else bool(self.gold_docs)


def load_eval_set(path: Path) -> list[Question]:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"eval set not found: {path}")
    questions: list[Question] = []
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: invalid JSON ({exc.msg})") from exc
        if not isinstance(obj, dict):
            raise InputError(f"{where}: expected a JSON object per line")
        missing = [k for k in ("id", "question", "answerable") if k not in obj]
        if missing:
            raise InputError(f"{where}: missing key(s) {', '.join(missing)}")
        answers, gold_docs, history = (
            obj.get("answers") or [],
            obj.get("gold_docs") or [],
            obj.get("history") or [],
        )
        for name, value in (("answers", answers), ("gold_docs", gold_docs), ("history", history)):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError(f"{where}: {name!r} must be a list of strings")
        if not isinstance(obj["answerable"], bool):
            raise InputError(f"{where}: 'answerable' must be true or false")
        if not isinstance(obj["question"], str) or not obj["question"].strip():
            raise InputError(f"{where}: 'question' must be a non-empty string")
        qid = str(obj["id"])
        if qid in seen:
            raise InputError(f"{where}: duplicate id {qid!r}")
        seen.add(qid)
        if obj["answerable"] and not any(a.strip() for a in answers) and not gold_docs:
            raise InputError(f"{where}: answerable question {qid!r} has neither answers nor gold_docs")
        questions.append(
            Question(
                qid,
                obj["question"].strip(),
                answers,
                obj["answerable"],
                str(obj.get("type") or "other"),
                gold_docs,
                history,
            )
        )
    if not questions:
        raise InputError(f"{path}: no questions in the eval set")
    return questions


# ---------------------------------------------------------------- statistics


def score_run(ranked: dict[str, list[tuple[str, bool]]]) -> dict[str, np.ndarray]:
    """Per-query ranx metrics for runs of (passage id, relevant?) in rank order, query order kept."""
    from ranx import Qrels, Run, evaluate

    qrels, run = {}, {}
    for qid, items in ranked.items():
        first: dict[str, bool] = {}
        for pid, rel in items:
            first.setdefault(pid, rel)
        items = list(first.items())[:K]
        run[qid] = {pid: float(K + 1 - i) for i, (pid, _) in enumerate(items)} or {"__empty_run__": 0.0}
        qrels[qid] = {pid: 1 for pid, rel in items if rel} or {NO_RELEVANT: 1}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba's unsafe-cast notices
        scores = evaluate(
            Qrels(qrels), Run(run), list(_RANX_NAMES.values()), return_mean=False, make_comparable=True
        )
    # ranx sorts queries by id internally; map its arrays back to our order.
    order = sorted(ranked)
    pos = {qid: i for i, qid in enumerate(order)}
    idx = np.array([pos[qid] for qid in ranked], dtype=int)
    return {ours: np.asarray(scores[theirs], dtype=float)[idx] for ours, theirs in _RANX_NAMES.items()}


def bootstrap_ci(values, stat=None, resamples: int = RESAMPLES, seed: int = SEED) -> list[float] | None:
    """Percentile-bootstrap 95% interval of ``stat`` (the mean by default) over the rows of ``values``."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return None
    stat = stat or (lambda a: float(np.mean(a)))
    rng = np.random.default_rng(seed)
    samples = [stat(values[rng.integers(0, len(values), len(values))]) for _ in range(resamples)]
    samples = [s for s in samples if s is not None and not np.isnan(s)]
    if not samples:
        return None
    lo, hi = np.percentile(samples, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def prf(predicted, actual) -> tuple[float, float, float]:
    """Precision, recall and F1 of boolean predictions against boolean labels (0 where undefined)."""
    predicted, actual = np.asarray(predicted, bool), np.asarray(actual, bool)
    tp = float(np.sum(predicted & actual))
    p = tp / predicted.sum() if predicted.sum() else 0.0
    r = tp / actual.sum() if actual.sum() else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def auroc(scores, labels) -> float | None:
    """Probability that a random positive scores above a random negative (ties count half)."""
    scores, labels = np.asarray(scores, float), np.asarray(labels, bool)
    pos, neg = scores[labels], scores[~labels]
    if not len(pos) or not len(neg):
        return None
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def best_threshold(confidences, unanswerable) -> tuple[float, float]:
    """The abstain threshold (abstain when confidence < t) with the best F1 for catching unanswerable."""
    conf = np.asarray(confidences, float)
    levels = np.unique(conf)
    if not len(levels):
        return 0.0, 0.0
    candidates = (
        [float(levels[0])]
        + [float(a + b) / 2 for a, b in zip(levels[:-1], levels[1:], strict=True)]
        + [float(levels[-1]) + 0.01]
    )
    best = max(((prf(conf < t, unanswerable)[2], -i, t) for i, t in enumerate(candidates)))
    return round(best[2], 4), round(best[0], 4)


def _percentiles(ms: list[float]) -> tuple[float | None, float | None]:
    if not ms:
        return None, None
    p50, p95 = np.percentile(ms, [50, 95])
    return round(float(p50), 1), round(float(p95), 1)


def _r(x):
    return None if x is None else round(float(x), 4)


# ---------------------------------------------------------------- running


def run_retrieval(engine, questions: list[Question], retriever: str, tick=None) -> dict:
    """Search the top-10 for every answerable question; per-question rows plus metrics."""
    answerable = [q for q in questions if q.answerable]
    engine.search(answerable[0].question if answerable else "测试", K, retriever)  # warm-up, untimed
    ranked, rows, ms = {}, {}, []
    for q in answerable:
        engine.embedder.forget()  # latencies are for questions the service has not seen
        t0 = time.perf_counter()
        hits = engine.search(q.question, K, retriever, history=q.history)
        ms.append((time.perf_counter() - t0) * 1000)
        ranked[q.id] = [(h.chunk.chunk_id, q.relevant(h.chunk.doc_id, h.chunk.text)) for h in hits]
        first = next((i for i, (_, rel) in enumerate(ranked[q.id], 1) if rel), None)
        rows[q.id] = {
            "rank": first,
            "top": [f"{h.chunk.doc_id}:{h.chunk.start}-{h.chunk.end}" for h in hits],
            "ms": round(ms[-1], 1),
        }
        if tick:
            tick()
    per_query = score_run(ranked) if ranked else {m: np.zeros(0) for m in RETRIEVAL_METRICS}
    for m, arr in per_query.items():
        for qid, v in zip(ranked, arr, strict=True):
            rows[qid][m] = round(float(v), 4)
    metrics = {m: _r(arr.mean()) if len(arr) else None for m, arr in per_query.items()}
    metrics["ci"] = {m: bootstrap_ci(arr) for m, arr in per_query.items()}
    metrics["search_p50_ms"], metrics["search_p95_ms"] = _percentiles(ms)
    by_type: dict[str, dict] = {}
    for t in sorted({q.type for q in answerable}):
        ids = [i for i, q in enumerate(answerable) if q.type == t]
        by_type[t] = {
            "n": len(ids),
            **{m: _r(per_query[m][ids].mean()) for m in ("hit@1", "hit@5", "mrr@10")},
        }
    metrics["by_type"] = by_type
    return {"metrics": metrics, "rows": rows}


def citation_ok(engine, citation, texts: dict[str, str]) -> bool:
    if citation.doc_id not in texts:
        texts[citation.doc_id] = engine.document(citation.doc_id)["text"]
    text = texts[citation.doc_id]
    return (
        bool(citation.quote)
        and text[citation.quote_start : citation.quote_end] == citation.quote
        and text[citation.start : citation.end] == citation.text
    )


def run_answers(engine, questions: list[Question], tick=None) -> dict:
    engine.ask(questions[0].question)  # warm-up, untimed
    rows, ms, texts = {}, [], {}
    for q in questions:
        engine.embedder.forget()
        t0 = time.perf_counter()
        ans = engine.ask(q.question, history=q.history)
        ms.append((time.perf_counter() - t0) * 1000)
        plain = _MARKER_RE.sub("", ans.answer)
        # With gold documents only, the answer must cite one of them.
        hit = q.contains_gold(plain) if q.answers else any(c.doc_id in q.gold_docs for c in ans.citations)
        valid = [citation_ok(engine, c, texts) for c in ans.citations]
        rows[q.id] = {
            "abstained": ans.abstained,
            "confidence": float(ans.confidence),
            "correct": bool(q.answerable and not ans.abstained and hit),
            "citations": len(valid),
            "citations_valid": all(valid) if valid else None,
            "answer": ans.answer,
            "reasons": ans.reasons,
            "ms": round(ms[-1], 1),
        }
        if tick:
            tick()
    return {"metrics": answer_metrics(questions, rows, ms, engine.settings.abstain_threshold), "rows": rows}


def answer_metrics(questions: list[Question], rows: dict, ms: list[float], threshold: float) -> dict:
    answerable = np.array([q.answerable for q in questions])
    abstained = np.array([rows[q.id]["abstained"] for q in questions])
    correct = np.array([rows[q.id]["correct"] for q in questions])
    confidence = np.array([rows[q.id]["confidence"] for q in questions])
    checked = [rows[q.id]["citations_valid"] for q in questions if rows[q.id]["citations_valid"] is not None]
    p, r, f1 = prf(abstained, ~answerable) if (~answerable).any() else (None, None, None)  # undefined
    pairs = np.column_stack([abstained, ~answerable]).astype(float)
    t, t_f1 = best_threshold(confidence, ~answerable) if (~answerable).any() else (None, None)
    m = {
        "answer_accuracy": _r(correct[answerable].mean()) if answerable.any() else None,
        "citation_valid": _r(np.mean(checked)) if checked else None,
        "abstain_precision": _r(p),
        "abstain_recall": _r(r),
        "abstain_f1": _r(f1),
        "false_abstain_rate": _r(abstained[answerable].mean()) if answerable.any() else None,
        "abstain_auroc": _r(auroc(1 - confidence, ~answerable)),
        "abstain_threshold": threshold,
        "suggested_threshold": t,
        "suggested_threshold_f1": t_f1,
        "suggested_false_abstain_rate": _r((confidence[answerable] < t).mean())
        if t is not None and answerable.any()
        else None,
    }
    m["ask_p50_ms"], m["ask_p95_ms"] = _percentiles(ms)
    m["ci"] = {
        "answer_accuracy": bootstrap_ci(correct[answerable]) if answerable.any() else None,
        "abstain_f1": bootstrap_ci(pairs, lambda a: prf(a[:, 0] > 0, a[:, 1] > 0)[2])
        if f1 is not None
        else None,
    }
    by_type = {}
    for typ in sorted({q.type for q in questions}):
        sel = np.array([q.type == typ for q in questions])
        ans_sel = sel & answerable
        by_type[typ] = {
            "n": int(sel.sum()),
            "abstain_rate": _r(abstained[sel].mean()),
            "answer_accuracy": _r(correct[ans_sel].mean()) if ans_sel.any() else None,
        }
    m["by_type"] = by_type
    return m


def evaluate(
    engine, questions: list[Question], retrievers: list[str], answers: bool = True, progress=None
) -> dict:
    """Everything `policyqa eval` reports: {"metrics": ..., "rows": [...]}."""
    tick = progress or (lambda: None)
    per = {name: run_retrieval(engine, questions, name, tick) for name in retrievers}
    main = "hybrid" if "hybrid" in per else retrievers[0]
    known = set(engine.index.documents)
    unknown = sorted({d for q in questions for d in q.gold_docs} - known)
    metrics: dict = {
        "meta": {
            "index_version": engine.version,
            "model": engine.embedder.model_id,
            "retriever": main,
            "retrievers": retrievers,
            "questions": len(questions),
            "answerable": sum(q.answerable for q in questions),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "fusion": engine.settings.fusion,
        },
        "warnings": [f"{len(unknown)} gold doc id(s) not in the index, e.g. {unknown[:3]}"]
        if unknown
        else [],
    }
    metrics.update({k: v for k, v in per[main]["metrics"].items()})
    if len(per) > 1:
        metrics["retrievers"] = {name: r["metrics"] for name, r in per.items()}
    answer_rows = {}
    if answers:
        got = run_answers(engine, questions, tick)
        answer_rows = got["rows"]
        ci = {**metrics["ci"], **got["metrics"].pop("ci")}
        by_type = {t: dict(v) for t, v in metrics["by_type"].items()}  # keep the retriever's own copy clean
        for typ, extra in got["metrics"].pop("by_type").items():
            by_type[typ] = {**by_type.get(typ, {"n": extra["n"]}), **extra}
        metrics.update(got["metrics"])
        metrics["ci"], metrics["by_type"] = ci, dict(sorted(by_type.items()))
    rows = []
    for q in questions:
        row = {
            "id": q.id,
            "question": q.question,
            "type": q.type,
            "answerable": q.answerable,
            "query": resolve_query(q.question, q.history),
            "answers": q.answers,
            "retrieval": {name: per[name]["rows"][q.id] for name in retrievers if q.id in per[name]["rows"]},
        }
        if q.id in answer_rows:
            row["answer"] = answer_rows[q.id]
        rows.append(row)
    return {"metrics": metrics, "rows": rows}


def compare_results(previous: dict, current: dict) -> dict:
    """Questions whose first relevant rank moved, answers that flipped, and metric deltas."""
    before = {r["id"]: r for r in previous.get("rows", [])}
    out: dict = {"retrievers": {}, "fixed": [], "broken": [], "deltas": {}}
    for row in current["rows"]:
        old = before.get(row["id"])
        if old is None:
            continue
        for name, now in row.get("retrieval", {}).items():
            was = old.get("retrieval", {}).get(name)
            if was is None:
                continue
            a, b = was.get("rank") or K + 1, now.get("rank") or K + 1
            if a != b:
                moved = out["retrievers"].setdefault(name, {"better": [], "worse": []})
                moved["better" if b < a else "worse"].append(
                    {
                        "id": row["id"],
                        "question": row["question"],
                        "before": was.get("rank"),
                        "after": now.get("rank"),
                    }
                )
        if "answer" in row and "answer" in old and row["answer"]["correct"] != old["answer"]["correct"]:
            out["fixed" if row["answer"]["correct"] else "broken"].append(
                {"id": row["id"], "question": row["question"]}
            )
    pm, cm = previous.get("metrics", {}), current["metrics"]
    for key in (*RETRIEVAL_METRICS, "answer_accuracy", "abstain_f1", "citation_valid"):
        if isinstance(pm.get(key), (int, float)) and isinstance(cm.get(key), (int, float)):
            out["deltas"][key] = round(cm[key] - pm[key], 4)
    return out
