"""Undo and redo go through the services, so rules and other sessions' changes still count."""

import pytest

from kpps_tui.services import assignments
from kpps_tui.services.browse import candidates
from kpps_tui.services.history import Assign, History, Move, Swap, Unassign
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store.workspace import Workspace

from test_audit_backups import free_seat


@pytest.fixture
def ws(tmp_path):
    return init_from_sample(tmp_path / "ws", "demo")


def on_disk(ws, code):
    return {n: s.nik for n, s in Workspace.open(ws.root).tps[code].seats.items()}


def test_undo_and_redo_an_assignment(ws):
    code, seat, nik = free_seat(ws)
    history = History()
    history.run(ws, Assign(code, seat, nik))
    assert on_disk(ws, code)[seat] == nik
    history.undo(ws)
    assert seat not in on_disk(ws, code)
    history.redo(ws)
    assert on_disk(ws, code)[seat] == nik


def test_undo_unassign_move_and_swap_restore_the_seats(ws):
    code, seat, nik = free_seat(ws, empty_seats=2)
    history = History()
    history.run(ws, Assign(code, seat, nik))
    start = on_disk(ws, code)
    other = next(n for n in range(1, 8) if n not in ws.tps[code].seats)
    history.run(ws, Move(code, seat, other, nik))
    holder_1 = ws.tps[code].seats.get(1)
    history.run(ws, Swap(code, other, 1, nik, holder_1.nik if holder_1 else None))
    history.run(ws, Unassign(code, 1, nik))
    for _ in range(3):
        history.undo(ws)
    assert on_disk(ws, code) == start


def test_undo_into_a_seat_someone_else_filled_is_refused_and_kept(ws):
    code, seat, nik = free_seat(ws)
    history = History()
    history.run(ws, Assign(code, seat, nik))
    history.run(ws, Unassign(code, seat, nik))
    rival = Workspace.open(ws.root)  # another coordinator's session
    other_nik = next(c.person.nik for c in candidates(rival, rival.tps[code]) if c.eligible and c.person.nik != nik)
    assignments.assign(rival, code, seat, other_nik)
    with pytest.raises(assignments.Refused) as refused:
        history.undo(ws)
    assert rival.people[other_nik].name in str(refused.value)
    assert on_disk(ws, code)[seat] == other_nik
    assert len(history.done) == 2 and history.undone == []


def test_a_new_step_clears_what_could_be_redone(ws):
    code, seat, nik = free_seat(ws)
    history = History()
    history.run(ws, Assign(code, seat, nik))
    history.undo(ws)
    history.run(ws, Assign(code, seat, nik))
    assert history.redo(ws) is None
