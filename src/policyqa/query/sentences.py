"""What a sentence says, read against the question: whether it says the question's words and how much of
them, whether the figure it gives stands by the thing asked about, which years it asks and speaks of,
whether it sets out a plan or tells a result, whether it opens an enumeration or is a law's adoption line.

Pure functions of the sentence, its document's year and the question's analysis; the composer
(compose.py) weighs them into a score and chooses the sentences an answer quotes.
"""

from __future__ import annotations

import re

from ..text.dates import FIVE_YEAR_PLAN, five_year_plan
from ..text.normalize import search_key, term_forms
from ..text.segment import ENUMERATING, ITEM
from .analysis import QueryAnalysis
from .asking import COMPARE, PLANNED
from .measured import FIGURE_ROLES, is_unit
from .params import SENTENCES
from .years import stated_years, written_years

# Where a clause ends in a search key (full-width punctuation is folded by NFKC).
_CLAUSE_END = re.compile(r"[,;:。!?]")
_DIGITS = frozenset("0123456789.")


def figure_of(key: str, figure: re.Pattern[str], subject: str) -> bool:
    """A figure of the kind asked stands right by the thing asked about: "十个示范应用场景" counts 场景,
    "科技部等六部门联合印发的《关于加快场景创新…》" counts departments; "赤字率拟按4%左右" gives the rate.
    Within its own clause: in "农村贫困人口减少1000万以上,居民收入增长与经济增长基本同步" the count is of
    people lifted out of poverty, not of 增长."""
    # "多少亿元", "多少个小时": the unit is no subject, every sum or time is written in it. (A figure
    # pattern that reads any digit matches "1增长" too, but without taking 增长 in: that is no unit.)
    unit = figure.match(f"1{subject}")
    if (unit is not None and unit.end() > 1) or is_unit(subject):
        return False
    window = SENTENCES.subject_window
    for m in figure.finditer(key):
        start = m.start()
        while start and key[start - 1] in _DIGITS:  # "15.6%" is matched from its "5.6%"
            start -= 1
        before = _CLAUSE_END.split(key[max(0, start - window) : start])[-1]
        after = _CLAUSE_END.split(key[m.end() : m.end() + window])[0]
        if subject in after or (subject in before and not _modifies(before, subject)):
            return True
    return False


def _modifies(before: str, subject: str) -> bool:
    """The subject only qualifies another thing the figure measures: "科技进步对经济增长的贡献率达到60%"
    gives a 贡献率, not a 增长 ("专项债券的规模为2.15万亿元" still gives the bonds' size)."""
    tail = before[before.rindex(subject) + len(subject) :]
    if "的" not in tail:
        return False
    thing = tail.rsplit("的", 1)[1]  # nothing: "占全疆的15.6%" is the share of 全疆 itself
    return bool(thing) and not thing.startswith(FIGURE_ROLES)


SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*|\n")
# A question asking which ones (QueryAnalysis.which) is answered by an enumeration: a sentence ending in
# "下列…：", or a short line of its own such as a plan's box "专栏2：前瞻性技术", with its items on lines of
# their own below it ("（一）科学发现；", "1.智能制造技术。", "二、…").
_ENUMERATION = re.compile(rf"(?:{ENUMERATING})[^。；;]{{0,30}}[：:]\s*$|^[^，。；;！？]{{2,24}}$")

# A law's adoption line: "（2010年12月23日北京市第十三届人民代表大会常务委员会第二十二次会议通过）", also
# with its later revisions ("…通过　根据…修正").
# (or revised by a State Council decision, or promulgated by its order: "2023年12月11日《国务院关于修改〈…〉的
# 决定》第三次修订", "2001年6月15日中华人民共和国国务院令第306号公布")
_ADOPTED = re.compile(
    r"[（(]?\s*(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^。；]{0,200}?"
    r"(?:会议|常务委员会|常委会|决定》|令第)[^。；]{0,40}?(?:通过|批准|修订|修正|公布)[^。；]{0,200}?[）)]?"
)


def adoption_line(sentence: str) -> bool:
    return bool(_ADOPTED.fullmatch(sentence.strip()))


# Words asking who made a text, not who carries it out ("哪个机关通过的" against "归哪个部门管").
_MADE = re.compile(r"通过|批准|修订|修正|修改|制定|颁布|公布|审议|发布|出台|印发|会议|[几哪]号令")
_VERSION_NAMED = re.compile(
    r"(?:19|20)\d\d\s*年\s*(?:新)?(?:修订|修正|修改)(?:以?后的?(?=[^\s？?。！!])|的(?=[^\s？?。！!，,]))"
)


def asks_made(analysis: QueryAnalysis) -> bool:
    """Whether the question asks when, at which meeting or by whom its text was made, the things a law's
    adoption line says. Naming the version ("2024年修订的那个…规定") asks none of them: "…归哪个部门管"
    asks the body in charge, which an article names."""
    if asks_date(analysis):
        return True
    text = _VERSION_NAMED.sub("", analysis.text)
    for phrase in _naming(analysis):
        text = text.replace(phrase, "")
    return bool(_MADE.search(text))


def asks_adoption(analysis: QueryAnalysis, sentence: str) -> bool:
    """Asked when or by which body the text was made, and ``sentence`` is a law's adoption line, which
    says both."""
    return (asks_date(analysis) or analysis.body) and adoption_line(sentence) and asks_made(analysis)


def said(term: str, key: str) -> bool:
    """Whether the search key ``key`` says the question's word ``term``, in any of its forms ("高企" is
    said by "高新技术企业")."""
    return any(form in key for form in term_forms(search_key(term)))


def overlap(terms: dict[str, float], key: str, ignore: frozenset[str] = frozenset()) -> float:
    """IDF-weighted share of ``terms`` found in the search key ``key``; words in ``ignore`` earn nothing
    but still count in the whole, so scores keep the scale the margins were chosen on."""
    total = sum(terms.values()) or 1.0
    return sum(w for t, w in terms.items() if t not in ignore and said(t, key)) / total


def _naming(analysis: QueryAnalysis) -> list[str]:
    """The phrases of the question that name its document (scope.naming), when they are set aside."""
    return analysis.scope.naming if analysis.scope is not None and SENTENCES.drop_naming else []


def naming_words(
    terms: dict[str, float], analysis: QueryAnalysis, also: frozenset[str] = frozenset()
) -> frozenset[str]:
    """The question's words that name the document it is answered from ("2024年修订的上海市科学技术进步
    条例什么时候施行？"): they already chose the passages, and would otherwise favour the sentence that
    repeats the title and revision date over the one that answers. Words ``also`` set aside (the tense's)
    join them when some word is left to count."""
    naming = _naming(analysis)
    found = frozenset(t for t in terms if any(t in phrase for phrase in naming))
    found = found if len(found) < len(terms) else frozenset()
    more = found | (also & terms.keys())
    return more if len(more) < len(terms) else found


def asks_date(analysis: QueryAnalysis) -> bool:
    """Whether the question asks for a day or a date ("哪天印发", "什么时间之前")."""
    return analysis.figure is not None and analysis.figure.name in ("day", "date")


def content_years(analysis: QueryAnalysis) -> set[int]:
    """The years a question asks about: not those that only pick a revision of the document it names,
    nor the year of a yearly report it names when it asks about another ("2016年政府工作报告说2015年城镇
    新增就业多少人" asks about 2015; "2023年政府工作报告提出的赤字率" about 2023)."""
    scope = analysis.scope
    revisions = scope.version_years if scope is not None else []
    years = {y for y in analysis.years if y not in revisions}
    # A year written out beyond the five-year period the question also names is what it asks of the
    # plan the period names ("“十四五”智能制造规划里，到2035年…" asks about 2035, not 2021–2025).
    # (Not the year of the report named: "2001年的报告总结“九五”…" asks about 1996–2000.)
    naming = set(scope.years) if scope is not None and scope.documents else set()
    periods = [five_year_plan(m)[:2] for m in FIVE_YEAR_PLAN.finditer(analysis.text)]
    beyond = {y for y in written_years(analysis.text) - naming if not any(a <= y <= b for a, b in periods)}
    spanned = {y for a, b in periods for y in range(a, b + 1)}
    if periods and beyond and analysis.mode != "compare":
        years -= spanned - beyond
    elif periods and analysis.mode != "compare":
        years -= naming - spanned  # the report that looks back on the period is not what is asked
    # Only a year written out asks about another: a plan's period ("2001年政府工作报告提出“十五”期间…")
    # is the report's own subject.
    if written_years(analysis.text) - naming:
        return years - naming
    if asks_date(analysis) and years <= naming:
        # "2021年政府工作报告说的碳达峰时间是哪一年？" asks a year the report names, not the report's.
        return set()
    report_years = naming - set(revisions)
    if len(report_years) == 1:
        # Years counted from the report named: "2013年政府工作报告中过去五年…" asks about 2008–2012, as
        # that report's own 过去五年 means; "…去年…" about 2012 ("比去年" is a baseline, not asked).
        text = analysis.text
        for phrase in scope.naming:
            text = text.replace(phrase, "")
        counted = stated_years(text, next(iter(report_years)))
        if counted:
            return set(counted)
    return years


def compared(analysis: QueryAnalysis) -> dict[str, float]:
    """The words of a comparison that say what is compared: not the years ("2022", "2024"), the places
    ("上海和浙江的…") or the title that name its sides, nor the comparison's own words (相比, 变化), which
    say nothing about which figure it is."""
    sides = [str(y) for y in analysis.years] + list(analysis.places)
    comparing = " ".join(m.group(0) for m in COMPARE.finditer(analysis.text))  # "有何不同" → 有何, 不同
    naming = naming_words(analysis.terms, analysis)
    return {
        t: w
        for t, w in analysis.terms.items()
        if not any(s in t for s in sides) and t not in comparing and t not in naming
    }


def names(topic: dict[str, float], sentence: str) -> bool:
    """Whether a sentence names enough of what is compared to hold its figure for one year."""
    return not topic or overlap(topic, search_key(sentence)) >= SENTENCES.compare_topic


# A sentence that opens with the year it is to reach ("到2035年，…数字政府基本建成") sets a target.
_TARGET_YEAR = re.compile(r"^\W*(?:[一二三四五六七八九十\d]+[、.．]\s*)?到(\d{4})年")


def sets_plan(sentence: str, doc_year: int) -> bool:
    """Whether a sentence sets out a plan: a plan's words, or a target year it opens with that is not
    before its document's year (a review's "到2002年底" tells a result; an undated document's target
    years are taken as targets)."""
    if PLANNED.search(sentence):
        return True
    m = _TARGET_YEAR.match(sentence)
    return m is not None and int(m.group(1)) >= (doc_year or 0)


def enumeration_end(text: str, start: int, end: int) -> int | None:
    """Where the enumeration opened by ``text[start:end]`` ends (after its last item within
    ``SENTENCES.enumeration_chars`` of ``start``), or None when it opens none or its first item is
    already longer ("今年要重点抓好八个方面工作：" before paragraphs of several hundred characters each)."""
    first = ITEM.match(text, end)
    if first is None or not _ENUMERATION.search(text[start:end]):
        return None
    pos, style = end, first.lastgroup
    # Items of one kind of numbering: "（二）" after "1.…2.…" is the next heading, not an item.
    while (item := ITEM.match(text, pos)) is not None and item.lastgroup == style:
        stop = SENTENCE_END.search(text, item.end())
        nxt = stop.end() if stop else len(text)
        if len(re.sub(r"\s", "", text[start:nxt])) > SENTENCES.enumeration_chars:  # blank lines are free
            break
        pos = nxt
    while pos > end and text[pos - 1].isspace():
        pos -= 1
    return pos if pos > end else None  # not even its first item fits: it answers nothing on its own


def tells_result(sentence: str, doc_year: int) -> bool:
    """Whether a sentence of a document of ``doc_year`` may tell how that year turned out. A year's own
    report is written as the year begins: its "今年" sentences and its plans (目标, 拟, 左右…) say
    what is intended, so "2022年实际新增就业" is answered by the 2023 report's review. Only a sentence
    that writes the year out and plans nothing ("2022年全国技术合同成交额达到4.8万亿元", in a notice of
    December) may."""
    return doc_year in written_years(sentence) and not PLANNED.search(sentence)


def reviews(sentence: str, years: frozenset[int], asked: set[int], doc_year: int) -> bool:
    """Whether a sentence of a document of ``doc_year`` looks back on the asked years it speaks of: the
    2021 report's "城镇新增就业1186万人" tells what 2020 achieved, not the target 2020 set, unless it
    writes a plan's words ("全年目标任务…")."""
    spoken = years & asked
    return bool(doc_year and spoken) and doc_year > max(spoken) and not PLANNED.search(sentence)
