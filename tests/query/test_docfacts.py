"""What an index version knows of each document: facts, series of versions, text read by offset, titles named."""

from policyqa.corpus.chunk import Chunk
from policyqa.query.docfacts import Documents

KINDS = ("条例", "报告", "法")


def documents_of(docs: dict[str, tuple]) -> Documents:
    """``docs``: id → (title, year, region, where the title came from, text); the kind ends the title."""
    documents = {
        d: {
            "title": t,
            "metadata": {"year": y, "region": r, "kind": next((k for k in KINDS if t.endswith(k)), "")},
            "metadata_sources": {"title": src},
            "text": text,
        }
        for d, (t, y, r, src, text) in docs.items()
    }
    chunks = [Chunk(f"{d}#0", d, t, [], text, 0, len(text)) for d, (t, *_r, text) in docs.items()]
    return Documents(chunks, documents)


def test_a_series_is_one_title_of_one_region_over_several_years():
    docs = documents_of(
        {
            "cn-2023": ("政府工作报告", 2023, "", "text:title line", "政府工作报告"),
            "cn-2024": ("2024年政府工作报告", 2024, "", "text:title line", "2024年政府工作报告"),
            "bj-2025": (
                "政府工作报告",
                2025,
                "北京",
                "text:title line",
                "北京",
            ),  # Beijing's, not the country's
            "sh-2010": ("上海市科学技术进步条例", 2010, "上海", "text:title line", "上海"),
            "bj-2024": ("北京市科学技术进步条例", 2024, "北京", "text:title line", "北京"),
            "n-1": (
                "为加快推动人工智能应用",
                2022,
                "",
                "text:first sentence",
                "为加快",
            ),  # no title of its own
            "n-2": ("为加快推动人工智能应用", 2023, "", "text:first sentence", "为加快"),
        }
    )
    assert docs.superseded == {"cn-2023"}
    assert docs.versions_compete(["cn-2023", "bj-2025", "cn-2024"])
    assert not docs.versions_compete(["cn-2023", "bj-2025", "sh-2010", "bj-2024", "n-1", "n-2"])
    assert docs.untitled == {"n-1", "n-2"}


def test_a_document_without_a_title_line_is_known_by_the_sentence_its_title_was_cut_from():
    notice = "为加快推动人工智能应用，助力稳经济，现启动示范应用场景工作。各单位按要求申报。"
    docs = documents_of(
        {
            "notice": ("为加快推动人工智能应用…", 2022, "", "text:first sentence", notice),
            "law": (
                "中华人民共和国专利法",
                2020,
                "",
                "text:title line",
                "第一条 为了保护专利权人的合法权益。",
            ),
        }
    )
    assert docs.opening("notice") == "为加快推动人工智能应用，助力稳经济，现启动示范应用场景工作"
    assert docs.opening("law") == "中华人民共和国专利法"
    assert docs.text("law").startswith("第一条") and docs.text("unknown") == ""
    assert docs.doc("unknown").year is None and docs.doc("law").covers(2020)


def test_a_question_names_documents_by_title_and_a_yearly_report_by_its_year():
    docs = documents_of(
        {
            "sh": ("上海市科学技术进步条例", 2010, "上海", "text:title line", "第一条"),
            "gwr-2023": ("政府工作报告", 2023, "", "text:title line", "各位代表"),
            "gwr-2024": ("政府工作报告", 2024, "", "text:title line", "各位代表"),
        }
    )
    ids, names = docs.named_documents("上海市科学技术进步条例规定的研发投入比例是多少？")
    assert ids == ["sh"] and names == ["上海市科学技术进步条例"]
    # Every yearly report is named by "政府工作报告": the year named picks one later (scope.py).
    assert docs.named_documents("2023年政府工作报告提出的增长目标是多少？")[0] == ["gwr-2023", "gwr-2024"]
    assert docs.named_documents("今年的经济增长目标是多少？") == ([], [])
    # A year and a kind alone name a document of a kind issued once a year ("2013年报告"), not the one
    # dated document whose title ends so: "数字中国那份2022年的发展报告" is no 2018 科技发展报告.
    assert docs.named_documents("2023年报告提出的增长目标是多少？")[0] == ["gwr-2023", "gwr-2024"]
    single = documents_of({"xj": ("新疆科技发展报告", 2018, "新疆", "text:title line", "一、")})
    assert single.named_documents("数字中国那份2022年的发展报告里，算力多大？") == ([], [])
