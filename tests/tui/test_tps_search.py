"""Finding a TPS: desa and number together ("sulung 3") in the list and in the palette, and a
digit typed on the table starts the search."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input

from kpps_tui.services.browse import TpsFilter, filter_rows, tps_rows
from kpps_tui.tui.screens.tps_detail import TpsScreen
from kpps_tui.tui.screens.tps_list import TpsTable

from .conftest import make_app, run


def a_desa_with_tps_3(workspace) -> tuple[str, str]:
    """(a word of the desa's name as typed, the code of its TPS 003)."""
    row = next(r for r in tps_rows(workspace) if r.number == 3)
    return row.desa.split()[0].lower(), row.code


def test_desa_and_number_together_find_one_tps(workspace):
    word, code = a_desa_with_tps_3(workspace)
    for typed in (f"{word} 3", f"{word} 003", f"{word} tps 3"):
        found = filter_rows(tps_rows(workspace), TpsFilter(text=typed))
        assert code in [r.code for r in found], typed
        assert all(r.number == 3 and word in r.desa.lower() for r in found), typed


async def test_a_digit_typed_on_the_table_starts_the_search(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        app.screen.query_one(TpsTable).focus()
        await pilot.press("7")
        await pilot.pause()
        search = app.screen.query_one("#search", Input)
        assert search.has_focus and search.value == "7"
        assert app.screen.shown and all("7" in f"{r.number:03d}" for r in app.screen.shown)


async def test_the_palette_finds_a_tps_by_desa_and_number_and_opens_it(workspace):
    word, code = a_desa_with_tps_3(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        await pilot.press(*f"{word} 003")
        await pilot.pause(0.5)
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen) and app.screen.code == code
