"""Help (? / F1) and the command palette (Ctrl+P) show the current screen's actions; keys have ids."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Static

from kpps_tui.i18n import _
from kpps_tui.services.browse import next_not_full, tps_rows
from kpps_tui.tui.app import KppsApp
from kpps_tui.tui.screens.base import KppsModal
from kpps_tui.tui.screens.help import HelpScreen
from kpps_tui.tui.screens.picker import CandidatePicker, CandidateTable, PickerInput
from kpps_tui.tui.screens.seat_choice import SeatChoice
from kpps_tui.tui.screens.tps_detail import SeatTable, TpsScreen
from kpps_tui.tui.screens.tps_list import TpsListScreen, TpsSearch, TpsTable

from .conftest import make_app, run


def help_text(app) -> str:
    assert isinstance(app.screen, HelpScreen)
    return "\n".join(str(static.render()) for static in app.screen.query(Static))


async def test_help_lists_the_keys_of_the_screen_it_was_opened_on(workspace):
    app = make_app(workspace)
    full = next(r for r in tps_rows(workspace) if r.filled == 7)
    async with run(app) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app)
        for words in ("Open", "Search", "Sort", "Reverse order", "Next not full", "Clear filters", "Quit"):
            assert _(words) in text
        assert _("Unassign") not in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)

        # From the search box, F1 still lists the letter keys of the screen.
        await pilot.press("slash", "f1")
        await pilot.pause()
        assert _("Sort") in help_text(app)
        await pilot.press("f1")  # F1 again closes it
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)

        app.screen.query_one(TpsTable).focus()
        app.screen.query_one(TpsTable).show_key(full.code)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app)
        for words in ("Assign", "Unassign", "Move", "Swap", "Next not full", "Back"):
            assert _(words) in text
        assert "u del" in text  # every key of an action is listed
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)


async def test_help_opens_inside_the_candidate_picker(workspace):
    app = make_app(workspace)
    index = next(i for i, r in enumerate(tps_rows(workspace)) if r.filled < 7)
    async with run(app) as pilot:
        app.screen.query_one(TpsTable).move_cursor(row=index)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CandidatePicker)
        await pilot.press("f1")
        await pilot.pause()
        text = help_text(app)
        assert _("Assign") in text and _("Cancel") in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CandidatePicker)


async def test_the_palette_runs_an_action_of_the_current_screen(workspace):
    app = make_app(workspace)
    full = next(r for r in tps_rows(workspace) if r.filled == 7)
    async with run(app) as pilot:
        table = app.screen.query_one(TpsTable)
        table.show_key(full.code)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*_("Next not full").lower())
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, TpsScreen)
        assert app.screen.code == next_not_full(workspace, full.code)


@pytest.mark.parametrize(
    "cls",
    [KppsApp, TpsListScreen, TpsTable, TpsSearch, TpsScreen, SeatTable, CandidatePicker, CandidateTable, PickerInput,
     SeatChoice, HelpScreen, KppsModal],
)
def test_every_binding_has_an_id_and_a_description(cls):
    for binding in cls.BINDINGS:
        assert binding.id and binding.id.startswith("kpps."), binding
        assert binding.description, binding


async def test_a_key_can_be_remapped_by_its_binding_id(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        app.set_keymap({"kpps.list.next_not_full": "j"})
        await pilot.press("j")
        await pilot.pause()
        table = app.screen.query_one(TpsTable)
        assert table.cursor_row == next(i for i, r in enumerate(tps_rows(workspace)) if r.filled < 7)
