"""Applicant and TPS lists in CSV/XLSX: the fields a file's columns can map to, rows read one at
a time (100,000 rows need no more memory than their text), and the applicant export.

A file arrives as SIAKBA or a PPS office made it: UTF-8 with or without BOM, UTF-16, or
Windows-1252 (interchange.tables.decode_text), within the limits of interchange.tables;
`,` `;` tab or `|` between cells; empty lines; more or fewer cells than headers; or XLSX. The
user maps columns to fields (a dict field -> header); `guess_mapping` proposes one from the
headers' names in Indonesian or English.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kpps_tui.i18n import N_, _
from kpps_tui.interchange.cells import FORMULA_STARTS
from kpps_tui.interchange.export import Cell, write_table
from kpps_tui.domain.text import strip_controls
from kpps_tui.interchange.tables import (
    DELIMITERS,
    TableError,
    cell_text,
    checked_rows,
    is_xlsx,
    not_a_table,
    opened_workbook,
    read_text_file,
)

# ---- fields ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # source string (English), translated when shown; also the export header
    aliases: tuple[str, ...]  # header names that map to this field, best first
    required: bool = False


APPLICANT_FIELDS = (
    Field("nik", N_("NIK"), ("nik", "no nik", "nomor nik", "nomor induk kependudukan", "no ktp", "nomor ktp"), True),
    Field("name", N_("Name"), ("nama", "nama lengkap", "nama pendaftar", "name", "full name"), True),
    Field("sex", N_("Sex (L/P)"), ("jenis kelamin", "jk", "l/p", "lp", "sex", "gender", "kelamin")),
    Field("birth_place", N_("Place of birth"), ("tempat lahir", "tmp lahir", "place of birth", "birth place")),
    Field("birth_date", N_("Date of birth"), ("tanggal lahir", "tgl lahir", "tgl. lahir", "date of birth", "birth date", "birthdate")),
    Field("address", N_("Address"), ("alamat", "alamat lengkap", "alamat ktp", "address")),
    Field("rt", N_("RT"), ("rt",)),
    Field("rw", N_("RW"), ("rw",)),
    Field(
        "desa",
        N_("Desa code"),
        ("kode desa", "kode desa/kelurahan", "kode kelurahan", "desa code", "kode wilayah",
         "desa/kelurahan", "desa", "kelurahan", "desa kelurahan", "village", "domisili"),
        True,
    ),
    Field("kecamatan", N_("Kecamatan"), ("kecamatan", "kode kecamatan", "district")),
    Field("phone", N_("Phone"), ("telepon", "no telepon", "no hp", "nomor hp", "hp", "telp", "no telp", "whatsapp", "phone")),
    Field("education", N_("Education"), ("pendidikan", "pendidikan terakhir", "ijazah terakhir", "education")),
    Field("earlier_service", N_("Earlier KPPS service"), ("pernah menjadi kpps", "pengalaman kpps", "pengalaman", "riwayat kpps", "earlier kpps service")),
    Field("notes", N_("Notes"), ("catatan", "keterangan", "notes", "note")),
    Field("tax", N_("Tax status (PPh 21)"), ("status pajak", "status npwp", "npwp", "pajak", "golongan", "tax status", "tax status pph 21")),
)

TPS_FIELDS = (
    Field("code", N_("TPS code"), ("kode tps", "tps code", "code", "kode")),
    Field("kecamatan", N_("Kecamatan"), ("kecamatan", "kode kecamatan", "district")),
    Field("desa", N_("Desa code"), ("kode desa", "kode desa/kelurahan", "desa code", "desa/kelurahan", "desa", "kelurahan", "village")),
    Field("number", N_("TPS number"), ("nomor tps", "no tps", "tps", "nomor", "no", "number", "tps number")),
    Field("address", N_("Address"), ("alamat", "alamat tps", "lokasi", "address")),
    Field("voters", N_("Voters (DPT)"), ("dpt", "jumlah dpt", "pemilih", "jumlah pemilih", "voters", "voters (dpt)")),
)

FIELDS = {"applicants": APPLICANT_FIELDS, "tps": TPS_FIELDS}


def fields_of(kind: str) -> dict[str, Field]:
    return {f.key: f for f in FIELDS[kind]}


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()


def guess_mapping(headers: list[str], kind: str) -> dict[str, str]:
    """A field -> header mapping from the headers' names (Indonesian, English, or this
    program's own export headers in either language); each header used once."""
    by_name: dict[str, str] = {}
    for header in headers:
        by_name.setdefault(_norm(header), header)
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    for fld in FIELDS[kind]:
        names = [*fld.aliases, fld.label, _(fld.label)]
        for name in names:
            found = by_name.get(_norm(name))
            if found is not None and found not in taken:
                mapping[fld.key] = found
                taken.add(found)
                break
    return mapping


# ---- reading rows one at a time ----------------------------------------------------------------

OLD_EXCEL = b"\xd0\xcf\x11\xe0"
NOT_TABLES = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")


@dataclass
class RowSource:
    """A table's headers and an iterator over its non-empty rows (number, cells); `extra_rows`
    counts rows with cells beyond the last header once the rows are read."""

    path: Path
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    extra_rows: list[int] = field(default_factory=list)


def open_rows(path: Path) -> RowSource:
    """Open a CSV or XLSX file for reading row by row, or TableError saying why it cannot be."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise TableError(N_("Cannot read {path}: {reason}."), path=str(path), reason=exc.strerror or str(exc)) from exc
    if head.startswith(OLD_EXCEL):
        raise TableError(N_("{path} is an old Excel (.xls) file; save it as .xlsx or .csv and try again."), path=str(path))
    if is_xlsx(path):
        return _xlsx_rows(path)
    if head.startswith(NOT_TABLES):
        raise not_a_table(path)
    return _csv_rows(path)


def _csv_rows(path: Path) -> RowSource:
    text = read_text_file(path)
    lines = []
    for line in io.StringIO(text):
        if line.strip():
            lines.append(line)
            if len(lines) == 50:
                break
    if not lines:
        raise TableError(N_("{path} holds no rows."), path=str(path))
    try:
        delimiter = csv.Sniffer().sniff("".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = max(DELIMITERS, key=lines[0].count) if any(d in lines[0] for d in DELIMITERS) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        start = 1
        for cells in reader:
            yield start, [plain_cell(c) for c in cells]
            start = reader.line_num + 1

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from checked_rows(path, numbered())
        except csv.Error as exc:
            raise TableError(
                N_("{path} cannot be read as CSV near line {line}: {reason}."), path=str(path), line=reader.line_num, reason=str(exc)
            ) from exc

    return _with_headers(path, records())


_ESCAPED = re.compile("'+[" + re.escape("".join(FORMULA_STARTS)) + "]")


def plain_cell(text: str) -> str:
    """A cell as it was before the export kept it from running as a formula: one apostrophe
    less before a formula sign ('=... back to =..., ''=... back to '=...)."""
    text = strip_controls(text)
    return text[1:] if _ESCAPED.match(text) else text


def formula_safe(value: Cell) -> Cell:
    """The export's side of plain_cell: interchange.export puts an apostrophe before a formula
    sign; text that already starts with apostrophes before one gets one more, so that reading
    it back gives the text exactly."""
    return "'" + value if isinstance(value, str) and _ESCAPED.match(value) else value


def _xlsx_rows(path: Path) -> RowSource:
    opened = opened_workbook(path)
    book = opened.__enter__()  # left by records(), which streams the rows after this returns

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # a declared size is not trusted: rows are as wide as their cells
            numbered = ((n, [plain_cell(cell_text(v)) for v in values]) for n, values in enumerate(sheet.iter_rows(values_only=True), 1))
            yield from checked_rows(path, numbered)
        except BaseException as exc:
            if not opened.__exit__(type(exc), exc, exc.__traceback__):  # may raise it as a TableError
                raise
        else:
            opened.__exit__(None, None, None)

    return _with_headers(path, records())


def _with_headers(path: Path, records: Iterator[tuple[int, list[str]]]) -> RowSource:
    for _number, cells in records:
        if any(cells):
            headers = list(cells)
            break
    else:
        raise TableError(N_("{path} holds no rows."), path=str(path))
    while headers and not headers[-1]:
        headers.pop()
    headers = [h or _("Column {n}").format(n=i) for i, h in enumerate(headers, 1)]
    seen: set[str] = set()
    for header in headers:
        if header in seen:
            raise TableError(N_("{path} has two columns named {header}; rename one."), path=str(path), header=header)
        seen.add(header)
    source = RowSource(path, headers, iter(()))
    width = len(headers)

    def body() -> Iterator[tuple[int, list[str]]]:
        for number, cells in records:
            if not any(cells):
                continue  # an empty line: skipped, its number still counts
            if len(cells) > width and any(cells[width:]):
                source.extra_rows.append(number)
            yield number, cells

    source.rows = body()
    return source


# ---- export --------------------------------------------------------------------------------------

EXPORT_EXTRA = (
    N_("Desa/Kelurahan"),
    N_("Stage"),
    N_("TMS reasons"),
    N_("TPS"),
    N_("Seat"),
    N_("Warnings and reasons"),
    N_("Health certificate"),
    N_("Papers missing"),
)


def export_headers() -> list[str]:
    return [_(f.label) for f in APPLICANT_FIELDS] + [_(h) for h in EXPORT_EXTRA]


def write_applicants(path: Path, rows: list[list[Cell]], title: str = "") -> None:
    """Write rows (export_headers order) to .csv or .xlsx; cells a spreadsheet would run as a
    formula are kept as text (interchange.export)."""
    safe_rows = [[formula_safe(v) for v in r] for r in rows]
    write_table(Path(path), export_headers(), safe_rows, title=title or _("Applicants"))
