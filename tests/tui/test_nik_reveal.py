"""NIKs are masked on screen; Ctrl+N shows the highlighted person's NIK in full for a moment,
and every reveal is written to the audit log (UU 27/2022)."""

from __future__ import annotations

from kpps_tui.domain.nik import mask_nik
from kpps_tui.services.audit_log import REVEAL_NIK
from kpps_tui.services.browse import candidates
from kpps_tui.tui.screens import reveal
from kpps_tui.tui.screens.declarations import DeclarationsScreen, DeclarationTable
from kpps_tui.tui.screens.picker import CandidatePicker, CandidateTable, PickerInput
from kpps_tui.tui.screens.tps_detail import TpsScreen

from .conftest import make_app, run
from .support import log_lines


def reveals(ws_path) -> list[dict]:
    return [line for line in log_lines(ws_path) if line["action"] == REVEAL_NIK]


def detail(app, selector: str) -> str:
    return app.screen.query_one(selector).render().plain


async def test_the_tps_screen_reveals_until_the_cursor_moves(workspace, ws_path):
    tps = next(t for t in workspace.tps.values() if t.filled == 7)
    nik = tps.seats[1].nik
    app = make_app(workspace)
    async with run(app) as pilot:
        await app.push_screen(TpsScreen(workspace, tps.code, seat=1))
        await pilot.pause()
        assert nik not in detail(app, "#seat-detail") and mask_nik(nik) in detail(app, "#seat-detail")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert nik in detail(app, "#seat-detail")
        [entry] = reveals(ws_path)
        assert (entry["subject"], entry["user"], entry["session"]) == (nik, workspace.user, workspace.session)
        assert entry["before"] is None and entry["after"] is None
        await pilot.press("down")
        await pilot.pause()
        await pilot.press("up")
        await pilot.pause()
        assert nik not in detail(app, "#seat-detail")  # masked again once the cursor moved


async def test_a_reveal_ends_by_itself(workspace, ws_path, monkeypatch):
    monkeypatch.setattr(reveal, "REVEAL_SECONDS", 0.3)
    tps = next(t for t in workspace.tps.values() if t.filled == 7)
    nik = tps.seats[2].nik
    app = make_app(workspace)
    async with run(app) as pilot:
        await app.push_screen(TpsScreen(workspace, tps.code, seat=2))
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert nik in detail(app, "#seat-detail")
        await pilot.pause(0.6)
        assert nik not in detail(app, "#seat-detail")
    assert len(reveals(ws_path)) == 1


async def test_the_picker_reveals_while_typing(workspace, ws_path):
    tps = next(t for t in workspace.tps.values() if t.filled < 7)
    seat = min(set(range(1, 8)) - set(tps.seats))
    app = make_app(workspace)
    async with run(app, size=(120, 40)) as pilot:
        await app.push_screen(TpsScreen(workspace, tps.code, seat=seat))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CandidatePicker)
        assert picker.focused is picker.query_one(PickerInput)
        first = candidates(workspace, tps)[0].person.nik
        table = picker.query_one(CandidateTable)
        assert table.get_row(first)[1].plain == mask_nik(first)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert first in detail(app, "#candidate-detail")
        assert table.get_row(first)[1].plain == first  # the NIK column of a wide screen too
        assert [e["subject"] for e in reveals(ws_path)] == [first]
        await pilot.press("down")
        await pilot.pause()
        assert table.get_row(first)[1].plain == mask_nik(first)
        assert first not in detail(app, "#candidate-detail")


async def test_the_declarations_screen_reveals_and_logs_each_time(workspace, ws_path):
    app = make_app(workspace)
    async with run(app, size=(120, 40)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DeclarationsScreen)
        table = app.screen.query_one(DeclarationTable)
        nik = table.cursor_key()
        assert table.get_row(nik)[4].plain == mask_nik(nik)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert table.get_row(nik)[4].plain == nik
        assert nik in detail(app, "#decl-detail")
        await pilot.press("down", "up", "ctrl+n")
        await pilot.pause()
        assert [e["subject"] for e in reveals(ws_path)] == [nik, nik]
