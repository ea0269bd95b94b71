"""The evaluation harness behind `policyqa eval`: retrieval, answers, abstention, calibration, latency,
and the cause of every failure.

Relevance (eval/README.md explains the choice): a retrieved passage is relevant when its text
contains one of the question's gold strings, compared with all whitespace removed and also through
``search_key`` (width, bracket and case variants). When the question lists gold documents the passage
must also belong to one of them; an answerable question with gold documents but no gold strings
counts every passage of those documents. Metrics come from ranx over the top-10 of each retriever,
with percentile-bootstrap 95% intervals (1000 resamples, fixed seed). Each answer is judged in
``judge.py``.
"""

from __future__ import annotations

import time

import numpy as np

from ..query.followup import resolve_query
from .judge import cause, judge_answer
from .metrics import (
    RETRIEVAL_METRICS,
    K,
    auroc,
    best_threshold,
    bootstrap_ci,
    calibration_bins,
    expected_calibration_error,
    percentiles,
    prf,
    r4,
    score_run,
)
from .questions import Question


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
    metrics = {m: r4(arr.mean()) if len(arr) else None for m, arr in per_query.items()}
    metrics["ci"] = {m: bootstrap_ci(arr) for m, arr in per_query.items()}
    metrics["search_p50_ms"], metrics["search_p95_ms"] = percentiles(ms)
    by_type: dict[str, dict] = {}
    for t in sorted({q.type for q in answerable}):
        ids = [i for i, q in enumerate(answerable) if q.type == t]
        by_type[t] = {
            "n": len(ids),
            **{m: r4(per_query[m][ids].mean()) for m in ("hit@1", "hit@5", "mrr@10")},
        }
    metrics["by_type"] = by_type
    return {"metrics": metrics, "rows": rows}


def run_answers(engine, questions: list[Question], tick=None) -> dict:
    engine.ask(questions[0].question)  # warm-up, untimed
    rows, ms, texts = {}, [], {}
    for q in questions:
        engine.embedder.forget()
        t0 = time.perf_counter()
        filters = {"exclude_doc_ids": q.exclude_docs} if q.exclude_docs else None
        ans = engine.ask(q.question, history=q.history, filters=filters)
        ms.append((time.perf_counter() - t0) * 1000)
        rows[q.id] = {**judge_answer(engine, q, ans, texts), "ms": round(ms[-1], 1)}
        if tick:
            tick()
    return {"metrics": answer_metrics(questions, rows, ms, engine.answerer.threshold), "rows": rows}


def answer_metrics(questions: list[Question], rows: dict, ms: list[float], threshold: float) -> dict:
    answerable = np.array([q.answerable for q in questions])
    abstained = np.array([rows[q.id]["abstained"] for q in questions])
    correct = np.array([rows[q.id]["correct"] for q in questions])
    confidence = np.array([rows[q.id]["confidence"] for q in questions])
    checked = [rows[q.id]["citations_valid"] for q in questions if rows[q.id]["citations_valid"] is not None]
    p, r, f1 = prf(abstained, ~answerable) if (~answerable).any() else (None, None, None)  # undefined
    pairs = np.column_stack([abstained, ~answerable]).astype(float)
    t, t_f1 = best_threshold(confidence, ~answerable) if (~answerable).any() else (None, None)
    mixed = np.array([rows[q.id]["mixed"] for q in questions])
    # Confidence is a probability of being right: answered questions, right = correct.
    given = ~abstained
    m = {
        "answer_accuracy": r4(correct[answerable].mean()) if answerable.any() else None,
        "mixed_rate": r4(mixed[answerable].mean()) if answerable.any() else None,
        "ece": r4(expected_calibration_error(confidence[given], correct[given])) if given.any() else None,
        "reliability": calibration_bins(confidence[given], correct[given]),
        "citation_valid": r4(np.mean(checked)) if checked else None,
        "abstain_precision": r4(p),
        "abstain_recall": r4(r),
        "abstain_f1": r4(f1),
        "false_abstain_rate": r4(abstained[answerable].mean()) if answerable.any() else None,
        "abstain_auroc": r4(auroc(1 - confidence, ~answerable)),
        "abstain_threshold": threshold,
        "suggested_threshold": t,
        "suggested_threshold_f1": t_f1,
        "suggested_false_abstain_rate": r4((confidence[answerable] < t).mean())
        if t is not None and answerable.any()
        else None,
    }
    m["ask_p50_ms"], m["ask_p95_ms"] = percentiles(ms)
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
            "abstain_rate": r4(abstained[sel].mean()),
            "answer_accuracy": r4(correct[ans_sel].mean()) if ans_sel.any() else None,
            "mixed": int(mixed[sel].sum()),
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
            "splits": sorted({q.split for q in questions if q.split}),
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
            row["cause"] = cause(q, answer_rows[q.id], row["retrieval"].get(main))
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
    for key in (*RETRIEVAL_METRICS, "answer_accuracy", "mixed_rate", "abstain_f1", "citation_valid", "ece"):
        if isinstance(pm.get(key), (int, float)) and isinstance(cm.get(key), (int, float)):
            out["deltas"][key] = round(cm[key] - pm[key], 4)
    return out
