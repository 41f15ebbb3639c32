"""The command line for applicants: import (applicants, TPS) with preview and exit codes, export,
overrides on `kpps assign`, the overrides report, settings, stages and PAW."""

from datetime import date

from openpyxl import load_workbook

from kpps_tui.domain.nik import make_nik
from kpps_tui.services import imports
from kpps_tui.store import audit
from kpps_tui.store.workspace import Workspace


def nik(serial, sex="P", region="62.01.01"):
    return make_nik(region, date(1990, 12, 5), sex, serial)


def test_import_applicants_previews_imports_and_says_partly_for_refused_rows(kpps, demo_dir, tmp_path, digests):
    path = tmp_path / "siakba.csv"
    path.write_text(f"NIK;Nama Lengkap;Kelurahan;Tgl Lahir\n{nik(9301)};Siti Baru;Candi;05/12/1990\n12;Rusak;Candi;\n", encoding="cp1252")
    before = digests(demo_dir)
    code, out, _ = kpps("--data", demo_dir, "import", "applicants", path, "--dry-run")
    assert code == 1 and "Row 3: refused. A NIK has 16 digits" in out and "Dry run" in out
    assert "nik=NIK" in out and "name=Nama Lengkap" in out
    assert digests(demo_dir) == before
    code, out, _ = kpps("--data", demo_dir, "import", "applicants", path, "--strict")
    assert code == 1 and "Strict: nothing was imported" in out and digests(demo_dir) == before
    code, out, _ = kpps("--data", demo_dir, "import", "applicants", path)
    assert code == 7 and "Imported: 1 added, 0 updated." in out and "Partly imported" in out
    assert Workspace.open(demo_dir).people[nik(9301)].name == "Siti Baru"
    lines = len(list(audit.read(demo_dir)))
    code, out, _ = kpps("--data", demo_dir, "import", "applicants", path)
    assert code == 1 and "Nothing was imported." in out and len(list(audit.read(demo_dir))) == lines


def test_import_with_a_mapping_given_on_the_command_line(kpps, demo_dir, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(f"Identitas,Nama KTP,Domisili\n{nik(9302)},Rina,Candi\n")
    code, _, err = kpps("--data", demo_dir, "import", "applicants", path)
    assert code == 1 and "No column is mapped to nik" in err
    code, out, _ = kpps("--data", demo_dir, "import", "applicants", path, "--map", "nik=Identitas", "--map", "name=Nama KTP", "--map", "desa=Domisili")
    assert code == 0 and "Imported: 1 added" in out
    code, _, err = kpps("--data", demo_dir, "import", "applicants", path, "--map", "nik")
    assert code == 1 and "KEY=VALUE" in err


def test_a_file_that_is_no_table_fails_with_a_sentence(kpps, demo_dir, tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, out, err = kpps("--data", demo_dir, "import", "applicants", path)
    assert code == 1 and "is not a CSV or XLSX file" in err and out == ""


def test_import_tps_adds_updates_and_refuses_with_reasons(kpps, demo_dir, demo_ws, tmp_path):
    seated = next(t for t in sorted(demo_ws.tps.values(), key=lambda t: t.code) if t.filled)
    desa_name = demo_ws.region_name(seated.desa_code)
    path = tmp_path / "tps.csv"
    path.write_text(
        "Kode TPS,Desa,Nomor TPS,Alamat,DPT\n"
        f"{seated.code},,,Balai Desa {desa_name},{seated.voters}\n"
        f",{seated.desa_code},98,Jl. Baru RT 001,250\n"
        f",{seated.desa_code},97,Jl. Lain,601\n"
        ",Atlantis,1,,100\n"
        f",{seated.desa_code},0,,100\n"
        f",{seated.desa_code},96,,100\n"
        f",{seated.desa_code},96,,120\n"
    )
    code, out, _ = kpps("--data", demo_dir, "import", "tps", path)
    assert code == 7
    assert "Row 4: refused. 601 voters is more than the 600" in out
    assert "Row 5: refused. No desa/kelurahan Atlantis" in out and "Row 6: refused. 0 is not a TPS number" in out
    assert "Row 7: refused. TPS" in out and "rows 7, 8" in out
    assert "1 added, 1 updated" in out
    fresh = Workspace.open(demo_dir)
    assert fresh.tps[seated.code].address == f"Balai Desa {desa_name}" and fresh.tps[seated.code].seats == seated.seats
    assert fresh.tps[f"{seated.desa_code}-098"].voters == 250
    again = imports.preview_tps(fresh, path)
    assert again.changes == 0


def test_export_applicants_to_xlsx_and_refuses_other_suffixes(kpps, demo_dir, demo_ws, tmp_path):
    code, out, _ = kpps("--data", demo_dir, "export", "applicants", "-o", tmp_path / "a.xlsx")
    assert code == 0 and f"{len(demo_ws.people):,} applicants" in out
    sheet = load_workbook(tmp_path / "a.xlsx", read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == len(demo_ws.people) + 1
    code, _, err = kpps("--data", demo_dir, "export", "applicants", "-o", tmp_path / "a.txt")
    assert code == 1 and ".csv or .xlsx" in err


def test_assign_with_an_override_reason_and_the_report(kpps, demo_dir, demo_ws, pick):
    tps = pick(demo_ws).tps_with_empty_seats()
    elder = pick(demo_ws).over_55_elsewhere(tps)
    seat = pick(demo_ws).empty_seats(tps)[0]
    args = ["--data", demo_dir, "assign", tps.code, str(seat), elder.nik]
    code, _, err = kpps(*args, "--override", "over_preferred_age=")
    assert code == 1 and "written reason" in err
    code, out, _ = kpps(*args, "--override", "over_preferred_age=Tidak ada pendaftar lain")
    assert code == 0
    assert "[over_preferred_age] Reason: Tidak ada pendaftar lain" in out
    assert "[outside_desa] Reason: (no written reason)" in out
    code, out, _ = kpps("--data", demo_dir, "overrides", "--tps", tps.code)
    assert code == 0 and "Tidak ada pendaftar lain" in out and elder.name in out
    code, out, _ = kpps("--data", demo_dir, "overrides", "--tps", tps.code, "--missing")
    assert code == 1 and "[outside_desa]" in out and "over_preferred_age" not in out
    code, out, _ = kpps("--data", demo_dir, "justify", tps.code, str(seat), "outside_desa", "Desa tetangga")
    assert code == 0
    code, out, _ = kpps("--data", demo_dir, "overrides", "--tps", tps.code, "--csv")
    assert "Desa tetangga" in out and out.startswith("tps,seat,nik")


def test_settings_show_and_change(kpps, demo_dir):
    code, out, _ = kpps("--data", demo_dir, "settings")
    assert code == 0 and "preferred_max_age" in out and "55" in out
    code, out, _ = kpps("--data", demo_dir, "settings", "set", "voting_day", "09/12/2026")
    assert code == 0 and "2026-12-09" in out
    code, _, err = kpps("--data", demo_dir, "settings", "set", "min_age", "abc")
    assert code == 1 and "whole number" in err
    assert Workspace.open(demo_dir).election.voting_day == date(2026, 12, 9)


def test_stages_leaving_and_paw_from_the_command_line(kpps, demo_dir, demo_ws, pick):
    nik_, code_, seat = pick(demo_ws).seated()
    code, out, _ = kpps("--data", demo_dir, "applicant", "leave", nik_, "meninggal_dunia", "--reason", "Sakit")
    assert code == 0 and "waits for a replacement (PAW)" in out
    code, out, _ = kpps("--data", demo_dir, "paw")
    assert "Meninggal dunia" in out and "4 seats wait" in out
    code, out, _ = kpps("--data", demo_dir, "applicant", "stage", nik_, "ms")
    assert code == 1
    code, out, _ = kpps("--data", demo_dir, "applicant", "show", nik_)
    assert code == 0 and "Meninggal dunia" in out and "Sakit" in out
    code, out, _ = kpps("--data", demo_dir, "applicant", "add", "--set", f"nik={nik(9401)}", "--set", "name=Ani", "--set", "desa=Candi")
    assert code == 0
    code, out, _ = kpps("--data", demo_dir, "applicant", "assess", nik(9401))
    assert code == 0 and "Ani: Memenuhi Syarat (MS)" in out
    code, out, _ = kpps("--data", demo_dir, "applicant", "list", "--search", "Ani", "--stage", "ms")
    assert "Ani" in out
