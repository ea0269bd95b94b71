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
        "POLICYQA_ANSWER_CHECK": "rules",  # the learned check needs real embeddings
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
    # The missing index is found before the model loads (in a moment, whatever the model setting) …
    out = run("ask", "科技", "--index", str(tmp_path / "none"), env_extra={"POLICYQA_MODEL": "no/such-model"})
    assert out.returncode == 2 and "no index" in out.stderr
    # … and a bad model is a one-line error too.
    env = {"POLICYQA_MODEL": "no/such-model"}
    out = run("index", "build", "--corpus", str(DEMO_CORPUS), "--index", str(tmp_path / "i2"), env_extra=env)
    assert out.returncode == 2 and "unknown embedding model" in out.stderr
    out = run("index", "build", "--corpus", str(tmp_path / "missing"), "--index", str(tmp_path / "i"))
    assert out.returncode == 2 and "corpus folder not found" in out.stderr


def test_serve_and_eval_check_paths_before_the_model_loads(tmp_path):
    env = {"POLICYQA_MODEL": "no/such-model"}  # any model load would fail with another message
    out = run(
        "serve", "--index", str(tmp_path / "none"), "--corpus", str(tmp_path / "missing"), env_extra=env
    )
    assert out.returncode == 2 and "corpus folder not found" in out.stderr
    out = run("eval", "--index", str(tmp_path / "none"), env_extra=env)
    assert out.returncode == 2 and "no index" in out.stderr
    out = run("serve", "--port", "70000", env_extra=env)
    assert out.returncode == 2 and "65535" in out.stderr


def test_ingest_lists_each_skipped_file_once_and_shows_ocr_progress(tmp_path):
    from .corpus.make_files import scanned_pdf
    from .corpus.test_formats import SCAN

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
    (corpus / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    scanned_pdf(corpus / "scan.pdf", [SCAN[:3]])
    out = run(
        "ingest", "--corpus", str(corpus), env_extra={"POLICYQA_OCR_CACHE_DIR": str(tmp_path / "cache")}
    )
    assert out.returncode == 0, out.stderr
    lines = out.stderr.splitlines()
    assert "OCR scan.pdf: page 1 (1/1)" in out.stderr
    skipped = [line for line in lines if line.startswith("skipped")]
    assert len(skipped) == 2 and sum("broken.pdf" in line for line in lines) == 1
    assert "EOF" not in out.stderr and "Traceback" not in out.stderr
    assert "1 documents" in out.stdout and "2 skipped" in out.stdout
