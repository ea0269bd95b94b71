"""What officials hold: Word-made PDFs, scans, spreadsheets, slides, legacy files; each read into
passages and sections, and a question about each answered with a citation."""

from __future__ import annotations

import logging

import pytest

from policyqa.corpus import readers
from policyqa.corpus.ingest import load_corpus
from policyqa.corpus.readers import ocr

from .make_files import LAW, budget_xlsx, law_docx, law_pdf, report_pptx, scanned_pdf


def blocks(doc):
    return [(b.kind, b.text, b.section) for b in doc.blocks]


def ask(tmp_path, corpus, question):
    """Build a fake-embedder index over ``corpus`` and answer ``question`` (the real answer path)."""
    from policyqa.index.build import build_index
    from policyqa.models.embed import load_embedder
    from policyqa.query.engine import Engine
    from policyqa.settings import Settings

    settings = Settings(
        corpus_dir=corpus, index_dir=tmp_path / "index", model="fake-64", abstain_threshold=0.1, answer_check="rules",
        ocr_cache_dir=tmp_path / "ocr-cache",
    )  # fmt: skip
    embedder = load_embedder(settings)
    build_index(settings, embedder)
    return Engine.load(settings, embedder).ask(question)


def test_word_pdf_gives_the_passages_and_sections_of_its_docx_twin(tmp_path):
    law_docx(tmp_path / "law.docx")
    law_pdf(tmp_path / "law-print.pdf")  # two pages, running header and page numbers
    result = load_corpus(tmp_path)
    assert not result.problems
    docx_doc, pdf_doc = sorted(result.documents, key=lambda d: d.doc_id)
    assert pdf_doc.text == docx_doc.text
    assert blocks(pdf_doc) == blocks(docx_doc)
    # Layout line breaks are gone, articles are sections, the header and page numbers dropped.
    assert "出资比例中提取" in pdf_doc.text and "公报" not in pdf_doc.text and "—" not in pdf_doc.text
    article = next(b for b in pdf_doc.blocks if b.text.startswith("科技成果完成单位"))
    assert article.section == ("第二章 组织实施", "第四条")
    assert pdf_doc.title == "某市促进科技成果转化条例" and pdf_doc.metadata["kind"] == "条例"


def test_layout_drops_running_heads_and_moves_captions_out():
    from policyqa.corpus.readers.layout import Line, paragraphs

    def page(n, rows):
        return [Line(text, x0, x1, top, top + 16, n) for text, x0, x1, top in rows]

    pages = [
        page(0, [("科技局工作简报", 250, 350, 30), ("全年新增高新技术企业一千二百家，科技型中", 104, 520, 100),
                 ("小企业达到三千家，比上年增长百分之十五，", 72, 520, 128),
                 ("图1 高新区鸟瞰", 240, 330, 400),  # a photo caption between two lines of one sentence
                 ("研发投入强度达到百分之三。", 72, 280, 600), ("第 1 页", 280, 320, 800)]),
        page(1, [("科技局工作简报", 250, 350, 30), ("二、下一步工作", 72, 200, 100),
                 ("加快建设创新平台，推进成果转化，培育新兴产业，稳步提升全市创新", 104, 520, 128),
                 ("能力。", 72, 120, 156), ("第 2 页", 280, 320, 800)]),
    ]  # fmt: skip
    parts = paragraphs(pages)
    assert [(p.kind, p.text) for p in parts] == [
        ("para", "全年新增高新技术企业一千二百家，科技型中小企业达到三千家，比上年增长百分之十五，研发投入强度达到百分之三。"),
        ("caption", "图1 高新区鸟瞰"),
        ("para", "二、下一步工作"),
        ("para", "加快建设创新平台，推进成果转化，培育新兴产业，稳步提升全市创新能力。"),
    ]  # fmt: skip


SCAN = [
    "关于支持科技型中小企业发展的通知",
    "各区科技局：",
    "为加快培育科技型中小企业，引导企业加大研发投入，提升自主创新能力，经研究，现将有关事项通知如下。",
    "2024年全市科技型中小企业研发费用补助资金总额为8600万元，按企业上年度研发投入的10%给予补助，单个企业补助不超过50万元。",
]


def test_scanned_pdf_is_ocred_and_answers_with_a_citation(tmp_path, caplog):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    scanned_pdf(corpus / "scan.pdf", [SCAN])
    with caplog.at_level(logging.INFO, logger="policyqa.ocr"):
        result = load_corpus(corpus, ocr_cache=tmp_path / "ocr-cache")
    assert not result.problems
    doc = result.documents[0]
    assert doc.metadata["ocr_pages"] == [1] and doc.metadata_sources["ocr_pages"] == "file"
    assert any("OCR scan.pdf: page 1 (1/1)" in r.getMessage() for r in caplog.records)  # progress per page
    assert doc.title == "关于支持科技型中小企业发展的通知"
    assert "研发费用补助资金总额为8600万元" in doc.text  # the scanned lines joined
    answer = ask(tmp_path, corpus, "科技型中小企业研发费用补助资金总额是多少？")
    assert answer.citations, answer.answer
    cited = answer.citations[0]
    assert cited.doc_id == "scan" and "8600万元" in cited.text
    assert doc.text[cited.start : cited.end] == cited.text


def test_ocr_results_are_cached_by_file_content(tmp_path, monkeypatch):
    scanned_pdf(tmp_path / "scan.pdf", [SCAN[:4]])
    first = load_corpus(tmp_path, ocr_cache=tmp_path.parent / "cache").documents[0]

    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR ran again for a cached page")

    monkeypatch.setattr(ocr, "recognise", no_ocr)
    again = load_corpus(tmp_path, ocr_cache=tmp_path.parent / "cache").documents[0]
    assert again.text == first.text


def test_scans_without_the_ocr_extra_say_how_to_read_them(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    scanned_pdf(tmp_path / "scan.pdf", [SCAN[:3]])
    scan_image_file = tmp_path / "page.png"
    from .make_files import scan_image

    scan_image(SCAN[:3]).save(scan_image_file)
    reasons = {p.source: p.reason for p in load_corpus(tmp_path).problems}
    assert "scanned PDF" in reasons["scan.pdf"] and "policyqa[ocr]" in reasons["scan.pdf"]
    assert "policyqa[ocr]" in reasons["page.png"]


def test_image_file_is_ocred(tmp_path):
    from .make_files import scan_image

    scan_image(SCAN).save(tmp_path / "notice.png")
    doc = load_corpus(tmp_path).documents[0]
    assert doc.metadata["ocr_pages"] == [1] and "8600万元" in doc.text


def test_budget_spreadsheet_rows_keep_their_headers_and_answer_a_figure(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    budget_xlsx(corpus / "budget.xlsx")
    doc = load_corpus(corpus).documents[0]
    assert doc.title == "2024年市级科技经费预算表"
    row = "项目：科技成果转化，2023年决算（万元）：2500，2024年预算（万元）：4100。"
    assert row in doc.text and "项目：科技成果转化，增幅：64%。" in doc.text
    by_text = {b.text: b.section for b in doc.blocks}
    assert by_text[row] == ("科技经费",) and by_text["项目：科技成果转化，增幅：64%。"] == ("增长率",)
    answer = ask(tmp_path, corpus, "2024年科技成果转化预算是多少万元？")
    assert answer.citations and "4100" in answer.citations[0].text
    assert "科技成果转化" in answer.citations[0].text  # the row label comes with the figure


def test_slides_become_sections_and_answer_a_figure(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    report_pptx(corpus / "report.pptx")
    doc = load_corpus(corpus).documents[0]
    sections = {b.text: b.section for b in doc.blocks if b.kind == "para"}
    assert sections["全市研发经费投入达到356亿元，同比增长12.5%。"] == ("研发投入",)
    assert sections["项目：量子计算中心，投资额：18亿元。"] == ("重点项目",)
    answer = ask(tmp_path, corpus, "全市研发经费投入达到多少亿元？")
    assert answer.citations and "356亿元" in answer.citations[0].text
    assert answer.citations[0].section == ["研发投入"]


def test_legacy_and_broken_files_are_listed_once_with_a_reason_and_no_library_noise(tmp_path, capfd):
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    (tmp_path / "old.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")  # no EOF marker
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "broken.pptx").write_bytes(b"not a presentation")
    result = load_corpus(tmp_path)
    reasons = {p.source: p.reason for p in result.problems}
    assert ".docx" in reasons["old.doc"] and ".docx" in reasons["old.wps"]
    assert reasons["broken.pdf"].startswith("unreadable PDF")
    assert reasons["broken.xlsx"].startswith("unreadable spreadsheet")
    assert reasons["broken.pptx"].startswith("unreadable presentation")
    assert not any(r.startswith("broken") for r in reasons.values())  # the file is named once, not twice
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_every_suffix_has_one_reader():
    assert {".pdf", ".docx", ".xlsx", ".pptx", ".png", ".jpg", ".tif", ".html", ".txt"} <= set(
        readers.READERS
    )
    assert not set(readers.READERS) & set(readers.LEGACY)


@pytest.mark.parametrize("make", [law_docx, law_pdf])
def test_patent_law_header_dates_from_docx_and_pdf(tmp_path, make):
    header = (
        "（1984年3月12日第六届全国人民代表大会常务委员会第四次会议通过　根据1992年9月4日第七届全国人民代表大会"
        "常务委员会第二十七次会议《关于修改〈中华人民共和国专利法〉的决定》第一次修正　根据2000年8月25日第九届全国"
        "人民代表大会常务委员会第十七次会议《关于修改〈中华人民共和国专利法〉的决定》第二次修正　根据2008年12月27日"
        "第十一届全国人民代表大会常务委员会第六次会议《关于修改〈中华人民共和国专利法〉的决定》第三次修正　根据2020年"
        "10月17日第十三届全国人民代表大会常务委员会第二十二次会议《关于修改〈中华人民共和国专利法〉的决定》第四次修正）"
    )
    make(tmp_path / f"patent.{make.__name__.split('_')[1]}", "中华人民共和国专利法", [header, *LAW[:3]])
    doc = load_corpus(tmp_path).documents[0]
    assert doc.title == "中华人民共和国专利法"
    assert doc.metadata["date"] == "2020-10-17" and doc.metadata["year"] == 2020
    assert doc.metadata["enacted"] == "1984-03-12"
    assert doc.metadata["issuer"] == "全国人民代表大会常务委员会"


def test_docx_table_stays_in_place_with_its_header(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("一、资金安排")
    document.add_paragraph("各项资金安排如下表。")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([["项目", "金额"], ["人才专项", "5000万元"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("二、组织保障")
    document.save(tmp_path / "plan.docx")
    doc = load_corpus(tmp_path).documents[0]
    assert [(b.kind, b.text, b.section) for b in doc.blocks if b.kind != "title"] == [
        ("heading", "一、资金安排", ("一、资金安排",)),
        ("para", "各项资金安排如下表。", ("一、资金安排",)),
        ("para", "项目：人才专项，金额：5000万元。", ("一、资金安排",)),
        ("heading", "二、组织保障", ("二、组织保障",)),
    ]


def test_cells_read_as_people_read_them():
    import datetime as dt

    from policyqa.corpus.readers.office import cell_text

    assert cell_text(120.0) == "120" and cell_text(12.5) == "12.5" and cell_text(None) == ""
    assert cell_text(0.153, "0.0%") == "15.3%" and cell_text(dt.datetime(2024, 3, 5)) == "2024年3月5日"
    assert cell_text("  研发\n投入 ") == "研发投入" and cell_text("R&D\nspending") == "R&D spending"
