"""Every file type, encoding problems and bad files; the shared corpora load without error."""

import json
import time

import pytest

from policyqa.corpus.ingest import decode_bytes, load_corpus
from policyqa.errors import IngestError

from ..conftest import needs_shared

TEXT = "一、总体要求\n（一）发展目标\n到2025年，全省研发经费投入达到1746亿元，占比97.1%。\n"


def test_gbk_utf16_and_utf8_bom_decoded(tmp_path):
    (tmp_path / "gbk.txt").write_bytes(TEXT.encode("gbk"))
    (tmp_path / "u16.txt").write_bytes(TEXT.encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    corpus = load_corpus(tmp_path)
    assert not corpus.problems
    assert len(corpus.documents) == 3
    for doc in corpus.documents:
        assert "全省研发经费投入达到1746亿元" in doc.text


def test_empty_binary_and_undecodable_files_reported_not_fatal(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus.documents] == ["good"]
    reasons = {p.source: p.reason for p in corpus.problems}
    assert "empty" in reasons["empty.txt"]
    assert "blob.txt" in reasons and "image.png" in reasons


def test_decode_error_names_the_file():
    with pytest.raises(IngestError, match="bad.txt"):
        decode_bytes(b"\x00\x01\x02\x03" * 2000, "bad.txt")


def test_pdf_with_chinese_text(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(tmp_path / "notice.pdf"), pagesize=A4)
    pdf.setFont("STSong-Light", 12)
    y = 800
    for line in ["关于推进科技成果转化的通知", "", "一、工作目标", "到2025年，技术合同成交额达到500亿元。"]:
        pdf.drawString(60, y, line)
        y -= 20
    pdf.save()
    corpus = load_corpus(tmp_path)
    assert not corpus.problems
    doc = corpus.documents[0]
    assert "技术合同成交额达到500亿元" in doc.text
    assert doc.title == "关于推进科技成果转化的通知"


def test_docx_with_chinese_text(tmp_path):
    import docx

    document = docx.Document()
    document.core_properties.title = "科技创新券实施办法"
    document.add_heading("第一章 总则", level=1)
    document.add_paragraph("第一条 为支持科技型中小企业发展，制定本办法。")
    document.save(tmp_path / "rules.docx")
    doc = load_corpus(tmp_path).documents[0]
    assert doc.title == "科技创新券实施办法"
    assert "为支持科技型中小企业发展，制定本办法。" in doc.text
    assert any(b.section == ("第一章 总则", "第一条") for b in doc.blocks if b.kind == "para")


def test_html_main_text_without_navigation(tmp_path):
    nav = "".join(f"<li><a href='/{i}'>导航链接{i}</a></li>" for i in range(12))
    body = "".join(
        f"<p>第{i}段：自治区科技厅会同财政厅推进科技成果转化工作，全年安排专项资金{i}亿元，支持重点项目建设。</p>"
        for i in range(1, 6)
    )
    html = (
        "<html><head><title>科技厅工作动态</title></head><body>"
        f"<nav><ul>{nav}</ul></nav><header>网站首页 | 机构设置 | 联系我们</header>"
        f"<article><h1>科技厅工作动态</h1>{body}</article><footer>版权所有 ICP备案</footer></body></html>"
    )
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    doc = load_corpus(tmp_path).documents[0]
    assert "全年安排专项资金3亿元" in doc.text
    assert "导航链接" not in doc.text and "版权所有" not in doc.text


def test_jsonl_documents_with_metadata(tmp_path):
    lines = [
        {
            "id": "a",
            "title": "文件甲",
            "text": "新政发〔2018〕44号\n各地州市人民政府：现将有关事项通知如下。",
            "issuer": "自治区人民政府",
        },
        {"id": "b", "title": "文件乙", "text": "   "},
        "not json",
    ]
    (tmp_path / "docs.jsonl").write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x for x in lines),
        encoding="utf-8",
    )
    docs = load_corpus(tmp_path).documents
    assert [d.doc_id for d in docs] == ["a"]
    assert docs[0].metadata["issuer"] == "自治区人民政府"
    assert docs[0].metadata["doc_number"] == "新政发〔2018〕44号"


def test_metadata_detected_from_signature(tmp_path):
    raw = "关于印发某办法的通知\n\n科发政〔2019〕12号\n\n各有关单位：\n现印发给你们，请遵照执行。\n\n科技部\n2019年3月5日\n"
    (tmp_path / "n.txt").write_text(raw, encoding="utf-8")
    doc = load_corpus(tmp_path).documents[0]
    assert doc.metadata["doc_number"] == "科发政〔2019〕12号"
    assert doc.metadata["date"] == "2019-03-05" and doc.metadata["year"] == 2019
    assert doc.metadata["issuer"] == "科技部"


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(IngestError, match="corpus folder not found"):
        load_corpus(tmp_path / "nope")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["gov-work-reports", "tech-policy-central-shandong"])
def test_shared_corpora_load_and_chunk(name, capsys):
    from policyqa.corpus.chunk import chunk_corpus

    folder = needs_shared(name, "docs")
    t0 = time.perf_counter()
    corpus = load_corpus(folder)
    chunks = chunk_corpus(corpus.documents)
    seconds = time.perf_counter() - t0
    assert len(corpus.documents) >= 80 and not corpus.problems
    for doc in corpus.documents:
        for b in doc.blocks:
            assert doc.text[b.start : b.end] == b.text
    by_id = {d.doc_id: d for d in corpus.documents}
    assert all(by_id[c.doc_id].text[c.start : c.end] == c.text for c in chunks)
    with capsys.disabled():
        chars = sum(len(d.text) for d in corpus.documents)
        print(f"\n{name}: {len(corpus.documents)} docs, {chars} chars, {len(chunks)} chunks, {seconds:.1f}s")


def test_cited_document_numbers_are_not_the_documents_own(demo_doc):
    assert (
        "doc_number" not in demo_doc.metadata
    )  # the report cites 新政发〔2018〕44号 but has no number itself


def test_links_leading_outside_the_corpus_are_refused_with_a_reason(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("机密内容：不得外传的口令。", encoding="utf-8")
    (corpus / "inside.txt").write_text(
        "关于科技创新的通知\n\n一、目标\n研发投入达到100亿元。\n", encoding="utf-8"
    )
    (corpus / "alias.txt").symlink_to(corpus / "inside.txt")  # a link inside the corpus is fine
    (corpus / "secret.txt").symlink_to(outside / "secret.txt")
    (corpus / "host.txt").symlink_to("/etc/hostname")
    (corpus / "sub").symlink_to(outside, target_is_directory=True)
    result = load_corpus(corpus)
    assert sorted(d.doc_id for d in result.documents) == ["alias", "inside"]
    refused = {p.source: p.reason for p in result.problems}
    assert set(refused) == {"secret.txt", "host.txt", "sub"}
    assert all("outside the corpus" in r and "POLICYQA_FOLLOW_SYMLINKS" in r for r in refused.values())
    allowed = load_corpus(corpus, follow_symlinks=True)
    assert {"secret", "sub/secret"} <= {d.doc_id for d in allowed.documents}


def test_a_sidecar_claiming_another_documents_id_stops_the_build(tmp_path, fake_settings):
    from policyqa.index.build import build_index
    from policyqa.index.store import load_index
    from policyqa.models.embed import FakeEmbedder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text("真正的报告\n\n一、内容\n投资总额1746亿元。\n", encoding="utf-8")
    fake_settings.corpus_dir = corpus
    build_index(fake_settings, FakeEmbedder(64))
    (corpus / "impostor.txt").write_text("冒名的文件\n\n一、内容\n投资总额9999亿元。\n", encoding="utf-8")
    (corpus / "impostor.txt.meta.json").write_text('{"id": "report"}', encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        build_index(fake_settings, FakeEmbedder(64))
    assert "report.txt" in str(caught.value) and "impostor.txt" in str(caught.value)
    kept = load_index(fake_settings.index_dir)
    assert [c.text for c in kept.chunks if "亿元" in c.text] == ["投资总额1746亿元。"]


@pytest.mark.parametrize("sidecar", ['["not", "an", "object"]', '{"id": 5}', '{"title": ""}', "{broken"])
def test_bad_sidecars_are_reported_not_trusted(tmp_path, sidecar):
    (tmp_path / "a.txt").write_text("标题\n\n正文内容。\n", encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text(sidecar, encoding="utf-8")
    result = load_corpus(tmp_path)
    assert not result.documents and "a.txt.meta.json" in result.problems[0].reason
