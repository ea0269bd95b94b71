"""Uploads: names made safe or refused, types read from the bytes, a trial ingest before the corpus sees
anything, and a link into the corpus that never replaces or follows what is there."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from policyqa.corpus import remove as corpus_remove
from policyqa.corpus import upload
from policyqa.errors import IngestError, InputError, NotFoundError


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("通知.docx", "通知.docx"),
        ("  关于印发《实施方案》的通知.PDF ", "关于印发《实施方案》的通知.pdf"),
        ("report 2024 (final).txt", "report 2024 (final).txt"),
        ("a|b*c?.md", "a_b_c.md"),  # trailing "_" trimmed
        ("x" * 300 + ".txt", "x" * upload.MAX_NAME_CHARS + ".txt"),
    ],
)
def test_safe_names(raw, safe):
    assert upload.safe_name(raw) == safe


@pytest.mark.parametrize(
    "raw, needle",
    [
        ("../etc/passwd.txt", "path"),
        ("..\\..\\boot.ini.txt", "path"),
        ("/etc/hosts.txt", "path"),
        ("C:evil.txt", "path"),
        ("sub/dir.txt", "path"),
        (".hidden.txt", "hidden"),
        ("..", "hidden"),
        ("a\x00b.txt", "control"),
        ("notes.exe", "unsupported"),
        ("noext", "unsupported"),
        ("x.txt.meta.json", "unsupported"),
        ("README.md", "reserved"),
        ("___.txt", "no usable"),
        ("", "no file name"),
        (None, "no file name"),
    ],
)
def test_unsafe_names_are_refused(raw, needle):
    with pytest.raises(InputError, match=needle):
        upload.safe_name(raw)


def test_the_type_is_read_from_the_bytes():
    good = docx_bytes("正文")
    assert upload.sniff(good) == "docx"
    assert upload.sniff(b"%PDF-1.7\n...") == "pdf"
    assert upload.sniff("中文文本".encode("gb18030")) == "text"
    assert upload.sniff(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64) == "png"
    assert upload.sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512) == "ole"
    assert upload.sniff(good[: len(good) // 2]) == "broken-zip"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("a.txt", "x")
    assert upload.sniff(plain_zip.getvalue()) == "zip"
    upload.check_type(good, "a.docx")
    with pytest.raises(InputError, match="png"):
        upload.check_type(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "a.docx")
    with pytest.raises(InputError, match="另存为 .docx"):
        upload.check_type(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "a.docx")
    with pytest.raises(InputError, match="not pdf"):
        upload.check_type(good, "a.pdf")  # a DOCX renamed to .pdf
    with pytest.raises(InputError, match="not text"):
        upload.check_type(good, "a.txt")


def test_a_zip_bomb_posing_as_docx_is_refused(monkeypatch):
    monkeypatch.setattr(upload, "MAX_DOCX_UNPACKED", 1000)
    with pytest.raises(InputError, match="expands"):
        upload.sniff(docx_bytes("很长的正文" * 500))


def test_stage_ingests_alone_and_commit_links_into_the_corpus(corpus_copy):
    staged = upload.stage(
        docx_bytes("关于量子专项的通知", "量子专项资金5.8亿元。"), "量子.docx", corpus_copy, 300, 60
    )
    assert staged.documents == [
        {
            "doc_id": "量子",
            "title": "关于量子专项的通知",
            "chars": staged.documents[0]["chars"],
            "passages": 1,
        }
    ]
    assert not (corpus_copy / "量子.docx").exists()  # nothing in the corpus before the commit
    target = upload.commit(staged, corpus_copy)
    assert target == corpus_copy / "量子.docx" and target.is_file()
    assert not (corpus_copy / upload.STAGING).exists()  # the staging folder is gone


def test_a_file_that_does_not_parse_never_reaches_the_corpus(corpus_copy):
    before = sorted(p.name for p in corpus_copy.iterdir())
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<<< not xml")
    with pytest.raises(IngestError, match="无法解析.*坏.docx: unreadable DOCX"):
        upload.stage(broken.getvalue(), "坏.docx", corpus_copy, 300, 60)
    with pytest.raises(IngestError, match="无法解析"):
        upload.stage(b"%PDF-1.4 this is not a pdf", "坏.pdf", corpus_copy, 300, 60)
    with pytest.raises(InputError, match="empty"):
        upload.stage(b"", "空.txt", corpus_copy, 300, 60)
    assert sorted(p.name for p in corpus_copy.iterdir()) == before


def test_commit_never_replaces_nor_follows_what_is_there(corpus_copy, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("不可改写", encoding="utf-8")
    (corpus_copy / "链接.txt").symlink_to(outside)
    staged = upload.stage("新的正文内容，用于测试。".encode(), "链接.txt", corpus_copy, 300, 60)
    with pytest.raises(upload.UploadConflict):
        upload.commit(staged, corpus_copy)
    assert outside.read_text(encoding="utf-8") == "不可改写" and (corpus_copy / "链接.txt").is_symlink()
    existing = next(p.name for p in corpus_copy.iterdir() if p.suffix == ".txt" and not p.is_symlink())
    staged = upload.stage("另一份正文内容。".encode(), existing, corpus_copy, 300, 60)
    with pytest.raises(upload.UploadConflict):
        upload.commit(staged, corpus_copy)


def test_a_planted_staging_link_is_refused(corpus_copy, tmp_path):
    (corpus_copy / upload.STAGING).symlink_to(tmp_path)
    with pytest.raises(Exception, match="symbolic link"):
        upload.stage("正文内容。".encode(), "a.txt", corpus_copy, 300, 60)
    assert not list(tmp_path.glob("*/a.txt"))


def test_remove_moves_file_and_sidecar_and_restores_them(corpus_copy):
    source = next(p.name for p in corpus_copy.iterdir() if p.suffix == ".txt")
    sidecar = corpus_copy / (source + ".meta.json")
    assert sidecar.exists()
    removal = corpus_remove.remove(corpus_copy, source)
    assert not (corpus_copy / source).exists() and not sidecar.exists()
    removal.restore()
    assert (corpus_copy / source).exists() and sidecar.exists()
    assert not (corpus_copy / corpus_remove.TRASH).exists()
    corpus_remove.remove(corpus_copy, source).purge()
    assert not (corpus_copy / source).exists() and not (corpus_copy / corpus_remove.TRASH).exists()


@pytest.mark.parametrize(
    "source, error",
    [
        ("laws.jsonl#3", upload.UploadConflict),
        ("../outside.txt", InputError),
        ("/etc/passwd", InputError),
        (".trash/x.txt", InputError),
        ("gone.txt", NotFoundError),
    ],
)
def test_remove_refuses_sources_that_are_not_a_corpus_file(corpus_copy, source, error):
    with pytest.raises(error):
        corpus_remove.source_file(corpus_copy, source)


def test_hard_links_unavailable_fall_back_to_an_exclusive_create(corpus_copy, monkeypatch):
    def no_links(src, dst):
        raise PermissionError("no hard links here")

    monkeypatch.setattr(os, "link", no_links)
    staged = upload.stage("正文内容，第二种写法。".encode(), "b.txt", corpus_copy, 300, 60)
    assert upload.commit(staged, corpus_copy).read_text(encoding="utf-8") == "正文内容，第二种写法。"


def test_an_unwritable_corpus_is_a_clear_error(tmp_path):
    not_a_folder = tmp_path / "corpus"
    not_a_folder.write_text("x", encoding="utf-8")
    with pytest.raises(upload.CorpusNotWritable, match="cannot write"):
        upload.stage("正文内容。".encode(), "a.txt", not_a_folder, 300, 60)


def test_stale_staged_uploads_are_cleared_and_fresh_ones_kept(corpus_copy):
    staging = corpus_copy / upload.STAGING
    old, fresh = staging / "old", staging / "fresh"
    for folder in (old, fresh):
        folder.mkdir(parents=True)
        (folder / "a.txt").write_text("x", encoding="utf-8")
    os.utime(old, (0, 0))
    upload.clear_stale(corpus_copy)
    assert not old.exists() and fresh.exists()
