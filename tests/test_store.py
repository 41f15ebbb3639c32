"""The workspace on disk, against real files: readable by stock TinyDB, private, never damaged
by us, split so one write touches one small file, and shared safely between sessions."""

from __future__ import annotations

import json
import os
import stat
import threading
from datetime import date
from pathlib import Path

import pytest
from tinydb import TinyDB

from kpps_tui.domain.model import Election, Person, Region, Seat, Tps
from kpps_tui.errors import KppsError
from kpps_tui.services import assignments
from kpps_tui.services.assignments import Refused
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store.storage import DamagedFile, read_tinydb_file
from kpps_tui.store.workspace import Workspace, WorkspaceError


def json_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json"))


def stock_read(path: Path) -> dict[str, list[dict]]:
    """Every table of a file, read with stock TinyDB and its default JSONStorage."""
    db = TinyDB(path)
    try:
        return {name: db.table(name).all() for name in db.tables()}
    finally:
        db.close()


def small_workspace(root: Path) -> Workspace:
    election = Election("Uji", "KPU Uji", date(2024, 11, 27))
    regions = [
        Region("62.01.01", "Kumai"),
        Region("62.01.01.2001", "Sungai Cabang"),
        Region("62.01.02", "Arut Selatan"),
        Region("62.01.02.1002", "Mendawai Seberang"),
    ]
    tps = [
        Tps("62.01.01.2001-001", "62.01.01.2001", 1, seats={1: Seat("6201014101900001")}),
        Tps("62.01.02.1002-001", "62.01.02.1002", 1),
    ]
    people = [
        Person("6201014101900001", "Siti Aminah", "P", date(1990, 1, 1), "62.01.01.2001"),
        Person("6201020202950002", "Budi Santoso", "L", date(1995, 2, 2), "62.01.02.1002"),
    ]
    return Workspace.create(root, election, regions, tps, people)


# ---- readable by stock TinyDB --------------------------------------------------------------


def test_stock_tinydb_reads_every_file_of_a_fresh_workspace(demo_dir, demo_ws):
    files = json_files(demo_dir)
    assert {p.relative_to(demo_dir).parts[0] for p in files} == {"workspace.json", "tps", "people", "users.json"}
    tps_docs, people_docs = [], []
    for path in files:
        tables = stock_read(path)
        assert tables, path
        tps_docs += tables.get("tps", [])
        people_docs += tables.get("people", [])
    assert len(tps_docs) == len(demo_ws.tps) == 413
    assert len(people_docs) == len(demo_ws.people)
    assert stock_read(demo_dir / "users.json")["users"] == [{"login": demo_ws.user, "role": "admin", "kecamatan": [], "desa": []}]
    assert {d["code"] for d in tps_docs} == set(demo_ws.tps)


def test_stock_tinydb_reads_a_created_workspace_and_our_writes(tmp_path):
    ws = small_workspace(tmp_path / "w")
    assignments.assign(ws, "62.01.02.1002-001", 1, "6201020202950002")
    for path in json_files(ws.root):
        assert stock_read(path)
    tps = stock_read(ws.root / "tps" / "62.01.02.json")["tps"]
    assert tps[0]["seats"]["1"]["nik"] == "6201020202950002"
    assert not [p for p in ws.root.rglob("*.tmp")], "a temporary file was left behind"


# ---- private modes ---------------------------------------------------------------------------


def modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in [root, *root.rglob("*")]}


@pytest.fixture
def umask_zero():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_files_0600_and_folders_0700_even_under_umask_0(tmp_path, umask_zero, pick):
    sample = init_from_sample(tmp_path / "sample", "demo")
    p = pick(sample)
    tps = p.tps_with_empty_seats(1)
    assignments.assign(sample, tps.code, p.empty_seats(tps)[0], p.free_people(tps)[0].nik)
    created = small_workspace(tmp_path / "created")
    assignments.assign(created, "62.01.02.1002-001", 1, "6201020202950002")
    for root in (sample.root, created.root):
        found = modes(root)
        assert len(found) > 5
        for name, mode in found.items():
            wanted = 0o700 if (root / name).is_dir() else 0o600
            assert mode == wanted, f"{name} has mode {mode:o}"


# ---- damaged files ---------------------------------------------------------------------------


DAMAGE = {
    "truncated": lambda raw: raw[: len(raw) * 2 // 3],
    "not-json": lambda raw: b"PK\x03\x04 this is a zip, not JSON",
    "empty": lambda raw: b"",
    "wrong-shape": lambda raw: b'{"tps": [1, 2, 3]}',
    "record-without-fields": lambda raw: b'{"tps": {"1": {"desa": "62.01.01.1011"}}}',
}


@pytest.mark.parametrize(
    "raw",
    [
        b'{"t": {"1": {"a": "Siti \\u00e9", "b": [1, 2.5, null, true], "c": {}}}}',
        '{"t": {"1": {"nama": "Siti Ã\u00a9"}}}'.encode(),  # UTF-8 written by another program
        b'{"t": {"1": {"x": NaN, "y": Infinity}}}',  # what orjson refuses and json reads
        b'{"t": {"1": {"s": "\\ud800"}}}',  # a lone surrogate
        b'{"t": {"1": {"n": 123456789012345678901234567890}}}',  # beyond 64 bits
        b'{"t": {"1": {"n": -9223372036854775809, "m": 18446744073709551616}}}',  # just beyond
        b'{"t": {"1": {"n": 1e400}}}',
        b'\xef\xbb\xbf{"t": {}}',  # a byte order mark
        '{"t": {"1": {"a": "b"}}}'.encode("utf-16"),
    ],
)
def test_a_data_file_reads_as_pythons_json_reads_it(tmp_path, raw):
    """The fast parser behind the storage gives what json.loads gives (so what stock TinyDB
    reads), also for what it refuses itself."""
    path = tmp_path / "f.json"
    path.write_bytes(raw)
    expected = json.loads(raw)
    got = read_tinydb_file(path)
    assert json.dumps(got) == json.dumps(expected)  # NaN != NaN; 1.0 == 1 but not as text


@pytest.mark.parametrize("raw", [b'{"t": {"1": {"a": }}}', b'{"t": {"1": {"a": "b"}}', b"\xff\xfe\x00garbage"])
def test_a_file_that_is_not_json_says_what_json_says(tmp_path, raw):
    path = tmp_path / "f.json"
    path.write_bytes(raw)
    with pytest.raises(DamagedFile) as refused:
        read_tinydb_file(path)
    try:
        json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        assert f"not JSON: {exc}" in str(refused.value)


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_tps_file_refuses_to_open_and_is_left_unchanged(demo_dir, how):
    path = demo_dir / "tps" / "62.01.03.json"
    path.write_bytes(DAMAGE[how](path.read_bytes()))
    damaged = path.read_bytes()
    with pytest.raises(DamagedFile) as refused:
        Workspace.open(demo_dir)
    assert str(path) in str(refused.value) and "It has not been changed." in str(refused.value)
    assert path.read_bytes() == damaged


@pytest.mark.parametrize("how", ["truncated", "not-json", "empty"])
def test_a_damaged_main_file_refuses_to_open(demo_dir, how):
    path = demo_dir / "workspace.json"
    path.write_bytes(DAMAGE[how](path.read_bytes()))
    damaged = path.read_bytes()
    with pytest.raises(DamagedFile):
        Workspace.open(demo_dir)
    assert path.read_bytes() == damaged


@pytest.mark.parametrize("version", [None, 0, 2, 99, "1"])
def test_a_wrong_schema_version_refuses_to_open(demo_dir, version):
    path = demo_dir / "workspace.json"
    data = json.loads(path.read_bytes())
    if version is None:
        del data["meta"]["1"]["schema_version"]
    else:
        data["meta"]["1"]["schema_version"] = version
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    with pytest.raises(WorkspaceError) as refused:
        Workspace.open(demo_dir)
    assert "schema version" in str(refused.value)
    assert path.read_bytes() == before


def test_a_file_damaged_under_an_open_session_stops_its_writes(demo_ws, pick):
    p = pick(demo_ws)
    tps = p.tps_with_empty_seats(1)
    person = p.free_people(tps)[0]
    path = demo_ws.root / "tps" / f"{tps.kecamatan_code}.json"
    path.write_bytes(path.read_bytes()[:100])
    damaged = path.read_bytes()
    seats_before = dict(demo_ws.tps[tps.code].seats)
    with pytest.raises(DamagedFile):
        assignments.assign(demo_ws, tps.code, p.empty_seats(tps)[0], person.nik)
    assert path.read_bytes() == damaged
    assert demo_ws.tps[tps.code].seats == seats_before  # memory keeps the last good state


# ---- one write, one small file -----------------------------------------------------------------


def test_an_assignment_rewrites_only_its_kecamatan_file(demo_ws, pick):
    p = pick(demo_ws)
    tps = p.tps_with_empty_seats(1, kecamatan="62.01.03")
    others = [f for f in json_files(demo_ws.root) if f.name != "62.01.03.json" or f.parent.name != "tps"]
    before = {f: (os.stat(f).st_ino, os.stat(f).st_mtime_ns, f.read_bytes()) for f in others}
    target = demo_ws.root / "tps" / "62.01.03.json"
    target_before = (os.stat(target).st_ino, target.read_bytes())
    assignments.assign(demo_ws, tps.code, p.empty_seats(tps)[0], p.free_people(tps)[0].nik)
    after = {f: (os.stat(f).st_ino, os.stat(f).st_mtime_ns, f.read_bytes()) for f in others}
    assert after == before
    assert (os.stat(target).st_ino, target.read_bytes()) != target_before


# ---- several sessions on one folder ----------------------------------------------------------


def test_two_sessions_see_each_others_changes_after_refresh(demo_dir, pick):
    a = Workspace.open(demo_dir)
    b = Workspace.open(demo_dir)
    p = pick(a)
    tps = p.tps_with_empty_seats(2)
    seat = p.empty_seats(tps)[0]
    person = p.free_people(tps)[0]

    assignments.assign(a, tps.code, seat, person.nik)
    assert seat not in b.tps[tps.code].seats  # not yet: b works from memory
    assert b.refresh() == {tps.kecamatan_code}
    assert b.tps[tps.code].seats[seat].nik == person.nik
    assert b.placements[person.nik].tps_code == tps.code

    assignments.unassign(b, tps.code, seat)
    a.refresh()
    assert seat not in a.tps[tps.code].seats and person.nik not in a.placements
    assert a.refresh() == set()  # nothing new


def test_a_stale_session_cannot_take_a_seat_someone_else_took(demo_dir, pick):
    a = Workspace.open(demo_dir)
    b = Workspace.open(demo_dir)
    p = pick(a)
    tps = p.tps_with_empty_seats(2)
    seat = p.empty_seats(tps)[0]
    first, second = p.free_people(tps, 2)
    assignments.assign(a, tps.code, seat, first.nik, user="ani")
    with pytest.raises(Refused) as refused:
        assignments.assign(b, tps.code, seat, second.nik, user="budi")  # b has not refreshed
    assert f"already taken by {first.name} (set by ani)" in str(refused.value)
    assert Workspace.open(demo_dir).tps[tps.code].seats[seat].nik == first.nik


def test_two_sessions_racing_for_one_seat_exactly_one_wins(demo_dir, pick):
    sessions = [Workspace.open(demo_dir), Workspace.open(demo_dir)]
    p = pick(sessions[0])
    tps = p.tps_with_empty_seats(2)
    seat = p.empty_seats(tps)[0]
    people = p.free_people(tps, 2)
    start = threading.Barrier(2)
    outcome: dict[int, object] = {}

    def take(i: int) -> None:
        start.wait()
        try:
            assignments.assign(sessions[i], tps.code, seat, people[i].nik, user=f"user{i}")
            outcome[i] = "won"
        except KppsError as exc:
            outcome[i] = exc

    threads = [threading.Thread(target=take, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    winners = [i for i, o in outcome.items() if o == "won"]
    assert len(winners) == 1, outcome
    loser = 1 - winners[0]
    assert isinstance(outcome[loser], Refused)
    assert f"already taken by {people[winners[0]].name} (set by user{winners[0]})" in str(outcome[loser])
    on_disk = Workspace.open(demo_dir).tps[tps.code].seats[seat]
    assert on_disk.nik == people[winners[0]].nik


def test_a_person_moved_to_another_kecamatan_leaves_the_old_file_and_takes_nobodys_place(demo_dir):
    """A document id is a place in one kecamatan file: a person stored under another kecamatan
    gets a new one there and is taken out of the old file, in one transaction."""
    from dataclasses import replace

    ws = Workspace.open(demo_dir)
    first, second = ws.kecamatan_codes()[:2]
    mover = next(p for p in ws.people.values() if p.kecamatan_code == first and p.nik not in ws.placements)
    everyone = set(ws.people)
    with ws.transaction():
        ws.put_people([replace(mover, desa_code=ws.desa_codes(second)[0])], "test")

    def niks_in(kec: str) -> list[str]:
        with TinyDB(demo_dir / "people" / f"{kec}.json", access_mode="r") as db:
            return [doc["nik"] for doc in db.table("people").all()]

    assert mover.nik not in niks_in(first) and niks_in(second).count(mover.nik) == 1
    again = Workspace.open(demo_dir)
    assert set(again.people) == everyone
    assert again.people[mover.nik].kecamatan_code == second
