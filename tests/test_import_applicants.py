"""Importing applicant lists as they arrive, on real files: every bad input the issue names,
all-or-nothing writes, a second import that changes nothing, 100,000 rows, and a round trip
through the export."""

import resource
import signal
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

import kpps_tui.sample_data.generate as generator
from kpps_tui.domain.model import Person
from kpps_tui.domain.nik import make_nik
from kpps_tui.errors import KppsError
from kpps_tui.interchange.tables import TableError
from kpps_tui.services import imports
from kpps_tui.store import audit, mappings
from kpps_tui.store.workspace import Workspace

CANDI = "62.01.01.1011"  # Candi, kecamatan Kumai
HEADER = "NIK;Nama;Jenis Kelamin;Tanggal Lahir;Desa;Pendidikan;No HP"


def empty_workspace(root: Path) -> Workspace:
    """The Kotawaringin Barat regions, no TPS, no applicants: quick to make."""
    regions = generator.read_regions(generator.HERE / "wilayah_kalteng.csv", generator.KABUPATEN)
    return Workspace.create(root, generator.ELECTION, regions)


@pytest.fixture
def ws(tmp_path):
    return empty_workspace(tmp_path / "ws")


def nik(serial, sex="P", birth=date(1990, 12, 5), region="62.01.01"):
    return make_nik(region, birth, sex, serial)


def write(path: Path, text: str, encoding="utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def row(n, name="Siti Rahayu", sex="P", born="05/12/1990", desa="Candi", education="SMA", phone="081234567890"):
    return f"{n};{name};{sex};{born};{desa};{education};{phone}"


def log_length(root):
    return sum(1 for _ in audit.read(root))


# ---- the preview ------------------------------------------------------------------------------------


def test_preview_says_what_is_added_updated_and_refused_with_row_numbers(demo_ws, tmp_path):
    known = next(p for p in sorted(demo_ws.people.values(), key=lambda p: p.nik) if p.kecamatan_code == "62.01.01")
    same = next(p for p in sorted(demo_ws.people.values(), key=lambda p: p.nik) if p.kecamatan_code == "62.01.01" and p is not known)
    born = known.birth_date.strftime("%d/%m/%Y")
    lines = [
        HEADER,
        row(nik(9001)),  # 2: new
        row(known.nik, known.name, known.sex, born, known.desa_code, known.education, "081399998888"),  # 3: phone changes
        f"{same.nik};{same.name};;;{same.desa_code};;",  # 4: nothing new
        "",  # 5: an empty line
        row("620101451290001"),  # 6: too short
        row("62010145129000123"),  # 7: too long
        row("62010145129O0012"),  # 8: a letter O
        row(nik(9002)[:6] + "310290" + "0001"),  # 9: 31 February
        row(nik(9003)),  # 10: duplicate ...
        row(nik(9003), name="Siti Lain"),  # 11: ... of row 10
        row(nik(9004), desa="Atlantis"),  # 12
        row(nik(9005), born="31/31/1990"),  # 13
        row(nik(9006), name=""),  # 14
        row(nik(9007), sex="L"),  # 15: the NIK says P
    ]
    preview = imports.preview_applicants(demo_ws, write(tmp_path / "a.csv", "\n".join(lines)))
    assert [p.nik for p in preview.added] == [nik(9001)]
    assert [(u.row, u.fields) for u in preview.updated] == [(3, ("phone",))]
    assert preview.unchanged == 1 and preview.rows == 13
    refused = {r.row: r.reason for r in preview.refused}
    assert sorted(refused) == [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
    assert "16 digits; 620101451290001 has 15" in refused[6] and "has 17" in refused[7]
    assert "digits only" in refused[8] and "not a real date" in refused[9]
    assert "rows 10, 11" in refused[10] and refused[10] == refused[11]
    assert "Atlantis" in refused[12] and "not a date" in refused[13]
    assert "name" in refused[14] and "check both" in refused[15]


def test_a_nik_already_in_the_workspace_is_an_update_not_a_second_person(demo_ws, tmp_path):
    known = next(iter(demo_ws.people.values()))
    path = write(tmp_path / "a.csv", f"NIK,Nama,Kode Desa\n{known.nik},{known.name} Baru,{known.desa_code}\n")
    preview = imports.preview_applicants(demo_ws, path)
    assert preview.added == [] and preview.updated[0].fields == ("name",)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("NIK;Nama;Desa\r\n{a};André Saputra;Candi\r\n\r\n{b};Siti Rahayu;Candi\r\n", "cp1252"),
        ("\ufeffNIK,Nama,Desa\n{a},André Saputra,Candi\n\n{b},Siti Rahayu,Candi\n", "utf-8"),
        ("NIK\tNama\tDesa\n{a}\tAndré Saputra\tCandi\n{b}\tSiti Rahayu\tCandi\n", "utf-8"),
    ],
    ids=["windows-1252-semicolons", "utf-8-bom", "tabs"],
)
def test_files_in_other_encodings_and_separators(ws, tmp_path, text, encoding):
    a, b = nik(1, "L", date(1985, 3, 4)), nik(2)
    path = write(tmp_path / "a.csv", text.format(a=a, b=b), encoding)
    preview = imports.preview_applicants(ws, path)
    assert [p.name for p in preview.added] == ["André Saputra", "Siti Rahayu"] and preview.refused == []
    imports.apply_applicants(ws, preview)
    assert Workspace.open(ws.root).people[a].name == "André Saputra"


def test_extra_columns_are_ignored_and_cells_beyond_the_header_noted(ws, tmp_path):
    text = f"NIK,Nama,Desa,Hobi\n{nik(1)},Siti,Candi,Menyanyi\n{nik(2)},Rina,Candi,Menari,lebih,lagi\n{nik(3)},Ani\n"
    preview = imports.preview_applicants(ws, write(tmp_path / "a.csv", text))
    assert "Hobi" not in preview.mapping.fields.values()
    assert len(preview.added) == 2 and preview.extra_cell_rows == [3]
    assert [(r.row, "desa" in r.reason) for r in preview.refused] == [(4, True)]  # a row that is too short


def test_a_missing_required_column_refuses_the_file_naming_the_columns(ws, tmp_path, digests):
    before = digests(ws.root)
    with pytest.raises(KppsError) as refused:
        imports.preview_applicants(ws, write(tmp_path / "a.csv", f"NIK,Nama\n{nik(1)},Siti\n"))
    assert "desa" in str(refused.value) and "NIK, Nama" in str(refused.value)
    assert digests(ws.root) == before


@pytest.mark.parametrize(
    ("name", "payload", "says"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not a CSV or XLSX"),
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not a CSV or XLSX"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        ("data.bin", b"NIK,Nama\x00\x00\x01\x02", "not a CSV or XLSX"),
        ("empty.csv", b"", "no rows"),
        ("blank.csv", b"\n\n  \n", "no rows"),
    ],
)
def test_a_file_that_is_no_table_gets_a_sentence(ws, tmp_path, name, payload, says):
    with pytest.raises(TableError, match=says):
        imports.preview_applicants(ws, write_bytes(tmp_path / name, payload))


def test_a_zip_that_is_not_a_workbook_and_a_missing_file(ws, tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(TableError, match="not a CSV or XLSX"):
        imports.preview_applicants(ws, path)
    with pytest.raises(TableError, match="Cannot read"):
        imports.preview_applicants(ws, tmp_path / "nothing.csv")


def test_prose_is_read_but_has_no_nik_column(ws, tmp_path):
    with pytest.raises(KppsError, match="No column is mapped"):
        imports.preview_applicants(ws, write(tmp_path / "a.txt", "Dear coordinator,\nplease find the list attached.\n"))


def write_bytes(path: Path, payload: bytes) -> Path:
    path.write_bytes(payload)
    return path


def test_dates_as_people_write_them(ws, tmp_path):
    serial = (date(1990, 11, 27) - date(1899, 12, 30)).days
    rows = [("27/11/1990", 1), ("1990-11-27", 2), (str(serial), 3), ("27-11-1990", 4), ("27.11.1990", 5)]
    text = "NIK;Nama;Desa;Tanggal Lahir\n" + "\n".join(f"{nik(s, birth=date(1990, 11, 27))};Orang {s};Candi;{d}" for d, s in rows)
    preview = imports.preview_applicants(ws, write(tmp_path / "a.csv", text))
    assert preview.refused == [] and {p.birth_date for p in preview.added} == {date(1990, 11, 27)}


def test_xlsx_with_date_cells_and_numbers(ws, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["NIK", "Nama Lengkap", "Tgl Lahir", "Kode Desa", "RT"])
    sheet.append([nik(1), "Siti", date(1990, 12, 5), CANDI, 4])
    sheet.append([int(nik(2)), "Rina", None, CANDI, None])
    sheet.append([])
    sheet.append([nik(3), "Ani", 33212.0, CANDI, "7"])
    path = tmp_path / "a.xlsx"
    book.save(path)
    preview = imports.preview_applicants(ws, path)
    assert preview.refused == [] and [p.rt for p in preview.added] == ["004", "", "007"]
    assert [p.birth_date for p in preview.added] == [date(1990, 12, 5)] * 3


# ---- the mapping ------------------------------------------------------------------------------------


def test_a_given_mapping_wins_and_is_remembered_for_the_same_headers(ws, tmp_path):
    text = f"Identitas,Nama Panggilan,Nama Sesuai KTP,Lokasi\n{nik(1)},Ani,Siti Rahayu,Candi\n"
    with pytest.raises(KppsError, match="No column is mapped"):
        imports.preview_applicants(ws, write(tmp_path / "a.csv", text))
    given = {"nik": "Identitas", "name": "Nama Sesuai KTP", "desa": "Lokasi"}
    preview = imports.preview_applicants(ws, tmp_path / "a.csv", given)
    assert preview.added[0].name == "Siti Rahayu" and preview.mapping.source == "given"
    imports.apply_applicants(ws, preview)
    reordered = f"Lokasi,Nama Sesuai KTP,Nama Panggilan,Identitas\nCandi,Rina,Rin,{nik(2)}\n"
    again = imports.preview_applicants(ws, write(tmp_path / "b.csv", reordered))
    assert again.mapping.source == "remembered" and again.added[0].name == "Rina"
    assert (ws.root / mappings.MAPPINGS_FILE).stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("given", "says"),
    [({"nik": "Nomor"}, "no column Nomor"), ({"hobby": "Nama"}, "no field hobby")],
)
def test_a_mapping_to_what_does_not_exist_is_refused(ws, tmp_path, given, says):
    with pytest.raises(KppsError, match=says):
        imports.preview_applicants(ws, write(tmp_path / "a.csv", f"NIK,Nama,Desa\n{nik(1)},Siti,Candi\n"), given)


# ---- applying ------------------------------------------------------------------------------------


def test_valid_rows_go_in_at_once_and_the_same_file_again_changes_nothing(demo_ws, demo_dir, tmp_path, digests):
    kumai, arut = nik(9101), nik(9102, region="62.01.02")
    text = f"NIK;Nama;Desa\n{kumai};Siti Baru;Candi\n{arut};Rina Baru;62.01.02.1005\n123;Salah;Candi\n"
    path = write(tmp_path / "a.csv", text)
    applied = imports.apply_applicants(demo_ws, imports.preview_applicants(demo_ws, path))
    assert applied.written and len(applied.preview.refused) == 1
    fresh = Workspace.open(demo_dir)
    assert fresh.people[kumai].history[-1] | {"at": "", "by": ""} == {"at": "", "by": "", "kind": "import", "action": "added", "file": "a.csv"}
    assert fresh.people[arut].desa_code == "62.01.02.1005"
    before, lines = digests(demo_dir), log_length(demo_dir)
    again = imports.apply_applicants(demo_ws, imports.preview_applicants(demo_ws, path))
    assert not again.written and again.preview.unchanged == 2
    assert digests(demo_dir) == before and log_length(demo_dir) == lines


def test_strict_imports_nothing_when_a_row_is_refused(ws, tmp_path, digests):
    path = write(tmp_path / "a.csv", f"NIK;Nama;Desa\n{nik(1)};Siti;Candi\n123;Salah;Candi\n")
    before = digests(ws.root)
    applied = imports.apply_applicants(ws, imports.preview_applicants(ws, path), strict=True)
    assert not applied.written and digests(ws.root) == before


def test_a_file_changed_after_its_preview_is_not_imported(ws, tmp_path):
    path = write(tmp_path / "a.csv", f"NIK;Nama;Desa\n{nik(1)};Siti;Candi\n")
    preview = imports.preview_applicants(ws, path)
    write(path, f"NIK;Nama;Desa\n{nik(1)};Siti Lain;Candi\n")
    with pytest.raises(KppsError, match="changed since the preview"):
        imports.apply_applicants(ws, preview)
    assert ws.people == {}


def test_a_write_failing_half_way_leaves_every_file_as_it_was(demo_ws, demo_dir, tmp_path, digests):
    """A real failure: a file size limit (RLIMIT_FSIZE) lets the small Kumai file be written and
    makes the big Arut Selatan file fail; Kumai then gets its old bytes back."""
    kumai, arut = demo_dir / "people" / "62.01.01.json", demo_dir / "people" / "62.01.02.json"
    assert kumai.stat().st_size < arut.stat().st_size
    path = write(tmp_path / "a.csv", f"NIK;Nama;Desa\n{nik(9201)};Siti Baru;Candi\n{nik(9202, region='62.01.02')};Rina;62.01.02.1005\n")
    preview = imports.preview_applicants(demo_ws, path)
    data = lambda: {k: v for k, v in digests(demo_dir).items() if not k.startswith(("audit", "backups", "."))}  # noqa: E731
    before = data()
    limit = kumai.stat().st_size + 100_000
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, old_limit[1]))
    try:
        with pytest.raises(OSError):
            imports.apply_applicants(demo_ws, preview)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
    assert data() == before  # the log and the store's write counter may say a write was tried
    fresh = Workspace.open(demo_dir)
    assert nik(9201) not in fresh.people and nik(9202, region="62.01.02") not in fresh.people
    assert nik(9201) not in demo_ws.people  # memory follows the disk again


def test_one_hundred_thousand_rows(ws, tmp_path):
    """Not timed (shared machines are noisy): prints the figures; benchmarks/bench_import.py
    measures them properly."""
    desa = ws.desa_codes()
    lines = ["NIK;Nama;Jenis Kelamin;Tanggal Lahir;Kode Desa;Pendidikan"]
    for i in range(100_000):
        born = date(1970, 1, 1) + timedelta(days=i % 12_000)
        sex = "LP"[i % 2]
        lines.append(f"{make_nik(desa[i % 94][:8], born, sex, 1 + i // 12_000 * 10 + i % 10)};Orang {i};{sex};{born:%d/%m/%Y};{desa[i % 94]};SMA")
    lines[50_001] = "123;Rusak;L;01/01/1990;62.01.01.1011;SMA"
    path = write(tmp_path / "big.csv", "\n".join(lines))
    started = time.perf_counter()
    preview = imports.preview_applicants(ws, path)
    previewed = time.perf_counter()
    assert (preview.rows, preview.added_count) == (100_000, 99_999)
    assert [(r.row, r.key) for r in preview.refused] == [(50_002, "123")]
    preview.release()
    applied = imports.apply_applicants(ws, preview)
    done = time.perf_counter()
    assert applied.written and len(ws.people) == 99_999
    assert sum(len(ws.people_of_kecamatan(k)) for k in ws.kecamatan_codes()) == 99_999
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"100,000 rows: preview {previewed - started:.1f} s, import {done - previewed:.1f} s, peak RSS {peak} MB")


# ---- a round trip through the export -----------------------------------------------------------

TEXT = st.text(alphabet=st.sampled_from("abcdefghij KLMNOP'.,-=+@/()&éü"), min_size=1, max_size=24).map(
    lambda t: " ".join(t.split())
).filter(bool)

PEOPLE = st.lists(
    st.builds(
        lambda serial, sex, born, desa, name, place, address, rt, phone, education, notes: Person(
            make_nik(desa[:8], born, sex, serial), name, sex, born, desa, birth_place=place, address=address,
            rt=rt, rw=rt, phone=phone, education=education, notes=notes,
        ),
        st.integers(1, 9999),
        st.sampled_from(["L", "P"]),
        st.dates(date(1940, 1, 1), date(2007, 1, 1)),
        st.sampled_from(["62.01.01.1011", "62.01.02.1005", "62.01.06.2003"]),
        TEXT,
        TEXT | st.just(""),
        TEXT | st.just(""),
        st.sampled_from(["", "001", "015"]),
        st.sampled_from(["", "081234567890", "+6281234567"]),
        st.sampled_from(["", "SD", "SMA/SMK", "S1"]),
        TEXT | st.just(""),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda p: p.nik,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PEOPLE, st.sampled_from([".csv", ".xlsx"]))
def test_exported_applicants_import_back_unchanged(people, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = empty_workspace(tmp / "a")
        with source.locked():
            source.put_people(people, "test")
        exported = tmp / f"list{suffix}"
        imports.export_applicants(source, exported)
        assert imports.preview_applicants(source, exported).changes == 0
        target = empty_workspace(tmp / "b")
        preview = imports.preview_applicants(target, exported)
        assert preview.refused == []
        imports.apply_applicants(target, preview)
        for person in people:
            got = Workspace.open(tmp / "b").people[person.nik]
            assert got.to_doc() | {"history": []} == person.to_doc()


def test_export_keeps_formulas_as_text(ws, tmp_path):
    with ws.locked():
        ws.put_people([Person(nik(1), "=HYPERLINK(\"http://x\",\"klik\")", "P", date(1990, 12, 5), CANDI, notes="+62 812")], "test")
    imports.export_applicants(ws, tmp_path / "a.csv")
    assert "'=HYPERLINK" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    imports.export_applicants(ws, tmp_path / "a.xlsx")
    cell = load_workbook(tmp_path / "a.xlsx").active["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")
    assert imports.preview_applicants(ws, tmp_path / "a.xlsx").changes == 0
