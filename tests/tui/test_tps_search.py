"""Finding a TPS: desa and number together ("sulung 3") in the list and in the palette, and a
digit typed on the table starts the search."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input

from kpps_tui.services.browse import TpsFilter, filter_rows, kept_rows, tps_rows
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


def test_a_name_typed_further_filters_the_rows_shown_and_finds_the_same(workspace):
    """The list narrows what it shows while a name is typed further; that must find exactly what
    filtering every TPS finds, and a number's search is never taken as a narrowing."""
    rows = tps_rows(workspace)
    word, _code = a_desa_with_tps_3(workspace)
    F = TpsFilter
    steps = [F(text=word[:1]), F(text=word[:2]), F(text=" " + word[:3].upper()), F(text=word), F(text=f"{word} 3")]
    steps += [F(text="62"), F(text="62.01"), F(status="not_full", text="a"), F(status="not_full", text="an")]
    for before, after in zip(steps, steps[1:]):
        if after.narrows(before):
            shown = filter_rows(rows, before, sort="desa", reverse=True)
            assert kept_rows(shown, after) == filter_rows(rows, after, sort="desa", reverse=True), (before, after)
    assert F(text="an").narrows(F(text="a"))
    assert not F(text="a").narrows(F(text="an"))  # a character taken back
    assert not F(text="ba").narrows(F(text="a"))
    assert not F(status="full", text="an").narrows(F(text="a"))  # another choice
    assert not F(text="sulung 3").narrows(F(text="sulung"))  # a desa and a number
    assert not F(text="12").narrows(F(text="1")) and not F(text="tps").narrows(F(text="tp"))
    assert [r.code for r in filter_rows(rows, F(text="TP"))] == [r.code for r in rows if "tp" in r.desa.casefold() or "tp" in r.code]


async def test_typing_a_name_further_and_back_shows_what_the_whole_list_would(workspace):
    word, _code = a_desa_with_tps_3(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = app.screen
        await pilot.press("slash", *word[:3])
        await pilot.pause()
        assert screen.shown == filter_rows(screen.rows, TpsFilter(text=word[:3]))
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert screen.shown == filter_rows(screen.rows, TpsFilter(text=word[:1]))
