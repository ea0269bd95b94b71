"""Presenting `policyqa eval` results: rich tables on the terminal, results.json, report.md and a chart."""

from __future__ import annotations

import json
from pathlib import Path

from rich.table import Table

from ..errors import PolicyQAError

SHOWN = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10")
TERMINAL = ("hit@1", "hit@5", "mrr@10", "ndcg@10")  # the rest are in --json and the report
ANSWER_ROWS = (
    ("answer_accuracy", "answer correct (gold, nothing mixed in; over answerable)"),
    ("mixed_rate", "mixed: gold plus a figure from another document"),
    ("citation_valid", "citations whose quote matches the document text"),
    ("abstain_precision", "abstention precision (abstained → unanswerable)"),
    ("abstain_recall", "abstention recall (unanswerable → abstained)"),
    ("abstain_f1", "abstention F1"),
    ("false_abstain_rate", "false abstentions on answerable questions"),
    ("abstain_auroc", "AUROC of 1 − confidence (unanswerable vs answerable)"),
    ("ece", "expected calibration error of confidence (answered questions)"),
    ("ask_p50_ms", "ask latency p50 (ms)"),
    ("ask_p95_ms", "ask latency p95 (ms)"),
)


def per_retriever(metrics: dict) -> dict[str, dict]:
    return metrics.get("retrievers") or {metrics["meta"]["retriever"]: metrics}


def fmt(value, ci=None) -> str:
    if value is None:
        return "–"
    text = f"{value:.3f}" if isinstance(value, float) and abs(value) <= 1 else f"{value}"
    return f"{text} [{ci[0]:.2f}–{ci[1]:.2f}]" if ci else text


def fmt_ms(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def suggestion(metrics: dict) -> str | None:
    if metrics.get("suggested_threshold") is None or metrics.get("abstain_f1") is None:
        return None
    return (
        f"abstain_threshold is {metrics['abstain_threshold']} (abstention F1 {metrics['abstain_f1']:.3f}); "
        f"on this set the best F1 is {metrics['suggested_threshold_f1']:.3f} at threshold "
        f"{metrics['suggested_threshold']} (false abstentions {fmt(metrics.get('suggested_false_abstain_rate'))}) — suggestion: POLICYQA_ABSTAIN_THRESHOLD={metrics['suggested_threshold']}"
    )


def _answer_value(m: dict, key: str) -> str:
    return fmt_ms(m.get(key)) if key.endswith("_ms") else fmt(m.get(key), m.get("ci", {}).get(key))


def _retrieval_rows(metrics: dict, keys=SHOWN) -> list[list[str]]:
    rows = []
    for name, m in per_retriever(metrics).items():
        ci = m.get("ci", {})
        rows.append(
            [
                name,
                *(fmt(m.get(k), ci.get(k)) for k in keys),
                f"{fmt_ms(m.get('search_p50_ms'))} / {fmt_ms(m.get('search_p95_ms'))}",
            ]
        )
    return rows


def _type_rows(metrics: dict) -> tuple[list[str], list[list[str]]]:
    runs = per_retriever(metrics)
    header = ["type", "n", *(f"hit@5 {name}" for name in runs), "answer acc", "abstain rate"]
    rows = []
    for typ, info in metrics.get("by_type", {}).items():
        rows.append(
            [
                typ,
                str(info.get("n", "")),
                *(fmt(r.get("by_type", {}).get(typ, {}).get("hit@5")) for r in runs.values()),
                fmt(info.get("answer_accuracy")),
                fmt(info.get("abstain_rate")),
            ]
        )
    return header, rows


def print_summary(console, results: dict) -> None:
    m = results["metrics"]
    meta = m["meta"]
    console.print(
        f"[bold]eval[/] {meta.get('eval_set', '')}: {meta['questions']} questions "
        f"({meta['answerable']} answerable), index {meta['index_version']}, model {meta['model']}"
    )
    table = Table(
        "retriever",
        *TERMINAL,
        "search p50/p95 ms",
        title="Retrieval (answerable questions, 95% bootstrap CI)",
    )
    for row in _retrieval_rows(m, TERMINAL):
        table.add_row(*row)
    console.print(table)
    if m.get("answer_accuracy") is not None or "abstain_f1" in m:
        answers = Table("metric", "value", title="Answers and abstention (hybrid)")
        for key, label in ANSWER_ROWS:
            answers.add_row(label, _answer_value(m, key))
        console.print(answers)
    header, rows = _type_rows(m)
    by_type = Table(*header, title="By question type")
    for row in rows:
        by_type.add_row(*row)
    console.print(by_type)
    if line := suggestion(m):
        console.print(f"[cyan]{line}[/]")
    for w in m.get("warnings", []):
        console.print(f"[yellow]warning:[/] {w}")


def print_compare(console, cmp: dict) -> None:
    if cmp["deltas"]:
        console.print("changes: " + ", ".join(f"{k} {v:+.3f}" for k, v in cmp["deltas"].items()))
    for name, moved in cmp["retrievers"].items():
        for label, items in (("better", moved["better"]), ("worse", moved["worse"])):
            for it in items:
                colour = "green" if label == "better" else "red"
                console.print(
                    f"[{colour}]{name} {label}[/] {it['id']}: rank {it['before'] or '–'} → "
                    f"{it['after'] or '–'}  {it['question']}"
                )
    for label, colour in (("fixed", "green"), ("broken", "red")):
        for it in cmp[label]:
            console.print(f"[{colour}]answer {label}[/] {it['id']}: {it['question']}")
    if not (cmp["retrievers"] or cmp["fixed"] or cmp["broken"]):
        console.print("no question changed its first relevant rank or answer correctness")


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def render_markdown(results: dict) -> str:
    m = results["metrics"]
    meta = m["meta"]
    parts = [
        "# policyqa evaluation report",
        "",
        f"- eval set: `{meta.get('eval_set', '')}` — {meta['questions']} questions, {meta['answerable']} answerable",
        f"- index `{meta['index_version']}`, model `{meta['model']}`, fusion `{meta.get('fusion')}`, run {meta['created']}",
        "",
        "## Retrieval (answerable questions; 95% bootstrap CI)",
        "",
        _md_table(["retriever", *SHOWN, "search p50 / p95 ms"], _retrieval_rows(m)),
    ]
    if "abstain_f1" in m:
        rows = [[label, _answer_value(m, key)] for key, label in ANSWER_ROWS]
        parts += ["", "## Answers and abstention (hybrid)", "", _md_table(["metric", "value"], rows)]
        if line := suggestion(m):
            parts += ["", line]
    header, rows = _type_rows(m)
    parts += ["", "## By question type", "", _md_table(header, rows), "", "![chart](eval.png)"]
    failed = [r for r in results["rows"] if r.get("cause")]
    if failed:
        parts += ["", f"## Failures and their causes ({len(failed)})", ""]
        parts += [
            _md_table(
                ["id", "type", "question", "cause"],
                [[r["id"], r["type"], r["question"].replace("|", "｜"), r["cause"]] for r in failed],
            )
        ]
    misses = [
        r
        for r in results["rows"]
        if r["answerable"] and all(v.get("rank") is None for v in r["retrieval"].values())
    ]
    if misses:
        parts += ["", "## Questions no retriever found in its top 10", ""]
        parts += [f"- {r['id']} ({r['type']}): {r['question']}" for r in misses]
    if m.get("warnings"):
        parts += ["", "## Warnings", "", *(f"- {w}" for w in m["warnings"])]
    return "\n".join(parts) + "\n"


def plot_chart(results: dict, path: Path) -> None:
    """hit@k per retriever; answer accuracy and abstention per question type; a reliability plot."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    m = results["metrics"]
    runs = per_retriever(m)
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(17, 4.8))
    ks = [1, 3, 5, 10]
    for name, r in runs.items():
        left.plot(ks, [r.get(f"hit@{k}") or 0 for k in ks], marker="o", label=name)
    left.set(xlabel="k", ylabel="hit@k", title="retrieval: hit@k by retriever", ylim=(0, 1.02), xticks=ks)
    left.grid(alpha=0.3)
    left.legend()
    by_type = m.get("by_type", {})
    types = list(by_type)
    x = range(len(types))
    accuracy = [by_type[t].get("answer_accuracy") or 0 for t in types]
    abstain = [by_type[t].get("abstain_rate") or 0 for t in types]
    middle.bar([i - 0.2 for i in x], accuracy, 0.4, label="answer correct (answerable)")
    middle.bar([i + 0.2 for i in x], abstain, 0.4, label="abstained (all)")
    middle.set_xticks(list(x), [f"{t} ({by_type[t].get('n', 0)})" for t in types], rotation=35, ha="right")
    middle.set(title="answers by question type", ylim=(0, 1.15))
    middle.legend(loc="upper center", ncol=2, fontsize="small")
    bins = m.get("reliability") or []
    right.plot([0, 1], [0, 1], ls="--", color="grey", lw=1)
    if bins:
        centres = [(b["lo"] + b["hi"]) / 2 for b in bins]
        right.bar(centres, [b["accuracy"] for b in bins], width=0.09, alpha=0.6, label="share correct")
        right.plot(
            [b["confidence"] for b in bins],
            [b["accuracy"] for b in bins],
            marker="o",
            label="mean confidence",
        )
        for c, b in zip(centres, bins):
            right.annotate(str(b["n"]), (c, b["accuracy"]), ha="center", va="bottom", fontsize=7)
    ece = m.get("ece")
    right.set(xlabel="confidence", ylabel="share of answers that are correct", xlim=(0, 1), ylim=(0, 1.05),
              title=f"reliability (ECE {ece:.3f})" if ece is not None else "reliability")  # fmt: skip
    right.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(folder: Path, results: dict) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "results.json").write_text(
            json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        (folder / "report.md").write_text(render_markdown(results), encoding="utf-8")
        plot_chart(results, folder / "eval.png")
    except OSError as exc:
        raise PolicyQAError(f"cannot write the report to {folder}: {exc}") from exc
