"""Office Open XML: Word (python-docx), Excel (openpyxl) and PowerPoint (python-pptx).

Tables are read row by row, each row with its header row, because a figure alone means nothing:
"120亿元" is an answer only next to "研发投入" and "2023年". A row becomes one sentence,

    指标：研发投入，2023年：120亿元，2024年：135亿元。

header and value joined by "：", cells by "，" and closed by "。". The sentence splitter breaks at
"。；！？" but not at "，" or "："; so an answer that quotes a row always quotes all of it, the row label and
every column name with its value, and BM25 sees the column names next to the figures.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ...errors import IngestError
from ..lines import join_lines
from . import Extracted, Part, ReadOptions

SECTION_RANK = 1  # sheets and slides are the outermost sections; headings found inside rank below
_PLACEHOLDER_TITLES = {"untitled", "无标题", "microsoft word", "powerpoint 演示文稿", "presentation"}


def _title(value) -> str | None:
    value = (value or "").strip()
    return value if value and value.lower() not in _PLACEHOLDER_TITLES else None


def cell_text(value, number_format: str = "General") -> str:
    """A cell as a person reads it: 120 not 120.0, 15.3% for a percentage, dates in Chinese."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) == (0, 0, 0):
        value = value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float | int):
        if "%" in (number_format or ""):
            return f"{value * 100:.6g}%"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return f"{value:.10g}"
    return flat(str(value))


def flat(text: str) -> str:
    """A cell's lines as one: a break inside Chinese is layout ("研发\n投入"), between Latin words a space."""
    return join_lines([" ".join(line.split()) for line in text.splitlines() if line.strip()] or [""])


def table_parts(rows: list[list[str]]) -> list[Part]:
    """Rows of cell texts → parts: lines above the header (a table title) as they are, then one sentence
    per row. The header is the first row with two or more cells, none of them a bare number."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    header_at = next(
        (i for i, r in enumerate(rows) if sum(bool(c) for c in r) >= 2 and not any(_numeric(c) for c in r)),
        None,
    )
    parts = []
    if header_at is None:  # no header row: each row's cells in order
        return [Part("，".join(c for c in r if c) + "。", "text") for r in rows]
    for r in rows[:header_at]:
        parts.append(Part(" ".join(c for c in r if c)))
    header = rows[header_at]
    for r in rows[header_at + 1 :]:
        cells = [
            f"{header[i]}：{c}" if i < len(header) and header[i] else c for i, c in enumerate(r) if c.strip()
        ]
        parts.append(Part("，".join(cells).rstrip("。；，") + "。", "text"))
    return parts


def _numeric(text: str) -> bool:
    return bool(text) and text.replace(".", "", 1).replace(",", "").replace("%", "").lstrip("-").isdigit()


def read_docx(path: Path, options: ReadOptions) -> Extracted:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zip, XML and key errors on damaged files
        raise IngestError(f"unreadable DOCX ({exc})") from None
    parts: list[Part] = []
    # Body order: a table stays where it stands between the paragraphs that introduce and discuss it.
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            parts += table_parts([_docx_row(row) for row in block.rows])
        elif block.text.strip():
            parts.append(Part(block.text))
    return Extracted(parts=parts, title=_title(document.core_properties.title))


def _docx_row(row) -> list[str]:
    """Cell texts; a merged cell, which python-docx repeats for every column it spans, counts once."""
    cells, previous = [], None
    for cell in row.cells:
        cells.append("" if cell._tc is previous else flat(cell.text))
        previous = cell._tc
    return cells


def read_xlsx(path: Path, options: ReadOptions) -> Extracted:
    """One section per sheet; rows with their header row. Formulas give the values Excel last saved."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:  # zip, XML and key errors on damaged or encrypted files
        raise IngestError(f"unreadable spreadsheet ({exc})") from None
    parts: list[Part] = []
    try:
        for sheet in book.worksheets:
            rows = [
                [cell_text(c.value, getattr(c, "number_format", "General")) for c in row]
                for row in sheet.iter_rows()
            ]
            body = table_parts(rows)
            if not body:
                continue
            parts.append(Part(sheet.title, "heading", SECTION_RANK))
            parts += body
        title = _title(book.properties.title)
    finally:
        book.close()
    return Extracted(parts=parts, title=title)


def read_pptx(path: Path, options: ReadOptions) -> Extracted:
    """Slide by slide, the slide title as the section; text frames, tables and grouped shapes in order,
    then the speaker notes."""
    from pptx import Presentation

    try:
        deck = Presentation(str(path))
    except Exception as exc:
        raise IngestError(f"unreadable presentation ({exc})") from None
    parts: list[Part] = []
    for number, slide in enumerate(deck.slides, 1):
        title_shape = slide.shapes.title
        title = " ".join(title_shape.text_frame.text.split()) if title_shape is not None else ""
        body = [p for shape in slide.shapes if shape is not title_shape for p in _shape_parts(shape)]
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            body += [Part(t) for t in slide.notes_slide.notes_text_frame.text.splitlines() if t.strip()]
        if body or title:
            parts.append(Part(title or f"第{number}页", "heading", SECTION_RANK))
            parts += body
    return Extracted(parts=parts, title=_title(deck.core_properties.title))


def _shape_parts(shape) -> list[Part]:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        return [p for inner in shape.shapes for p in _shape_parts(inner)]
    if getattr(shape, "has_table", False) and shape.has_table:
        return table_parts([[flat(c.text) for c in row.cells] for row in shape.table.rows])
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        return [Part(p.text) for p in shape.text_frame.paragraphs if p.text.strip()]
    return []
