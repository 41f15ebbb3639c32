"""The ringkasan drawn before the applicants are read (as `kpps` opens it: the TPS files first,
the people files in a thread after the first paint): the figures that need them wait with "…",
a key that opens another screen waits for them, and a damaged people file still stops the
program with the sentence the opening would have said."""

from __future__ import annotations

import threading
from datetime import date

from kpps_tui.errors import KppsError
from kpps_tui.i18n import _
from kpps_tui.services import assignments
from kpps_tui.services.recovery import open_workspace
from kpps_tui.store import backups
from kpps_tui.tui.screens.dashboard_parts import NOT_YET, READING, RegionSummary, ScheduleView, StatusTable
from kpps_tui.tui.screens.tps_list import TpsListScreen

from .conftest import make_app, run
from .support import other_session

DEMO_DAY = date(2024, 10, 24)


def deferred(ws_path, hold: threading.Event | None = None):
    """The workspace as `kpps` opens it for the interface; with `hold`, its people files are
    read only once the event is set."""
    ws = open_workspace(ws_path, defer_people=True)
    if hold is not None:
        read = ws.read_people

        def held_read() -> None:
            assert hold.wait(30)
            read()

        setattr(ws, "read_people", held_read)  # this session only
    return ws


def shown(app) -> tuple[list[list[str]], str, str]:
    table = app.screen.query_one(StatusTable)
    rows = [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]
    return rows, str(app.screen.query_one(RegionSummary).render()), str(app.screen.query_one(ScheduleView).render())


async def read_people(app, pilot) -> None:
    await app.workers.wait_for_complete([w for w in app.workers if w.name == "read-people"])
    await pilot.pause()


async def whole_screen(ws_path):
    app = make_app(open_workspace(ws_path), start="dashboard", today=lambda: DEMO_DAY)
    async with run(app) as pilot:
        await pilot.pause()
        return shown(app)


async def test_the_first_screen_shows_the_seats_and_the_rest_once_the_applicants_are_read(ws_path):
    expected = await whole_screen(ws_path)
    hold = threading.Event()
    ws = deferred(ws_path, hold)
    app = make_app(ws, start="dashboard", today=lambda: DEMO_DAY)
    async with run(app) as pilot:
        await pilot.pause()
        taken = len(backups.snapshots(ws_path))  # the whole screen's session took one
        rows, summary, schedule = shown(app)
        assert not ws.people_ready
        assert len(rows) == len(expected[0])
        for row, whole in zip(rows, expected[0]):  # every kecamatan, its seats and forecast
            assert NOT_YET in row
            assert [c for c in row if c != NOT_YET] == [c for c, d in zip(whole, row) if d != NOT_YET]
        assert summary.splitlines()[0] == expected[1].splitlines()[0]  # seats filled
        assert _(READING) in summary and _(READING) in schedule
        await pilot.press("down", "up")  # moves do not wait for the applicants
        assert not ws.people_ready and len(backups.snapshots(ws_path)) == taken
        hold.set()
        await read_people(app, pilot)
        assert ws.people_ready
        assert shown(app) == expected
        await app.workers.wait_for_complete()
        assert len(backups.snapshots(ws_path)) == taken + 1  # once they are in


async def test_a_key_that_opens_another_screen_waits_for_the_applicants(ws_path):
    hold = threading.Event()
    ws = deferred(ws_path, hold)
    app = make_app(ws, start="dashboard", today=lambda: DEMO_DAY)
    async with run(app) as pilot:
        await pilot.pause()
        threading.Timer(0.2, hold.set).start()
        await pilot.press("t")
        await pilot.pause()
        assert ws.people_ready
        assert isinstance(app.screen, TpsListScreen)
        await read_people(app, pilot)
        assert app.return_code is None and app.failure is None


async def test_another_sessions_batch_before_the_read_is_whole_on_screen(ws_path, pick):
    """Written after the TPS were read and before the people were: the read's refresh brings the
    TPS up to it, as a poll would, and the poll waited meanwhile."""
    hold = threading.Event()
    ws = deferred(ws_path, hold)
    app = make_app(ws, start="dashboard", today=lambda: DEMO_DAY, poll_seconds=60)
    async with run(app) as pilot:
        await pilot.pause()
        theirs = other_session(ws_path)
        p = pick(theirs)
        tps = p.tps_with_empty_seats(kecamatan="62.01.03")
        assignments.assign(theirs, tps.code, p.empty_seats(tps)[0], p.free_people(tps)[0].nik)
        app.poll_workspace()  # waits for the read
        assert not ws.people_ready
        hold.set()
        await read_people(app, pilot)
        assert ws.tps[tps.code].seats == theirs.tps[tps.code].seats
        assert shown(app) == await whole_screen(ws_path)


async def test_a_damaged_people_file_stops_the_program_with_the_openings_sentence(ws_path):
    backups.take_snapshot(ws_path, "manual")
    path = ws_path / "people" / "62.01.03.json"
    path.write_bytes(path.read_bytes()[:1000])
    damaged = path.read_bytes()
    try:
        open_workspace(ws_path)
    except KppsError as exc:
        sentence = str(exc)
    app = make_app(deferred(ws_path), start="dashboard", today=lambda: DEMO_DAY)
    async with run(app) as pilot:
        await pilot.pause()
        await read_people(app, pilot)
    assert app.return_code == 1
    assert str(app.failure) == sentence and "restore" in sentence
    assert path.read_bytes() == damaged
