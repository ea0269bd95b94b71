"""The hard checks on an answer (checks.py): which failures refuse it whatever the learned score."""

from policyqa.query.analysis import QueryAnalysis
from policyqa.query.checks import evidence_text, figure_elsewhere

from ..conftest import candidates, fake_engine_over


def test_asked_how_much_an_answer_without_any_number_is_refused_whatever_its_score(tmp_path):
    law = (
        "上海市技术市场条例\n\n"
        "第二十一条 法人和其他组织可以从技术交易的收益中提取一定比例，作为对该技术项目直接完成人的奖励。\n\n"
        "第二十二条 技术合同登记机构应当在受理申请之日起三十日内予以登记。"
    )
    engine = fake_engine_over({"law": law}, tmp_path)

    def checked(question):
        analysis = engine.analyze(question)
        quoted = [c for c in candidates(engine, question) if "提取一定比例" in c.text]
        assert quoted, "the article is a candidate"
        return engine.answerer.checks.check(analysis, quoted)

    # Asked how much: the article holds no number, so no learned score can make it an answer.
    reasons, vetoed = checked(
        "上海市技术市场条例规定，从技术交易收益中提取奖励给直接完成人的比例不低于多少？"
    )
    assert vetoed and any("没有任何数字" in r for r in reasons)
    # Asked how it is laid down, the same article may answer.
    reasons, vetoed = checked("上海市技术市场条例对技术交易收益中奖励直接完成人的比例是怎么规定的？")
    assert not vetoed


def test_a_title_named_that_no_document_holds_or_mentions_refuses_quotes_of_titled_documents(tmp_path):
    law = "上海市技术市场条例\n\n第二十二条 技术合同登记机构应当在受理申请之日起三十日内予以登记。"
    engine = fake_engine_over({"law": law}, tmp_path)
    question = "深圳经济特区技术转移条例规定技术合同登记机构应当在多少日内予以登记？"
    analysis = engine.analyze(question)
    quoted = [c for c in candidates(engine, question) if "三十日内" in c.text]
    assert quoted
    reasons, vetoed = engine.answerer.checks.check(analysis, quoted)
    assert vetoed and "资料中没有《深圳经济特区技术转移条例》" in reasons
    # The document the question names by its own title is no reason to refuse.
    own = "上海市技术市场条例规定技术合同登记机构应当在多少日内予以登记？"
    quoted = [c for c in candidates(engine, own) if "三十日内" in c.text]
    assert not engine.answerer.checks.check(engine.analyze(own), quoted)[1]


def test_the_evidence_reads_a_passage_with_its_documents_place_and_year(fake_engine):
    hit = fake_engine.retrieve(fake_engine.analyze("科普经费"), 1)[0]
    doc = fake_engine.document(hit.chunk.doc_id)
    said = evidence_text([hit], {hit.chunk.doc_id: {**doc, "metadata": {"region": "西藏", "year": 1999}}})
    assert "西藏" in said and "1999" in said
    bare = evidence_text([hit], {})  # a document without metadata: the passage and its headings only
    assert "西藏" not in bare and "1999" not in bare and bare in said.replace(" 西藏 1999", "")


def test_a_figure_given_for_another_measure_beside_the_one_asked_does_not_answer():
    plan = (
        "到2020年，中译英、英译中场景下产品的翻译准确率超过85%，少数民族语言与汉语的智能互译准确率显著提升。"
    )
    minority = QueryAnalysis.of("到2020年少数民族语言和汉语智能互译准确率要达到多少？")
    assert figure_elsewhere(minority, [plan])
    # The measure the figure is written for is answered, and so is the asked one when it has the figure.
    assert not figure_elsewhere(QueryAnalysis.of("到2020年中英互译准确率要达到多少？"), [plan])
    given = "到2020年，少数民族语言与汉语的智能互译准确率超过85%，中译英场景下的翻译体验显著提升。"
    assert not figure_elsewhere(minority, [given])
    # A clause before the figure sets its topic; an adverbial one leads into a clause without a figure.
    prize = QueryAnalysis.of("拿了国家最高科学技术奖的个人能奖多少钱？")
    assert not figure_elsewhere(prize, ["对获得国家最高科学技术奖的个人，给予每人800万元奖励；"])
    days = QueryAnalysis.of("主管部门几天内给办合同登记？")
    assert not figure_elsewhere(
        days, ["主管部门应当自收到文件之日起3个工作日内，对技术进口合同进行登记，颁发登记证。"]
    )
    # A year in the topic clause is no figure of its own.
    award = QueryAnalysis.of("2023年新认定的高新技术企业能拿多少奖励？")
    assert not figure_elsewhere(award, ["对2023年新认定的高新技术企业，给予10万元奖励。"])
    # One of several quotes giving the figure for the measure asked is enough.
    assert not figure_elsewhere(minority, [plan, given])


def test_a_question_without_a_figure_asked_is_never_refused_for_one(fake_engine):
    assert not figure_elsewhere(
        QueryAnalysis.of("翻译准确率有什么要求？"), ["翻译准确率超过85%，体验显著提升。"]
    )
