"""The applicant form as a coordinator meets it: a problem on Ctrl+S is said under the box it is
about, with the focus there; the box being typed in and a ticked box show without colour; Escape
asks before it throws typed data away."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Label, Select

from kpps_tui.domain.nik import make_nik
from kpps_tui.i18n import _
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.screens.applicant_form import ApplicantForm
from kpps_tui.tui.screens.applicants import ApplicantsScreen
from kpps_tui.tui.screens.dialogs import ConfirmModal
from kpps_tui.tui.widgets.tick_box import EMPTY, TICKED

from .conftest import make_app, run


async def _open_form(pilot) -> ApplicantForm:
    await pilot.press("w")
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ApplicantForm)
    return pilot.app.screen


def _problems(form: ApplicantForm) -> list[str]:
    return [w.render().plain for w in form.query(".af-problem") if w.display and w.render().plain]


def _on_screen(app, widget) -> bool:
    """Whether the widget is drawn inside the visible part of the screen."""
    region = widget.region
    return bool(region.area) and app.screen.region.contains_region(region)


async def test_ctrl_s_without_a_name_says_so_under_the_name_and_goes_there(workspace):
    desa = workspace.desa_codes()[0]
    app = make_app(workspace)
    async with run(app) as pilot:
        form = await _open_form(pilot)
        form.query_one("#af-nik", Input).value = make_nik(desa, date(1990, 5, 15), "L", 9911)
        form.query_one("#af-desa", Select).value = desa
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ApplicantForm)
        assert app.focused is form.query_one("#af-name", Input)
        assert _problems(form) == [_("Type the name.")]
        problem = next(w for w in form.query(".af-problem") if w.display and w.render().plain)
        assert _on_screen(app, problem)
        assert problem.region.y == form.query_one("#af-name").region.y + 1  # right under the box


async def test_ctrl_s_on_an_empty_form_asks_for_the_nik_under_its_box(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        form = await _open_form(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ApplicantForm)
        assert app.focused is form.query_one("#af-nik", Input)
        line = form.query_one("#af-nik-check")
        assert line.render().plain == _("Type the NIK: 16 digits.")
        assert _on_screen(app, line)


async def test_a_bad_day_far_down_the_form_is_shown_in_view_with_the_focus_on_it(workspace):
    desa = workspace.desa_codes()[0]
    app = make_app(workspace)
    async with run(app) as pilot:
        form = await _open_form(pilot)
        form.query_one("#af-nik", Input).value = make_nik(desa, date(1990, 5, 15), "L", 9912)
        form.query_one("#af-name", Input).value = "Budi Santoso"
        form.query_one("#af-desa", Select).value = desa
        papers = list(form.query("TickBox"))
        last = papers[-1]
        last.value = True
        day = form.query_one(f"#af-day-{last.id.removeprefix('af-doc-')}", Input)
        day.value = "99/99/2026"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ApplicantForm)
        assert app.focused is day
        [sentence] = _problems(form)
        assert "99/99/2026" in sentence
        problem = next(w for w in form.query(".af-problem") if w.display and w.render().plain)
        assert _on_screen(app, problem) and _on_screen(app, day)
    count = len(Workspace.open(workspace.root).people)
    assert count == len(workspace.people)  # nothing saved


async def test_a_ticked_box_and_an_empty_one_differ_in_their_characters(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        form = await _open_form(pilot)
        box = form.query_one("#af-health-blood_pressure")
        assert box.render().plain.startswith(TICKED)
        box.value = False
        await pilot.pause()
        assert box.render().plain.startswith(EMPTY)
        assert TICKED != EMPTY


async def test_the_focused_box_shows_by_its_label_in_reverse(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        form = await _open_form(pilot)
        nik_label = form.query_one("#af-nik").parent.query_one(Label)
        assert nik_label.styles.text_style.reverse
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is form.query_one("#af-name")
        assert not nik_label.styles.text_style.reverse
        assert form.query_one("#af-name").parent.query_one(Label).styles.text_style.reverse


async def test_escape_with_typed_data_asks_before_discarding(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        form = await _open_form(pilot)
        await pilot.press("escape")  # nothing typed: leaves at once
        await pilot.pause()
        assert isinstance(app.screen, ApplicantsScreen)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ApplicantForm)
        await pilot.press(*"Budi")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")  # back to the form, the text kept
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#af-nik", Input).value == "Budi"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # discard
        await pilot.pause()
        assert isinstance(app.screen, ApplicantsScreen)
