"""The command line end to end on the demo corpus (fake embedder), and its error messages."""

import json
import os
import subprocess
import sys

from .conftest import DEMO_CORPUS, ROOT


def run(*args, env_extra=None):
    env = {
        **os.environ,
        "POLICYQA_MODEL": "fake-64",
        "POLICYQA_ABSTAIN_THRESHOLD": "0.4",
        **(env_extra or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "policyqa", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


def test_ingest_json_shows_sections_and_chunks():
    out = run("ingest", "--corpus", str(DEMO_CORPUS), "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)["documents"][0]
    assert doc["chunks"] > 10 and doc["captions"] >= 4 and doc["chunk_chars_max"] <= 300
    assert "二、新疆创新试验区建设 > （三）启动乌昌石自创区建设" in doc["section_paths"]


def test_build_info_search_ask(tmp_path):
    index = str(tmp_path / "index")
    out = run("index", "build", "--corpus", str(DEMO_CORPUS), "--index", index, "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["embedded"] > 10
    info = json.loads(run("index", "info", "--index", index, "--json").stdout)
    assert info["manifest"]["model"]["id"] == "fake-64" and info["manifest"]["chunking"]["size"] == 300
    doc = info["documents"][0]
    assert doc["metadata"]["year"] == 2018 and doc["metadata_sources"]["title"] == "sidecar"
    table = run("index", "info", "--index", index).stdout
    assert "新疆" in table and "2018" in table and "报告" in table
    hits = json.loads(run("search", "新政发〔2018〕84号", "-k", "2", "--index", index, "--json").stdout)[
        "hits"
    ]
    assert "新政发〔2018〕84号" in hits[0]["text"]
    answer = json.loads(run("ask", "全疆入网登记的科技型企业有多少家？", "--index", index, "--json").stdout)
    assert "20450家" in answer["answer"]
    readable = run("ask", "全疆入网登记的科技型企业有多少家？", "--index", index)
    assert "20450家" in readable.stdout and "[1]" in readable.stdout


def test_errors_are_one_line_messages(tmp_path):
    out = run("search", "科技", "--index", str(tmp_path / "none"))
    assert out.returncode == 2 and "no index" in out.stderr and "Traceback" not in out.stderr
    out = run("ask", "科技", "--index", str(tmp_path / "none"), env_extra={"POLICYQA_MODEL": "no/such-model"})
    assert out.returncode == 2 and "unknown embedding model" in out.stderr
    out = run("index", "build", "--corpus", str(tmp_path / "missing"), "--index", str(tmp_path / "i"))
    assert out.returncode == 2 and "corpus folder not found" in out.stderr
