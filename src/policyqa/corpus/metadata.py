"""What makes a policy text a policy text: its title, issuer, date and year, document number, region and
level, kind, and the period it covers — found once, at ingest, each with the source it came from.

Sources, strongest first: the corpus's own metadata (a JSONL line's fields or a ``.meta.json`` sidecar),
then the text itself (the title line and its subtitle, the 发文字号 line, the adoption or revision lines
under a law's title, the date line under a report's title or the signature at the end, the opening of
a government work report or an NPC resolution (speeches.py)), then the file name as a last resort.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..text.dates import DATE, FIVE_YEAR_PLAN, five_year_plan, iso
from ..text.normalize import DOCNUM_RE, canonical_docnum
from ..text.regions import CITY_SUFFIXES, PROVINCES, province_of_city
from ..text.segment import mentions
from .headings import title_kind
from .speeches import from_opening

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
# How a provincial document speaks of its own province ("全省", "省委、省政府", "省科技厅牵头") and a
# city's of its own city; a central document says "各省、自治区、直辖市" instead.
# "本省、自治区、直辖市" and "省、自治区、直辖市人民政府" are how a central text addresses every province;
# "各市人民政府" how a province addresses its cities, "设区的市人民政府" a law every city, "城市政府" any
# city: none is a document's own.
_OWN_PROVINCE = re.compile(
    r"(?:全省|我省|本省)(?![、（(]自治区)|省委|(?<!各)省(?:人民)?政府|"
    r"省[\u4e00-\u9fff]{1,4}(?:厅|委员会|委|局)(?:牵头|配合|、|）|，)"
)
_OWN_CITY = re.compile(r"全市|我市|本市|(?<![城各辖的])市委|(?<![城各省辖的])市(?:人民)?政府")
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


def _votes(text: str) -> tuple[Counter, Counter]:
    """How often the text names each province (its cities counting for it: a provincial plan names
    济南 and 青岛 more than 山东) and each city."""
    cities = province_of_city()
    by_city = Counter({c: n for c in cities if c in text and (n := mentions(text, c, CITY_SUFFIXES))})
    by_province = Counter({p: n for p in PROVINCES if (n := text.count(p))})
    for city, n in by_city.items():
        by_province[cities[city]] += n
    return by_province, by_city


def _dominant(votes: Counter, least: int) -> str | None:
    """The one name counted at least ``least`` times and at least twice as often as any other."""
    (name, top), *rest = votes.most_common(2) or [(None, 0)]
    return name if top >= least and (not rest or top >= 2 * rest[0][1]) else None


def _region_of_body(text: str) -> tuple[str | None, str | None]:
    """(region, level) of a document that names none in its title or issuer, from how it speaks of its
    own place: a province's says "全省/我省/省委/省X厅", a city's "全市/我市/市委/市政府", a central
    one "各省、自治区、直辖市". The place is the one it names far more often than any other."""
    own_province, own_city = len(_OWN_PROVINCE.findall(text)), len(_OWN_CITY.findall(text))
    by_province, by_city = _votes(text)
    # Both together must be more than a passing mention: a central white paper that quotes "江苏省经信委"
    # twice is not Jiangsu's, nor a party congress report that says "工业学大庆" six times and "原上海市委"
    # once Daqing's.
    if own_city > own_province:  # a city's document, though perhaps not one we can name
        city = _dominant(by_city, 2) if own_city >= 2 else None
        return (city, "city") if city and own_city + by_city[city] >= 6 else (None, None)
    province = _dominant(by_province, 1) if own_province else None
    if province and own_province + by_province[province] >= 5:
        return province, "province"
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

    if title:
        meta.put("title", title, "text:title line")
    from_opening(meta, text, title, file_stem)  # reports and resolutions: their opening names them

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
    else:
        region, level = _region_of_body(text)
        if level:
            meta.put("region", region, f"text:how the body names its {level}")
            meta.put("level", level, f"text:how the body names its {level}")
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
