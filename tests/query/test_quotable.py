"""Which sentences of the top passages an answer may quote (quotable.py): years, repeals, places used."""

from dataclasses import replace

from policyqa.query.retrieve import Hit

from ..conftest import candidates, fake_engine_over, picked


def test_a_target_explained_by_last_year_speaks_of_the_reports_year(fake_engine):
    composer = fake_engine.answerer.composer
    text = "提出居民消费价格涨幅3%左右，综合考虑了去年价格变动的翘尾因素。去年居民消费价格上涨2%。"
    hit = picked(fake_engine, text, [(0, 1)])[0].hit
    year = composer.scopes.doc(hit.chunk.doc_id).year  # the demo report's year, 2018
    found = composer.candidates(fake_engine.analyze(f"{year}年居民消费价格涨幅目标是多少？"), [hit])
    # The target is the report's year's; the plain review sentence stays about the year before.
    assert [text[s:e] for _, s, e, _, _ in found] == [text[: text.index("。") + 1]]
    # … and it reasons from 去年 without setting anything for it: asked about the year before, only
    # the review sentence speaks of it.
    before = composer.candidates(fake_engine.analyze(f"{year - 1}年居民消费价格涨了多少？"), [hit])
    assert [text[s:e] for _, s, e, _, _ in before] == [text[text.index("。") + 1 :]]


def test_a_repeal_answers_only_what_asks_about_repeal(tmp_path):
    law = (
        "中关村国家自主创新示范区条例\n\n第二条 示范区由海淀园、丰台园和昌平园组成。\n\n"
        "第六十八条 本条例自2011年1月1日起施行。2000年12月8日通过的《中关村科技园区条例》同时废止。"
    )
    engine = fake_engine_over({"law": law}, tmp_path, abstain_threshold=0.0)

    def quoted(question):
        return [c.text for c in candidates(engine, question, 3)]

    # The closing article names the old regulation and lays nothing down: it answers no question about
    # what that regulation contains …
    assert not any("废止" in t for t in quoted("中关村科技园区条例规定园区由哪些部分组成？"))
    # … but it does answer when it was repealed.
    assert any("同时废止" in t for t in quoted("中关村科技园区条例什么时候废止？"))


def test_asked_a_document_number_a_passage_writing_none_uses_no_place(fake_engine):
    composer = fake_engine.answerer.composer
    assert composer.settings.answer_passages == 3
    asked = fake_engine.analyze("面向各县的创新发展，区里下发的指导文件是哪个号？")
    assert asked.figure is not None and asked.figure.name == "document number"
    base = fake_engine.retrieve(asked, 1)[0]
    texts = [
        "各县出台科技创新券实施办法等30余项政策文件。",
        "县域创新发展取得积极进展。",
        "区里指导各县开展创新工作。",
        "政府办公厅印发《关于县域创新驱动发展的实施意见》（新政办发〔2018〕74号）。",
    ]
    hits = [
        Hit(replace(base.chunk, chunk_id=f"c{i}", text=t), 1.0 - i / 10, i + 1, base.sources, base.row)
        for i, t in enumerate(texts)
    ]

    def read(analysis):
        return [h.chunk.text[s:e] for h, s, e, _, _ in composer.candidates(analysis, hits)]

    assert texts[3] in read(asked)
    assert texts[3] in [c.text for c in composer.score(asked, hits)]  # the first passage keeps place 1
    # How many files, a figure any passage may give: the first three passages are read, as ever.
    assert texts[3] not in read(fake_engine.analyze("区里下发了多少项政策文件？"))


def test_a_day_asked_of_an_undated_notice_is_not_another_notices_date(tmp_path, monkeypatch):
    """A scraped notice without its date line: the signature date of a less relevant notice further down
    is not its date (it was quoted at 0.86). Its passages are not read for a day or a number."""
    from policyqa.query import quotable

    texts = {
        "scenes": "各省、自治区、直辖市科技厅：\n\n"  # no title line, as scraped
        "为加快推动人工智能应用，科技部决定支持建设新一代人工智能示范应用场景。\n\n"
        "各地方科技厅向科技部推荐拟支持建设的示范应用场景，科技部经审核评估后确定是否支持。\n",
        "projects": "关于发布科技创新2030重大项目申报指南的通知\n\n"
        "为落实新一代人工智能发展规划，现发布重大项目申报指南。\n\n科学技术部\n\n2018年10月12日\n",
    }
    engine = fake_engine_over(texts, tmp_path, abstain_threshold=0.05)
    analysis = engine.analyze("科技部关于支持建设新一代人工智能示范应用场景的通知是哪天印发的？")
    hits = engine.evidence(analysis, 5)
    other = [h for h in hits if h.chunk.doc_id == "projects"]
    assert hits[0].chunk.doc_id == "scenes" and other
    assert max(h.score for h in other) < hits[0].score * quotable.SENTENCES.exact_elsewhere
    composer = engine.answerer.composer
    assert {c[0].chunk.doc_id for c in composer.candidates(analysis, hits)} == {"scenes"}
    assert engine.ask(analysis.question).abstained
    # Reading every passage as before, the other notice's date line is a candidate.
    monkeypatch.setattr(quotable, "SENTENCES", replace(quotable.SENTENCES, exact_elsewhere=0.0))
    assert "projects" in {c[0].chunk.doc_id for c in composer.candidates(analysis, hits)}


def test_an_adoption_line_answers_only_when_or_by_whom_the_text_was_made(tmp_path):
    rules = (
        "上海市促进农业科技进步若干规定\n\n"
        "（2024年11月28日上海市第十六届人民代表大会常务委员会第十七次会议修订）\n\n"
        "第三条 农业农村部门负责本行政区域内农业科技进步活动的协调推进。"
    )
    engine = fake_engine_over({"rules": rules}, tmp_path, abstain_threshold=0.0)

    def quoted(question):
        return [c.text for c in candidates(engine, question, 3)]

    # Naming the version by its revision is no question about the revision: the body in charge is an
    # article's, and the line that writes 2024 and 修订 is not quotable.
    for question in (
        "上海2024年修订的那个促进农业科技进步的规定，农业科技进步归哪个部门管？",
        "上海那个促进农业科技进步的规定2024年修订以后，农业科技进步归哪个部门管？",
    ):
        asked = quoted(question)
        assert not any("会议修订" in t for t in asked) and any("农业农村部门" in t for t in asked)
    # Asked by whom or at which meeting it was revised, or when, the line answers.
    for question in (
        "上海市促进农业科技进步若干规定是哪个机关修订的？",
        "上海2024年修订的那个促进农业科技进步的规定是哪次会议通过的？",
        "上海市促进农业科技进步若干规定是什么时候修订的？",
    ):
        assert any("会议修订" in t for t in quoted(question)), question
    # A State Council decision's revision line is such a line too ("…的决定》第三次修订").
    from policyqa.query.sentences import adoption_line

    assert adoption_line("2023年12月11日《国务院关于修改〈中华人民共和国专利法实施细则〉的决定》第三次修订）")
    assert adoption_line("2001年6月15日中华人民共和国国务院令第306号公布")
    from policyqa.query.analysis import QueryAnalysis
    from policyqa.query.sentences import asks_made

    assert asks_made(QueryAnalysis.of("技术进出口管理条例最早是国务院第几号令公布的？"))
    assert not adoption_line("2023年12月11日，国务院常务会议研究了专利工作。")


def test_asked_a_result_a_document_gives_none_for_a_year_after_it(fake_engine):
    composer = fake_engine.answerer.composer
    text = "到2025年，研发经费投入强度达到2.5%。去年研发经费投入强度达到2.1%。"
    hit = picked(fake_engine, text, [(0, 1)])[0].hit
    year = composer.scopes.doc(hit.chunk.doc_id).year  # the demo report's year, 2018
    # A target for a year after the document was written is no result of that year …
    done = composer.candidates(fake_engine.analyze("2025年研发经费投入强度实际达到了多少？"), [hit])
    assert not any("2025" in text[s:e] for _, s, e, _, _ in done)
    # … though it is the plan asked for.
    plan = composer.candidates(fake_engine.analyze("2025年研发经费投入强度目标是多少？"), [hit])
    assert any("2025" in text[s:e] for _, s, e, _, _ in plan)
    assert year < 2025


def test_a_period_asked_is_answered_by_its_own_review_not_by_another_periods(tmp_path):
    reports = {
        "gwr-2013": "2013年政府工作报告\n\n一、过去五年工作回顾\n\n五年来，新增铁路里程1.97万公里。\n",
        "gwr-2016": (
            "2016年政府工作报告\n\n一、“十二五”时期发展成就\n\n过去五年，铁路营业里程达到12.1万公里。\n"
        ),
    }
    engine = fake_engine_over(reports, tmp_path, abstain_threshold=0.0)
    quoted = {c.doc_id for c in candidates(engine, "十二五期间铁路营业里程到了多少？", 5)}
    # 2008–2012, the 2013 report's five years, is another span than 2011–2015, though they overlap.
    assert quoted == {"gwr-2016"}
