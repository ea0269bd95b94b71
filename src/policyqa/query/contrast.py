"""A figure for a neighbouring measure: the question qualifies a word one way ("户籍人口城镇化率",
"门诊的费用…结算率", "普通铁路"), and the clause giving the figure qualifies the same word another way
("常住人口城镇化率提高到65%", "住院费用跨省直接结算率达到60%", "新增高速铁路运营里程4100公里"). Also
another round of a series ("首批" for 第二批) and another grade of a scale ("优秀" for 良好).

The qualifier asked must be a word the quoted document itself writes somewhere, or a sibling of the
quoted one (林业 for 农业): a document that writes 门诊 and gives the figure only for 住院 tells the two
apart, while a question's own wording ("市面上的货币") is no qualifier the document could have used. A
qualifying phrase sharing a character with the asked qualifier says it another way ("居民消费价格总水平"
for 物价, "个人所得税" for 个税), unless it is the last of both, which names the kind ("公路" / "铁路"); so
the check never refuses a paraphrase sharing one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..text.dates import cn_numeral
from ..text.normalize import search_key, term_forms, to_simplified
from ..text.segment import tagged
from .analysis import QueryAnalysis

# Nouns, nouns made of verbs, distinguishing words, adjectives, abbreviations and set phrases: what
# qualifies a measure ("户籍", "门诊", "常住"), not a verb or an adverb ("要", "提高", "大规模").
# (jieba takes many a crop or a thing for a person's name, "玉米" among them: nr counts; places do not,
# the place checks see to them)
_QUALIFIER = re.compile(r"^(?:n(?!s)|vn|b|a|j|l)")
# Verbs of planning and change stand before every measure ("计划投资", "提高…比重"); they qualify none.
_CHANGE = re.compile(
    r"安排|计划|完成|实现|达到|提高|提升|增加|增长|下降|降低|减少|保持|控制|推进|支持|投入|发行|要求"
    # … nor do the words of when or how final ("经济实际增长" is the growth, as it turned out)
    r"|实际|最终|最后|结果|全年|当年|今年|去年|明年|上年"
)
_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")
# A document's kind names where the figure is written ("报告安排的财政赤字"), and a whole ("全国铁路营业
# 里程") the measure's extent: neither is a kind of measure.
_NO_KIND = re.compile(
    r"报告|决议|文件|条例|规划|方案|意见|通知|办法|细则|规定|纲要|指南|法|全[国省市区县疆]|全社会"
)
_CLAUSE = re.compile(r"[^，；。：,;:！？!?\n]+")
_FUNCTION = frozenset("的之")
_ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百零]+条\s*")  # a law's article label, no figure


def _words(text: str) -> list[tuple[str, str]]:
    return [(w, f) for w, f in tagged(text) if w not in _FUNCTION]


def _qualifier(word: str, flag: str) -> bool:
    return bool(_WORD.match(word) and _QUALIFIER.match(flag) and not _CHANGE.search(word))


def other_qualifier(
    analysis: QueryAnalysis,
    quotes: list[str],
    says: Callable[[str], bool],
    known: Callable[[str, re.Pattern[str]], bool] = lambda _phrase, _shows: False,
) -> tuple[str, str] | None:
    """(the qualifier asked, the one the figure's clause has) when every clause of the quotes giving
    a figure of the asked kind lacks the question's qualifier of a word it shares with the question
    and puts another before that word; ``says(word)`` tells whether the quoted documents write the
    word anywhere, ``known(phrase, shows)`` whether any document gives a figure for the qualifier
    before that word ("完成铁路投资8000亿元": a measure, though the quoted report never names 铁路).
    None when the quotes may answer."""
    figure = analysis.figure
    if figure is None or not analysis.amount:
        return None
    # (read in simplified characters: jieba cuts traditional ones badly)
    quotes = [to_simplified(_ARTICLE.sub("", q)) for q in quotes]
    per_quote = [[c for c in _CLAUSE.findall(q) if figure.shows.search(c)] for q in quotes]
    clauses = [c for found in per_quote for c in found]
    question = asked_part(to_simplified(analysis.question))
    asked = _words(question)
    # A qualifier and the word it qualifies, next to it ("户籍人口") or past an activity or a verb of
    # planning ("铁路建设计划投资": 铁路 qualifies 建设 and 投资). An activity itself qualifies nothing:
    # "搞建设的投资" asks no kind of investment.
    pairs = [
        (m, h)
        for i, (m, fm) in enumerate(asked)
        if _qualifier(m, fm) and not fm.startswith("v") and not _NO_KIND.fullmatch(m)
        for h in _heads(asked[i + 1 : i + 4])
    ]
    # (a qualifier given a figure somewhere is answered)
    pairs = [(m, h) for m, h in pairs if not any(m in c for c in clauses)]
    if not clauses or not pairs:
        return None
    found = []
    for quote, figures in zip(quotes, per_quote, strict=True):
        # Only the clauses writing a word the question qualifies speak of the measure asked.
        speaking = [c for c in figures if any(h in c for _, h in pairs)]
        if not speaking:
            if figures and any(m in quote for m, _ in pairs):
                return None  # the quote speaks of the asked measure and gives a figure beside it
            continue
        for clause in speaking:
            # (what qualifies each head word the clause writes, read once: the clause is cut once per head)
            before = {h: q for h in {h for _, h in pairs if h in clause} if (q := _before(clause, h))}
            if not before:
                continue  # the word stands unqualified ("每认定1家给予孵化器10万元"): no kind said
            other = next(
                (
                    (m, q[1])
                    for m, h in pairs
                    if (q := before.get(h))
                    and not _alike(q[0], m)
                    and q[1] not in question
                    and (says(m) or _siblings(q[1], m) or known(m + h, figure.shows))
                ),
                None,
            )
            if other is None:
                return None  # this clause may give the figure asked
            found.append(other)
    return found[0] if found else None


def _siblings(a: str, b: str) -> bool:
    """Two of one kind, told by their first character ("林业" / "农业", "公路" / "铁路"): a document that
    writes one and never the other still tells them apart."""
    return len(a) == len(b) == 2 and a[1] == b[1] and a != b


def _heads(following: list[tuple[str, str]]) -> list[str]:
    """The words a qualifier may qualify among the ones following it: the next, and on past
    activities ("建设") and verbs of planning ("计划") to the first other word."""
    heads = []
    for word, flag in following:
        if _qualifier(word, flag):
            heads.append(word)
        if not (flag == "vn" or _CHANGE.search(word)):
            break
    return heads


# "小麦、稻谷最低收购价都涨了，那玉米的…涨了多少？": what comes before "，那" is given, not asked.
_TURN = re.compile(r"[，,。；;]\s*(?:那么?|而|可)(?![份个次些])")


def asked_part(question: str) -> str:
    """The part of ``question`` after its last turn ("，那…"): what it asks, not what it gives."""
    turns = list(_TURN.finditer(question))
    return question[turns[-1].end() :] if turns else question


def _alike(a: str, b: str) -> bool:
    """One word said two ways ("个税" / "个人所得税"): any character shared, except a last character
    both end in, which names the kind and not the one ("公路" / "铁路", "中职" / "高职")."""
    if a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    return bool(set(a) & set(b))


def _before(clause: str, head: str) -> tuple[str, str] | None:
    """(the qualifying words, the last of them) written right before ``head`` in ``clause``
    ("居民消费价格总水平" and "水平" before 涨幅; "常住" in "常住人口" before 人口), or None."""
    at = clause.find(head)
    if at <= 0:
        return None
    start, run = 0, []
    for word, flag in tagged(clause):  # every word, so that offsets add up
        if start < at < start + len(word):
            # inside one word ("常住人口" before 人口): its first part qualifies the head, unless the
            # word is a set phrase ("基本建设" is no kind of 建设)
            part = clause[start:at]
            fits = _WORD.match(part) and _QUALIFIER.match(flag) and flag != "l"
            return (part, part) if fits else None
        if start >= at:
            break
        run = [*run, (word, flag)] if _QUALIFIER.match(flag) else []  # a noun phrase goes on
        start += len(word)
    if not run or start != at or not _qualifier(*run[-1]):
        return None
    return "".join(w for w, _ in run), run[-1][0]


# One of a series: "首批", "第二批", "第2轮", "第一期", and a contributor's rank in an award ("第二完成单位",
# "第一完成人": rewards are set for the first) (not 次 or 届: sessions and congresses are dated with them
# in every date line).
_IN_SERIES = re.compile(r"(?:第([一二两三四五六七八九十\d]{1,3})|([首头]))(批|轮|期|完成单位|完成人)")


def _series(text: str) -> dict[str, set[str]]:
    """Per counter (批, 轮, 期, 完成单位…), the places in its series that ``text`` names, in Chinese numerals
    ("首批" and "第1批" are 第一批)."""
    found: dict[str, set[str]] = {}
    for m in _IN_SERIES.finditer(text):
        number = m.group(1) or "一"
        number = cn_numeral(int(number)) if number.isdigit() and 0 < int(number) < 100 else number
        found.setdefault(m.group(3), set()).add(number.replace("两", "二"))
    return found


def other_in_series(analysis: QueryAnalysis, quotes: list[str]) -> tuple[str, str] | None:
    """(asked, quoted) when the question asks one of a series ("第二批定了几个") and the quotes name
    only other places in it ("首批支持建设十个示范应用场景"): what the first round did does not tell the
    second. None when a quote names the one asked, or none names any."""
    asked = _series(analysis.question)
    said = _series("".join(quotes))
    for counter, places in asked.items():
        if said.get(counter) and not said[counter] & places:
            return f"第{min(places)}{counter}", f"第{min(said[counter])}{counter}"
    return None


# Grades an assessment or an award gives, each with its own amount.
_GRADES = (
    re.compile(r"不合格|基本合格|(?<!不)(?<!基本)合格|优秀|良好"),
    re.compile(r"[特一二三]等奖"),
)


def other_grade(analysis: QueryAnalysis, quotes: list[str]) -> tuple[str, str] | None:
    """(asked, quoted) when the question asks a grade's figure ("考核结果是良好，能补多少") and the quotes
    name only other grades of the same scale ("考核优秀的给予50万元补助")."""
    text = "".join(quotes)
    for scale in _GRADES:
        asked = set(scale.findall(analysis.question))
        said = set(scale.findall(text))
        if asked and said and not asked & said:
            return min(asked), min(said)
    return None


# A share and what it is a share of: "占GDP的比重", "占营业收入的比重", "占全省生产总值比重".
_SHARE_OF = re.compile(r"占(?:全[国省市区疆])?([^，,。；;？?！!的]{1,12}?)的?(?:比重|比例|份额|比)")


def other_denominator(analysis: QueryAnalysis, quotes: list[str]) -> tuple[str, str] | None:
    """(asked, quoted) when the question asks a share of one whole ("研发经费占GDP的比重") and every clause
    of the quotes giving a share gives it of another ("…经费支出占营业收入的比重达到2.2%"): a share of
    sales is not one of output. Wholes sharing a character are one said two ways ("GDP" read as
    国内生产总值 / "生产总值"). None when no quote gives a share of anything."""
    figure = analysis.figure
    if figure is None or not (m := _SHARE_OF.search(to_simplified(analysis.question))):
        return None
    asked = m.group(1)
    if re.search(r"多|几|少", asked):  # "在全省GDP中要占多大份额": the whole stands before 占
        return None
    forms = "".join(term_forms(search_key(asked)))
    quoted = [
        w.group(1)
        for q in quotes
        for c in _CLAUSE.findall(to_simplified(q))
        if figure.shows.search(search_key(c))
        for w in _SHARE_OF.finditer(c)
    ]
    if not quoted or any(set(forms) & set("".join(term_forms(search_key(w)))) for w in quoted):
        return None
    return asked, quoted[0]
