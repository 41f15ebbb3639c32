"""Writing a table to CSV or XLSX (chosen by the file's suffix), safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.interchange.cells import safe_cell
from kpps_tui.store.outputs import write_output

Cell = str | int


def write_table(path: Path, headers: list[str], rows: list[list[Cell]], title: str = "") -> None:
    """Write atomically, so a half-written export never replaces a good one."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        payload = _csv_bytes(headers, rows)
    elif suffix == ".xlsx":
        payload = _xlsx_bytes([(title, headers, rows)])
    else:
        raise KppsError(
            N_("Choose a file name ending in .csv or .xlsx (or .pdf for a printable report); {path} has neither."),
            path=str(path),
        )
    write_output(path, payload)


def write_workbook(path: Path, sheets: list[tuple[str, list[str], list[list[Cell]]]]) -> None:
    """An XLSX with one sheet per (title, headers, rows)."""
    write_output(Path(path), _xlsx_bytes(sheets))


def _safe(value: Cell) -> Cell:
    return safe_cell(value) if isinstance(value, str) else value


def csv_text(headers: list[str], rows: list[list[Cell]]) -> str:
    """The rows as CSV text; a cell a spreadsheet would run as a formula is kept as text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([[_safe(v) for v in row] for row in rows])
    return out.getvalue()


def _csv_bytes(headers: list[str], rows: list[list[Cell]]) -> bytes:
    return csv_text(headers, rows).encode("utf-8-sig")  # the BOM makes Excel read it as UTF-8


def _xlsx_bytes(sheets: list[tuple[str, list[str], list[list[Cell]]]]) -> bytes:
    from openpyxl import Workbook  # heavy: only when an XLSX is written
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in sheets:
        sheet = book.create_sheet((title or "Sheet1")[:31])
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_safe(v) for v in row])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
