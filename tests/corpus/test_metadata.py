"""Document metadata found at ingest: title, year, date, issuer, number, region, kind, period, each with
its source; a sidecar beats the text, the text beats the file name; metadata edits re-embed nothing."""

import json
import re

from policyqa.corpus.ingest import load_corpus
from policyqa.index.build import build_index
from policyqa.models.embed import FakeEmbedder
from policyqa.text.dates import FIVE_YEAR_PLAN, cn_numeral, five_year_plan, named_years, npc_session_year

from ..conftest import needs_shared


def one(tmp_path, text: str, name: str = "doc.txt", sidecar: dict | None = None):
    (tmp_path / name).write_text(text, encoding="utf-8")
    if sidecar is not None:
        (tmp_path / f"{name}.meta.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    docs = load_corpus(tmp_path).documents
    assert len(docs) == 1
    return docs[0]


def test_dates_and_periods():
    assert npc_session_year("十四", "一") == 2023 and npc_session_year("十", "五") == 2007
    assert npc_session_year("一", "三") == 1956 and npc_session_year("三", "一") is None
    assert five_year_plan(FIVE_YEAR_PLAN.search("“十四五”规划"))[:2] == (2021, 2025)
    assert five_year_plan(FIVE_YEAR_PLAN.search("十三五时期"))[:2] == (2016, 2020)
    # Unquoted, as officials type it, from 十一五 on; 十五 and 九五 alone are also plain numbers.
    assert five_year_plan(FIVE_YEAR_PLAN.search("十一五那五年能耗降了多少"))[:2] == (2006, 2010)
    assert five_year_plan(FIVE_YEAR_PLAN.search("到十二五末"))[:2] == (2011, 2015)
    for number in ("二十一五", "十五年", "第一百十一五条", "十一五个", "九五至尊"):
        assert FIVE_YEAR_PLAN.search(number) is None, number
    assert cn_numeral(13) == "十三" and cn_numeral(20) == "二十" and cn_numeral(7) == "七"
    assert named_years("2018～2020年和2023年") == [2018, 2019, 2020, 2023]
    # A question names an NPC session the way officials write it; the standing committee meets many times.
    assert named_years("十三届全国人大五次会议通过的决议") == [2022]
    assert named_years("第十四届全国人民代表大会第三次会议") == [2025]
    assert named_years("十三届全国人大常委会第五次会议") == []


def test_law_header_gives_latest_revision_enactment_issuer_and_region(tmp_path):
    text = (
        "# 上海市科学技术进步条例\n\n1996年6月20日 上海市第十届人民代表大会常务委员会第二十八次会议通过\n\n"
        "2024年5月10日 上海市第十六届人民代表大会常务委员会第十三次会议第二次修订\n\n本条例自2024年7月1日起施行。\n\n"
        "<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了促进科学技术进步，制定本条例。\n"
    )
    doc = one(tmp_path, text)
    m, src = doc.metadata, doc.metadata_sources
    assert doc.title == "上海市科学技术进步条例" and src["title"] == "text:title line"
    assert (
        m["date"] == "2024-05-10" and m["year"] == 2024 and m["enacted"] == "1996-06-20"
    )  # not the 施行 date
    assert (
        m["issuer"] == "上海市人民代表大会常务委员会" and m["region"] == "上海" and m["level"] == "province"
    )
    assert m["kind"] == "条例" and src["date"] == "text:adoption/revision line"


def test_report_opening_names_title_and_year(tmp_path):
    text = "各位代表：\n\n现在，我代表国务院，向大会报告政府工作，请予审议。\n\n一、2018年工作回顾\n\n过去一年，经济运行保持在合理区间。\n"
    doc = one(tmp_path, text, "report.txt")
    assert doc.title == "2019年政府工作报告" and doc.metadata["year"] == 2019
    assert doc.metadata["issuer"] == "国务院" and doc.metadata["kind"] == "报告"
    assert "review of the previous year" in doc.metadata_sources["year"]


def test_resolution_and_notice_and_plan(tmp_path):
    res = one(
        tmp_path,
        "第十四届全国人民代表大会第二次会议听取和审议了国务院总理李强所作的政府工作报告。会议同意。\n",
    )
    assert (
        res.title == "第十四届全国人民代表大会第二次会议关于政府工作报告的决议"
        and res.metadata["year"] == 2024
    )
    (tmp_path / "doc.txt").unlink()
    notice = one(
        tmp_path,
        "科技部关于支持建设新一代人工智能示范应用场景的通知\n\n国科发规〔2022〕228号\n\n各有关单位：\n现印发给你们。\n\n科技部\n2022年8月12日\n",
    )
    assert (
        notice.metadata["doc_number"] == "国科发规〔2022〕228号" and notice.metadata["date"] == "2022-08-12"
    )
    assert (
        notice.metadata["issuer"] == "科技部"
        and notice.metadata["kind"] == "通知"
        and notice.metadata["level"] == "central"
    )
    (tmp_path / "doc.txt").unlink()
    plan = one(tmp_path, "山东省“十四五”科技创新规划\n\n为深入实施创新驱动发展战略，制定本规划。\n")
    assert (
        plan.metadata["period"] == [2021, 2025]
        and plan.metadata["region"] == "山东"
        and plan.metadata["kind"] == "规划"
    )


def test_sidecar_beats_text_and_values_are_normalised(tmp_path):
    doc = one(
        tmp_path,
        "关于某事项的通知\n\n各单位：\n请遵照执行。\n\n科技部\n2019年3月5日\n",
        sidecar={"title": "科技部关于某事项的通知（修订版）", "year": "2020", "date": "2020年1月2日"},
    )
    assert doc.title == "科技部关于某事项的通知（修订版）" and doc.metadata_sources["title"] == "sidecar"
    assert doc.metadata["year"] == 2020 and doc.metadata["date"] == "2020-01-02"
    assert doc.metadata["issuer"] == "科技部" and doc.metadata_sources["issuer"] == "text:signature"
    assert doc.text_title == "关于某事项的通知"  # what passages are embedded with


def test_file_name_is_the_last_resort(tmp_path):
    doc = one(tmp_path, "各位代表：\n\n报告政府工作如下。\n\n同志们要代表国务院努力工作。\n", "gwr-2016.txt")
    assert doc.metadata["year"] == 2016 and doc.metadata_sources["year"] == "file name"
    (tmp_path / "gwr-2016.txt").unlink()
    bare = one(tmp_path, "12345", "x-77.txt")
    assert bare.title == "x-77" and bare.metadata_sources["title"] == "file name"


def test_changing_a_sidecar_title_re_embeds_no_passage(tmp_path, fake_settings, corpus_copy):
    fake_settings.corpus_dir = corpus_copy
    embedder = FakeEmbedder(64)
    build_index(fake_settings, embedder)
    side = corpus_copy / "2018-xinjiang-sci-tech-report.txt.meta.json"
    meta = json.loads(side.read_text(encoding="utf-8"))
    meta.update(title="新疆科技发展报告（2018年，修订标题）", issuer="新疆维吾尔自治区科学技术厅")
    side.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    report = build_index(fake_settings, embedder)
    assert (
        report.changed == ["2018-xinjiang-sci-tech-report"] and report.embedded == 0 and not report.unchanged
    )


def test_ingest_json_shows_every_field_with_its_source(tmp_path):
    import os
    import subprocess
    import sys

    from ..conftest import ROOT

    (tmp_path / "law.txt").write_text(
        "# 北京市技术市场条例\n\n2016年11月25日 北京市第十四届人民代表大会常务委员会第三十一次会议通过\n\n## 第一章 总则\n\n第一条 为了规范技术市场，制定本条例。\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "policyqa", "ingest", "--corpus", str(tmp_path), "--json"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "POLICYQA_MODEL": "fake-64"},
    )  # fmt: skip
    doc = json.loads(out.stdout)["documents"][0]
    assert doc["title"] == "北京市技术市场条例" and doc["metadata"]["year"] == 2016
    assert set(doc["metadata_sources"]) >= {"title", "year", "date", "issuer", "region", "kind"}


def _names_the_document(index_row: dict, doc) -> bool:
    """A title is right when it names the same document: same text, or the same year's report, the
    same NPC session's resolution, the same party congress."""

    def norm(t: str) -> str:
        t = re.sub(r"[\s　]", "", t).replace("中华人民共和国国务院", "")
        return re.sub(r"[（(][^）)]*[）)]$", "", t)

    want, got = norm(index_row["title"]), norm(doc.title)
    if want == got or (len(got) >= 4 and (got in want or want in got)):
        return True
    congress = re.search(r"\((\S+)大\)", index_row["title"]) or re.search(
        r"第(\S+?)次全国代表大会", index_row["title"]
    )
    return bool(congress) and f"第{congress.group(1)}次全国代表大会" in doc.title


def test_government_work_reports_get_title_and_year_from_their_text():
    """≥ 95% of ../shared/data/gov-work-reports (index.jsonl read only to compare), no sidecars."""
    root = needs_shared("gov-work-reports")
    lines = (root / "index.jsonl").read_text(encoding="utf-8").splitlines()
    index = {json.loads(line)["file"].split("/")[-1][:-4]: json.loads(line) for line in lines}
    docs = {d.doc_id: d for d in load_corpus(root / "docs").documents}
    right = [
        k
        for k, row in index.items()
        if _names_the_document(row, docs[k])
        and (row.get("year") is None or docs[k].metadata.get("year") == int(row["year"]))
    ]
    assert len(right) / len(index) >= 0.95, sorted(set(index) - set(right))
    reports = [k for k in index if re.fullmatch(r"gwr-\d{4}", k)]
    assert all(docs[k].title == f"{k[4:]}年政府工作报告" for k in reports if k in right)
    assert all(
        docs[k].metadata_sources["year"] != "file name"
        for k in reports
        if int(k[4:]) >= 2000 and k != "gwr-2001"
    )
