"""The HTTP service through TestClient and a live uvicorn server: API, OpenAI client, bad input, hot swap."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from policyqa.http.app import create_app
from policyqa.index.build import build_index

from ..conftest import DEMO_CORPUS
from .conftest import free_port


def test_ask_returns_cited_answer(client):
    r = client.post("/api/ask", json={"question": "全疆入网登记的科技型企业有多少家？"})
    assert r.status_code == 200
    body = r.json()
    assert "20450家" in body["answer"] and not body["abstained"]
    c = body["citations"][0]
    doc = client.get(f"/api/documents/{c['doc_id']}").json()
    assert doc["text"][c["quote_start"] : c["quote_end"]] == c["quote"]
    assert doc["text"][c["start"] : c["end"]] == c["text"]
    assert set(body["timing_ms"]) >= {"retrieve", "answer", "total"}


def test_search_documents_health(client):
    hits = client.post("/api/search", json={"query": "新政发〔2018〕79号", "k": 3}).json()["hits"]
    assert len(hits) == 3 and "新政发〔2018〕79号" in hits[0]["text"]
    docs = client.get("/api/documents").json()["documents"]
    assert docs[0]["doc_id"] == "2018-xinjiang-sci-tech-report" and docs[0]["chars"] > 3000
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["chunks"] > 10
    assert "/api/ask" in client.get("/openapi.json").json()["paths"]
    assert "<html" in client.get("/").text.lower()


@pytest.mark.parametrize(
    "method, path, kwargs, status, needle",
    [
        ("post", "/api/ask", {"json": {"question": ""}}, 400, "问题不能为空"),
        ("post", "/api/ask", {"json": {"question": "   \n\t "}}, 400, "empty"),
        ("post", "/api/ask", {"json": {"question": "科技" * 150}}, 400, "too long"),
        ("post", "/api/ask", {"json": {"question": "科技", "k": 0}}, 400, "k must be"),
        ("post", "/api/ask", {"json": {"question": "科技", "k": 10_000}}, 400, "k must be"),
        ("post", "/api/ask", {"json": {}}, 422, "question"),
        ("post", "/api/ask", {"json": {"question": 123}}, 422, "question"),
        (
            "post",
            "/api/ask",
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            400,
            "malformed JSON",
        ),
        (
            "post",
            "/api/ask",
            {
                "content": b'{"question": "' + "科".encode() * 8000 + b'"}',
                "headers": {"content-type": "application/json"},
            },
            413,
            "too large",
        ),
        ("post", "/api/search", {"json": {"query": "x", "retriever": "magic"}}, 422, "retriever"),
        ("get", "/api/documents/nope", {}, 404, "no document"),
        ("get", "/api/documents/../../etc/passwd", {}, 404, ""),
        ("get", "/api/documents/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", {}, 404, "no document"),
        ("post", "/v1/chat/completions", {"json": {"messages": []}}, 422, "messages"),
        (
            "post",
            "/v1/chat/completions",
            {"json": {"messages": [{"role": "system", "content": "hi"}]}},
            400,
            "no user message",
        ),
    ],
)
def test_bad_input_gets_clear_4xx(client, method, path, kwargs, status, needle):
    r = getattr(client, method)(path, **kwargs)
    assert r.status_code == status
    assert needle in r.json()["error"]["message"]


def test_api_keys_and_cors_are_off_by_default_and_enforced_when_set(served):
    settings, embedder = served
    with TestClient(create_app(settings, embedder=embedder)) as c:
        assert "access-control-allow-origin" not in c.get("/healthz", headers={"Origin": "http://x"}).headers
    keyed = settings.model_copy(update={"api_keys": ["s3cret"], "cors_origins": ["http://portal.gov"]})
    with TestClient(create_app(keyed, embedder=embedder)) as c:
        assert c.post("/api/search", json={"query": "基金"}).status_code == 401
        assert (
            c.post(
                "/api/search", json={"query": "基金"}, headers={"Authorization": "Bearer wrong"}
            ).status_code
            == 401
        )
        assert (
            c.post(
                "/api/search", json={"query": "基金"}, headers={"Authorization": "Bearer s3cret"}
            ).status_code
            == 200
        )
        assert c.get("/healthz").status_code == 200
        r = c.get("/healthz", headers={"Origin": "http://portal.gov"})
        assert r.headers["access-control-allow-origin"] == "http://portal.gov"


def test_openai_client_non_streaming_and_streaming(live):
    from openai import OpenAI

    client = OpenAI(base_url=f"{live}/v1", api_key="unused")
    question = "试验区总体规划的重大项目计划投资总额是多少？"
    completion = client.chat.completions.create(
        model="policyqa", messages=[{"role": "user", "content": question}]
    )
    content = completion.choices[0].message.content
    assert "1746亿元" in content and "[1]" in content and "参考资料" in content
    extra = completion.model_extra
    assert extra["citations"][0]["n"] == 1 and extra["abstained"] is False
    stream = client.chat.completions.create(
        model="policyqa", messages=[{"role": "user", "content": question}], stream=True
    )
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream]
    assert "".join(pieces) == content


def test_sse_ends_with_done(live):
    with httpx.stream(
        "POST",
        f"{live}/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "星创天地有多少个？"}], "stream": True},
    ) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        events = [line for line in r.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "data: [DONE]"
    last = json.loads(events[-2][6:])
    assert last["choices"][0]["finish_reason"] == "stop" and "citations" in last


def test_chat_follow_up_uses_earlier_turns(live):
    messages = [
        {"role": "user", "content": "自治区科技成果转化基金有多少？"},
        {"role": "assistant", "content": "自治区科技成果转化基金3亿元已经注册完成开始运行；[1]"},
        {"role": "user", "content": "那中科援疆基金呢？"},
    ]
    body = httpx.post(f"{live}/v1/chat/completions", json={"messages": messages}, timeout=30).json()
    assert "4.6亿元" in body["choices"][0]["message"]["content"]


def test_unanswerable_questions_abstain_over_http(live):
    for question in [
        "2018年西藏自治区有多少家星创天地？",
        "2016年全疆有多少家科技型企业？",
        "如何办理护照？",
    ]:
        body = httpx.post(f"{live}/api/ask", json={"question": question}, timeout=30).json()
        assert body["abstained"] and body["answer"].startswith("资料中未找到") and body["related"]


def test_hot_swap_during_rebuild_fails_no_request(served, tmp_path):
    settings, embedder = served
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in DEMO_CORPUS.iterdir():
        (corpus / f.name).write_bytes(f.read_bytes())
    settings = settings.model_copy(update={"corpus_dir": corpus, "index_dir": tmp_path / "index"})
    build_index(settings, embedder)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, embedder=embedder), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            first = httpx.get(f"{base}/readyz", timeout=10).json()["index_version"]
            break
        except (httpx.TransportError, KeyError):
            assert time.time() < deadline, "the server never became ready"
            time.sleep(0.05)
    stop = threading.Event()
    statuses: list[int] = []

    def hammer():
        with httpx.Client(timeout=30) as c:
            while not stop.is_set():
                statuses.append(
                    c.post(f"{base}/api/ask", json={"question": "星创天地有多少个？"}).status_code
                )

    with ThreadPoolExecutor(4) as pool:
        for _ in range(4):
            pool.submit(hammer)
        (corpus / "new.txt").write_text(
            "关于新设创新基金的通知\n\n一、基金规模\n新设丝路创新基金8亿元。\n", encoding="utf-8"
        )
        build_index(settings, embedder)
        deadline = time.time() + 15
        while httpx.get(f"{base}/readyz").json()["index_version"] == first and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        stop.set()
    server.should_exit = True
    assert len(statuses) > 20
    assert set(statuses) == {200}
    # After the swap the new document is searchable.
    from policyqa.query.engine import Engine

    assert any(
        "丝路创新基金" in h.chunk.text for h in Engine.load(settings, embedder).search("丝路创新基金", 3)
    )


def test_filters_over_http(client):
    docs = client.get("/api/documents").json()["documents"]
    doc = docs[0]
    assert (
        doc["passages"] > 10
        and doc["metadata"]["year"] == 2018
        and doc["metadata_sources"]["year"] == "sidecar"
    )
    ok = client.post("/api/ask", json={"question": "星创天地有多少个？", "filters": {"year": 2018}})
    assert ok.status_code == 200 and not ok.json()["abstained"]
    none = client.post("/api/ask", json={"question": "星创天地有多少个？", "filters": {"year": 2016}})
    assert none.status_code == 200 and none.json()["abstained"] and "在所选范围" in none.json()["answer"]
    hits = client.post("/api/search", json={"query": "基金", "filters": {"doc_ids": [doc["doc_id"]]}}).json()[
        "hits"
    ]
    assert hits and {h["doc_id"] for h in hits} == {doc["doc_id"]}
    for bad in ({"years": 2018}, {"year": "2018"}, {"doc_ids": ["nope"]}, {"year": True}):
        r = client.post("/api/search", json={"query": "基金", "filters": bad})
        assert r.status_code in (400, 404), (bad, r.text)
    chat = client.post(
        "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "星创天地有多少个？"}], "filters": {"year": 2016}},
    ).json()
    assert chat["abstained"] is True
