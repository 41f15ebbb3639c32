"""One test per defect of a damaged workspace or a hostile file: each failed before its fix.

Damage is a missing or altered data file; a hostile file is what an import or an output path
meets. Every case ends in one sentence (exit 1), with the way back where it is damage, and
nothing overwritten."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from kpps_tui.domain.nik import make_nik
from kpps_tui.store.workspace import Workspace

Kpps = Callable[..., tuple[int, str, str]]
Digests = Callable[[Path], dict[str, str]]


def nik(serial: int) -> str:
    return make_nik("62.01.01", date(1990, 12, 5), "P", serial)


def one_applicant_xlsx(serial: int = 9401) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["NIK", "Nama", "Desa"])
    sheet.append([nik(serial), "Siti Xlsx", "Candi"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def backed_up(kpps: Kpps, root: Path) -> str:
    code, out, _ = kpps("--data", root, "backup")
    assert code == 0
    return out.split(": ", 1)[1].split()[0]


# ---- files of the workspace ----------------------------------------------------------------------


def test_a_deleted_tps_file_is_damage_for_every_command_and_for_check(kpps: Kpps, demo_dir: Path) -> None:
    snapshot = backed_up(kpps, demo_dir)
    (demo_dir / "tps" / "62.01.03.json").unlink()
    for command in (["tps", "list"], ["check"]):
        code, out, err = kpps("--data", demo_dir, *command)
        assert code == 1 and out == ""
        assert "62.01.03.json is damaged (missing)" in err
        assert f"restore it with: kpps --data {demo_dir} restore {snapshot}" in err


def test_a_deleted_people_file_is_never_made_again_with_only_the_imported_rows(
    kpps: Kpps, demo_dir: Path, tmp_path: Path, digests: Digests
) -> None:
    (demo_dir / "people" / "62.01.01.json").unlink()
    path = tmp_path / "new.csv"
    path.write_text(f"NIK,Nama,Desa\n{nik(9402)},Siti Baru,Candi\n")
    before = digests(demo_dir)
    code, out, err = kpps("--data", demo_dir, "import", "applicants", path)
    assert code == 1 and "people/62.01.01.json is damaged (missing)" in err
    assert not (demo_dir / "people" / "62.01.01.json").exists() and digests(demo_dir) == before


def test_a_workspace_made_before_the_file_list_gets_it_with_its_first_change(kpps: Kpps, demo_dir: Path) -> None:
    import json

    main = json.loads((demo_dir / "workspace.json").read_text())
    del main["files"]  # as every workspace written before the list was
    (demo_dir / "workspace.json").write_text(json.dumps(main))
    ws = Workspace.open(demo_dir)
    tps = next(t for t in sorted(ws.tps.values(), key=lambda t: t.code) if t.seats)
    code, _, _ = kpps("--data", demo_dir, "unassign", tps.code, str(min(tps.seats)))
    assert code == 0
    listed = json.loads((demo_dir / "workspace.json").read_text())["files"]["1"]["paths"]
    assert "tps/62.01.03.json" in listed and "people/62.01.06.json" in listed


def test_a_data_file_that_is_a_symbolic_link_is_refused_not_followed(kpps: Kpps, demo_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    target = demo_dir / "tps" / "62.01.03.json"
    elsewhere.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(elsewhere)
    code, out, err = kpps("--data", demo_dir, "tps", "list")
    assert code == 1 and "62.01.03.json is damaged (a symbolic link" in err


@pytest.mark.parametrize("name", [".lock", ".generation"])
def test_a_lock_or_counter_that_is_a_symbolic_link_is_not_written_through(
    kpps: Kpps, demo_dir: Path, tmp_path: Path, name: str
) -> None:
    tps = next(t for t in sorted(Workspace.open(demo_dir).tps.values(), key=lambda t: t.code) if t.seats)
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    (demo_dir / name).unlink(missing_ok=True)
    (demo_dir / name).symlink_to(victim)
    code, _, err = kpps("--data", demo_dir, "unassign", tps.code, str(min(tps.seats)))
    assert code == 1 and "is a symbolic link or not a plain file" in err and "Traceback" not in err
    assert victim.read_bytes() == b"keep me"


def test_junk_in_the_write_counter_is_no_traceback_and_the_change_is_saved(kpps: Kpps, demo_dir: Path) -> None:
    (demo_dir / ".generation").write_bytes(b"junk\n")
    tps = next(t for t in sorted(Workspace.open(demo_dir).tps.values(), key=lambda t: t.code) if t.seats)
    seat = min(tps.seats)
    code, out, err = kpps("--data", demo_dir, "unassign", tps.code, str(seat))
    assert code == 0, err
    assert seat not in Workspace.open(demo_dir).tps[tps.code].seats
    assert (demo_dir / ".generation").read_bytes().strip().isdigit()


def test_a_foreign_folder_among_the_snapshots_is_left_alone(kpps: Kpps, demo_dir: Path) -> None:
    (demo_dir / "backups" / "holiday-photos").mkdir(parents=True)
    (demo_dir / "backups" / "20249999-999999-999999-manual").mkdir()
    code, out, err = kpps("--data", demo_dir, "backup")
    assert code == 0, err
    code, out, err = kpps("--data", demo_dir, "restore")
    assert code == 0 and "holiday" not in out and "20249999" not in out and "manual" in out
    assert (demo_dir / "backups" / "holiday-photos").is_dir()


# ---- files to import -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["list.csv", "list", "list.txt"])
def test_an_xlsx_under_another_name_is_read_as_xlsx(kpps: Kpps, demo_dir: Path, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(one_applicant_xlsx())
    code, out, err = kpps("--data", demo_dir, "import", "applicants", path)
    assert code == 0, err
    assert Workspace.open(demo_dir).people[nik(9401)].name == "Siti Xlsx"


def test_an_xlsx_with_broken_xml_gets_a_sentence(kpps: Kpps, demo_dir: Path, tmp_path: Path, digests: Digests) -> None:
    good = zipfile.ZipFile(io.BytesIO(one_applicant_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for info in good.infolist():
            data = good.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData><row")
            broken.writestr(info, data)
    path = tmp_path / "broken.xlsx"
    path.write_bytes(out.getvalue())
    before = digests(demo_dir)
    code, out_text, err = kpps("--data", demo_dir, "import", "applicants", path)
    assert code == 1 and "is a damaged XLSX file" in err and digests(demo_dir) == before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "cp1252"])
def test_csv_in_the_encodings_spreadsheets_save(kpps: Kpps, demo_dir: Path, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(f"NIK\tNama\tDesa\r\n{nik(9403)}\tSiti Ñoño Wulandari\tCandi\r\n".encode(encoding))
    code, out, err = kpps("--data", demo_dir, "import", "applicants", path)
    assert code == 0, err
    assert Workspace.open(demo_dir).people[nik(9403)].name == "Siti Ñoño Wulandari"


def test_random_bytes_named_csv_are_no_table(kpps: Kpps, demo_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(os.urandom(3000) + b"\x00")
    code, out, err = kpps("--data", demo_dir, "import", "applicants", path)
    assert code == 1 and "is not a CSV or XLSX file" in err
