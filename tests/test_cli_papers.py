"""`kpps declare`, `import sipol`, `export declarations`, `log`, `backup` and `restore`."""

import csv
import io

from openpyxl import load_workbook

from kpps_tui.domain.declarations import DeclState
from kpps_tui.domain.nik import mask_nik
from kpps_tui.services.declarations import officers
from kpps_tui.store import audit, backups
from kpps_tui.store.workspace import Workspace


def free_pair(pick, ws):
    tps = pick(ws).tps_with_empty_seats()
    return tps.code, pick(ws).empty_seats(tps)[0], pick(ws).free_people(tps)[0].nik


def first_officer(ws, state):
    return next(o for o in officers(ws) if o.state is state and not o.person.neutrality.former_party_member)


def test_declare_moves_one_person_and_refuses_a_skipped_step(kpps, demo_dir, demo_ws):
    person = first_officer(demo_ws, DeclState.NOT_HANDED_IN).person
    code, out, _ = kpps("--data", demo_dir, "declare", person.nik, "--state", "terverifikasi")
    assert code == 1 and "it must be Handed in before it can be Verified" in out
    assert kpps("--data", demo_dir, "declare", person.nik, "--state", "diserahkan")[0] == 0
    assert Workspace.open(demo_dir).people[person.nik].neutrality.statement.state is DeclState.HANDED_IN


def test_declare_a_whole_tps_changes_who_may_and_names_who_may_not(kpps, demo_dir, demo_ws):
    tps = next(t for t in demo_ws.tps.values() if t.filled == 7)
    code, out, _ = kpps("--data", demo_dir, "declare", "--tps", tps.code, "--state", "diserahkan")
    fresh = Workspace.open(demo_dir)
    states = [fresh.people[s.nik].neutrality.statement.state for s in tps.seats.values()]
    assert DeclState.NOT_HANDED_IN not in states
    assert out.count("\n") == 7
    assert code == (1 if "not changed" in out else 0)


def test_import_sipol_flags_and_reports_rows_it_refused(kpps, demo_dir, demo_ws, tmp_path):
    officer = first_officer(demo_ws, DeclState.HANDED_IN)
    listing = tmp_path / "sipol.csv"
    listing.write_text(f"NIK;Partai\n{officer.person.nik};Partai X\n123;Partai Y\n", encoding="cp1252")
    code, out, _ = kpps("--data", demo_dir, "import", "sipol", listing)
    assert code == 1  # one row refused
    assert "Row 3: A NIK has 16 digits" in out and "1 newly flagged" in out
    assert f"Flagged: {officer.person.name} (seated at {officer.tps_label}" in out
    assert Workspace.open(demo_dir).people[officer.person.nik].neutrality.sipol_listed
    code, out, _ = kpps("--data", demo_dir, "declare", officer.person.nik, "--state", "terverifikasi")
    assert code == 1 and "SIPOL" in out


def test_export_declarations_writes_what_it_says(kpps, demo_dir, tmp_path):
    code, out, _ = kpps("--data", demo_dir, "export", "declarations", "--by", "desa", "-o", tmp_path / "d.xlsx")
    assert code == 0 and "not yet verified" in out
    assert load_workbook(tmp_path / "d.xlsx").sheetnames == ["Counts", "Outstanding"]
    code, _, err = kpps("--data", demo_dir, "export", "declarations", "-o", tmp_path / "d.txt")
    assert code == 1 and ".csv or .xlsx" in err


def test_log_filters_and_csv(kpps, demo_dir, demo_ws, pick):
    tps_code, seat, nik = free_pair(pick, demo_ws)
    assert kpps("--data", demo_dir, "assign", tps_code, seat, nik)[0] == 0
    code, out, _ = kpps("--data", demo_dir, "log", "--tps", tps_code)
    assert code == 0 and "Assign" in out and demo_ws.people[nik].name in out
    assert nik not in out  # masked on screen
    _, out, _ = kpps("--data", demo_dir, "log", "--user", "nobody-here")
    assert "No change matches." in out
    _, out, _ = kpps("--data", demo_dir, "log", "--csv", "--nik", nik)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["action"] for r in rows] == ["assign"] and nik not in out and mask_nik(nik) in rows[0]["after"]
    _, out, _ = kpps("--data", demo_dir, "log", "--csv", "--full-nik", "--nik", nik)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert nik in rows[0]["after"]  # asked for, and recorded as a reveal:
    assert list(audit.read(demo_dir))[-1].action == "export_full_nik"


def test_backup_and_restore_with_confirmation(kpps, demo_dir, demo_ws, pick):
    assert kpps("--data", demo_dir, "backup")[0] == 0
    snap = backups.snapshots(demo_dir)[0]
    tps_code, seat, nik = free_pair(pick, demo_ws)
    kpps("--data", demo_dir, "assign", tps_code, seat, nik)
    code, out, _ = kpps("--data", demo_dir, "restore")
    assert snap.name in out
    code, _, err = kpps("--data", demo_dir, "restore", snap.name)  # no terminal to ask
    assert code == 1 and "--yes" in err
    assert seat in Workspace.open(demo_dir).tps[tps_code].seats
    code, out, _ = kpps("--data", demo_dir, "restore", snap.name, "--yes")
    assert code == 0 and "before-restore" in out
    assert seat not in Workspace.open(demo_dir).tps[tps_code].seats


def test_a_damaged_workspace_names_the_snapshot_and_restore_mends_it(kpps, demo_dir):
    kpps("--data", demo_dir, "backup")
    snap = backups.snapshots(demo_dir)[0]
    damaged = next((demo_dir / "people").glob("*.json"))
    damaged.write_bytes(damaged.read_bytes()[:100])
    code, _, err = kpps("--data", demo_dir, "tps", "list")
    assert code == 1 and f"restore {snap.name}" in err
    assert kpps("--data", demo_dir, "restore", snap.name, "--yes")[0] == 0
    assert kpps("--data", demo_dir, "check")[0] == 0


def test_a_file_others_can_read_is_warned_about_on_every_command(kpps, demo_dir):
    exposed = next((demo_dir / "people").glob("*.json"))
    exposed.chmod(0o644)
    code, out, err = kpps("--data", demo_dir, "tps", "list", "--search", "tps 1")
    assert code == 0 and str(exposed) in err and "chmod 600" in err
    exposed.chmod(0o600)
    assert "chmod" not in kpps("--data", demo_dir, "tps", "list", "--search", "tps 1")[2]
