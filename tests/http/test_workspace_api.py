"""The page's assets and the API fields the workspace reads: words for confidence, build time, examples."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import httpx
from fastapi.testclient import TestClient

from policyqa.http.app import create_app
from policyqa.http.examples import candidates, heading_question
from policyqa.http.wording import confidence_words


def test_confidence_in_words():
    assert confidence_words(0.8, False, 0.55)["words"] == "依据充分"
    assert confidence_words(0.55, False, 0.55)["level"] == "strong"
    limited = confidence_words(0.3, False, 0.55)
    assert limited["words"] == "依据有限" and limited["confidence"] == 0.3 and "核实" in limited["hint"]
    assert confidence_words(0.9, True, 0.55)["words"] == "未找到依据"


def test_questions_from_headings():
    assert heading_question("（二）星创天地") == "星创天地的情况如何？"
    assert heading_question("一、2018年工作回顾") == "2018年工作回顾的情况如何？"
    assert heading_question("第三章 科技成果转化") == "科技成果转化的情况如何？"
    assert heading_question("1. 总则") is None  # too vague
    assert heading_question("（一）" + "很长的标题" * 6) is None
    docs = [
        {"doc_id": "old", "title": "旧报告", "metadata": {"year": 2016},
         "sections": [{"kind": "heading", "text": "（一）旧的部署情况"}]},
        {"doc_id": "new", "title": "新报告", "metadata": {"year": 2024},
         "sections": [{"kind": "title", "text": "新报告"}, {"kind": "heading", "text": "一、科技创新成效"},
                      {"kind": "heading", "text": "二、下一步工作安排"}]},
        {"doc_id": "notice", "title": "关于开展科技特派员工作的通知", "metadata": {}, "sections": []},
    ]  # fmt: skip
    # Newest documents first, taking turns; titles follow (too short ones, 旧报告, are skipped).
    assert candidates(docs) == [
        "科技创新成效的情况如何？", "旧的部署情况的情况如何？", "下一步工作安排的情况如何？",
        "《关于开展科技特派员工作的通知》的主要内容是什么？",
    ]  # fmt: skip
    assert candidates(docs, limit=2) == ["科技创新成效的情况如何？", "旧的部署情况的情况如何？"]


def test_assets_are_open_and_the_api_is_not_when_keys_are_set(served):
    settings, embedder = served
    keyed = settings.model_copy(update={"api_keys": ["k1"]})
    with TestClient(create_app(keyed, embedder=embedder)) as client:
        page = client.get("/")
        script = client.get("/static/main.js")
        assert page.status_code == 200 and script.status_code == 200
        assert (
            "javascript" in script.headers["content-type"] and script.headers["cache-control"] == "no-cache"
        )
        assert client.get("/static/page.css").status_code == 200
        assert client.get("/static/index.html").status_code == 404  # the page is served only with its CSP
        assert client.get("/static/../static/index.html").status_code == 404
        assert client.get("/api/examples").status_code == 401
        assert client.post("/api/feedback", json={}).status_code == 401
        # The inline boot script is admitted by its hash; the module scripts by 'self'.
        inline = re.search(r"<script>(.*?)</script>", page.text, re.S).group(1)
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in page.headers["content-security-policy"]
        assert '<script type="module" src="/static/main.js">' in page.text


def test_the_fields_the_page_reads(client):
    ready = client.get("/readyz").json()
    assert ready["updated"].startswith("20") and "T" in ready["updated"]
    answer = client.post("/api/ask", json={"question": "星创天地有多少个？"}).json()
    assert answer["confidence_words"]["words"] in ("依据充分", "依据有限")
    assert answer["confidence_words"]["confidence"] == round(answer["confidence"], 3)


def test_the_streams_last_chunk_carries_the_structured_answer(live):
    with httpx.stream(
        "POST", f"{live}/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "星创天地有多少个？"}], "stream": True},
    ) as r:  # fmt: skip
        events = [json.loads(line[6:]) for line in r.iter_lines() if line.startswith("data: {")]
    last = events[-1]
    assert last["choices"][0]["finish_reason"] == "stop"
    assert "42个" in last["answer"] and "参考资料" not in last["answer"]  # the answer alone, markers kept
    assert last["confidence_words"]["level"] in ("strong", "limited") and last["index_version"]
    assert last["citations"] and isinstance(last["timing_ms"], dict)
    streamed = "".join(e["choices"][0]["delta"].get("content", "") for e in events)
    assert streamed.startswith(last["answer"][:10])
