"""The TPS screen shows each seat's Surat Pernyataan as a word, SIPOL when flagged, and changes
it with the same keys as the declarations screen."""

from __future__ import annotations

from kpps_tui.domain.declarations import DeclState
from kpps_tui.i18n import _
from kpps_tui.services import declarations
from kpps_tui.tui.screens.declaring import short_state
from kpps_tui.tui.screens.dialogs import FormPrompt
from kpps_tui.tui.screens.tps_detail import SeatTable, TpsScreen

from .conftest import errors, make_app, notifications, run
from .support import cells, statement_on_disk

DECLARATION, WARNINGS = 6, 5


async def open_tps(pilot, code: str, seat: int | None = None) -> TpsScreen:
    app = pilot.app
    await app.push_screen(TpsScreen(app.workspace, code, seat=seat))
    await pilot.pause()
    assert isinstance(app.screen, TpsScreen)
    return app.screen


def varied_tps(ws):
    """A full TPS whose officers' declarations are in at least three states."""
    return next(
        t for t in ws.tps.values()
        if t.filled == 7 and len({ws.people[s.nik].neutrality.statement.state for s in t.seats.values()}) >= 3
    )


async def test_each_seat_shows_its_declaration_in_a_word_at_80_columns(workspace):
    tps = varied_tps(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_tps(pilot, tps.code)
        rows = cells(screen.query_one(SeatTable))
        for seat, row in enumerate(rows, 1):
            state = workspace.people[tps.seats[seat].nik].neutrality.statement.state
            assert row[DECLARATION] == short_state(state)
            assert len(row[DECLARATION]) <= 10  # fits its column: not cut
        # The highlighted officer's declaration in full below the table.
        state = workspace.people[tps.seats[1].nik].neutrality.statement.state
        detail = screen.query_one("#seat-detail").render().plain
        assert f"Surat Pernyataan: {state.label}" in detail


async def test_the_declaration_keys_work_on_the_highlighted_officer(workspace, ws_path):
    tps = varied_tps(workspace)
    seat, nik = next(
        (n, s.nik) for n, s in sorted(tps.seats.items())
        if workspace.people[s.nik].neutrality.statement.state is DeclState.HANDED_IN
    )
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_tps(pilot, tps.code, seat=seat)
        await pilot.press("v")
        await pilot.pause()
        assert statement_on_disk(ws_path, nik)["state"] == "terverifikasi"
        assert cells(screen.query_one(SeatTable))[seat - 1][DECLARATION] == short_state(DeclState.VERIFIED)
        assert screen.current_view().seat == seat  # the cursor stays on the seat
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, FormPrompt)
        await pilot.press(*"palsu", "enter")
        await pilot.pause()
        decl = statement_on_disk(ws_path, nik)
        assert (decl["state"], decl["reason"]) == ("ditolak", "palsu")
        # An empty seat has nobody to change.
        empty_tps = next(t for t in workspace.tps.values() if t.filled < 7)
        screen.code = empty_tps.code
        screen.reload(keep_seat=min(set(range(1, 8)) - set(empty_tps.seats)))
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert any(_("Nobody is chosen: move the cursor to a person first.") in t for _s, t in notifications(app))


async def test_sipol_shows_on_the_seat_and_blocks_verifying(workspace, ws_path):
    tps = varied_tps(workspace)
    seat, nik = next(
        (n, s.nik) for n, s in sorted(tps.seats.items())
        if workspace.people[s.nik].neutrality.statement.state is DeclState.HANDED_IN
    )
    declarations.import_sipol(workspace, {nik: "Partai Contoh"}, "sipol.csv")  # flagged before this session
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_tps(pilot, tps.code, seat=seat)
        row = cells(screen.query_one(SeatTable))[seat - 1]
        assert row[WARNINGS].startswith("SIPOL")
        assert "SIPOL" in screen.query_one("#seat-detail").render().plain
        await pilot.press("v")
        await pilot.pause()
        assert errors(app) and statement_on_disk(ws_path, nik)["state"] == "diserahkan"
