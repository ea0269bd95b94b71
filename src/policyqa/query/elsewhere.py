"""Quotes whose figure is not the one asked, though it is of the asked kind: written for another measure
beside one that only changes, stated by the question itself, or the number of another document.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..text.normalize import DOCNUM_RE, search_key
from .analysis import QueryAnalysis
from .naming import QUOTED_TITLE
from .params import CONFIDENCE
from .sentences import naming_words, said
from .years import asks_over_years, says_over_years, written_years

_CLAUSE = re.compile(r"[^，；：,;:]+")


def figure_elsewhere(analysis: QueryAnalysis, quotes: list[str]) -> bool:
    """Every quote writing the asked kind of figure writes it for another measure, and says of the one
    asked, in a later clause, only that it will change ("中译英、英译中场景下产品的翻译准确率超过85%，少数民族
    语言与汉语的智能互译准确率显著提升" gives no figure for translation between minority languages and
    Chinese). A clause before the figure sets its topic ("对获得国家最高科学技术奖的个人，给予每人800万元
    奖励"), and an adverbial one leads into a clause without figure ("自收到文件之日起3个工作日内，对…合同
    进行登记"): neither is another measure. Words naming the document and the years asked tell no clause
    from another."""
    figure, share = analysis.figure, CONFIDENCE.clause_share
    if figure is None or not share:
        return False
    terms = asked_terms(analysis)
    showing = showing_figure(figure, quotes)
    return bool(showing) and all(_unbound(terms, figure.shows, q, share) for q in showing)


def showing_figure(figure, quotes: list[str]) -> list[str]:
    """The quotes that write a figure of the asked kind (``figure``, an AskedFigure)."""
    return [q for q in quotes if figure.shows.search(search_key(q))]


def asked_terms(analysis: QueryAnalysis) -> dict[str, float]:
    """The question's weighed words, less those naming its document and years (they tell no clause
    from another)."""
    naming = naming_words(analysis.terms, analysis)
    years = {str(y) for y in analysis.years}
    return {t: w for t, w in analysis.terms.items() if t not in naming and t.removesuffix("年") not in years}


# A measure said to change without a figure: "显著提升", "进一步提高", "明显改善".
_QUALITATIVE = re.compile(
    r"(?:显著|明显|大幅度?|进一步|稳步|持续|全面|不断|有效|较大|逐步)"
    r"(?:提升|提高|增强|增长|增加|改善|扩大|下降|降低|减少|优化|突破)"
    # or a clause that only sets it to work: "…淘汰黄标车和老旧车600万辆，推广新能源汽车"
    r"|^(?:继续|大力|积极|加快|加大|加强|推进|推广|支持|鼓励|促进)"
)


def _covered(terms: dict[str, float], quote: str) -> tuple[list[str], list[float]]:
    """The quote's clauses (search keys) and how much of the question each says."""
    clauses = [search_key(c) for c in _CLAUSE.findall(quote)]
    return clauses, [sum(w for t, w in terms.items() if said(t, c)) for c in clauses]


def _unbound(terms: dict[str, float], shows: re.Pattern[str], quote: str, share: float) -> bool:
    clauses, cover = _covered(terms, quote)
    holding = [i for i, c in enumerate(clauses) if shows.search(c)]
    if not holding:
        return False
    last, named = holding[-1], max(cover[i] for i in holding)
    return any(
        cover[j] > 0
        and named < share * cover[j]
        and _QUALITATIVE.search(clauses[j])
        and not shows.search(clauses[j])
        for j in range(last + 1, len(clauses))
    )


# An amount a text leaves open: "给予一定奖励", "一定比例", "适当补助".
_VAGUE = re.compile(
    r"一定(?:的)?(?:比例|数额|金额|奖励|补助|补贴|资助|经费|资金|期限|年限|数量|规模|额度|名额)"
    r"|适当(?:的)?(?:奖励|补助|补贴|资助)"
)


def vague_instead(analysis: QueryAnalysis, quotes: list[str]) -> bool:
    """Asked how much, the clause saying most of what is asked leaves the amount open, and no figure
    follows it in its quote ("对省内企业购买先进技术成果…的，可以按照其上年度技术合同成交额给予一定奖励或者
    补助" does not say what share; the 70% of another article beside it is another measure's). "给予一定
    奖励，最高不超过50万元" gives the figure after it."""
    figure, share = analysis.figure, CONFIDENCE.clause_share
    if figure is None or not analysis.amount or not share:
        return False
    terms = asked_terms(analysis)
    vague, holding = [0.0], [0.0]
    for quote in quotes:
        clauses, cover = _covered(terms, quote)
        shows = [figure.shows.search(c) is not None for c in clauses]
        holding += [w for w, s in zip(cover, shows, strict=True) if s]
        vague += [cover[i] for i, c in enumerate(clauses) if _VAGUE.search(c) and not any(shows[i:])]
    return max(vague) > 0 and max(holding) < share * max(vague)


# GDP, and the ratios to it that reports give beside it: energy use per unit of GDP, GDP per head, a
# spending's share of GDP ("研究与试验发展经费支出与国内生产总值之比", "占国内生产总值的比重").
_GDP = re.compile(
    r"(单位|人均|[与占][^，。；,;]{0,6}?)?(?:国内生产总值|生产总值|gdp)(的?(?:之比|比重|比例))?"
)


_SHARE = re.compile(r"占|比重|份额|比例|之比")
# GDP in other words: "全年经济增长7.4%", "经济总量突破100万亿元".
_ECONOMY = re.compile(r"经济(?:总量|规模|增速|[^，。；,;]{0,8}增长)|增长速度")


def _ratio(m: re.Match) -> bool:
    return bool(m.group(1) or m.group(2))


def per_unit_instead(analysis: QueryAnalysis, quotes: list[str]) -> bool:
    """Asked GDP, every quote with a figure that speaks of GDP speaks of a ratio to it ("2007年单位国内生产
    总值能耗比上年下降3.27%" is no GDP growth); asked such a ratio ("单位GDP能耗下降目标"), every one speaks
    of GDP itself ("国内生产总值增长5.5%左右")."""
    figure = analysis.figure
    text = search_key(analysis.text)  # a follow-up ("那2014年实际呢？") asks the earlier turn's measure
    asked = list(_GDP.finditer(text))
    if figure is None or not asked:
        return False
    # ("数字经济在全省GDP中要占多大份额" asks a share, wherever its words stand)
    per = any(map(_ratio, asked)) or _SHARE.search(text) is not None
    # Read by sentence: "国内生产总值达到56.9万亿元，比上年增长7.7%" names GDP in the clause before its figure.
    showing = [q for q in map(search_key, quotes) if figure.shows.search(q)]
    said = [{_ratio(m) for m in _GDP.finditer(q)} for q in showing]
    # Asked GDP in so many words (not in the earlier turn of a follow-up that asks another measure,
    # "这一年的城镇新增就业目标呢？"), quotes on profits or exports, none on the economy's size.
    own = _GDP.search(search_key(analysis.question)) is not None
    if own and not per and showing and not any(said) and not any(_ECONOMY.search(q) for q in showing):
        return True
    said = [s for s in said if s]
    return bool(said) and all(per not in s for s in said)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def echoed(analysis: QueryAnalysis, quotes: list[str]) -> bool:
    """Every figure of the asked kind in the quotes is one the question states itself ("中央财政要拿305
    亿，那地方财政得配套多少钱？" is not answered by "中央财政…资金将达305亿元"): the question gave it as
    what it knows, and asks another. Years are no figures here; a figure in words is not compared."""
    figure = analysis.figure
    if figure is None:
        return False
    question = search_key(analysis.question)
    years = written_years(question)
    stated = {n for n in _NUMBER.findall(question) if int(float(n)) not in years}
    if not stated:
        return False
    shown = [_number_at(quote, m) for quote in map(search_key, quotes) for m in figure.shows.finditer(quote)]
    return bool(shown) and all(n is not None and n in stated for n in shown)


def _number_at(key: str, m: re.Match) -> str | None:
    """The number in digits that a figure match ``m`` of ``key`` starts in or holds ("305" of "305亿元")."""
    return next(
        (
            n.group()
            for n in _NUMBER.finditer(key)
            if n.start() <= m.start() < n.end() or m.start() <= n.start() < m.end()
        ),
        None,
    )


# A document number written right after the title it belongs to: "《…的通知》（国发〔2017〕35号）".
_TITLED_NUMBER = re.compile(r"《([^《》]{2,60})》[(（]?(" + DOCNUM_RE.pattern + ")")


def numbers_other(analysis: QueryAnalysis, quotes: list[str]) -> bool:
    """Asked the number of a document the question names in 《》, every number quoted is that of
    another document, cited by its title ("《高等学校人工智能创新行动计划》本身的发文字号" is not "《国务院
    关于印发新一代人工智能发展规划的通知》（国发〔2017〕35号）"). A question that describes the document in
    its own words ("区里下发的指导文件是哪个号？") may be answered by any cited title's number, and a
    number without its title may be the one asked."""
    figure = analysis.figure
    named = [
        bigrams(_ASIDE.sub("", t))
        for t in QUOTED_TITLE.findall(search_key(analysis.question))
        if len(t) <= 60
    ]
    if figure is None or figure.name != "document number" or not named:
        return False
    numbers = [m for q in map(search_key, quotes) for m in DOCNUM_RE.finditer(q)]
    titled = [m.group(1) for q in map(search_key, quotes) for m in _TITLED_NUMBER.finditer(q)]
    if not numbers or len(titled) < len(numbers):
        return False
    # (a title's bracketed aside, "（专项、基金等）", is left out: questions name the title without it)
    titles = [bigrams(_ASIDE.sub("", t)) for t in titled]
    return not any(len(t & n) >= 0.5 * len(t) for t in titles for n in named)


_ASIDE = re.compile(r"[(（][^()（）]*[)）]")


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def bigram_share(phrase: str, text: str) -> float:
    """The share of the phrase's character pairs that the text writes."""
    pairs = bigrams(phrase)
    return sum(p in text for p in pairs) / max(1, len(pairs))


def one_year_instead(analysis: QueryAnalysis, quotes: list[str], reviewing: Collection[str] = ()) -> bool:
    """Asked an average or a total over years, every quote giving the asked kind of figure gives one
    year's ("今年发展主要预期目标是：国内生产总值增长5%左右" for 十四五期间的年均增速, "今年要完成1000万以上
    农村贫困人口脱贫任务" for 十三五期间一共脱贫多少): the reverse of a several-year figure given for one
    year (Composer.over_several_years). The quotes ``reviewing`` look back on the whole asked run of
    years (years.looks_back: "一、“十一五”时期…的回顾" over "使1100万户困难家庭住上了新房")."""
    figure = analysis.figure
    if figure is None or not asks_over_years(analysis.question):
        return False
    showing = showing_figure(figure, quotes)
    # (a quote beside, on another subject, tells nothing: "累计扩招413万人" beside "城镇新增就业1206万人")
    subject = search_key(analysis.subject or "")
    showing = [q for q in showing if subject and subject in search_key(q)] or showing
    return bool(showing) and not any(says_over_years(q) or q in reviewing for q in showing)
