"""A Paper as an A4 PDF (reportlab, with the Bitstream Vera fonts reportlab ships).

Every part starts on a new page under the letterhead and counts its own pages ("Halaman 2 dari
3"): the count is known only at the end, so the pages are kept and numbered when saved. Cells are
paragraphs, so a long name wraps inside its cell; a table that runs over a page repeats its
header row.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from kpps_tui.interchange.paper import Kind, Paper, Part, Row, RowKind, Signature, Table, money_text
from kpps_tui.interchange.pdf import FONT, FONT_BOLD, register_fonts

MARGIN = 15 * mm
GREY = colors.HexColor("#e6e6e6")


def paper_pdf_bytes(paper: Paper) -> bytes:
    register_fonts()
    out = io.BytesIO()
    size = landscape(A4) if paper.landscape else A4
    doc = SimpleDocTemplate(
        out, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm,
        title=paper.title, author=paper.letterhead[0] if paper.letterhead else "",
    )
    story: list[Flowable] = []
    for index, part in enumerate(paper.parts):
        if index:
            story.append(PageBreak())
        story.append(_PartStart(index))
        story.extend(_part(paper, part, doc.width))

    def canvas_maker(*args: Any, **kwargs: Any) -> Canvas:
        return _NumberedCanvas(paper.page_label, *args, **kwargs)

    doc.build(story, canvasmaker=canvas_maker)
    return out.getvalue()


# ---- page numbers per part ---------------------------------------------------------------------


class _PartStart(Flowable):
    """Draws nothing; tells the canvas that a new part begins on this page."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
        self.width = self.height = 0

    def draw(self) -> None:
        self.canv._kpps_part = self.index


class _NumberedCanvas(Canvas):
    def __init__(self, page_label: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page_label = page_label
        self._kpps_part = 0
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        parts = [page["_kpps_part"] for page in self._pages]
        for i, page in enumerate(self._pages):
            self.__dict__.update(page)
            self._number(parts[: i + 1].count(parts[i]), parts.count(parts[i]))
            Canvas.showPage(self)
        Canvas.save(self)

    def _number(self, page: int, pages: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(FONT, 8)
        self.drawCentredString(width / 2, MARGIN / 2, self._page_label.format(page=page, pages=pages))
        self.restoreState()


# ---- a part --------------------------------------------------------------------------------------


def _style(name: str, size: float = 9, bold: bool = False, align: int = TA_LEFT, leading: float | None = None, **extra: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT_BOLD if bold else FONT, fontSize=size, leading=leading or size * 1.25, alignment=align, **extra)


def _part(paper: Paper, part: Part, width: float) -> list[Flowable]:
    flow: list[Flowable] = []
    for line in paper.letterhead:
        flow.append(Paragraph(_escape(line), _style("kop", 13, bold=True, align=TA_CENTER)))
    if paper.address:
        flow.append(Paragraph(_escape(paper.address), _style("address", 8.5, align=TA_CENTER)))
    if paper.letterhead:
        flow.append(HRFlowable(width="100%", thickness=1.6, color=colors.black, spaceBefore=3, spaceAfter=1))
        flow.append(HRFlowable(width="100%", thickness=0.5, color=colors.black, spaceAfter=8))
    for line in part.title:
        flow.append(Paragraph(_escape(line), _style("title", 11, bold=True, align=TA_CENTER)))
    flow.append(Spacer(1, 4 * mm))
    body = _style("body", 9.5, spaceAfter=4)
    flow.extend(Paragraph(_escape(text), body) for text in part.intro)
    if part.table is not None:
        flow.extend(_table(paper, chunk, width) for chunk in _chunks(part.table))
    flow.append(Spacer(1, 3 * mm))
    flow.extend(Paragraph(_escape(text), body) for text in part.closing)
    if part.signature is not None:
        flow.append(_signature(part.signature, width))
    return flow


CHUNK_ROWS = 60


def _chunks(table: Table) -> list[Table]:
    """A long table as tables of about CHUNK_ROWS rows, cut before a heading row, each with the
    header. Reportlab measures the rest of a table at every page break it splits, so one table
    of 3,000 rows takes minutes; pieces keep the work in proportion to the rows."""
    chunks: list[Table] = []
    start = 0
    for i, row in enumerate(table.rows):
        if row.kind is RowKind.GROUP and i - start >= CHUNK_ROWS:
            chunks.append(Table(table.columns, table.rows[start:i]))
            start = i
    chunks.append(Table(table.columns, table.rows[start:]))
    return chunks


CELL_SIZE = 8.5
PADDING = 6  # reportlab's cell padding, left and right together


def _table(paper: Paper, table: Table, width: float) -> LongTable:
    """Cells are plain text where it fits on one line, paragraphs (which wrap) where not:
    paragraphs cost ten times more to lay out."""
    head = _style("head", CELL_SIZE, bold=True, align=TA_CENTER)
    widths = _widths(table, width)
    data: list[list[Any]] = [[Paragraph(_escape(c.header), head) for c in table.columns]]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), GREY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 1), (-1, -1), FONT, CELL_SIZE, CELL_SIZE * 1.25),
    ]
    for x, column in enumerate(table.columns):
        align = {Kind.NUMBER: "CENTER", Kind.MONEY: "RIGHT"}.get(column.kind, "LEFT")
        commands.append(("ALIGN", (x, 1), (x, -1), align))
        if column.kind is Kind.SIGN:
            commands += [("VALIGN", (x, 1), (x, -1), "TOP"), ("FONTSIZE", (x, 1), (x, -1), 7.5)]
    if not table.rows:
        data.append([paper.empty_text] + [""] * (len(table.columns) - 1))
        commands += [("SPAN", (0, 1), (-1, 1)), ("ALIGN", (0, 1), (-1, 1), "CENTER")]
    for y, row in enumerate(table.rows, start=1):
        data.append(_cells(paper, table, row, widths))
        if row.kind is not RowKind.DATA:
            commands.append(("FONTNAME", (0, y), (-1, y), FONT_BOLD))
        if row.kind is RowKind.GROUP:
            commands += [("SPAN", (0, y), (-1, y)), ("ALIGN", (0, y), (-1, y), "CENTER"), ("BACKGROUND", (0, y), (-1, y), colors.HexColor("#f2f2f2"))]
            if y < len(table.rows):
                commands.append(("NOSPLIT", (0, y), (-1, y + 1)))  # a heading stays with its first row
        elif row.kind is RowKind.TOTAL:
            first_money = next((x for x, c in enumerate(table.columns) if c.kind is Kind.MONEY), len(table.columns))
            if first_money > 1:
                commands += [("SPAN", (0, y), (first_money - 1, y)), ("ALIGN", (0, y), (0, y), "CENTER")]
            commands.append(("BACKGROUND", (0, y), (-1, y), GREY if row.level > 1 else colors.HexColor("#f7f7f7")))
        else:
            commands += [
                ("ALIGN", (x, y), (x, y), "RIGHT")
                for x, (column, value) in enumerate(zip(table.columns, row.cells))
                if column.kind is Kind.SIGN and isinstance(value, int) and value % 2 == 0
            ]
    result = LongTable(data, colWidths=widths, repeatRows=1)
    result.setStyle(TableStyle(commands))
    return result


def _widths(table: Table, width: float) -> list[float]:
    share = sum(c.width for c in table.columns)
    return [width * c.width / share for c in table.columns]


def _cells(paper: Paper, table: Table, row: Row, widths: list[float]) -> list[Any]:
    bold = row.kind is not RowKind.DATA
    if row.kind is RowKind.GROUP:
        return [_text_cell(str(row.cells[0]), sum(widths), True)] + [""] * (len(widths) - 1)
    cells: list[Any] = []
    for column, value, width in zip(table.columns, row.cells, widths):
        if column.kind is Kind.SIGN:
            # room to sign, the row's number left or right by turns, as offices draw it
            cells.append(f"{value}.\n" if row.kind is RowKind.DATA and value != "" else "")
        elif column.kind is Kind.MONEY and isinstance(value, int):
            cells.append(money_text(value, paper.thousands))
        else:
            cells.append(_text_cell(str(value), width, bold, center=column.kind is Kind.NUMBER))
    return cells


def _text_cell(text: str, width: float, bold: bool, center: bool = False) -> str | Paragraph:
    if stringWidth(text, FONT_BOLD if bold else FONT, CELL_SIZE) <= width - PADDING:
        return text
    return Paragraph(_escape(text), _style("cell", CELL_SIZE, bold, TA_CENTER if center else TA_LEFT))


def _signature(signature: Signature, width: float) -> Flowable:
    style = _style("sign-block", 9.5, align=TA_CENTER)
    lines = [Paragraph(_escape(signature.place_date), style)]
    lines += [Paragraph(_escape(title), style) for title in signature.titles]
    lines.append(Spacer(1, 16 * mm))
    name = f"<u>{_escape(signature.name)}</u>" if signature.name else "(" + "." * 40 + ")"
    lines.append(Paragraph(name, _style("sign-name", 9.5, bold=bool(signature.name), align=TA_CENTER)))
    block = LongTable([["", lines]], colWidths=[width * 0.5, width * 0.5])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 3 * mm), block])


def _escape(text: str) -> str:
    return escape(text)
