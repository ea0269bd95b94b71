"""What a question asks, read from its wording: a person or a body, a meaning, a result or a plan, one
thing, a list or a comparison, and how much of it embeddings blur (numbers, Latin names, titles).

Pure functions and patterns of the question's text; QueryAnalysis (analysis.py) records what they find,
once per question, and the stages below read the record.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..text.normalize import to_simplified
from ..text.segment import ASKS_DEFINITION
from .followup import YEAR_WRITTEN
from .params import FUSION
from .years import asks_total, is_run

# A person asked by role ("主任是谁", "获得者是谁", "哪位总理"): only a quote naming a person answers it,
# not one naming the body ("由委员会发布") or the award's rules.
_PERSON_ASKED = re.compile(
    r"(?:主任|主任委员|负责人|获得者|获奖者|得主|厅长|部长|局长|院长|省长|市长|书记|总理|主席|校长|"
    r"董事长|组长|委员长|会长|理事长|首席科学家|领导|带头人)(?:分别|具体|到底|究竟|现在|目前)?"
    r"(?:(?:是|为|叫)?(?:谁|哪位|什么名字)|叫什么)"
    # "哪位国务院总理", "哪位副省长": the role may come with its body or rank
    r"|哪位[\u4e00-\u9fff]{0,4}?(?:总理|部长|厅长|局长|省长|市长|书记|主席|主任|校长|领导|专家|院士|科学家|同志)"
)
_EXACT_RE = re.compile(r"\d|[A-Za-z]{2,}|《")
# A question word of a turn's own: a follow-up with one does not ask the earlier turn's figure again.
ASKS_OWN = re.compile(r"是否|有没有|是不是|能否|可否|(\w)不\1|什么|哪|怎么|怎样|如何|谁|为何|为什么")

# Asked whether or when something was done ("是否已经全部发行完毕", "哪一年正式建成投入运营的"): a quote
# that only plans it or starts it ("拟连续几年发行", "相继启动建设") does not answer (constraints.py).
_ASKS_DONE = re.compile(
    r"是否已|是不是已|有没有已|已经|目前已|现已|已在"
    r"|(?:哪一?年|何时|什么时候|哪天)[^，。？?]{0,12}(?:完成|建成|竣工|投产|投入运营|投入使用|完毕)的"
    # "第二轮融资最后实际募到了多少钱": how much came of it in the end (not "实际增长", "实际涨了", real
    # against nominal; nor "最终构成了什么", which asks what, not how much was done)
    r"|(?:(?:最终|最后)[^，。？?]{0,6}|实际(?!增长|下降|涨|长|降|利用|使用)[^，。？?]{0,4})了(?=[^，。？?]{0,4}(?:多少|几))"
)


def asks_done(text: str) -> bool:
    """The question asks whether or when something was completed, not what was planned."""
    return bool(_ASKS_DONE.search(text))


# Asked which body does something or leads it ("由哪个部门牵头"): a plan's note on bodies answers it.
ASKS_BODY = re.compile(r"哪个部门|哪些部门|哪家|哪个单位|哪些单位|什么机构|哪个机构|由谁|哪个机关|牵头")
# What a body's name ends with ("科学技术行政部门", "人社厅", "乌鲁木齐海关"… at least one of these words).
NAMES_BODY = re.compile(
    r"(?:部|厅|局|委|办|院|所|中心|公司|集团|大学|学院|协会|学会|银行|政府|委员会|基金会|实验室|园区)"
)
# A body named as the one in charge: "农业农村部门负责…", "由市科技局牵头", "牵头单位：省科技厅".
IN_CHARGE = re.compile(
    r"(?:部门|机构|机关|委员会|政府|厅|局|委|办公室|中心)(?:负责|主管|牵头|统筹|会同)"
    r"|由[^，。；]{1,24}?(?:负责|主管|牵头|组织实施|承担)|(?:牵头|主管|负责)(?:单位|部门)[：:]"
)


# Asked which provinces, cities or counties ("具体定了哪些县市", "西部的是哪几个省区"): only a quote that
# names a place answers it, not "在全省范围内遴选辐射区" (constraints.py).
_PLACE_ASKED = re.compile(
    r"(?:哪些|哪几个?|哪个|什么)(?:县市|市县|县区|区县|省区|省份|省市|地市|城市|省|市|县)(?![场民级长委政值属])"
)


def asks_place(text: str) -> bool:
    """The question asks which administrative places: a place's name answers it."""
    return _PLACE_ASKED.search(text) is not None


def asks_person(text: str) -> bool:
    """The question asks who holds a role or won something: a person's name answers it."""
    return bool(_PERSON_ASKED.search(text))


# "2015年是多少，2020年又是多少": the second year's "又是" sets the two side by side.
COMPARE = re.compile(
    r"相比|比较|对比|变化|增加了多少|减少了多少|有何不同|有什么不同|区别|分别|相差|哪一?年[更较最]"
    r"|又(?:是|有|为|达到)"
    r"|各自?(?:是|为|有|要|定在?|安排了?|给了?)?(?:多少|几)"  # "2001年和2002年…各安排了多少"
)
# "哪些/哪几种" asks which ones (not "哪几年", which asks when): an enumeration answers it (compose.py).
_WHICH = r"哪些|哪几(?![年天月日次])"
ASKS_WHICH = re.compile(_WHICH)
# Asks what a term means ("…怎么界定？", "…的定义是什么？", "专利法所称的现有技术指什么？"): the term is the
# quoted words or those just before the asking, after the law or place that holds them (所称的, 里, 中).
_ASKS_MEANING = re.compile(
    r"(?:“(?P<quoted>[^”]{1,20})”|(?P<plain>[\w、]{1,40}?))[，,]?(?:具体|到底|究竟)?(?:是)?"
    rf"(?:{ASKS_DEFINITION}|的(?:定义|含义)是什么|(?:是指|指的是|指)(?:什么|哪些)|是什么意思)"
)
# … or the words after it: "科学技术进步法是如何界定基础研究的？"
_DEFINES_AFTER = re.compile(rf"{ASKS_DEFINITION}(?P<after>\w{{2,20}}?)的?(?:[？?。]|$)")
_HOLDER = re.compile(r".*(?:所称的|所称|所说的|里的|中的|里|中|的)")


def defined_term(question: str) -> str | None:
    """The term whose meaning ``question`` asks for, if it asks one ("…的定義是什麼？" too)."""
    question = to_simplified(question)
    if after := _DEFINES_AFTER.search(question):
        return after["after"]
    if not (m := _ASKS_MEANING.search(question)):
        return None
    term = m["quoted"] or _HOLDER.sub("", m["plain"])
    return term if len(term) >= 2 else None


_ASKS_ONE = re.compile(r"谁|哪个|哪家|哪位|哪一(?!些)|哪里|哪儿")
_BROAD = re.compile(_WHICH + r"|有什么|有何|举措|措施|任务|主要内容|重点|部署|要求|如何|怎样|怎么")


# Annual reports set a year's targets in that year's report and give its results in the next one.
_OUTCOME = re.compile(
    # ("“十四五”最后一年的增长目标" names a year: no result)
    r"实际|实现了|完成了|达到了|达到什么|增长了|下降了|减少了|增加了|上涨了|收了|新增了|最后(?!一?[年个])|最终|结果"
    r"|(?<![拟要将会能])(?:[降升涨减增]|提高|降低|扩大|缩小)了"
)
_PLAN = re.compile(r"目标|计划|预期|安排|拟|打算|准备|力争|定为|定在|定了|控制在|给[^，。？?]{1,12}定的")
# Words setting out what is to come ("十四五期间一共要新建多少").
_AHEAD = re.compile(rf"要|将|{_PLAN.pattern}")


def looked_back(question: str, years: Collection[int]) -> bool:
    """A total over a run of years asked in no plan's words ("十三五期间一共有多少农村贫困人口脱了贫"):
    what came of them, which the report looking back on them tells. (An average, "一年平均想跑多快",
    "年均至少得长多少", is as often a plan's.)"""
    return is_run(years) and asks_total(question) and not _AHEAD.search(question)


# How a sentence sets out a plan ("规模以上" is a size class of firms, not a floor set for a figure).
PLANNED = re.compile(r"目标|预期|拟|力争|计划|安排|左右|(?<!规模)以上|以内|要")


def tense_words(terms) -> frozenset[str]:
    """The question's words that only say a result is asked ("实际", "最终", "结果"): the tense reads
    them; as content they would favour "实际使用外资" for "经济实际增长了多少". (A plan's words, "目标",
    "预期", stay content: target sentences write them, and they tell targets from results.)"""
    return frozenset(t for t in terms if _OUTCOME.fullmatch(t))


def tense(text: str) -> str | None:
    """ "outcome" when a question asks what happened, "plan" when it asks what was set out, else None."""
    if _OUTCOME.search(text):
        return "outcome"
    if _PLAN.search(text):
        return "plan"
    return None


# A plan's period in its title ("三年行动计划（2018—2020年）") names one document, not years to compare.
_TITLE_PERIOD = re.compile(r"[（(]\s*(?:19|20)\d\d\s*年?\s*[-－—–~～至到]\s*(?:19|20)\d\d\s*年?\s*[）)]")


# Years set side by side: "2021年和2022年", "2022年、2023年", "2014年到2015年".
_JOINED_YEARS = re.compile(r"(?:19|20)\d\d\s*年?\s*(?:和|与|及|跟|同|、|至|到|-|—|～)\s*(?:19|20)\d\d\s*年")


_REPORT_YEAR = re.compile(r"((?:19|20)\d\d\s*年)(?:的|度)?(?:政府工作)?报告")


def answer_mode(text: str, figure) -> str:
    """ "compare" (two years written out and compared or set side by side), "list" (broad questions)
    or "fact". A five-year plan ("“十五”期间"), a plan's period in its title and a horizon ("2016年
    报告提出到2020年…") span years but compare none. One thing or body asked ("这项任务由哪个部门牵头？",
    "条例要求谁建设公共研究开发平台？") is a fact, though the question speaks of a task or a requirement."""
    written = set(YEAR_WRITTEN.findall(_TITLE_PERIOD.sub("", text)))
    # "2016年报告说，2015年城里新增加了多少…": one year names the report to read, the other is asked
    # about in it; only the second is a side (two reports named are two sides, "2018年和2019年的报告" too).
    joined = "".join(m[0] for m in _JOINED_YEARS.finditer(text))
    if len(reports := set(_REPORT_YEAR.findall(text))) == 1 and not any(r in joined for r in reports):
        written -= reports
    if len(written) >= 2 and (COMPARE.search(text) or _JOINED_YEARS.search(text)):
        return "compare"
    one = _ASKS_ONE.search(text) is not None and not ASKS_WHICH.search(text)
    if figure is None and _BROAD.search(text) and not one:
        return "list"
    return "fact"


def exactness(text: str) -> float:
    """Share of the question made of things embeddings blur: numbers, Latin names, titles in 《》."""
    return min(1.0, len(_EXACT_RE.findall(text)) / FUSION.exact_tokens)
