"""Reading a table from a CSV or XLSX file as people really send them.

CSV files come in UTF-8 (with or without BOM) or Windows-1252, separated by `,` `;` or tabs,
with empty lines; XLSX files through openpyxl. Every row keeps its line number, so a refusal
can say exactly where the problem is.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_

XLSX_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = ",;\t|"


class TableError(KppsError):
    pass


@dataclass(frozen=True)
class Row:
    number: int  # line (CSV) or row (XLSX) in the file, counted from 1
    cells: dict[str, str]
    extra: tuple[str, ...] = ()  # cells beyond the header


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]


def read_table(path: Path) -> Table:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TableError(N_("Cannot read {path}: {reason}."), path=str(path), reason=exc.strerror or str(exc)) from exc
    if raw.startswith(b"PK\x03\x04") or path.suffix.lower() in XLSX_SUFFIXES:
        return _read_xlsx(path, raw)
    return _read_csv(path, raw)


def _read_csv(path: Path, raw: bytes) -> Table:
    if b"\x00" in raw[:4096]:
        raise TableError(N_("{path} is not a CSV or XLSX file."), path=str(path))
    text = _decode(raw)
    sample = "\n".join(line for line in text.splitlines()[:50] if line.strip())
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = [(reader.line_num, [c.strip() for c in cells]) for cells in reader]
    except csv.Error as exc:
        raise TableError(N_("{path} cannot be read as CSV near line {line}: {reason}."), path=str(path), line=reader.line_num, reason=str(exc)) from exc
    return _table(path, records)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")  # every byte is a character: never fails


def _read_xlsx(path: Path, raw: bytes) -> Table:
    from openpyxl import load_workbook  # heavy: only when an XLSX is read

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(N_("{path} is not a CSV or XLSX file."), path=str(path)) from exc
    try:
        sheet = book.worksheets[0]
        records = [(n, [cell_text(v) for v in values]) for n, values in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        book.close()
    return _table(path, records)


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: whole numbers without '.0', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(path: Path, records: list[tuple[int, list[str]]]) -> Table:
    filled = [(n, cells) for n, cells in records if any(cells)]
    if not filled:
        raise TableError(N_("{path} holds no rows."), path=str(path))
    (_, headers), body = filled[0], filled[1:]
    while headers and not headers[-1]:
        headers = headers[:-1]
    rows = []
    for number, cells in body:
        values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers)}
        extra = tuple(c for c in cells[len(headers):] if c)
        rows.append(Row(number, values, extra))
    return Table(headers, rows)
