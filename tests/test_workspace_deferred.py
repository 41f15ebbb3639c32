"""A workspace opened with its applicants read later (the interface draws its first screen from
the TPS files and reads the people files after it): the same workspace once they are in, never
half of another session's batch, and a damaged people file still stops with its sentence."""

from __future__ import annotations

import json
import threading

import pytest

from kpps_tui.domain.declarations import DeclState
from kpps_tui.errors import KppsError
from kpps_tui.services import assignments, declarations
from kpps_tui.services.recovery import open_workspace
from kpps_tui.store import audit, backups
from kpps_tui.store.workspace import Workspace


def people_docs(ws: Workspace) -> dict[str, dict]:
    return {nik: person.to_doc() for nik, person in ws.people.items()}


def seats(ws: Workspace) -> dict[str, dict[int, str]]:
    return {code: {n: s.nik for n, s in t.seats.items()} for code, t in ws.tps.items()}


def test_a_deferred_open_holds_the_tps_and_reads_the_applicants_when_first_asked(demo_dir):
    whole = Workspace.open(demo_dir)
    ws = Workspace.open(demo_dir, defer_people=True)
    assert not ws.people_ready
    assert seats(ws) == seats(whole) and ws.placements == whole.placements
    assert ws._people == {}  # nothing of them read yet
    version = ws.version
    assert people_docs(ws) == people_docs(whole)  # asking reads them
    assert ws.people_ready and ws.version > version
    kec = ws.kecamatan_codes()[0]
    assert [p.nik for p in ws.people_of_kecamatan(kec)] == [p.nik for p in whole.people_of_kecamatan(kec)]


def test_the_applicants_read_in_a_thread_are_held_by_the_caller(demo_dir):
    whole = Workspace.open(demo_dir)
    ws = Workspace.open(demo_dir, defer_people=True)
    reader = threading.Thread(target=ws.read_people)
    reader.start()
    assert ws.load_people() is True  # awaits the read under way, then holds it
    reader.join()
    assert ws.people_ready and people_docs(ws) == people_docs(whole)
    assert ws.load_people() is False  # held once


def test_a_poll_before_the_applicants_are_read_leaves_them_for_the_read(demo_dir, pick):
    ws = Workspace.open(demo_dir, defer_people=True)
    other = Workspace.open(demo_dir)
    nik = next(iter(other.placements))
    declarations.set_state(other, nik, DeclState.HANDED_IN)
    ws.refresh()
    assert not ws.people_ready
    assert ws.people[nik].neutrality.statement.state is DeclState.HANDED_IN


def test_a_batch_written_between_the_tps_and_the_people_is_whole_after_the_refresh(demo_dir, pick):
    """The TPS are read at opening, the people later: a change another session made in between
    is in the people read, and the refresh that follows the read brings the TPS up to it."""
    ws = Workspace.open(demo_dir, defer_people=True)
    other = Workspace.open(demo_dir)
    p = pick(other)
    tps = p.tps_with_empty_seats(1)
    seat, nik = p.empty_seats(tps)[0], p.free_people(tps)[0].nik
    with other.transaction():  # one batch: a seat and a person
        assignments.assign(other, tps.code, seat, nik)
        declarations.set_state(other, nik, DeclState.HANDED_IN)
    ws.load_people()
    assert ws.people[nik].neutrality.statement.state is DeclState.HANDED_IN
    assert ws.refresh()  # the TPS file changed since the opening
    fresh = Workspace.open(demo_dir)
    assert seats(ws) == seats(fresh) and people_docs(ws) == people_docs(fresh)
    assert ws.placements == fresh.placements


def test_a_damaged_people_file_is_found_by_the_read_in_the_sentence_of_the_opening(demo_dir):
    backups.take_snapshot(demo_dir, "manual")
    path = demo_dir / "people" / "62.01.03.json"
    path.write_bytes(path.read_bytes()[:1000])
    damaged = path.read_bytes()
    with pytest.raises(KppsError) as whole:
        open_workspace(demo_dir)
    ws = open_workspace(demo_dir, defer_people=True)  # the TPS and the other files are whole
    for read in (ws.read_people, ws.load_people, lambda: ws.people):
        with pytest.raises(KppsError) as refused:
            read()
        assert str(refused.value) == str(whole.value)
        assert str(path) in str(refused.value) and "restore" in str(refused.value)
    assert not ws.people_ready
    assert path.read_bytes() == damaged


def test_a_missing_people_file_still_stops_the_opening(demo_dir):
    Workspace.open(demo_dir).list_files()
    (demo_dir / "people" / "62.01.03.json").unlink()
    with pytest.raises(KppsError) as refused:
        open_workspace(demo_dir, defer_people=True)
    assert "62.01.03.json" in str(refused.value) and "(missing)" in str(refused.value)


def test_the_opening_settles_a_person_change_logged_but_never_written_without_reading_all(demo_dir):
    ws = Workspace.open(demo_dir)
    nik = next(iter(ws.placements))
    before = json.loads(json.dumps(ws.people[nik].to_doc()))
    renamed = {**before, "name": "Nama Lain"}
    audit.append(demo_dir, audit.AuditEntry(audit.now_iso(), "ani", "host-1-gone", "declaration", nik, before, renamed))
    deferred = open_workspace(demo_dir, defer_people=True)
    assert not deferred.people_ready  # only the file of that person's kecamatan was read
    last = list(audit.read(demo_dir))[-1]
    assert (last.action, last.subject, last.before, last.after["name"]) == (audit.INTERRUPTED, nik, renamed, before["name"])
