"""The applicants screen and the applicant form: the NIK checked as typed, saving to disk."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Select

from kpps_tui.domain.nik import make_nik
from kpps_tui.i18n import _
from kpps_tui.services.applicants import check_nik
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.screens.applicant_form import ApplicantForm
from kpps_tui.tui.screens.applicants import ApplicantsScreen, ApplicantTable

from .conftest import make_app, run
from .support import log_lines, person_on_disk, screen_text


async def _open_form(pilot):
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ApplicantsScreen)
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ApplicantForm)
    return pilot.app.screen


async def _type_nik(pilot, form, text):
    box = form.query_one("#af-nik", Input)
    box.value = text
    await pilot.pause()


async def test_the_screen_lists_the_whole_pool_masked(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(ApplicantTable)
        assert table.row_count == len(workspace.people)
        nik = table.cursor_key()
        shown = table.get_row_at(0)[1].plain
        assert shown != nik and shown.startswith(nik[:4]) and "*" in shown
        assert _("{count} applicants").format(count=f"{len(workspace.people):,}".replace(",", ".")) in screen_text(app)
        screen.query_one("#ap-search", Input).value = workspace.people[nik].name
        await pilot.pause()
        assert nik in table.keys() and table.row_count < len(workspace.people)


async def test_the_form_refuses_a_bad_nik_with_the_sentence(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        form = await _open_form(pilot)
        await _type_nik(pilot, form, "6201019913990001")  # no 99th of the 13th month
        sentence = check_nik(workspace, "6201019913990001").message
        assert sentence and sentence in screen_text(app)
        count = len(workspace.people)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ApplicantForm)
        assert len(Workspace.open(workspace.root).people) == count


async def test_the_form_refuses_an_existing_nik_and_opens_that_person(workspace):
    person = next(iter(workspace.people.values()))
    app = make_app(workspace)
    async with run(app) as pilot:
        form = await _open_form(pilot)
        await _type_nik(pilot, form, person.nik)
        assert person.name in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ApplicantForm) and app.screen.nik is None
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen.nik == person.nik
        assert app.screen.query_one("#af-name", Input).value == person.name


async def test_a_new_applicant_lands_on_disk_with_a_paper(workspace, ws_path):
    desa = workspace.desa_codes()[0]
    nik = make_nik(desa, date(1990, 11, 27), "P", 9901)
    app = make_app(workspace)
    async with run(app) as pilot:
        form = await _open_form(pilot)
        await _type_nik(pilot, form, nik)
        assert "1990-11-27" in screen_text(app)
        form.query_one("#af-name", Input).value = "Siti Rahmawati"
        form.query_one("#af-desa", Select).value = desa
        form.query_one("#af-doc-ktp_el").value = True
        form.query_one("#af-day-ktp_el", Input).value = "27/11/2026"
        form.query_one("#af-health-issuer", Input).value = "Puskesmas Kumai"
        form.query_one("#af-health-date", Input).value = "2026-11-20"
        form.query_one("#af-health-blood_sugar").value = False
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ApplicantsScreen)
    doc = person_on_disk(ws_path, nik)
    assert doc["name"] == "Siti Rahmawati" and doc["sex"] == "P" and doc["desa"] == desa
    assert doc["birth_date"] == "1990-11-27"
    assert "ktp_el" in str(doc["documents"])
    assert doc["health"]["issuer"] == "Puskesmas Kumai" and doc["health"]["blood_sugar"] is False


async def test_the_import_preview_names_the_refused_row_and_takes_only_the_good_one(workspace, ws_path, tmp_path):
    from kpps_tui.tui.screens.import_preview import ImportPreview

    desa = workspace.desa_codes()[0]
    good = make_nik(desa, date(1991, 3, 4), "L", 9902)
    csv = tmp_path / "pendaftar.csv"
    csv.write_text(f"NIK;Nama;Kode Desa\n{good};Budi Santoso;{desa}\n1234;Rusak;{desa}\n", encoding="utf-8")
    count = len(workspace.people)
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportPreview)
        screen.query_one("#ip-path", Input).value = str(csv)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert screen.preview is not None
        refused = screen.preview.refused
        assert [r.row for r in refused] == [3]
        assert _("Row {row}: refused. {reason}").format(row=3, reason=refused[0].reason) in screen_text(app)
        assert len(Workspace.open(ws_path).people) == count  # a preview writes nothing
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ApplicantsScreen)
    assert person_on_disk(ws_path, good)["name"] == "Budi Santoso"
    assert len(Workspace.open(ws_path).people) == count + 1


async def test_escape_leaves_the_import_with_nothing_changed(workspace, ws_path, tmp_path):
    desa = workspace.desa_codes()[0]
    csv = tmp_path / "p.csv"
    csv.write_text(f"NIK,Nama,Kode Desa\n{make_nik(desa, date(1991, 3, 4), 'L', 9903)},Budi,{desa}\n", encoding="utf-8")
    count = len(workspace.people)
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("w", "m")
        await pilot.pause()
        app.screen.query_one("#ip-path", Input).value = str(csv)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ApplicantsScreen)
    assert len(Workspace.open(ws_path).people) == count


async def test_filters_narrow_the_pool_and_a_reveal_is_recorded(workspace, ws_path):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(ApplicantTable)
        screen.query_one("#ap-elig", Select).value = "refused"
        screen.query_one("#ap-sex", Select).value = "P"
        await pilot.pause()
        assert table.row_count and all(r.eligibility == "refused" and r.person.sex == "P" for r in screen.shown)
        nik = table.cursor_key()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert table.get_row_at(table.cursor_row)[1].plain == nik
    assert any(nik in str(line) for line in log_lines(ws_path))


async def test_a_sex_typed_against_the_nik_is_shown_and_refused(workspace):
    desa = workspace.desa_codes()[0]
    nik = make_nik(desa, date(1990, 11, 27), "P", 9904)
    app = make_app(workspace)
    async with run(app) as pilot:
        form = await _open_form(pilot)
        await _type_nik(pilot, form, nik)
        form.query_one("#af-name", Input).value = "Budi"
        form.query_one("#af-desa", Select).value = desa
        form.query_one("#af-sex", Select).value = "L"
        await pilot.pause()
        mismatches = check_nik(workspace, nik, "L").mismatches
        assert mismatches and mismatches[0] in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ApplicantForm)
    assert nik not in Workspace.open(workspace.root).people


async def test_editing_keeps_what_was_not_touched(workspace, ws_path):
    person = next(p for p in workspace.people.values() if p.education and p.phone)
    app = make_app(workspace)
    async with run(app) as pilot:
        app.push_screen(ApplicantForm(workspace, person.nik))
        await pilot.pause()
        app.screen.query_one("#af-notes", Input).value = "Datang sendiri ke PPS"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ApplicantForm)
    doc = person_on_disk(ws_path, person.nik)
    assert doc["notes"] == "Datang sendiri ke PPS"
    assert doc["education"] == person.education and doc["phone"] == person.phone and doc["name"] == person.name
