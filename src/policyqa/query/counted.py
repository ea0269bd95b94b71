"""What a count counts: asked "多少家高新技术企业", a quote counting "26家改革试点单位" counts something
else. The thing counted is read where it follows the classifier, in the question and in the quote; a
count written after its thing ("入库企业达到4.2万家", "国家级星创天地34个") names it elsewhere and is
left to the other checks. And a thing asked by its name, which the quotes never write though their
documents do (unwritten).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..text.normalize import search_key, term_forms
from ..text.segment import tagged
from .analysis import QueryAnalysis

_CLASSIFIERS = "个家项所座条批类种支台套部篇只处名位户件辆"
# The thing: the words after the classifier up to the clause's end, through what qualifies it
# ("500个以上引领行业发展的智能制造示范工厂"); a question's list ends it ("示范企业和示范园区").
_THING = r"([\u4e00-\u9fff][^，,。？?！!；;：:（(\s]{1,40}?)(?=[，,。.？?！!；;：:（(\s]|$)"
_ASKED_THING = r"([\u4e00-\u9fff]{2,16}?)(?=[，,。.？?！!、；;：:（(和及与呢吗\s]|$)"
# Asked: "多少家高新技术企业", "几个示范县" ("几个月", "3个月内" are lengths of time, no things counted).
_ASKED = re.compile(rf"(?:多少|几)\s*([{_CLASSIFIERS}])(?!月){_ASKED_THING}")
# Written: a number and its classifier ("26家", "100个以上", "五家").
_COUNT = (
    rf"(?<![\d.第])(?:\d[\d.,]*|[一二两三四五六七八九十百千]+)\s*(?:万|亿)?\s*(?:余|多)?\s*([{_CLASSIFIERS}])"
)
_QUOTED = re.compile(rf"{_COUNT}(?!月)(?:以上|左右|以内|之多)?{_THING}")  # "26家改革试点单位"
# … and a count naming nothing after it ("入库企业达到4.2万家", "34个"): it may count the thing asked.
_BARE = re.compile(rf"{_COUNT}(?:以上|左右|以内|之多)?(?![\u4e00-\u9fff])")


def _head(thing: str) -> str:
    """The last word of a thing counted ("企业" of 高新技术企业), two characters at least."""
    words = [w for w, _ in tagged(thing)]
    head = words[-1] if words else thing
    return head if len(head) >= 2 else thing[-2:]


# Heads officials say one for the other ("几家龙头公司" for "20家…领军企业", "规范" for "行业急需标准").
_SAME_HEAD = ({"企业", "公司"}, {"标准", "规范"})


def _alike(asked: str, quoted: str) -> bool:
    """One thing said of both: the asked head (in any of its forms) in the quoted thing, or the quoted
    head in the asked one ("科技型中小企业" / "企业")."""
    head = _head(asked)
    forms = [*term_forms(head), *(h for same in _SAME_HEAD if head in same for h in same)]
    return any(f in quoted for f in forms) or _head(quoted) in asked


def other_counted(analysis: QueryAnalysis, quotes: list[str]) -> tuple[str, str] | None:
    """(asked, quoted) when the question counts a thing after its classifier ("多少家高新技术企业") and
    the quotes count another after it; None when a count in them may be of the thing asked (followed by
    it, or by nothing), or none is written so."""
    if analysis.figure is None:
        return None
    asked = _ASKED.findall(search_key(analysis.question))
    if len(asked) != 1:
        return None
    classifier, thing = asked[0]
    keys = [search_key(q) for q in quotes]
    # (a document may count the thing asked with another classifier: "多少家示范工厂", "500个…示范工厂")
    counted = [(c, t) for k in keys for c, t in _QUOTED.findall(k)]
    bare = any(c == classifier for k in keys for c in _BARE.findall(k))
    same = [t for c, t in counted if c == classifier]
    if not same or bare or any(_alike(thing, t) for _, t in counted):
        return None
    return thing, same[0]


# A thing named in so many words: nouns and abbreviations ("财政赤字", "科研人员"), not a verb phrase
# ("压下来") nor a place.
_NOUN = re.compile(r"^(?:n(?!s)|vn|j)")


def unwritten(analysis: QueryAnalysis, quotes: list[str], says: Callable[[str], bool]) -> bool:
    """Asked a figure of a thing named in three characters or more, no quote writes it in any form,
    though a quoted document does elsewhere (``says``): the figures quoted are another thing's ("中央财政
    安排用于…的补助资金779亿元" for 中央财政赤字, where the report names 赤字 in other sentences). A thing
    its documents never name may be said another way, and is left to the other checks."""
    subject = analysis.subject
    if analysis.figure is None or not subject:
        return False
    key = search_key(subject)
    if len(key) < 3 or not all(_NOUN.match(flag) for _, flag in tagged(key)):
        return False
    forms = term_forms(key)
    return not any(form in search_key(q) for q in quotes for form in forms) and says(key)
