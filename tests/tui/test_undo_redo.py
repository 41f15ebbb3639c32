"""Ctrl+Z and Ctrl+Y undo and redo the session's own seat changes, through the services.

Every seat change the TUI makes (picker, unassign, move, swap) goes through the app's History;
undoing into a seat someone else has filled since is refused with the services' sentence.
"""

from __future__ import annotations

import pytest

from kpps_tui.errors import KppsError
from kpps_tui.i18n import _
from kpps_tui.services import assignments
from kpps_tui.services.browse import candidates
from kpps_tui.services.history import Assign, Move, Swap, Unassign
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.app import describe_step
from kpps_tui.tui.screens.picker import CandidatePicker, PickerInput
from kpps_tui.tui.screens.tps_detail import SeatTable, TpsScreen
from kpps_tui.tui.screens.tps_list import TpsListScreen

from .conftest import errors, make_app, notifications, run, seats_on_disk
from .support import other_session


async def open_tps(pilot, code: str, seat: int | None = None) -> TpsScreen:
    app = pilot.app
    await app.push_screen(TpsScreen(app.workspace, code, seat=seat))
    await pilot.pause()
    return app.screen


def said(app, text: str) -> bool:
    return any(text in message for _s, message in notifications(app))


async def test_undo_and_redo_an_unassignment_on_the_tps_screen(workspace, ws_path):
    tps = next(t for t in workspace.tps.values() if t.filled == 7)
    nik = tps.seats[4].nik
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code, seat=4)
        await pilot.press("u")
        await pilot.pause()
        assert 4 not in seats_on_disk(ws_path, tps.code)

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert seats_on_disk(ws_path, tps.code)[4] == nik
        step = Unassign(tps.code, 4, nik)
        assert said(app, _("Undone: {change}.").format(change=describe_step(workspace, step)))
        assert app.screen.query_one(SeatTable).get_row_at(3)[1].plain == workspace.people[nik].name

        await pilot.press("ctrl+y")
        await pilot.pause()
        assert 4 not in seats_on_disk(ws_path, tps.code)
        assert said(app, _("Redone: {change}.").format(change=describe_step(workspace, step)))

        await pilot.press("ctrl+y")  # nothing left to redo
        await pilot.pause()
        assert said(app, _("Nothing to redo."))
        assert 4 not in seats_on_disk(ws_path, tps.code)
    # The log tells the whole story: unassign, assign (the undo), unassign (the redo).
    actions = [line.split('"action":"')[1].split('"')[0] for line in (ws_path / "audit" / "log.jsonl").read_text().splitlines()]
    assert actions == ["anchor", "unassign", "assign", "unassign"]  # after the anchor of the new workspace


async def test_an_assignment_in_the_picker_is_undone_from_the_tps_list(workspace, ws_path):
    tps = next(t for t in workspace.tps.values() if 0 < t.filled < 7)
    seat = min(set(range(1, 8)) - set(tps.seats))
    person = next(c.person for c in candidates(workspace, tps) if c.eligible)
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code, seat=seat)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CandidatePicker)
        app.screen.query_one(PickerInput).value = person.nik
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert seats_on_disk(ws_path, tps.code)[seat] == person.nik
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert seat not in seats_on_disk(ws_path, tps.code)
        assert said(app, _("Undone: {change}.").format(change=describe_step(workspace, Assign(tps.code, seat, person.nik))))
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert said(app, _("Nothing to undo: this session has not changed a seat yet."))


async def test_move_and_swap_are_undone_in_reverse_order(workspace, ws_path):
    tps = next(t for t in workspace.tps.values() if 1 in t.seats and 2 in t.seats and t.filled < 7)
    empty = max(set(range(1, 8)) - set(tps.seats))
    start = seats_on_disk(ws_path, tps.code)
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code, seat=1)
        await pilot.press("m", str(empty))  # seat 1 to the empty seat
        await pilot.pause()
        app.screen.query_one(SeatTable).move_cursor(row=1)
        await pilot.press("s", str(empty))  # then swap seat 2 with that seat
        await pilot.pause()
        after = seats_on_disk(ws_path, tps.code)
        assert after[2] == start[1] and after[empty] == start[2]
        assert [type(s) for s in app.history.done] == [Move, Swap]

        await pilot.press("ctrl+z")
        await pilot.pause()
        moved = dict(start)
        moved[empty] = moved.pop(1)
        assert seats_on_disk(ws_path, tps.code) == moved
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert seats_on_disk(ws_path, tps.code) == start
        await pilot.press("ctrl+y", "ctrl+y")
        await pilot.pause()
        assert seats_on_disk(ws_path, tps.code) == after


async def test_undo_into_a_seat_someone_else_filled_since_is_refused(workspace, ws_path):
    tps = next(t for t in workspace.tps.values() if t.filled == 7)
    nik = tps.seats[3].nik
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code, seat=3)
        await pilot.press("u")
        await pilot.pause()

        other = other_session(ws_path, user="sari")
        newcomer = next(c.person for c in candidates(other, other.tps[tps.code]) if c.eligible)
        assignments.assign(other, tps.code, 3, newcomer.nik)

        await pilot.press("ctrl+z")
        await pilot.pause()
        with pytest.raises(KppsError) as refused:
            Unassign(tps.code, 3, nik).undo(Workspace.open(ws_path))
        assert any(str(refused.value) in text for text in errors(app))
        assert seats_on_disk(ws_path, tps.code)[3] == newcomer.nik
        assert app.history.done == [Unassign(tps.code, 3, nik)]  # kept, as it was
        assert app.history.undone == []
        # The screen shows the seat as it is now.
        assert app.screen.query_one(SeatTable).get_row_at(2)[1].plain == newcomer.name
