"""One TPS: assign through the picker, refusals, unassign, move, swap, next not full, back.

Every change is checked on disk with stock TinyDB, as another program would read it.
"""

from __future__ import annotations

import pytest

from kpps_tui.domain.model import Tps, seat_title
from kpps_tui.domain.rules import check_seat
from kpps_tui.errors import KppsError
from kpps_tui.i18n import _
from kpps_tui.services import assignments
from kpps_tui.services.browse import candidates, next_not_full, tps_rows
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.screens.picker import CandidatePicker, CandidateTable, PickerInput
from kpps_tui.tui.screens.seat_choice import SeatChoice
from kpps_tui.tui.screens.tps_detail import SeatTable, TpsScreen
from kpps_tui.tui.screens.tps_list import TpsListScreen, TpsTable
from kpps_tui.tui.text import short_finding

from .conftest import run, errors, make_app, notifications, seats_on_disk


def sorted_tps(ws: Workspace) -> list[Tps]:
    return [ws.tps[r.code] for r in tps_rows(ws)]


def tps_where(ws: Workspace, test) -> Tps:
    return next(t for t in sorted_tps(ws) if test(t))


def refusal(ws_path, service, *args, **kwargs) -> str:
    """The sentence the service gives for this change, asked of a fresh session: the same
    words the screen must show (in the language in force), and proof the change is refused."""
    with pytest.raises(KppsError) as refused:
        service(Workspace.open(ws_path), *args, **kwargs)
    return str(refused.value)


def shown(sentence: str, messages: list[str]) -> bool:
    return any(sentence in message for message in messages)


EMPTY_SEAT = ["", "", "", "", ""]  # sex, age, desa, warnings and declaration of an empty seat


async def open_tps(pilot, code: str) -> TpsScreen:
    """From the list, open the TPS `code` the way a user does: cursor on its row, Enter."""
    app = pilot.app
    ws = app.workspace
    index = [r.code for r in tps_rows(ws)].index(code)
    table = app.screen.query_one(TpsTable)
    table.focus()
    table.move_cursor(row=index)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, TpsScreen) and app.screen.code == code
    return app.screen


async def type_filter(pilot, text: str) -> None:
    """Put `text` in the picker's filter box at once (typing it key by key is tested elsewhere)."""
    pilot.app.screen.query_one(PickerInput).value = text
    await pilot.pause()


def seat_cells(app) -> list[list[str]]:
    table = app.screen.query_one(SeatTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def eligible_here(ws: Workspace, tps: Tps):
    """The first applicant the picker offers as eligible with no warning."""
    return next(c.person for c in candidates(ws, tps) if c.eligible and not c.findings)


async def test_a_tps_shows_its_seven_seats_with_name_sex_age_and_desa(workspace):
    tps = tps_where(workspace, lambda t: 0 < t.filled < 7)
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        rows = seat_cells(app)
        assert [r[0] for r in rows] == [seat_title(n) for n in range(1, 8)]
        assert rows[0][0] == "Ketua KPPS" and rows[1][0] == "Anggota KPPS 2"  # the same in both languages
        for seat, row in enumerate(rows, 1):
            if seat in tps.seats:
                person = workspace.people[tps.seats[seat].nik]
                age = person.age_on(workspace.election.voting_day)
                assert row[1:5] == [person.name, person.sex, str(age), workspace.region_name(person.desa_code)]
            else:
                assert row[1:] == [_("(empty)"), *EMPTY_SEAT]
        # The cursor starts on the first empty seat, ready for Enter.
        first_empty = min(set(range(1, 8)) - set(tps.seats))
        assert app.screen.query_one(SeatTable).cursor_row == first_empty - 1


async def test_soft_findings_show_as_warnings_on_the_seat(workspace):
    tps = tps_where(workspace, lambda t: t.filled < 7)
    seat = min(set(range(1, 8)) - set(tps.seats))
    codes = {"over_preferred_age", "outside_desa"}
    person, findings = next(
        (c.person, c.findings) for c in candidates(workspace, tps) if c.eligible and {f.code for f in c.findings} == codes
    )
    assignments.assign(workspace, tps.code, seat, person.nik, user="test")
    app = make_app(workspace)
    async with run(app, size=(120, 40)) as pilot:
        await open_tps(pilot, tps.code)
        warnings = seat_cells(app)[seat - 1][5]
        assert warnings == ", ".join(short_finding(f) for f in findings)
        # An officer's own seat is never reported as "seated elsewhere".
        seated_at = _("seated at {tps}, seat {seat}").split("{")[0].strip()
        assert all(seated_at not in row[5] for row in seat_cells(app))
        app.screen.query_one(SeatTable).move_cursor(row=seat - 1)
        await pilot.pause()
        detail = app.screen.query_one("#seat-detail").render().plain
        for finding in findings:
            assert finding.message in detail


async def test_assign_from_the_picker_saves_to_disk_and_back_shows_the_new_count(workspace, ws_path):
    tps = tps_where(workspace, lambda t: 0 < t.filled < 6)
    seat = min(set(range(1, 8)) - set(tps.seats))
    person = eligible_here(workspace, tps)
    filled_before = tps.filled
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CandidatePicker)
        await pilot.press(*person.nik)
        await pilot.pause()
        table = app.screen.query_one(CandidateTable)
        assert table.row_count == 1
        await pilot.press("enter")
        await pilot.pause()

        assert isinstance(app.screen, TpsScreen)
        assert seats_on_disk(ws_path, tps.code)[seat] == person.nik
        assert seat_cells(app)[seat - 1][1] == person.name
        assert any(person.name in text for _s, text in notifications(app))
        assert not errors(app)

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)
        table = app.screen.query_one(TpsTable)
        row = table.get_row(tps.code)
        assert row[3].plain == f"{filled_before + 1}/7"
        assert table.cursor_key() == tps.code


async def test_the_arrows_move_the_highlight_while_typing_in_the_picker(workspace, ws_path):
    tps = tps_where(workspace, lambda t: t.filled < 7)
    seat = min(set(range(1, 8)) - set(tps.seats))
    offered = [c.person for c in candidates(workspace, tps)]
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "down", "down", "up")
        assert app.screen.focused is app.screen.query_one(PickerInput)
        assert app.screen.query_one(CandidateTable).cursor_row == 2
        await pilot.press("enter")
        await pilot.pause()
    assert seats_on_disk(ws_path, tps.code)[seat] == offered[2].nik


async def test_picker_lists_the_desa_first_and_filters_by_name(workspace):
    tps = tps_where(workspace, lambda t: t.filled < 7)
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        await pilot.press("enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CandidatePicker)
        keys = picker.query_one(CandidateTable).keys()
        same = [workspace.people[k].desa_code == tps.desa_code for k in keys]
        assert same == sorted(same, reverse=True)  # the TPS's desa first
        assert all(workspace.people[k].kecamatan_code == tps.kecamatan_code for k in keys)

        name = workspace.people[keys[0]].name.split()[0]
        await pilot.press(*name.lower())
        await pilot.pause()
        keys = picker.query_one(CandidateTable).keys()
        assert keys and all(name.casefold() in workspace.people[k].name.casefold() for k in keys)
        # NIKs are never shown whole.
        screen_text = " ".join(str(w.render()) for w in picker.query("Static"))
        assert keys[0] not in screen_text

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)


async def test_an_eighth_officer_is_refused_and_nothing_changes(workspace, ws_path):
    tps = tps_where(workspace, lambda t: t.filled == 7)
    before = seats_on_disk(ws_path, tps.code)
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)  # no picker for a full TPS
        full = check_seat(tps, 1, workspace.election, workspace.tps_label(tps))[0]
        assert full.code == "tps_full"
        assert shown(full.message, errors(app))
        someone = next(c.person for c in candidates(workspace, tps) if c.eligible)
        assert full.message in refusal(ws_path, assignments.assign, tps.code, 1, someone.nik)
    assert seats_on_disk(ws_path, tps.code) == before


async def test_a_seat_filled_meanwhile_by_another_session_closes_the_picker_naming_who(workspace, ws_path):
    tps = tps_where(workspace, lambda t: t.filled == 6)
    seat = min(set(range(1, 8)) - set(tps.seats))
    mine, theirs = [c.person for c in candidates(workspace, tps) if c.eligible][:2]
    app = make_app(workspace, poll_seconds=60)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        await pilot.press("enter")
        await pilot.pause()
        await type_filter(pilot, mine.nik)
        await pilot.pause()

        other = Workspace.open(ws_path)  # another coordinator, another process
        assignments.assign(other, tps.code, seat, theirs.nik, user="other")

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)  # the seat is not empty any more: no picker for it
        [said] = errors(app)  # once, not the full TPS and the taken seat in two sentences
        assert theirs.name in said and "other" in said
        assert _("{tps} is full: n opens the next TPS that is not full.").format(tps=workspace.tps_label(tps)) in said
        assert other.tps[tps.code].filled == 7
    assert seats_on_disk(ws_path, tps.code)[seat] == theirs.nik
    assert mine.nik not in seats_on_disk(ws_path, tps.code).values()


async def test_a_seat_taken_by_another_session_while_the_picker_is_open_closes_it_at_the_poll(workspace, ws_path):
    tps = tps_where(workspace, lambda t: t.filled < 6)
    theirs = [c.person for c in candidates(workspace, tps) if c.eligible][0]
    app = make_app(workspace, poll_seconds=60)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        await pilot.press("enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CandidatePicker)
        assignments.assign(Workspace.open(ws_path), tps.code, picker.seat, theirs.nik, user="sari")
        app.poll_workspace()  # the next tick of the poll, without waiting for it
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)
        assert any(theirs.name in e and "sari" in e for e in errors(app))


async def test_a_person_seated_elsewhere_is_refused(workspace, ws_path):
    tps = tps_where(workspace, lambda t: t.filled < 7)
    seat = min(set(range(1, 8)) - set(tps.seats))
    nik, where = next(
        (n, p) for n, p in sorted(workspace.placements.items())
        if workspace.people[n].kecamatan_code == tps.kecamatan_code and p.tps_code != tps.code
    )
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        await pilot.press("enter")
        await pilot.pause()
        await type_filter(pilot, nik)
        await pilot.pause()
        row = app.screen.query_one(CandidateTable).get_row_at(0)
        holder = workspace.seat_holder(nik)
        expected_cell = _("No") + ": " + _("seated at {tps}, seat {seat}").format(tps=holder.tps_label, seat=holder.seat)
        assert row[-1].plain == expected_cell
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CandidatePicker)
        assert shown(refusal(ws_path, assignments.assign, tps.code, seat, nik), errors(app))
    assert seat not in seats_on_disk(ws_path, tps.code)
    assert seats_on_disk(ws_path, where.tps_code)[where.seat] == nik


async def test_unassign_frees_the_seat_on_disk(workspace, ws_path):
    tps = tps_where(workspace, lambda t: t.filled == 7)
    nik = tps.seats[3].nik
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        await pilot.press("down", "down", "u")
        await pilot.pause()
        assert 3 not in seats_on_disk(ws_path, tps.code)
        assert seat_cells(app)[2][1:] == [_("(empty)"), *EMPTY_SEAT]
        assert any(workspace.people[nik].name in t for _s, t in notifications(app))
        # Now the TPS has room: Enter on the freed seat opens the picker.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CandidatePicker)


async def test_unassign_is_refused_when_another_session_changed_the_seat(workspace, ws_path):
    tps = tps_where(workspace, lambda t: t.filled == 7)
    app = make_app(workspace, poll_seconds=60)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        other = Workspace.open(ws_path)
        assignments.unassign(other, tps.code, 1)
        newcomer = next(c.person for c in candidates(other, other.tps[tps.code]) if c.eligible)
        assignments.assign(other, tps.code, 1, newcomer.nik, user="other")

        await pilot.press("u")  # the screen still shows the old Ketua on seat 1
        await pilot.pause()
        expected = refusal(ws_path, assignments.unassign, tps.code, 1, expected_nik=tps.seats[1].nik)
        assert shown(expected, errors(app))
        assert seats_on_disk(ws_path, tps.code)[1] == newcomer.nik


async def test_move_puts_the_person_on_an_empty_seat(workspace, ws_path):
    tps = tps_where(workspace, lambda t: 1 in t.seats and t.filled < 7)
    target = max(set(range(1, 8)) - set(tps.seats))
    nik = tps.seats[1].nik
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        app.screen.query_one(SeatTable).move_cursor(row=0)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, SeatChoice)
        await pilot.press(str(target))
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)
        on_disk = seats_on_disk(ws_path, tps.code)
        assert on_disk[target] == nik and 1 not in on_disk
        assert app.screen.query_one(SeatTable).cursor_row == target - 1  # the cursor follows


async def test_move_to_a_taken_seat_is_refused(workspace, ws_path):
    tps = tps_where(workspace, lambda t: t.filled == 7)
    before = seats_on_disk(ws_path, tps.code)
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        await pilot.press("m", "4")
        await pilot.pause()
        assert shown(refusal(ws_path, assignments.move, tps.code, 1, 4), errors(app))
    assert seats_on_disk(ws_path, tps.code) == before


async def test_swap_two_seats(workspace, ws_path):
    tps = tps_where(workspace, lambda t: t.filled == 7)
    a, b = tps.seats[2].nik, tps.seats[5].nik
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        await pilot.press("down", "s")
        await pilot.pause()
        assert isinstance(app.screen, SeatChoice)
        await pilot.press("5")
        await pilot.pause()
        on_disk = seats_on_disk(ws_path, tps.code)
        assert (on_disk[2], on_disk[5]) == (b, a)
        assert seat_cells(app)[1][1] == workspace.people[b].name
        # Escape in the seat choice changes nothing.
        await pilot.press("s", "escape")
        await pilot.pause()
        assert seats_on_disk(ws_path, tps.code) == on_disk


async def test_next_not_full_jumps_to_the_next_tps_with_an_empty_seat(workspace):
    tps = tps_where(workspace, lambda t: t.filled == 7)
    expected = next_not_full(workspace, tps.code)
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.code == expected
        assert app.screen.title == workspace.tps_label(workspace.tps[expected])
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(TpsTable).cursor_key() == expected  # the list follows


async def test_a_change_by_another_session_shows_within_the_refresh_interval(workspace, ws_path):
    tps = tps_where(workspace, lambda t: t.filled == 7)
    other_tps = tps_where(workspace, lambda t: 0 < t.filled < 7)
    app = make_app(workspace)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        app.screen.query_one(SeatTable).move_cursor(row=4)
        other = Workspace.open(ws_path)
        assignments.unassign(other, tps.code, 2)
        app.poll_workspace()
        await pilot.pause()
        assert seat_cells(app)[1][1:] == [_("(empty)"), *EMPTY_SEAT]
        assert app.screen.query_one(SeatTable).cursor_row == 4  # the cursor stays put

        await pilot.press("escape")
        await pilot.pause()
        list_table = app.screen.query_one(TpsTable)
        list_table.move_cursor(row=7)
        assignments.unassign(other, other_tps.code, min(other_tps.seats))
        app.poll_workspace()
        await pilot.pause()
        assert list_table.get_row(other_tps.code)[3].plain == f"{other_tps.filled - 1}/7"
        assert list_table.get_row(tps.code)[3].plain == "6/7"
        assert list_table.cursor_row == 7


async def test_seating_the_seventh_officer_says_what_is_next(workspace, ws_path):
    tps = tps_where(workspace, lambda t: t.filled == 6)
    person = next(c.person for c in candidates(workspace, tps) if c.eligible and not c.findings)
    app = make_app(workspace, poll_seconds=60)
    async with run(app) as pilot:
        await open_tps(pilot, tps.code)
        await pilot.press("enter")
        await pilot.pause()
        await type_filter(pilot, person.nik)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)
        hint = _("{tps} is full: n opens the next TPS that is not full.").format(tps=workspace.tps_label(tps))
        assert any(hint in text for _severity, text in notifications(app))
    assert person.nik in seats_on_disk(ws_path, tps.code).values()
