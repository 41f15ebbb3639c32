"""The candidate picker: applicants of the TPS's kecamatan, its desa first; Enter seats one."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from kpps_tui.domain.model import Seat, seat_title
from kpps_tui.domain.rules import Finding
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services.browse import Candidate, candidates
from kpps_tui.services.history import Assign
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.base import KppsModal
from kpps_tui.tui.screens.dialogs import ConfirmModal, Field, FormPrompt
from kpps_tui.tui.screens.reveal import NikReveal, reveal_binding
from kpps_tui.tui.text import Tones, fmt_date, fmt_int, plain, region_label, short_findings
from kpps_tui.tui.widgets.lines import InfoBlock
from kpps_tui.tui.widgets.search_input import SearchInput, walk_bindings
from kpps_tui.tui.widgets.virtual_table import Column, VirtualTable
from kpps_tui.tui.widgets.footer import KppsFooter


class CandidateTable(VirtualTable[Candidate]):
    """The candidates for one seat, drawn a screen at a time: a keystroke in the filter draws
    one screen of them, however many the kecamatan has."""

    COLUMNS = (
        Column("name", N_("Name"), width=16, weight=3, most=34),
        Column("nik", N_("NIK"), width=16, needs=100),
        Column("sex", N_("L/P"), width=3),
        Column("age", N_("Age"), width=4),
        Column("desa", N_("Desa/Kelurahan"), short=N_("Desa"), width=5, weight=1, most=24),
        Column("eligible", N_("Eligible?"), width=14, weight=3),
    )
    BINDINGS = [bind("enter", "select_cursor", N_("Assign"), id="picker.assign_row")]
    # The widths follow the first screens of candidates, those most likely chosen: a long
    # reason further down is cut there, and whole in the particulars under the list.
    MEASURED = 40

    def __init__(self, workspace, code: str, reveal: NikReveal, **kwargs) -> None:
        super().__init__(**kwargs)
        self.workspace = workspace
        self.code = code
        self.reveal = reveal
        self.tones = Tones()

    ROW_KEY = attrgetter("person.nik")  # what row_key says, in C

    def row_key(self, row: Candidate) -> str:
        return row.person.nik

    def status(self, c: Candidate) -> Text:
        """Eligible (a reserve of this TPS says which), with its warnings; or why not."""
        tones = self.tones
        if c.eligible:
            reserves = self.workspace.tps[self.code].reserves or ()
            # A proposal's reserve (cadangan) for this TPS, offered first for a freed seat.
            words = _("Reserve {n}").format(n=reserves.index(c.person.nik) + 1) if c.person.nik in reserves else _("Eligible")
            soft = short_findings(c.findings)
            if soft:
                words += ": " + soft
            return plain(words, tones.warn if soft else tones.good)
        return plain(_("No") + ": " + short_findings(f for f in c.findings if f.is_hard), tones.bad)

    def row_cells(self, row: Candidate) -> dict[str, Text]:
        c, tones = row, self.tones
        return {
            "name": plain(c.person.name, "" if c.eligible else tones.muted),
            "nik": plain(self.reveal.show(c.person.nik)),
            "sex": plain(c.person.sex),
            "age": plain(str(c.age)),
            "desa": plain(self.workspace.region_name(c.person.desa_code), tones.strong if c.same_desa else ""),
            "eligible": self.status(c),
        }

    def content_needs(self, rows: Sequence[Candidate]) -> dict[str, int]:
        """The first MEASURED candidates measured as plain strings (no cell is drawn for it)."""
        first = rows[: self.MEASURED]
        name = self.workspace.region_name
        return {
            "name": max((cell_len(c.person.name) for c in first), default=0),
            "nik": 16,
            "sex": 1,
            "age": max((len(str(c.age)) for c in first), default=0),
            "desa": max((cell_len(name(d)) for d in {c.person.desa_code for c in first}), default=0),
            "eligible": max((self.status(c).cell_len for c in first), default=0),
        }


class PickerInput(SearchInput):
    """The filter box; Enter in it assigns the highlighted person, the arrows move in the list."""

    BINDINGS = [
        bind("enter", "submit", N_("Assign"), id="picker.assign"),
        *walk_bindings("picker.", N_("Next person"), N_("Previous person"), action="screen.cursor"),
    ]


class CandidatePicker(KppsModal[str | None]):
    """Choose a person for one seat. Dismisses with the NIK seated, or None."""

    HELP = N_(
        "Applicants who live in the TPS's desa/kelurahan come first, then the rest of the kecamatan. "
        "Type part of a name or NIK to narrow the list; Enter seats the highlighted person. When the "
        "rule check warns about them, Ctrl+O asks for a written reason per warning and seats them with "
        "those reasons, which are kept with the seat."
    )

    BINDINGS = [
        bind("escape", "cancel", N_("Cancel"), id="picker.cancel"),
        bind("ctrl+o", "override", N_("Assign, with a reason per warning"), id="picker.override"),
        reveal_binding("picker"),
    ]
    DEFAULT_CSS = """
    CandidatePicker {
        align: center top;
    }
    CandidatePicker > Vertical {
        border: round $primary;
        background: $surface;
        height: 1fr;
        padding: 0 1;
    }
    CandidatePicker #picker-title {
        height: auto;
    }
    CandidatePicker #picker-count {
        height: 1;
        color: $text-muted;
    }
    /* The highlighted row is what Enter assigns, even while typing in the filter box. */
    CandidatePicker CandidateTable > .virtual-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    /* Every line of the highlighted person's particulars and findings: the list gives way. */
    CandidatePicker #candidate-detail {
        height: auto;
        max-height: 8;
        padding: 0;
    }
    """

    def __init__(self, workspace, code: str, seat: int) -> None:
        super().__init__(workspace)
        self.code = code
        self.seat = seat
        self.found: list[Candidate] = []  # the candidates the table shows
        self.reveal = NikReveal(self, self._redraw_revealed)
        self.saving = False  # a seat change is being written (Enter waits for it)

    def compose(self) -> ComposeResult:
        ws = self.workspace
        tps = ws.tps[self.code]
        with Vertical():
            title = _("{title} of {tps}: choose a person").format(
                title=seat_title(self.seat), tps=ws.tps_label(tps)
            )
            yield Static(Text(title, style="bold"), id="picker-title")
            search = PickerInput(placeholder=_("Type a name or NIK to filter"), id="picker-search", typed=self._typed)
            search.cursor_blink = self.kpps.cursor_blink
            yield search
            yield Static(id="picker-count")
            yield CandidateTable(self.workspace, self.code, self.reveal, id="candidates", highlighted=self._row_highlighted)
            yield InfoBlock(id="candidate-detail")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = _("Choose a person")
        self.query_one(PickerInput).focus()

    # ---- drawing -----------------------------------------------------------------------

    def reload(self) -> None:
        ws = self.workspace
        tps = ws.tps.get(self.code)
        if tps is None:
            return
        text = self.query_one(PickerInput).value
        self.found = found = candidates(ws, tps, text)
        self.query_one(CandidateTable).set_rows(found)
        eligible = sum(c.eligible for c in found)
        self._say_count(_("{count} applicants, {eligible} eligible").format(count=fmt_int(len(found)), eligible=fmt_int(eligible)))
        self._show_detail()

    def _say_count(self, words: str) -> None:
        """The line over the list: how many match, or the seat being saved (the write runs in a
        worker: this is the screen's answer to Enter, within a frame)."""
        self.query_one("#picker-count", Static).update(
            Text(words, no_wrap=True, overflow="ellipsis"),
            layout=False,  # always one line: nothing else on screen moves
        )

    def highlighted(self) -> Candidate | None:
        return self.query_one(CandidateTable).cursor_data()

    def _show_detail(self) -> None:
        candidate = self.highlighted()
        detail = self.query_one("#candidate-detail", InfoBlock)
        if candidate is None:
            detail.update(_("Nobody matches. Clear the filter to see every applicant of the kecamatan."))
            return
        tones = Tones()
        person = candidate.person
        text = Text(end="")
        text.append(person.name, tones.strong)
        text.append(" · NIK " + self.reveal.show(person.nik) + " · ")
        text.append(
            _("born {place} {date}, {age} on voting day").format(
                place=person.birth_place, date=fmt_date(person.birth_date), age=candidate.age
            )
        )
        text.append(" · " + region_label(self.workspace.regions.get(person.desa_code), person.desa_code))
        for finding in sorted(candidate.findings, key=lambda f: not f.is_hard):
            text.append("\n")
            label = _("Not allowed:") if finding.is_hard else _("Warning:")
            text.append(label, tones.bad if finding.is_hard else tones.warn)
            text.append(" " + finding.message)
        detail.update(text)

    def _row_highlighted(self, row: object = None) -> None:
        candidate = self.highlighted()
        self.reveal.cursor_on(candidate.person.nik if candidate else None)
        self._show_detail()

    def _redraw_revealed(self, nik: str) -> None:
        """The NIK column (on a wide screen) and the detail, after a reveal or its end."""
        self.query_one(CandidateTable).redraw()
        self._show_detail()

    def action_reveal_nik(self) -> None:
        candidate = self.highlighted()
        self.reveal.reveal(candidate.person.nik if candidate else None)

    def _typed(self, text: str) -> None:
        self.reload()

    # ---- actions -----------------------------------------------------------------------

    def action_cursor(self, direction: str) -> None:
        table = self.query_one(CandidateTable)
        getattr(table, f"action_cursor_{direction}" if direction in ("up", "down") else f"action_{direction}")()

    @on(Input.Submitted, "#picker-search")
    @on(VirtualTable.RowSelected, "#candidates")
    def _assign(self, event) -> None:
        event.stop()
        candidate = self.highlighted()
        if candidate is None:
            self.notify(_("Nobody to assign: no applicant matches."), severity="warning", markup=False)
            return
        soft = [f for f in candidate.findings if not f.is_hard]
        if soft and len(soft) == len(candidate.findings):
            self._ask_over_warnings(candidate, soft)  # warnings only: asked once, never silently
            return
        self._seat(candidate)  # eligible, or refused: the service says why, once

    def _ask_over_warnings(self, candidate: Candidate, soft: list[Finding]) -> None:
        """Enter on someone with warnings: the warnings, then Enter seats, Ctrl+O asks for a
        written reason per warning, Escape goes back to the list."""
        lines = [_("Warning:") + " " + f.message for f in soft]
        question = ConfirmModal(
            _("Seat {name} despite the warnings?").format(name=candidate.person.name),
            "\n".join(lines),
            _("Seat anyway"),
            _("Back to the list"),
            _("Write the reasons"),
        )

        def answered(answer: bool | str | None) -> None:
            if answer == ConfirmModal.OTHER:
                self._ask_reasons(candidate, soft)
            elif answer is True:
                self._seat(candidate, asked=True)

        self.app.push_screen(question, callback=answered)

    def action_override(self) -> None:
        """Seat the highlighted person over the rule check's warnings, each with a written reason."""
        candidate = self.highlighted()
        if candidate is None:
            self.notify(_("Nobody to assign: no applicant matches."), severity="warning", markup=False)
            return
        soft = [f for f in candidate.findings if not f.is_hard]
        if not soft or len(soft) != len(candidate.findings):
            self._seat(candidate)  # nothing to override, or refused anyway: the service says why
            return
        self._ask_reasons(candidate, soft)

    def _ask_reasons(self, candidate: Candidate, soft: list[Finding]) -> None:
        form = FormPrompt(
            _("Seat {name} despite the warnings").format(name=candidate.person.name),
            _("Write why, for each warning. The reasons are kept with the seat and shown wherever this person appears."),
            [Field(f.code, f.message) for f in soft],
            required=[f.code for f in soft],
        )

        def seat_with(reasons: dict[str, str] | None) -> None:
            if reasons is not None:
                self._seat(candidate, tuple(reasons.items()), asked=True)

        self.app.push_screen(form, callback=seat_with)

    def _seat(self, candidate: Candidate, overrides: tuple[tuple[str, str], ...] = (), asked: bool = False) -> None:
        """Write the seat in a worker thread; the picker answers meanwhile, and closes when done."""
        if self.saving:
            return  # one write at a time: this Enter waits for the last one
        self.saving = True
        step = Assign(self.code, self.seat, candidate.person.nik, overrides)
        self._say_count(_("Saving: {name} on seat {seat}…").format(name=candidate.person.name, seat=self.seat))

        def finished() -> None:
            self.saving = False

        self.kpps.run_write(
            self.kpps.history.run,
            self.workspace,
            step,
            done=lambda found: self._seated(candidate, found or [], overrides, asked),
            failed=lambda error: self._refused(candidate, error),
            after=finished,
        )

    def _holder(self, nik: str | None = None) -> Seat | None:
        """Who sits on this seat now, if not `nik`."""
        tps = self.workspace.tps.get(self.code)
        seat = tps.seats.get(self.seat) if tps is not None else None
        return seat if seat is not None and seat.nik != nik else None

    def _refused(self, candidate: Candidate, error: KppsError) -> bool:
        holder = self._holder(candidate.person.nik)
        if holder is not None:
            self._taken(holder)  # lost a race: one sentence naming who took the seat
            return True
        if self.is_attached:
            self.reload()  # the workspace may have moved on meanwhile: show it as it is
        return False

    def _taken(self, holder: Seat) -> None:
        ws = self.workspace
        tps = ws.tps[self.code]
        person = ws.people.get(holder.nik)
        words = _("{title} of {tps} was taken meanwhile by {name} (seated by {user}).").format(
            title=seat_title(self.seat),
            tps=ws.tps_label(tps),
            name=person.name if person else holder.nik,
            user=holder.assigned_by or _("another session"),
        )
        self.notify(words + self._full_hint(), title=_("Seat taken"), severity="error", markup=False, timeout=10)
        if self.is_attached and self.app.screen is self:
            self.dismiss(None)

    def _full_hint(self) -> str:
        """" TPS 002 Candi is full: n opens the next TPS that is not full." when it is."""
        ws = self.workspace
        tps = ws.tps[self.code]
        if len(tps.seats) < ws.election.seats_per_tps:
            return ""
        return " " + _("{tps} is full: n opens the next TPS that is not full.").format(tps=ws.tps_label(tps))

    def workspace_changed(self, changed: set[str]) -> None:
        """Another session took this seat while the list was open: close it and say who."""
        holder = self._holder()
        if holder is not None and not self.saving:
            self._taken(holder)
            return
        super().workspace_changed(changed)

    def _seated(self, candidate: Candidate, found: list[Finding], overrides: tuple[tuple[str, str], ...], asked: bool) -> None:
        tps = self.workspace.tps[self.code]
        self.notify(
            _("{name} now sits on seat {seat} ({title}) of {tps}.").format(
                name=candidate.person.name, seat=self.seat, title=seat_title(self.seat), tps=self.workspace.tps_label(tps)
            )
            + self._full_hint(),
            markup=False,
        )
        if found and not overrides and not asked:
            self.notify(
                " ".join(f.message for f in found), title=_("Warning"), severity="warning", markup=False, timeout=8
            )
        if self.is_attached and self.app.screen is self:
            self.dismiss(candidate.person.nik)
        elif self.is_attached:  # covered meanwhile (help): the count again, not "Saving"
            self.reload()

    def action_cancel(self) -> None:
        self.dismiss(None)
