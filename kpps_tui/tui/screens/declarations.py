"""Every seated officer's neutrality declaration: outstanding first, filters, one key per state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Header, Input, Select, Static

from kpps_tui import clock
from kpps_tui.domain.declarations import DeclKind, DeclState
from kpps_tui.domain.model import Person, seat_title
from kpps_tui.i18n import N_, _
from kpps_tui.services import reports
from kpps_tui.services.declarations import OfficerDeclaration, officers
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.base import KppsScreen
from kpps_tui.tui.screens.declaring import (
    SIPOL_WORD,
    STATE_ORDER,
    DeclarationActions,
    declaration_bindings,
    describe_declaration,
    describe_neutrality,
    state_tone,
)
from kpps_tui.tui.screens.dialogs import Field, FormPrompt
from kpps_tui.tui.screens.reveal import NikReveal, reveal_binding
from kpps_tui.tui.screens.tps_detail import TpsScreen
from kpps_tui.tui.text import Tones, chosen, desa_options, fmt_int, plain
from kpps_tui.tui.widgets.columns import Column
from kpps_tui.tui.widgets.lines import InfoBlock
from kpps_tui.tui.widgets.search_input import SearchInput, walk_bindings
from kpps_tui.tui.widgets.virtual_table import VirtualTable
from kpps_tui.tui.widgets.footer import KppsFooter

MARK = "✓"
EXPORT_SUFFIXES = (".xlsx", ".csv", ".pdf")
EXPORT_LEVELS = {
    "kecamatan": N_("Counts per kecamatan, and the outstanding officers"),
    "desa": N_("Counts per desa/kelurahan, and the outstanding officers"),
    "tps": N_("Counts per TPS, and the outstanding officers"),
    "outstanding": N_("Only the outstanding officers, in a CSV file"),
}


class DeclarationTable(VirtualTable[OfficerDeclaration]):
    """The officers shown, drawn a screen at a time; the NIK and the kecamatan come on wide screens."""

    COLUMNS = (
        Column("mark", MARK, width=1),
        Column("tps", N_("TPS"), width=12, weight=2, most=28),
        Column("seat", N_("Seat"), width=5),
        Column("name", N_("Name"), width=14, weight=3, most=34),
        Column("nik", N_("NIK"), width=16, needs=110),
        Column("kecamatan", N_("Kecamatan"), width=12, weight=1, most=20, needs=130),
        Column("state", N_("Status"), width=16),
        Column("sipol", SIPOL_WORD, width=5),
    )
    BINDINGS = [bind("enter", "select_cursor", N_("Open the TPS"), id="decl.open_tps", show=False)]
    MEASURED = 200  # the first officers set the widths: the full sample has 1,727 seated, a province 31,122

    def __init__(self, cells: Callable[[OfficerDeclaration], dict[str, Text]], **kwargs) -> None:
        super().__init__(**kwargs)
        self._officer_cells = cells

    def row_key(self, row: OfficerDeclaration) -> str:
        return row.person.nik

    def row_cells(self, row: OfficerDeclaration) -> dict[str, Text]:
        return self._officer_cells(row)


class DeclarationSearch(SearchInput):
    """The search box (a TPS number, part of a name or of a NIK); the arrows move in the table."""

    BINDINGS = walk_bindings("decl.search_", N_("Next person"), N_("Previous person"))


class DeclarationsScreen(DeclarationActions, KppsScreen[None]):
    """Who has handed in the Surat Pernyataan (or Pakta Integritas), and changing that."""
    WRITES = frozenset({"declare", "clear_sipol", "party_letter"})  # hidden from a viewer (KppsScreen)

    HELP = N_(
        "Every seated officer, the declarations still to verify first. h marks the declaration handed in, "
        "v verified, x rejected (with a reason), b back to not handed in. Space selects people, a selects "
        "every one shown: the keys then change them all, and say who could not be changed and why. "
        "A person listed in SIPOL cannot be verified until c clears the flag with a reason; a former party "
        "member needs the party's letter (f). p switches between Surat Pernyataan and Pakta Integritas; "
        "e writes the report to a file; Enter opens the person's TPS."
    )

    BINDINGS = [
        bind("space", "toggle_mark", N_("Select"), id="decl.mark"),
        bind("a", "mark_all", N_("Select all shown"), id="decl.mark_all", show=False),
        *declaration_bindings("decl"),
        bind("p", "switch_kind", N_("Surat Pernyataan / Pakta Integritas"), id="decl.kind", show=False),
        bind("e", "export", N_("Export"), id="decl.export", show=False),
        bind("slash", "focus_search", N_("Search"), id="decl.search", show=False),
        reveal_binding("decl"),
        bind("escape", "back", N_("Back"), id="decl.back"),
    ]
    DEFAULT_CSS = """
    DeclarationsScreen #decl-filters {
        height: 1;
    }
    DeclarationsScreen #decl-filters Select {
        width: 1fr;
        margin-right: 1;
    }
    DeclarationsScreen #decl-filters #decl-state {
        width: 20;
    }
    DeclarationsScreen #decl-filters Input {
        width: 1fr;
        margin-right: 1;
    }
    DeclarationsScreen .decl-summary {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    DeclarationsScreen #decl-summary {
        margin-top: 1;
    }
    DeclarationsScreen #decl-detail {
        height: auto;
        max-height: 4;
    }
    """

    def __init__(self, workspace, tps_code: str | None = None, **kwargs) -> None:
        """`tps_code`: open narrowed to that TPS (its kecamatan, desa and number)."""
        super().__init__(workspace, **kwargs)
        self.declaration_kind = DeclKind.STATEMENT
        tps = workspace.tps.get(tps_code) if tps_code else None
        self.kecamatan: str | None = tps.kecamatan_code if tps else None
        self.desa: str | None = tps.desa_code if tps else None
        self.state: DeclState | None = None
        self.text = f"{tps.number:03d}" if tps else ""
        self.rows: list[OfficerDeclaration] = []  # every seated officer
        self.shown: list[OfficerDeclaration] = []
        self.marked: set[str] = set()
        self.reveal = NikReveal(self, lambda _nik: self._redraw_keep())
        self.tones = Tones()

    # ---- building ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ws = self.workspace
        yield Header()
        with Horizontal(id="decl-filters"):
            yield Select(
                [(ws.region_name(k), k) for k in ws.kecamatan_codes()],
                prompt=_("All kecamatan"),
                compact=True,
                value=self.kecamatan or Select.NULL,
                id="decl-kecamatan",
            )
            yield Select(
                desa_options(self.workspace, self.kecamatan),
                prompt=_("All desa"),
                compact=True,
                value=self.desa or Select.NULL,
                id="decl-desa",
            )
            search = DeclarationSearch(
                self.text, placeholder=_("TPS no., name, NIK"), compact=True, id="decl-search", typed=self._search_typed
            )
            search.cursor_blink = self.kpps.cursor_blink
            yield search
            yield Select(
                [(state.label, state.value) for state in STATE_ORDER],
                prompt=_("Any status"),
                compact=True,
                id="decl-state",
            )
        yield Static(id="decl-summary", classes="decl-summary")
        yield Static(id="decl-counts", classes="decl-summary")
        yield DeclarationTable(self._cells, id="decl-table", highlighted=self._row_highlighted)
        yield InfoBlock(id="decl-detail")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = _("Neutrality declarations")
        self.query_one(DeclarationTable).focus()

    # ---- drawing -----------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """Read the officers again and redraw; the cursor stays on `keep` (or where it was)."""
        kind = self.declaration_kind
        found = officers(self.workspace)
        if kind is not DeclKind.STATEMENT:
            found.sort(key=lambda o: (self._state(o) is DeclState.VERIFIED, o.tps_code, o.seat))
        self.rows = found
        self._redraw(keep)

    def _state(self, officer: OfficerDeclaration) -> DeclState:
        return officer.person.neutrality.declaration(self.declaration_kind).state

    def _in_place(self, officer: OfficerDeclaration) -> bool:
        code = officer.tps_code
        if self.desa and not code.startswith(self.desa + "-"):
            return False
        if self.kecamatan and not code.startswith(self.kecamatan + "."):
            return False
        text = self.text.strip()
        if not text:
            return True
        if text.isdigit():  # a TPS number, or part of a NIK
            if len(text) > 3:
                return text in officer.person.nik
            return int(code.rsplit("-", 1)[1]) == int(text)
        needle = text.casefold()
        return needle in officer.person.name.casefold() or needle in officer.tps_label.casefold()

    def _redraw(self, keep: str | None = None) -> None:
        in_place = [o for o in self.rows if self._in_place(o)]
        self.shown = [o for o in in_place if self.state is None or self._state(o) is self.state]
        shown_keys = {o.person.nik for o in self.shown}
        self.marked &= shown_keys
        tones = Tones()
        table = self.query_one(DeclarationTable)
        table.set_rows(self.shown, keep=keep)
        self._show_summary(in_place, tones)
        self._show_detail()

    def _redraw_keep(self) -> None:
        self._redraw(self.query_one(DeclarationTable).cursor_key())

    def _show_summary(self, in_place: list[OfficerDeclaration], tones: Tones) -> None:
        counts = {state: 0 for state in STATE_ORDER}
        flagged = 0
        for officer in in_place:
            counts[self._state(officer)] += 1
            flagged += officer.person.neutrality.sipol_listed
        head = Text(no_wrap=True, overflow="ellipsis", end="")
        head.append(self.declaration_kind.label, tones.strong)
        head.append(" · ")
        if len(self.shown) != len(in_place) or len(in_place) != len(self.rows):
            head.append(
                _("{shown} of {total} officers shown").format(shown=fmt_int(len(self.shown)), total=fmt_int(len(self.rows)))
            )
        else:
            head.append(_("{count} officers").format(count=fmt_int(len(self.rows))))
        if flagged:
            head.append(" · ")
            head.append(_("{count} listed in SIPOL").format(count=fmt_int(flagged)), tones.bad)
        if self.marked:
            head.append(" · ")
            head.append(_("{count} selected").format(count=fmt_int(len(self.marked))), tones.strong)
        self.query_one("#decl-summary", Static).update(head)
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        for index, state in enumerate(STATE_ORDER):
            if index:
                line.append(" · ")
            line.append(f"{state.label}: ")
            line.append(fmt_int(counts[state]), state_tone(state, tones) + tones.strong)
        self.query_one("#decl-counts", Static).update(line)

    def _cells(self, officer: OfficerDeclaration) -> dict[str, Text]:
        tones = self.tones
        person = officer.person
        ws = self.workspace
        state = self._state(officer)
        tps = ws.tps.get(officer.tps_code)
        where = f"{tps.number:03d} {ws.region_name(tps.desa_code)}" if tps else officer.tps_label
        return {
            "mark": plain(MARK if person.nik in self.marked else "", tones.strong),
            "tps": plain(where),
            "seat": plain(str(officer.seat)),
            "name": plain(person.name),
            "nik": plain(self.reveal.show(person.nik)),
            "kecamatan": plain(ws.region_name(officer.tps_code[:8])),
            "state": plain(state.label, state_tone(state, tones)),
            "sipol": plain(SIPOL_WORD if person.neutrality.sipol_listed else "", tones.bad + tones.strong),
        }

    def highlighted(self) -> OfficerDeclaration | None:
        return self.query_one(DeclarationTable).cursor_data()

    def _show_detail(self) -> None:
        detail = self.query_one("#decl-detail", InfoBlock)
        officer = self.highlighted()
        if officer is None:
            detail.update(_("No officer matches. Clear the filters to see everyone."))
            return
        tones = Tones()
        person = officer.person
        text = Text(end="")
        text.append(person.name, tones.strong)
        text.append(" · NIK " + self.reveal.show(person.nik))
        text.append(" · " + _("{title} of {tps}").format(title=seat_title(officer.seat), tps=officer.tps_label))
        if person.phone:
            text.append(" · " + _("phone {phone}").format(phone=person.phone))
        text.append("\n")
        text.append_text(describe_declaration(person, self.declaration_kind, tones))
        other = DeclKind.INTEGRITY_PACT if self.declaration_kind is DeclKind.STATEMENT else DeclKind.STATEMENT
        text.append(" · ")
        text.append(f"{other.label}: {person.neutrality.declaration(other).state.label}", tones.muted)
        neutrality = describe_neutrality(person, tones)
        if neutrality.plain:
            text.append("\n")
            text.append_text(neutrality)
        detail.update(text)

    def _row_highlighted(self, row: object = None) -> None:
        officer = self.highlighted()
        self.reveal.cursor_on(officer.person.nik if officer else None)
        self._show_detail()

    # ---- filters -----------------------------------------------------------------------

    @on(Select.Changed, "#decl-kecamatan")
    def _kecamatan_chosen(self, event: Select.Changed) -> None:
        kecamatan = chosen(event.value)
        if kecamatan == self.kecamatan:
            return
        self.kecamatan = kecamatan
        self.desa = None
        self.query_one("#decl-desa", Select).set_options(desa_options(self.workspace, kecamatan))
        self._redraw()

    @on(Select.Changed, "#decl-desa")
    def _desa_chosen(self, event: Select.Changed) -> None:
        desa = chosen(event.value)
        if desa != self.desa:
            self.desa = desa
            self._redraw()

    @on(Select.Changed, "#decl-state")
    def _state_chosen(self, event: Select.Changed) -> None:
        state = DeclState(event.value) if event.value != Select.NULL else None
        if state != self.state:
            self.state = state
            self._redraw()

    def _search_typed(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self._redraw()

    @on(Input.Submitted, "#decl-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DeclarationTable).focus()

    def action_focus_search(self) -> None:
        self.query_one(DeclarationSearch).focus_now()

    def action_table_cursor(self, direction: str) -> None:
        table = self.query_one(DeclarationTable)
        getattr(table, f"action_cursor_{direction}" if direction in ("up", "down") else f"action_{direction}")()

    # ---- selecting ---------------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        table = self.query_one(DeclarationTable)
        key = table.cursor_key()
        if key is None:
            return
        self.marked ^= {key}
        self._redraw(key)
        table.action_cursor_down()  # space, space, space selects a run of people

    def action_mark_all(self) -> None:
        shown = {o.person.nik for o in self.shown}
        self.marked = set() if shown and shown <= self.marked else shown
        self._redraw_keep()

    # ---- changing ----------------------------------------------------------------------

    def declaration_targets(self) -> list[Person]:
        if self.marked:
            return [o.person for o in self.shown if o.person.nik in self.marked]
        officer = self.highlighted()
        return [officer.person] if officer else []

    def after_declaration(self, changed: list[str], walk: bool = True) -> None:
        """Redraw; after a change of the highlighted person the cursor goes to the next one.

        A change made on marked people clears the marks: the rows moved (a verified one goes
        last, a filter may hide it), and the next key must not act on people out of sight.
        """
        table = self.query_one(DeclarationTable)
        key = table.cursor_key()
        row = table.cursor_row
        had_marks = bool(self.marked)
        if had_marks and changed:
            self.marked = set()
        self.reload(keep=key)
        if key is None or had_marks or key not in changed or not walk:
            return
        after = table.keys()
        if not after:
            return
        # Still in its place: step to the next person. Moved away (a verified declaration goes
        # last; the status filter may hide it): the next person now stands where it stood.
        stayed = key in after and after.index(key) == row
        index = min(row + 1 if stayed else row, len(after) - 1)
        if index < table.row_count:
            table.move_cursor(index)

    def action_switch_kind(self) -> None:
        self.declaration_kind = (
            DeclKind.INTEGRITY_PACT if self.declaration_kind is DeclKind.STATEMENT else DeclKind.STATEMENT
        )
        self.notify(_("Showing the {kind}.").format(kind=self.declaration_kind.label), markup=False)
        self.reload()

    def action_reveal_nik(self) -> None:
        officer = self.highlighted()
        self.reveal.reveal(officer.person.nik if officer else None)

    # ---- export ------------------------------------------------------------------------

    def default_export_path(self) -> Path:
        name = _("declarations") + clock.today().strftime("-%Y%m%d") + ".xlsx"
        return self.workspace.root.resolve().parent / name

    def action_export(self) -> None:
        sentence = _(
            "The file's ending chooses the format: .xlsx (counts and the outstanding officers), "
            ".csv (the counts) or .pdf (printable)."
        )
        fields = [
            Field("path", _("File"), str(self.default_export_path())),
            Field("level", _("Report"), "kecamatan", options=[(_(label), key) for key, label in EXPORT_LEVELS.items()]),
        ]
        form = FormPrompt(_("Export the declaration report"), sentence, fields, required=["path"], validate=_check_export)
        self.app.push_screen(form, callback=self._export_to)

    def _export_to(self, values: dict[str, str] | None) -> None:
        if values is None:
            return
        path = Path(values["path"]).expanduser()
        ok, report = self.kpps.run_service(reports.export, self.workspace, path, values["level"])
        if ok and report is not None:
            self.notify(
                _("Wrote {path}: {officers} officers, {outstanding} not yet verified.").format(
                    path=str(path),
                    officers=fmt_int(report.count_rows[-1][2]),
                    outstanding=fmt_int(len(report.outstanding_rows)),
                ),
                title=_("Report written"),
                markup=False,
                timeout=15,
            )

    # ---- moving ------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#decl-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        officer = self.highlighted()
        if officer is not None:
            self.app.push_screen(TpsScreen(self.workspace, officer.tps_code, seat=officer.seat))

    def action_back(self) -> None:
        self.dismiss(None)


def _check_export(values: dict[str, str]) -> str | None:
    path = Path(values["path"]).expanduser()
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        return _("End the file name with .xlsx, .csv or .pdf.")
    if not path.parent.is_dir():
        return _("There is no folder {folder}.").format(folder=str(path.parent))
    return None
