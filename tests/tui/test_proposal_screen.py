"""Usulan in the interface: p on the TPS list or a TPS opens the proposal for what is in view;
it is reviewed and accepted TPS by TPS (one undo step each), names dropped or chosen by hand."""

from __future__ import annotations

from rich.text import Text

from kpps_tui.i18n import _
from kpps_tui.services.proposals import Scope
from kpps_tui.tui.screens.dialogs import ConfirmModal, ReportModal
from kpps_tui.tui.screens.picker import CandidatePicker
from kpps_tui.tui.screens.proposal import ProposalScreen, ProposalTable
from kpps_tui.tui.screens.tps_detail import TpsScreen

from .conftest import BOTH_LANGUAGES, make_app, notifications, run, seats_on_disk
from .support import screen_text

UI_LANGUAGES = BOTH_LANGUAGES  # the review screen is walked in Indonesian and in English


async def proposal_ready(pilot) -> ProposalScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ProposalScreen)
    for _ in range(400):
        if screen.proposal is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause()
    assert screen.proposal is not None
    return screen


async def test_p_on_the_list_proposes_every_tps_and_accepting_one_is_one_undo_step(workspace, ws_path):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("p")
        screen = await proposal_ready(pilot)
        assert screen.scope == Scope("all")
        proposal = screen.proposal
        assert proposal.optimal and len(proposal.seats) > 1000
        text = screen_text(app)
        assert _("optimal (objective = bound)") in text
        first = screen.highlighted()[0]  # the first TPS with a seat to fill
        assert first is next(t for t in proposal.tps if t.seats) and first.label in text
        before = seats_on_disk(ws_path, first.tps_code)

        await pilot.press("a")
        await pilot.pause()
        after = seats_on_disk(ws_path, first.tps_code)
        assert {s.seat: s.nik for s in first.seats}.items() <= after.items()
        assert first.tps_code not in {t.tps_code for t in screen.proposal.tps}
        assert any(_("Accepted: {seated} officers seated at {tps} TPS.").format(seated=len(first.seats), tps=1) in m for _s, m in notifications(app))

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert seats_on_disk(ws_path, first.tps_code) == before
        # Undone: the TPS is back for review, in its first place, with its first proposal.
        codes = [t.tps_code for t in screen.proposal.tps]
        assert codes == [t.tps_code for t in proposal.tps]
        assert next(t for t in screen.proposal.tps if t.tps_code == first.tps_code) == first

        await pilot.press("ctrl+y")  # redo: seated again, so it leaves the review again
        await pilot.pause()
        assert {s.seat: s.nik for s in first.seats}.items() <= seats_on_disk(ws_path, first.tps_code).items()
        assert first.tps_code not in {t.tps_code for t in screen.proposal.tps}


async def test_dropping_a_name_puts_the_next_best_in_its_place(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("p")
        screen = await proposal_ready(pilot)
        table = screen.query_one(ProposalTable)
        tps, seat, _first = screen.highlighted()
        dropped = seat.nik
        await pilot.press("x")
        await pilot.pause()
        again = next(t for t in screen.proposal.tps if t.tps_code == tps.tps_code)
        assert dropped not in {s.nik for s in again.seats}
        assert len(again.seats) == len(tps.seats)
        elsewhere = {s.nik for t in screen.proposal.tps if t.tps_code != tps.tps_code for s in t.seats}
        assert not elsewhere & {s.nik for s in again.seats}
        assert _("changed by hand since it was solved") in screen_text(app)
        assert table.row_count


async def test_p_on_a_tps_proposes_its_seats_and_c_chooses_another_by_hand(workspace, ws_path):
    tps = next(t for t in sorted(workspace.tps.values(), key=lambda t: t.code) if 0 < t.filled < 6)
    app = make_app(workspace)
    async with run(app) as pilot:
        await app.push_screen(TpsScreen(workspace, tps.code))
        await pilot.pause()
        await pilot.press("p")
        screen = await proposal_ready(pilot)
        assert {t.tps_code for t in screen.proposal.tps} == {tps.code}
        proposed = screen.proposal.tps[0]
        free = 7 - tps.filled
        assert len(proposed.seats) + len(proposed.left_empty) == free
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CandidatePicker)
        await pilot.press("enter")  # the picker's first eligible person, seated by hand
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert len(seats_on_disk(ws_path, tps.code)) == tps.filled + 1
        assert sum(len(t.seats) + len(t.left_empty) for t in screen.proposal.tps) == free - 1


async def test_accept_all_asks_first_then_seats_every_tps_shown(workspace, ws_path):
    desa = sorted({t.desa_code for t in workspace.tps.values() if t.filled < 7})[0]
    app = make_app(workspace)
    async with run(app) as pilot:
        await app.push_screen(ProposalScreen(workspace, Scope("desa", desa), desa))
        screen = await proposal_ready(pilot)
        shown = [t for t in screen.proposal.tps if t.seats]
        assert shown
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")
        await pilot.pause()
        for t in shown:
            on_disk = seats_on_disk(ws_path, t.tps_code)
            assert all(on_disk[s.seat] == s.nik for s in t.seats)
        assert len(app.history.done) == len(shown)


def seat_files(digests, ws_path) -> dict[str, str]:
    return {name: digest for name, digest in digests(ws_path).items() if name.startswith(("tps/", "people/"))}


async def test_escape_while_computing_goes_back_and_changes_nothing(workspace, ws_path, digests):
    app = make_app(workspace)
    before = seat_files(digests, ws_path)
    async with run(app) as pilot:
        await pilot.press("p")
        await pilot.press("escape")
        for _ in range(200):
            if not isinstance(app.screen, ProposalScreen):
                break
            await pilot.pause(0.05)
            if isinstance(app.screen, ProposalScreen) and app.screen.proposal is not None:
                await pilot.press("escape")
        assert not isinstance(app.screen, ProposalScreen)
    assert seat_files(digests, ws_path) == before


async def test_a_freed_seat_offers_the_tps_reserves_first_in_the_picker(workspace, ws_path):
    from kpps_tui.services import assignments, proposals
    from kpps_tui.tui.screens.picker import CandidateTable

    proposal = proposals.propose(workspace, Scope("all"))
    target = next(t for t in proposal.tps if len(t.seats) >= 2 and len(t.reserves) == 2)
    proposals.accept(workspace, target)
    seat = target.seats[0].seat
    assignments.unassign(workspace, target.tps_code, seat)  # the member left: a seat to refill
    app = make_app(workspace)
    async with run(app) as pilot:
        await app.push_screen(CandidatePicker(workspace, target.tps_code, seat))
        await pilot.pause()
        table = app.screen.query_one(CandidateTable)
        first_two = [table.get_row_at(i) for i in range(2)]
        names = [workspace.people[n].name for n in target.reserves]
        assert [row[0].plain for row in first_two] == names
        assert first_two[0][-1].plain.startswith(_("Reserve {n}").format(n=1))


async def test_a_detail_longer_than_its_box_says_so_and_v_shows_all_of_it(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("p")
        screen = await proposal_ready(pilot)
        long = "Warga " + " ".join(f"alasan{i}" for i in range(200))
        fitted = screen._fitted(Text(f"Judul\n{long}"), 40)
        lines = fitted.plain.split("\n")
        assert len(lines) == 6 and lines[-1] == _("… v: read all")
        short = screen._fitted(Text("Judul\nsatu baris"), 40)
        assert short.plain == "Judul\nsatu baris"  # what fits is shown whole, with no mark

        shown = screen._detail_text()
        assert shown is not None
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ReportModal)
        assert shown.plain.partition("\n")[0] == app.screen.report_title
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_at_80_columns_the_names_read_whole(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("p")
        screen = await proposal_ready(pilot)
        table = screen.query_one(ProposalTable)
        assert table.size.width == 80
        widths = {column.key: width for column, width in table.shown_columns()}
        assert list(widths) == ["tps", "seat", "name", "why", "warnings"]
        names = [table.row_cells(row)["name"].cell_len for row in table._rows]
        cut = [n for n in names if n > widths["name"]]
        assert len(cut) * 100 <= len(names), (widths, len(cut), len(names))  # at most one name in 100
        # Most rows warn of nothing ("-"): the warnings no longer keep room the names lack.
        assert widths["warnings"] < len(_("Warnings")) + 3, widths
        header = table.render_line(0).text
        assert all(label in header for label in table.column_labels())
        assert not any(label.endswith("…") for label in table.column_labels())
