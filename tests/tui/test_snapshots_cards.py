"""Screenshots of the ID cards screen, a card's preview and the verify screen at 80x24, in
Indonesian and English. Dates are fixed inside the cards' validity; the key and codes are fixed."""

from __future__ import annotations

from pathlib import Path


from cards_support import card_ready_tps

from textual.widgets import Input

from kpps_tui.cards import codes
from kpps_tui.tui.screens.card_printing import CardsScreen
from kpps_tui.tui.screens.verify import VerifyScreen

from .conftest import BOTH_LANGUAGES, make_app
from .test_cards_screen import DURING_WORK, fixed_cards, no_print_command, push

UI_LANGUAGES = BOTH_LANGUAGES  # the English interface is exercised too



SNAPSHOT_FOLDER = Path("/srv/kpps/kobar-cards")  # shown, never written: nothing is generated here


def test_cards_screen_snapshot(snap_compare, workspace):
    tps = card_ready_tps(workspace, full=False)
    no_print_command(workspace)

    async def open_screen(pilot):
        await push(pilot, CardsScreen(workspace, "desa", tps.desa_code, today=DURING_WORK, folder=SNAPSHOT_FOLDER))

    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=open_screen)


def test_card_preview_snapshot(snap_compare, workspace):
    tps = card_ready_tps(workspace)
    fixed_cards(workspace, tps.code)

    async def open_preview(pilot):
        await push(pilot, CardsScreen(workspace, "tps", tps.code, today=DURING_WORK, folder=SNAPSHOT_FOLDER))
        await pilot.press("v")
        await pilot.pause()

    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=open_preview)


def test_verify_screen_snapshot(snap_compare, workspace):
    tps = card_ready_tps(workspace)
    fixed_cards(workspace, tps.code)
    code = codes.display(codes.make_code(2, "KPS"))

    async def check(pilot):
        screen = await push(pilot, VerifyScreen(workspace, today=DURING_WORK))
        screen.query_one(Input).value = code
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=check)
