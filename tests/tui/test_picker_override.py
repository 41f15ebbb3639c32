"""Seating a person over the rule check's warnings: a written reason per warning, kept with the seat."""

from __future__ import annotations

from tinydb import Query, TinyDB

from kpps_tui.services.browse import candidates
from kpps_tui.tui.screens.dialogs import FormPrompt
from kpps_tui.tui.screens.picker import CandidatePicker, PickerInput
from kpps_tui.tui.screens.tps_detail import TpsScreen
from kpps_tui.i18n import _

from .conftest import BOTH_LANGUAGES, make_app, run
from .support import screen_text

UI_LANGUAGES = BOTH_LANGUAGES  # the English interface is exercised too


def _warned_candidate(ws):
    """A TPS with an empty seat and an applicant for it with warnings only."""
    for tps in ws.tps.values():
        empty = [n for n in range(1, ws.election.seats_per_tps + 1) if n not in tps.seats]
        if not empty:
            continue
        for c in candidates(ws, tps, ""):
            if c.findings and c.eligible:
                return tps.code, empty[0], c
    raise AssertionError("no warned candidate in the sample")


def _seat_on_disk(ws_path, code: str, seat: int) -> dict:
    kecamatan = ".".join(code.split(".")[:3])
    with TinyDB(ws_path / "tps" / f"{kecamatan}.json", access_mode="r") as db:
        doc = db.table("tps").get(Query().code == code)
    return doc["seats"][str(seat)]


async def test_an_override_reason_is_stored_on_the_seat_and_shown(workspace, ws_path):
    code, seat, candidate = _warned_candidate(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        app.push_screen(TpsScreen(workspace, code, seat=seat))
        await pilot.pause()
        app.push_screen(CandidatePicker(workspace, code, seat))
        await pilot.pause()
        app.screen.query_one(PickerInput).value = candidate.person.nik
        await pilot.pause()
        assert app.screen.highlighted().person.nik == candidate.person.nik
        await pilot.press("ctrl+o")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormPrompt)
        soft = [f for f in candidate.findings if not f.is_hard]
        assert len(form.fields) == len(soft)
        for index, finding in enumerate(soft):
            form.query_one(f"#field-{finding.code}").value = f"alasan {index}: tidak ada pendaftar lain di desa"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)
        assert _("Reason: {reason}").format(reason="alasan 0: tidak ada pendaftar lain di desa") in screen_text(app)
    stored = _seat_on_disk(ws_path, code, seat)
    assert stored["nik"] == candidate.person.nik
    assert "alasan 0: tidak ada pendaftar lain di desa" in str(stored)
