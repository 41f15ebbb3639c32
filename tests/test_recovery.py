"""Restoring a snapshot never brings a withdrawn ID card back to life, nor loses the key."""

from datetime import date

from kpps_tui.services import assignments, cards
from kpps_tui.services.recovery import restore
from kpps_tui.store import backups
from kpps_tui.store.workspace import Workspace

from cards_support import card_ready_tps

DURING_WORK = date(2024, 11, 20)


def card_of(ws, tps_code, seat):
    face, _lines = cards.preview_card(ws, tps_code, seat, today=DURING_WORK)
    return face


def records(root):
    return Workspace.open(root).card_book().records


def test_restore_keeps_revocations_and_the_key_and_revokes_cards_of_changed_seats(demo_ws):
    ws = demo_ws
    tps = card_ready_tps(ws)
    card_of(ws, tps.code, 1)
    key = (ws.root / "keys").iterdir().__next__().read_bytes()
    snap = backups.take_snapshot(ws.root, "manual")
    assignments.unassign(ws, tps.code, 2)  # seat 2's card is revoked now
    card_of(ws, tps.code, 3)  # issued after the snapshot
    revoked_before = {s for s, r in records(ws.root).items() if not r.active}

    restore(ws.root, snap.name)

    after = records(ws.root)
    assert revoked_before <= {s for s, r in after.items() if not r.active}  # nothing un-revoked
    assert (ws.root / "keys").iterdir().__next__().read_bytes() == key
    restored = Workspace.open(ws.root)
    for record in after.values():
        holder = restored.tps[record.tps].seats.get(record.seat)
        if record.active:
            assert holder is not None and holder.nik == record.nik


def test_restore_is_on_record_with_its_snapshot_name(demo_ws, kpps):
    snap = backups.take_snapshot(demo_ws.root, "manual")
    assert kpps("--data", demo_ws.root, "restore", snap.name, "--yes")[0] == 0
    code, out, _ = kpps("--data", demo_ws.root, "log")
    assert code == 0 and snap.name in out


def test_an_open_session_sees_a_restore_when_it_next_writes(demo_ws, pick):
    tps = pick(demo_ws).partly_filled_tps()
    seat = min(tps.seats)
    snap = backups.take_snapshot(demo_ws.root, "manual")
    assignments.unassign(demo_ws, tps.code, seat)
    restore(demo_ws.root, snap.name)
    with demo_ws.locked():  # no refresh() call in between: the write counter tells it
        assert seat in demo_ws.tps[tps.code].seats
