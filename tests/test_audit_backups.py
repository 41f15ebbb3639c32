"""Audit log and snapshots, on real workspace files."""

import json

import pytest
from tinydb import TinyDB

from kpps_tui.services import assignments
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store import audit, backups
from kpps_tui.store.storage import DamagedFile
from kpps_tui.store.workspace import Workspace


@pytest.fixture
def ws(tmp_path):
    return init_from_sample(tmp_path / "ws", "demo")


def free_seat(ws, empty_seats=1):
    """A TPS with empty seats and an eligible applicant of its desa who sits nowhere."""
    from kpps_tui.services.browse import candidates

    for tps in ws.tps.values():
        empty = [n for n in range(1, 8) if n not in tps.seats]
        if len(empty) < empty_seats:
            continue
        for c in candidates(ws, tps):
            if c.eligible:
                return tps.code, empty[0], c.person.nik
    raise AssertionError("the sample has no free seat")


def seat_map(ws, code):
    return {str(n): s.nik for n, s in sorted(ws.tps[code].seats.items())}


def test_every_change_is_logged_with_who_when_and_before_after(ws):
    code, seat, nik = free_seat(ws)
    before = seat_map(ws, code)
    assignments.assign(ws, code, seat, nik)
    assignments.unassign(ws, code, seat)
    entries = list(audit.read(ws.root))
    assert [e.action for e in entries] == ["assign", "unassign"]
    first = entries[0]
    assert first.subject == code and first.user == ws.user and first.session == ws.session
    assert first.before == before and first.after == {**before, str(seat): nik}
    assert entries[1].after == before


def test_a_log_cut_in_the_middle_of_a_line_refuses_the_next_change_until_an_admin_seals_it(ws):
    """A cut last line is a truncated history (by hand or by a disk): the next change stops
    with the damage, nothing written; sealing keeps the old log and starts a new chain."""
    code, seat, nik = free_seat(ws)
    assignments.assign(ws, code, seat, nik)
    with audit.log_path(ws.root).open("ab") as f:
        f.write(b'{"prev":"00')  # cut in the middle of a line
    with pytest.raises(DamagedFile, match="cut"):
        assignments.unassign(ws, code, seat)
    assert Workspace.open(ws.root).tps[code].seats[seat].nik == nik
    kept = ws.seal_log()
    assert kept.read_bytes().endswith(b'{"prev":"00')
    assignments.unassign(ws, code, seat)
    assert [e.action for e in audit.read(ws.root)] == ["unassign"]
    assert audit.verify_chain(ws.root, expected=True) is None


def test_replaying_the_log_from_a_snapshot_gives_the_final_state(ws):
    start = backups.take_snapshot(ws.root, "manual")
    code, seat, nik = free_seat(ws, empty_seats=2)
    assignments.assign(ws, code, seat, nik)
    other = next(n for n in range(1, 8) if n not in ws.tps[code].seats)
    assignments.move(ws, code, seat, other)
    assignments.swap(ws, code, other, 1)
    start_ws = Workspace.open(start.path)
    replayed = {c: seat_map(start_ws, c) for c in start_ws.tps}
    for entry in audit.read(ws.root):
        replayed[entry.subject] = entry.after
    assert replayed == {c: seat_map(ws, c) for c in ws.tps}


def test_restore_brings_a_snapshot_back_and_keeps_the_present_as_a_snapshot(ws):
    snap = backups.take_snapshot(ws.root, "manual")
    code, seat, nik = free_seat(ws)
    assignments.assign(ws, code, seat, nik)
    kept = backups.restore(ws.root, snap.name)
    assert seat not in Workspace.open(ws.root).tps[code].seats
    assert seat in Workspace.open(kept.path).tps[code].seats
    ws.refresh()
    assert seat not in ws.tps[code].seats  # an open session sees the restored state


def test_a_damaged_file_is_kept_and_the_newest_good_snapshot_is_named(ws):
    good = backups.take_snapshot(ws.root, "session")
    damaged = next((ws.root / "tps").glob("*.json"))
    damaged.write_bytes(b'{"tps": {"1": ')
    with pytest.raises(DamagedFile):
        Workspace.open(ws.root)
    assert backups.newest_good(ws.root).name == good.name
    kept = backups.restore(ws.root, good.name)
    assert (kept.path / "tps" / damaged.name).read_bytes() == b'{"tps": {"1": '
    assert TinyDB(damaged).table("tps").all()
    assert Workspace.open(ws.root).tps


def test_a_snapshot_is_taken_after_a_change_when_none_is_recent(ws):
    assert backups.snapshots(ws.root) == []
    code, seat, nik = free_seat(ws)
    assignments.assign(ws, code, seat, nik)
    taken = backups.snapshots(ws.root)
    assert [s.reason for s in taken] == ["interval"]
    assert not backups.due(ws.root)
    assignments.unassign(ws, code, seat)
    assert len(backups.snapshots(ws.root)) == 1


def test_snapshots_are_rotated(ws):
    for _ in range(backups.KEEP + 3):
        backups.take_snapshot(ws.root, "manual")
    assert len(backups.snapshots(ws.root)) == backups.KEEP


def test_log_lines_are_plain_json(ws):
    code, seat, nik = free_seat(ws)
    assignments.assign(ws, code, seat, nik)
    first, line = audit.log_path(ws.root).read_text().splitlines()[:2]
    assert json.loads(first)["action"] == audit.ANCHOR  # what the files held when the chain began
    assert json.loads(line)["action"] == "assign"
    assert audit.log_path(ws.root).stat().st_mode & 0o777 == 0o600


def test_opening_a_damaged_workspace_names_the_snapshot_and_the_command(ws):
    from kpps_tui.services.recovery import WorkspaceDamaged, open_workspace

    good = backups.take_snapshot(ws.root, "session")
    (ws.root / "workspace.json").write_bytes(b"")
    with pytest.raises(WorkspaceDamaged) as caught:
        open_workspace(ws.root)
    message = str(caught.value)
    assert good.name in message and f"restore {good.name}" in message and "empty" in message
    assert (ws.root / "workspace.json").read_bytes() == b""


SEAL_CHILD = r"""
import os, sys
from pathlib import Path
from kpps_tui.store import audit
from kpps_tui.store.workspace import Workspace

point, root = int(sys.argv[1]), Path(sys.argv[2])
real_write, writes = audit.atomic_write_bytes, 0

def write(path, payload):
    global writes
    if writes == point:
        os._exit(9)
    real_write(path, payload)
    writes += 1

audit.atomic_write_bytes = write
Workspace.open(root).seal_log()
print("writes", writes)
"""


def test_sealing_killed_at_every_point_keeps_the_damaged_log_or_the_new_chain_with_its_copy(ws, tmp_path):
    """A kill before, between or after the two writes of a seal: either the damaged log is still
    there (and sealing again works), or the new chain stands with the old bytes kept whole."""
    import shutil
    import subprocess
    import sys

    code, seat, nik = free_seat(ws)
    assignments.assign(ws, code, seat, nik)
    with audit.log_path(ws.root).open("ab") as f:
        f.write(b'{"prev":"00')
    damaged = audit.log_path(ws.root).read_bytes()
    outcomes = []
    for point in range(3):
        trial = tmp_path / f"seal-{point}"
        shutil.copytree(ws.root, trial, symlinks=True)
        done = subprocess.run([sys.executable, "-c", SEAL_CHILD, str(point), str(trial)], capture_output=True, text=True, timeout=60)
        assert done.returncode in (9, 0) and "Traceback" not in done.stderr, done.stderr
        log = audit.log_path(trial).read_bytes()
        kept = sorted(audit.log_path(trial).parent.glob("log-sealed-*.jsonl"))
        if log == damaged:
            outcomes.append("damaged")
            assert all(k.read_bytes() == damaged for k in kept)
            assert Workspace.open(trial).seal_log().read_bytes() == damaged  # seal again
        else:
            outcomes.append("sealed")
            assert [k.read_bytes() for k in kept] == [damaged]
            assert audit.verify_chain(trial, expected=True) is None
        assignments.unassign(Workspace.open(trial), code, seat)  # the workspace takes changes again
    assert outcomes == ["damaged", "damaged", "sealed"]
