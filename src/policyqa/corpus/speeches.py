"""Speeches and resolutions: government work reports, NPC resolutions and party congress reports.

They name themselves in their opening ("各位代表", "受国务院委托", "第十四届全国人民代表大会第一次会议
听取了…所作的政府工作报告"), not in a title line, and the year a report speaks for is told by its own
words: the date line under the title, the NPC session it is given to, the review of the previous year
and the plans for its own. ``detect`` (metadata.py) calls ``from_opening`` right after the title line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..text.dates import NPC_SESSION, cn_number, cn_numeral, npc_session_year, plan_start

if TYPE_CHECKING:
    from .metadata import DocMeta

# The year an annual report speaks for: it reviews the year before and plans its own.
_REVIEW = re.compile(
    r"(?:^|\n)一、\s*((?:19|20)\d\d)年(?:国内)?(?:工作|的工作)(?:的?回顾)?"
    r"|[一二三四五六七八九十]、\s*((?:19|20)\d\d)年(?:国内)?工作(?:的)?回顾"
    r"|(?:去年|过去一年)工作回顾\s*((?:19|20)\d\d)年|报告((?:19|20)\d\d)年的工作|刚刚过去的((?:19|20)\d\d)年"
)
_PLANS = re.compile(
    r"((?:19|20)\d\d)年(?:经济社会发展|政府工作|工作)?的?(?:总体要求|主要任务|工作任务|政府工作的建议|工作的建议|总体部署)"
    r"|[二三四五六七八九十]、\s*((?:19|20)\d\d)年的?工作"
)
# A speech to a congress: "各位代表", and the State Council behind it (a government work report).
_GWR_OPENING = re.compile(
    r"代表[\u4e00-\u9fff]{0,8}(?:国务院|人民政府)|国务院的(?:委托|决定)|政府工作报告|报告政府工作"
)
_CPC_CONGRESS = re.compile(r"(?:中国共产党|党的)第([一二三四五六七八九十]{1,3})次全国代表大会")
# "2013年是…开局之年" frames the year being planned ("…的一年" usually looks back: not used).
_OPENING_YEAR = re.compile(r"((?:19|20)\d\d)年是[^。]{0,40}?之年")


def _report_year(text: str) -> tuple[int | None, str]:
    """The year of an annual report from its own words, strongest signal first."""
    head = text[:3000]
    if m := re.search(r"——\s*((?:19|20)\d\d)年\d{1,2}月\d{1,2}日在", head):
        return int(m[1]), "text:date line"
    if (m := re.search(r"(?:向|在)" + NPC_SESSION.pattern + r"(?:上|报告)", head)) and (
        year := npc_session_year(m[1], m[2])
    ):
        return year, "text:NPC session"
    if m := _REVIEW.search(text):
        return int(next(g for g in m.groups() if g)) + 1, "text:review of the previous year"
    if m := _PLANS.search(text):
        return int(next(g for g in m.groups() if g)), "text:plans for the year"
    if m := _OPENING_YEAR.search(text):
        return int(m[1]), "text:plans for the year"
    if m := re.search(r"今年[^。]{0,12}(?:开始|起)[^。]{0,30}?五年计划", text[:3000]):
        # "从今年开始，我国将实施新世纪第一个五年计划……第十个五年计划": the plan with the highest number
        named = re.findall(r"第([一二三四五六七八九十]{1,3})个五年计划", text[m.start() : m.start() + 600])
        if named:
            return plan_start(max(map(cn_number, named))), "text:first year of a five-year plan"
    return None, ""


def from_opening(meta: DocMeta, text: str, title: str | None, file_stem: str) -> None:
    """Title, kind, issuer and year of a government work report, party congress report or NPC resolution."""
    head = text[:1500]
    # Government work reports and NPC resolutions name themselves in their opening, not in a title line.
    compact = re.sub(r"\s", "", head)  # wiki texts break "政府工作报\n告" and the like
    is_gwr = "各位代表" in compact[:600] and bool(_GWR_OPENING.search(compact))
    # The congress a report is given to is the latest one its opening names (it also names the last one).
    congresses = _CPC_CONGRESS.findall(compact) if compact.startswith("同志们") or title else []
    if outgoing := re.search(
        r"(?:代表|受)(?:中国共产党)?第?([一二三四五六七八九十]{1,3})届中央委员会", compact[:200]
    ):
        congresses.append(
            cn_numeral(cn_number(outgoing[1]) + 1)
        )  # the outgoing committee reports to the next
    congress = max(congresses, key=cn_number) if congresses else None
    resolution = re.search(
        NPC_SESSION.pattern + r"听取(?:和审议|并审议)?了[^。]{0,40}?所作的\s*(\S{2,12}报告)",
        text[:400].replace("\n", ""),
    )
    if is_gwr or (title and title.strip() == "政府工作报告"):
        year, source = _report_year(text)
        meta.put("kind", "报告", "text:opening")
        meta.put("issuer", "国务院" if "代表国务院" in head else None, "text:opening")
        meta.put("year", year, source)
        if year is None and (m := re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", file_stem)):
            year, source = int(m[1]), "file name"
            meta.put("year", year, source)
        if year and ("title" not in meta.values or meta.values["title"] in "政府工作报告"):
            meta.values.pop("title", None)
            meta.put("title", f"{year}年政府工作报告", "text:opening")
            meta.sources["title"] = f"text:opening; year from {source}"
    if congress and not is_gwr:
        ordinal = congress
        meta.put("title", f"在中国共产党第{ordinal}次全国代表大会上的报告", "text:opening")
        meta.put("kind", "报告", "text:opening")
        meta.put("issuer", "中国共产党全国代表大会", "text:opening")
        if cn_number(ordinal) >= 12:  # congresses every five years since the 12th (1982)
            meta.put("year", 1982 + 5 * (cn_number(ordinal) - 12), "text:congress number")
    if resolution:
        session = f"第{resolution[1]}届全国人民代表大会第{resolution[2]}次会议"
        meta.put("title", f"{session}关于{resolution[3]}的决议", "text:opening")
        meta.put("kind", "决议", "text:opening")
        meta.put("issuer", "全国人民代表大会", "text:opening")
        meta.put("year", npc_session_year(resolution[1], resolution[2]), "text:NPC session")
