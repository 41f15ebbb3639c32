"""Reading a table from a CSV or XLSX file as people really send them.

CSV files come in UTF-8 (with or without BOM), UTF-16 or UTF-32 (as Excel's "Unicode text"
saves them, with or without BOM) or Windows-1252, separated by `,` `;` or tabs, with empty
lines; XLSX files through openpyxl, recognised by their content whatever their name. Every row
keeps its line number, so a refusal can say exactly where the problem is.

A file is read within limits (rows, columns, bytes unpacked), checked before it is parsed
where the file says its size and while it is read where it does not, so a zip bomb or a
hostile file gets a sentence and memory stays bounded.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kpps_tui.domain.text import strip_controls
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_

XLSX_MAGIC = b"PK\x03\x04"
DELIMITERS = ",;\t|"


MAX_ROWS = 200_000  # a province holds about 48,000 applicants
MAX_COLUMNS = 256
MAX_BYTES = 256 * 2**20  # a CSV file, or the parts of an XLSX file unpacked together
MAX_SHARED_STRINGS = 64 * 2**20  # the one part of an XLSX that is held whole while reading


class TableError(KppsError):
    pass


class TooLarge(TableError):
    pass


def too_many_rows(path: Path) -> TooLarge:
    return TooLarge(N_("{path} has more than {max} rows; split it into smaller files."), path=str(path), max=f"{MAX_ROWS:,}")


def too_many_columns(path: Path, row: int) -> TooLarge:
    return TooLarge(
        N_("Row {row} of {path} has more than {max} columns; keep only the columns of the list."),
        path=str(path),
        row=row,
        max=MAX_COLUMNS,
    )


def too_big(path: Path) -> TooLarge:
    return TooLarge(
        N_("{path} holds more than {max} MB of data once unpacked; split it into smaller files."),
        path=str(path),
        max=MAX_BYTES // 2**20,
    )


def not_a_table(path: Path) -> TableError:
    return TableError(N_("{path} is not a CSV or XLSX file."), path=str(path))


def damaged_xlsx(path: Path, exc: Exception) -> TableError:
    return TableError(
        N_("{path} is a damaged XLSX file ({reason}); open it in a spreadsheet and save it again."),
        path=str(path),
        reason=str(exc) or type(exc).__name__,
    )


def checked_rows(path: Path, records: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """The records, refusing once a row lies beyond MAX_ROWS or a row has more than MAX_COLUMNS
    cells (with something in those beyond)."""
    for number, cells in records:
        if number > MAX_ROWS:
            if any(cells):
                raise too_many_rows(path)
            continue  # the empty rows openpyxl makes up to a sheet's declared size
        if len(cells) > MAX_COLUMNS and any(cells[MAX_COLUMNS:]):
            raise too_many_columns(path, number)
        yield number, cells[:MAX_COLUMNS]


def read_text_file(path: Path) -> str:
    """A CSV (or other text) file's text, within MAX_BYTES; TableError when it is not text."""
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise TableError(N_("Cannot read {path}: {reason}."), path=str(path), reason=exc.strerror or str(exc)) from exc
    if len(raw) > MAX_BYTES:
        raise too_big(path)
    text = decode_text(raw)
    if text is None:
        raise not_a_table(path)
    return text


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(raw: bytes) -> str | None:
    """Text from bytes in the encodings lists arrive in: a byte order mark says which; without
    one, UTF-16 shows as a zero byte in every other place, else UTF-8, else Windows-1252.
    None for bytes that are no text (zero bytes in more than 1 in 100, or with bytes that are
    not UTF-8, or a broken UTF-16/32)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _strict(raw[len(bom):], encoding)
    utf16 = _utf16_without_bom(raw[:4096])
    if utf16:
        return _strict(raw, utf16)
    if b"\x00" in raw:
        # A stray NUL in a name is stripped with the other control characters; many are binary.
        if raw.count(0) * 100 > len(raw):
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # 5 bytes cp1252 leaves undefined


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if text.count("\x00") * 100 > len(text) else text


def _utf16_without_bom(head: bytes) -> str | None:
    """utf-16-le or -be when ASCII-range text shows its zero high bytes all on one side."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    if odd >= pairs * 0.3 and even == 0:
        return "utf-16-le"
    if even >= pairs * 0.3 and odd == 0:
        return "utf-16-be"
    return None


def is_xlsx(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == XLSX_MAGIC
    except OSError:
        return False


@contextmanager
def opened_workbook(path: Path) -> Iterator[Any]:
    """An XLSX workbook in openpyxl's streaming (read-only) mode, after checking what its zip
    says of its sizes and that its sheets' rows stay within the limits. Whatever the XML or
    the zip holds, the caller gets a TableError, never a parser's exception."""
    from openpyxl import load_workbook  # heavy: only when an XLSX is read

    try:
        with zipfile.ZipFile(path) as archive:
            _check_unpacked_sizes(path, archive)
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as part:
                        _check_sheet(path, part)
        handle = path.open("rb")
    except TableError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError) as exc:
        raise not_a_table(path) from exc
    try:
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file: all mean this
            raise not_a_table(path) from exc
        try:
            yield book
        except TableError:
            raise
        except Exception as exc:  # broken XML found while streaming the rows
            raise damaged_xlsx(path, exc) from exc
        finally:
            book.close()
    finally:
        handle.close()


def _check_unpacked_sizes(path: Path, archive: zipfile.ZipFile) -> None:
    """What the zip says each part unpacks to bounds what reading it gives (zipfile stops at
    the stated size), so these sums are limits a zip bomb cannot lie past."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.filename == "xl/sharedStrings.xml" and info.file_size > MAX_SHARED_STRINGS:
            raise too_big(path)
    if total > MAX_BYTES:
        raise too_big(path)


def _check_sheet(path: Path, part: Any) -> None:
    """Count rows and each row's cells in the sheet's bytes, a chunk at a time: openpyxl holds
    a whole row (and pads it to the widest cell), so a row of a million cells must be refused
    before it is parsed. Bytes, not XML events: a quick count the parser checks afterwards."""
    rows = 0
    carry = b""  # the row the previous chunk ended in, so far
    for chunk in iter(lambda: part.read(1 << 20), b""):
        pieces = (carry + chunk).split(b"<row")  # the carried row lost its "<row": not counted again
        rows += len(pieces) - 1
        carry = pieces.pop()
        for piece in (*pieces, carry):
            if piece.count(b"<c ") + piece.count(b"<c>") > MAX_COLUMNS:
                raise too_many_columns(path, rows + 1)
        if rows > MAX_ROWS:
            raise too_many_rows(path)


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
    if is_xlsx(path):
        return _read_xlsx(path)
    return _read_csv(path)


def _read_csv(path: Path) -> Table:
    text = read_text_file(path)
    sample = "\n".join(line for line in text.splitlines()[:50] if line.strip())
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered = ((reader.line_num, [strip_controls(c) for c in cells]) for cells in reader)
    try:
        records = list(checked_rows(path, numbered))
    except csv.Error as exc:
        raise TableError(N_("{path} cannot be read as CSV near line {line}: {reason}."), path=str(path), line=reader.line_num, reason=str(exc)) from exc
    return _table(path, records)


def _read_xlsx(path: Path) -> Table:
    with opened_workbook(path) as book:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # a declared size is not trusted: rows are as wide as their cells
        numbered = ((n, [cell_text(v) for v in values]) for n, values in enumerate(sheet.iter_rows(values_only=True), 1))
        records = list(checked_rows(path, numbered))
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
    return strip_controls(str(value))


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
