"""Query benchmark: p50/p95 latency of search (hybrid, dense, BM25) and ask, query embedding included, on the
exact (flat) and approximate (HNSW) index of each collection, and HNSW recall@10 against exact search.

Needs the indexes that build_bench made. The ~50 questions: 25 from eval/questions.jsonl (follow-ups keep their
history) and 25 generated from the titles of the collection's documents.
"""

from __future__ import annotations

if __name__ == "__main__" and not __package__:
    raise SystemExit("run as a module from the repository root: .venv/bin/python -m bench.query_bench")

import argparse
import os
import random
import re

from .common import (
    BENCH,
    EVAL_SET,
    WORK,
    cold_ms,
    command_line,
    load_avg,
    load_json,
    machine_facts,
    md_table,
    parse_sizes,
    print_section,
    save_json,
    stats,
    update_results,
)

TEMPLATES = [
    "{t}的主要内容是什么？",
    "{t}适用于哪些范围？",
    "{t}规定了哪些法律责任？",
    "{t}由哪个部门负责实施？",
    "{t}自什么时候起施行？",
    "根据{t}，有哪些支持措施？",
]


def eval_questions(n: int, seed: int = 0) -> list[dict]:
    from policyqa.evaluation.questions import load_eval_set

    rows = load_eval_set(EVAL_SET)
    picked = sorted(random.Random(seed).sample(range(len(rows)), min(n, len(rows))))
    return [{"q": rows[i].question, "history": rows[i].history, "source": "eval"} for i in picked]


def title_questions(documents: dict, n: int, seed: int = 0) -> list[dict]:
    titles = sorted(
        {
            d["title"].strip("《》 ")
            for d in documents.values()
            if 4 <= len(d["title"]) <= 40
            and re.search(r"[\u4e00-\u9fff]{4}", d["title"])
            and not re.match(r"^第[一二三四五六七八九十百]+[章节条]", d["title"])
        }
    )
    rnd = random.Random(seed)
    chosen = rnd.sample(titles, min(n, len(titles)))
    return [
        {"q": TEMPLATES[i % len(TEMPLATES)].format(t=t), "history": [], "source": "title"}
        for i, t in enumerate(chosen)
    ]


def question_set(documents: dict, n: int = 50) -> list[dict]:
    qs = eval_questions(n // 2)
    return qs + title_questions(documents, n - len(qs))


def search_text(q: dict) -> str:
    """What a question is searched with: follow-ups resolved as the engine does (the peer gets the same text)."""
    from policyqa.query.followup import resolve_query

    return resolve_query(q["q"], q["history"])


def measure(engines: dict, questions: list[dict]) -> dict:
    """Per question, every engine back to back (flat, then HNSW), so load drift hits both alike. The query
    cache is emptied before every timing: each includes the query embedding."""
    import torch

    embedders = [engine.embedder for engine in engines.values()]
    onnx = embedders[0].backend == "onnx"
    # the query threads policyqa set (Engine.load applies POLICYQA_QUERY_THREADS to the backend in use)
    threads = (embedders[0].threads or os.cpu_count() or 1) if onnx else torch.get_num_threads()
    other = (os.cpu_count() or 2) if threads == 1 else 1

    def set_threads(n: int) -> None:
        for e in embedders:
            e.use_threads(n)

    for engine in engines.values():
        for q in questions[:3]:  # warm-up
            engine.search(search_text(q), 5)
            engine.ask(q["q"], q["history"])
            set_threads(other)
            engine.embedder.forget()
            engine.embedder.embed_batch([search_text(q)], "query")
            set_threads(threads)
    ops = ("embed", "embed_other", "hybrid", "dense", "bm25", "ask", "ask_retrieve", "ask_answer")
    t = {name: {k: [] for k in ops} for name in engines}
    dense_rows: dict[str, list] = {name: [] for name in engines}
    for q in questions:
        text = search_text(q)
        for name, engine in engines.items():
            tt, emb = t[name], engine.embedder
            tt["embed"].append(cold_ms(emb, emb.embed_batch, [text], "query")[0])
            # the same query embedding with the other thread count, for comparison
            set_threads(other)
            tt["embed_other"].append(cold_ms(emb, emb.embed_batch, [text], "query")[0])
            set_threads(threads)
            tt["hybrid"].append(cold_ms(emb, engine.search, text, 5, "hybrid")[0])
            ms, rows = cold_ms(emb, engine.retrievers["dense"].scored, text, 10)
            tt["dense"].append(ms)
            dense_rows[name].append([r for r, _ in rows])
            tt["bm25"].append(cold_ms(emb, engine.search, text, 10, "bm25")[0])
            ms, answer = cold_ms(emb, engine.ask, q["q"], q["history"])
            tt["ask"].append(ms)
            tt["ask_retrieve"].append(answer.timing_ms["retrieve"])
            tt["ask_answer"].append(answer.timing_ms["answer"])
    out = {
        name: {"stats": {k: stats(v) for k, v in t[name].items()}, "dense_rows": dense_rows[name]}
        for name in engines
    }
    return out | {"threads": threads, "other_threads": other, "backend": "onnx" if onnx else "torch"}


def profile(engine, questions: list[dict], label: str) -> None:
    from pyinstrument import Profiler

    for name, fn in (
        ("ask", lambda q: engine.ask(q["q"], q["history"])),
        ("search", lambda q: engine.search(search_text(q), 5)),
    ):
        profiler = Profiler(interval=0.001)
        profiler.start()
        for q in questions:
            engine.embedder.forget()
            fn(q)
        profiler.stop()
        path = WORK / f"profile-{name}-{label}.txt"
        path.write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
        print(f"[{label}] pyinstrument profile of {name}: {path}", flush=True)


def run_size(label: str, embedder, n: int, do_profile: bool) -> dict:
    from policyqa.query.engine import Engine
    from policyqa.settings import Settings

    from .build_bench import index_dirs

    exact_dir, hnsw_dir = index_dirs(label)
    load_start = load_avg()
    exact = Engine.load(Settings(index_dir=exact_dir), embedder)
    hnsw = Engine.load(Settings(index_dir=hnsw_dir), embedder)
    assert exact.index.dense.exact and not hnsw.index.dense.exact, "run build_bench for this size first"
    questions = question_set(exact.index.documents, n)
    res = {
        "size": label,
        "chunks": len(exact.index.chunks),
        "questions": len(questions),
        "load_start": load_start,
    }
    measured = measure({"flat": exact, "hnsw": hnsw}, questions)
    res.update(
        threads=measured.pop("threads"),
        other_threads=measured.pop("other_threads"),
        backend=measured.pop("backend"),
    )
    for name, m in measured.items():
        res[name], res[f"{name}_rows"] = m["stats"], m["dense_rows"]
        print(
            f"[{label}] {name}: hybrid search p50 {m['stats']['hybrid']['p50']:.1f} ms,"
            f" ask p50 {m['stats']['ask']['p50']:.0f} ms",
            flush=True,
        )
    recall = [
        len(set(a) & set(e)) / max(1, len(e)) for a, e in zip(res["hnsw_rows"], res["flat_rows"], strict=True)
    ]
    res.update(
        recall_at_10=sum(recall) / len(recall),
        load_end=load_avg(),
        when=machine_facts()["when"],
        sample_questions=[q["q"] for q in questions[::10]],
    )
    if do_profile:
        profile(exact, questions, label)
    return res


def rows_of(r: dict) -> list[list]:
    out = []
    for name in ("flat", "hnsw"):
        s = r[name]
        other = s.get("embed_other", s.get("embed_1thread"))
        out.append(
            [
                r["size"],
                r["chunks"],
                name,
                f"{r.get('backend', 'torch')}: {s['embed']['p50']:.1f} [{r.get('threads', '?')}] ({other['p50']:.1f} [{r.get('other_threads', 1)}])",
                f"{s['hybrid']['p50']:.1f} / {s['hybrid']['p95']:.1f}",
                f"{s['dense']['p50']:.1f}",
                f"{s['bm25']['p50']:.1f}",
                f"{s['ask']['p50']:.0f} / {s['ask']['p95']:.0f}",
                f"{s['ask_answer']['p50']:.0f}",
                f"{r['recall_at_10']:.3f}" if name == "hnsw" else "1 (ref.)",
                f"{r['load_start']} → {r['load_end']}",
            ]
        )
    return out


def plot(results: list[dict]) -> str | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not results:
        return None
    xs = [r["chunks"] for r in results]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for name, style in (("flat", "-o"), ("hnsw", "--s")):
        for op, color in (("hybrid", "C0"), ("dense", "C1"), ("bm25", "C2"), ("ask", "C3")):
            ax.plot(xs, [r[name][op]["p50"] for r in results], style, color=color, label=f"{op} p50 ({name})")
    ax.axhline(30, color="grey", lw=0.8, ls=":", label="target: search p50 30 ms")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="chunks in the collection",
        ylabel="latency, ms (query embedding included)",
        title="policyqa query latency vs collection size",
    )
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    path = BENCH / "query_latency.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name


def write_section(facts: dict, command: str) -> str:
    results = [r for label in ("1k", "10k", "100k") if (r := load_json(f"query-{label}"))]
    headers = [
        "size",
        "chunks",
        "FAISS",
        "query embed: backend, p50 ms [threads] (other thread count)",
        "hybrid search p50 / p95 ms",
        "dense p50 ms",
        "BM25 p50 ms",
        "ask p50 / p95 ms",
        "ask answer-stage p50 ms",
        "recall@10 vs flat",
        "load avg",
    ]
    body = md_table(headers, [row for r in results for row in rows_of(r)])
    body += (
        "\n\nIn-process, sequential, after 3 warm-up queries; ~50 questions per size (25 from eval/questions.jsonl,"
        " 25 generated from document titles). Search = `Engine.search(q, k)` with the query embedding; ask ="
        " `Engine.ask` (retrieval + sentence choice + abstention check). HNSW: M=32, efSearch=128. Flat and HNSW are"
        " timed back to back per question. policyqa's cache of recent query vectors is emptied before every timing,"
        " so each includes the query embedding. Square brackets: intra-op threads of the embedding backend"
        " (policyqa's setting, then, in round brackets, the same query embedding with the other thread count for"
        " comparison). Rows measured before the ONNX Runtime backend existed say torch."
    )
    if name := plot(results):
        body += f"\n\n![query latency]({name})"
    update_results("query", "Query latency", body, facts, command)
    return body


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1k,10k")
    ap.add_argument("--questions", type=int, default=50)
    ap.add_argument(
        "--profile", action="store_true", help="also write pyinstrument profiles of ask/search to /tmp"
    )
    args = ap.parse_args()
    run(parse_sizes(args.sizes), args.questions, args.profile)


def run(sizes: list[str], n: int = 50, do_profile: bool = False) -> None:
    from policyqa.models.embed import load_embedder
    from policyqa.settings import Settings

    facts = machine_facts()
    embedder = load_embedder(Settings())
    for label in sizes:
        res = run_size(label, embedder, n, do_profile)
        save_json(f"query-{label}", res)
    print_section("query", write_section(facts, command_line()))


if __name__ == "__main__":
    main()
