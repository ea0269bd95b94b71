"""Cleaning, asserted on the real demo document and on small constructed cases."""

from policyqa.corpus.clean import clean_document
from policyqa.text.normalize import search_key, tidy_spaces


def running_text(doc):
    return [b.text for b in doc.blocks if b.kind == "para"]


def test_caption_interrupted_sentence_is_contiguous(demo_doc):
    assert "培育面向中亚的国际创业孵化机构1家" in demo_doc.text
    assert any(
        "培育面向中亚的国际创业孵化机构1家，孵化总面积3.2万平方米" in p for p in running_text(demo_doc)
    )


def test_captions_moved_out_of_running_text(demo_doc):
    assert not any("石河子高新区鸟瞰图" in p for p in running_text(demo_doc))
    captions = [b.text for b in demo_doc.blocks if b.kind == "caption"]
    assert "石河子高新区鸟瞰图。" in captions
    assert "乌鲁木齐高新区（新市区）创新广场。" in captions
    assert "昌吉高新区全景。" in captions


def test_hard_wraps_and_blank_lines_joined(demo_doc):
    # Raw text: "…强化实\n\n施创新驱动…" — a blank line inside a paragraph.
    assert "国务院关于强化实施创新驱动发展战略" in demo_doc.text
    assert "截至2018年，我区有星创天地42个，其中国家级星创天地34个。" in demo_doc.text


def test_spaces_between_digits_and_chinese_removed(demo_doc):
    assert "确定了6项深化改革任务和7项科技体制改革任务" in demo_doc.text
    assert "2018年11月23日" in demo_doc.text
    assert "确定了 6项" not in demo_doc.text


def test_docnum_brackets_kept_for_display_unified_in_key(demo_doc):
    assert "财建﹝2018﹞408号" in demo_doc.text
    assert search_key("财建﹝2018﹞408号") == search_key("财建〔2018〕408号") == search_key("财建[2018]408号")
    assert search_key("财建【2018】408号") == search_key("财建 〔２０１８〕 408 号")


def test_section_paths(demo_doc):
    block = next(b for b in demo_doc.blocks if "计划投资总额1746亿元" in b.text)
    assert block.section == ("二、新疆创新试验区建设", "（二）试验区建设重大进展")
    block = next(b for b in demo_doc.blocks if "乌昌石国家自主创新示范区" in b.text and b.kind == "para")
    assert " > ".join(block.section) == "二、新疆创新试验区建设 > （三）启动乌昌石自创区建设"


def test_block_offsets_point_into_text(demo_doc):
    for b in demo_doc.blocks:
        assert demo_doc.text[b.start : b.end] == b.text


def test_fullwidth_ascii_normalised():
    doc = clean_document("一、总则\n投入ＲＤ经费１２３亿元，增长１０％。\n")
    assert "投入RD经费123亿元，增长10%。" in doc.text


def test_tidy_spaces_keeps_space_between_joint_issuers():
    assert tidy_spaces("《财政部 科技部关于》") == "《财政部 科技部关于》"
    assert tidy_spaces("达到 10亿元 ，") == "达到10亿元，"


def test_heading_levels_and_articles():
    raw = "第一章 总则\n第一条 为了促进科技成果转化，制定本条例。\n第二条 本条例适用于本省。\n第二章 实施\n第三条 各级政府应当支持。\n"
    doc = clean_document(raw)
    para = next(b for b in doc.blocks if b.text.startswith("本条例适用"))
    assert para.section == ("第一章 总则", "第二条")
    para = next(b for b in doc.blocks if b.text.startswith("各级政府"))
    assert para.section == ("第二章 实施", "第三条")


def test_inline_heading_in_unwrapped_text():
    raw = "政府工作报告\n\n一、过去一年的工作\n（一）着力稳增长。今年国内生产总值增长5%，经济运行总体平稳。\n"
    doc = clean_document(raw)
    assert doc.title == "政府工作报告"
    para = next(b for b in doc.blocks if b.kind == "para")
    assert para.text.startswith("今年国内生产总值") and para.section[-1] == "（一）着力稳增长。"


def test_a_plan_whose_tasks_end_with_their_bodies_in_brackets_keeps_its_headings():
    # Each task ends with a note naming its bodies, which is no open sentence: the next task's heading
    # starts a block of its own instead of being run into the note as wrapped text.
    task = "{}.{}。加快推进相关工作，形成一批成果。（牵头单位：省科技厅，责任单位：省教育厅）\n"
    raw = (
        "人工智能行动计划\n\n（一）实施策源行动\n"
        + "".join(
            task.format(i, t) for i, t in enumerate(["强化基础研究", "开展技术攻关", "加强硬件布局"], 1)
        )
        + "（二）实施提质行动\n"
        + "".join(
            task.format(i, t) for i, t in enumerate(["打造人才高地", "强化金融支撑", "促进成果转化"], 1)
        )
    )
    doc = clean_document(raw)
    paras = [b for b in doc.blocks if b.kind == "para"]
    assert len(paras) == 6
    assert all(p.text.endswith("（牵头单位：省科技厅，责任单位：省教育厅）") for p in paras)
    assert paras[3].section == ("（二）实施提质行动", "1.打造人才高地。")


def test_web_text_broken_inside_a_sentence_is_joined():
    # Scraped reports break lines inside a title in 《》 or a bracket; a quote must hold the whole sentence.
    text = (
        "政府工作报告\n\n"
        "要以建设创新型国家为目标，全面实施《\n国家中长期科学和技术发展规划纲要\n》。抓紧启动一批重大科技专项。\n"
        "细颗粒物（PM\n2.5\n）平均浓度下降9.1%。\n"
        "（二）着力扩大内需\n" + "一段完整的话，写满了一整行的内容。\n" * 10
    )
    doc = clean_document(text)
    paras = [b.text for b in doc.blocks if b.kind == "para"]
    assert paras == [
        "要以建设创新型国家为目标，全面实施《国家中长期科学和技术发展规划纲要》。抓紧启动一批重大科技专项。",
        "细颗粒物（PM2.5）平均浓度下降9.1%。",  # a subscript set apart (artefacts.py)
        *["一段完整的话，写满了一整行的内容。"] * 10,  # whole lines stay paragraphs of their own
    ]
    assert [b.text for b in doc.blocks if b.kind == "heading"] == ["（二）着力扩大内需"]


def test_a_line_of_zero_width_space_inside_a_sentence_is_a_soft_wrap():
    # Scraped reports wrap with a line holding only U+200B, even inside a figure; after a finished
    # sentence, or between blank lines, such a line still ends the paragraph.
    text = (
        "政府工作报告\n\n"
        "国内生产总值达到74.4\n\u200b\n万亿元，增长6.7%。全社会研发经费支出与国内生产总值\n\u200b\n"
        "之比达到2.08%。\n\u200b\n科技进步贡献率上升到56.2%。\n\n\u200b\n\n创新对发展的支撑作用明显增强。\n"
    )
    paras = [b.text for b in clean_document(text).blocks if b.kind == "para"]
    assert paras == [
        "国内生产总值达到74.4万亿元，增长6.7%。全社会研发经费支出与国内生产总值之比达到2.08%。",
        "科技进步贡献率上升到56.2%。",
        "创新对发展的支撑作用明显增强。",
    ]


def test_a_word_set_on_a_line_of_its_own_inside_a_sentence_is_joined():
    # Scraped reports set a linked word on a line of its own ("新建⏎高速铁路⏎投产里程…"); the paragraph
    # before stopped mid-sentence, so no heading can follow it, unless numbered as one.
    text = (
        "政府工作报告\n\n"
        "——基础设施支撑能力持续提升。新建\n高速铁路\n投产里程超过1900公里，新建改建\n高速公路\n6700多公里。\n"
        "发展质量持续提高。全年\n（二）着力扩大内需\n" + "一段完整的话，写满了一整行的内容。\n" * 20
    )
    doc = clean_document(text)
    paras = [b.text for b in doc.blocks if b.kind == "para"]
    assert paras[:2] == [
        "——基础设施支撑能力持续提升。新建高速铁路投产里程超过1900公里，新建改建高速公路6700多公里。",
        "发展质量持续提高。全年",
    ]
    assert [b.text for b in doc.blocks if b.kind == "heading"] == ["（二）着力扩大内需"]
