"""A Paper as a Word document (python-docx), for an office that edits the wording before signing.

Each part is a section of its own, numbered from 1 with "Halaman n dari m" in the footer (Word's
PAGE and SECTIONPAGES fields, so the numbers stay right after editing). The table's header row
repeats on every page; rows are not split across pages.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from lxml import etree
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.document import Document as WordDocument
from docx.section import Section
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph

from kpps_tui.interchange.paper import Kind, Paper, Part, RowKind, Table, money_text

FONT = "Arial"


def paper_docx_bytes(paper: Paper) -> bytes:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    for index, part in enumerate(paper.parts):
        section = document.sections[0] if index == 0 else document.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, paper)
        _part(document, paper, part)
    document.core_properties.title = paper.title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page_setup(section: Section, paper: Paper) -> None:
    section.page_width, section.page_height = (Mm(297), Mm(210)) if paper.landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if paper.landscape else WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    section.footer.is_linked_to_previous = False
    section._sectPr.append(_element("w:pgNumType", {"w:start": "1"}))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in re.split(r"(\{page\}|\{pages\})", paper.page_label):
        if piece == "{page}":
            _field(footer, "PAGE")
        elif piece == "{pages}":
            _field(footer, "SECTIONPAGES")
        elif piece:
            footer.add_run(piece).font.size = Pt(8)


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, SECTIONPAGES) that Word fills in when it lays the pages out."""
    run = paragraph.add_run()
    run.font.size = Pt(8)
    run._r.append(_element("w:fldChar", {"w:fldCharType": "begin"}))
    run._r.append(_element("w:instrText", {"xml:space": "preserve"}, f" {code} "))
    run._r.append(_element("w:fldChar", {"w:fldCharType": "separate"}))
    run._r.append(_element("w:t", {}, "1"))
    run._r.append(_element("w:fldChar", {"w:fldCharType": "end"}))


def _element(tag: str, attributes: dict[str, str], text: str | None = None) -> etree._Element:
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(key), value)
    if text is not None:
        element.text = text
    return element


def _part(document: WordDocument, paper: Paper, part: Part) -> None:
    for line in paper.letterhead:
        _line(document, line, size=13, bold=True, center=True)
    if paper.address:
        _line(document, paper.address, size=8.5, center=True)
    if paper.letterhead:
        _rule(document.paragraphs[-1])
    for line in part.title:
        _line(document, line, size=11, bold=True, center=True)
    for text in part.intro:
        _line(document, text)
    if part.table is not None:
        _table(document, paper, part.table)
    for text in part.closing:
        _line(document, text)
    if part.signature is not None:
        sign = part.signature
        lines = [sign.place_date, *sign.titles, "", "", "", sign.name or "(" + "." * 40 + ")"]
        for i, text in enumerate(lines):
            paragraph = _line(document, text, bold=bool(sign.name) and i == len(lines) - 1)
            paragraph.paragraph_format.left_indent = Mm(100 if not paper.landscape else 170)
            paragraph.paragraph_format.keep_with_next = i < len(lines) - 1
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _line(document: WordDocument, text: str, size: float = 10, bold: bool = False, center: bool = False) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _rule(paragraph: Paragraph) -> None:
    """A double line under the letterhead, as a paragraph border."""
    borders = _element("w:pBdr", {})
    borders.append(_element("w:bottom", {"w:val": "thickThinSmallGap", "w:sz": "18", "w:space": "4", "w:color": "000000"}))
    paragraph._p.get_or_add_pPr().append(borders)
    paragraph.paragraph_format.space_after = Pt(10)


def _table(document: WordDocument, paper: Paper, table: Table) -> None:
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    usable = Mm(267 if paper.landscape else 180)
    share = sum(c.width for c in table.columns)
    widths = [int(usable * c.width / share) for c in table.columns]
    header = grid.rows[0]
    _repeat_header(header)
    for cell, column, width in zip(header.cells, table.columns, widths):
        cell.width = width
        _cell_text(cell, column.header, bold=True, center=True)
    if not table.rows:
        row = grid.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        _cell_text(merged, paper.empty_text, center=True)
    for item in table.rows:
        row = grid.add_row()
        _keep_row_whole(row)
        for cell, width in zip(row.cells, widths):
            cell.width = width
        if item.kind is RowKind.GROUP:
            merged = row.cells[0].merge(row.cells[-1])
            _cell_text(merged, str(item.cells[0]), bold=True)
            continue
        for cell, column, value in zip(row.cells, table.columns, item.cells):
            bold = item.kind is RowKind.TOTAL
            if column.kind is Kind.MONEY and isinstance(value, int):
                _cell_text(cell, money_text(value, paper.thousands), bold=bold, right=True)
            elif column.kind is Kind.SIGN:
                _cell_text(cell, f"{value}." if value != "" and item.kind is RowKind.DATA else "", right=isinstance(value, int) and value % 2 == 0)
            else:
                _cell_text(cell, str(value), bold=bold, center=column.kind is Kind.NUMBER)


def _cell_text(cell: _Cell, text: str, bold: bool = False, center: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(9)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_header(row: _Row) -> None:
    row._tr.get_or_add_trPr().append(_element("w:tblHeader", {"w:val": "true"}))


def _keep_row_whole(row: _Row) -> None:
    row._tr.get_or_add_trPr().append(_element("w:cantSplit", {"w:val": "true"}))
