"""What makes a policy text a policy text: its title, issuer, date and year, document number, region and
level, kind, and the period it covers — found once, at ingest, each with the source it came from.

Sources, strongest first: the corpus's own metadata (a JSONL line's fields or a ``.meta.json`` sidecar),
then the text itself (the title line and its subtitle, the 发文字号 line, the adoption or revision lines
under a law's title, the date line under a report's title or the signature at the end, the opening of
a government work report or an NPC resolution (speeches.py)), then the file name as a last resort.
The region and level come from the title or issuer, or else from how the body names its own place
(region.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.dates import DATE, FIVE_YEAR_PLAN, five_year_plan, iso
from ..text.normalize import DOCNUM_RE, canonical_docnum
from .headings import title_kind
from .region import region_of, region_of_body
from .speeches import from_opening

# Titles that name a document by what its own text says; a first sentence or a file name does not.
TITLE_SOURCES_EMBEDDED = {"text:title line", "text:opening", "text:印发 sentence", "file properties"}
_LEGISLATURE = re.compile(
    r"((?:[\u4e00-\u9fff]{2,8}(?:省|市|自治区))?)第[一二三四五六七八九十]{1,3}届(全国)?人民代表大会(常务委员会)?"
)
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
        region, level = region_of(where)
        if level:
            meta.put("region", region, f"text:{name}")
            meta.put("level", level, f"text:{name}")
            break
    else:
        region, level = region_of_body(text)
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
