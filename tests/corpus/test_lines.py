"""Raw text into lines (lines.py): blank lines and indents kept, soft wraps undone, hard wrapping seen."""

from policyqa.corpus.lines import is_hard_wrapped, join_lines, read_lines


def test_lines_keep_their_blank_lines_indents_and_markdown_headings():
    lines = read_lines("# 标题\r\n\r\n　　第一段。\n第二段\n\n")
    assert [ln.text for ln in lines] == ["标题", "第一段。", "第二段"]
    assert [ln.blank_before for ln in lines] == [True, True, False]
    assert lines[0].blank_after and lines[1].indented and not lines[2].indented and lines[2].blank_after


def test_a_web_pages_soft_wrap_inside_a_number_is_no_break():
    lines = read_lines("国内生产总值达到74.4\n\u200b\n万亿元，增长6.9%。")
    assert [ln.text for ln in lines] == ["国内生产总值达到74.4万亿元，增长6.9%。"]


def test_latin_words_wrapped_across_lines_get_their_space_back_and_chinese_never():
    assert join_lines(["Artificial", "Intelligence"]) == "Artificial Intelligence"
    assert join_lines(["新一代人工", "智能"]) == "新一代人工智能"
    assert join_lines(["5G", "基站"]) == "5G基站"


def test_pdf_text_is_seen_hard_wrapped_at_its_typical_width():
    wrapped = read_lines(
        "过去一年，我国经济运行总体平稳，\n发展质量稳步提升，就业形势保持\n"
        "稳定，居民收入增长与经济增长基\n本同步，科技创新取得新的突破。\n"
    )
    is_wrapped, width = is_hard_wrapped(wrapped)
    assert is_wrapped and width == 15.0  # the median width of the lines that stop mid-sentence
    prose = read_lines("第一段写完了。\n\n第二段也写完了。\n\n第三段同样写完了。\n\n第四段还是写完了。\n")
    assert is_hard_wrapped(prose) == (False, 0.0)
