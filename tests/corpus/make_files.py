"""Files as officials hold them, generated: a Word document and the PDF Word would print of it, a scan,
a budget spreadsheet, a slide deck. Real libraries write them (python-docx, reportlab, Pillow,
openpyxl, python-pptx) so the readers meet real file structure."""

from __future__ import annotations

from pathlib import Path

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

LAW_TITLE = "某市促进科技成果转化条例"
LAW = [
    "第一章 总则",
    "第一条 为了促进科技成果转化为现实生产力，规范科技成果转化活动，加速科学技术进步，推动经济建设和社会发展，根据有关法律、行政法规，结合本市实际，制定本条例。",
    "第二条 本条例所称科技成果，是指通过科学研究与技术开发所产生的具有实用价值的成果。职务科技成果，是指执行研究开发机构、高等院校和企业等单位的工作任务，或者主要是利用上述单位的物质技术条件所完成的科技成果。",
    "第三条 市人民政府应当加强对科技成果转化工作的领导，将科技成果转化纳入国民经济和社会发展规划。",
    "第二章 组织实施",
    "第四条 科技成果完成单位可以从技术转让或者许可所取得的净收入中提取不低于百分之五十的比例，或者从科技成果形成的股份或者出资比例中提取不低于百分之五十的比例，用于奖励对完成、转化该项科技成果作出重要贡献的人员。",
    "第五条 市财政每年安排科技成果转化专项资金不少于二亿元，用于支持重大科技成果在本市实施和产业化。",
    "第六条 国家设立的研究开发机构、高等院校应当建立健全技术转移工作体系和机制，完善科技成果转移转化的管理制度，明确科技成果转化各项工作的责任人员。",
    "第七条 鼓励企业与研究开发机构、高等院校及其他组织采取联合建立研究开发平台、技术转移机构或者技术创新联盟等产学研合作方式，共同开展研究开发、成果应用与推广、标准研究与制定等活动。",
    "第三章 附则",
    "第八条 本条例自2024年7月1日起施行。",
]


def law_docx(path: Path, title: str = LAW_TITLE, paragraphs: list[str] = LAW) -> Path:
    import docx

    document = docx.Document()
    for text in [title, *paragraphs]:
        document.add_paragraph(text)
    document.save(path)
    return path


def law_pdf(
    path: Path, title: str = LAW_TITLE, paragraphs: list[str] = LAW, header: str = "某市人大常委会公报"
) -> Path:
    """What Word prints: justified 16 pt lines with a two-character first-line indent, centred title and
    chapter headings, a running header and a page number on every page."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    base = {"fontName": "STSong-Light", "wordWrap": "CJK"}
    title_style = ParagraphStyle("t", fontSize=22, leading=34, alignment=TA_CENTER, spaceAfter=12, **base)
    chapter = ParagraphStyle("c", fontSize=16, leading=28, alignment=TA_CENTER, **base)
    body = ParagraphStyle("b", fontSize=16, leading=28, alignment=TA_JUSTIFY, firstLineIndent=32, **base)
    block = ParagraphStyle("n", fontSize=14, leading=22, leftIndent=32, rightIndent=32, **base)

    def running(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("STSong-Light", 10)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 40, header)
        canvas.drawCentredString(A4[0] / 2, 36, f"— {doc.page} —")
        canvas.restoreState()

    story = [Paragraph(title, title_style)]
    for text in paragraphs:
        if text.startswith("第") and "章" in text[:5]:
            story.append(Paragraph(text, chapter))
        elif text.startswith("（"):
            story.append(Paragraph(text, block))
        else:
            story.append(Paragraph(text, body))
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=72, rightMargin=72, topMargin=72, bottomMargin=72
    )
    doc.build(story, onFirstPage=running, onLaterPages=running)
    return path


def scan_image(paragraphs: list[str], width: int = 1240, size: int = 34):
    """A page as a scanner sees it (~150 dpi): a centred title, then paragraphs filled to the margins
    character by character as a typesetter does, first lines indented two characters."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(CJK_FONT, size)
    image = Image.new("L", (width, 1754), 255)
    draw = ImageDraw.Draw(image)
    left, right, y = 110, width - 110, 120
    title, *body = paragraphs
    draw.text(((width - font.getlength(title)) / 2, y), title, font=font, fill=0)
    y += 3 * size
    for text in body:
        x, line = left + (2 * size if not text.endswith("：") else 0), ""
        for ch in text + "\n":
            if ch == "\n" or x + font.getlength(line + ch) > right:
                draw.text((x, y), line, font=font, fill=0)
                x, line, y = left, "", y + int(size * 1.9)
            if ch != "\n":
                line += ch
    return image


def scanned_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF holding only page images (no text layer), as a scanner or a fax writes it."""
    images = [scan_image(lines).convert("RGB") for lines in pages]
    images[0].save(path, "PDF", resolution=150.0, save_all=True, append_images=images[1:])
    return path


def budget_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "科技经费"
    sheet.append(["2024年市级科技经费预算表"])
    sheet.merge_cells("A1:C1")
    sheet.append(["项目", "2023年决算（万元）", "2024年预算（万元）"])
    sheet.append(["基础研究", 3200, 3800])
    sheet.append(["科技成果转化", 2500, 4100])
    sheet.append(["科技型中小企业补助", 1800, 2600])
    sheet.append(["合计", "=SUM(B3:B5)", "=SUM(C3:C5)"])
    rates = book.create_sheet("增长率")
    rates.append(["项目", "增幅"])
    rates.append(["科技成果转化", 0.64])
    rates["B2"].number_format = "0%"
    book.save(path)
    return path


def report_pptx(path: Path) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = "2024年全市科技创新工作汇报"
    cover.placeholders[1].text = "市科学技术局"
    for title, bullets in [
        ("研发投入", ["全市研发经费投入达到356亿元，同比增长12.5%。", "研发投入强度达到3.1%。"]),
        ("人才引进", ["全年引进高层次人才1200名。"]),
    ]:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        frame = slide.placeholders[1].text_frame
        frame.text = bullets[0]
        for bullet in bullets[1:]:
            frame.add_paragraph().text = bullet
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "重点项目"
    table = slide.shapes.add_table(3, 2, Inches(1), Inches(2), Inches(6), Inches(2)).table
    for r, row in enumerate([["项目", "投资额"], ["量子计算中心", "18亿元"], ["生物医药产业园", "26亿元"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    deck.save(path)
    return path
