"""The officials' workspace in a real headless Chromium against a real server: conversations kept in the
browser, answers streaming in, documents uploaded and deleted in the page, and feedback that becomes eval
questions. Screenshots of each state go to tests/artifacts/workspace-*.png.
"""

from __future__ import annotations

import io
import shutil
import time
import zipfile

import pytest

from .browser import (
    RECORD_CHAT,
    REPO,
    WAIT_S,
    By,
    WebDriverWait,
    ask,
    asked_history,
    chromium,
    finished_answers,
    get_json,
    open_page,
    require_browser,
    screenshot,
    serve,
    viewport,
    wait_ready,
)

pytestmark = pytest.mark.browser

NEW_TITLE = "关于组织实施2025年自治区重点研发专项的通知"
NEW_FACT = "2025年自治区重点研发专项安排财政资金2.35亿元，支持45个项目。"


def docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, 0)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def damaged_docx() -> bytes:
    """A ZIP with the parts of a DOCX whose document part is not XML: passes the type check, fails to parse."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<<< not xml")
    return out.getvalue()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    require_browser()
    from policyqa.http.app import create_app
    from policyqa.index.build import build_index
    from policyqa.models.embed import load_embedder
    from policyqa.settings import Settings

    root = tmp_path_factory.mktemp("workspace")
    shutil.copytree(REPO / "corpus", root / "corpus")
    settings = Settings(
        index_dir=root / "index",
        corpus_dir=root / "corpus",
        model="fake-64",
        abstain_threshold=0.4,
        answer_check="rules",
        reload_interval=0.2,
        api_keys=[],
        cors_origins=[],
    )
    embedder = load_embedder(settings)
    build_index(settings, embedder)
    with serve(create_app(settings, embedder=embedder)) as base:
        yield base, settings, root


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    with chromium(tmp_path_factory.mktemp("chromium-profile"), downloads) as driver:
        driver.downloads = downloads
        yield driver


@pytest.fixture
def page(workspace, browser):
    open_page(browser, workspace[0])
    return browser


def conversation_titles(driver) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#conv-list .conv-title")]


def test_conversations_survive_a_reload_and_are_listed_copied_exported_and_deleted(workspace, page):
    base = workspace[0]
    first = ask(page, "自治区科技成果转化基金有多少？")
    ask(page, "那中科援疆基金呢？")
    assert "基金" in first.text
    assert asked_history(page)[-1]["history"] == ["自治区科技成果转化基金有多少？"]

    page.refresh()
    wait_ready(page)
    turns = page.find_elements(By.CSS_SELECTOR, ".turn")
    assert len(turns) == 2 and "那中科援疆基金呢？" in turns[1].text and "4.6亿元" in turns[1].text
    assert page.find_element(By.ID, "welcome").is_displayed() is False
    # A follow-up after the reload still carries the earlier questions.
    page.execute_script(RECORD_CHAT)  # the reload dropped the recorder
    ask(page, "星创天地有多少个？")
    assert asked_history(page)[0]["history"] == ["自治区科技成果转化基金有多少？", "那中科援疆基金呢？"]

    page.find_element(By.ID, "new-chat").click()
    assert not page.find_elements(By.CSS_SELECTOR, ".turn")
    ask(page, "全疆入网登记的科技型企业有多少家？")
    assert conversation_titles(page) == [
        "全疆入网登记的科技型企业有多少家？",
        "自治区科技成果转化基金有多少？",
    ]
    screenshot(page, "workspace-conversations.png")

    # Copy an answer with its references (the real clipboard, permission granted as a user would).
    page.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"origin": base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    finished_answers(page)[-1].find_element(By.CSS_SELECTOR, ".copy").click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: "已复制" in d.find_element(By.CSS_SELECTOR, ".action-note").text
    )
    copied = page.execute_async_script(
        "navigator.clipboard.readText().then(arguments[0], () => arguments[0](null))"
    )
    assert copied.startswith("问：全疆入网登记的科技型企业有多少家？")
    assert (
        "20450" in copied
        and "参考资料：" in copied
        and "[1]" in copied
        and "2018-xinjiang-sci-tech-report" in copied
    )

    # Reopen the first conversation from the list and export it as Markdown.
    page.find_elements(By.CSS_SELECTOR, "#conv-list .conv-open")[1].click()
    assert len(page.find_elements(By.CSS_SELECTOR, ".turn")) == 3
    page.find_element(By.ID, "export-chat").click()
    deadline = time.monotonic() + WAIT_S
    while not (files := list(page.downloads.glob("*.md"))) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(files) == 1 and files[0].name.startswith("政策问答-")
    markdown = files[0].read_text(encoding="utf-8")
    assert markdown.startswith("# 政策问答记录：自治区科技成果转化基金有多少？")
    assert (
        "## 1. 问：自治区科技成果转化基金有多少？" in markdown and "## 3. 问：星创天地有多少个？" in markdown
    )
    assert "4.6亿元" in markdown and "参考资料：" in markdown and "依据：" in markdown

    # Delete it (the open one): the list and the view follow, and a reload does not bring it back.
    page.execute_script("window.confirm = () => true")
    page.find_element(By.CSS_SELECTOR, "#conv-list .conv-item.current .conv-delete").click()
    assert not page.find_elements(By.CSS_SELECTOR, ".turn")
    page.refresh()
    wait_ready(page)
    assert conversation_titles(page) == ["全疆入网登记的科技型企业有多少家？"]
    assert not page.find_elements(By.CSS_SELECTOR, ".turn")  # the deleted one was open: none is


def test_the_answer_streams_in_through_the_chat_endpoint(page):
    # Every text state of the answer while it streams, recorded as the page shows it.
    page.execute_script("""
        window.__frames = [];
        new MutationObserver(() => {
          const t = document.querySelector('.answer.streaming .answer-text');
          const last = window.__frames[window.__frames.length - 1];
          if (t && t.textContent !== last) window.__frames.push(t.textContent);
        }).observe(document.getElementById('conversation'), {subtree: true, childList: true, characterData: true});
    """)
    page.set_network_conditions(
        offline=False, latency=5, download_throughput=1500, upload_throughput=1_000_000
    )
    try:
        box = page.find_element(By.ID, "question")
        box.send_keys("2018年自治区出台了哪些重大政策措施？\n")
        WebDriverWait(page, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".answer.streaming"))
        screenshot(page, "workspace-streaming.png")
        WebDriverWait(page, 60).until(lambda d: finished_answers(d))
    finally:
        page.delete_network_conditions()
    frames = page.execute_script("return window.__frames")
    final = finished_answers(page)[-1].find_element(By.CSS_SELECTOR, ".answer-text").text
    assert len(frames) >= 3, frames
    assert all(
        b.startswith(a) and len(b) > len(a) for a, b in zip(frames, frames[1:])
    )  # it grew, piece by piece
    assert frames[0] and final.startswith(frames[0][:10]) and len(frames[0]) < len(final)
    assert asked_history(page) == [{"question": "2018年自治区出台了哪些重大政策措施？", "history": []}]


def test_examples_come_from_the_corpus_and_are_answered(page):
    examples = WebDriverWait(page, WAIT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#examples .example")
    )
    texts = [e.text for e in examples]
    assert len(texts) == 3 and all(t.endswith("的情况如何？") for t in texts)
    assert "全疆入网登记" not in " ".join(texts)  # not the old fixed questions
    examples[0].click()
    WebDriverWait(page, WAIT_S).until(lambda d: finished_answers(d))
    assert "abstained" not in finished_answers(page)[-1].get_attribute("class")


def _upload(page, path):
    page.find_element(By.ID, "upload-file").send_keys(str(path))
    page.find_element(By.ID, "upload").click()
    return WebDriverWait(page, 90).until(
        lambda d: (
            (
                (jobs := d.find_elements(By.CSS_SELECTOR, "#jobs .job"))
                and jobs[0].get_attribute("data-state") in ("done", "failed")
            )
            and jobs[0]
        )
    )


def test_upload_a_docx_then_ask_it_and_a_damaged_one_changes_nothing(workspace, page, tmp_path):
    base, settings, root = workspace
    before = get_json(base + "/readyz")
    page.find_element(By.ID, "open-library").click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: (
            d.find_element(By.ID, "library-tools").is_displayed()
            and not d.find_elements(By.CSS_SELECTOR, "#doc-rows[aria-busy]")
            and d.find_elements(By.CSS_SELECTOR, "#doc-rows tr")
        )
    )
    assert len(page.find_elements(By.CSS_SELECTOR, "#doc-rows tr")) == before["documents"]

    good = tmp_path / "重点研发专项通知.docx"
    good.write_bytes(
        docx_bytes(
            NEW_TITLE, ["一、支持方向", NEW_FACT, "二、申报要求", "申报单位应为自治区境内注册的法人单位。"]
        )
    )
    job = _upload(page, good)
    assert job.get_attribute("data-state") == "done", job.text
    assert "已收录" in job.text
    WebDriverWait(page, WAIT_S).until(lambda d: NEW_TITLE in d.find_element(By.ID, "doc-rows").text)
    assert len(page.find_elements(By.CSS_SELECTOR, "#doc-rows tr")) == before["documents"] + 1
    assert (root / "corpus" / "重点研发专项通知.docx").is_file()
    screenshot(page, "workspace-library.png")
    after = get_json(base + "/readyz")
    assert after["documents"] == before["documents"] + 1 and after["index_version"] != before["index_version"]

    # The damaged file: reported in the page; corpus, index version and document list untouched.
    bad = tmp_path / "损坏的通知.docx"
    bad.write_bytes(damaged_docx())
    corpus_before = sorted(p.name for p in (root / "corpus").iterdir() if not p.name.startswith("."))
    job = _upload(page, bad)
    assert job.get_attribute("data-state") == "failed" and "无法解析" in job.text and "保持原样" in job.text
    screenshot(page, "workspace-upload-damaged.png")
    assert get_json(base + "/readyz")["index_version"] == after["index_version"]
    assert sorted(p.name for p in (root / "corpus").iterdir() if not p.name.startswith(".")) == corpus_before
    assert not (root / "corpus" / ".uploads").exists()

    # Ask the new document: the answer quotes it and the citation opens it.
    page.find_element(By.ID, "library-close").click()
    WebDriverWait(page, WAIT_S).until(lambda d: "2 份文件" in d.find_element(By.ID, "index-status").text)
    answer = ask(page, "2025年自治区重点研发专项安排了多少财政资金？")
    assert "2.35亿元" in answer.text and "abstained" not in answer.get_attribute("class")
    marker = answer.find_element(By.CSS_SELECTOR, ".cite-marker")
    marker.click()
    WebDriverWait(page, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#doc-body mark.quote"))
    assert NEW_TITLE in page.find_element(By.ID, "doc-title").text
    assert "2.35亿元" in page.find_element(By.CSS_SELECTOR, "#doc-body mark.quote").text
    screenshot(page, "workspace-upload-answer.png")
    page.find_element(By.ID, "doc-close").click()

    # Delete it again in the page: the file and the document go.
    page.find_element(By.ID, "open-library").click()
    page.execute_script("window.confirm = () => true")
    row = WebDriverWait(page, WAIT_S).until(
        lambda d: (
            not d.find_elements(By.CSS_SELECTOR, "#doc-rows[aria-busy]")
            and [r for r in d.find_elements(By.CSS_SELECTOR, "#doc-rows tr") if NEW_TITLE in r.text]
        )
    )[0]
    row.find_element(By.CSS_SELECTOR, ".delete-doc").click()
    WebDriverWait(page, 90).until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, "#jobs .job")[0].get_attribute("data-state")
            in ("done", "failed")
        )
    )
    assert page.find_elements(By.CSS_SELECTOR, "#jobs .job")[0].get_attribute("data-state") == "done"
    assert not (root / "corpus" / "重点研发专项通知.docx").exists()
    assert get_json(base + "/readyz")["documents"] == before["documents"]
    page.find_element(By.ID, "library-close").click()


def test_feedback_is_stored_and_exported_as_eval_questions(workspace, page):
    from policyqa.evaluation.questions import check_eval_set, load_eval_set
    from policyqa.feedback.export import to_eval_items
    from policyqa.feedback.store import FeedbackStore

    base, settings, root = workspace
    good = ask(page, "星创天地有多少个？")
    good.find_element(By.CSS_SELECTOR, ".rate-up").click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: "已记录" in good.find_element(By.CSS_SELECTOR, ".action-note").text
    )
    assert good.find_element(By.CSS_SELECTOR, ".rate-up").get_attribute("aria-pressed") == "true"

    wrong = ask(page, "全疆入网登记的科技型企业有多少家？")
    wrong.find_element(By.CSS_SELECTOR, ".rate-down").click()
    form = wrong.find_element(By.CSS_SELECTOR, ".feedback-form")
    form.find_element(By.NAME, "comment").send_keys("应说明生产总值占比")
    form.find_element(By.NAME, "correction").send_keys("生产总值占全疆GDP近2/3")
    screenshot(page, "workspace-feedback.png")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(page, WAIT_S).until(lambda d: not wrong.find_elements(By.CSS_SELECTOR, ".feedback-form"))
    assert "已记录" in wrong.find_element(By.CSS_SELECTOR, ".action-note").text

    unsure = ask(page, "中科援疆基金规模多大？")
    unsure.find_element(By.CSS_SELECTOR, ".rate-down").click()
    unsure.find_element(By.CSS_SELECTOR, ".feedback-form button[type=submit]").click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: "已记录" in unsure.find_element(By.CSS_SELECTOR, ".action-note").text
    )

    # The rating survives a reload (kept with the conversation) …
    page.refresh()
    wait_ready(page)
    assert page.find_elements(By.CSS_SELECTOR, ".rate-up")[0].get_attribute("aria-pressed") == "true"

    # … and the server kept all three, with what an evaluator needs.
    items = {i.question: i for i in FeedbackStore(settings.feedback_path).all()}
    assert set(items) == {
        "星创天地有多少个？",
        "全疆入网登记的科技型企业有多少家？",
        "中科援疆基金规模多大？",
    }
    down = items["全疆入网登记的科技型企业有多少家？"]
    assert (
        down.rating == -1
        and down.correction == "生产总值占全疆GDP近2/3"
        and down.comment == "应说明生产总值占比"
    )
    assert down.citations and down.citations[0]["doc_id"] == "2018-xinjiang-sci-tech-report"
    assert down.index_version == get_json(base + "/readyz")["index_version"]

    from policyqa.corpus.ingest import load_corpus

    documents = {d.doc_id: d.text for d in load_corpus(root / "corpus").documents}
    labelled, pending = to_eval_items(list(items.values()), documents)
    assert [q["question"] for q in pending] == ["中科援疆基金规模多大？"]
    path = root / "feedback-eval.jsonl"
    path.write_text(
        "".join(__import__("json").dumps(q, ensure_ascii=False) + "\n" for q in labelled), encoding="utf-8"
    )
    questions = load_eval_set(path)
    assert {q.question for q in questions} == {"星创天地有多少个？", "全疆入网登记的科技型企业有多少家？"}
    assert check_eval_set(path, documents) == []


def test_narrow_screen_lists_conversations_over_the_chat(page):
    ask(page, "星创天地有多少个？")
    viewport(page, 390, 844)
    assert not page.find_element(By.ID, "sidebar").is_displayed()
    page.find_element(By.ID, "toggle-sidebar").click()
    assert page.find_element(By.ID, "sidebar").is_displayed()
    assert page.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "workspace-narrow.png")
    page.find_element(By.CSS_SELECTOR, "#conv-list .conv-open").click()
    assert not page.find_element(By.ID, "sidebar").is_displayed()
    viewport(page, 1280, 800)


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    require_browser()
    from policyqa.http.app import create_app
    from policyqa.index.build import build_index
    from policyqa.models.embed import load_embedder
    from policyqa.settings import Settings

    settings = Settings(
        index_dir=tmp_path_factory.mktemp("keyed-index"), corpus_dir=REPO / "corpus", model="fake-64",
        abstain_threshold=0.4, answer_check="rules", api_keys=["user-key"], admin_keys=["boss-key"], cors_origins=[],
    )  # fmt: skip
    embedder = load_embedder(settings)
    build_index(settings, embedder)
    with serve(create_app(settings, embedder=embedder)) as base:
        yield base


def test_keys_in_the_page_an_official_asks_and_only_an_admin_manages_documents(keyed, browser):
    open_page(browser, keyed)
    assert not browser.find_elements(By.CSS_SELECTOR, "#examples .example")  # nothing offered before a key
    box = browser.find_element(By.ID, "question")
    box.send_keys("星创天地有多少个？\n")
    WebDriverWait(browser, WAIT_S).until(lambda d: d.find_element(By.ID, "key-row").is_displayed())
    browser.find_element(By.ID, "api-key").send_keys("user-key")
    browser.find_element(By.ID, "key-save").click()
    WebDriverWait(browser, WAIT_S).until(lambda d: any("42个" in a.text for a in finished_answers(d)))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".turn")) == 1  # the refused try gave way
    WebDriverWait(browser, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#examples .example"))

    browser.find_element(By.ID, "open-library").click()
    WebDriverWait(browser, WAIT_S).until(
        lambda d: (
            d.find_element(By.ID, "admin-key-row").is_displayed()
            and not d.find_elements(By.CSS_SELECTOR, "#doc-rows[aria-busy]")
        )
    )
    assert "需要管理员密钥；当前密钥只能查看" in browser.find_element(By.ID, "library-note").text
    assert not browser.find_element(By.ID, "library-tools").is_displayed()
    assert browser.find_elements(By.CSS_SELECTOR, "#doc-rows tr") and not browser.find_elements(
        By.CSS_SELECTOR, ".delete-doc"
    )
    screenshot(browser, "workspace-library-locked.png")
    browser.find_element(By.ID, "admin-key").send_keys("boss-key")
    browser.find_element(By.ID, "admin-key-save").click()
    WebDriverWait(browser, WAIT_S).until(lambda d: d.find_element(By.ID, "library-tools").is_displayed())
    assert not browser.find_element(By.ID, "admin-key-row").is_displayed()
    browser.find_element(By.ID, "library-close").click()
