"""Usulan: the proposal for the TPS in view, computed in a worker, reviewed and accepted TPS by TPS."""

from __future__ import annotations

import threading
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Header, Label, ProgressBar, Static
from textual.worker import Worker, WorkerState

from kpps_tui.domain.model import seat_title
from kpps_tui.domain.staffing import EmptySeat, Proposal, ProposedSeat, TpsProposal
from kpps_tui.i18n import N_, _
from kpps_tui.services import proposals
from kpps_tui.services.proposals import ProposalCancelled, Scope
from kpps_tui.services.workspace import Workspace
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.base import KppsScreen
from kpps_tui.tui.screens.dialogs import ConfirmModal, ReportModal
from kpps_tui.tui.screens.picker import CandidatePicker
from kpps_tui.tui.text import Tones, fmt_int, plain, short_findings
from kpps_tui.tui.widgets.columns import Column
from kpps_tui.tui.widgets.lines import InfoBlock
from kpps_tui.tui.widgets.virtual_table import VirtualTable
from kpps_tui.tui.widgets.footer import KppsFooter

GROUP = "proposal"
Row = tuple[TpsProposal, ProposedSeat | EmptySeat, bool]  # the TPS, the seat, first row of its TPS


class ProposalTable(VirtualTable[Row]):
    """A row per seat proposed or left empty, the TPS named on its first row."""

    COLUMNS = (
        Column("tps", N_("TPS"), width=12, weight=2, most=24),
        Column("seat", N_("Seat"), width=5),
        Column("name", N_("Name"), width=14, weight=3, most=30, whole=True),
        Column("why", N_("Why"), width=12, weight=4),
        Column("warnings", N_("Warnings"), width=9, weight=2, most=24),
    )
    BINDINGS = [bind("enter", "screen.accept", N_("Accept TPS"), id="proposal.accept_row", show=False)]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tones = Tones()

    def row_key(self, row: Row) -> str:
        tps, entry, _first = row
        return f"{tps.tps_code}/{entry.seat}"

    def row_cells(self, row: Row) -> dict[str, Text]:
        tps, entry, first = row
        tones = self.tones
        if isinstance(entry, EmptySeat):
            return {
                "tps": plain(tps.label if first else ""),
                "seat": plain(str(entry.seat)),
                "name": plain(_("(stays empty)"), tones.bad),
                "why": plain(entry.why, tones.muted),
                "warnings": plain("-", tones.muted),
            }
        return {
            "tps": plain(tps.label if first else ""),
            "seat": plain(str(entry.seat)),
            "name": plain(entry.name),
            "why": plain(", ".join(entry.reasons)),
            "warnings": plain(short_findings(entry.warnings), tones.warn) if entry.warnings else plain("-", tones.muted),
        }


DETAIL_LINES = 6  # the detail box's height (max-height in DEFAULT_CSS)


class ProposalScreen(KppsScreen[None]):
    """The proposal for a scope: each TPS with its proposed officers, reasons and warnings."""
    WRITES = frozenset({"accept", "accept_all", "choose"})  # hidden from a viewer (KppsScreen)

    HELP = N_(
        "The proposal fills empty seats only, with applicants the rules allow, best first by: "
        "seats filled, the share of women per TPS, residents of the desa then the kecamatan, fewest "
        "warnings, and the most suitable on seat 1. Enter accepts the highlighted TPS (one undo step, "
        "Ctrl+Z); A accepts every TPS shown. x drops the highlighted name: the next best takes its "
        "place. c opens the picker to choose another person for that seat. Optimal means the "
        "objective equals the bound the solver proved."
    )
    DEFAULT_CSS = """
    ProposalScreen #proposal-job {
        height: 1;
        padding: 0 1;
    }
    ProposalScreen #proposal-progress {
        width: 30;
    }
    ProposalScreen #proposal-title, ProposalScreen #proposal-summary {
        height: auto;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ProposalScreen #proposal-detail {
        height: auto;
        max-height: 6;
    }
    """
    BINDINGS = [
        bind("a", "accept", N_("Accept TPS"), id="proposal.accept"),
        bind("A", "accept_all", N_("Accept all"), id="proposal.accept_all", key_display="A"),
        bind("x,delete", "drop", N_("Drop"), id="proposal.drop"),
        bind("c", "choose", N_("Choose"), id="proposal.choose"),
        bind("v", "read_detail", N_("Read all"), id="proposal.read_detail", show=False),
        bind("escape", "back", N_("Back"), id="proposal.back"),
    ]

    def __init__(self, workspace: Workspace, scope: Scope, title: str, **kwargs: Any) -> None:
        super().__init__(workspace, **kwargs)
        self.scope = scope
        self.scope_title = title
        self.proposal: Proposal | None = None
        self.cancel_event = threading.Event()
        self.dropped: set[str] = set()  # names the coordinator dropped, never proposed again here
        self.edited = False  # a name dropped or chosen by hand: the solver's optimum is no longer shown
        # Each TPS accepted here, so an undo (Ctrl+Z, here or later) brings it back for review
        # and a redo takes it out again; `order` keeps the first proposal's order.
        self.accepted: dict[str, tuple[TpsProposal, proposals.Accepted]] = {}
        self.order: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(_("Usulan: {scope}").format(scope=self.scope_title), style="bold", no_wrap=True, overflow="ellipsis"), id="proposal-title")
        with Horizontal(id="proposal-job"):
            yield ProgressBar(total=None, show_eta=False, id="proposal-progress")
            yield Label(_("Computing the proposal…"), id="proposal-status")
        yield Static(id="proposal-summary")
        yield ProposalTable(id="proposal-table", highlighted=self._row_highlighted)
        yield InfoBlock(id="proposal-detail")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = _("Usulan")
        self.query_one("#proposal-summary").display = False
        self._compute(self.workspace.root, self.workspace.user)

    # ---- computing -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group=GROUP, exit_on_error=False)
    def _compute(self, root: Any, user: str) -> Proposal | None:
        """(In a thread.) A session of its own reads the files, so this screen's session can
        go on reloading meanwhile; None when cancelled."""
        ws = Workspace.open(root)
        ws.user = user
        try:
            return proposals.propose(ws, self.scope, progress=self._progress_from_worker, cancel=self.cancel_event)
        except ProposalCancelled:
            return None

    def _progress_from_worker(self, done: int, total: int) -> None:
        self.app.call_from_thread(self._show_progress, done, total)

    def _show_progress(self, done: int, total: int) -> None:
        if not self.is_mounted or self.cancel_event.is_set():
            return
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one("#proposal-status", Label).update(
            _("{done} of {total} kecamatan solved").format(done=fmt_int(done), total=fmt_int(total))
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != GROUP or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if event.state is WorkerState.ERROR:
            self.notify(str(event.worker.error), title=_("No proposal"), severity="error", markup=False, timeout=10)
            self.dismiss(None)
            return
        result = event.worker.result
        if result is None:  # cancelled
            self.dismiss(None)
            return
        assert isinstance(result, Proposal)
        self.proposal = result
        self.order = {t.tps_code: i for i, t in enumerate(result.tps)}
        self.query_one("#proposal-job").display = False
        self.query_one("#proposal-summary").display = True
        self._draw()
        self.query_one(ProposalTable).focus()

    @property
    def computing(self) -> bool:
        return self.proposal is None

    # ---- drawing -------------------------------------------------------------------------------

    def reload(self) -> None:
        if self.proposal is not None:
            self._follow_undo()
            self._draw()

    def _follow_undo(self) -> None:
        """An accepted TPS whose seats were freed again is back for review; one seated again
        (redo) leaves it."""
        assert self.proposal is not None
        back = []
        for code, (proposed, accepted) in self.accepted.items():
            if proposals.undone(self.workspace, accepted):
                back.append(proposed)
            else:
                self.proposal = self.proposal.without(code)
        self.proposal = self.proposal.with_back(back, self.order)

    def _rows(self) -> list[Row]:
        rows: list[Row] = []
        assert self.proposal is not None
        for t in self.proposal.tps:
            entries: list[ProposedSeat | EmptySeat] = [*t.seats, *t.left_empty]
            for i, entry in enumerate(sorted(entries, key=lambda e: e.seat)):
                rows.append((t, entry, i == 0))
        return rows

    def _draw(self, keep: str | None = None) -> None:
        proposal = self.proposal
        assert proposal is not None
        tones = Tones()
        table = self.query_one(ProposalTable)
        table.set_rows(self._rows(), keep=keep or table.cursor_key())
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(
            _("{proposed} of {empty} empty seats proposed").format(
                proposed=fmt_int(len(proposal.seats)), empty=fmt_int(proposal.empty_seats)
            ),
            tones.strong,
        )
        text.append(" · " + _("warnings: {n}").format(n=fmt_int(proposal.warnings)))
        text.append("\n" + _("TPS short of women: {n}").format(n=fmt_int(proposal.tps_short_of_women)) + " · ")
        if self.edited:
            text.append(_("changed by hand since it was solved"), tones.warn)
        elif proposal.optimal:
            text.append(_("optimal (objective = bound)"), tones.good)
        else:
            text.append(_("not proved optimal (objective < bound)"), tones.warn)
        text.append(" · " + _("{seconds:.1f} s").format(seconds=proposal.seconds))
        self.query_one("#proposal-summary", Static).update(text)
        self._show_detail()

    def highlighted(self) -> Row | None:
        if self.proposal is None:
            return None
        return self.query_one(ProposalTable).cursor_data()

    def _show_detail(self) -> None:
        detail = self.query_one("#proposal-detail", InfoBlock)
        text = self._detail_text()
        if text is None:
            detail.update(_("Nothing left to propose here: every seat in view is filled or accepted."))
            return
        detail.update(self._fitted(text, max(20, self.size.width - 2)))

    def _fitted(self, text: Text, width: int) -> Text:
        """The detail as the box holds it: whole when it fits, else its first lines and a last
        one that says it goes on and which key shows all of it."""
        lines = text.wrap(self.app.console, width)
        if len(lines) <= DETAIL_LINES:
            return text
        shown = Text("\n", end="").join(lines[: DETAIL_LINES - 1])
        more = _("… v: read all")
        shown.append("\n" + more, Tones().warn)
        return shown

    def action_read_detail(self) -> None:
        text = self._detail_text()
        if text is not None:
            first, _newline, rest = text.plain.partition("\n")
            self.app.push_screen(ReportModal(first, "", rest.split("\n")))

    def _detail_text(self) -> Text | None:
        row = self.highlighted()
        if row is None:
            return None
        tones = Tones()
        tps, entry, _first = row
        text = Text(end="")
        text.append(f"{seat_title(entry.seat)} · {tps.label}", tones.strong)
        if isinstance(entry, EmptySeat):
            text.append("\n" + entry.why)
        else:
            text.append(" · " + entry.name + "\n" + ", ".join(entry.reasons))
            for finding in entry.warnings:
                text.append("\n")
                text.append(_("Warning:"), tones.warn)
                text.append(" " + finding.message)
        if tps.reserves and self.proposal is not None:
            names = ", ".join(self.proposal.reserve_names.get(n, n) for n in tps.reserves)
            text.append("\n" + _("Reserves (cadangan): {names}").format(names=names))
        return text

    def _row_highlighted(self, row: object = None) -> None:
        self._show_detail()

    # ---- acting ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if super().check_action(action, parameters) is False:
            return False
        if action in ("accept", "accept_all", "drop", "choose") and self.computing:
            return None  # shown greyed while the proposal is computed
        return True

    def action_accept(self) -> None:
        row = self.highlighted()
        if row is None or not row[0].seats:
            self.notify(_("Nothing to accept here: no one is proposed for this TPS."), markup=False)
            return
        self._accept([row[0]])

    def action_accept_all(self) -> None:
        if self.proposal is None:
            return
        shown = [t for t in self.proposal.tps if t.seats]
        if not shown:
            self.notify(_("Nothing to accept here: no one is proposed for this TPS."), markup=False)
            return
        seats = sum(len(t.seats) for t in shown)
        question = ConfirmModal(
            _("Accept the whole proposal?"),
            _("{seats} officers will be seated at {tps} TPS; each TPS can be undone on its own (Ctrl+Z).").format(
                seats=fmt_int(seats), tps=fmt_int(len(shown))
            ),
            _("Accept all"),
            _("Not now"),
        )
        self.app.push_screen(question, callback=lambda yes: self._accept(shown) if yes else None)

    def _accept(self, chosen: list[TpsProposal]) -> None:
        ok, accepted = self.kpps.run_service(proposals.accept_many, self.workspace, chosen)
        if not ok or accepted is None or self.proposal is None:
            return
        seated = 0
        by_code = {t.tps_code: t for t in chosen}
        for result in accepted:
            if result.seated:
                self.kpps.history.record(result.step)
                self.accepted[result.tps_code] = (by_code[result.tps_code], result)
            seated += len(result.seated)
            self.proposal = self.proposal.without(result.tps_code)
        refused = [f"{a.label}: {text}" for a in accepted for text in a.refused]
        self.notify(
            _("Accepted: {seated} officers seated at {tps} TPS.").format(seated=fmt_int(seated), tps=fmt_int(len(accepted))),
            markup=False,
        )
        if refused:
            self.notify(" ".join(refused), title=_("Refused"), severity="warning", markup=False, timeout=12)
        self._draw()

    def action_drop(self) -> None:
        row = self.highlighted()
        if row is None or not isinstance(row[1], ProposedSeat):
            self.notify(_("No name to drop on this row."), markup=False)
            return
        self._propose_again(row[0], {row[1].nik})

    def _propose_again(self, tps: TpsProposal, dropped: set[str]) -> None:
        """The TPS proposed again without the dropped people (and without anyone this proposal
        names for another TPS): the next best take their places."""
        assert self.proposal is not None
        self.dropped |= dropped
        exclude = self.proposal.proposed_elsewhere(tps.tps_code) | frozenset(self.dropped)
        ok, again = self.kpps.run_service(proposals.propose, self.workspace, Scope("tps", tps.tps_code), exclude=exclude)
        if not ok or again is None or not again.tps:
            return
        self.proposal = self.proposal.with_tps(again.tps[0], again.reserve_names)
        self.edited = True
        self._draw()

    def action_choose(self) -> None:
        row = self.highlighted()
        if row is None:
            return
        tps, entry, _first = row
        if tps.tps_code not in self.workspace.tps:
            return

        def chosen(nik: str | None) -> None:
            if nik is not None:
                self._propose_again(tps, set())

        self.app.push_screen(CandidatePicker(self.workspace, tps.tps_code, entry.seat), callback=chosen)

    def action_back(self) -> None:
        if self.computing:
            self.cancel_event.set()
            self.query_one("#proposal-status", Label).update(_("Cancelling…"))
            return
        self.dismiss(None)
