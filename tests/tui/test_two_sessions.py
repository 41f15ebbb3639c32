"""Two coordinators at once: two apps on two Workspace objects over one folder, in one test.

A change in one shows in the other at its next poll (the 1-second interval; the tests call the
poll directly rather than wait for it); both pressing Enter on the
same empty seat leaves exactly one winner on disk and a refusal naming the winner in the other.
Also: each session takes a snapshot when it opens, in the background.
"""

from __future__ import annotations

import asyncio
from contextlib import contextmanager
from datetime import date

from textual._context import active_app
from textual.widgets._header import HeaderTitle
from tinydb import TinyDB

from kpps_tui.i18n import _
from kpps_tui.services.browse import candidates
from kpps_tui.services.settings import set_election_setting
from kpps_tui.store import backups
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.screens.picker import CandidatePicker, PickerInput
from kpps_tui.tui.screens.tps_detail import SeatTable, TpsScreen
from kpps_tui.tui.screens.tps_list import TpsListScreen

from .conftest import errors, make_app, notifications, run, seats_on_disk
from .support import other_session


@contextmanager
def acting_on(app):
    """Textual finds "the app" in a context variable; with two apps in one test, code run
    from the test itself (not from a key press) must say which app it acts on."""
    token = active_app.set(app)
    try:
        yield
    finally:
        active_app.reset(token)


async def open_tps(pilot, code: str, seat: int) -> TpsScreen:
    app = pilot.app
    with acting_on(app):
        await app.push_screen(TpsScreen(app.workspace, code, seat=seat))
    await pilot.pause()
    return app.screen


def seat_name(app, seat: int) -> str:
    return app.screen.query_one(SeatTable).get_row_at(seat - 1)[1].plain


async def test_a_change_in_one_session_shows_in_the_other_at_its_next_poll(ws_path):
    mine, theirs = Workspace.open(ws_path), other_session(ws_path, "sari")
    tps = next(t for t in mine.tps.values() if t.filled == 7)
    app_a, app_b = make_app(mine), make_app(theirs)
    async with run(app_a) as pilot_a, run(app_b) as pilot_b:
        await open_tps(pilot_a, tps.code, 3)
        await open_tps(pilot_b, tps.code, 3)
        assert seat_name(app_b, 3) == mine.people[tps.seats[3].nik].name
        await pilot_a.press("u")
        await pilot_a.pause()
        assert 3 not in seats_on_disk(ws_path, tps.code)
        with acting_on(app_b):
            app_b.poll_workspace()
        await pilot_b.pause()
        assert seat_name(app_b, 3) == _("(empty)")


async def test_both_press_enter_on_the_same_empty_seat_one_wins_one_is_told_who(ws_path):
    mine, theirs = Workspace.open(ws_path), other_session(ws_path, "sari")
    tps = next(t for t in mine.tps.values() if 0 < t.filled < 7)
    seat = min(set(range(1, 8)) - set(tps.seats))
    first, second = [c.person for c in candidates(mine, tps) if c.eligible][:2]
    # Neither session hears of the other before the key is pressed.
    app_a, app_b = make_app(mine, poll_seconds=60), make_app(theirs, poll_seconds=60)
    async with run(app_a) as pilot_a, run(app_b) as pilot_b:
        for pilot, person in ((pilot_a, first), (pilot_b, second)):
            await open_tps(pilot, tps.code, seat)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(pilot.app.screen, CandidatePicker)
            with acting_on(pilot.app):
                pilot.app.screen.query_one(PickerInput).value = person.nik
            await pilot.pause()

        await asyncio.gather(pilot_a.press("enter"), pilot_b.press("enter"))
        await pilot_a.pause()
        await pilot_b.pause()

        winner_nik = seats_on_disk(ws_path, tps.code)[seat]
        assert winner_nik in (first.nik, second.nik)
        won, lost = (app_a, app_b) if winner_nik == first.nik else (app_b, app_a)
        winner = won.workspace.people[winner_nik]
        assert isinstance(won.screen, TpsScreen) and not errors(won)
        # The loser's picker closes (the seat is no longer empty), saying once who took it.
        assert isinstance(lost.screen, TpsScreen)
        [refusal] = errors(lost)
        assert winner.name in refusal and won.workspace.user in refusal
        assert lost.history.done == [] and len(won.history.done) == 1
        assert seat_name(lost, seat) == winner.name  # the seat as it now is
    placed = [nik for nik in (first.nik, second.nik) if nik in seats_on_disk(ws_path, tps.code).values()]
    assert placed == [winner_nik]  # exactly one, on exactly one seat


async def test_a_snapshot_is_taken_when_the_session_opens(workspace, ws_path):
    app = make_app(workspace)
    async with run(app) as pilot:
        assert isinstance(app.screen, TpsListScreen)  # the first screen does not wait for it
        await app.workers.wait_for_complete()
        await pilot.pause()
        [snap] = backups.snapshots(ws_path)
        assert snap.reason == "session"
        with TinyDB(snap.path / "workspace.json", access_mode="r") as db:
            assert db.table("meta").get(doc_id=1)["schema_version"]
        assert not any(not_taken() in text for _s, text in notifications(app))


def not_taken() -> str:
    """The start of the warning, before the system's own words for the error."""
    return _(
        "The snapshot of the workspace at the start of this session could not be taken: {error}. "
        "Work goes on; `kpps backup` takes one by hand."
    ).split("{error}")[0]


async def test_a_snapshot_that_fails_is_a_warning_not_a_crash(workspace, ws_path):
    (ws_path / "backups").write_text("in the way")  # a file where the snapshots folder goes
    app = make_app(workspace)
    async with run(app) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [severity for severity, text in notifications(app) if not_taken() in text] == ["warning"]
        assert isinstance(app.screen, TpsListScreen)
        await pilot.press("enter")  # and work goes on
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)


def header_line(app) -> str:
    """The header's title line as drawn."""
    return str(app.screen.query_one(HeaderTitle).render())


async def test_the_header_follows_the_card_period_another_session_sets(ws_path):
    mine, theirs = Workspace.open(ws_path), other_session(ws_path, "root")
    name = mine.election.name
    past = _("{name} (past)").format(name=name)
    app = make_app(mine, today=lambda: date(2026, 12, 2))  # the sample's cards ended in 2024
    async with run(app) as pilot:
        await pilot.pause()
        assert past in header_line(app)
        set_election_setting(theirs, "cards_valid_until", "2027-01-31")
        with acting_on(app):
            app.poll_workspace()
        await pilot.pause()
        assert name in header_line(app) and past not in header_line(app)
        set_election_setting(theirs, "cards_valid_until", "2024-12-08")  # and back: past again
        with acting_on(app):
            app.poll_workspace()
        await pilot.pause()
        assert past in header_line(app)
