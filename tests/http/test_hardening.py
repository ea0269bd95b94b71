"""Bad input against the service: every case gets a clear 4xx (or a JSON 500 with a request id), never a
traceback, a hang or an empty 200. Each test here failed before the Guard middleware and text checks."""

import json
import logging
import os
import re
import socket
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from policyqa.http.app import create_app
from policyqa.http.guard import key_id
from policyqa.index.build import build_index

from ..conftest import DEMO_CORPUS, ROOT
from .conftest import free_port


def raw_post(client, path, raw: bytes, headers=None):
    return client.post(path, content=raw, headers={"content-type": "application/json", **(headers or {})})


@pytest.mark.parametrize(
    "path, raw",
    [
        ("/api/ask", b'{"question": "\\ud800"}'),
        ("/api/ask", b'{"question": "\\u0000"}'),
        ("/api/ask", b'{"question": "\xe7\xa7\x91\\u0007\xe6\x8a\x80"}'),
        ("/api/ask", b'{"question": "ok", "history": ["\\udfff"]}'),
        ("/api/ask", b'{"question": "ok", "history": [{"role": "user", "content": "\\ud800"}]}'),
        ("/api/search", b'{"query": "\\ud83d"}'),
        ("/v1/chat/completions", b'{"messages": [{"role": "user", "content": "\\ud800"}]}'),
        (
            "/v1/chat/completions",
            b'{"messages": [{"role": "user", "content": [{"type": "text", "text": "\\udc00"}]}]}',
        ),
        (
            "/v1/chat/completions",
            b'{"model": "\\ud800", "stream": true, "messages": [{"role": "user", "content": "hi"}]}',
        ),
        ("/v1/chat/completions", b'{"messages": [{"role": "\\ud800", "content": "hi"}]}'),
    ],
)
def test_lone_surrogates_and_control_characters_are_422(client, path, raw):
    r = raw_post(client, path, raw)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert "surrogate" in error["message"] or "control character" in error["message"]
    assert error["request_id"] and r.headers["x-request-id"] == error["request_id"]


def test_body_in_another_encoding_is_a_clear_400(client):
    r = raw_post(client, "/api/ask", '{"question": "星创天地有多少个？"}'.encode("gbk"))
    assert r.status_code == 400 and "UTF-8" in r.json()["error"]["message"]


def test_unknown_key_holding_a_surrogate_is_reported_not_crashed(client):
    r = raw_post(client, "/api/ask", b'{"question": "ok", "\\ud800": 1}')
    assert r.status_code == 422 and r.json()["error"]["type"] == "invalid_request_error"


def test_history_is_bounded(served):
    settings, embedder = served
    roomy = settings.model_copy(update={"max_body_bytes": 1_000_000, "max_history_turns": 20})
    with TestClient(create_app(roomy, embedder=embedder)) as c:
        long = c.post("/api/ask", json={"question": "那兵团呢？", "history": ["科" * 80_000]})
        assert long.status_code == 400 and "history" in long.json()["error"]["message"]
        many = c.post("/api/ask", json={"question": "那兵团呢？", "history": ["星创天地有多少个？"] * 21})
        assert many.status_code == 400 and "21 turns" in many.json()["error"]["message"]
        msgs = [{"role": "user", "content": "星创天地有多少个？"}] * 51
        r = c.post("/v1/chat/completions", json={"messages": msgs})
        assert r.status_code == 400 and "too many messages" in r.json()["error"]["message"]
        ok = c.post("/api/ask", json={"question": "那兵团呢？", "history": ["星创天地有多少个？"] * 3})
        assert ok.status_code == 200


def test_non_ascii_authorization_header_is_401_not_500(served):
    settings, embedder = served
    keyed = settings.model_copy(update={"api_keys": ["s3cret", "密钥"]})
    with TestClient(create_app(keyed, embedder=embedder)) as c:
        for header in ("Bearer 密钥错".encode(), b"Bearer \xff\xfe", "Bearer ключ".encode()):
            r = c.post("/api/search", json={"query": "基金"}, headers={"Authorization": header})
            assert r.status_code == 401, r.text
        # a configured non-ASCII key works when sent as UTF-8
        r = c.post("/api/search", json={"query": "基金"}, headers={"Authorization": "Bearer 密钥".encode()})
        assert r.status_code == 200


def test_unexpected_failure_is_a_json_500_with_request_id_and_no_trace(served, caplog):
    settings, embedder = served
    app = create_app(settings, embedder=embedder)
    with TestClient(app, raise_server_exceptions=False) as c:
        engine = app.state.holder.get()

        def broken(*args, **kwargs):
            raise RuntimeError("secret internal detail")

        engine.ask = broken
        with caplog.at_level(logging.ERROR, logger="policyqa.http"):
            r = c.post("/api/ask", json={"question": "星创天地有多少个？"})
    assert r.status_code == 500
    body = r.json()["error"]
    assert body["type"] == "server_error" and body["request_id"] == r.headers["x-request-id"]
    assert "secret internal detail" not in r.text and "Traceback" not in r.text
    assert any(body["request_id"] in rec.getMessage() for rec in caplog.records)


def test_security_headers_on_the_page_and_api(client):
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert "script-src 'self' 'sha256-" in csp
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    api = client.get("/healthz")
    assert api.headers["x-content-type-options"] == "nosniff" and api.headers["x-request-id"]


def test_document_html_and_links_are_inert_in_chat_markdown(tmp_path, served):
    settings, embedder = served
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        "关于恶意链接的通知\n\n一、内容\n专项资金共计500万元<img src=x onerror=alert(1)>，详见[点击这里](javascript:alert(1))。\n",
        encoding="utf-8",
    )
    s = settings.model_copy(update={"corpus_dir": corpus, "index_dir": tmp_path / "index"})
    build_index(s, embedder)
    with TestClient(create_app(s, embedder=embedder)) as c:
        body = c.post(
            "/v1/chat/completions", json={"messages": [{"role": "user", "content": "专项资金共计多少万元？"}]}
        ).json()
    content = body["choices"][0]["message"]["content"]
    assert "500万元" in content and "[1]" in content
    assert "<img" not in content and "&lt;img" in content
    assert "\\[点击这里\\](javascript:" in content  # escaped brackets: shown as text, never a link
    assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", content)
    quote = body["citations"][0]["quote"]
    assert "<img src=x onerror=alert(1)>" in quote  # the structured citation stays verbatim


def test_audit_log_has_one_line_per_request_without_keys_or_questions(served, caplog):
    settings, embedder = served
    keyed = settings.model_copy(update={"api_keys": ["s3cret-key"]})
    with (
        TestClient(create_app(keyed, embedder=embedder)) as c,
        caplog.at_level(logging.INFO, "policyqa.audit"),
    ):
        c.post(
            "/api/ask",
            json={"question": "星创天地有多少个？"},
            headers={"Authorization": "Bearer s3cret-key"},
        )
        c.post("/api/ask", json={"question": "星创天地有多少个？"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "policyqa.audit"]
    ok, denied = [ln for ln in lines if ln["route"] == "/api/ask"]
    assert ok["status"] == 200 and ok["key_id"] == key_id("s3cret-key") and ok["question_chars"] == 9
    assert denied["status"] == 401 and denied["key_id"] is None
    assert ok["request_id"] and ok["ms"] >= 0 and "time" in ok
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "s3cret-key" not in text and "星创天地" not in text
    caplog.clear()
    logged = keyed.model_copy(update={"log_questions": True})
    with (
        TestClient(create_app(logged, embedder=embedder)) as c,
        caplog.at_level(logging.INFO, "policyqa.audit"),
    ):
        c.post(
            "/api/ask",
            json={"question": "星创天地有多少个？"},
            headers={"Authorization": "Bearer s3cret-key"},
        )
    assert any("星创天地" in r.getMessage() for r in caplog.records if r.name == "policyqa.audit")


def chunked_post(port: int, path: str, total: int, piece: int = 64 * 1024) -> tuple[int, float]:
    """Send a body with Transfer-Encoding: chunked and no Content-Length; return status and seconds."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        sent = 0
        body = b'{"question": "' + b"a" * piece
        try:
            while sent < total:
                sock.sendall(f"{len(body):x}\r\n".encode() + body + b"\r\n")
                sent += len(body)
                body = b"a" * piece
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed: that is the point
        reply = b""
        while b"\r\n\r\n" not in reply:
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    return int(reply.split(b" ", 2)[1]), time.perf_counter() - started


def test_chunked_body_without_length_is_cut_at_the_limit(live):
    port = int(live.rsplit(":", 1)[1])
    status, seconds = chunked_post(port, "/api/ask", 20 * 1024 * 1024)
    assert status == 413 and seconds < 10
    small = httpx.post(f"{live}/api/ask", content=iter([b'{"question": ', b'"\xe6\x98\x9f\xe5\x88\x9b\xe5\xa4\xa9\xe5\x9c\xb0"}']),
                       headers={"content-type": "application/json"})  # fmt: skip
    assert small.status_code == 200  # a small chunked body still works


def test_api_keys_from_the_environment_with_a_live_serve(tmp_path, served):
    """POLICYQA_API_KEYS as documented (comma-separated) switches keys on for a real `policyqa serve`."""
    settings, embedder = served
    port = free_port()
    env = {
        **os.environ,
        "POLICYQA_MODEL": "fake-64",
        "POLICYQA_INDEX_DIR": str(settings.index_dir),
        "POLICYQA_CORPUS_DIR": str(DEMO_CORPUS),
        "POLICYQA_API_KEYS": " k1 , k2 ",
        "POLICYQA_CORS_ORIGINS": '["http://portal.gov"]',
    }
    log = (tmp_path / "serve.log").open("w")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "policyqa", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/readyz", timeout=10).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        assert httpx.post(f"{base}/api/search", json={"query": "基金"}).status_code == 401
        assert (
            httpx.post(
                f"{base}/api/search", json={"query": "基金"}, headers={"Authorization": "Bearer k2"}
            ).status_code
            == 200
        )
        r = httpx.get(f"{base}/healthz", headers={"Origin": "http://portal.gov"})
        assert r.headers["access-control-allow-origin"] == "http://portal.gov"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    err = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in err and '"route": "/api/search"' in err  # the audit lines, no tracebacks


def test_damaged_index_keeps_serve_up_with_readyz_503_until_rebuilt(tmp_path, served):
    settings, embedder = served
    s = settings.model_copy(update={"index_dir": tmp_path / "index", "reload_interval": 0.1})
    build_index(s, embedder)
    (s.index_dir / "CURRENT").write_bytes(b"\xff\xfe not utf-8")
    with TestClient(create_app(s, embedder=embedder)) as c:
        r = c.get("/readyz")
        assert r.status_code == 503 and "not UTF-8" in r.json()["error"]["message"]
        assert c.post("/api/ask", json={"question": "星创天地有多少个？"}).status_code == 503
        assert c.get("/healthz").status_code == 200
        build_index(s, embedder)  # incremental: repairs the pointer
        deadline = time.time() + 10
        while c.get("/readyz").status_code != 200 and time.time() < deadline:
            time.sleep(0.1)
        assert c.get("/readyz").status_code == 200


def test_bad_new_version_is_reported_on_readyz_while_the_old_one_serves(tmp_path, served):
    settings, embedder = served
    s = settings.model_copy(update={"index_dir": tmp_path / "index", "reload_interval": 0.1})
    build_index(s, embedder)
    with TestClient(create_app(s, embedder=embedder)) as c:
        first = c.get("/readyz").json()["index_version"]
        (s.index_dir / "versions" / "20990101T000000000000Z").mkdir(parents=True)
        (s.index_dir / "CURRENT").write_text("20990101T000000000000Z")
        deadline = time.time() + 10
        while "warning" not in c.get("/readyz").json() and time.time() < deadline:
            time.sleep(0.1)
        ready = c.get("/readyz").json()
        assert ready["index_version"] == first and "manifest.json" in ready["warning"]
        assert c.post("/api/ask", json={"question": "星创天地有多少个？"}).status_code == 200
