"""Printable PDF tables (reportlab), with a Unicode font shipped inside reportlab itself."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from kpps_tui.store.outputs import write_output

FONT = "KppsVera"
FONT_BOLD = "KppsVeraBold"


@lru_cache(maxsize=None)
def register_fonts() -> frozenset[int]:
    """Register Bitstream Vera (it ships with reportlab) once; return the code points it draws."""
    import reportlab

    folder = Path(reportlab.__file__).parent / "fonts"
    regular = TTFont(FONT, str(folder / "Vera.ttf"))
    bold = TTFont(FONT_BOLD, str(folder / "VeraBd.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    return frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)


def write_tables_pdf(path: Path, heading: str, subheading: str, sections: list[tuple[str, list[str], list[list]]]) -> None:
    """A landscape A4 document: a heading, then one titled table per section, headers repeated."""
    register_fonts()
    title_style = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=13, leading=16)
    small = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10)
    section_style = ParagraphStyle("section", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6)
    story = [Paragraph(_escape(heading), title_style), Paragraph(_escape(subheading), small), Spacer(1, 4 * mm)]
    for title, headers, rows in sections:
        story.append(Paragraph(_escape(title), section_style))
        story.append(_table(headers, rows))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm, title=heading)
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    write_output(Path(path), out.getvalue())


def _table(headers: list[str], rows: list[list]) -> LongTable:
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10)
    head = ParagraphStyle("head", fontName=FONT_BOLD, fontSize=8, leading=10)
    data = [[Paragraph(_escape(str(h)), head) for h in headers]]
    data += [[Paragraph(_escape(str(v)), cell) for v in row] for row in rows]
    table = LongTable(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7)
    canvas.drawRightString(doc.pagesize[0] - 12 * mm, 6 * mm, str(doc.page))
    canvas.restoreState()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
