"""How a question names a document by its title, as officials write it.

Titles are shortened ("科普法" for 科学技术普及法), stripped of their year and of 中华人民共和国, and a
year may be written against the name to pick a version ("2024年修订的…条例", "…规划（2021年）").
Documents.named_documents (query/docfacts.py) finds the documents a question names with these, and
ScopeIndex (query/scope.py) answers the question from them, of the version its year picks.
"""

from __future__ import annotations

import re

# "哪一年的政府工作报告宣布…", "哪一版条例规定…": the question asks which version of a document says it.
_WHICH_VERSION = re.compile(
    r"哪一?(?:年|版|次|届)(?:度|的)?[^，。？?]{0,8}(?:报告|条例|规划|纲要|决议|办法|意见|通知|文件|修订|修正|版本?)"
)


def asks_which_version(question: str) -> bool:
    """Whether ``question`` asks which year's or which version's document said something: any version
    may answer, and its own year (in its title or metadata) is the answer."""
    return bool(_WHICH_VERSION.search(question))


def title_core(title: str) -> str:
    """The title as questions name it: no year in front, no 中华人民共和国, no bracketed suffix."""
    core = re.sub(r"^(?:19|20)\d\d年(?:度)?", "", title)
    core = re.sub(r"[（(][^）)]*[）)]$", "", core.replace("中华人民共和国", ""))
    return re.sub(r"[《》“”\"\s]", "", core)


# What may stand between a version's year and the name: "2024年修订的", "2010年版", "2024年第二次修订后的",
# "1993年最初通过的", "1996年首次制定的", "2024年修订的那个".
_BETWEEN = r"[\s年度版的新修订正后颁布施行通过过第一二三四五六七八九十次最初首原旧制定那这个份部]{0,12}[《“]?"


def _year_before(text: str, year: int, name: str) -> re.Match[str] | None:
    """``year`` written right before ``name``, the words between as group 1 ("2024年修订的…"), or with
    other years in a list before it ("2001年和2002年的报告" names both reports)."""
    others = r"(?:年?\s*[和与及、跟]\s*(?:19|20)\d\d)*"
    return re.search(rf"{year}{others}({_BETWEEN}){re.escape(name)}[》”]?", text)


def year_attached(text: str, year: int, name: str) -> bool:
    """Whether ``year`` is written right before ``name`` ("2024年修订的", "2010年版", "（2021年）" after it)."""
    return bool(_year_before(text, year, name) or re.search(rf"{re.escape(name)}[》”]?[（(]{year}年?", text))


# Words that make a year the version's, not the content's: "2024年修订的…条例" asks nothing about 2024
# ("本规定自2025年1月1日起施行" answers it), while "2023年政府工作报告提出的目标" asks about 2023.
_VERSION_WORDS = re.compile(r"版|修订|修正|修改|颁布|施行|通过|制定|最初|首次|原|旧")


def year_picks_version(text: str, year: int, name: str) -> bool:
    """Whether ``year`` is written against ``name`` with a word of revision or enactment between."""
    m = _year_before(text, year, name)
    return bool(m and _VERSION_WORDS.search(m.group(1)))


# "2023年改之前的那版", "2024年修订以前的": the version in force before that year's revision.
_BEFORE_REVISION = r"年\s*(?:第[一二三四五六七八九十]次)?(?:修订|修正|修改|改版|改|修)(?:之|以)前"


def before_revision(text: str, year: int) -> bool:
    """Whether ``text`` asks for the version in force before ``year``'s revision."""
    return re.search(rf"{year}{_BEFORE_REVISION}", text) is not None


def naming_phrase(text: str, name: str, years: list[int]) -> str:
    """The words of ``text`` that pick the document: ``name`` with the version year written against it
    ("2024年修订的上海市科学技术进步条例"). They choose the document, not the sentence that answers."""
    for year in years:
        m = _year_before(text, year, name) or re.search(rf"{re.escape(name)}[》”]?[（(]{year}年?[）)]?", text)
        if m:
            return m.group(0)
    return name


# A policy document named by its full title: in 《》 and ending in a kind of document, or a place's
# regulation written out ("深圳经济特区科技创新条例"); loose names ("那份纲要", "十三五科技规划") are not.
_POLICY_KINDS = r"(?:法|条例|规定|办法|细则|规划|纲要|意见|通知|决定|方案|计划|指南|措施)"
# A title quoted in 《》, as a text cites another document or a question names one.
QUOTED_TITLE = re.compile(r"《([^《》\n]{2,80})》")
_BRACKETED = re.compile(rf"《([^《》]{{2,40}}{_POLICY_KINDS})》")
# "河南那个条例" points at a regulation without naming it: a demonstrative is no part of a title.
_LOCAL_RULES = r"(?:(?![那这哪][个份部项本些])[^\W\d的对在和与及_]){2,20}?条例"


def named_titles(text: str, places: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The policy documents ``text`` names by full title: 《…》, or a regulation that starts with one
    of ``places`` ("深圳经济特区科技创新条例")."""
    names = _BRACKETED.findall(text)
    for place in places:
        names += [m for m in re.findall(re.escape(place) + _LOCAL_RULES, text) if m not in names]
    return names


# A document described by what it is about and its kind, not by title: "山东推动高新技术企业量质齐升的方案
# 里", "六部门关于加快场景创新的指导意见提出". Not 通知 (a notice transmits a document of another kind),
# 法, 规定 or 决定 (words of another sense: "条例规定", "决定给予").
_DESCRIBED_KINDS = r"(?:方案|计划|意见|指南|办法|规划|纲要|措施|细则|条例|报告)"
_DESCRIBED = re.compile(
    rf"([^\W\d_哪什几多谁那这份是了]{{2,30}}?{_DESCRIBED_KINDS})(?=里|中|上|提出|规定|要求|明确|说|讲|对|给|定|写)"
)


def described_kind(text: str) -> tuple[str, str] | None:
    """(the description, its kind's last two characters) of the first document ``text`` describes."""
    m = _DESCRIBED.search(text)
    return (m.group(1), m.group(1)[-2:]) if m else None


# "2016年那份报告", "2013年的这个报告": a demonstrative between a year and a document's kind.
DEMONSTRATIVE = r"(?:[那这]?[份个篇次])?"


def names_by_year(text: str, core: str, kind: str) -> str | None:
    """The span of ``text`` that names a yearly document by its year and kind alone, as officials
    shorten "2013年政府工作报告" to "2013年报告", "2013年的工作报告" or "2013年那份报告": the kind, or the
    last words of the title before it (two characters at most), written right after a year (and a
    DEMONSTRATIVE, after which the body that made it may come first: "2016年人大那份决议"). The year
    then picks the one."""
    if len(kind) < 2 or not core.endswith(kind):
        return None
    demonstrative = rf"(?:{DEMONSTRATIVE}|[^\W\d_]{{1,4}}?[那这][份个篇项部])"
    for m in re.finditer(rf"(?:19|20)\d\d年[度]?的?{demonstrative}([^\W\d_]{{0,2}}{re.escape(kind)})", text):
        if core.endswith(m.group(1)):
            return m.group(1)
    return None


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def names_document(text: str, core: str, kind: str) -> str | None:
    """The span of ``text`` that names a document titled ``core`` of kind ``kind``, or None.

    Officials shorten titles: "科普法" for 科学技术普及法, "上海科技进步条例" for 上海市科学技术进步条例,
    "成果转化法" for 促进科技成果转化法. A span counts when it ends with the kind, and is either a part
    of the title (four characters or more) or a shortening that keeps the title's first character. A part
    from inside the title needs three characters besides the kind: "发展报告" in "数字中国发展报告" is the
    tail of another title, not 新疆科技发展报告."""
    if not kind or len(core) < 3:
        return None
    best = None
    for m in re.finditer(re.escape(kind), text):
        end = m.end()
        for start in range(max(0, end - len(core) - 2), end - len(kind) - 1):
            span = text[start:end]
            whole = (
                len(span) >= max(4, 0.5 * len(core))
                and span in core
                and (core.startswith(span) or len(span) - len(kind) >= 3)
            )
            short = (
                len(span) >= max(3, 0.4 * len(core)) and span[0] == core[0] and _is_subsequence(span, core)
            )
            if whole or short:
                if best is None or len(span) > len(best):
                    best = span
                break  # the longest span from this end was found first
    return best


# A document pointed at by a description and a demonstrative before its kind, at the head of the
# question: "科技部那个人工智能示范应用场景的通知里，…", "数字经济促进共同富裕那个实施方案，…".
# (any kind, as a demonstrative leaves no doubt that a document is meant: 通知 and 规定 too)
_POINTED_KINDS = rf"(?:{_DESCRIBED_KINDS}|通知|规定|决定|文件|政策)"
_POINTED = re.compile(
    rf"^[^，,。；？?！!]{{0,40}}?[那这][个份部项篇][^，,。；？?！!]{{0,40}}?{_POINTED_KINDS}(?:里面|当中|里|中|上)?"
    rf"(?=[，,]|提|说|讲|规定|要求|明确|写)"
)


def pointed_at(text: str) -> str:
    """The words that point at the document a question is about, when it points by a description ("科技部
    那个…的通知里"): they chose the passages, and tell none of its sentences from another."""
    m = _POINTED.search(text)
    return m.group() if m else ""
