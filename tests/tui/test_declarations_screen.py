"""The declarations screen: outstanding first, counts in words, filters, one key per state,
refusals with the rules' sentence, many at once, SIPOL flags, party letters and the report.

Every change is checked in the people files with stock TinyDB.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import openpyxl
import pytest
from textual.widgets import Input, Select

from kpps_tui.domain.declarations import DeclKind, DeclState
from kpps_tui.errors import KppsError
from kpps_tui.i18n import _
from kpps_tui.services import declarations
from kpps_tui.services.declarations import officers
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.screens.declarations import DeclarationsScreen, DeclarationTable
from kpps_tui.tui.screens.dialogs import FormPrompt, ReportModal
from kpps_tui.tui.screens.tps_detail import TpsScreen
from kpps_tui.tui.text import fmt_int

from .conftest import errors, make_app, notifications, run
from .support import cells, person_on_disk, screen_text, statement_on_disk

STATE_COLUMN = 4  # mark, TPS, seat, name, state, SIPOL at 80 columns


async def open_declarations(pilot) -> DeclarationsScreen:
    await pilot.press("d")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DeclarationsScreen)
    return screen


async def point_at(pilot, nik: str) -> None:
    """Narrow the list to the person's name and put the cursor on them, as a user would."""
    app = pilot.app
    name = app.workspace.people[nik].name
    app.screen.query_one("#decl-search", Input).value = name
    await pilot.pause()
    table = app.screen.query_one(DeclarationTable)
    table.show_key(nik)
    table.focus()
    await pilot.pause()
    assert table.cursor_key() == nik


def refusal(ws_path, service, *args, session: Workspace | None = None, **kwargs) -> str:
    """The rules' sentence for this change, asked of a fresh session (and proof it is refused)."""
    with pytest.raises(KppsError) as refused:
        service(session or Workspace.open(ws_path), *args, **kwargs)
    return str(refused.value)


def officer_in(ws: Workspace, state: DeclState, skip: int = 0) -> str:
    return [o.person.nik for o in officers(ws) if o.state is state][skip]


async def test_every_officer_is_listed_outstanding_first_with_the_counts_in_words(workspace):
    app = make_app(workspace)
    expected = officers(workspace)
    async with run(app) as pilot:
        screen = await open_declarations(pilot)
        table = screen.query_one(DeclarationTable)
        assert table.row_count == len(expected) == 1727
        assert table.keys() == [o.person.nik for o in expected]
        states = [o.state for o in expected]
        first_verified = states.index(DeclState.VERIFIED)
        assert DeclState.VERIFIED not in states[:first_verified] and set(states[first_verified:]) == {DeclState.VERIFIED}
        # The state is a word in its own column.
        assert {row[STATE_COLUMN] for row in cells(table)} <= {s.label for s in DeclState}
        assert cells(table)[0][STATE_COLUMN] == expected[0].state.label
        counts = screen.query_one("#decl-counts").render().plain
        for state, number in Counter(states).items():
            assert f"{state.label}: {fmt_int(number)}" in counts


async def test_filters_by_kecamatan_desa_tps_and_state(workspace):
    app = make_app(workspace)
    kecamatan = workspace.kecamatan_codes()[1]
    async with run(app) as pilot:
        screen = await open_declarations(pilot)
        table = screen.query_one(DeclarationTable)
        screen.query_one("#decl-kecamatan", Select).value = kecamatan
        await pilot.pause()
        in_kecamatan = [o for o in officers(workspace) if o.tps_code.startswith(kecamatan + ".")]
        assert table.keys() == [o.person.nik for o in in_kecamatan]

        desa = in_kecamatan[0].tps_code.split("-")[0]
        screen.query_one("#decl-desa", Select).value = desa
        await pilot.pause()
        assert set(table.keys()) == {o.person.nik for o in in_kecamatan if o.tps_code.startswith(desa + "-")}

        tps = in_kecamatan[0].tps_code
        screen.query_one("#decl-search", Input).value = str(int(tps.rsplit("-", 1)[1]))
        await pilot.pause()
        assert set(table.keys()) == {o.person.nik for o in in_kecamatan if o.tps_code == tps}

        screen.query_one("#decl-search", Input).value = ""
        screen.query_one("#decl-state", Select).value = DeclState.REJECTED.value
        await pilot.pause()
        rejected = {o.person.nik for o in in_kecamatan if o.tps_code.startswith(desa + "-") and o.state is DeclState.REJECTED}
        assert set(table.keys()) == rejected
        summary = screen.query_one("#decl-summary").render().plain
        assert _("{shown} of {total} officers shown").format(shown=len(rejected), total=fmt_int(1727)) in summary


async def test_one_key_per_state_on_the_highlighted_person(workspace, ws_path):
    not_in = officer_in(workspace, DeclState.NOT_HANDED_IN)
    handed_in = officer_in(workspace, DeclState.HANDED_IN)
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_declarations(pilot)
        await point_at(pilot, not_in)
        await pilot.press("h")
        await pilot.pause()
        assert statement_on_disk(ws_path, not_in)["state"] == "diserahkan"
        assert statement_on_disk(ws_path, not_in)["received_on"] == date.today().isoformat()
        name = workspace.people[not_in].name
        said = _("{name}: {kind} is now {state}.").format(
            name=name, kind=DeclKind.STATEMENT.label, state=DeclState.HANDED_IN.label
        )
        assert any(said in text for _s, text in notifications(app))

        await point_at(pilot, handed_in)
        await pilot.press("v")
        await pilot.pause()
        decl = statement_on_disk(ws_path, handed_in)
        assert decl["state"] == "terverifikasi" and decl["decided_by"] == workspace.user

        # Reject asks why; Escape changes nothing, an empty reason is not accepted.
        await point_at(pilot, handed_in)  # (the cursor went on to the next person)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, FormPrompt)
        await pilot.press("escape")
        await pilot.pause()
        assert statement_on_disk(ws_path, handed_in)["state"] == "terverifikasi"
        await pilot.press("x", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormPrompt)
        await pilot.press(*"tanpa materai", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DeclarationsScreen)
        decl = statement_on_disk(ws_path, handed_in)
        assert decl["state"] == "ditolak" and decl["reason"] == "tanpa materai"
        table = app.screen.query_one(DeclarationTable)
        assert table.get_row(handed_in)[STATE_COLUMN].plain == DeclState.REJECTED.label

        await point_at(pilot, handed_in)
        await pilot.press("h")  # a rejected declaration may be handed in again
        await pilot.pause()
        await point_at(pilot, handed_in)
        assert statement_on_disk(ws_path, handed_in)["state"] == "diserahkan"
        await pilot.press("b")
        await pilot.pause()
        assert statement_on_disk(ws_path, handed_in)["state"] == "belum"
        history = person_on_disk(ws_path, handed_in)["history"]
        assert [h["to"] for h in history[-4:]] == ["terverifikasi", "ditolak", "diserahkan", "belum"]
        assert not errors(app)


async def test_the_cursor_walks_on_after_a_change(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_declarations(pilot)
        table = screen.query_one(DeclarationTable)
        screen.query_one("#decl-state", Select).value = DeclState.HANDED_IN.value
        await pilot.pause()
        table.focus()
        first, second = table.keys()[:2]
        await pilot.press("v")  # verified: it leaves this list, the next one takes its place
        await pilot.pause()
        assert first not in table.keys() and table.cursor_key() == second
        await pilot.press("h")  # already handed in: refused, the cursor stays
        await pilot.pause()
        assert table.cursor_key() == second and errors(app)


async def test_the_rules_refuse_verifying_a_sipol_listed_person_until_the_flag_is_cleared(workspace, ws_path):
    nik = officer_in(workspace, DeclState.HANDED_IN, skip=3)
    declarations.import_sipol(workspace, {nik: "Partai Contoh"}, "sipol-2024-10.csv")  # flagged before this session
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_declarations(pilot)
        await point_at(pilot, nik)
        table = app.screen.query_one(DeclarationTable)
        assert table.get_row(nik)[-1].plain == "SIPOL"
        assert _("{count} listed in SIPOL").format(count=1) in app.screen.query_one("#decl-summary").render().plain
        await pilot.press("v")
        await pilot.pause()
        expected = refusal(ws_path, declarations.set_state, nik, DeclState.VERIFIED)
        assert any(expected in text for text in errors(app))
        assert statement_on_disk(ws_path, nik)["state"] == "diserahkan"

        # c asks for the reason with the evidence; an empty one is not taken.
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, FormPrompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormPrompt)
        assert _("Fill in: {field}").format(field=_("Reason")) in screen_text(app)
        app.screen.query_one("#field-reason", Input).value = "KTP dipakai tanpa izin, surat KPU 12/2024"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DeclarationsScreen)
        flag = person_on_disk(ws_path, nik)["neutrality"]["sipol"]
        assert flag["cleared_reason"] == "KTP dipakai tanpa izin, surat KPU 12/2024"
        assert flag["cleared_by"] == workspace.user
        assert table.get_row(nik)[-1].plain == ""

        await pilot.press("v")
        await pilot.pause()
        assert statement_on_disk(ws_path, nik)["state"] == "terverifikasi"


async def test_a_former_party_member_needs_the_party_letter_first(workspace, ws_path):
    nik = officer_in(workspace, DeclState.HANDED_IN, skip=5)
    declarations.set_former_party_member(workspace, nik, True, None)
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_declarations(pilot)
        await point_at(pilot, nik)
        await pilot.press("v")
        await pilot.pause()
        expected = refusal(ws_path, declarations.set_state, nik, DeclState.VERIFIED)
        assert any(expected in text for text in errors(app))

        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FormPrompt)
        await pilot.press(*"Partai Contoh", "enter", *"31-02-2019", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormPrompt)  # no such day: said in the form
        date_box = app.screen.query_one("#field-dated", Input)
        date_box.value = "15-01-2019"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DeclarationsScreen)
        letter = person_on_disk(ws_path, nik)["neutrality"]["party_letter"]
        assert letter == {"party": "Partai Contoh", "dated": "2019-01-15"}
        await pilot.press("v")
        await pilot.pause()
        assert statement_on_disk(ws_path, nik)["state"] == "terverifikasi"


async def test_select_many_and_change_them_together(workspace, ws_path):
    # A desa's officers in every state: verifying them all verifies the handed-in ones only.
    by_desa: dict[str, list] = {}
    for o in officers(workspace):
        by_desa.setdefault(o.tps_code.split("-")[0], []).append(o)
    desa, group = next(
        (d, g) for d, g in by_desa.items() if {DeclState.HANDED_IN, DeclState.NOT_HANDED_IN} <= {o.state for o in g}
    )
    handed_in = {o.person.nik for o in group if o.state is DeclState.HANDED_IN}
    app = make_app(workspace)
    async with run(app, size=(100, 30)) as pilot:
        screen = await open_declarations(pilot)
        screen.query_one("#decl-kecamatan", Select).value = desa.rsplit(".", 1)[0]
        await pilot.pause()
        screen.query_one("#decl-desa", Select).value = desa
        await pilot.pause()
        table = screen.query_one(DeclarationTable)
        table.focus()
        assert set(table.keys()) == {o.person.nik for o in group}

        # Space marks one and moves on; a marks every one shown, a again none.
        await pilot.press("space", "space")
        await pilot.pause()
        assert screen.marked == set(table.keys()[:2])
        assert [row[0] for row in cells(table)[:3]] == ["✓", "✓", ""]
        await pilot.press("a")
        await pilot.pause()
        assert screen.marked == set(table.keys())
        assert _("{count} selected").format(count=len(group)) in screen.query_one("#decl-summary").render().plain

        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ReportModal)
        report = screen_text(app)
        summary = _("{kind}: {changed} of {count} changed to {state}.").format(
            kind=DeclKind.STATEMENT.label, changed=len(handed_in), count=len(group), state=DeclState.VERIFIED.label
        )
        assert summary in report
        fresh = Workspace.open(ws_path)
        for o in group:
            if o.person.nik not in handed_in:
                sentence = refusal(ws_path, declarations.set_state, o.person.nik, DeclState.VERIFIED, session=fresh)
                assert _("{name}: not changed. {reason}").format(name=o.person.name, reason=sentence) in report
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DeclarationsScreen)
    for o in group:
        expected = "terverifikasi" if o.person.nik in handed_in or o.state is DeclState.VERIFIED else o.state.value
        assert statement_on_disk(ws_path, o.person.nik)["state"] == expected


async def test_p_shows_the_pakta_integritas_and_the_keys_then_change_it(workspace, ws_path):
    app = make_app(workspace)
    pact = Counter(o.person.neutrality.integrity_pact.state for o in officers(workspace))
    async with run(app) as pilot:
        screen = await open_declarations(pilot)
        await pilot.press("p")
        await pilot.pause()
        summary = screen.query_one("#decl-summary").render().plain
        assert summary.startswith(DeclKind.INTEGRITY_PACT.label)
        counts = screen.query_one("#decl-counts").render().plain
        for state, number in pact.items():
            assert f"{state.label}: {fmt_int(number)}" in counts
        table = screen.query_one(DeclarationTable)
        nik = table.cursor_key()
        before = workspace.people[nik].neutrality
        assert before.integrity_pact.state is not DeclState.VERIFIED  # outstanding first here too
        await pilot.press("b" if before.integrity_pact.state is DeclState.HANDED_IN else "h")
        await pilot.pause()
    on_disk = person_on_disk(ws_path, nik)["neutrality"]
    assert on_disk["pakta_integritas"]["state"] != before.integrity_pact.state.value
    assert on_disk["surat_pernyataan"]["state"] == before.statement.state.value


async def test_export_writes_the_report_where_the_form_says(workspace, ws_path, tmp_path):
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_declarations(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormPrompt)
        path_box = form.query_one("#field-path", Input)
        assert path_box.value == str(screen.default_export_path())
        assert screen.default_export_path().parent == ws_path.resolve().parent

        path_box.value = str(tmp_path / "laporan.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormPrompt)  # the ending chooses the format: refused
        path_box.value = str(tmp_path / "laporan.xlsx")
        form.query_one("#field-level", Select).value = "desa"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DeclarationsScreen)
        assert any(str(tmp_path / "laporan.xlsx") in text for _s, text in notifications(app))
    book = openpyxl.load_workbook(tmp_path / "laporan.xlsx", read_only=True)
    counts, outstanding = book.worksheets
    rows = list(counts.values)
    assert rows[0][1] == _("Desa/Kelurahan")
    assert rows[-1][2] == 1727  # the total of officers
    outstanding_rows = list(outstanding.values)[1:]
    assert len(outstanding_rows) == sum(o.state is not DeclState.VERIFIED for o in officers(workspace))


async def test_enter_opens_the_tps_on_the_persons_seat(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_declarations(pilot)
        officer = officers(workspace)[5]
        screen.query_one(DeclarationTable).show_key(officer.person.nik)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen) and app.screen.code == officer.tps_code
        assert app.screen.current_view().seat == officer.seat
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DeclarationsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DeclarationsScreen)


async def test_another_sessions_change_shows_at_the_next_poll(workspace, ws_path):
    handed_in = officer_in(workspace, DeclState.HANDED_IN, skip=2)
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_declarations(pilot)
        table = screen.query_one(DeclarationTable)
        table.move_cursor(row=4)
        await pilot.pause()
        here = table.cursor_key()
        declarations.set_state(Workspace.open(ws_path), handed_in, DeclState.VERIFIED)
        app.poll_workspace()
        await pilot.pause()
        assert table.data(handed_in).state is DeclState.VERIFIED
        keys = table.keys()
        assert all(table.data(k).state is DeclState.VERIFIED for k in keys[keys.index(handed_in):])  # with the verified, last
        assert table.cursor_key() == here  # the cursor stays on the person it was on
        counts = screen.query_one("#decl-counts").render().plain
        verified = sum(o.state is DeclState.VERIFIED for o in officers(Workspace.open(ws_path)))
        assert f"{DeclState.VERIFIED.label}: {fmt_int(verified)}" in counts


async def test_the_search_box_finds_a_person_by_part_of_the_nik(workspace):
    officer = officers(workspace)[10]
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_declarations(pilot)
        screen.query_one("#decl-search", Input).value = officer.person.nik[-8:]
        await pilot.pause()
        assert officer.person.nik in screen.query_one(DeclarationTable).keys()
        assert all(officer.person.nik[-8:] in k for k in screen.query_one(DeclarationTable).keys())
