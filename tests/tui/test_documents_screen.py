"""The documents dialog of the TPS list (e), at 80x24: the scope in view, what to decide
before signing, then the file written by the dialog's workers and opened with its reader."""

from __future__ import annotations

import openpyxl
import pypdfium2 as pdfium
from textual.widgets import OptionList, Select

from kpps_tui.services.documents import DocKind, Scope, documents_folder, gaps, gaps_summary
from kpps_tui.store import audit
from kpps_tui.tui.screens.applicant_form import ApplicantForm
from kpps_tui.tui.screens.documents import CHOICES, DocumentsModal
from kpps_tui.tui.screens.tps_list import TpsListScreen

from .conftest import errors, make_app, run
from .support import person_on_disk, screen_text


def _partly_filled_desa(workspace) -> str:
    return next(t.desa_code for t in sorted(workspace.tps.values(), key=lambda t: t.code) if 0 < t.filled < 7)


async def _choose(pilot, kind: DocKind, suffix: str) -> None:
    choice = pilot.app.screen.query_one("#documents-choice", OptionList)
    choice.highlighted = CHOICES.index((kind, suffix))
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_sk_for_the_desa_in_view_names_empty_seats_then_is_written(workspace):
    desa = _partly_filled_desa(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        assert isinstance(app.screen, TpsListScreen)
        app.screen.query_one("#kecamatan", Select).value = desa[:8]
        await pilot.pause()
        app.screen.query_one("#desa", Select).value = desa
        await pilot.pause()
        app.screen.query_one("#tps-table").focus()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DocumentsModal) and dialog.scope.code == desa
        await _choose(pilot, DocKind.SK, ".pdf")
        text = screen_text(app)
        expected = gaps(workspace, Scope("desa", desa))
        assert any(not g.name for g in expected)  # an empty seat among them
        assert gaps_summary(expected) in text
        for gap in expected:
            assert gap.text in text
        assert not list(documents_folder(workspace).glob("*.pdf"))  # nothing written before Ctrl+S
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert errors(app) == []
        written = list(documents_folder(workspace).glob("kpps-sk-desa-*.pdf"))
        assert len(written) == 1
        pdf = pdfium.PdfDocument(written[0])
        pdf_text = " ".join(" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf)))
        for tps in workspace.tps.values():
            if tps.desa_code == desa:
                for held in tps.seats.values():
                    assert " ".join(workspace.people[held.nik].name.split()) in pdf_text
        await pilot.press("escape")  # back to the choice
        await pilot.press("escape")  # closed
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)


async def test_the_honorarium_from_the_dialog_is_audited(workspace):
    tps = next(t for t in sorted(workspace.tps.values(), key=lambda t: t.code) if t.filled == 7)
    app = make_app(workspace)
    async with run(app) as pilot:
        await app.push_screen(DocumentsModal(workspace, Scope("desa", tps.desa_code)))
        await pilot.pause()
        before = len(list(audit.read(workspace.root)))
        await _choose(pilot, DocKind.HONORARIUM, ".xlsx")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = list(documents_folder(workspace).glob("kpps-honorarium-*.xlsx"))
        assert len(written) == 1
        sheet = openpyxl.load_workbook(written[0]).active
        niks = {row[2] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)}
        assert {held.nik for held in tps.seats.values()} <= niks
        entries = list(audit.read(workspace.root))[before:]
        assert [e.action for e in entries] == ["export_full_nik"]


async def test_the_tax_status_is_chosen_in_the_applicant_form(workspace, ws_path):
    person = next(p for p in sorted(workspace.people.values(), key=lambda p: p.nik) if p.tax is None)
    app = make_app(workspace)
    async with run(app) as pilot:
        app.push_screen(ApplicantForm(workspace, person.nik))
        await pilot.pause()
        app.screen.query_one("#af-tax", Select).value = "pns-III"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ApplicantForm)
    assert person_on_disk(ws_path, person.nik)["tax"] == {"npwp": True, "golongan": "III"}
