"""Choosing the sentences an answer quotes: their scores, the sentences of one document, a list, labels."""

from dataclasses import replace

from ..conftest import candidates, fake_engine_over, picked


def test_an_item_of_a_colon_opened_list_reads_with_its_lead():
    from policyqa.text.segment import clause_lead

    targets = "今年经济社会发展的主要预期目标是：\n国内生产总值增长7.5%；\n城镇新增就业900万人以上；\n居民消费价格涨幅4%左右。"
    lead = "今年经济社会发展的主要预期目标是："
    for item in ("国内生产总值", "城镇新增就业", "居民消费价格"):
        assert clause_lead(targets, targets.index(item)) == lead
    # The first clause of a list on the lead's line holds the lead already; a sentence after the list
    # (a full stop ends it) and one with no colon before it continue nothing.
    inline = "今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人左右。"
    assert clause_lead(inline, inline.index("城镇")) == "今年发展主要预期目标是："
    assert clause_lead(inline, 0) == ""
    after = inline + "稳增长主要是为了保就业。"
    assert clause_lead(after, after.index("稳增长")) == ""
    # A clause following a plain sentence part ("，") is no item, nor is a time's colon a lead.
    assert clause_lead("会议指出：要加强研发投入，提高效率。", 10) == ""
    assert clause_lead("会议于10:30开始；随后宣读文件；", 12) == ""
    # A law's items are numbered and stand on their own.
    law = "第八条 国家最高科学技术奖授予下列中国公民：\n（一）取得重大突破的；\n（二）创造巨大经济效益的。"
    assert clause_lead(law, law.index("（二）")) == ""
    assert clause_lead(law, law.index("取得")) == ""


def test_a_breakdown_reads_with_the_whole_it_breaks_down(tmp_path):
    from policyqa.text.segment import breakdown_lead

    text = "截至2018年，全疆入网登记科技型企业20450家。其中科技型中小企业19862家，占总数的97.1%。"
    at = text.index("其中")
    assert breakdown_lead(text, at) == "截至2018年，全疆入网登记科技型企业20450家。"
    assert breakdown_lead(text, 0) == ""  # no 其中: stands alone
    clauses = "财政赤字2.76万亿元；其中中央财政赤字1.83万亿元。"
    assert breakdown_lead(clauses, clauses.index("其中")) == "财政赤字2.76万亿元；"
    assert breakdown_lead("其中之一是人才。", 0) == ""  # "one of them" breaks nothing down
    # Ranked with its whole, the part that answers comes first: alone it says "of the total" of nothing.
    engine = fake_engine_over({"report": "科技发展报告\n\n" + text}, tmp_path, abstain_threshold=0.0)
    asked = engine.analyze("科技型中小企业占全疆入网登记科技型企业总数的比例是多少？")
    best = engine.answerer.composer.score(asked, engine.evidence(asked, 3))[0]
    assert best.text.startswith("其中") and best.reads == text
    # A breakdown that shares no word with the question gains nothing from its whole.
    hit, at = best.hit, best.hit.chunk.text.index("其中")
    other = engine.analyze("生产总值占全疆GDP多少？")
    sentence = hit.chunk.text[at:]
    assert engine.answerer.composer.reads(other, hit, sentence, at) == sentence


def test_a_plans_note_on_bodies_is_a_sentence_that_reads_with_its_task():
    from policyqa.text.segment import note_task, split_sentences

    task = (
        "加强技术攻关，形成一批成果。（牵头单位：省科技厅，责任单位：省教育厅）"
        "支持国有企业采用大模型产品。（牵头单位：省国资委）"
    )
    assert [task[s:e] for s, e in split_sentences(task)] == [
        "加强技术攻关，形成一批成果。", "（牵头单位：省科技厅，责任单位：省教育厅）",
        "支持国有企业采用大模型产品。", "（牵头单位：省国资委）",
    ]  # fmt: skip
    heading = "1.开展基础软件攻关。"
    first, second = task.index("（牵头单位：省科技厅"), task.index("（牵头单位：省国资委")
    assert note_task(task, first, second - len("支持国有企业采用大模型产品。"), heading) == (
        heading + "加强技术攻关，形成一批成果。"
    )
    assert note_task(task, second, len(task), heading) == heading + "支持国有企业采用大模型产品。"
    # Brackets that name no body ("（试行）") and ordinary sentences are no notes; an item marker
    # ("（一）") opening a sentence is not split off.
    assert note_task(task, 0, task.index("。") + 1, heading) == ""
    assert note_task("办法（试行）", 2, 6, heading) == ""
    item = "（一）加快建设。推进工作。"
    assert [item[s:e] for s, e in split_sentences(item)] == ["（一）加快建设。", "推进工作。"]


def test_the_words_that_ask_for_a_result_are_no_content(fake_engine):
    composer = fake_engine.answerer.composer
    text = "进出口增长14.2%，实际使用外资1363亿美元。国内生产总值增长6.9%，居民收入增长7.3%。"
    hit = picked(fake_engine, text, [(0, 1)])[0].hit
    analysis = fake_engine.analyze("经济实际增长了多少？")
    # "实际" says a result is asked (the tense reads it), not what grew: "实际使用外资" is no better for it.
    assert analysis.tense == "outcome"
    assert composer.score(analysis, [hit])[0].text.startswith("国内生产总值增长6.9%")


def test_a_count_asked_with_its_classifier_prefers_that_classifier(fake_engine):
    composer = fake_engine.answerer.composer
    text = "科技部等六部门联合支持首批建设示范应用场景。首批支持建设十个场景。"
    hit = picked(fake_engine, text, [(0, 1)])[0].hit
    analysis = fake_engine.analyze("首批支持建设几个示范应用场景？")
    # "六部门" is a count too ("几个" accepts 项, 家, 部…), but not of what was asked.
    assert analysis.figure.shows.search("六部门") and not analysis.figure.own.search("六部门")
    best = composer.score(analysis, [hit])[0]
    assert best.text == "首批支持建设十个场景。"
    # "同一个项目", "单个推荐单位" and "6个月" count nothing asked: the same one, a single one, a time.
    counted = fake_engine.analyze("一个人同一年能报几个原创项目？").figure
    for phrase in ("同一个项目只能通过单个推荐单位申报", "每年用于项目的工作时间不得少于6个月"):
        assert not counted.own.search(phrase)
    assert not counted.shows.search("同一个项目只能通过单个推荐单位申报")
    assert counted.shows.search("申请人同年只能申请1项原创项目")


def test_asking_what_a_term_means_is_answered_by_its_definition(tmp_path):
    from policyqa.query.analysis import QueryAnalysis
    from policyqa.text.segment import content_words, defined_terms, defines

    # Asking words name no word of the answer: a law writes "是指", never 界定 or 定义.
    assert content_words("专利法里“发明”是怎么定义的？") == ["专利法", "发明"]
    assert content_words("职务科技成果如何界定？") == content_words("职务科技成果？")
    assert "定义" in content_words("法案所定义的区域有什么缺点？")  # a word of the question, not the asking
    assert defined_terms("第二条 本法所称科技成果,是指通过科学研究所产生的成果。职务科技成果，是指执行…") == [
        "第二条 本法所称科技成果",
        "职务科技成果",
    ]
    assert QueryAnalysis.of("专利法所称的现有技术指什么？").meaning == "现有技术"
    assert QueryAnalysis.of("专利法里“发明”是怎么定义的？").meaning == "发明"
    assert QueryAnalysis.of("科学技术进步法是如何界定基础研究的？").meaning == "基础研究"
    assert QueryAnalysis.of("现有技术有哪些？").meaning is None
    assert (
        QueryAnalysis.of("專利法所稱的現有技術指什麼？").meaning == "现有技术"
    )  # matched as search keys are
    assert defines("第二条 职务科技成果，是指执行…", "科技成果")
    assert not defines("本法所称的发明创造是指发明、实用新型和外观设计。", "职务发明创造")
    # a sentence opening on the term says what it is; one that only uses it does not
    assert defines("场景创新是以新技术的创造性应用为导向，实现新技术迭代升级的过程。", "场景创新")
    assert not defines("推动人工智能场景创新具有重要意义。", "场景创新")
    assert not defines("场景创新是否有效，取决于供需联动。", "场景创新")
    law = (
        "第一条 为了保护专利权人的合法权益，鼓励发明创造，制定本法。\n\n"
        "第五条 发明创造的现有技术，由国务院专利行政部门依照有关技术规范审查。\n\n"
        "第九条 现有技术的检索报告，由专利行政部门出具，申请人可以查阅现有技术文献。\n\n"
        "第二十二条 本法所称现有技术，是指申请日以前在国内外为公众所知的技术。"
    )
    engine = fake_engine_over({"law": "中华人民共和国专利法\n\n" + law}, tmp_path, abstain_threshold=0.0)
    for question in ["专利法所称的现有技术指什么？", "现有技术怎么界定？", "现有技术的定义是什么？"]:
        analysis = engine.analyze(question)
        best = engine.answerer.composer.score(analysis, engine.evidence(analysis, 3))[0]
        assert best.text.startswith("本法所称现有技术，是指"), question


def test_a_named_law_answers_what_a_term_means_with_its_definition_first(tmp_path):
    # Every article of the law uses the term; the one defining it need not be the nearest by words.
    articles = [
        f"第{n}条 县级以上人民政府应当支持农业技术推广工作，第{n}项农业技术推广经费由本级财政安排。" * 4
        for n in range(3, 30)
    ]
    law = "\n\n".join(
        ["第一条 为了加强农业技术推广工作，制定本法。"]
        + articles
        + ["第三十条 本法所称农业技术推广，是指通过试验、示范、培训把农业技术普及应用于农业生产的活动。"]
    )
    engine = fake_engine_over(
        {"law": "中华人民共和国农业技术推广法\n\n" + law}, tmp_path, abstain_threshold=0.0
    )
    analysis = engine.analyze("农业技术推广法怎么定义农业技术推广？")
    assert analysis.meaning == "农业技术推广" and analysis.scope.rows is not None
    assert len(engine.index.chunks) > 5
    assert "本法所称农业技术推广，是指" in engine.evidence(analysis, 3)[0].chunk.text


def test_asked_for_a_figure_further_quotes_must_give_one_too(fake_engine):
    composer = fake_engine.answerer.composer
    text = (
        "减税降费直击当前市场主体的痛点和难点。全年减轻企业税收和社保缴费负担近2万亿元。"
        "要切实让市场主体有明显减税降费感受。"
    )
    ends = [text.index("。") + 1, text.index("元。") + 2, len(text)]
    spans = [(0, ends[0]), (ends[0], ends[1]), (ends[1], ends[2])]
    sentences = picked(fake_engine, text, spans)
    # Scored within the margin of each other, the figure first.
    scored = [
        replace(sentences[1], score=0.9),
        replace(sentences[0], score=0.88),
        replace(sentences[2], score=0.87),
    ]
    figure = fake_engine.analyze("减税降费规模是多少亿元？")
    assert [c.text for c in composer.select(figure, scored)] == ["全年减轻企业税收和社保缴费负担近2万亿元。"]
    # Asked no figure, the sentences around it are quoted with it, in the passage's order.
    why = fake_engine.analyze("为什么要减税降费？")
    assert [c.text for c in composer.select(why, scored)] == [c.text for c in sentences]


def test_a_rate_named_but_not_asked_for_keeps_the_sentences_around_it(fake_engine):
    composer = fake_engine.answerer.composer
    text = "精神障碍通常在自杀时出现，发生率由27%至多于90%。其他牵连的情况包括精神分裂症、人格障碍、躁郁症。"
    cut = text.index("。") + 1
    first, second = picked(fake_engine, text, [(0, cut), (cut, len(text))])
    scored = [replace(first, score=0.9), replace(second, score=0.88)]
    which = fake_engine.analyze("会增加自杀率的症状包括精神分裂症、人格障碍以及哪一个？")
    # "自杀率" makes it a question about a rate, but it asks which symptom: the second sentence stays.
    assert which.figure is not None and which.figure.name == "percentage"
    assert [c.text for c in composer.select(which, scored)] == [first.text, second.text]


def test_a_laws_adoption_line_reads_with_its_title_when_asked_when_or_by_whom(tmp_path):
    law = (
        "中关村国家自主创新示范区条例\n\n"
        "（2010年12月23日北京市第十三届人民代表大会常务委员会第二十二次会议通过）\n\n"
        "第一条 为了促进中关村国家自主创新示范区建设，制定本条例。\n\n"
        "第六十六条 行政机关未履行本条例规定职责的，由上级机关责令改正。"
    )
    engine = fake_engine_over({"law": law}, tmp_path, abstain_threshold=0.0)
    composer = engine.answerer.composer
    line = "（2010年12月23日北京市第十三届人民代表大会常务委员会第二十二次会议通过）"
    for question in (
        "中关村国家自主创新示范区条例是哪一年由哪个机关通过的？",
        "中关村国家自主创新示范区条例由哪个机关通过？",
    ):
        adopted = next(c for c in candidates(engine, question, 3) if c.text.strip() == line)
        # The line names neither the regulation nor 条例: it reads as what it is, the title's adoption.
        assert adopted.reads == f"中关村国家自主创新示范区条例（{line}）"
    # Asked something else, the line is only itself.
    other = engine.analyze("中关村示范区条例的立法目的是什么？")
    hit = engine.evidence(other, 3)[0]
    assert composer.reads(other, hit, line, hit.chunk.text.find(line)) == line
    # Its adoption line answers alone: an article that names 机关 as well, scored close, is no answer.
    question = engine.analyze("中关村国家自主创新示范区条例由哪个机关通过？")
    article = "第六十六条 行政机关未履行本条例规定职责的，由上级机关责令改正。"
    text = f"{line}\n{article}"
    first, second = picked(engine, text, [(0, len(line)), (len(line) + 1, len(text))])
    scored = [replace(first, score=0.9), replace(second, score=0.89)]
    assert [c.text for c in composer.select(question, scored)] == [line]
    asked_else = engine.analyze("中关村国家自主创新示范区条例的立法目的是什么？")
    assert len(composer.select(asked_else, scored)) == 2  # not asked when or by whom: both stay


def test_a_figure_standing_by_what_is_asked_is_preferred(tmp_path):
    from policyqa.query.sentences import figure_of
    from policyqa.text.normalize import search_key

    notice = (
        "关于支持建设新一代人工智能示范应用场景的通知\n\n"
        "按照科技部等六个部门联合印发的《关于加快场景创新以人工智能高水平应用促进经济高质量发展的指导意见》，"
        "现启动支持建设新一代人工智能示范应用场景工作。首批支持建设十个示范应用场景。\n"
    )
    engine = fake_engine_over({"notice": notice}, tmp_path, abstain_threshold=0.0)
    asked = engine.analyze("科技部启动建设人工智能示范应用场景，首批支持几个场景？")
    assert asked.subject == "场景"
    shows = asked.figure.shows
    assert figure_of(search_key("首批支持建设十个示范应用场景。"), shows, "场景")
    assert not figure_of(search_key("按照科技部等六个部门联合印发的《关于加快场景创新》"), shows, "场景")
    # "多少亿元" takes the unit for what is measured: every sum stands by it, so it tells none apart.
    money = engine.analyze("2017年安排地方专项债券多少亿元？")
    assert not figure_of(search_key("财政赤字2.38万亿元"), money.figure.shows, money.subject)
    # The long sentence shares more of the question's words; the count of 场景 is what is asked.
    assert candidates(engine, asked.text)[0].text == "首批支持建设十个示范应用场景。"


def test_a_sentence_speaks_under_its_documents_title(tmp_path):
    import json

    from ..conftest import build_fake_engine

    agency = (
        "美国特勤局是美国联邦政府的执法机构，隶属于美国国土安全部。"
        "2003年3月1日之前，美国特勤局隶属于美国财政部。1865年成立，为了调查伪造美元钞券的案件。"
    )
    other = "国家气象局是美国国家海洋和大气管理局属下的部门之一，成立于1870年。"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, title, text in [("agency", "美国特勤局", agency), ("weather", "国家气象局", other)]:
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
        (corpus / f"{name}.txt.meta.json").write_text(json.dumps({"title": title}), encoding="utf-8")
    engine = build_fake_engine(corpus, tmp_path, 0.4)
    ranked = candidates(engine, "美国特勤局成立于什么时候？")
    # The article's sentence that says when, not one that repeats the agency's name: the title names it.
    assert ranked[0].text.startswith("1865年成立")
    # Another document's sentence must name the agency itself: the weather bureau's founding is not it.
    weather = next(c for c in ranked if c.doc_id == "weather")
    assert weather.score < ranked[0].score


def test_a_title_made_from_a_first_sentence_lends_its_words_to_no_sentence(tmp_path):
    # No title line and no sidecar: the document is titled by its first sentence, whose words are no more
    # the subject of the sentences after it than any others.
    text = "美国特勤局是美国联邦政府的执法机构。2003年之前特勤局隶属于财政部。1865年成立，调查伪造钞券。"
    engine = fake_engine_over({"agency": text}, tmp_path)
    composer = engine.answerer.composer
    assert not composer.scopes.doc("agency").titled
    assert composer._title_key("agency", []) == ""


def test_words_pointing_at_the_document_are_said_by_each_of_its_sentences(tmp_path):
    # Neither notice has a title line. The question points at the first by a description: its opening
    # sentence repeats the description and answers nothing; the sentence that answers is another.
    notice = (
        "为加快推动人工智能应用，科技部现启动支持建设新一代人工智能示范应用场景工作。\n"
        "智能诊疗场景重点面向县级医院，提升基层医疗服务水平。\n"
    )
    other = "医疗领域积极探索智能辅助诊断、临床诊疗辅助决策、互联网医院等智能诊疗场景。\n"
    engine = fake_engine_over({"notice": notice, "other": other}, tmp_path, abstain_threshold=0.0)
    ranked = candidates(engine, "科技部那个人工智能示范应用场景的通知里，智能诊疗场景主要面向哪一级医院？")
    assert ranked[0].text.startswith("智能诊疗场景重点面向县级医院")
    # The other document writes none of the description: its sentence earns none of it.
    composer = engine.answerer.composer
    assert composer._title_key("other", ["科技部", "示范"]) == ""
    assert composer._title_key("notice", ["科技部", "示范"]) == "科技部 示范"


def test_asked_which_body_a_sentence_naming_the_body_in_charge_is_preferred(tmp_path):
    rules = (
        "上海市促进农业科技进步若干规定\n\n"
        "第四条 市、区人民政府应当把农业科技进步纳入发展规划，统筹协调农业科技进步工作中的重要事项。\n\n"
        "第五条 农业农村部门负责农业科技进步活动的协调推进。"
        "科技、财政等部门按照各自职责，做好农业科技进步相关工作。\n"
    )
    engine = fake_engine_over({"rules": rules}, tmp_path, abstain_threshold=0.0)
    ranked = candidates(engine, "上海农业科技进步这摊事归哪个部门管？")
    assert ranked[0].text.startswith("农业农村部门负责")
    # Asked which body made the text, the one in charge of its work earns nothing.
    made = candidates(engine, "上海市促进农业科技进步若干规定由哪个机关通过？")
    assert not made[0].text.startswith("农业农村部门负责")
    from policyqa.query.asking import IN_CHARGE

    assert IN_CHARGE.search("由市科技局牵头组织实施") and IN_CHARGE.search("（牵头单位：省科技厅）")
    assert not IN_CHARGE.search("科技、财政等部门按照各自职责，做好相关工作")


def test_one_years_figure_is_not_answered_by_a_total_beside_a_figure_of_another_unit(fake_engine):
    text = "多年累计改造棚户区住房4200多万套，上亿人出棚进楼。改造城镇老旧小区16.7万个，惠及2900多万家庭。"
    cut = text.index("楼。") + 2
    total, other = picked(fake_engine, text, [(0, cut), (cut, len(text))])
    composer = fake_engine.answerer.composer
    asked = fake_engine.analyze("2022年一年棚户区改造了多少套？")
    # the count of 个 says nothing of 套 of houses: the total over years is all that is given
    assert composer.over_several_years(asked, [total, other])
    assert not composer.over_several_years(asked, [other])


def test_one_years_figure_is_not_answered_from_a_review_of_years_that_ends_after_it(fake_engine):
    text = "新建改建农村公路146.5万公里，改造农村危房1033万户。"
    (review,) = picked(fake_engine, text, [(0, len(text))])
    review = replace(review, years=frozenset(range(2008, 2013)))  # under a 2008–2012 review
    composer = fake_engine.answerer.composer
    assert composer.over_several_years(fake_engine.analyze("2011年农村危房改造了多少户？"), [review])
    # One year of a plan named is that year, not the plan's five ("十二五开局那年" is 2011).
    assert composer.over_several_years(fake_engine.analyze("十二五开局那年农村危房改造了多少户？"), [review])
    # The review's last year may be given so ("城镇新增就业1351万人" of 2017 in the review of 2013–2017).
    assert not composer.over_several_years(fake_engine.analyze("2012年农村危房改造了多少户？"), [review])
