"""The footer builds its keys again at every screen change; the keys it drops must go (Textual
keeps them bound to the footer otherwise: a long session grows, and the collector's full passes
with it)."""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey

from kpps_tui.tui.screens.help import HelpScreen

from .conftest import make_app, run


def _dropped_keys() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, FooterKey) and not o.is_attached)


async def test_screens_opened_and_closed_leave_no_footer_keys_behind(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.pause()
        for _ in range(6):
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
        keys_on_screen = len(app.screen.query(FooterKey))
        assert keys_on_screen > 3
        assert _dropped_keys() < keys_on_screen  # without the fix: 12 rebuilds, about eighty keys
