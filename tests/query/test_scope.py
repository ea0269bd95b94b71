"""Questions scoped by year, region and named document; API filters; labelled, unmixed answers."""

import numpy as np
import pytest

from policyqa.errors import InputError
from policyqa.query.analysis import QueryAnalysis
from policyqa.query.answer import LATEST_NOTE
from policyqa.query.filters import Filters
from policyqa.query.naming import naming_phrase
from policyqa.query.sentences import content_years, naming_words, overlap, tells_result
from policyqa.query.years import baseline_years, sentence_years, stated_years

from ..conftest import build_fake_engine, candidates, fake_engine_over

REPORT = """各位代表：

现在，我代表国务院，向大会报告政府工作，请予审议。

一、{prev}年工作回顾

过去一年，国内生产总值增长{grown}，城镇新增就业{jobs}万人。

粮食产量{grain}万亿斤，创历史新高。

二、{year}年经济社会发展总体要求

今年发展主要预期目标是：国内生产总值增长{target}左右，城镇新增就业{jobs_target}万人以上，赤字率拟按{deficit}左右安排。

粮食产量要保持在{grain_target}万亿斤以上，地方专项债券比上年增加{bonds}亿元。
"""
# The review's grain sentence states no year: its heading says which year it is about.
REPORTS = {
    2022: dict(grown="8.1%", jobs="1269", target="5.5%", jobs_target="1100", deficit="2.8%",
               grain="1.37", grain_target="1.30", bonds="500"),
    2023: dict(grown="3%", jobs="1206", target="5%", jobs_target="1200", deficit="3%",
               grain="1.39", grain_target="1.31", bonds="600"),
    2024: dict(grown="5.2%", jobs="1244", target="5.0%", jobs_target="1250", deficit="3.1%",
               grain="1.41", grain_target="1.32", bonds="700"),
}  # fmt: skip
REGULATION = """# 上海市科学技术进步条例

{date} 上海市人民代表大会常务委员会会议通过

## 第一章 总则

第一条 为了促进科学技术进步，制定本条例。

第二条 全社会研究开发经费应当占本市生产总值的{share}以上。

第三条 本条例自{effective}起施行。
"""


def write_reports(corpus):
    """The three reports, 2022–2024 (report-a … report-c)."""
    for year, values in REPORTS.items():
        text = REPORT.format(year=year, prev=year - 1, **values)
        (corpus / f"report-{chr(ord('a') + year - 2022)}.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("scoped")
    corpus = root / "corpus"
    corpus.mkdir()
    write_reports(corpus)
    for name, date, share, effective in (
        ("old", "2010年9月17日", "百分之二点五", "2010年11月1日"),
        ("new", "2024年11月28日", "百分之四", "2025年1月1日"),  # in force the year after
    ):
        text = REGULATION.format(date=date, share=share, effective=effective)
        (corpus / f"sh-{name}.txt").write_text(text, encoding="utf-8")
    return build_fake_engine(corpus, root, abstain_threshold=0.05)


def test_relative_years_resolve_against_the_document():
    assert stated_years("今年目标是增长5%", 2023) == {2023}
    assert stated_years("过去一年，经济增长3%", 2023) == {2022}
    assert stated_years("过去五年，累计增长", 2023) == {2018, 2019, 2020, 2021, 2022}
    assert stated_years("一、一年来工作回顾", 2004) == {2003}  # the 2004 report's review heading
    assert stated_years("十一年来", 2004) == frozenset()
    # A level reached "by now" is the document's year's: the year it started from is not what it reports.
    assert 2013 in stated_years("基本养老金从2004年人均每月700元提高到现在的1721元", 2013)
    assert stated_years("至今已建成32个示范区", 2018) == {2018}
    assert stated_years("从2004年起实行", 2013) == {2004}
    # A question looking back with the report it names: "2003年报告回顾那五年" is 1998–2002.
    assert stated_years("回顾那五年，农村贫困人口减少了多少", 2003) == {1998, 1999, 2000, 2001, 2002}
    assert stated_years("回顾前五年，水利上一共投了多少钱", 2003) == {1998, 1999, 2000, 2001, 2002}
    assert stated_years("前五年城镇加起来新增了多少就业", 2018) == {2013, 2014, 2015, 2016, 2017}
    assert stated_years("技术改造投资2.66万亿元，比前五年增长67%", 2003) == frozenset()  # a baseline
    # A review's sentence opening on 五年 totals them; the years it is measured against are no subject.
    total = "五年全国水利建设投资3562亿元，扣除价格变动因素，相当于1950年到1997年全国水利建设投资的总和。"
    assert sentence_years(total, 2003) == {1998, 1999, 2000, 2001, 2002}
    assert stated_years("五年内建成100个示范区", 2021) == frozenset()
    assert stated_years("五年城镇新增就业目标4500万人", 2011) == frozenset()  # a plan's five years
    assert stated_years("“十五”那五年经济增长多快", 2001) == frozenset()  # the plan's five years
    assert stated_years("2019年以来", None) == {2019}
    # A year named only as the baseline of a comparison is not the year the sentence reports on.
    assert stated_years("今年安排地方专项债券1.35万亿元，比去年增加5500亿元", 2018) == {2018}
    assert stated_years("国内生产总值比上年增长9.1%", 2004) == frozenset()
    assert stated_years("与2012年相比，研发投入翻了一番", 2018) == frozenset()
    assert stated_years("去年比前年增长5%", 2018) == {2017}
    # A title quoted in 《》 names a document; its years are not what the sentence reports on.
    assert stated_years("编制完成了《总体实施方案（2018～2020年）》，确立重大项目126项", 2018) == frozenset()
    assert sentence_years("2019年，按照《规划（2016—2020年）》完成了任务", 2019) == {2019}


def test_titles_and_years_come_from_the_reports(engine):
    titles = {d["doc_id"]: (d["title"], d["metadata"].get("year")) for d in engine.index.documents.values()}
    assert titles["report-a"] == ("2022年政府工作报告", 2022) and titles["report-c"] == (
        "2024年政府工作报告",
        2024,
    )
    assert titles["sh-old"][1] == 2010 and titles["sh-new"][1] == 2024


def test_a_named_year_is_answered_from_that_years_report_only(engine):
    for year, values in REPORTS.items():
        answer = engine.ask(f"{year}年的赤字率定为多少？")
        assert not answer.abstained, answer.reasons
        assert f"赤字率拟按{values['deficit']}左右安排" in answer.answer
        assert {c.doc_id for c in answer.citations} == {f"report-{chr(ord('a') + year - 2022)}"}
        assert f"【{year}年政府工作报告】" in answer.answer  # every quote says where it is from
        others = [v["deficit"] for y, v in REPORTS.items() if y != year]
        assert not any(f"赤字率拟按{d}" in answer.answer for d in others)


def test_follow_up_keeps_the_question_and_changes_the_year(engine):
    answer = engine.ask("那2022年呢？", history=["2023年的赤字率定为多少？"])
    assert "2.8%" in answer.answer and {c.doc_id for c in answer.citations} == {"report-a"}


def test_what_happened_in_a_year_comes_from_the_next_years_review(engine):
    answer = engine.ask("2023年国内生产总值实际增长了多少？")
    assert "增长5.2%" in answer.answer and {c.doc_id for c in answer.citations} == {"report-c"}


def test_a_sentence_without_a_year_speaks_of_its_headings_year(engine):
    # The 2023 report's review "粮食产量1.39万亿斤" is 2022's harvest; the 2022 report's own review
    # (1.37, the 2021 harvest) and its plan for 2022 (保持在1.30以上) do not answer.
    outcome = engine.ask("2022年粮食产量实际达到多少？")
    assert "1.39万亿斤" in outcome.answer and {c.doc_id for c in outcome.citations} == {"report-b"}
    assert "1.37" not in outcome.answer and "1.30" not in outcome.answer
    plan = engine.ask("2022年粮食产量要保持在多少以上？")
    assert "1.30万亿斤" in plan.answer and {c.doc_id for c in plan.citations} == {"report-a"}
    assert "1.39" not in plan.answer


def test_a_years_own_report_does_not_tell_its_result():
    assert not tells_result("今年城镇新增就业1100万人以上", 2022)  # a plan
    assert not tells_result("城镇新增就业1269万人", 2022)  # the year comes from a heading or 今年
    assert tells_result("2022年全国技术合同成交额达到4.8万亿元", 2022)  # written out, no plan
    assert not tells_result("2022年全国技术合同成交额力争达到5万亿元", 2022)


def test_a_sentence_is_quoted_once_and_passages_about_other_years_are_skipped(engine):
    composer = engine.answerer.composer
    analysis = engine.analyze("2023年粮食产量实际达到多少？")
    hits = engine.retrieve(analysis, 10)
    found = composer.candidates(analysis, hits + hits)  # every passage twice: each sentence once
    texts = [h.chunk.text[s:e] for h, s, e, _, _ in found]
    assert len(texts) == len(set(texts))
    assert all(years & {2023} or not years for *_, years, _ in found)
    # The place among the passages that may answer, not the rank: the 2023 report's review of 2022
    # ranks above the 2024 report's review of 2023 and does not count.
    assert all(order <= hit.rank for hit, *_, order in found)
    review = next((hit, order) for hit, *_, order in found if hit.chunk.doc_id == "report-c")
    assert review[0].rank == 2 and review[1] == 1


def test_a_year_with_no_document_is_refused_explicitly(engine):
    answer = engine.ask("2020年政府工作报告提出的经济增长目标是多少？")
    assert answer.abstained and "资料中没有2020年" in answer.answer and not answer.citations
    assert answer.related  # other years' passages are offered, as such
    assert "其他年份" in answer.answer


def test_named_version_of_a_regulation(engine):
    new = engine.ask("2024年修订的上海市科学技术进步条例规定研发经费占生产总值多少？")
    old = engine.ask("2010年的上海市科学技术进步条例规定研发经费占生产总值多少？")
    assert "百分之四" in new.answer and {c.doc_id for c in new.citations} == {"sh-new"}
    assert "第二条 全社会研究开发经费" in new.answer  # cited by article; the quote is the sentence alone
    assert all(not c.quote.startswith("第二条") for c in new.citations)
    assert "百分之二点五" in old.answer and {c.doc_id for c in old.citations} == {"sh-old"}
    missing = engine.ask("2015年版上海市科学技术进步条例规定研发经费占多少？")
    assert missing.abstained and "2015年" in missing.answer
    first = engine.ask("2000年最初通过的上海市科学技术进步条例规定研发经费占多少？")  # no such version
    assert first.abstained and "2000年" in first.answer and not first.citations


def test_the_version_before_a_revision_is_an_earlier_one(engine):
    # "2024年修订以前的" is the 2010 version, not the 2024 one the year would otherwise pick.
    before = engine.ask("2024年修订以前的上海市科学技术进步条例规定研发经费占生产总值多少？")
    assert "百分之二点五" in before.answer and {c.doc_id for c in before.citations} == {"sh-old"}
    # Before the 2010 version there is none in the collection: refused, naming what is missing.
    none = engine.ask("2010年改之前的那版上海市科学技术进步条例规定研发经费占多少？")
    assert none.abstained and not none.citations and "2010年修订前的" in none.answer


def test_asked_without_a_year_the_latest_of_a_series_answers(engine):
    # The reports of 2022 and 2023 and the 2010 regulation have later versions of the same title.
    assert engine.scope_index.superseded == {"report-a", "report-b", "sh-old"}
    jobs = engine.ask("城镇新增就业目标是多少？")
    assert {c.doc_id for c in jobs.citations} == {"report-c"} and "1250万人" in jobs.answer
    assert jobs.answer.endswith(LATEST_NOTE)  # the reader is told why this year
    share = engine.ask("上海市科学技术进步条例规定研发经费应当占生产总值多少？")
    assert {c.doc_id for c in share.citations} == {"sh-new"} and "百分之四" in share.answer
    # A year named, in the question or in the filters, picks that year's document as before.
    named = engine.ask("2022年城镇新增就业目标是多少？")
    assert {c.doc_id for c in named.citations} == {"report-a"} and "1100万人" in named.answer
    assert LATEST_NOTE not in named.answer
    filtered = engine.ask("城镇新增就业目标是多少？", filters={"year": 2023})
    assert {c.doc_id for c in filtered.citations} == {"report-b"} and "1200万人" in filtered.answer
    old = engine.ask("2010年的上海市科学技术进步条例规定研发经费占生产总值多少？")
    assert "百分之二点五" in old.answer


def test_a_version_asked_by_its_age_is_an_earlier_one(engine):
    # "老版" asks the version before the one in force: not the latest, and not labelled as the latest.
    old = engine.ask("老版的上海市科学技术进步条例规定研发经费应当占生产总值多少？")
    assert {c.doc_id for c in old.citations} == {"sh-old"} and "百分之二点五" in old.answer
    assert LATEST_NOTE not in old.answer
    # A turn before that asked the one in force; this one asks the old; and then the new again.
    first = "现行的上海市科学技术进步条例规定研发经费应当占生产总值多少？"
    then = engine.ask("那原来那版规定的是多少？", history=[first])
    assert {c.doc_id for c in then.citations} == {"sh-old"}
    again = engine.ask("那新版呢？", history=[first, "那原来那版规定的是多少？"])
    assert {c.doc_id for c in again.citations} == {"sh-new"} and "百分之四" in again.answer


def test_a_year_asked_inside_a_named_document_must_be_spoken_of(engine):
    # The regulation names no target year: asked "到2030年", its share is no answer for 2030.
    target = engine.ask("2024年修订的上海市科学技术进步条例规定，到2030年研发经费应当占生产总值多少？")
    assert target.abstained and "资料未涉及2030年" in target.reasons
    # Without the year the same article answers …
    plain = engine.ask("2024年修订的上海市科学技术进步条例规定研发经费应当占生产总值多少？")
    assert not plain.abstained and "百分之四" in plain.answer
    # … and a named report's 过去一年 speaks of the year before it: the review answers for 2023.
    review = engine.ask("2024年政府工作报告说2023年城镇新增就业多少万人？")
    assert not review.abstained and "1244万人" in review.answer and not review.reasons


def test_words_naming_the_version_do_not_pick_the_sentence(engine):
    # The header line repeats the version's year and 修订; only 施行 says what is asked.
    analysis = engine.analyze("2024年第二次修订的上海市科学技术进步条例什么时候开始施行？")
    assert analysis.scope.naming == ["2024年第二次修订的上海市科学技术进步条例"]
    naming = naming_words(analysis.terms, analysis)
    assert "施行" not in naming and {"2024", "第二次", "修订", "上海市", "条例"} <= naming
    header, article = "2024年11月28日上海市人民代表大会常务委员会会议通过", "本条例自2025年1月1日起施行。"
    assert overlap(analysis.terms, header, naming) == 0 < overlap(analysis.terms, article, naming)
    assert overlap(analysis.terms, header) > 0  # without the naming words ignored, the header scored
    # The version's year picks the document; the sentence asked for may state another year.
    assert analysis.scope.version_years == [2024] and content_years(analysis) == set()
    answer = engine.ask("2024年第二次修订的上海市科学技术进步条例什么时候开始施行？")
    assert {c.doc_id for c in answer.citations} == {"sh-new"} and "2025年1月1日" in answer.answer
    # A year that names a yearly report is its content's year too.
    report = engine.analyze("2023年政府工作报告提出的赤字率是多少？")
    assert report.scope.version_years == [] and content_years(report) == {2023}
    # Unless the question asks about another year, as of a report looking back.
    review = engine.analyze("2023年政府工作报告说2022年的赤字率是多少？")
    assert review.scope.documents and content_years(review) == {2022}
    jobs = engine.ask("2024年政府工作报告说2023年城镇新增就业多少万人？")
    assert "1244万人" in jobs.answer and "1250万人" not in jobs.answer
    # Years counted from the report named: its 去年 is the year it looks back on, "比去年" a baseline.
    back = engine.analyze("2024年政府工作报告中去年城镇新增就业多少万人？")
    assert content_years(back) == {2023}
    assert content_years(engine.analyze("2024年政府工作报告中地方专项债券比去年增加多少？")) == {2024}
    # A five-year period the report named looks back on is what is asked, not the report's own year.
    period = engine.analyze("2024年的报告总结“十三五”，那五年里赤字率是多少？")
    assert content_years(period) == {2016, 2017, 2018, 2019, 2020}
    looked_back = engine.ask("2024年政府工作报告中去年城镇新增就业多少万人？")
    assert "1244万人" in looked_back.answer and "1250万人" not in looked_back.answer
    # Officials shorten the title to the year and kind: "2023年的工作报告", "2021年报告".
    short = engine.analyze("2023年的工作报告提出的赤字率是多少？")
    assert short.scope.documents == ["report-b"] and short.scope.naming == ["2023年的工作报告"]
    assert "赤字率拟按3%" in engine.ask("2023年的工作报告提出的赤字率是多少？").answer
    none = engine.ask("2021年报告提出的赤字率是多少？")
    assert none.abstained and "资料中没有2021年" in none.answer and not none.citations
    # A question that names no document keeps all its words.
    plain = engine.analyze("研究开发经费应当占生产总值多少？")
    assert naming_words(plain.terms, plain) == frozenset()


def test_naming_phrase_takes_the_version_year_with_the_name():
    assert naming_phrase("2024年修订的科学技术普及法把哪个月定为科普月？", "科学技术普及法", [2024]) == (
        "2024年修订的科学技术普及法"
    )
    assert (
        naming_phrase("专利法实施细则（2010年）第十条", "专利法实施细则", [2010])
        == "专利法实施细则（2010年）"
    )
    assert naming_phrase("科学技术普及法哪年修订？", "科学技术普及法", []) == "科学技术普及法"
    assert naming_phrase("2024年修订的那个科学技术普及法哪天施行？", "科学技术普及法", [2024]) == (
        "2024年修订的那个科学技术普及法"
    )


def test_comparison_pairs_the_figures_by_year(engine):
    answer = engine.ask("2022年和2024年的赤字率相比有什么变化？")
    assert not answer.abstained
    first, second = answer.answer.index("2.8%"), answer.answer.index("3.1%")
    assert first < second and {c.doc_id for c in answer.citations} == {"report-a", "report-c"}


def test_a_comparison_is_searched_once_per_year_and_the_runs_dealt_in_turn(engine):
    analysis = engine.analyze("2022年和2024年的赤字率相比有什么变化？")
    hits = engine.evidence(analysis, 5)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert len({h.chunk.chunk_id for h in hits}) == len(hits)
    years = [engine.scope_index.doc(h.chunk.doc_id).year for h in hits[:2]]
    assert years == [2022, 2024]  # each year's best passage first, in the order the years are named
    plain = engine.analyze("2023年的赤字率定为多少？")  # one year: one search, read ten deep
    assert [h.chunk.chunk_id for h in engine.evidence(plain, 5)] == [
        h.chunk.chunk_id for h in engine.retrieve(plain, 10)
    ]


def test_comparison_reads_on_until_every_year_named_has_its_figure(engine):
    # "哪年更高" asks which of the years, not for a date; three years need passages from three reports.
    analysis = engine.analyze("2022年、2023年和2024年的赤字率哪年最高？")
    assert analysis.mode == "compare" and analysis.figure.name == "percentage"
    answer = engine.ask("2022年、2023年和2024年的赤字率哪年最高？")
    assert not answer.abstained, answer.reasons
    found = [answer.answer.index(f"赤字率拟按{REPORTS[y]['deficit']}") for y in (2022, 2023, 2024)]
    assert found == sorted(found)


def test_filters_narrow_search_and_bad_filters_are_input_errors(engine):
    hits = engine.search("赤字率", 5, filters={"year": 2023})
    assert hits and {h.chunk.doc_id for h in hits} == {"report-b"}
    hits = engine.search("研究开发经费", 5, filters={"doc_ids": ["sh-old"]})
    assert {h.chunk.doc_id for h in hits} == {"sh-old"}
    refused = engine.ask("赤字率定为多少？", filters={"year": 2019})
    assert refused.abstained and "在所选范围" in refused.answer
    for bad in (
        {"yeer": 2023},
        {"year": "2023"},
        {"doc_ids": "sh-old"},
        {"doc_ids": ["nope"]},
        {"region": 5},
    ):
        with pytest.raises(InputError):
            engine.search("赤字率", 5, filters=bad)


def test_scope_rows_agree_with_a_brute_force_reading(engine):
    scopes = engine.scope_index
    rows, strength = scopes.match([2023], [])
    expected = [
        r
        for r, c in enumerate(engine.index.chunks)
        if scopes.doc(c.doc_id).year == 2023 or 2023 in scopes.years[r]
    ]
    assert list(rows) == expected and np.all(strength[rows] > 0)
    assert scopes.filtered(Filters()) is None


RESOLUTION = """第十四届全国人民代表大会第一次会议关于政府工作报告的决议

（2023年3月13日第十四届全国人民代表大会第一次会议通过）

第十四届全国人民代表大会第一次会议听取和审议了国务院总理李强所作的政府工作报告。会议充分肯定国务院过去五年的工作，同意报告提出的今年经济社会发展总体要求、主要目标和重点工作，决定批准这个报告。
"""


@pytest.fixture(scope="module")
def with_resolution(tmp_path_factory):
    root = tmp_path_factory.mktemp("resolution")
    corpus = root / "corpus"
    corpus.mkdir()
    write_reports(corpus)
    (corpus / "resolution.txt").write_text(RESOLUTION, encoding="utf-8")
    return build_fake_engine(corpus, root, abstain_threshold=0.05)


def test_a_resolution_is_named_by_the_report_it_approves_and_by_its_session(with_resolution):
    engine = with_resolution
    facts = engine.scope_index.doc("resolution")
    assert (facts.kind, facts.year) == ("决议", 2023)
    for question in (
        "批准2023年政府工作报告的人大决议是哪天通过的？",  # the report named, the resolution asked for
        "十四届全国人大一次会议关于政府工作报告的决议是哪天通过的？",  # the session names the year
        "2023年人大关于政府工作报告的决议是哪天通过的？",  # a year not written against the name
    ):
        analysis = engine.analyze(question)
        assert analysis.scope.documents == ["resolution"], question
        answer = engine.ask(question)
        assert {c.doc_id for c in answer.citations} == {"resolution"} and "2023年3月13日" in answer.answer
    # Asking for the report itself still picks the report.
    assert engine.analyze("2023年政府工作报告的赤字率是多少？").scope.documents == ["report-b"]
    missing = engine.ask("批准2020年政府工作报告的人大决议是哪天通过的？")
    assert missing.abstained and "2020年" in missing.answer


def lenient_answerer(engine):
    """An answer check that accepts every quote on its own: what is refused is refused by a veto."""
    from policyqa.query.answer import Answerer
    from policyqa.query.verify import FEATURES, Verifier

    everything = Verifier(
        {
            "features": list(FEATURES), "mean": [0.0] * len(FEATURES), "scale": [1.0] * len(FEATURES),
            "coef": [3.0 if f == "coverage" else 0.0 for f in FEATURES], "intercept": 1.0,
            "isotonic": {"x": [0.0, 1.0], "y": [0.0, 1.0]}, "threshold": 0.05,
        }
    )  # fmt: skip
    settings = engine.settings.model_copy(update={"answer_check": "learned", "abstain_threshold": 0.05})
    answerer = Answerer(engine.index, engine.embedder, settings, engine.scope_index, everything)

    def ask(question):
        analysis = engine.analyze(question)
        return answerer.answer(analysis, engine.evidence(analysis, 5))

    return ask


def test_a_day_asked_for_is_only_answered_by_a_quote_that_writes_one(engine):
    # With the learned check a missing figure is a feature, not a veto, except for the kinds a quote
    # either writes out or does not answer: a day, a document number.
    ask = lenient_answerer(engine)
    shows = engine.analyze("哪天通过的？").figure.shows
    assert all(shows.search(d) for d in ("3月11日", "十一日", "七月初十", "七月十五")) and not shows.search(
        "3月"
    )
    day = ask("2023年的发展主要预期目标是哪天定下的？")
    assert day.abstained and "引文中没有所问的数据" in day.reasons
    when = ask("2023年的发展主要预期目标是什么时候定下的？")  # a time in general: a feature only
    assert not when.abstained and "今年发展主要预期目标" in when.answer


def test_a_figure_asked_with_its_unit_or_a_person_asked_by_role_needs_a_quote_that_writes_one(engine):
    ask = lenient_answerer(engine)
    # "多少户": the reports count new jobs in 万人, never in households; "是多少" alone leaves the
    # kind of figure to the learned check.
    households = ask("2023年城镇新增就业目标是多少户？")
    assert households.abstained and "引文中没有所问的数据" in households.reasons
    assert not ask("2023年城镇新增就业目标是多少？").abstained
    jobs = ask("2023年城镇新增就业目标是多少万人？")  # the unit written: answered
    assert not jobs.abstained and "1200万人" in jobs.answer
    # No report names who delivered it: a person asked by role is refused, not answered by the body.
    who = ask("2023年政府工作报告是哪位总理作的？")
    assert who.abstained and "引文中没有所问的人名" in who.reasons
    # A rate asked for its value is answered by a rate, not by the sum beside its name.
    bonds = ask("2023年地方专项债券的增长率是多少？")
    assert bonds.abstained and "引文中没有所问的数据" in bonds.reasons
    assert not ask("2023年赤字率拟按多少安排？").abstained
    # A follow-up keeps the kind of figure its earlier turn asked for, but not as a veto: it may ask
    # about another thing, counted otherwise.
    follow = engine.analyze("那专项债呢？", ["2023年赤字率是多少？"])
    assert follow.figure.name == "percentage" and not follow.figure.explicit


PLAN = """山东省“{period}”科技创新规划

一、发展目标

到{year}年，全省科技创新能力显著增强，高新技术企业数量达到{firms}左右，技术合同成交额突破{deals}亿元。

二、重点任务

加强基础研究，建设一批重点实验室。
"""


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    root = tmp_path_factory.mktemp("plans")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, period, year, firms, deals in (
        ("p13", "十三五", 2020, "8000家", "600"),
        ("p14", "十四五", 2025, "2.5万家", "2000"),
    ):
        text = PLAN.format(period=period, year=year, firms=firms, deals=deals)
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    return build_fake_engine(corpus, root, abstain_threshold=0.05)


def test_a_five_year_plan_named_picks_that_plan_and_two_named_are_compared(plans):
    assert plans.scope_index.doc("p13").period == (2016, 2020)
    one = "山东省“十三五”科技创新规划提出高新技术企业数量目标是多少？"
    assert plans.analyze(one).scope.documents == ["p13"]
    answer = plans.ask(one)
    assert "8000家" in answer.answer and {c.doc_id for c in answer.citations} == {"p13"}
    both = "山东省“十三五”和“十四五”两个科技创新规划对高新技术企业数量分别定了什么目标？"
    analysis = plans.analyze(both)
    assert analysis.mode == "compare" and sorted(analysis.scope.documents) == ["p13", "p14"]
    answer = plans.ask(both)
    assert "8000家" in answer.answer and "2.5万家" in answer.answer
    assert {c.doc_id for c in answer.citations} == {"p13", "p14"}


def test_a_sentence_speaks_of_the_year_it_opens_on():
    review = "2012年，在世界经济增长全面减速的情况下，国内生产总值增长7.8%，为今年经济发展创造了条件。"
    assert stated_years(review, 2013) == {2012, 2013}  # a passage mentions both years …
    assert sentence_years(review, 2013) == {2012}  # … the sentence reports on 2012
    assert sentence_years("去年，国内生产总值增长5%，今年要稳中求进。", 2024) == {2023}
    assert sentence_years("今年发展主要预期目标是：国内生产总值增长5%左右。", 2024) == {2024}
    assert sentence_years("2012年以来，累计新增就业6000万人，今年再接再厉。", 2016) == {2012, 2016}
    # "是2015年的3.75倍" is a baseline too.
    assert sentence_years("高新技术企业突破1.46万家，是2015年的3.75倍；", 2021) == frozenset()
    # A year written out further on is still a year the sentence reports on.
    assert sentence_years("1971年，七个酋长国成立联合大公国，1973年开始使用共同货币。", None) == {1971, 1973}


def test_within_the_document_named_passages_are_searched_without_its_name(engine, monkeypatch):
    analysis = engine.analyze("2023年政府工作报告提出的赤字率是多少？")
    assert analysis.scope.unnamed(analysis.text) == "提出的赤字率是多少？"
    # Too little left without the name: the question is searched as asked.
    short = engine.analyze("2023年政府工作报告？")
    assert short.scope.unnamed(short.text) == short.text
    plain = engine.analyze("赤字率是多少？")
    assert plain.scope is None or plain.scope.unnamed(plain.text) == plain.text
    searched = []
    embed = engine.embedder.embed_batch

    def spy(texts, kind):
        if kind == "query":
            searched.extend(texts)
        return embed(texts, kind)

    monkeypatch.setattr(engine.embedder, "embed_batch", spy)
    hits = engine.retrieve(analysis, 3)
    assert searched == ["提出的赤字率是多少？"]
    assert hits and {h.chunk.doc_id for h in hits} == {"report-b"}


def test_a_one_year_question_is_not_answered_by_a_five_year_total(tmp_path, monkeypatch):
    import dataclasses

    from policyqa.query import compose

    report = (
        "2011年政府工作报告\n\n一、“十二五”时期的主要目标\n\n五年城镇新增就业目标4500万人。\n\n"
        "二、2011年的工作\n\n今年城镇新增就业900万人以上。\n"
    )
    engine = fake_engine_over({"gwr-2011": report}, tmp_path, abstain_threshold=0.0)

    def first_quote(question):
        return candidates(engine, question)[0].text

    assert "900万人" in first_quote("2011年城镇新增就业目标是多少？")
    assert "4500万人" in first_quote("2011年到2015年城镇新增就业目标是多少？")  # a period: the total
    monkeypatch.setattr(compose, "SENTENCES", dataclasses.replace(compose.SENTENCES, aggregate_penalty=0.0))
    assert "4500万人" in first_quote("2011年城镇新增就业目标是多少？")  # what the penalty is for


def test_places_named_with_a_kind_of_regulation_pick_those_places_regulations(tmp_path):
    texts = {
        f"reg-{n}": REGULATION.replace("上海", place).format(
            date=f"{y}年9月17日", share="百分之二", effective=f"{y}年{m}月1日"
        )
        for n, (place, y, m) in enumerate((("上海", 2010, 11), ("浙江省", 2011, 9), ("河南省", 2015, 1)))
    }
    engine = fake_engine_over(texts, tmp_path, abstain_threshold=0.0)
    analysis = engine.analyze("上海和浙江的科学技术进步条例分别是哪天起施行的？")
    # Every region has a 科学技术进步条例; the places named pick theirs, and they are compared side by side.
    assert sorted(analysis.scope.documents) == ["reg-0", "reg-1"]
    answer = engine.ask("上海和浙江的科学技术进步条例分别是哪天起施行的？")
    assert {c.doc_id for c in answer.citations} == {"reg-0", "reg-1"}
    assert "2010年11月1日" in answer.answer and "2011年9月1日" in answer.answer


def test_this_year_and_last_year_count_from_the_day_asked(engine):
    from datetime import date

    from policyqa.query.followup import dated_from_now
    from policyqa.text.dates import arabic_years

    assert dated_from_now("今年的政府工作报告", date(2024, 12, 1)) == "2024年的政府工作报告"
    assert dated_from_now("比去年增长多少", date(2024, 12, 1)) == "比去年增长多少"  # a baseline
    # A time in the asker's own affairs dates no document: the policy asked about may be of any year.
    own = "我们公司今年头一回评上高新技术企业，能给多少补助？"
    assert dated_from_now(own, date(2024, 12, 1)) == own
    assert dated_from_now("咱们今年GDP目标多少？", date(2024, 12, 1)) == "咱们2024年GDP目标多少？"
    assert arabic_years("二〇二三年政府工作报告，二零二二年") == "2023年政府工作报告，2022年"
    asked_on = engine.today
    try:
        engine.today = lambda: date(2024, 12, 1)
        this_year = engine.ask("今年政府工作报告提出的赤字率是多少？")
        assert not this_year.abstained and "3.1%" in this_year.answer
        last_year = engine.ask("去年的政府工作报告提出的赤字率是多少？")
        assert not last_year.abstained and "赤字率拟按3%" in last_year.answer
        # A conversation's follow-up reads 去年 against its earlier turn, not against the day.
        assert engine.analyze("那去年呢？", ["2024年的赤字率定为多少？"]).years == [2023]
        engine.today = lambda: date(2026, 12, 1)
        none_yet = engine.ask("今年政府工作报告提出的赤字率是多少？")
        assert none_yet.abstained and "2026年" in none_yet.reasons[0] and not none_yet.citations
    finally:
        engine.today = asked_on
    assert engine.ask("二〇二三年政府工作报告提出的赤字率是多少？").answer.count("赤字率拟按3%") == 1


PROVINCE_PLAN = """山东省“十四五”科技创新规划

到2025年，全省技术合同成交额达到3000亿元，高新技术企业数量达到2.6万家。

全省研发经费投入强度在全国排第六位。
"""
CENTRAL_NOTICE = """国务院关于加快科技服务业发展的若干意见

到2025年，全国技术合同成交额达到5万亿元。
"""


def test_asked_about_the_whole_country_a_provinces_figure_does_not_answer(tmp_path):
    """ "全国技术合同成交额": a province's plan gives its own region's figure in the same words; it
    answers only a question about that province, or where its sentence speaks of the country."""
    both = fake_engine_over({"plan": PROVINCE_PLAN, "notice": CENTRAL_NOTICE}, tmp_path)
    assert both.scope_index.doc("plan").region == "山东" and not both.scope_index.doc("notice").region
    national = both.analyze("到2025年全国技术合同成交额要达到多少？")
    assert national.national and not both.analyze("山东到2025年技术合同成交额要达到多少？").national
    assert not both.analyze("十三届全国人大五次会议是哪天开幕的？").national
    assert not both.analyze("全国科技工作者日是哪天？").national
    assert not both.analyze("科学技术进步法中规定全国科技工作者日的是第几条？").national
    # "国家那部…法" points at the national law, not a province's regulation of the same name
    assert both.analyze("国家那部促进科技成果转化的法，奖励最少占净收入多少？").national
    assert not both.analyze("国家科学技术进步奖一等奖的奖金是多少？").national
    answer = both.ask("到2025年全国技术合同成交额要达到多少？")
    assert not answer.abstained and "5万亿元" in answer.answer and "3000亿元" not in answer.answer
    assert {c.doc_id for c in answer.citations} == {"notice"}
    # The province's sentence that speaks of the country may still be quoted.
    scored = both.answerer.composer.score(national, both.evidence(national, 5))
    assert all(c.doc_id == "notice" or "全国" in c.text for c in scored)

    (tmp_path / "alone").mkdir()
    alone = fake_engine_over({"plan": PROVINCE_PLAN}, tmp_path / "alone")
    refused = alone.ask("全国高新技术企业数量达到多少家？")
    assert refused.abstained and "2.6万家" not in refused.answer
    answered = alone.ask("山东省高新技术企业数量达到多少家？")
    assert not answered.abstained and "2.6万家" in answered.answer


FIVE_YEAR_REVIEW = """政府工作报告

——2023年3月5日在第十四届全国人民代表大会第一次会议上

一、过去五年工作回顾

过去五年，我们坚持稳就业优先，城镇新增就业年均1270多万人，城镇调查失业率总体稳定。

二、2023年经济社会发展总体要求

今年发展主要预期目标是：城镇新增就业1200万人左右，城镇调查失业率5.5%左右。
"""


def test_one_years_figure_is_not_answered_by_an_average_over_several(tmp_path):
    """The 2023 report reviews 2018–2022 in averages: 2019's own figure is not there, and an average
    asked for is."""
    engine = fake_engine_over({"gwr-2023": FIVE_YEAR_REVIEW}, tmp_path)
    assert engine.scope_index.doc("gwr-2023").year == 2023
    refused = engine.ask("2019年城镇新增就业实际完成了多少？")
    assert refused.abstained and "1270" not in refused.answer
    assert any("多年的合计或平均" in r for r in refused.reasons)
    # The learned check refuses it outright, whatever the sentence's score.
    analysis = engine.analyze("2019年城镇新增就业实际完成了多少？")
    picked = engine.answerer.composer.select(
        analysis, engine.answerer.composer.score(analysis, engine.evidence(analysis, 5))
    )
    assert picked and all("年均" in c.text for c in picked)
    reasons, vetoed = engine.answerer.checks.check(analysis, picked)
    assert vetoed and any("多年的合计或平均" in r for r in reasons)
    averaged = engine.ask("过去五年城镇新增就业年均多少？")
    assert not averaged.abstained and "年均1270多万人" in averaged.answer
    target = engine.ask("2023年城镇新增就业预期目标是多少？")
    assert not target.abstained and "1200万人" in target.answer


TWO_YEAR_REVIEW = """2000年政府工作报告

——2000年3月5日在第九届全国人民代表大会第三次会议上

二、坚持实行扩大内需的方针

从国债投资的效果看，两年来通过财政向银行发行2100亿元长期国债，带动4200多亿元银行贷款。
"""


def test_a_total_asked_over_the_years_before_a_report_is_answered_by_their_total(tmp_path):
    engine = fake_engine_over({"gwr-2000": TWO_YEAR_REVIEW}, tmp_path)
    total = engine.ask("2000年的报告里说，前两年一共发了多少长期国债？")
    assert not total.abstained and "2100亿元" in total.answer


def test_what_a_year_achieved_is_read_first_in_the_later_review(engine):
    """ "2023年实际经济增长多少？": the 2023 report plans 2023 in every passage; only the 2024 report's
    review tells the result, and it is searched on its own so that those plans do not crowd it out."""
    scopes = engine.scope_index
    analysis = engine.analyze("2023年实际经济增长多少？")
    later = scopes.looking_back(analysis.scope.rows, [2023])
    assert len(later) and {scopes.doc_of[r] for r in later} == {"report-c"}
    hits = engine.evidence(analysis, 5)
    assert hits[0].chunk.doc_id == "report-c" and [h.rank for h in hits] == list(range(1, len(hits) + 1))
    answer = engine.ask("2023年实际经济增长多少？")
    assert "5.2%" in answer.answer and "5%左右" not in answer.answer


def test_a_later_review_does_not_answer_what_a_year_aimed_at(engine):
    # No 2021 report: the 2022 report's "城镇新增就业1269万人" is what 2021 achieved, not its target.
    answer = engine.ask("2021年城镇新增就业目标是多少？")
    assert "1269" not in answer.answer or answer.abstained
    assert "1269" in engine.ask("2021年城镇新增就业实际多少？").answer


def test_a_year_asked_of_a_named_report_is_not_the_reports_year(engine):
    # "2021年政府工作报告说的碳达峰时间是哪一年？" asks a year the report names ("2030年前"), which a
    # filter on the report's own year would leave out; a figure asked of the report is of its year.
    named = engine.analyze("2023年政府工作报告说的碳达峰时间是哪一年？")
    assert named.scope.documents == ["report-b"] and content_years(named) == set()
    assert content_years(engine.analyze("2023年政府工作报告提出的赤字率是多少？")) == {2023}
    assert content_years(engine.analyze("2023年的发展主要预期目标是哪天定下的？")) == {2023}


def test_a_year_typed_in_two_digits_is_read_as_the_year_but_a_span_of_years_is_not():
    from policyqa.text.dates import arabic_years

    assert arabic_years("21年那份报告讲十四五目标") == "2021年那份报告讲十四五目标"
    assert arabic_years("那19年呢？") == "那2019年呢？"
    assert arabic_years("PM2.5监测，12年那份报告说") == "PM2.5监测，2012年那份报告说"
    assert arabic_years("截至05年底，比98年增长多少") == "截至2005年底，比1998年增长多少"
    for span in ("10年来", "近10年", "用了20年时间", "专利权期限为20年", "第12年", "在10年内", "40年以上"):
        assert arabic_years(span) == span


def test_a_year_and_report_name_the_yearly_series_unless_a_place_names_another(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_reports(corpus)
    (corpus / "xj.txt").write_text(
        "# 2023年新疆科技发展报告\n\n新疆技术合同成交额达到50亿元，赤字率另有统计。\n", encoding="utf-8"
    )
    (corpus / "xj.txt.meta.json").write_text('{"year": 2023, "region": "新疆"}', encoding="utf-8")
    engine = build_fake_engine(corpus, tmp_path, abstain_threshold=0.05)
    # "2023年的报告" said plainly is the year's report of the yearly series …
    assert engine.analyze("2023年的报告里赤字率定为多少？").scope.documents == ["report-b"]
    # … and the region's report when the question names the region.
    assert engine.analyze("2023年的报告里，新疆技术合同成交额是多少？").scope.documents == ["xj"]


def test_a_run_of_years_is_answered_from_the_report_that_looks_back_on_it(tmp_path):
    # The 2011 report's review says only "五年累计": the period asked (十一五, 2006–2010) is its past.
    reports = {
        "gwr-2009": "2009年政府工作报告\n\n今年单位国内生产总值能耗要降低5%左右。\n",
        "gwr-2011": (
            "2011年政府工作报告\n\n一、“十一五”时期国民经济和社会发展的回顾\n\n关停小火电机组7210万千瓦。五年累计，单位国内生产总值能耗下降19.1%。\n\n"
            "二、今年的工作\n\n今年单位国内生产总值能耗要降低3.5%。\n"
        ),
        "gwr-2013": "2013年政府工作报告\n\n过去五年，单位国内生产总值能耗下降17.2%。\n",
    }
    engine = fake_engine_over(reports, tmp_path, abstain_threshold=0.0)
    quotes = [c.text for c in candidates(engine, "十一五那五年，单位国内生产总值能耗累计下降了多少？")]
    assert quotes and "19.1%" in quotes[0]
    # A single year is not a run: its own report answers its plan.
    assert candidates(engine, "2009年单位国内生产总值能耗要降低多少？")[0].doc_id == "gwr-2009"


def test_one_five_year_period_is_not_answered_by_another():
    from policyqa.query.years import other_plan_period

    asked = "2016年报告里说十二五期间高速公路新建了多少公里？"
    target = (["二、“十三五”时期主要目标任务和重大举措"], "新建改建高速公路通车里程约3万公里。")
    this_year = (["三、2016年重点工作"], "新建改建农村公路20万公里。")
    assert other_plan_period(asked, [target, this_year]) == ("“十二五”时期", "“十三五”时期")
    # A quote under the asked plan's heading, writing one of its years, or naming no period may answer.
    review = (["一、“十二五”时期发展回顾"], "新建高速公路通车里程4.6万公里。")
    assert other_plan_period(asked, [target, review]) is None
    assert other_plan_period(asked, [(["三、2016年重点工作"], "2015年新建高速公路1万公里。")]) is None
    assert other_plan_period(asked, [([], "新建高速公路通车里程4.6万公里。")]) is None
    assert other_plan_period("2016年高速公路新建了多少公里？", [target]) is None  # no plan asked


def test_a_total_over_years_is_not_answered_by_one_years_figure(tmp_path):
    reports = {
        "gwr-2016": "2016年政府工作报告\n\n今年要完成1000万以上农村贫困人口脱贫任务。\n",
        "gwr-2021": (
            "2021年政府工作报告\n\n一、过去五年工作回顾\n\n过去五年，经济实力跃上新台阶。"
            "脱贫攻坚成果举世瞩目，5575万农村贫困人口实现脱贫。\n"
        ),
    }
    engine = fake_engine_over(reports, tmp_path, abstain_threshold=0.0)
    first = candidates(engine, "2016年到2020年期间一共有多少农村贫困人口脱贫？")[0]
    assert "5575万" in first.text
    # Asked of one year, that year's figure comes first.
    assert "1000万" in candidates(engine, "2016年要完成多少农村贫困人口脱贫任务？")[0].text


def test_a_total_over_a_run_of_years_is_asked_over_years():
    from policyqa.query.years import asks_over_years

    assert asks_over_years("1998到2002年这五年，长期建设国债一共发了多少？")
    assert asks_over_years("那十一五头三年加起来降了多少？")
    assert asks_over_years("十三五期间一共有多少人脱贫？")
    assert asks_over_years("2024年报告说超长期特别国债这几年加起来一共发多少？")
    from policyqa.query.years import says_over_years

    # what has been done since a year is a total over the years since
    assert says_over_years("2016年以来，我省143个项目获国家科技奖。")
    assert not asks_over_years("2019年和2020年各发了多少国债？")
    assert not asks_over_years("2016年专项债多少，比上年增加多少？")


def test_a_total_over_past_years_asked_plainly_is_a_result_and_a_plan_named_before_five_years_counts():
    # "十一五五年下来": the plan, then its five years.
    assert QueryAnalysis.of("十一五五年下来，单位GDP能耗累计降了多少？").years == list(range(2006, 2011))
    # A total over a run of past years, asked in no plan's words, is what came of them …
    assert QueryAnalysis.of("十三五期间一共有多少农村贫困人口脱了贫？").tense == "outcome"
    assert QueryAnalysis.of("1998到2002年这五年，长期建设国债一共发了多少？").tense == "outcome"
    # … asked in a plan's words, what was set out; asked of one year, no reading either way.
    assert QueryAnalysis.of("十四五期间一共要新建多少公里高速铁路？").tense != "outcome"
    assert QueryAnalysis.of("2016年一共有多少农村贫困人口脱贫？").tense is None


def test_asked_which_version_said_it_every_version_is_searched(tmp_path):
    # Asked without a year, the latest report answers; asked which year's report said it, any may.
    texts = {
        f"report-{year}": f"# {year}年政府工作报告\n\n" + REPORT.format(year=year, prev=year - 1, **values)
        for year, values in REPORTS.items()
    }
    engine = fake_engine_over(texts, tmp_path, abstain_threshold=0.05)
    which = engine.ask("哪一年的政府工作报告提出城镇新增就业1200万人以上？")
    assert {c.doc_id for c in which.citations} == {"report-2023"} and "1200万人" in which.answer
    assert LATEST_NOTE not in which.answer
    latest = engine.ask("政府工作报告提出城镇新增就业多少万人以上？")
    assert {c.doc_id for c in latest.citations} == {"report-2024"}


def test_a_sentence_speaking_of_the_run_asked_and_a_year_beside_it_looks_back_on_the_run():
    from policyqa.query.years import looks_back

    run = range(2016, 2021)
    heading = ["二、“十三五”时期发展成就和“十四五”时期主要目标任务"]
    assert looks_back(run, frozenset(range(2016, 2022)), heading, 2021)
    assert looks_back(run, frozenset(run), [], 2021)
    # one year of the run, or another run, is not the run
    assert not looks_back(run, frozenset({2020}), heading, 2021)
    assert not looks_back(run, frozenset(range(2013, 2018)), [], 2018)


def test_a_baseline_year_is_spoken_of_where_the_passage_writes_it(tmp_path):
    # "比2002年" names the year measured against: the 2008 report writing it speaks of it, though its
    # sentence reports on 2007.
    report = REPORT.format(year=2008, prev=2007, **REPORTS[2022]).replace(
        "过去一年，", "过去一年，国内生产总值比2002年增长65.5%，"
    )
    before = REPORT.format(year=2007, prev=2006, **REPORTS[2023])
    engine = fake_engine_over({"report": report, "before": before}, tmp_path, abstain_threshold=0.05)
    grown = engine.ask("2008年的报告里，2007年的国内生产总值比2002年增长了多少？")
    assert not grown.abstained and "65.5%" in grown.answer and not grown.reasons
    assert baseline_years("2007年的国内生产总值比2002年增长了多少") == {2002}
    # A year asked that the report never writes is still missing from it.
    missing = engine.ask("2008年的报告里，2007年的国内生产总值比2001年增长了多少？")
    assert missing.abstained and "资料未涉及2001年" in missing.reasons
