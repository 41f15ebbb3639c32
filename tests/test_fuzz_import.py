"""Fuzzed and hostile import files: whatever arrives, the import says one sentence (a KppsError)
or plans the rows, never a traceback, and never loses a valid row it was given.

Random bytes, random text in the encodings lists arrive in, XLSX under other names, broken XML,
zip bombs (too many rows, a row too wide, too much unpacked), control characters in names and
100,000 rows, through the same preview and apply the CLI and the interface use."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import kpps_tui.sample_data.generate as generator
from kpps_tui.cli import main
from kpps_tui.domain.nik import make_nik
from kpps_tui.domain.text import has_controls
from kpps_tui.errors import KppsError
from kpps_tui.interchange import tables
from kpps_tui.services import imports
from kpps_tui.store.workspace import Workspace

CANDI = "62.01.01.1011"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Regions only: every fuzzed row is planned against the same empty workspace."""
    regions = generator.read_regions(generator.HERE / "wilayah_kalteng.csv", generator.KABUPATEN)
    return Workspace.create(tmp_path_factory.mktemp("fuzz") / "ws", generator.ELECTION, regions)


def nik(serial: int) -> str:
    return make_nik("62.01.01", date(1990, 12, 5), "P", serial)


def preview_or_sentence(ws: Workspace, path: Path) -> imports.Preview | KppsError:
    """The preview, or the sentence the user gets; anything else propagates and fails the test."""
    try:
        return imports.preview_applicants(ws, path)
    except KppsError as refused:
        assert str(refused)  # a sentence, in the user's language
        return refused


# ---- random input ------------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(["list.csv", "list.xlsx", "list", "list.txt"]))
def test_random_bytes_get_a_sentence_or_a_plan(ws: Workspace, tmp_path: Path, data: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    preview_or_sentence(ws, path)


@FUZZ
@given(data=st.binary(min_size=30, max_size=2048))
def test_random_bytes_inside_a_zip_named_xlsx_get_a_sentence(ws: Workspace, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", data[:10])
        archive.writestr("xl/workbook.xml", data)
        archive.writestr("xl/worksheets/sheet1.xml", data[::-1])
    assert isinstance(preview_or_sentence(ws, path), KppsError)


NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=",;\t|\"\r\n"), min_size=1, max_size=40
).filter(lambda s: s.strip(" \x00\x1b"))


@FUZZ
@given(name=NAMES, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"]))
def test_any_name_in_any_encoding_is_stored_without_control_characters(
    ws: Workspace, tmp_path: Path, name: str, encoding: str
) -> None:
    rows = [f"{nik(9801 + i)},{name if i == 0 else 'Dewi Lestari'},{CANDI}" for i in range(40)]
    text = "NIK,Nama,Desa\n" + "\n".join(rows) + "\n"
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        return  # this name cannot be written in this encoding: not a file anyone could send
    path = tmp_path / "list.csv"
    path.write_bytes(raw)
    result = preview_or_sentence(ws, path)
    if isinstance(result, imports.Preview):
        for person in result.added:
            assert not has_controls(person.name)


# ---- hand-made hostile files -----------------------------------------------------------------------


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hand_made_sheet(path: Path, sheet_xml: bytes, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal XLSX whose first sheet is `sheet_xml` (streamed: it may be huge)."""
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="' + rel + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", b'<?xml version="1.0"?><workbook ' + ns + b' xmlns:r="' + rel + b'"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="' + rel + b'/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", b'<?xml version="1.0"?><worksheet ' + ns + b"><sheetData>" + sheet_xml + b"</sheetData></worksheet>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def cell(text: str) -> bytes:
    return b'<c t="inlineStr"><is><t>' + text.encode() + b"</t></is></c>"


HEADER_ROW = b"<row>" + cell("NIK") + cell("Nama") + cell("Desa") + b"</row>"


def test_an_xlsx_bomb_of_too_many_rows_is_refused_before_it_is_read(ws: Workspace, tmp_path: Path) -> None:
    row = b"<row>" + cell(nik(9901)) + cell("Nama") + cell(CANDI) + b"</row>"
    path = hand_made_sheet(tmp_path / "rows.xlsx", HEADER_ROW + row * (tables.MAX_ROWS + 1))
    assert path.stat().st_size < 2**20  # a small file...
    refused = preview_or_sentence(ws, path)
    assert isinstance(refused, tables.TooLarge) and "more than 200,000 rows" in str(refused)


def test_an_xlsx_bomb_of_a_row_too_wide_is_refused(ws: Workspace, tmp_path: Path) -> None:
    path = hand_made_sheet(tmp_path / "wide.xlsx", HEADER_ROW + b"<row>" + cell("x") * 100_000 + b"</row>")
    refused = preview_or_sentence(ws, path)
    assert isinstance(refused, tables.TooLarge) and "more than 256 columns" in str(refused)


def test_an_xlsx_bomb_too_big_unpacked_is_refused_from_its_sizes(ws: Workspace, tmp_path: Path) -> None:
    path = hand_made_sheet(tmp_path / "big.xlsx", HEADER_ROW, {"xl/padding.bin": b" " * (tables.MAX_BYTES + 1)})
    refused = preview_or_sentence(ws, path)
    assert isinstance(refused, tables.TooLarge) and "MB of data once unpacked" in str(refused)


def test_a_row_far_down_a_declared_sheet_is_refused(ws: Workspace, tmp_path: Path) -> None:
    far = b'<row r="1048576">' + cell(nik(9902)) + cell("Jauh") + cell(CANDI) + b"</row>"
    refused = preview_or_sentence(ws, hand_made_sheet(tmp_path / "far.xlsx", HEADER_ROW + far))
    assert isinstance(refused, tables.TooLarge)


@pytest.mark.parametrize(
    "damage",
    [b"<row><c", b"<row><c t='s'><v>99</v></c></row>", b"&undefined;", b"<row r='x'></row>", b"\xff\xfe"],
    ids=["cut", "missing-shared-string", "entity", "bad-row-number", "bad-bytes"],
)
def test_an_xlsx_with_broken_xml_gets_a_sentence(ws: Workspace, tmp_path: Path, damage: bytes) -> None:
    path = hand_made_sheet(tmp_path / "broken.xlsx", HEADER_ROW + damage)
    preview_or_sentence(ws, path)


@pytest.mark.parametrize("name", ["list.csv", "list", "LIST.TXT"])
def test_an_xlsx_under_any_name_is_read_as_one(ws: Workspace, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(xlsx_bytes([["NIK", "Nama", "Desa"], [nik(9903), "Siti Xlsx", CANDI]]))
    preview = imports.preview_applicants(ws, path)
    assert [p.name for p in preview.added] == ["Siti Xlsx"]


def test_a_csv_too_big_is_refused_without_reading_it_whole(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as f:
        f.write(b"NIK,Nama,Desa\n")
        f.truncate(tables.MAX_BYTES + 2)  # sparse: quick to make, too big to take
    refused = preview_or_sentence(ws, path)
    assert isinstance(refused, tables.TooLarge)


def test_control_characters_in_xlsx_names_are_stripped(ws: Workspace, tmp_path: Path) -> None:
    """C1 and bidirectional controls are legal in XML (ESC is not: such a file is refused)."""
    path = hand_made_sheet(tmp_path / "esc.xlsx", HEADER_ROW + b"<row>" + cell(nik(9904)) + cell("Ani\u202e[2J\u009bX") + cell(CANDI) + b"</row>")
    result = preview_or_sentence(ws, path)
    assert isinstance(result, imports.Preview) and [p.name for p in result.added] == ["Ani [2J X"]


# ---- 100,000 rows: nothing lost -----------------------------------------------------------------------


def test_100000_rows_are_imported_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    regions = generator.read_regions(generator.HERE / "wilayah_kalteng.csv", generator.KABUPATEN)
    root = tmp_path / "ws"
    Workspace.create(root, generator.ELECTION, regions)
    niks = [make_nik("62.01.01", date(1970, 1, 1) + timedelta(days=s // 9999), "LP"[s % 2], s % 9999 + 1) for s in range(100_000)]
    path = tmp_path / "big.csv"
    path.write_text("NIK;Nama;Desa\n" + "".join(f"{n};Orang {i};{CANDI}\n" for i, n in enumerate(niks)))
    code = main(["--lang", "en", "--data", str(root), "import", "applicants", str(path)])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in out + err, err
    assert set(Workspace.open(root).people) == set(niks)  # not one row lost
