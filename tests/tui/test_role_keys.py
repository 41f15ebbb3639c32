"""A viewer's screens: the keys that change the workspace are not in the footer, and pressing
one says why in one sentence and changes nothing (the services refuse too: tests/test_roles.py)."""

from __future__ import annotations

from kpps_tui.services import users
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.screens.tps_detail import TpsScreen
from kpps_tui.tui.screens.tps_list import TpsListScreen

from .conftest import make_app, notifications, run


def _as_viewer(ws: Workspace) -> Workspace:
    users.add_user(ws, "keeper", "admin")
    users.add_user(ws, ws.user, "viewer")
    return Workspace.open(ws.root)


def _said(app) -> list[str]:
    return [text for _severity, text in notifications(app)]


async def test_a_viewer_sees_no_write_keys_and_a_pressed_one_says_why(workspace):
    ws = _as_viewer(workspace)
    app = make_app(ws)
    async with run(app) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TpsListScreen)
        assert screen.check_action("propose", ()) is False
        assert screen.check_action("cycle_sort", ()) is True
        assert "p" not in {b.binding.key for b in app.active_bindings.values() if b.enabled}
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)
        why = users.refusal(ws)
        assert why is not None and _said(app)[-1] == why
        code = next(row.code for row in screen.shown if row.filled)
        before = dict(ws.tps[code].seats)
        app.push_screen(TpsScreen(ws, code))
        await pilot.pause()
        assert app.screen.check_action("unassign", ()) is False
        assert app.screen.check_action("declare", ("terverifikasi",)) is False
        await pilot.press("u")
        await pilot.press("v")
        await pilot.pause()
        assert _said(app)[-2:] == [why, why] and len(_said(app)) >= 2  # u and v, each said once
        assert "enter" not in {b.binding.key for b in app.active_bindings.values() if b.enabled}
        said = len(_said(app))
        await pilot.press("enter")  # Enter seats someone: refused with the same sentence, no picker
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen) and _said(app)[said:] == [why]
        assert dict(Workspace.open(ws.root).tps[code].seats) == before


async def test_an_admin_keeps_every_key(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.pause()
        assert app.screen.check_action("propose", ()) is True
