"""What makes a policy text a policy text: its title, issuer, date and year, document number, region and
level, kind, and the period it covers — found once, at ingest, each with the source it came from.

Sources, strongest first: the corpus's own metadata (a JSONL line's fields or a ``.meta.json`` sidecar),
then the text itself (the title line and its subtitle, the 发文字号 line, the adoption or revision lines
under a law's title, the date line under a report's title or the signature at the end, the opening of
a government work report or an NPC resolution), then the file name as a last resort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.dates import (
    DATE,
    FIVE_YEAR_PLAN,
    NPC_SESSION,
    cn_number,
    cn_numeral,
    five_year_plan,
    iso,
    npc_session_year,
    plan_start,
)
from ..text.normalize import DOCNUM_RE, canonical_docnum
from .clean import title_kind

PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 "
    "甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
).split()
CENTRAL_ISSUERS = re.compile(
    r"^(?:中共中央|国务院|全国人民代表大会|全国人大|中华人民共和国|中央|国家|最高人民|工业和信息化部|科学技术部|科技部|教育部|财政部|"
    r"商务部|民政部|公安部|司法部|人力资源和社会保障部|自然资源部|生态环境部|住房和城乡建设部|交通运输部|水利部|农业农村部|"
    r"文化和旅游部|国家卫生健康委|卫生健康委|审计署|应急管理部|中国人民银行|海关总署|国家发展和改革委员会|国家发展改革委|"
    r"发展改革委|市场监管总局|国家市场监督管理总局)"
)
# Titles that name a document by what its own text says; a first sentence or a file name does not.
TITLE_SOURCES_EMBEDDED = {"text:title line", "text:opening", "text:印发 sentence", "file properties"}
_LEGISLATURE = re.compile(
    r"((?:[\u4e00-\u9fff]{2,8}(?:省|市|自治区))?)第[一二三四五六七八九十]{1,3}届(全国)?人民代表大会(常务委员会)?"
)
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
_SPAN = re.compile(r"((?:19|20)\d\d)\s*[-－—~～至到]\s*((?:19|20)\d\d)\s*年")
_ORG_SUFFIX = r"(?:人民政府|政府|办公厅|办公室|委员会|部|委|厅|局|院|署|中心|协会|联合会)"
_ISSUER_LINE = re.compile(rf"^[\u4e00-\u9fff（）()、\s]{{2,60}}{_ORG_SUFFIX}$")


@dataclass
class DocMeta:
    values: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)

    def put(self, name: str, value, source: str) -> None:
        """Keep the first value found: sources are tried strongest first."""
        if value in (None, "", []) or name in self.values:
            return
        self.values[name] = value
        self.sources[name] = source


def _given(name: str, value):
    """A sidecar's or JSONL line's value in our form: years as integers, dates as YYYY-MM-DD."""
    if name == "year":
        text = str(value).strip().rstrip("年")
        return int(text) if re.fullmatch(r"(?:19|20)\d\d", text) else None
    if name in ("date", "enacted"):
        text = str(value).strip()
        if m := DATE.search(text) or re.fullmatch(r"((?:19|20)\d\d)[-./](\d{1,2})[-./](\d{1,2})", text):
            return iso(m)
        return None
    return value


def _region(text: str) -> tuple[str | None, str | None]:
    """(region, level) from an issuer or title: a province-level name, or a city."""
    text = text.lstrip("《")
    for p in PROVINCES:
        if text.startswith(p):
            return p, "province"
    if m := re.match(r"([\u4e00-\u9fff]{2,4}?)市", text):
        return m.group(1), "city"
    if CENTRAL_ISSUERS.match(text):
        return None, "central"
    return None, None


def _first_sentence(blocks) -> str | None:
    """The first sentence of the body, past headings and a salutation ("各省、自治区…：")."""
    for b in blocks:
        if b.kind != "para" or b.text.rstrip().endswith(("：", ":")) or b.text.startswith("各位代表"):
            continue
        first = re.split(r"(?<=[。！？；])", b.text.strip(), maxsplit=1)[0]
        if len(first) >= 6:
            return first
    return None


def _header_lines(blocks, limit: int = 8) -> list[str]:
    """Paragraph lines right under the title: dates, sessions, document numbers, speakers."""
    lines: list[str] = []
    for b in blocks:
        if b.kind == "title":
            continue
        if b.kind == "heading":
            break
        # A bracketed adoption/revision note laid out over several lines (a PDF) is one header line.
        if lines and _unclosed(lines[-1]) and len(lines[-1]) < 2000:
            lines[-1] += b.text
            continue
        if len(lines) >= limit:
            break
        lines.append(b.text)
    return lines


def _unclosed(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _from_law_header(meta: DocMeta, lines: list[str]) -> None:
    """'2010年9月17日 上海市第十三届人民代表大会常务委员会第二十一次会议第一次修订' and the like."""
    # Adoption, approval, promulgation and revision entries, each starting with its date (the cleaner
    # may have joined them into one paragraph); an effective date is not an issue date.
    entries = []
    for line in lines:
        starts = [m.start() for m in DATE.finditer(line)]
        if not starts or DATE.match(line.strip("（(）) ")) is None:
            continue
        entries += [line[a:b] for a, b in zip(starts, [*starts[1:], len(line)])]
    dated = [
        (m, entry)
        for entry in entries
        if len(entry) < 160 and "施行" not in entry
        for m in [DATE.match(entry.strip("（(）) "))]
        if m
    ]
    if not dated:
        return
    dates = [(iso(m), line) for m, line in dated]
    latest, line = max(dates)
    meta.put("date", latest, "text:adoption/revision line")
    if len(dates) > 1:
        meta.put("enacted", min(dates)[0], "text:adoption/revision line")
    if m := _LEGISLATURE.search(line[DATE.match(line.strip("（(）) ")).end() :]):
        body = f"{m.group(1)}{'全国' if m.group(2) else ''}人民代表大会{m.group(3) or ''}"
        meta.put("issuer", body, "text:adoption/revision line")
    elif "国务院" in line:
        meta.put("issuer", "国务院", "text:adoption/revision line")


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


def detect(
    text: str,
    blocks,
    title: str | None,
    given: dict,
    given_source: str,
    file_stem: str,
    file_title: str | None = None,
) -> DocMeta:
    """Metadata of one cleaned document; ``title`` is the title line the cleaner found (or None)."""
    meta = DocMeta()
    for name in (
        "title",
        "issuer",
        "date",
        "year",
        "doc_number",
        "region",
        "level",
        "kind",
        "period",
        "enacted",
    ):
        if name in given:
            meta.put(name, _given(name, given[name]), given_source)
    head, lines = text[:1500], _header_lines(blocks)

    # Government work reports and NPC resolutions name themselves in their opening, not in a title line.
    compact = re.sub(r"\s", "", text[:1500])  # wiki texts break "政府工作报\n告" and the like
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
    if title:
        meta.put("title", title, "text:title line")
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

    _from_law_header(meta, lines)
    for line in lines[:4] + [head[:200]]:
        if (m := DOCNUM_RE.search(line)) and (line.strip("（()） ") == m.group(0) or len(line) <= 40):
            meta.put("doc_number", canonical_docnum(m), "text:document number line")
            break
    for line in lines:
        if m := DATE.search(line):
            meta.put("date", iso(m), "text:date line under the title")
            break
    tail = [ln.strip() for ln in text[-300:].split("\n") if ln.strip()]
    for i, line in enumerate(tail):
        if (m := DATE.fullmatch(line.replace(" ", ""))) and i > 0:
            meta.put("date", iso(m), "text:signature")
            if _ISSUER_LINE.match(tail[i - 1]):
                parts = tail[i - 1].split()
                # "科 技 部" is one letter-spaced name; "财政部 科技部" are joint issuers.
                issuer = "".join(parts) if all(len(p) == 1 for p in parts) else "、".join(parts)
                meta.put("issuer", issuer, "text:signature")
            break

    found_title = meta.values.get("title")
    if found_title:
        meta.put("kind", title_kind(found_title), "text:title")
        if m := re.match(rf"^(.{{2,40}}?{_ORG_SUFFIX})关于", found_title):
            meta.put("issuer", m.group(1), "text:title")
    if "date" in meta.values:
        meta.put("year", int(meta.values["date"][:4]), meta.sources["date"])
    for where, name in ((found_title or "", "title"), (meta.values.get("issuer", ""), "issuer")):
        region, level = _region(where)
        if level:
            meta.put("region", region, f"text:{name}")
            meta.put("level", level, f"text:{name}")
            break
    scope = f"{found_title or ''} {head[:300]}"
    if m := _SPAN.search(scope):
        meta.put("period", [int(m[1]), int(m[2])], "text:period")
    elif m := FIVE_YEAR_PLAN.search(found_title or ""):
        start, end, name = five_year_plan(m)
        meta.put("period", [start, end], "text:five-year plan")
        meta.put("period_name", name, "text:five-year plan")

    meta.put("title", file_title, "file properties")
    if m := re.search(r"(?:现将|特将|将)《([^》]{4,60})》(?:印发|予以印发|发布|公布)", text[:800]):
        meta.put("title", m[1], "text:印发 sentence")
    if "title" not in meta.values:
        first = _first_sentence(blocks)
        if first:
            meta.put(
                "title",
                first[:28].rstrip("，、。：") + ("…" if len(first) > 28 else ""),
                "text:first sentence",
            )
        else:
            meta.put("title", file_stem, "file name")
    if "kind" not in meta.values and (m := re.search(r"(?:特)?制定本(\S{1,4}?)(?:[。，]|$)", text[:1500])):
        meta.put("kind", title_kind(m[1]) or m[1], "text:制定本…")
    if "year" not in meta.values and (m := re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", file_stem)):
        meta.put("year", int(m[1]), "file name")
    return meta
