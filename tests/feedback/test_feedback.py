"""Feedback: kept in SQLite (WAL), one row per answer, exported as eval questions that `policyqa eval`
loads, and summarised by day and by document."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from policyqa.evaluation.questions import check_eval_set, load_eval_set
from policyqa.feedback.export import stats, to_eval_items
from policyqa.feedback.store import Feedback, FeedbackStore

from ..conftest import DEMO_CORPUS, ROOT

DOC = "2018-xinjiang-sci-tech-report"
QUOTE = "截至2018年，全疆入网登记科技型企业20450家，生产总值占全疆GDP近2/3。"


def cite(quote=QUOTE, doc=DOC):
    return {"n": 1, "doc_id": doc, "title": "2018年新疆科技发展报告", "section": ["二"], "quote": quote}


def sample() -> list[Feedback]:
    return [
        Feedback("up-answer-1", 1, "全疆入网登记的科技型企业有多少家？", "…20450家…[1]", citations=[cite()]),
        Feedback("up-refusal", 1, "2016年全疆有多少家科技型企业？", "资料中未找到…", abstained=True),
        Feedback("down-refuse", -1, "西藏有多少家星创天地？", "…", citations=[cite()], should_refuse=True),
        Feedback(
            "down-fixed",
            -1,
            "中科援疆基金规模多大？",
            "错的答案",
            citations=[cite()],
            correction="4.6亿元",
            comment="应是基金规模",
            history=["自治区科技成果转化基金有多少？"],
        ),  # fmt: skip
        Feedback("down-paraphrase", -1, "孵化器有多少？", "…", correction="大约二十多家吧"),
        Feedback("down-bare", -1, "众创空间有哪些？", "…", citations=[cite()]),
    ]


@pytest.fixture
def store(tmp_path):
    s = FeedbackStore(tmp_path / "fb" / "feedback.sqlite3")
    for item in sample():
        s.save(item)
    return s


@pytest.fixture(scope="module")
def documents():
    from policyqa.corpus.ingest import load_corpus

    return {d.doc_id: d.text for d in load_corpus(DEMO_CORPUS).documents}


def test_the_store_is_durable_sqlite_in_wal_mode(store):
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM feedback").fetchone()[0] == 6
    again = FeedbackStore(store.path).get("down-fixed")  # a fresh handle reads what was written
    assert again.history == ["自治区科技成果转化基金有多少？"] and again.citations[0]["doc_id"] == DOC
    assert again.correction == "4.6亿元" and again.created and again.updated


def test_rating_the_same_answer_again_replaces_the_row(store):
    first = store.get("down-bare")
    store.save(Feedback("down-bare", 1, "众创空间有哪些？", "…", citations=[cite()]))
    row = store.get("down-bare")
    assert row.rating == 1 and row.created == first.created and len(store.all()) == 6


def test_export_turns_ratings_into_labelled_questions_and_entries_to_label(store, documents, tmp_path):
    labelled, pending = to_eval_items(store.all(), documents)
    by_q = {q["question"]: q for q in labelled}
    confirmed = by_q["全疆入网登记的科技型企业有多少家？"]
    assert (
        confirmed["answerable"] is True
        and confirmed["answers"] == [QUOTE]
        and confirmed["gold_docs"] == [DOC]
    )
    assert by_q["2016年全疆有多少家科技型企业？"]["answerable"] is False
    assert by_q["西藏有多少家星创天地？"]["answerable"] is False
    fixed = by_q["中科援疆基金规模多大？"]
    assert (
        fixed["answers"] == ["4.6亿元"]
        and fixed["gold_docs"] == [DOC]
        and fixed["history"] == ["自治区科技成果转化基金有多少？"]
    )
    assert "应是基金规模" in fixed["note"] and "feedback" in fixed["tags"]
    assert {p["question"]: p["reason"] for p in pending} == {
        "孵化器有多少？": "the correction is not found word for word in the indexed documents",
        "众创空间有哪些？": "👎 without a correction",
    }
    assert all(p["answerable"] is None and p["status"] == "to-label" for p in pending)

    path = tmp_path / "fb.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in labelled), encoding="utf-8")
    assert len(load_eval_set(path)) == 4 and check_eval_set(path, documents) == []
    todo = tmp_path / "todo.jsonl"
    todo.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in pending), encoding="utf-8")
    with pytest.raises(Exception, match="answerable"):
        load_eval_set(todo)  # unlabelled entries can never be scored by mistake


def test_without_an_index_corrections_wait_for_a_person(store):
    labelled, pending = to_eval_items(store.all(), None)
    assert "中科援疆基金规模多大？" in {p["question"] for p in pending}
    assert "中科援疆基金规模多大？" not in {q["question"] for q in labelled}


def test_the_latest_rating_of_a_question_wins(tmp_path):
    s = FeedbackStore(tmp_path / "f.sqlite3")
    s.save(Feedback("a-first-rating", -1, "星创天地有多少个？", "…"))
    s.save(
        Feedback(
            "b-later-rating",
            1,
            "星创天地 有多少个？",
            "…",
            citations=[cite("截至2018年，我区有星创天地42个")],
        )
    )
    labelled, pending = to_eval_items(s.all(), {})
    assert [q["feedback_id"] for q in labelled] == ["b-later-rating"] and pending == []


def test_stats_by_day_and_by_document(store):
    summary = stats(store.all())
    assert summary["total"] == 6 and summary["up"] == 2 and summary["down"] == 4
    assert summary["satisfaction"] == round(2 / 6, 3)
    (day,) = summary["by_day"]
    assert day["up"] == 2 and day["down"] == 4 and day["corrections"] == 2 and day["refusals"] == 1
    (doc,) = summary["by_document"]
    assert doc["doc_id"] == DOC and doc["up"] == 1 and doc["down"] == 3


def _cli(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "policyqa", *args], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, **env}, timeout=300,
    )  # fmt: skip


def test_cli_export_passes_check_set_and_eval(store, tmp_path):
    from policyqa.index.build import build_index
    from policyqa.models.embed import FakeEmbedder
    from policyqa.settings import Settings

    index = tmp_path / "index"
    build_index(Settings(corpus_dir=DEMO_CORPUS, index_dir=index, model="fake-64"), FakeEmbedder(64))
    out = tmp_path / "eval" / "feedback.jsonl"
    done = _cli("feedback", "export", "--db", str(store.path), "--index", str(index), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "6 ratings → 4 labelled questions" in done.stdout and "2 to label" in done.stdout
    assert (tmp_path / "eval" / "feedback-to-label.jsonl").is_file()
    checked = _cli("check-set", str(out), "--corpus", str(DEMO_CORPUS))
    assert checked.returncode == 0 and "4 questions (2 answerable)" in checked.stdout, checked.stderr
    scored = _cli("eval", "--eval-set", str(out), "--index", str(index), "--json", POLICYQA_MODEL="fake-64")
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["meta"]["eval_set"] == str(out)
    summary = _cli("feedback", "stats", "--db", str(store.path), "--json")
    assert summary.returncode == 0 and json.loads(summary.stdout)["total"] == 6


def test_cli_without_a_database_says_so(tmp_path):
    done = _cli("feedback", "stats", "--db", str(tmp_path / "none.sqlite3"))
    assert (
        done.returncode == 2
        and done.stderr.startswith("error: no feedback database")
        and "Traceback" not in done.stderr
    )
