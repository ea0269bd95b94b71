"""The learned answer check: features, the model file, vetoes and the replies to off-topic input."""

import json

import numpy as np
import pytest

from policyqa.query.intent import off_topic
from policyqa.query.verify import FEATURES, Verifier, features


def model(coef: dict[str, float], threshold: float = 0.5) -> Verifier:
    return Verifier(
        {
            "features": list(FEATURES),
            "mean": [0.0] * len(FEATURES),
            "scale": [1.0] * len(FEATURES),
            "coef": [coef.get(f, 0.0) for f in FEATURES],
            "intercept": -1.0,
            "isotonic": {"x": [0.0, 0.5, 1.0], "y": [0.0, 0.4, 0.95]},
            "threshold": threshold,
        }
    )


def test_scores_rise_with_evidence_and_confidence_follows_the_isotonic_map():
    v = model({"coverage": 3.0, "figure_shown": 1.0})
    rows = np.zeros((3, len(FEATURES)))
    rows[1, FEATURES.index("coverage")] = 0.5
    rows[2, FEATURES.index("coverage")] = 1.0
    scores = v.score(rows)
    assert scores[0] < scores[1] < scores[2] and np.all((scores > 0) & (scores < 1))
    assert v.confidence(0.25) == pytest.approx(0.2) and v.confidence(1.0) == pytest.approx(0.95)


def test_a_model_for_other_features_is_refused():
    with pytest.raises(ValueError, match="other features"):
        Verifier({"features": ["dense"], "mean": [0], "scale": [1], "coef": [1], "intercept": 0,
                  "isotonic": {"x": [0, 1], "y": [0, 1]}, "threshold": 0.5})  # fmt: skip


def test_the_rules_check_never_reads_the_bundled_model(fake_engine, monkeypatch):
    """Rows for a verifier with new features are collected under the rules (eval/verifier/collect.py),
    while the bundled model still describes the old ones: loading it then would stop the collection."""
    from policyqa.query.engine import Engine

    def stale():
        raise ValueError("verifier model was trained on other features")

    monkeypatch.setattr(Verifier, "bundled", staticmethod(stale))
    engine = Engine(fake_engine.settings, fake_engine.embedder, fake_engine.index)
    assert engine.answerer.verifier is None
    assert engine.ask("试验区规划了多少个重大项目？").citations
    learned = fake_engine.settings.model_copy(update={"answer_check": "learned"})
    with pytest.raises(ValueError, match="other features"):
        Engine(learned, fake_engine.embedder, fake_engine.index)


def test_the_bundled_model_is_small_and_complete():
    v = Verifier.bundled()
    assert v is not None, "src/policyqa/query/verifier.json is missing: run eval/verifier/train.py"
    from importlib import resources

    path = resources.files("policyqa.query").joinpath("verifier.json")
    assert len(path.read_bytes()) < 1_000_000
    spec = json.loads(path.read_text(encoding="utf-8"))
    assert 0 < v.threshold < 1 and spec["info"]["questions"] > 1000
    assert np.all(np.diff(v.iso_y) >= 0)  # a probability that never falls as the score rises


def test_features_describe_a_candidate(fake_engine):
    engine = fake_engine
    analysis = engine.analyze("全疆入网登记的科技型企业有多少家？")
    hits = engine.retrieve(analysis, 5)
    scored = engine.answerer.composer.score(analysis, hits)
    ctx = engine.answerer.context(analysis, hits)
    row = dict(zip(FEATURES, features(scored[0], ctx)))
    assert len(row) == len(FEATURES) and all(np.isfinite(list(row.values())))
    assert row["figure_asked"] == 1.0 and 0 <= row["coverage"] <= 1 and row["inverse_rank"] > 0
    best = max(scored, key=lambda c: "20450家" in c.text)
    assert dict(zip(FEATURES, features(best, ctx)))["figure_shown"] == 1.0
    missing = engine.analyze("西藏全区入网登记的科技型企业有多少家？")
    row = dict(zip(FEATURES, features(scored[0], engine.answerer.context(missing, hits))))
    assert row["place_missing"] == 1.0
    # Two places named are answered one per sentence: a sentence about one of them misses none.
    both = engine.analyze("新疆和西藏入网登记的科技型企业分别有多少家？")
    row = dict(zip(FEATURES, features(scored[0], engine.answerer.context(both, hits))))
    assert both.places == ["新疆", "西藏"] and row["place_missing"] == 0.0


def test_the_subject_of_a_figure_is_the_thing_measured_not_which_figure_of_it():
    from policyqa.query.measured import figure_subject

    # Another target's sentence says 目标 too: the thing whose target is asked is what must be shown.
    assert figure_subject("2019年政府工作报告提出的粮食产量目标是多少？") == "粮食产量"
    assert figure_subject("2017年政府工作报告提出的财政赤字规模是多少？") == "财政赤字"
    assert figure_subject("2022年准备给企业退还和减免的税款总共有多少？") == "税款"
    assert figure_subject("乌鲁木齐银行科技支行2018年发放了多少科技贷款？") == "贷款"
    assert figure_subject("目标是多少？") is None
    # Asked with a unit after "多少", the unit is what every sum is written in: the thing is before it.
    assert figure_subject("2017年安排地方专项债券多少亿元？") == "债券"
    assert figure_subject("杜尚别2号火电站的装机容量是多少兆瓦？") == "装机容量"
    assert figure_subject("首批支持几个场景？") == "场景"
    assert figure_subject("总规模是多少亿元？") is None
    # How a figure is reached or moves names nothing measured: the thing is the word before.
    assert figure_subject("咱们省人工智能那个科技创新行动计划，算力要做到多大？") == "算力"
    assert figure_subject("研发投入要提高到多少？") == "投入"
    assert figure_subject("2023年经济增长目标是多少？") == "增长"  # the change is the figure
    assert figure_subject("中央预算内投资安排多少？") == "投资"
    assert figure_subject("每年补助多少？") == "补助"
    # … unless it is all the question says of the thing ("GDP" is no Chinese word the pattern reads)
    assert figure_subject("2021年报告定的GDP增长目标是多少？") == "增长"


OFF_TOPIC = [
    "你好", "您好！", "在吗？", "谢谢", "再见", "早上好", "hi", "Hello!", "你是谁？", "你叫什么名字",
    "介绍一下你自己", "你能做什么？", "你用的是什么模型", "帮我写一首关于天山的诗。", "写一篇关于春天的作文",
    "把这句话翻译成英文：创新驱动发展", "讲个笑话吧", "给我唱首歌", "帮我订一张去北京的机票", "推荐几本好书",
    "今天天气怎么样？", "乌鲁木齐明天的天气怎么样？", "现在几点了", "1+1等于几", "123乘以456等于多少？",
    "你是哪家单位研发的？", "明天的座谈会几点开始？", "下周的培训班哪天报到？", "今天几号？",
    "???", "。。。", "12345", "\t", "哈哈哈哈", "嗯嗯", "What's the weather like today?", "asdfghjkl",
    "帮我把这句话翻成英文：加快建设高水平创新型省份。", "你觉得山东这个人工智能政策靠不靠谱？", "你怎么看这份报告？",
    "这个系统怎么用？", "能直接帮我导出成Word吗？", "你们的平台怎么查文件？",
]  # fmt: skip


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_off_topic_input_gets_the_description_and_no_quote(fake_engine, text):
    assert off_topic(text), text
    if not text.strip():
        return  # an empty question is an input error before any reply
    answer = fake_engine.ask(text)
    assert answer.abstained and not answer.citations and not answer.related
    assert "政策文件问答助手" in answer.answer and "《" in answer.answer


@pytest.mark.parametrize(
    "text",
    ["星创天地有多少个？", "2023年政府工作报告提出的经济增长目标是多少？", "What is 新政发〔2018〕44号 about?",
     "游戏的模式有哪些？", "电视剧《鳄鱼泪》第一次播出是什么时候？", "科技部下拨资金是多少？",
     "条例从什么时候起施行？", "明年的经济增长目标是多少？", "今年的报告是哪天作的？",
     "你觉得这个条例是哪一年施行的？", "报告对政府工作怎么样评价？", "国家科技管理信息系统如何使用？",
     "资料导出成表格要什么格式？"],
)  # fmt: skip
def test_questions_are_not_taken_for_chit_chat(text):
    assert off_topic(text) is None


def test_question_words_alone_ask_about_the_earlier_turn(fake_engine):
    # Alone they ask nothing about the documents; after a question they ask about its subject.
    assert off_topic("是哪一年？") == "no content words"
    assert off_topic("是哪一年？", in_conversation=True) is None
    history = [{"role": "user", "content": "国务院什么时候批复同意了乌昌石国家自主创新示范区？"}]
    answer = fake_engine.ask("是哪一天？", history=history)
    assert not any(r.startswith("不是关于资料的问题") for r in answer.reasons)
    assert answer.citations or answer.related


def test_a_figure_answer_is_as_sure_as_its_best_sentence_holding_the_figure(fake_engine):
    """The deficit sentence covers the question best but gives no ratio; the M2 sentence gives a
    percentage about something else: the answer must not be as sure as the first."""
    from dataclasses import replace

    from policyqa.query.picked import Picked
    from policyqa.query.retrieve import Hit

    engine = fake_engine
    analysis = engine.analyze("财政赤字率定为多少？")
    hit = engine.retrieve(analysis, 1)[0]
    text = "今年拟安排财政赤字10500亿元。今年广义货币M2增长目标为17%左右。"
    hit = Hit(replace(hit.chunk, text=text), hit.score, 1, hit.sources, hit.row)
    picked = [Picked(hit, 0, 15, 1.0, frozenset(), 0.9), Picked(hit, 15, len(text), 0.5, frozenset(), 0.2)]
    answerer = engine.answerer
    saved = answerer.verifier
    # Only coverage counts: the first sentence shares more of the question's words than the second.
    answerer.verifier = model({"coverage": 4.0}, threshold=0.3)
    try:
        ctx = answerer.context(analysis, [hit])
        scores = answerer.verifier.score(np.stack([features(c, ctx) for c in picked]))
        assert scores[0] > scores[1]
        confidence, _ = answerer.assess(analysis, [hit], picked)
        assert confidence == pytest.approx(answerer.verifier.confidence(float(scores[1])))
    finally:
        answerer.verifier = saved


def test_a_follow_ups_own_words_weigh_most_in_its_coverage(fake_engine):
    """ "那兵团呢？" after a question about the fund: a sentence about the fund but not 兵团 covers less of
    what the follow-up asks than the whole joined question suggests."""
    from policyqa.query.params import SENTENCES
    from policyqa.query.sentences import overlap
    from policyqa.text.normalize import search_key

    engine = fake_engine
    first = "自治区科技成果转化基金有多少？"
    analysis = engine.analyze("那中科援疆基金呢？", history=[first])
    hits = engine.retrieve(analysis, 5)
    ctx = engine.answerer.context(analysis, hits)
    for c in engine.answerer.composer.score(analysis, hits)[:5]:
        key = search_key(c.text)
        row = dict(zip(FEATURES, features(c, ctx)))
        joined, own = overlap(analysis.terms, key), overlap(analysis.focus_terms, key)
        share = SENTENCES.focus_share
        assert 0 < share < 1 and row["coverage"] == pytest.approx(share * own + (1 - share) * joined)
    alone = engine.analyze(first)
    c = engine.answerer.composer.score(alone, hits)[0]
    row = dict(zip(FEATURES, features(c, engine.answerer.context(alone, hits))))
    assert row["coverage"] == pytest.approx(overlap(alone.terms, search_key(c.text)))


def test_a_named_year_weighs_as_an_ordinary_word_of_the_question(fake_engine):
    """ "2017年…有多少家？": as a rare word the year would weigh more than any other word of the question,
    and a sentence that states the year but not what is asked would cover much of it."""
    from policyqa.query.sentences import overlap
    from policyqa.query.verify import content_terms
    from policyqa.text.normalize import search_key

    engine = fake_engine
    analysis = engine.analyze("2017年全疆入网登记的科技型企业有多少家？")
    asked = content_terms(analysis, analysis.terms)
    others = {t: w for t, w in analysis.terms.items() if t != "2017"}
    assert analysis.years == [2017] and analysis.terms["2017"] > max(others.values())
    assert asked["2017"] == pytest.approx(sum(others.values()) / len(others))
    assert {t: w for t, w in asked.items() if t != "2017"} == others
    only_year = search_key("2017年，自治区新建了一批创新平台。")
    assert overlap(asked, only_year) == pytest.approx(asked["2017"] / sum(asked.values()))
    assert overlap(asked, only_year) < overlap(analysis.terms, only_year)
    indicator = search_key("全疆入网登记的科技型企业达到20450家。")
    assert overlap(asked, indicator) > overlap(analysis.terms, indicator)
    hits = engine.retrieve(analysis, 5)
    ctx = engine.answerer.context(analysis, hits)
    for c in engine.answerer.composer.score(analysis, hits)[:5]:
        row = dict(zip(FEATURES, features(c, ctx)))
        assert row["coverage"] == pytest.approx(overlap(asked, search_key(c.reads or c.text)))
    # A question of nothing but its year keeps the year: there is nothing else to cover.
    bare = engine.analyze("2017年")
    assert bare.terms and content_terms(bare, bare.terms) == bare.terms


@pytest.mark.parametrize("text", ["那2009年呢？", "2021年呢", "那么去年呢？", "2009年？"])
def test_a_year_alone_is_a_question_cut_short(fake_engine, text):
    """Without an earlier turn "那2009年呢？" asks nothing: any sentence naming 2009 would be a guess."""
    assert off_topic(text) == "only a year"
    answer = fake_engine.ask(text)
    assert answer.abstained and not answer.citations and not answer.related
    assert "只说了年份" in answer.answer and "政策文件问答助手" in answer.answer
    # After a question it asks that question about the year.
    assert off_topic(text, in_conversation=True) is None
    assert off_topic("那2021年的赤字率呢？") is None
