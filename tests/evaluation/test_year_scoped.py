"""eval/year_scoped.py: issue #13's three numbers from a harness run, checked on hand-made rows."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load():
    spec = importlib.util.spec_from_file_location("year_scoped", ROOT / "eval" / "year_scoped.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def row(qid, answerable=True, abstained=False, correct=False, cited=(), confidence=0.5):
    answer = {"abstained": abstained, "correct": correct, "cited_docs": list(cited), "confidence": confidence}
    return {"id": qid, "answerable": answerable, "answer": answer}


def test_counts_right_year_only_right_year_and_sure_wrong_answers(tmp_path, capsys):
    gold = {"g1": {"gwr-2023"}, "g2": {"gwr-2022"}, "g3": {"gwr-2021"}, "g4": set(), "l1": {"law"}}
    rows = [
        row("g1", correct=True, cited=["gwr-2023"], confidence=0.95),
        row("g2", cited=["gwr-2022", "gwr-2017"], confidence=0.92),  # mixed in another year: sure, wrong
        row("g3", abstained=True),
        row("g4", answerable=False, abstained=True),
        row("l1", cited=["other"], confidence=0.99),  # not a year-scoped question
    ]
    module = load()
    out = module.summarise(rows, gold)
    assert out["answerable"] == 3 and out["right_year"] == round(1 / 3, 3)
    assert out["only_right_year"] == 0.5 and out["wrong_year_sure"] == ["g2"]
    assert out["unanswerable_refused"] == "1 / 1"
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"rows": rows}), encoding="utf-8")
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps({"id": k, "gold_docs": sorted(v)}) for k, v in gold.items()))
    assert module.main([str(results), "--questions", str(questions)]) == 0
    assert json.loads(capsys.readouterr().out)["wrong_year_sure"] == ["g2"]
    assert module.main([str(tmp_path / "missing.json")]) == 2


def test_the_gold_figure_in_other_words_counts_for_the_figure_measure_only():
    gold = {"g1": {"gwr-2013"}, "g2": {"gwr-2013"}, "g3": {"gwr-2013"}, "g4": {"gwr-2013"}}
    rows = [
        # the figure of the gold string, from the right report, in other words
        row("g1", cited=["gwr-2013"]) | {"answers": ["国内生产总值增长7.5%左右"]},
        # 17.5% is not 7.5%, and the label's year is no figure
        row("g2", cited=["gwr-2013"]) | {"answers": ["增长7.5%"]},
        # the right figure from another year's report
        row("g3", cited=["gwr-2012"]) | {"answers": ["增长7.5%"]},
        row("g4", abstained=True) | {"answers": ["增长7.5%"]},
    ]
    rows[0]["answer"]["answer"] = "【2013年政府工作报告】今年的经济增长目标定为7.5%左右。[1]"
    rows[1]["answer"]["answer"] = "【2013年政府工作报告】投资增长17.5%。[1]"
    rows[2]["answer"]["answer"] = "【2012年政府工作报告】经济增长7.5%。[1]"
    out = load().summarise(rows, gold)
    assert out["right_year"] == 0.0 and out["right_year_figure"] == 0.25
