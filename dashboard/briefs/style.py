"""The brief's look: colours, paragraph styles (nothing under 8 pt), the grid tables."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from dashboard.core import statistics

MIN_FONT = 8.0  # the smallest text on the page (A4 legibility)

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#4d4d4d")
ACCENT = colors.HexColor("#0072b2")  # Okabe-Ito blue
RULE = colors.HexColor("#bdbdbd")
HEADER_FILL = colors.HexColor("#e8f1f8")
WARD_FILL = colors.HexColor("#0072b2")
OTHER_FILL = colors.HexColor("#e3e3e3")
# Table tints for the significance category (the word is always written too).
SIGNIFICANCE_TINT = {
    statistics.WORSE: colors.HexColor("#f6d2bd"),
    statistics.BETTER: colors.HexColor("#c9e1f2"),
    statistics.SIMILAR: colors.HexColor("#ececec"),
    statistics.HIGHER: colors.HexColor("#dcecf8"),
    statistics.LOWER: colors.HexColor("#dcecf8"),
}

_BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=8.5, leading=10.6, textColor=INK, alignment=TA_LEFT)
STYLES = {
    "title": ParagraphStyle("title", parent=_BASE, fontName="Helvetica-Bold", fontSize=20, leading=23, textColor=INK),
    "subtitle": ParagraphStyle("subtitle", parent=_BASE, fontSize=9.5, leading=12, textColor=MUTED),
    "h2": ParagraphStyle(
        "h2",
        parent=_BASE,
        fontName="Helvetica-Bold",
        fontSize=10.5,
        leading=13,
        textColor=ACCENT,
        spaceBefore=2,
        spaceAfter=2,
    ),
    "body": _BASE,
    "bullet": ParagraphStyle("bullet", parent=_BASE, leftIndent=8, bulletIndent=0, spaceAfter=1.5),
    "cell": ParagraphStyle("cell", parent=_BASE, fontSize=8, leading=9.6),
    "cell_bold": ParagraphStyle("cell_bold", parent=_BASE, fontName="Helvetica-Bold", fontSize=8, leading=9.6),
    "head_right": ParagraphStyle(
        "head_right", parent=_BASE, fontName="Helvetica-Bold", fontSize=8, leading=9.6, alignment=2
    ),
    "cell_right": ParagraphStyle("cell_right", parent=_BASE, fontSize=8, leading=9.6, alignment=2),
    "note": ParagraphStyle("note", parent=_BASE, fontSize=8, leading=9.4, textColor=MUTED),
    "footer": ParagraphStyle("footer", parent=_BASE, fontSize=8, leading=9.4, textColor=MUTED),
}


def para(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(str(text)), STYLES[style])


def grid(
    rows: list[list], widths: list[float], *, tints: list[tuple[int, int, colors.Color]] = (), header: bool = True
) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=0)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT)]
    for col, row, tint in tints:
        style.append(("BACKGROUND", (col, row), (col, row), tint))
    table.setStyle(TableStyle(style))
    return table
