"""The audit log screen: newest first, who/what/when, NIKs masked, filters, other sessions' entries."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input

from kpps_tui.domain.declarations import DeclState
from kpps_tui.i18n import _
from kpps_tui.domain.dates import DateError, parse_date
from kpps_tui.services import assignments, audit_log, declarations
from kpps_tui.services.browse import candidates
from kpps_tui.services.declarations import officers
from kpps_tui.tui.screens.audit_log import AuditLogScreen, LogTable, action_label, masked
from kpps_tui.tui.text import fmt_int

from .conftest import make_app, run
from .support import cells, other_session

SIXTEEN_DIGITS = re.compile(r"\d{16}")


def make_history(ws, ws_path):
    """Changes by two coordinators: me (seats and a declaration) and sari (a seat)."""
    tps = next(t for t in ws.tps.values() if t.filled == 7)
    assignments.unassign(ws, tps.code, 2)
    officer = next(o for o in officers(ws) if o.state is DeclState.HANDED_IN)
    declarations.set_state(ws, officer.person.nik, DeclState.VERIFIED)
    sari = other_session(ws_path, "sari")
    other = next(t for t in sari.tps.values() if t.filled < 7 and not t.code.startswith(tps.code[:8]))
    seat = min(set(range(1, 8)) - set(other.seats))
    person = next(c.person for c in candidates(sari, other) if c.eligible)
    assignments.assign(sari, other.code, seat, person.nik)
    ws.refresh()
    return tps, officer.person, other, person


async def open_log(pilot) -> AuditLogScreen:
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(pilot.app.screen, AuditLogScreen)
    return pilot.app.screen


async def test_newest_first_with_time_user_action_subject_and_change(workspace, ws_path):
    tps, declared, other, seated = make_history(workspace, ws_path)
    logged = audit_log.entries(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_log(pilot)
        rows = cells(screen.query_one(LogTable))
        assert len(rows) == len(logged) == 3
        assert [r[2] for r in rows] == [action_label("assign"), action_label("declaration"), action_label("unassign")]
        assert [r[1] for r in rows] == ["sari", workspace.user, workspace.user]
        assert rows[0][3] == f"{other.number:03d} {workspace.region_name(other.desa_code)}"  # the TPS
        assert rows[1][3] == masked(declared.nik) != declared.nik
        assert rows[0][4] == masked(audit_log.describe_change(workspace, logged[0]))
        assert seated.name in rows[0][4]
        screen.query_one(LogTable).move_cursor(row=1)
        await pilot.pause()
        change = f"Surat Pernyataan: {DeclState.HANDED_IN.label} -> {DeclState.VERIFIED.label}"
        assert change in screen.query_one("#log-detail").render().plain
        screen.query_one(LogTable).move_cursor(row=0)
        await pilot.pause()
        assert workspace.tps_label(workspace.tps[other.code]) in screen.query_one("#log-detail").render().plain
        # No full NIK anywhere on the screen.
        shown = " ".join(" ".join(r) for r in rows) + screen.query_one("#log-detail").render().plain
        assert not SIXTEEN_DIGITS.search(shown)
        assert _("{count} entries, newest first").format(count=3) in screen.query_one("#log-summary").render().plain


async def test_filters_by_tps_person_user_and_date(workspace, ws_path):
    tps, declared, other, seated = make_history(workspace, ws_path)
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_log(pilot)
        table = screen.query_one(LogTable)

        async def filtered(**values) -> list[list[str]]:
            for key in ("tps", "person", "user", "since", "until"):
                screen.query_one(f"#log-{key}", Input).value = values.get(key, "")
            await pilot.pause()
            return cells(table)

        rows = await filtered(tps=tps.code[:8])  # a kecamatan's code
        assert [r[2] for r in rows] == [action_label("unassign")]
        rows = await filtered(person=declared.name.lower())
        assert action_label("declaration") in [r[2] for r in rows]
        assert len(rows) == len(audit_log.entries(workspace, audit_log.LogFilter(nik=declared.nik)))
        rows = await filtered(person=seated.nik)
        assert [r[2] for r in rows] == [action_label("assign")]
        rows = await filtered(user="sar")
        assert [r[1] for r in rows] == ["sari"]
        assert _("{shown} of {total} entries").format(shown=1, total=fmt_int(3)) in screen.query_one("#log-summary").render().plain
        assert len(await filtered(since="01-01-2000")) == 3
        assert await filtered(until="31-12-2000") == []

        await filtered(since="31-02-2024")
        with pytest.raises(DateError) as wrong:
            parse_date("31-02-2024")
        assert str(wrong.value) in screen.query_one("#log-summary").render().plain

        # Escape in a filter box goes back to the log; c clears every filter.
        screen.query_one("#log-user", Input).focus()
        screen.query_one("#log-user", Input).value = "nobody"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.focused is table
        await pilot.press("c")
        await pilot.pause()
        assert table.row_count == 3


async def test_another_sessions_change_shows_at_the_next_poll(workspace, ws_path):
    make_history(workspace, ws_path)
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_log(pilot)
        table = screen.query_one(LogTable)
        table.move_cursor(row=2)
        sari = other_session(ws_path, "sari")
        tps = next(t for t in sari.tps.values() if t.filled == 7)
        assignments.unassign(sari, tps.code, 5)
        screen.poll_log()
        await pilot.pause()
        rows = cells(table)
        assert len(rows) == 4 and rows[0][1] == "sari" and rows[0][2] == action_label("unassign")
        # A NIK shown in full elsewhere is logged without touching the data files: it shows too.
        audit_log.reveal_nik(sari, tps.seats[1].nik)
        screen.poll_log()
        await pilot.pause()
        assert cells(table)[0][2] == action_label(audit_log.REVEAL_NIK)


async def test_enter_on_an_entry_shows_only_that_tps_or_person(workspace, ws_path):
    tps, declared, other, seated = make_history(workspace, ws_path)
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_log(pilot)
        table = screen.query_one(LogTable)
        await pilot.press("enter")  # the newest: sari's assignment at `other`
        await pilot.pause()
        assert screen.query_one("#log-tps", Input).value == other.code
        assert table.row_count == 1
        await pilot.press("c", "down", "enter")  # the declaration: the person, by name
        await pilot.pause()
        assert screen.query_one("#log-person", Input).value == declared.name
        assert action_label("declaration") in [r[2] for r in cells(table)]


async def test_at_80_columns_the_whole_login_and_action_show_and_the_change_gets_the_rest(workspace, ws_path):
    long_login = "koordinator_kab1"  # 16 characters, the widest a login column gets
    sari = other_session(ws_path, long_login)
    tps = next(t for t in sari.tps.values() if t.filled == 7)
    assignments.unassign(sari, tps.code, 5)
    officer = next(o for o in officers(workspace) if o.state is DeclState.HANDED_IN)
    declarations.set_state(workspace, officer.person.nik, DeclState.VERIFIED)
    workspace.refresh()
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await open_log(pilot)
        table = screen.query_one(LogTable)
        assert table.size.width == 80
        widths = {column.key: width for column, width in table.shown_columns()}
        assert list(widths) == ["at", "user", "action", "subject", "change"]
        lines = [table.render_line(y).text for y in range(1, table.row_count + 1)]
        assert long_login in lines[1] and workspace.user in lines[0]
        assert action_label("declaration") in lines[0] and action_label("unassign") in lines[1]
        assert widths["change"] >= 20  # what is left goes to the change (the detail shows it whole)
        assert all(label in table.render_line(0).text for label in table.column_labels())
