"""What the TPS screen says: another session's change is named, `d` opens the declarations of
the TPS on screen, and the TPS's code is shown."""

from __future__ import annotations

from kpps_tui.i18n import _
from kpps_tui.services import assignments
from kpps_tui.tui.screens.declarations import DeclarationsScreen, DeclarationTable
from kpps_tui.tui.screens.tps_detail import TpsScreen

from .conftest import BOTH_LANGUAGES, make_app, notifications, run
from .support import other_session, screen_text

UI_LANGUAGES = BOTH_LANGUAGES  # the picker's flow in English too


async def test_another_sessions_change_to_the_tps_on_screen_is_named(workspace, ws_path, pick):
    p = pick(workspace)
    tps = p.tps_with_empty_seats()
    app = make_app(workspace)
    async with run(app) as pilot:
        app.push_screen(TpsScreen(workspace, tps.code))
        await pilot.pause()
        assignments.assign(other_session(ws_path, "sari"), tps.code, p.empty_seats(tps)[0], p.free_people(tps)[0].nik)
        app.poll_workspace()
        await pilot.pause()
        expected = _("{tps} was changed by {user}.").format(tps=workspace.tps_label(workspace.tps[tps.code]), user="sari")
        assert any(expected in text for _severity, text in notifications(app))


async def test_d_on_a_tps_opens_its_declarations_and_the_code_is_shown(workspace, pick):
    tps = pick(workspace).partly_filled_tps()
    app = make_app(workspace)
    async with run(app) as pilot:
        app.push_screen(TpsScreen(workspace, tps.code))
        await pilot.pause()
        assert tps.code in screen_text(app)
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DeclarationsScreen)
        shown = screen.query_one(DeclarationTable).keys()
        assert sorted(shown) == sorted(s.nik for s in tps.seats.values())
