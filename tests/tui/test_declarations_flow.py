"""Declarations: a refused change is said before a reason is typed, with the key that comes first;
a refusal's title is not the word of a state; a bulk change leaves no marks on rows moved away."""

from __future__ import annotations

from kpps_tui.domain.declarations import DeclKind, DeclState
from kpps_tui.i18n import _
from kpps_tui.services.declarations import officers
from kpps_tui.tui.screens.declarations import DeclarationsScreen, DeclarationTable
from kpps_tui.tui.screens.dialogs import FormPrompt

from .conftest import make_app, notifications, run
from .support import statement_on_disk
from .test_declarations_screen import open_declarations, point_at


def not_handed_in(workspace, skip: int = 0) -> str:
    return [o.person.nik for o in officers(workspace) if o.state is DeclState.NOT_HANDED_IN][skip]


async def test_rejecting_a_declaration_not_handed_in_says_so_before_asking_why(workspace, ws_path):
    nik = not_handed_in(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_declarations(pilot)
        await point_at(pilot, nik)
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, FormPrompt)  # no reason asked for a change refused
        said = [text for _severity, text in notifications(app)]
        assert len(said) == 1
        assert _("Press {key} first.").format(key="h") in said[0]
        assert DeclState.HANDED_IN.label in said[0]
        await pilot.press("v")
        await pilot.pause()
        said = [text for _severity, text in notifications(app)]
        assert len(said) == 2 and _("Press {key} first.").format(key="h") in said[1]
    assert statement_on_disk(ws_path, nik)["state"] == "belum"


async def test_a_refusal_is_not_titled_with_the_word_of_a_state(workspace):
    states = {state.label for state in DeclState}
    for title in (_("Refused"), _("Not changed")):
        assert title not in states, title


async def test_a_bulk_change_clears_the_marks(workspace, ws_path):
    first, second = not_handed_in(workspace), not_handed_in(workspace, 1)
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_declarations(pilot)
        screen.marked = {first, second}
        screen.query_one(DeclarationTable).focus()
        await pilot.press("h")
        await pilot.pause()
        assert screen.marked == set()
        assert isinstance(app.screen, DeclarationsScreen)
    assert {statement_on_disk(ws_path, n)["state"] for n in (first, second)} == {"diserahkan"}
    assert DeclKind.STATEMENT.label  # the kind the screen opened on
