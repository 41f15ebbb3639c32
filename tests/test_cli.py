"""`kpps` as a script would use it: exit codes, sentences, and what ends up in the files.

Most tests call `main()` in this process; a few run the real program in a child process.
The files are read back with stock TinyDB, the way any other tool would read them.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from tinydb import Query, TinyDB

from kpps_tui.domain.model import seat_title
from kpps_tui.domain.nik import mask_nik
from kpps_tui.errors import KppsError
from kpps_tui.services import assignments, setup
from kpps_tui.store.workspace import Workspace


def stock_tps(root, code: str) -> dict:
    """One TPS document, read with stock TinyDB (default JSONStorage)."""
    kec = ".".join(code.split("-")[0].split(".")[:3])
    db = TinyDB(root / "tps" / f"{kec}.json")
    try:
        found = db.table("tps").search(Query().code == code)
    finally:
        db.close()
    assert len(found) == 1
    return found[0]


def stock_seat_niks(root, code: str) -> dict[int, str]:
    return {int(n): s["nik"] for n, s in stock_tps(root, code)["seats"].items()}


def all_stock_tps(root) -> list[dict]:
    docs = []
    for path in sorted((root / "tps").glob("*.json")):
        db = TinyDB(path)
        try:
            docs.extend(db.table("tps").all())
        finally:
            db.close()
    return docs


def tps_file(root, code: str):
    return root / "tps" / (".".join(code.split(".")[:3]) + ".json")


# ---- init ----------------------------------------------------------------------------------


def test_init_sample_makes_a_workspace_stock_tinydb_reads(tmp_path, run_kpps):
    dest = tmp_path / "office"
    done = run_kpps("--data", dest, "--lang", "en", "init", "--sample")
    assert done.returncode == 0, done.stderr
    assert "413 TPS" in done.stdout and str(dest) in done.stdout
    docs = all_stock_tps(dest)
    assert len(docs) == 413
    filled = sum(len(d["seats"]) for d in docs)
    assert 0.5 * 2891 < filled < 0.7 * 2891
    main = TinyDB(dest / "workspace.json")
    assert main.table("meta").get(doc_id=1)["schema_version"] >= 1
    main.close()


def test_init_full_fills_every_seat(tmp_path, kpps):
    code, out, _err = kpps("--data", tmp_path / "w", "init", "--sample", "full")
    assert code == 0
    assert "2,891 of 2,891 seats filled" in out
    assert sum(len(d["seats"]) for d in all_stock_tps(tmp_path / "w")) == 2891


def test_init_refuses_a_folder_that_holds_a_workspace(demo_dir, kpps, digests):
    before = digests(demo_dir)
    code, out, err = kpps("--data", demo_dir, "init", "--sample", "full")
    assert code == 1
    assert "already holds a workspace; nothing was changed" in err
    assert out == ""
    assert digests(demo_dir) == before


def test_init_without_sample_says_how(tmp_path, kpps):
    code, _out, err = kpps("--data", tmp_path / "w", "init")
    assert code == 1
    assert "kpps init --sample" in err
    assert not (tmp_path / "w").exists()


def test_no_workspace_says_to_init_or_try_the_demo(tmp_path, run_kpps):
    for args in ([], ["tps", "list"], ["check"]):
        done = run_kpps("--data", tmp_path / "nothing", "--lang", "en", *args)
        assert done.returncode == 1
        assert "kpps init --sample" in done.stderr and "kpps demo" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "nothing").exists()


def test_the_interface_needs_a_terminal(demo_dir, run_kpps):
    done = run_kpps("--data", demo_dir, "--lang", "en")
    assert done.returncode == 1
    assert "needs a terminal" in done.stderr and "kpps tps list" in done.stderr


def test_demo_without_a_terminal_touches_nothing(tmp_path, run_kpps):
    done = run_kpps("demo", "--data", tmp_path / "demo", "--lang", "en")
    assert done.returncode == 1 and "needs a terminal" in done.stderr
    assert not (tmp_path / "demo").exists()


def test_demo_reset_starts_again_but_never_deletes_a_real_workspace(tmp_path, demo_dir, digests, pick):
    demo = setup.open_or_create_demo(tmp_path / "demo")
    p = pick(demo)
    nik, where, seat = p.seated()
    assignments.unassign(demo, where, seat)
    assert seat not in setup.open_or_create_demo(tmp_path / "demo").tps[where].seats  # kept between runs
    fresh = setup.open_or_create_demo(tmp_path / "demo", reset=True)
    assert fresh.tps[where].seats[seat].nik == nik

    before = digests(demo_dir)  # made by `kpps init --sample`, not by the demo
    with pytest.raises(KppsError, match="will not delete it"):
        setup.open_or_create_demo(demo_dir, reset=True)
    assert digests(demo_dir) == before


# ---- tps list ------------------------------------------------------------------------------


def test_tps_list_shows_every_tps_and_a_summary(demo_dir, kpps):
    code, out, err = kpps("--data", demo_dir, "tps", "list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["Code", "TPS", "Desa/Kelurahan", "Kecamatan", "Filled", "Status"]
    rows = lines[2:-1]
    assert len(rows) == 413
    assert lines[-1].startswith("413 of 413 TPS shown:") and "of 2,891 seats filled" in lines[-1]
    # aligned columns: every row puts its "filled" cell at the header's column
    column = lines[0].index("Filled")
    assert all(row[column:].split()[0].endswith("/7") for row in rows)


def test_tps_list_json_has_stable_keys_and_agrees_with_the_files(demo_dir, kpps):
    code, out, _err = kpps("--data", demo_dir, "tps", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 413
    assert set(rows[0]) == {
        "code", "number", "desa_code", "desa", "kecamatan_code", "kecamatan", "filled", "seats", "status"
    }
    on_disk = {d["code"]: len(d["seats"]) for d in all_stock_tps(demo_dir)}
    assert {r["code"]: r["filled"] for r in rows} == on_disk
    for r in rows:
        expected = "empty" if r["filled"] == 0 else "full" if r["filled"] == 7 else "partial"
        assert r["status"] == expected


def test_tps_list_filters(demo_dir, kpps):
    def listed(*args):
        code, out, err = kpps("--data", demo_dir, "tps", "list", "--json", *args)
        assert code == 0, err
        return json.loads(out)

    by_name = listed("--kecamatan", "arut selatan")
    assert by_name and {r["kecamatan_code"] for r in by_name} == {"62.01.02"}
    assert listed("--kecamatan", "62.01.02") == by_name

    desa = by_name[0]["desa"]
    in_desa = listed("--kecamatan", "Arut Selatan", "--desa", desa)
    assert in_desa and {r["desa"] for r in in_desa} == {desa}

    full = listed("--status", "full")
    empty = listed("--status", "empty")
    not_full = listed("--status", "not_full")
    assert full and empty and all(r["filled"] == 7 for r in full) and all(r["filled"] == 0 for r in empty)
    assert len(full) + len(not_full) == 413
    assert {r["code"] for r in empty} <= {r["code"] for r in not_full}

    third = listed("--search", "TPS 3")
    assert third and {r["number"] for r in third} == {3}
    assert {r["desa"] for r in listed("--search", desa.lower())} >= {desa}

    by_filled = listed("--sort", "filled")
    assert [r["filled"] for r in by_filled] == sorted(r["filled"] for r in by_filled)


def test_tps_list_refuses_an_ambiguous_or_unknown_place(demo_dir, kpps):
    code, out, err = kpps("--data", demo_dir, "tps", "list", "--kecamatan", "arut")
    assert code == 1 and out == ""
    assert "Arut Selatan (62.01.02)" in err and "Arut Utara (62.01.04)" in err
    code, _out, err = kpps("--data", demo_dir, "tps", "list", "--desa", "Atlantis")
    assert code == 1 and "No desa/kelurahan matches Atlantis" in err


def test_tps_list_with_no_match_still_summarises(demo_dir, kpps):
    code, out, _err = kpps("--data", demo_dir, "tps", "list", "--search", "no such desa")
    assert code == 0
    assert out.splitlines() == ["No TPS matches.", "0 of 413 TPS shown: 0 full, 0 empty; 0 of 0 seats filled."]


def test_tps_list_survives_a_reader_that_leaves_early(demo_dir):
    child = subprocess.Popen(
        [sys.executable, "-m", "kpps_tui.cli", "--data", str(demo_dir), "tps", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    child.stdout.readline()
    child.stdout.close()  # like `kpps tps list | head -1`
    err = child.stderr.read().decode()
    child.wait(timeout=30)
    assert "Traceback" not in err


# ---- assign, unassign, move, swap ------------------------------------------------------------


def test_assign_saves_the_seat_to_disk(demo_ws, kpps, pick):
    p = pick(demo_ws)
    tps = p.tps_with_empty_seats(2)
    seat = p.empty_seats(tps)[0]
    person = p.free_people(tps)[0]
    code, out, err = kpps("--data", demo_ws.root, "assign", tps.code, seat, person.nik)
    assert code == 0, err
    assert out.splitlines() == [f"Saved: {person.name} is now {seat_title(seat)} of {demo_ws.tps_label(tps)}."]
    assert stock_seat_niks(demo_ws.root, tps.code)[seat] == person.nik


def test_assign_prints_the_warnings_and_still_saves(demo_ws, kpps, pick):
    p = pick(demo_ws)
    tps = p.tps_with_empty_seats(2)
    seat = p.empty_seats(tps)[0]
    older = p.over_55_elsewhere(tps)
    code, out, _err = kpps("--data", demo_ws.root, "assign", tps.code, seat, older.nik)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"Saved: {older.name}")
    assert any(line.startswith("Warning:") and "at most 55" in line for line in lines)
    assert any(line.startswith("Warning:") and "lives outside" in line for line in lines)
    assert stock_seat_niks(demo_ws.root, tps.code)[seat] == older.nik


@pytest.fixture
def refused(kpps, digests):
    """Run a command that must be refused; prove the files did not change; return the sentence."""

    def run(root, *args) -> str:
        before = digests(root)
        code, out, err = kpps("--data", root, *args)
        assert code == 1, out
        assert out == ""
        assert err.strip() and "\n" not in err.strip(), err
        assert "Traceback" not in err
        assert digests(root) == before
        return err.strip()

    return run


def test_assign_refuses_an_occupied_seat_and_names_its_holder(demo_ws, kpps, pick, refused):
    p = pick(demo_ws)
    tps = p.tps_with_empty_seats(2)
    taken = next(n for n in range(1, 8) if n in tps.seats)
    holder = demo_ws.people[tps.seats[taken].nik]
    newcomer = p.free_people(tps)[0]
    message = refused(demo_ws.root, "assign", tps.code, taken, newcomer.nik)
    assert f"Seat {taken} of {demo_ws.tps_label(tps)} is already taken by {holder.name}" in message


def test_assign_refuses_a_person_seated_elsewhere(demo_ws, kpps, pick, refused):
    p = pick(demo_ws)
    nik, where, seat = p.seated()
    tps = p.tps_with_empty_seats(1)
    message = refused(demo_ws.root, "assign", tps.code, p.empty_seats(tps)[0], nik)
    assert f"already sits on seat {seat} of {demo_ws.tps_label(demo_ws.tps[where])}" in message


def test_assign_refuses_someone_under_17(demo_ws, kpps, pick, refused):
    p = pick(demo_ws)
    young = p.too_young()
    tps = p.tps_with_empty_seats(1)
    message = refused(demo_ws.root, "assign", tps.code, p.empty_seats(tps)[0], young.nik)
    age = young.age_on(demo_ws.election.voting_day)
    assert f"{young.name} is {age} on voting day; a KPPS member must be at least 17." in message


def test_assign_refuses_an_unknown_or_malformed_nik(demo_ws, kpps, pick, refused):
    p = pick(demo_ws)
    tps = p.tps_with_empty_seats(1)
    seat = p.empty_seats(tps)[0]
    nobody = "6201015304810999"
    assert nobody not in demo_ws.people
    assert "No applicant with NIK 6201015304810999" in refused(demo_ws.root, "assign", tps.code, seat, nobody)
    assert "A NIK has 16 digits; 12345 has 5." == refused(demo_ws.root, "assign", tps.code, seat, "12345")
    assert "digits only" in refused(demo_ws.root, "assign", tps.code, seat, "62010153048100AB")


def test_assign_refuses_an_unknown_tps_and_seat(demo_ws, kpps, pick, refused):
    p = pick(demo_ws)
    tps = p.tps_with_empty_seats(1)
    person = p.free_people(tps)[0]
    assert "There is no TPS with code 62.99.99.9999-001" in refused(
        demo_ws.root, "assign", "62.99.99.9999-001", 1, person.nik
    )
    assert "there is no seat 8" in refused(demo_ws.root, "assign", tps.code, 8, person.nik)


def test_assign_refuses_an_eighth_officer(demo_ws, kpps, pick, refused):
    p = pick(demo_ws)
    full = p.full_tps()
    person = p.free_people(full)[0]
    message = refused(demo_ws.root, "assign", full.code, 7, person.nik)
    assert f"{demo_ws.tps_label(full)} already has its 7 officers" in message


def test_a_wrong_seat_number_is_a_usage_error(demo_dir, kpps):
    code, out, err = kpps("--data", demo_dir, "assign", "62.01.01.1011-001", "ketua", "6201015304810024")
    assert code == 2 and "invalid int value" in err
    assert kpps("--data", demo_dir, "no-such-command")[0] == 2


def test_unassign_frees_the_seat_on_disk(demo_ws, kpps, pick, refused):
    nik, where, seat = pick(demo_ws).seated()
    code, out, err = kpps("--data", demo_ws.root, "unassign", where, seat)
    assert code == 0, err
    assert demo_ws.people[nik].name in out
    assert seat not in stock_seat_niks(demo_ws.root, where)
    assert "is already empty" in refused(demo_ws.root, "unassign", where, seat)
    assert "there is no seat 0" in refused(demo_ws.root, "unassign", where, 0)


def test_move_and_swap(demo_ws, kpps, pick, refused):
    p = pick(demo_ws)
    tps = p.tps_with_empty_seats(2)
    filled = sorted(tps.seats)
    a, b = filled[0], filled[1]
    empty = p.empty_seats(tps)[0]
    before = stock_seat_niks(demo_ws.root, tps.code)
    assert kpps("--data", demo_ws.root, "swap", tps.code, a, b)[0] == 0
    after = stock_seat_niks(demo_ws.root, tps.code)
    assert (after[a], after[b]) == (before[b], before[a])
    code, out, _err = kpps("--data", demo_ws.root, "move", tps.code, a, empty)
    assert code == 0 and f"to seat {empty}" in out
    moved = stock_seat_niks(demo_ws.root, tps.code)
    assert a not in moved and moved[empty] == before[b]
    assert "is already taken" in refused(demo_ws.root, "move", tps.code, empty, b)


# ---- check and damaged files -----------------------------------------------------------------


def test_check_is_clean_on_the_sample(demo_dir, kpps):
    code, out, _err = kpps("--data", demo_dir, "check")
    assert code == 0
    assert out.strip() == "The workspace is sound."


def test_check_reports_a_seat_written_behind_its_back(demo_ws, kpps, pick):
    p = pick(demo_ws)
    tps = p.tps_with_empty_seats(2)
    seat = p.empty_seats(tps)[0]
    nik, _where, _seat = p.seated()
    db = TinyDB(tps_file(demo_ws.root, tps.code))  # another tool, ignoring every rule
    table = db.table("tps")
    doc = table.get(Query().code == tps.code)
    seats = dict(doc["seats"])
    seats[str(seat)] = {"nik": "6201019999990001", "assigned_at": "", "assigned_by": "x"}
    seats[str(p.empty_seats(tps)[1])] = {"nik": nik, "assigned_at": "", "assigned_by": "x"}
    table.update({"seats": seats}, doc_ids=[doc.doc_id])
    db.close()

    code, out, _err = kpps("--data", demo_ws.root, "check")
    assert code == 1
    assert "holds unknown NIK 6201********0001" in out  # masked: a report is no place for a NIK
    assert f"NIK {mask_nik(nik)} sits on 2 seats." in out and nik not in out
    assert f"{tps.code} in tps/{tps.kecamatan_code}.json differs from" in out  # the hand edit, by the log
    assert out.splitlines()[-1] == "3 problem(s) found."


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"\x00garbage", id="not-json"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: b'{"tps": {"1": {"number": 1}}}', id="record-without-fields"),
    ],
)
def test_a_damaged_file_stops_every_command_and_is_left_alone(demo_ws, kpps, pick, damage):
    p = pick(demo_ws)
    tps = p.tps_with_empty_seats(1)
    person = p.free_people(tps)[0]
    path = tps_file(demo_ws.root, tps.code)
    path.write_bytes(damage(path.read_bytes()))
    damaged = path.read_bytes()
    for args in (
        ["assign", tps.code, p.empty_seats(tps)[0], person.nik],
        ["check"],
        ["tps", "list"],
    ):
        code, out, err = kpps("--data", demo_ws.root, *args)
        assert code == 1
        assert f"The file {path} is damaged" in err and "It has not been changed." in err
        assert "Traceback" not in err
    assert path.read_bytes() == damaged


def test_a_newer_schema_version_is_refused(demo_dir, kpps, digests):
    db = TinyDB(demo_dir / "workspace.json")
    db.table("meta").update({"schema_version": 99}, doc_ids=[1])
    db.close()
    before = digests(demo_dir)
    code, _out, err = kpps("--data", demo_dir, "tps", "list")
    assert code == 1 and "schema version 99" in err
    assert digests(demo_dir) == before


# ---- where the workspace is, and the language ------------------------------------------------


def test_kpps_data_and_the_data_option(demo_dir, tmp_path, run_kpps):
    via_env = run_kpps("tps", "list", "--json", env={"KPPS_DATA": str(demo_dir)})
    assert via_env.returncode == 0 and len(json.loads(via_env.stdout)) == 413
    # --data wins over KPPS_DATA, before or after the command
    for args in (["--data", demo_dir, "tps", "list", "--json"], ["tps", "list", "--json", "--data", demo_dir]):
        done = run_kpps(*args, env={"KPPS_DATA": str(tmp_path / "elsewhere")})
        assert done.returncode == 0 and len(json.loads(done.stdout)) == 413
    lost = run_kpps("--lang", "en", "tps", "list", env={"KPPS_DATA": str(tmp_path / "elsewhere")})
    assert lost.returncode == 1 and str(tmp_path / "elsewhere") in lost.stderr


def test_default_folder_comes_from_platformdirs(tmp_path, kpps, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert kpps("init", "--sample")[0] == 0
    assert (tmp_path / "xdg" / "kpps-tui" / "workspace" / "workspace.json").exists()
    assert setup.default_data_dir() == tmp_path / "xdg" / "kpps-tui" / "workspace"
    code, out, _err = kpps("tps", "list", "--status", "full", "--json")
    assert code == 0 and json.loads(out)


def test_indonesian_by_default_english_on_request(demo_dir, run_kpps):
    english = "There is no TPS with code nope. `kpps tps list` shows the codes."
    args = ("--data", demo_dir, "unassign", "nope", "1")
    default = run_kpps(*args)
    assert default.returncode == 1 and "nope" in default.stderr
    assert default.stderr.strip() != english  # Bahasa Indonesia
    assert run_kpps(*args, "--lang", "en").stderr.strip() == english
    assert run_kpps(*args, env={"KPPS_LANG": "en"}).stderr.strip() == english
    assert run_kpps(*args, "--lang", "id", env={"KPPS_LANG": "en"}).stderr.strip() == default.stderr.strip()
    bad = run_kpps(*args, "--lang", "fr")
    assert bad.returncode == 2 and "pilihan tidak sah" in bad.stderr  # argparse in Indonesian too


def test_scripted_commands_do_not_load_textual(demo_dir):
    code = (
        "import sys\n"
        "from kpps_tui.cli import main\n"
        f"rc = main(['--data', {str(demo_dir)!r}, 'tps', 'list'])\n"
        "assert rc == 0, rc\n"
        "rc = main(['--help'])\n"
        "print('TEXTUAL', any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "TEXTUAL False"


def test_the_installed_script_runs(demo_dir):
    script = shutil.which("kpps", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("kpps is not installed beside this Python")
    done = subprocess.run([script, "--data", str(demo_dir), "--lang", "en", "check"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "sound" in done.stdout


def test_a_workspace_opened_after_cli_changes_sees_them(demo_ws, kpps, pick):
    p = pick(demo_ws)
    tps = p.tps_with_empty_seats(1)
    seat = p.empty_seats(tps)[0]
    person = p.free_people(tps)[0]
    assert kpps("--data", demo_ws.root, "assign", tps.code, seat, person.nik)[0] == 0
    assert Workspace.open(demo_ws.root).tps[tps.code].seats[seat].nik == person.nik
    demo_ws.refresh()
    assert demo_ws.placements[person.nik].tps_code == tps.code


# ---- the interface, on a real pseudo-terminal ------------------------------------------------


def on_terminal(args: list[str], marker: bytes, timeout: float = 30) -> tuple[int, bytes]:
    """Run `kpps ARGS` on an 80x24 pseudo-terminal until `marker` is drawn, then press Ctrl+Q."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    child = subprocess.Popen(
        [sys.executable, "-m", "kpps_tui.cli", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "TERM": "xterm"},
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + timeout
    try:
        while marker not in seen and time.monotonic() < deadline and child.poll() is None:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
        if marker in seen:
            os.write(master, b"\x11")  # Ctrl+Q
        code = child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)
    return code, seen


def test_demo_opens_the_interface_on_a_private_copy(tmp_path):
    dest = tmp_path / "demo"
    # The first screen is the ringkasan: its first row is kecamatan Kumai.
    code, screen = on_terminal(["demo", "--data", str(dest), "--lang", "en"], b"Kumai")
    assert b"Kumai" in screen, screen[-2000:]
    assert code == 0
    assert (dest / "workspace.json").exists() and (dest / setup.DEMO_MARK).exists()
    assert len(all_stock_tps(dest)) == 413


def test_kpps_without_a_command_opens_the_workspace(demo_dir):
    code, screen = on_terminal(["--data", str(demo_dir), "--lang", "en"], b"Kumai")
    assert b"Kumai" in screen and code == 0


def test_a_damaged_people_file_stops_the_interface_with_its_sentence(demo_dir, run_kpps):
    """The interface draws the ringkasan from the TPS files and reads the people files after
    it: one found damaged then ends the program with the sentence and exit code the opening
    gives, on a terminal as without one."""
    assert run_kpps("--data", demo_dir, "backup").returncode == 0
    path = demo_dir / "people" / "62.01.03.json"
    path.write_bytes(path.read_bytes()[:1000])
    damaged = path.read_bytes()
    without = run_kpps("--data", demo_dir, "--lang", "en")
    assert without.returncode == 1 and "is damaged" in without.stderr and "restore it with" in without.stderr
    code, screen = on_terminal(["--data", str(demo_dir), "--lang", "en"], b"restore it with")
    assert code == 1
    said = b" ".join(screen.split()).decode()  # as it came out, lines joined
    assert " ".join(without.stderr.split()) in said
    assert b"Traceback" not in screen
    assert path.read_bytes() == damaged
