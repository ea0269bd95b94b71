"""What the browser tests share: a real uvicorn server in a thread, a headless Chromium, and page helpers.

Needs Debian's ``chromium`` and ``chromium-driver`` (plus ``fonts-noto-cjk`` for readable screenshots).
Without them the tests skip locally and fail when the CI environment variable is set. Screenshots go to
tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT_S = 30

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # pragma: no cover - selenium is a dev dependency
    webdriver = None

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via an http_proxy


def missing(message: str):
    hint = "install with: apt-get install -y chromium chromium-driver fonts-noto-cjk"
    if os.environ.get("CI"):
        pytest.fail(f"{message} ({hint})", pytrace=False)
    pytest.skip(f"{message} ({hint})")


def require_browser() -> None:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        missing(f"headless Chromium is not installed ({CHROMIUM} / {CHROMEDRIVER} missing)")
    if webdriver is None:
        missing("selenium is not installed in this environment")


def get_json(url: str) -> dict:
    with _DIRECT.open(url, timeout=5) as response:
        return json.loads(response.read().decode("utf-8"))


@contextlib.contextmanager
def serve(app):
    """The app on a free port of 127.0.0.1 in a thread; yields its base URL once /healthz answers."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # a free port, held open so nothing else can take it
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            if get_json(base + "/healthz").get("status") == "ok":
                break
        except OSError:
            pass
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the uvicorn server did not answer /healthz")
        time.sleep(0.05)
    try:
        yield base
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextlib.contextmanager
def chromium(profile: Path, downloads: Path | None = None):
    require_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-proxy-server",
        "--lang=zh-CN",
        "--window-size=1280,800",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    if downloads is not None:
        options.add_experimental_option(
            "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
        )
    with pytest.MonkeyPatch.context() as env:  # selenium reaches chromedriver on localhost: never via a proxy
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            env.delenv(name, raising=False)
        browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    browser.set_page_load_timeout(WAIT_S)
    if downloads is not None:
        browser.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
    try:
        yield browser
    finally:
        browser.quit()


def viewport(driver, width: int, height: int) -> None:
    """Size the window so that the page itself gets width x height CSS pixels."""
    driver.set_window_size(width, height)
    inner_w, inner_h = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if (inner_w, inner_h) != (width, height):
        driver.set_window_size(2 * width - inner_w, 2 * height - inner_h)


# Records what the page sends to the chat endpoint (window.__asked) without changing it.
RECORD_CHAT = """
    window.__asked = [];
    const original = window.fetch;
    window.fetch = function (url, options) {
      if (String(url).endsWith('/v1/chat/completions')) window.__asked.push(JSON.parse(options.body));
      return original.apply(this, arguments);
    };
"""


def open_page(driver, base: str, clear_storage: bool = True) -> None:
    driver.get("about:blank")
    viewport(driver, 1280, 800)
    driver.get(base + "/")
    if clear_storage:
        driver.execute_script("localStorage.clear(); sessionStorage.clear();")
        driver.get(base + "/")
    wait_ready(driver)
    driver.execute_script(RECORD_CHAT)


def wait_ready(driver) -> None:
    WebDriverWait(driver, WAIT_S).until(lambda d: "已收录" in d.find_element(By.ID, "index-status").text)


def finished_answers(driver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, ".turn .answer:not(.pending):not(.streaming)")


def ask(driver, question: str):
    """Type a question, press Enter, and return the answer element of the new turn once it is complete."""
    before = len(finished_answers(driver))
    box = driver.find_element(By.ID, "question")
    box.clear()
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    WebDriverWait(driver, WAIT_S).until(lambda d: len(finished_answers(d)) > before)
    return finished_answers(driver)[-1]


def asked_history(driver) -> list[dict]:
    """What the page sent: each request's question and earlier turns, as /api/ask would name them."""
    out = []
    for body in driver.execute_script("return window.__asked"):
        users = [m["content"] for m in body["messages"] if m["role"] == "user"]
        assert body["stream"] is True
        out.append({"question": users[-1], "history": users[:-1]})
    return out


def screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    return path


__all__ = ["By", "Keys", "WebDriverWait"]
