"""One TPS: its particulars and seven seats; assign, unassign, move and swap from here."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Header

from kpps_tui.domain.applicants import sex_label
from kpps_tui.domain.declarations import DeclKind
from kpps_tui.domain.model import Person, Tps, seat_title
from kpps_tui.domain.rules import check_seat
from kpps_tui.i18n import N_, _
from kpps_tui.services.audit_log import changed_by_another_session
from kpps_tui.services.browse import SeatView, fill_status, next_not_full, seat_views
from kpps_tui.services.history import Move, Swap, Unassign
from kpps_tui.services.proposals import Scope
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.base import KppsScreen
from kpps_tui.tui.screens.declaring import (
    SIPOL_WORD,
    DeclarationActions,
    declaration_bindings,
    describe_declaration,
    describe_neutrality,
    short_state,
    state_tone,
)
from kpps_tui.tui.screens.picker import CandidatePicker
from kpps_tui.tui.screens.proposal import ProposalScreen
from kpps_tui.tui.screens.reveal import NikReveal, reveal_binding
from kpps_tui.tui.screens.seat_choice import SeatChoice
from kpps_tui.tui.text import Tones, fmt_date, fmt_int, plain, region_label, short_findings
from kpps_tui.tui.widgets.columns import Column
from kpps_tui.tui.widgets.lines import InfoBlock
from kpps_tui.tui.widgets.virtual_table import VirtualTable
from kpps_tui.tui.widgets.footer import KppsFooter


class SeatTable(VirtualTable[SeatView]):
    """The seven seats, as high as they are (their header and rows)."""

    COLUMNS = (
        Column("seat", N_("Seat"), width=14),
        Column("name", N_("Name"), width=10, weight=3, most=34),
        Column("sex", N_("L/P"), width=3),
        Column("age", N_("Age"), width=4),
        Column("desa", N_("Desa/Kelurahan"), short=N_("Desa"), width=5, weight=1, most=24),
        Column("warnings", N_("Warnings"), width=6, weight=2),
        Column("declaration", N_("Declaration"), width=10),
    )
    BINDINGS = [bind("enter", "select_cursor", N_("Assign"), id="tps.pick")]
    DEFAULT_CSS = """
    SeatTable {
        height: auto;
        max-height: 9;
    }
    """

    def __init__(self, cells: Callable[[SeatView], dict[str, Text]], **kwargs) -> None:
        super().__init__(**kwargs)
        self._seat_cells = cells

    def _write_refusal(self) -> str | None:
        screen = self.screen
        return screen.write_refusal() if isinstance(screen, KppsScreen) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Enter seats someone: a viewer does not see it (as the screen's own write keys).
        if action == "select_cursor" and self._write_refusal() is not None:
            return False
        return super().check_action(action, parameters)

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter" and (sentence := self._write_refusal()) is not None:
            event.stop()
            event.prevent_default()
            self.notify(sentence, severity="warning", markup=False)

    def row_key(self, row: SeatView) -> str:
        return str(row.seat)

    def row_cells(self, row: SeatView) -> dict[str, Text]:
        return self._seat_cells(row)


class TpsScreen(DeclarationActions, KppsScreen[str]):
    """The seven seats of one TPS. Dismisses with the code of the TPS shown last."""
    WRITES = frozenset({"assign", "unassign", "move", "swap", "declare", "clear_sipol", "party_letter"})  # hidden from a viewer (KppsScreen)

    HELP = N_(
        "Enter on an empty seat opens the candidate picker. m moves the person to an empty seat; "
        "s swaps two seats (the members settle seats 2 to 7 among themselves). "
        "Warnings do not stop a seating; refusals do. Ctrl+Z undoes this session's last seat change, "
        "Ctrl+Y redoes it. The Surat Pernyataan of the highlighted officer: h handed in, v verified, "
        "x rejected, b not handed in; c clears a SIPOL flag, f records a former member's party letter."
    )

    BINDINGS = [
        bind("a", "assign", N_("Assign"), id="tps.assign", show=False),
        bind("u,delete", "unassign", N_("Unassign"), id="tps.unassign"),
        bind("m", "move", N_("Move"), id="tps.move"),
        bind("s", "swap", N_("Swap"), id="tps.swap"),
        bind("n", "next_not_full", N_("Next not full"), id="tps.next_not_full"),
        bind("p", "propose", N_("Propose"), id="tps.propose", show=False),
        bind("escape", "back", N_("Back"), id="tps.back"),
        *declaration_bindings("tps", show=False),
        reveal_binding("tps"),
    ]

    def __init__(self, workspace, code: str, *, seat: int | None = None, **kwargs) -> None:
        super().__init__(workspace, **kwargs)
        self.code = code
        self.views: list[SeatView] = []
        self._drawn_code: str | None = None  # the TPS the seat table shows
        self._drawn_tps: Tps | None = None  # as last drawn: a change by another session is said
        self._start_seat = seat  # where the cursor starts, else on the first empty seat
        self.declaration_kind = DeclKind.STATEMENT
        self.reveal = NikReveal(self, lambda _nik: self._show_detail())

    @property
    def tps(self) -> Tps:
        return self.workspace.tps[self.code]

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoBlock(id="tps-info")
        yield SeatTable(self._cells, id="seats", highlighted=self._seat_highlighted)
        yield InfoBlock(id="seat-detail")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.query_one(SeatTable).focus()

    # ---- drawing -----------------------------------------------------------------------

    def reload(self, keep_seat: int | None = None) -> None:
        ws = self.workspace
        tps = self.tps
        if self._drawn_code != self.code:
            # A TPS just opened: start on its first empty seat, ready for Enter.
            self._drawn_code = self.code
            keep_seat = keep_seat or self._start_seat or self._first_empty_seat() or 1
            self._start_seat = None
        tones = Tones()
        if self._drawn_tps is not None and self._drawn_tps.code == tps.code and self._drawn_tps != tps:
            user = changed_by_another_session(ws, tps.code)
            if user is not None:  # not a silent redraw: say who changed what is on screen
                self.notify(
                    _("{tps} was changed by {user}.").format(tps=ws.tps_label(tps), user=user),
                    title=_("Changed elsewhere"),
                    markup=False,
                    timeout=8,
                )
        self._drawn_tps = tps
        self.title = ws.tps_label(tps)
        self.views = seat_views(ws, tps)
        self._show_info(tps, tones)
        table = self.query_one(SeatTable)
        table.set_rows(self.views, keep=str(keep_seat) if keep_seat is not None else None)
        self._show_detail()

    def _show_info(self, tps: Tps, tones: Tones) -> None:
        ws = self.workspace
        seats = ws.election.seats_per_tps
        status = fill_status(tps.filled, seats)
        text = Text(no_wrap=False, end="")
        text.append(ws.tps_label(tps), tones.strong)
        text.append(" · ")
        text.append(region_label(ws.regions.get(tps.desa_code), tps.desa_code))
        text.append(" · ")
        text.append(_("Kecamatan {name}").format(name=ws.region_name(tps.kecamatan_code)))
        text.append("\n")
        if tps.address:
            text.append(_("Address: {address}").format(address=tps.address))
            text.append(" · ")
        text.append(_("Voters (DPT): {voters}").format(voters=fmt_int(tps.voters)))
        text.append(" · ")
        text.append(_("code {code} (for kpps commands)").format(code=tps.code))
        text.append("\n")
        text.append(_("Seats filled: {filled} of {seats}").format(filled=tps.filled, seats=seats))
        text.append(" · ")
        text.append(status.label, tones.status(status))
        self.query_one("#tps-info", InfoBlock).update(text)

    def _cells(self, view: SeatView) -> dict[str, Text]:
        tones = Tones()
        title = plain(seat_title(view.seat), tones.strong if view.seat == 1 else "")
        if view.empty:
            return {"seat": title, "name": plain(_("(empty)"), tones.muted)}
        person = view.person
        desa = self.workspace.region_name(person.desa_code) if person else ""
        age = str(person.age_on(self.workspace.election.voting_day)) if person else ""
        hard = any(f.is_hard for f in view.findings)
        warnings = short_findings(view.findings)
        listed = person is not None and person.neutrality.sipol_listed
        if listed:  # in SIPOL: the declaration cannot be verified until the flag is cleared
            warnings = ", ".join(w for w in (SIPOL_WORD, warnings) if w)
        state = person.neutrality.statement.state if person else None
        return {
            "seat": title,
            "name": plain(view.name),
            "sex": plain(person.sex if person else ""),
            "age": plain(age),
            "desa": plain(desa),
            "warnings": plain(warnings, tones.bad if hard or listed else tones.warn),
            "declaration": plain(short_state(state), state_tone(state, tones)) if state else plain(""),
        }

    def _show_detail(self) -> None:
        """Particulars of the person on the highlighted seat, and the full warning sentences."""
        view = self.current_view()
        detail = self.query_one("#seat-detail", InfoBlock)
        if view is None:
            detail.update("")
            return
        tones = Tones()
        ws = self.workspace
        text = Text(end="")
        text.append(seat_title(view.seat), tones.strong)
        text.append(": ")
        if view.empty:
            text.append(_("empty. Press Enter to choose a person for it."))
            detail.update(text)
            return
        person = view.person
        text.append(view.name)
        text.append(" · NIK ")
        text.append(self.reveal.show(view.nik or ""))
        if person is not None:
            sex = sex_label(person.sex)
            text.append(f" · {sex} · ")
            text.append(
                _("born {place} {date}, {age} on voting day").format(
                    place=person.birth_place,
                    date=fmt_date(person.birth_date),
                    age=person.age_on(ws.election.voting_day),
                )
            )
            text.append("\n")
            address = person.address
            if person.rt or person.rw:
                address += " " + _("RT {rt}/RW {rw}").format(rt=person.rt, rw=person.rw)
            text.append(f"{address}, {region_label(ws.regions.get(person.desa_code), person.desa_code)}")
            if person.phone:
                text.append(" · " + _("phone {phone}").format(phone=person.phone))
            if person.education:
                text.append(" · " + _("education {level}").format(level=person.education))
        if person is not None:
            text.append("\n")
            text.append_text(describe_declaration(person, DeclKind.STATEMENT, tones))
            neutrality = describe_neutrality(person, tones)
            if neutrality.plain:
                text.append(" · ")
                text.append_text(neutrality)
        for finding in view.findings:
            text.append("\n")
            label = _("Not allowed:") if finding.is_hard else _("Warning:")
            text.append(label, tones.bad if finding.is_hard else tones.warn)
            text.append(" " + finding.message)
            reason = next((o.reason for o in getattr(self.tps.seats.get(view.seat), "overrides", ()) if o.code == finding.code and o.reason), "")
            if reason:
                text.append(" " + _("Reason: {reason}").format(reason=reason), tones.muted)
        detail.update(text)

    def _seat_highlighted(self, row: object = None) -> None:
        view = self.current_view()
        self.reveal.cursor_on(view.nik if view else None)
        self._show_detail()

    def current_view(self) -> SeatView | None:
        key = self.query_one(SeatTable).cursor_key()
        if key is None or not self.views:
            return None
        return self.views[int(key) - 1]

    def _seat_nik_seen(self, seat: int) -> str | None:
        """The NIK this screen shows on `seat` (what the user saw, for the services' check)."""
        return self.views[seat - 1].nik if self.views else None

    # ---- actions -----------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#seats")
    def _seat_selected(self, event: VirtualTable.RowSelected) -> None:
        self.action_assign()

    def action_assign(self) -> None:
        """Open the candidate picker for the highlighted seat, if it is empty."""
        view = self.current_view()
        if view is None:
            return
        ws = self.workspace
        full = check_seat(self.tps, view.seat, ws.election, ws.tps_label(self.tps))
        if full and full[0].code == "tps_full":
            self.notify(full[0].message, title=_("Refused"), severity="error", markup=False)
            return
        if not view.empty:
            self.notify(
                _("{title} is taken by {name}. Choose an empty seat, or unassign (u), move (m) or swap (s) first.").format(
                    title=seat_title(view.seat), name=view.name
                ),
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(CandidatePicker(ws, self.code, view.seat), callback=self._after_pick)

    def _after_pick(self, nik: str | None) -> None:
        if nik is None:
            return
        self.reload(keep_seat=self._next_empty_seat() or self._seat_of(nik))

    def _next_empty_seat(self) -> int | None:
        seats = self.tps.seats
        current = self.current_view()
        start = current.seat if current else 0
        order = list(range(start + 1, self.workspace.election.seats_per_tps + 1)) + list(range(1, start + 1))
        return next((n for n in order if n not in seats), None)

    def _first_empty_seat(self) -> int | None:
        seats = self.tps.seats
        return next((n for n in range(1, self.workspace.election.seats_per_tps + 1) if n not in seats), None)

    def _seat_of(self, nik: str) -> int | None:
        return next((n for n, s in self.tps.seats.items() if s.nik == nik), None)

    def action_unassign(self) -> None:
        view = self.current_view()
        if view is None:
            return
        if view.nik is None:
            self.notify(_("{title} is already empty.").format(title=seat_title(view.seat)), markup=False)
            return
        if self._still_writing():
            return

        def done(_found: object) -> None:
            self.notify(
                _("{name} no longer sits on seat {seat} ({title}).").format(
                    name=view.name, seat=view.seat, title=seat_title(view.seat)
                ),
                markup=False,
            )

        self._saving(_("Saving: {name} leaves seat {seat}…").format(name=view.name, seat=view.seat))
        self.kpps.run_write(
            self.kpps.history.run,
            self.workspace,
            Unassign(self.code, view.seat, view.nik),
            done=done,
            after=lambda: self._redraw_on(view.seat),
        )

    def _saving(self, words: str) -> None:
        """The screen's answer while a seat change is written in its worker: said where the
        seat's detail stands, until the TPS is drawn again (`_redraw_on`)."""
        self.query_one("#seat-detail", InfoBlock).update(Text(words, end=""))

    def _redraw_on(self, seat: int) -> None:
        if self.is_attached:  # the user may have gone on to another screen meanwhile
            self.reload(keep_seat=seat)

    def _still_writing(self) -> bool:
        """A seat change of this session is still being written: the next waits for it."""
        if not self.kpps.writing:
            return False
        self.notify(_("The last change is still being saved; press the key again in a moment."), markup=False)
        return True

    def action_move(self) -> None:
        view = self.current_view()
        if view is None:
            return
        nik = view.nik
        if nik is None:
            self.notify(_("{title} is empty: nobody to move.").format(title=seat_title(view.seat)), markup=False)
            return
        prompt = _("Move {name} from seat {seat} to which seat?").format(name=view.name, seat=view.seat)

        def chosen(target: int | None) -> None:
            if target is None or self._still_writing():
                return
            moved: list[bool] = []

            def done(_result: object) -> None:
                moved.append(True)
                self.notify(
                    _("{name} moved to seat {seat} ({title}).").format(
                        name=view.name, seat=target, title=seat_title(target)
                    ),
                    markup=False,
                )

            self._saving(_("Saving: {name} to seat {seat}…").format(name=view.name, seat=target))
            self.kpps.run_write(
                self.kpps.history.run,
                self.workspace,
                Move(self.code, view.seat, target, nik),
                done=done,
                after=lambda: self._redraw_on(target if moved else view.seat),
            )

        self.app.push_screen(SeatChoice(prompt, self.views, view.seat), callback=chosen)

    def action_swap(self) -> None:
        view = self.current_view()
        if view is None:
            return
        name = view.name or _("(empty)")
        prompt = _("Swap seat {seat} ({name}) with which seat?").format(seat=view.seat, name=name)
        seen = {v.seat: v.nik for v in self.views}

        def chosen(other: int | None) -> None:
            if other is None or self._still_writing():
                return
            swapped: list[bool] = []

            def done(_result: object) -> None:
                swapped.append(True)
                self.notify(_("Seats {a} and {b} swapped.").format(a=view.seat, b=other), markup=False)

            self._saving(_("Saving: seats {a} and {b} swapped…").format(a=view.seat, b=other))
            self.kpps.run_write(
                self.kpps.history.run,
                self.workspace,
                Swap(self.code, view.seat, other, seen[view.seat], seen.get(other)),
                done=done,
                after=lambda: self._redraw_on(other if swapped else view.seat),
            )

        self.app.push_screen(SeatChoice(prompt, self.views, view.seat), callback=chosen)

    def action_next_not_full(self) -> None:
        code = next_not_full(self.workspace, self.code)
        if code is None:
            self.notify(_("Every TPS is full."), markup=False)
            return
        self.code = code
        self.reload()

    def action_propose(self) -> None:
        """Usulan for this TPS's empty seats."""
        self.app.push_screen(ProposalScreen(self.workspace, Scope("tps", self.code), self.workspace.tps_label(self.tps)))

    def action_back(self) -> None:
        self.dismiss(self.code)

    # ---- declarations and NIK ----------------------------------------------------------

    def declaration_targets(self) -> list[Person]:
        view = self.current_view()
        return [view.person] if view is not None and view.person is not None else []

    def after_declaration(self, changed: list[str], walk: bool = True) -> None:
        view = self.current_view()
        self.reload(keep_seat=view.seat if view else None)

    def action_reveal_nik(self) -> None:
        view = self.current_view()
        self.reveal.reveal(view.nik if view else None)
