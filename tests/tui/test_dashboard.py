"""The ringkasan screen: the first screen, drilled down by Enter to the TPS list of a desa, back
up by Esc, redrawn within a poll when another session writes; screenshots in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from kpps_tui.i18n import set_language
from kpps_tui.services import assignments
from kpps_tui.services.status import Level
from kpps_tui.tui.screens.dashboard import DashboardScreen
from kpps_tui.tui.screens.dashboard_parts import BurnUpChart, ScheduleView, StatusTable, bar
from kpps_tui.tui.screens.tps_list import TpsListScreen, TpsTable

from .conftest import make_app, run
from .support import other_session

DEMO_DAY = date(2024, 10, 24)  # two weeks before penetapan, as the sample tells it


def dashboard_app(workspace, **kwargs):
    return make_app(workspace, start="dashboard", today=lambda: DEMO_DAY, **kwargs)


def test_a_bar_shows_progress_in_characters_not_colour():
    assert bar(0, 10, 10) == "░" * 10
    assert bar(10, 10, 10) == "█" * 10
    assert bar(5, 10, 10) == "█" * 5 + "░" * 5
    assert bar(1, 3, 6) == "██" + "░" * 4
    assert bar(3, 0, 4) == "░" * 4  # nothing needed: nothing to show as done


async def test_the_ringkasan_is_the_first_screen_and_the_tps_list_one_key_away(workspace):
    app = make_app(workspace, start="dashboard", today=lambda: DEMO_DAY)
    async with run(app) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.level is Level.KECAMATAN  # one kabupaten: its kecamatan first
        assert app.screen.query_one(StatusTable).row_count == len(workspace.kecamatan_codes())
        await pilot.press("t")
        assert isinstance(app.screen, TpsListScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_enter_drills_down_to_the_tps_list_of_a_desa_and_esc_comes_back_up(workspace):
    app = dashboard_app(workspace)
    async with run(app) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(StatusTable)
        await pilot.press("down", "enter")
        kecamatan = workspace.kecamatan_codes()[1]
        assert screen.scope == kecamatan and screen.level is Level.DESA
        assert [r.code for r in table.rows] == workspace.desa_codes(kecamatan)
        desa = table.rows[0].code
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)
        shown = app.screen.query_one(TpsTable).rows
        assert shown and {r.desa_code for r in shown} == {desa}
        assert len(shown) == sum(1 for t in workspace.tps.values() if t.desa_code == desa)
        await pilot.press("escape")
        assert app.screen is screen and screen.level is Level.DESA
        await pilot.press("escape")
        assert screen.scope == "" and table.cursor_key() == kecamatan  # back on the row it came from


async def test_g_shows_the_chart_and_j_the_whole_schedule_at_80x24(workspace):
    app = dashboard_app(workspace)
    async with run(app) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        chart = app.screen.query_one(BurnUpChart)
        assert chart.display and not app.screen.query_one(StatusTable).display
        assert "▒" in str(chart.render()) and "┊" in str(chart.render())
        await pilot.press("j")
        await pilot.pause()
        schedule = str(app.screen.query_one(ScheduleView).render())
        assert schedule.count("\n") >= 10  # the timeline and every stage
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(StatusTable).display


async def test_another_sessions_write_shows_at_the_next_poll(ws_path, workspace, pick):
    app = dashboard_app(workspace, poll_seconds=60)
    async with run(app) as pilot:
        await pilot.pause()
        board = app.screen.board
        before = board.figures("62.01.03").seats_filled
        theirs = other_session(ws_path)
        tps = pick(theirs).tps_with_empty_seats(kecamatan="62.01.03")
        assignments.assign(theirs, tps.code, pick(theirs).empty_seats(tps)[0], pick(theirs).free_people(tps)[0].nik)
        app.poll_workspace()
        await pilot.pause()
        assert board.figures("62.01.03").seats_filled == before + 1
        table = app.screen.query_one(StatusTable)
        row = next(i for i, r in enumerate(table.rows) if r.code == "62.01.03")
        assert f"{before + 1}/245" in [cell.plain for cell in table.get_row_at(row)]


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("id", id="lang-id"), pytest.param("en", id="lang-en")]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_dashboard(snap_compare, workspace, size, lang):
    set_language(lang)  # the fixture sets the language back afterwards
    assert snap_compare(dashboard_app(workspace), terminal_size=size)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dashboard_chart(snap_compare, workspace, lang):
    set_language(lang)
    assert snap_compare(dashboard_app(workspace), terminal_size=(80, 24), press=["g"])
