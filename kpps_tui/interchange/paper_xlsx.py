"""A Paper as an XLSX workbook (openpyxl): one sheet per part, ready to print on A4.

Amounts are number cells; a net amount is a formula (gross minus tax) and every total is a SUM
formula over the rows it adds, so whoever checks the list in a spreadsheet sees the arithmetic.
Text is always text, never run as a formula. The table's header row repeats on every printed
page, and the footer says "Halaman n dari m".
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kpps_tui.interchange.paper import Cell, Kind, Paper, Part, Row, RowKind, Table

MONEY_FORMAT = "#,##0"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GREY = PatternFill("solid", fgColor="E6E6E6")
WRAP = Alignment(wrap_text=True, vertical="center")
CHARS_PORTRAIT, CHARS_LANDSCAPE = 95, 140  # column widths, in characters, across a page


def paper_xlsx_bytes(paper: Paper) -> bytes:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for part in paper.parts:
        sheet = book.create_sheet(_sheet_name(part.sheet, used))
        _part(sheet, paper, part)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(wanted: str, used: set[str]) -> str:
    base = "".join("-" if ch in "[]:*?/\\" else ch for ch in wanted)[:31] or "Sheet"
    name, n = base, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


class _Rows:
    """The next free row of a sheet (openpyxl's max_row does not count empty rows)."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


def _part(sheet: Worksheet, paper: Paper, part: Part) -> None:
    rows = _Rows()
    columns = len(part.table.columns) if part.table else 1
    if part.table:
        _widths(sheet, paper, part.table)
    for line in paper.letterhead:
        _banner(sheet, rows.next(), line, columns, Font(bold=True, size=13))
    if paper.address:
        _banner(sheet, rows.next(), paper.address, columns, Font(size=9))
    for line in part.title:
        _banner(sheet, rows.next(), line, columns, Font(bold=True, size=11))
    for text in part.intro:
        _banner(sheet, rows.next(), text, columns, Font(size=10), center=False)
    rows.next()
    if part.table is not None:
        _table(sheet, rows, paper, part.table)
    rows.next()
    for text in part.closing:
        _banner(sheet, rows.next(), text, columns, Font(size=10), center=False)
    if part.signature is not None:
        sign = part.signature
        rows.next()
        first = max(1, columns // 2 + 1)
        for text in (sign.place_date, *sign.titles, "", "", sign.name or "(" + "." * 40 + ")"):
            row = rows.next()
            cell = sheet.cell(row, first, text)
            cell.data_type = "s"
            cell.alignment = Alignment(horizontal="center")
            cell.font = Font(bold=bool(sign.name) and text == sign.name)
            if columns > first:
                sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=columns)
    _page_setup(sheet, paper)


def _widths(sheet: Worksheet, paper: Paper, table: Table) -> None:
    across = CHARS_LANDSCAPE if paper.landscape else CHARS_PORTRAIT
    share = sum(c.width for c in table.columns)
    for x, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(x)].width = max(4.0, across * column.width / share)


def _banner(sheet: Worksheet, row: int, text: str, columns: int, font: Font, center: bool = True) -> None:
    """A line across the table's width (merged cells)."""
    cell = sheet.cell(row, 1, text)
    cell.data_type = "s"
    cell.font = font
    cell.alignment = Alignment(horizontal="center" if center else "left", wrap_text=True, vertical="top")
    if columns > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    if not center and len(text) > 90:  # a paragraph: room for its lines
        sheet.row_dimensions[row].height = 13 * (len(text) // 90 + 1)


def _table(sheet: Worksheet, rows: _Rows, paper: Paper, table: Table) -> None:
    header = rows.next()
    for x, column in enumerate(table.columns, start=1):
        cell = sheet.cell(header, x, column.header)
        cell.data_type = "s"
        cell.font, cell.fill, cell.border = Font(bold=True), GREY, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.print_title_rows = f"{header}:{header}"
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    if not table.rows:
        y = rows.next()
        sheet.cell(y, 1, paper.empty_text).data_type = "s"
        sheet.merge_cells(start_row=y, start_column=1, end_row=y, end_column=len(table.columns))
        return
    data_rows: list[int] = []
    totals: list[tuple[int, int]] = []  # (level, sheet row)
    for item in table.rows:
        y = rows.next()
        if item.kind is RowKind.GROUP:
            _group_row(sheet, item, y, len(table.columns))
            continue
        if item.kind is RowKind.DATA:
            data_rows.append(y)
        else:
            totals.append((item.level, y))
        for x, (column, value) in enumerate(zip(table.columns, item.cells), start=1):
            cell = sheet.cell(y, x)
            cell.border = BOX
            cell.alignment = WRAP
            if item.kind is RowKind.TOTAL:
                cell.font = Font(bold=True)
            if column.kind is Kind.MONEY:
                cell.value = _money_cell(table, column.difference_of, item, y, x, data_rows, totals)
                cell.number_format = MONEY_FORMAT
            elif column.kind is Kind.SIGN:
                cell.value = f"{value}." if item.kind is RowKind.DATA and value != "" else ""
                cell.data_type = "s"
                cell.alignment = Alignment(horizontal="right" if isinstance(value, int) and value % 2 == 0 else "left", vertical="top")
            else:
                _plain(cell, value, column.kind)
        if item.kind is RowKind.DATA and any(c.kind is Kind.SIGN for c in table.columns):
            sheet.row_dimensions[y].height = 30


def _group_row(sheet: Worksheet, item: Row, y: int, columns: int) -> None:
    cell = sheet.cell(y, 1, str(item.cells[0]))
    cell.data_type = "s"
    cell.font, cell.fill, cell.border = Font(bold=True), PatternFill("solid", fgColor="F2F2F2"), BOX
    sheet.merge_cells(start_row=y, start_column=1, end_row=y, end_column=columns)


def _plain(cell: SheetCell, value: Cell, kind: Kind) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # a name such as "=X" stays text
    if kind is Kind.NUMBER:
        cell.alignment = Alignment(horizontal="center", vertical="center")


def _money_cell(
    table: Table,
    difference_of: tuple[int, int] | None,
    item: Row,
    y: int,
    x: int,
    data_rows: list[int],
    totals: list[tuple[int, int]],
) -> int | str:
    """A data row's amount (or its net, as a formula); a total's SUM formula (see paper.py)."""
    letter = get_column_letter(x)
    if item.kind is RowKind.DATA:
        if difference_of is not None:
            a, b = (get_column_letter(i + 1) for i in difference_of)
            return f"={a}{y}-{b}{y}"
        value = item.cells[x - 1]
        return value if isinstance(value, int) else 0
    earlier = totals[:-1]  # this total is the last one recorded
    since = max((row for level, row in earlier if level >= item.level), default=0)
    if item.level <= 1:
        rows = [r for r in data_rows if r > since]
        return _sum_of(letter, rows)
    parts = [row for level, row in earlier if row > since and level == item.level - 1]
    return "=" + "+".join(f"{letter}{row}" for row in parts) if parts else 0


def _sum_of(letter: str, rows: list[int]) -> int | str:
    """SUM over the rows, as ranges of consecutive rows."""
    if not rows:
        return 0
    ranges, start, last = [], rows[0], rows[0]
    for row in rows[1:]:
        if row != last + 1:
            ranges.append((start, last))
            start = row
        last = row
    ranges.append((start, last))
    return "=SUM(" + ",".join(f"{letter}{a}:{letter}{b}" for a, b in ranges) + ")"


def _page_setup(sheet: Worksheet, paper: Paper) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if paper.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = paper.page_label.replace("{page}", "&P").replace("{pages}", "&N")
    sheet.oddFooter.center.size = 8
