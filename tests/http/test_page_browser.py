"""The chat page (GET /) driven by a real headless Chromium against a real uvicorn server: answers,
citations and the document panel. The workspace (conversations, streaming, documents, feedback) is in
test_workspace_browser.py; the shared machinery in browser.py.
"""

from __future__ import annotations

import pytest

from .browser import (
    REPO,
    WAIT_S,
    By,
    Keys,
    WebDriverWait,
    asked_history,
    chromium,
    get_json,
    open_page,
    require_browser,
    screenshot,
    serve,
    viewport,
)
from .browser import ask as _ask

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_browser()  # before the index build, so a missing browser skips at once
    from policyqa.http.app import create_app
    from policyqa.index.build import build_index
    from policyqa.models.embed import load_embedder
    from policyqa.settings import Settings

    # An explicit abstention threshold (as in conftest.py): the page test must not move when the real
    # model's threshold is recalibrated.
    settings = Settings(
        index_dir=tmp_path_factory.mktemp("index"),
        corpus_dir=REPO / "corpus",
        model="fake-64",
        abstain_threshold=0.4,
        answer_check="rules",
        api_keys=[],
        cors_origins=[],
    )
    embedder = load_embedder(settings)
    build_index(settings, embedder)
    with serve(create_app(settings, embedder=embedder)) as base:
        yield base


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser


@pytest.fixture
def page(server, driver):
    open_page(driver, server)
    return driver


def _in_viewport(driver, element) -> bool:
    """Whether the element is visible both in the window and inside its scrolling document body."""
    return driver.execute_script(
        """
        const r = arguments[0].getBoundingClientRect();
        const box = document.getElementById('doc-body').getBoundingClientRect();
        const top = Math.max(r.top, box.top, 0);
        const bottom = Math.min(r.bottom, box.bottom, window.innerHeight);
        return r.width > 0 && bottom - top > 8 && r.left < window.innerWidth && r.right > 0;
    """,
        element,
    )


def _open_panel(driver, trigger):
    trigger.click()
    WebDriverWait(driver, WAIT_S).until(
        lambda d: (
            d.find_element(By.ID, "doc-panel").is_displayed()
            and d.find_elements(By.CSS_SELECTOR, "#doc-body mark.passage")
        )
    )
    passage = driver.find_element(By.CSS_SELECTOR, "#doc-body mark.passage")
    WebDriverWait(driver, 5).until(lambda d: _in_viewport(d, passage))
    return passage


def test_answer_cites_and_highlights_the_passage(server, page):
    answer = _ask(page, "全疆入网登记的科技型企业有多少家？")
    assert "20450" in answer.text
    assert "abstained" not in answer.get_attribute("class")
    markers = answer.find_elements(By.CSS_SELECTOR, ".cite-marker")
    assert markers and markers[0].get_attribute("data-n") == "1"
    assert "参考资料" in answer.text and "2018-xinjiang-sci-tech-report" in answer.text
    meta = answer.find_element(By.CSS_SELECTOR, ".meta")
    assert "用时" in meta.text
    # Support in words; the number only on hover.
    support = meta.find_element(By.CSS_SELECTOR, ".support")
    assert support.text in ("依据充分", "依据有限") and "置信度" in support.get_attribute("title")
    assert "置信度" not in meta.text
    assert not page.find_element(By.ID, "key-row").is_displayed()

    passage = _open_panel(page, markers[0])
    quote = page.find_element(By.CSS_SELECTOR, "#doc-body mark.passage mark.quote")
    assert "20450" in quote.text
    assert _in_viewport(page, quote)
    assert "新疆科技发展报告" in page.find_element(By.ID, "doc-title").text
    # The whole cleaned document is shown verbatim; the marks sit exactly on the cited offsets.
    doc = get_json(server + "/api/documents/2018-xinjiang-sci-tech-report")
    shown = page.execute_script("return document.getElementById('doc-body').textContent")
    assert shown == doc["text"]
    offsets = page.execute_script("""
        const body = document.getElementById('doc-body');
        const before = (node) => { const r = document.createRange(); r.setStart(body, 0); r.setEndBefore(node);
                                   return r.toString().length; };
        const p = body.querySelector('mark.passage'), q = body.querySelector('mark.quote');
        return [before(p), before(p) + p.textContent.length, before(q), before(q) + q.textContent.length];
    """)
    assert asked_history(page) == [{"question": "全疆入网登记的科技型企业有多少家？", "history": []}]
    assert passage.text and offsets[0] <= offsets[2] < offsets[3] <= offsets[1]
    assert doc["text"][offsets[2] : offsets[3]] == quote.text
    assert (
        page.execute_script("return getComputedStyle(document.getElementById('doc-body')).whiteSpace")
        == "pre-wrap"
    )

    screenshot(page, "page.png")

    page.find_element(By.ID, "doc-close").click()
    assert not page.find_element(By.ID, "doc-panel").is_displayed()


def test_unanswerable_question_abstains_with_related_passages(page):
    answer = _ask(page, "2018年西藏自治区有多少家星创天地？")
    assert "资料中未找到" in answer.find_element(By.CSS_SELECTOR, ".answer-text").text
    assert "abstained" in answer.get_attribute("class")
    assert not answer.find_elements(By.CSS_SELECTOR, ".cite-marker")
    assert "可能相关的段落" in answer.text
    related = answer.find_elements(By.CSS_SELECTOR, ".refs.related .ref")
    assert related
    _open_panel(page, related[0])
    assert not page.find_elements(By.CSS_SELECTOR, "#doc-body mark.quote")  # a related passage quotes nothing
    screenshot(page, "page-abstained.png")


def test_follow_up_sends_earlier_questions_as_history(page):
    first = _ask(page, "自治区科技成果转化基金有多少？")
    assert "基金" in first.text
    second = _ask(page, "那中科援疆基金呢？")
    assert "出错" not in second.text and second.find_elements(By.CSS_SELECTOR, ".cite-marker, .ref")
    assert asked_history(page) == [
        {"question": "自治区科技成果转化基金有多少？", "history": []},
        {"question": "那中科援疆基金呢？", "history": ["自治区科技成果转化基金有多少？"]},
    ]
    assert "结合上文检索" in second.find_element(By.CSS_SELECTOR, ".meta").text
    assert len(page.find_elements(By.CSS_SELECTOR, ".turn")) == 2

    page.find_element(By.ID, "new-chat").click()
    assert not page.find_elements(By.CSS_SELECTOR, ".turn")
    fresh = _ask(page, "那中科援疆基金呢？")
    assert asked_history(page)[-1] == {
        "question": "那中科援疆基金呢？",
        "history": [],
    }
    assert "4.6亿元" in fresh.text


def test_empty_question_and_server_errors_are_shown(page):
    page.find_element(By.ID, "ask").click()
    hint = page.find_element(By.ID, "form-error")
    assert hint.is_displayed() and "请输入问题" in hint.text
    box = page.find_element(By.ID, "question")
    box.send_keys("   ", Keys.ENTER)
    assert not page.find_elements(By.CSS_SELECTOR, ".turn")
    assert asked_history(page) == []

    box.clear()
    box.send_keys("第一行", Keys.SHIFT, Keys.ENTER, Keys.NULL, "第二行")
    assert box.get_property("value") == "第一行\n第二行"
    assert not page.find_elements(By.CSS_SELECTOR, ".turn")

    # Too long for the server: its error message is shown and the question is given back to edit.
    too_long = "科技" * 501
    page.execute_script("arguments[0].value = arguments[1]", box, too_long)
    page.find_element(By.ID, "ask").click()
    WebDriverWait(page, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".answer.error"))
    error = page.find_element(By.CSS_SELECTOR, ".answer.error")
    assert "问题过长" in error.text
    assert box.get_property("value") == too_long
    # Markup typed by the user is shown as text, never parsed.
    box.clear()
    _ask(page, '<img src=x onerror="window.__xss=1">有多少？')
    assert page.execute_script("return window.__xss") is None
    assert "<img" in page.find_elements(By.CSS_SELECTOR, ".msg.user")[-1].text


def test_narrow_screen(page):
    viewport(page, 390, 844)
    answer = _ask(page, "全疆入网登记的科技型企业有多少家？")
    _open_panel(page, answer.find_element(By.CSS_SELECTOR, ".cite-marker"))
    assert _in_viewport(page, page.find_element(By.CSS_SELECTOR, "#doc-body mark.quote"))
    assert page.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "page-narrow.png")
    page.find_element(By.ID, "doc-close").click()
    assert page.find_element(By.ID, "question").is_displayed()


def test_several_questions_in_one_message_are_answered_part_by_part(page):
    answer = _ask(page, "全疆入网登记的科技型企业有多少家？试验区规划了多少个重大项目？")
    text = answer.find_element(By.CSS_SELECTOR, ".answer-text").text
    first, second = (
        text.index("（1）全疆入网登记的科技型企业有多少家？"),
        text.index("（2）试验区规划了多少个重大项目？"),
    )
    assert first < text.index("20450") < second < text.index("126")
    markers = answer.find_elements(By.CSS_SELECTOR, ".answer-text .cite-marker")
    numbers = [m.get_attribute("data-n") for m in markers]
    assert numbers[0] == "1" and "2" in numbers  # one run of numbers across the parts
    # The second part's marker opens its own passage.
    second_marker = next(m for m in markers if m.get_attribute("data-n") == "2")
    _open_panel(page, second_marker)
    assert "126" in page.find_element(By.CSS_SELECTOR, "#doc-body mark.passage mark.quote").text
    page.find_element(By.ID, "doc-close").click()
