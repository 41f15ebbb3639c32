"""The global keys and the palette reach the declarations and audit log screens; every new
binding has an id and a description; the help lists the declaration keys."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from kpps_tui.i18n import _
from kpps_tui.tui.screens.audit_log import AuditLogScreen, LogFilterInput, LogTable
from kpps_tui.tui.screens.declarations import DeclarationSearch, DeclarationsScreen, DeclarationTable
from kpps_tui.tui.screens.dialogs import FormPrompt, ReportModal
from kpps_tui.tui.screens.help import HelpScreen
from kpps_tui.tui.screens.tps_detail import TpsScreen
from kpps_tui.tui.screens.tps_list import TpsListScreen

from .conftest import make_app, run
from .support import screen_text


@pytest.mark.parametrize(
    "cls",
    [DeclarationsScreen, DeclarationTable, DeclarationSearch, AuditLogScreen, LogTable, LogFilterInput, FormPrompt,
     ReportModal, TpsScreen],
)
def test_every_new_binding_has_an_id_and_a_description(cls):
    for binding in cls.BINDINGS:
        assert binding.id and binding.id.startswith("kpps."), binding
        assert binding.description, binding


async def test_d_and_l_open_the_screens_from_anywhere_without_piling_them_up(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DeclarationsScreen)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, AuditLogScreen)
        await pilot.press("d")  # back down to the declarations screen already open
        await pilot.pause()
        assert isinstance(app.screen, DeclarationsScreen)
        assert [type(s) for s in app.screen_stack] == [TpsListScreen, DeclarationsScreen]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)


async def test_the_palette_opens_the_audit_log(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*_("Audit log").lower())
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, AuditLogScreen)


async def test_the_help_lists_the_declaration_keys_and_undo(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("d", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("Handed in", "Verify", "Reject", "Not handed in", "Clear the SIPOL flag", "Select all shown",
                      "Export", "Show the full NIK", "Undo", "Redo", "Audit log"):
            assert _(words) in text, words
        assert "^z" in text and "^y" in text
