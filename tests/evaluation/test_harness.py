"""The eval harness (policyqa.evaluate / evalreport) and the SQuAD-style converter (eval/convert_squad.py)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from policyqa.errors import InputError
from policyqa.evaluation.cli import run_eval_command
from policyqa.evaluation.harness import compare_results, evaluate
from policyqa.evaluation.metrics import RETRIEVAL_METRICS, auroc, best_threshold, bootstrap_ci, prf, score_run
from policyqa.evaluation.questions import Question, load_eval_set
from policyqa.index.build import build_index
from policyqa.models.embed import load_embedder
from policyqa.query.engine import Engine
from policyqa.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]
POLICY = """关于促进科技创新的若干措施

一、总体要求
自治区人民政府印发《关于促进科技创新的若干措施》，文号为新政发〔2019〕12号，自2019年3月1日起施行。

二、资金支持
自治区财政每年安排科技创新专项资金5000万元，重点支持企业研发中心建设和科技成果转化。
对新认定的国家级重点实验室，一次性给予500万元奖励。

三、人才引进
对引进的高层次科技人才，给予每人100万元安家补贴，并优先解决子女入学问题。
全区共设立12个院士专家工作站，由科技厅负责日常管理。

四、组织实施
各地州市科技局负责本地区措施的落实，每年12月底前向科技厅报送实施情况。
"""
OTHER = """农业技术推广工作要点

一、重点任务
全年推广主导品种30个、主推技术20项，建设农业科技示范基地15个。
棉花机采率达到85%以上，节水灌溉面积稳定在5000万亩。
"""
QUESTIONS = [
    {
        "id": "t1",
        "question": "促进科技创新的若干措施的文号是什么？",
        "answers": ["新政发〔2019〕12号"],
        "gold_docs": ["policy"],
        "answerable": True,
        "type": "docnum",
    },
    {
        "id": "t2",
        "question": "自治区财政每年安排多少科技创新专项资金？",
        "answers": ["5000万元"],
        "gold_docs": ["policy"],
        "answerable": True,
        "type": "amount",
    },
    {
        "id": "t3",
        "question": "全区共设立多少个院士专家工作站？",
        "answers": ["12个院士专家工作站"],
        "gold_docs": ["policy"],
        "answerable": True,
        "type": "count",
    },
    {
        "id": "t4",
        "question": "那国家级重点实验室呢？",
        "answers": ["500万元奖励"],
        "gold_docs": ["policy"],
        "answerable": True,
        "type": "followup",
        "history": ["自治区财政每年安排多少科技创新专项资金？"],
    },
    {
        "id": "t5",
        "question": "高端人才来新疆能拿到多少安家费？",
        "answers": ["100万元安家补贴"],
        "gold_docs": ["policy"],
        "answerable": True,
        "type": "paraphrase",
    },
    {
        "id": "t6",
        "question": "全年推广多少个主导品种？",
        "answers": ["主导品种30个"],
        "answerable": True,
        "type": "count",
    },
    {
        "id": "t7",
        "question": "2018年西藏自治区有多少家星创天地？",
        "answers": [],
        "gold_docs": [],
        "answerable": False,
        "type": "unanswerable",
    },
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("evalset")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "policy.txt").write_text(POLICY, encoding="utf-8")
    (corpus / "other.txt").write_text(OTHER, encoding="utf-8")
    settings = Settings(
        index_dir=root / "index", corpus_dir=corpus, model="fake-64", chunk_size=50, chunk_overlap=0
    )
    embedder = load_embedder(settings)
    build_index(settings, embedder, corpus_dir=corpus, index_dir=root / "index")
    engine = Engine.load(settings, embedder)
    eval_set = write_jsonl(root / "questions.jsonl", QUESTIONS)
    return root, settings, engine, eval_set


@pytest.fixture(scope="module")
def results(setup):
    _, _, engine, eval_set = setup
    return evaluate(engine, load_eval_set(eval_set), ["bm25", "dense", "hybrid"])


def test_metrics_are_rates(results):
    m = results["metrics"]
    for name, r in m["retrievers"].items():
        for key in RETRIEVAL_METRICS:
            assert 0.0 <= r[key] <= 1.0, (name, key)
    for key in (
        "answer_accuracy",
        "citation_valid",
        "abstain_precision",
        "abstain_recall",
        "abstain_f1",
        "false_abstain_rate",
        "abstain_auroc",
    ):
        assert m[key] is None or 0.0 <= m[key] <= 1.0, key
    assert m["hit@5"] == m["retrievers"]["hybrid"]["hit@5"]  # hybrid's at top level
    assert m["meta"]["answerable"] == 6 and m["meta"]["questions"] == 7
    assert m["search_p50_ms"] <= m["search_p95_ms"] and m["ask_p50_ms"] <= m["ask_p95_ms"]
    assert not m["warnings"]


def test_hit_at_k_is_monotone(results):
    for r in results["metrics"]["retrievers"].values():
        assert r["hit@1"] <= r["hit@3"] <= r["hit@5"] <= r["hit@10"]
    for row in results["rows"]:
        for per in row["retrieval"].values():
            assert per["hit@1"] <= per["hit@3"] <= per["hit@5"] <= per["hit@10"]


def test_gold_in_top_passage_is_a_hit_at_1(setup, results):
    _, _, engine, eval_set = setup
    questions = {q.id: q for q in load_eval_set(eval_set)}
    checked = 0
    for row in results["rows"]:
        q = questions[row["id"]]
        for per in row["retrieval"].values():
            doc, span = per["top"][0].rsplit(":", 1)
            start, end = map(int, span.split("-"))
            if q.relevant(doc, engine.document(doc)["text"][start:end]):
                assert per["hit@1"] == 1.0 and per["mrr@10"] == 1.0 and per["rank"] == 1
                checked += 1
            else:
                assert per["hit@1"] == 0.0 and per["rank"] != 1
    assert checked > 0
    # bm25 finds the exact document number first
    t1 = next(r for r in results["rows"] if r["id"] == "t1")
    assert t1["retrieval"]["bm25"]["rank"] == 1
    assert "retrieval" in t1 and all("answer" in r for r in results["rows"])
    t7 = next(r for r in results["rows"] if r["id"] == "t7")
    assert t7["retrieval"] == {} and t7["answer"]["correct"] is False


def test_followup_uses_resolved_query(results):
    t4 = next(r for r in results["rows"] if r["id"] == "t4")
    assert t4["query"].startswith("自治区财政每年安排多少科技创新专项资金？")


def test_relevance_ignores_whitespace_and_variants():
    q = Question("x", "?", ["新政发〔2019〕12号", "5000 万元"], True, gold_docs=["policy"])
    assert q.relevant("policy", "文号为新政发[2019]12号，")
    assert q.relevant("policy", "资金5000万元")
    assert q.relevant("policy", "资金５０００ 万元")
    assert not q.relevant("other", "资金5000万元")  # gold_docs restrict when given
    assert not q.relevant("policy", "资金500万元")
    docs_only = Question("y", "?", [], True, gold_docs=["policy"])
    assert docs_only.relevant("policy", "anything") and not docs_only.relevant("other", "anything")


def test_ranx_mrr_matches_hand_computation():
    ranked = {  # deliberately not in sorted id order
        "q2": [("a", False), ("b", True), ("c", False)],
        "q1": [("c", True)],
        "q3": [("d", False), ("e", False), ("f", True), ("g", True)],
        "q0": [("x", False), ("y", False)],
        "q4": [],
    }
    scores = score_run(ranked)
    assert np.allclose(scores["mrr@10"], [0.5, 1.0, 1 / 3, 0.0, 0.0])
    assert np.allclose(scores["hit@1"], [0, 1, 0, 0, 0])
    assert np.allclose(scores["hit@3"], [1, 1, 1, 0, 0])
    ndcg_q3 = (1 / np.log2(4) + 1 / np.log2(5)) / (1 + 1 / np.log2(3))
    assert np.allclose(scores["ndcg@10"], [1 / np.log2(3), 1.0, ndcg_q3, 0.0, 0.0])


def test_bootstrap_ci_contains_point_estimate(results):
    m = results["metrics"]
    for key in ("hit@1", "hit@5", "mrr@10", "ndcg@10"):
        lo, hi = m["ci"][key]
        assert lo <= m[key] <= hi
    values = np.array([1, 0, 1, 1, 0, 1, 1, 1, 0, 1], dtype=float)
    lo, hi = bootstrap_ci(values)
    assert lo <= values.mean() <= hi and 0 <= lo < hi <= 1
    assert bootstrap_ci(values) == [lo, hi]  # fixed seed
    assert bootstrap_ci([]) is None


def test_abstention_statistics():
    assert prf([True, True, False, False], [True, False, True, False]) == (0.5, 0.5, 0.5)
    assert auroc([0.9, 0.8, 0.1], [True, True, False]) == 1.0
    assert auroc([0.5, 0.5], [True, False]) == 0.5
    assert auroc([0.1, 0.2], [False, False]) is None
    t, f1 = best_threshold([0.1, 0.2, 0.8, 0.9], [True, True, False, False])
    assert f1 == 1.0 and 0.2 < t <= 0.8


def test_compare_lists_moved_questions(results):
    previous = json.loads(json.dumps(results))
    row = next(r for r in previous["rows"] if r["retrieval"].get("bm25", {}).get("rank") == 1)
    row["retrieval"]["bm25"]["rank"] = None
    flipped = next(r for r in previous["rows"] if "answer" in r and r["answerable"])
    flipped["answer"]["correct"] = not flipped["answer"]["correct"]
    cmp = compare_results(previous, results)
    assert [it["id"] for it in cmp["retrievers"]["bm25"]["better"]] == [row["id"]]
    assert cmp["retrievers"]["bm25"]["worse"] == []
    assert [it["id"] for it in cmp["fixed"] + cmp["broken"]] == [flipped["id"]]
    assert set(cmp["deltas"]) >= {"hit@1", "mrr@10"}


@pytest.fixture
def cli_env(setup, monkeypatch):
    root, settings, _, eval_set = setup
    monkeypatch.setenv("POLICYQA_MODEL", "fake-64")
    monkeypatch.setenv("POLICYQA_INDEX_DIR", str(settings.index_dir))
    get_settings.cache_clear()
    yield root, eval_set
    get_settings.cache_clear()


def test_cli_report_json_and_compare(cli_env, tmp_path):
    from policyqa.cli import app

    _, eval_set = cli_env
    runner = CliRunner()
    out = tmp_path / "report"
    result = runner.invoke(
        app, ["eval", "--eval-set", str(eval_set), "--retriever", "all", "--report", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "hybrid" in result.output and "suggestion" in result.output
    for name in ("results.json", "report.md", "eval.png"):
        assert (out / name).stat().st_size > 0
    assert (out / "eval.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    saved = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert len(saved["rows"]) == len(QUESTIONS) and "retrievers" in saved["metrics"]
    assert "| hybrid |" in (out / "report.md").read_text(encoding="utf-8")

    result = runner.invoke(
        app,
        [
            "eval",
            "--eval-set",
            str(eval_set),
            "--retriever",
            "bm25",
            "--json",
            "--compare",
            str(out / "results.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["meta"]["retriever"] == "bm25" and "answer_accuracy" not in metrics
    assert metrics["hit@1"] == saved["metrics"]["retrievers"]["bm25"]["hit@1"]
    assert metrics["compare"]["retrievers"] == {}  # same index, same questions: nothing moved


def test_bad_eval_files_are_clear_errors(setup, tmp_path):
    _, settings, _, _ = setup

    def fails(lines: str, match: str):
        path = tmp_path / "bad.jsonl"
        path.write_text(lines, encoding="utf-8")
        with pytest.raises(InputError, match=match):
            load_eval_set(path)

    with pytest.raises(InputError, match="eval set not found"):
        load_eval_set(tmp_path / "missing.jsonl")
    fails("", "no questions")
    fails(
        '{"id": "a", "question": "x", "answerable": true, "answers": ["y"]}\nnot json\n',
        r"bad.jsonl:2: invalid JSON",
    )
    fails('{"id": "a", "answerable": true}\n', "missing key.*question")
    fails('{"id": "a", "question": "x", "answerable": true}\n', "neither answers nor gold_docs")
    fails('{"id": "a", "question": "x", "answerable": "yes", "answers": ["y"]}\n', "true or false")
    fails('{"id": "a", "question": "x", "answerable": true, "answers": "y"}\n', "list of strings")
    fails(
        '{"id": "a", "question": "x", "answerable": false}\n{"id": "a", "question": "z", "answerable": false}\n',
        "duplicate id",
    )
    with pytest.raises(InputError, match="unknown retriever"):
        run_eval_command(settings, tmp_path / "missing.jsonl", "splade", True, None, None)
    good = write_jsonl(tmp_path / "good.jsonl", QUESTIONS[:2])
    (tmp_path / "prev.json").write_text('{"metrics": {}}', encoding="utf-8")
    with pytest.raises(InputError, match="results.json"):
        run_eval_command(settings, good, "bm25", True, None, tmp_path / "prev.json")


def test_cli_exit_status_for_missing_eval_set(tmp_path):
    script = Path(sys.executable).with_name("policyqa")
    if not script.exists():
        pytest.skip("the policyqa console script is not installed next to this interpreter")
    proc = subprocess.run(
        [str(script), "eval", "--eval-set", str(tmp_path / "nope.jsonl")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 2 and "eval set not found" in proc.stderr


def _converter():
    spec = importlib.util.spec_from_file_location("convert_squad", ROOT / "eval" / "convert_squad.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_converter_on_synthetic_squad(tmp_path):
    from policyqa.corpus.ingest import load_corpus

    data = tmp_path / "data"
    data.mkdir()
    write_jsonl(
        data / "contexts.jsonl",
        [
            {
                "context_id": f"dev:C{i}",
                "split": "dev",
                "title": f"标题{i}",
                "article_id": f"C{i}",
                "context": f"第{i}段：这是一个测试段落，其中提到了答案{i}号。",
            }
            for i in range(5)
        ],
    )
    write_jsonl(
        data / "questions.jsonl",
        [
            {
                "qid": f"Q{i}-{j}",
                "split": "dev",
                "question": f"第{i}段提到了什么？",
                "answers": [f"答案{i}号", f"答案{i}号", " "],
                "answer_starts": [0, 0, 0],
                "context_id": f"dev:C{i}",
            }
            for i in range(5)
            for j in range(2)
        ],
    )
    conv = _converter()
    out = tmp_path / "out"
    assert (
        conv.main(["cmrc2018", str(out), "--data-dir", str(data), "--limit-contexts", "3", "--seed", "1"])
        == 0
    )
    docs = [
        json.loads(x) for x in (out / "corpus" / "cmrc2018.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    rows = load_eval_set(out / "questions.jsonl")
    assert len(docs) == 3 and len(rows) == 6
    assert all(d["id"].startswith("dev-C") and set(d) == {"id", "title", "text"} for d in docs)
    assert {q.gold_docs[0] for q in rows} == {d["id"] for d in docs}
    assert all(len(q.answers) == 1 and q.answerable and q.type == "squad" for q in rows)
    corpus = load_corpus(out / "corpus")
    assert {d.doc_id for d in corpus.documents} == {d["id"] for d in docs}
    for q in rows:  # the gold string survives ingestion, so relevance can be judged
        doc = next(d for d in corpus.documents if d.doc_id == q.gold_docs[0])
        assert q.relevant(doc.doc_id, doc.text)
    # the same seed picks the same sample
    assert (
        conv.main(
            [
                "cmrc2018",
                str(tmp_path / "again"),
                "--data-dir",
                str(data),
                "--limit-contexts",
                "3",
                "--seed",
                "1",
            ]
        )
        == 0
    )
    assert (tmp_path / "again" / "questions.jsonl").read_text() == (out / "questions.jsonl").read_text()


def test_converter_missing_data(tmp_path, capsys):
    conv = _converter()
    assert conv.main(["drcd", str(tmp_path / "out"), "--data-dir", str(tmp_path / "absent")]) == 2
    assert "not found" in capsys.readouterr().err
    assert conv.main(["drcd", str(ROOT / "eval" / "out" / "x"), "--data-dir", str(tmp_path)]) == 2
