"""Reading CSV and XLSX files the way they arrive: encodings, separators, empty lines, dates."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from kpps_tui.interchange.sipol import read_sipol
from kpps_tui.domain.dates import parse_date
from kpps_tui.interchange.tables import TableError, read_table

VOTING_DAY = date(2024, 11, 27)


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("NIK;Nama\r\n6201024512900012;Siti Rahayu\r\n\r\n6201010507020001;André\r\n", "utf-8"),
        ("\ufeffNIK,Nama\n6201024512900012,Siti Rahayu\n\n6201010507020001,André\n", "utf-8"),
        ("NIK\tNama\n6201024512900012\tSiti Rahayu\n6201010507020001\tAndré\n", "cp1252"),
    ],
)
def test_csv_in_any_common_encoding_and_separator(tmp_path, data, encoding):
    table = read_table(write(tmp_path, "a.csv", data.encode(encoding)))
    assert table.headers == ["NIK", "Nama"]
    assert [r.cells["Nama"] for r in table.rows] == ["Siti Rahayu", "André"]
    assert table.rows[1].number in (3, 4)  # the empty line still counts


def test_missing_and_extra_cells_are_kept_apart(tmp_path):
    table = read_table(write(tmp_path, "a.csv", b"NIK,Nama,Desa\n1,A\n2,B,C,D\n"))
    assert table.rows[0].cells == {"NIK": "1", "Nama": "A", "Desa": ""}
    assert table.rows[1].extra == ("D",)


def test_xlsx_cells_come_back_as_text(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["NIK", "Tanggal lahir", "Umur"])
    sheet.append(["6201024512900012", date(1990, 12, 5), 33.0])
    path = tmp_path / "a.xlsx"
    book.save(path)
    row = read_table(path).rows[0]
    assert row.cells == {"NIK": "6201024512900012", "Tanggal lahir": "1990-12-05", "Umur": "33"}
    assert row.number == 2


@pytest.mark.parametrize(
    ("name", "data"),
    [("a.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00"), ("a.xlsx", b"PK\x03\x04 not really a zip"), ("a.csv", b"\n\n  \n")],
)
def test_what_is_not_a_table_gets_a_sentence(tmp_path, name, data):
    with pytest.raises(TableError) as caught:
        read_table(write(tmp_path, name, data))
    assert str(tmp_path) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "day"),
    [("27/11/1990", date(1990, 11, 27)), ("1990-11-27", date(1990, 11, 27)), ("33204", date(1990, 11, 27)), ("27-11-1990", date(1990, 11, 27))],
)
def test_dates_as_people_write_them(text, day):
    assert parse_date(text) == day


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)))
def test_excel_serials_round_trip(day):
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(str(serial)) == day


def test_sipol_list_finds_the_nik_and_party_columns_and_refuses_bad_rows(tmp_path):
    path = write(tmp_path, "sipol.csv", b"No;NIK;Nama Partai\n1;6201024512900012;Partai X\n2;62010245;Partai Y\n")
    result = read_sipol(path, VOTING_DAY)
    assert result.listed == {"6201024512900012": "Partai X"}
    assert result.refused[0][0] == 3 and "16 digits" in result.refused[0][1]
