"""Words Textual writes itself (the palette's 'no match', an open list's Escape key) are shown in
the language of the interface."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Select

from kpps_tui.i18n import _

from .conftest import make_app, run


async def test_the_palette_says_no_match_in_the_interface_language(workspace) -> None:
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        await pilot.press(*"qqqzzz")
        await pilot.pause(0.8)  # the palette waits half a second before it says so
        await pilot.pause()
        options = app.screen.query_one("CommandList")
        words = [str(options.get_option_at_index(i).prompt.renderable) for i in range(options.option_count)]
        assert any(_("No action matches.") in w for w in words), words
        assert not any("No matches found" in w for w in words)


async def test_an_open_list_names_its_escape_key_in_the_interface_language(workspace) -> None:
    app = make_app(workspace)
    async with run(app) as pilot:
        select = app.screen.query(Select).first()
        select.focus()
        await pilot.press("enter")  # open the list
        await pilot.pause()
        assert select.expanded
        words = [b.binding.description for b in app.active_bindings.values()]
        assert _("Close the list") in words and "Dismiss menu" not in words, words
