"""Page numbers and split-off subscripts of PDF-extracted text, on constructed pages and on the real
documents they were found in."""

from policyqa.corpus.artefacts import page_number_lines, repair_lines
from policyqa.corpus.clean import clean_document
from policyqa.corpus.headings import ends_sentence
from policyqa.text.normalize import search_key

from ..conftest import needs_shared

# About a page of hard-wrapped text that ends mid-sentence.
PAGE = "科技创新是提高社会生产力和综合国力的战略支撑，必须摆在国家发展全局的核心位置。" * 8


def paged(numbers: list[str]) -> str:
    lines = []
    for n in numbers:
        lines += [PAGE + "紧扣检测装备精", n, "准、可靠、智能的趋势。"]
    return "\n".join(lines)


def test_page_numbers_in_mid_sentence_are_dropped():
    text = repair_lines(paged(["1", "2", "- 3 -", "5"]), ends_sentence)  # page 4 lost in conversion
    assert "精\n准、可靠" in text  # the lines around the page number meet again
    assert not any(line.strip() in {"1", "2", "- 3 -", "5"} for line in text.split("\n"))
    doc = clean_document(paged(["1", "2", "3"]))
    assert "装备精准、可靠" in doc.text and "精1准" not in doc.text


def test_numbers_that_do_not_run_like_pages_stay():
    lines = paged(["1", "2", "3"]).split("\n")
    assert page_number_lines(lines, ends_sentence) == {1, 4, 7}
    # A table's numbered rows count up a few characters apart: not pages.
    table = ["序号", "", "1", "", "人工智能", "", "2", "", "大数据", "", "3", "", "区块链"]
    assert page_number_lines(table, ends_sentence) == set()
    # One lone number is no run of pages; numbers that do not count up are no pages either.
    assert page_number_lines(paged(["7"]).split("\n"), ends_sentence) == set()
    assert page_number_lines(paged(["3", "3", "1"]).split("\n"), ends_sentence) == set()
    # A list whose long items each stand under a number of their own: every number follows a finished
    # sentence, where a page break seldom falls.
    items = []
    for n in ("1", "2", "3"):
        items += [n, PAGE + "这是一项完整的任务。"]
    assert page_number_lines(items, ends_sentence) == set()


def test_split_off_subscripts_rejoin_their_words():
    raw = "稳健的货币政策要松紧适度。广义货币M\n2\n预期增长12%左右，在实际执行中可以略高些。"
    assert "广义货币M2预期增长12%左右，在实际执行中" in clean_document(raw).text
    raw = "以细颗粒物（PM\n2.5\n）和可吸入颗粒物（PM\n10\n）治理为突破口。"
    assert clean_document(raw).text == "以细颗粒物（PM2.5）和可吸入颗粒物（PM10）治理为突破口。"
    # A number after Chinese text is no subscript: the lines stay as they were.
    assert repair_lines("第一部分\n2\n第二部分", ends_sentence) == "第一部分\n2\n第二部分"


def test_real_pdf_text_reads_without_page_numbers():
    path = needs_shared("tech-policy-central-shandong", "docs", "central-034.txt")
    text = clean_document(path.read_text(encoding="utf-8")).text
    assert "紧扣检测装备精准、可靠、智能、集成发展趋势" in text
    report = needs_shared("gov-work-reports", "docs", "gwr-2015.txt")
    sentences = search_key(clean_document(report.read_text(encoding="utf-8")).text)
    assert search_key("广义货币M2预期增长12%左右") in sentences


def test_a_footnote_mark_split_over_lines_goes_back_into_its_sentence():
    raw = "中央委员会作关于上届代表会议\n[\n1\n]\n以来的工作报告。"
    assert repair_lines(raw, ends_sentence) == "中央委员会作关于上届代表会议[1]以来的工作报告。"
