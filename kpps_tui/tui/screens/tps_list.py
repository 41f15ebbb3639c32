"""The first screen: every TPS with its seats filled, filters, sorting and a summary."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Header, Input, Select
from textual.widgets.select import NoSelection

from kpps_tui.i18n import N_, _
from kpps_tui.services.view_memory import remember, remembered
from kpps_tui.services.browse import (
    STATUS_FILTERS,
    FillStatus,
    TpsFilter,
    TpsRow,
    filter_rows,
    kept_rows,
    summarize,
    tps_rows,
)
from kpps_tui.services.regions import kabupaten_codes, kabupaten_name
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.base import KppsScreen
from kpps_tui.tui.text import Tones, chosen, plain, region_label
from kpps_tui.tui.widgets.lines import SummaryLine
from kpps_tui.tui.widgets.search_input import SearchInput, walk_bindings
from kpps_tui.tui.widgets.virtual_table import Column, VirtualTable
from kpps_tui.tui.widgets.footer import KppsFooter

SORT_ORDER = ("code", "desa", "filled")
VIEW = "tps_list"  # its name among the views whose choices are kept (services.view_memory)
SORT_COLUMN = {"code": "number", "desa": "desa", "filled": "filled"}


class _Widths(dict[str, int]):
    """The cells of each name, measured the first time it is asked for."""

    def __missing__(self, text: str) -> int:
        width = self[text] = cell_len(text)
        return width


class TpsTable(VirtualTable[TpsRow]):
    """The TPS shown, drawn a screen at a time: typing a search redraws one screen, not 4,446 rows.

    80 columns hold TPS, desa, kecamatan, seats, fill state and declarations; the Kab/Kota
    column (a workspace of several kabupaten/kota) is cut in the middle to keep its last word.
    """

    COLUMNS = (
        Column("number", N_("TPS"), width=5),
        Column("desa", N_("Desa/Kelurahan"), width=14, weight=3, most=30),
        Column("kecamatan", N_("Kecamatan"), width=12, weight=2, most=24),
        Column("kabupaten", N_("Kab/Kota"), width=13, weight=2, most=20, keep_end=True),
        Column("filled", N_("Seats"), width=7),
        Column("status", N_("Status"), width=11),
        Column("declared", N_("Declared"), width=10, drop=1),
    )
    BINDINGS = [bind("enter", "select_cursor", N_("Open"), id="list.open")]
    SORTABLE = frozenset(SORT_COLUMN.values())

    def __init__(self, *, kabupaten: bool = False, **kwargs) -> None:
        columns = [c for c in self.COLUMNS if kabupaten or c.key != "kabupaten"]
        super().__init__(columns=columns, **kwargs)
        self.tones = Tones()
        self._widths = _Widths()

    ROW_KEY = attrgetter("code")  # what row_key says, in C

    def row_key(self, row: TpsRow) -> str:
        return row.code

    def row_cells(self, row: TpsRow) -> dict[str, Text]:
        tone = self.tones.status(row.status)
        if row.filled:
            declared = plain(f"{row.declared}/{row.filled} ✓", self.tones.good if row.declared == row.filled else "")
        else:
            declared = plain("-", self.tones.muted)
        return {
            "number": plain(f"{row.number:03d}"),
            "desa": plain(row.desa),
            "kecamatan": plain(row.kecamatan),
            "kabupaten": plain(row.kabupaten),
            "filled": plain(f"{row.filled}/{row.seats}", tone),
            "status": plain(row.status.label, tone),
            "declared": declared,
        }


    def content_needs(self, rows: Sequence[TpsRow]) -> dict[str, int]:
        """Every row's names measured as plain strings: the widths do not hang on the order
        (a sort moves no column) and a province's 4,446 TPS measure at typing speed."""
        needs = {"number": 3, "filled": 5, "declared": 5}
        needs["status"] = max((cell_len(s.label) for s in FillStatus), default=0)
        width = self._widths.__getitem__  # each name measured once: a look-up in C at each key
        for key in ("desa", "kecamatan", "kabupaten"):  # loops of C: this runs at every key of the search
            needs[key] = max(map(width, map(attrgetter(key), rows)), default=0)
        return needs


class TpsSearch(SearchInput):
    """The search box; the arrows move in the table below while typing."""

    BINDINGS = walk_bindings("list.search_", N_("Next TPS"), N_("Previous TPS"))


class TpsListScreen(KppsScreen[None]):
    """Browse the TPS; Enter opens one."""
    WRITES = frozenset({"propose"})  # hidden from a viewer (KppsScreen)

    HELP = N_(
        "s changes the order: TPS code, desa/kelurahan name, seats filled; r reverses it (or click "
        "a column's label). The column header shows the order with ▲ (rising) or ▼ (falling). "
        "The summary counts the TPS shown. Declared: how many of the officers seated at a TPS "
        "have a verified Surat Pernyataan (✓)."
    )

    BINDINGS = [
        bind("slash", "focus_search", N_("Search"), id="list.search"),
        bind("s", "cycle_sort", N_("Sort"), id="list.sort"),
        bind("r", "reverse_sort", N_("Reverse order"), id="list.reverse", show=False),
        bind("n", "next_not_full", N_("Next not full"), id="list.next_not_full"),
        bind("p", "propose", N_("Propose"), id="list.propose"),
        bind("c", "clear_filters", N_("Clear filters"), id="list.clear_filters", show=False),
        bind("e", "documents", N_("Documents (pengumuman, SK, daftar hadir, honorarium)"), id="list.documents", show=False),
        bind("escape", "focus_table", N_("Back to the table"), id="list.focus_table", show=False),
    ]

    def __init__(self, workspace, desa: str | None = None, **kwargs) -> None:
        """`desa`: open with the TPS of this desa/kelurahan only (from the ringkasan)."""
        super().__init__(workspace, **kwargs)
        kecamatan = desa.rsplit(".", 1)[0] if desa else None
        kabupaten = kecamatan.rsplit(".", 1)[0] if kecamatan else None
        self.filter = TpsFilter(kecamatan=kecamatan, desa=desa)
        self.sort_key = "code"
        self.reverse = False
        self.rows: list[TpsRow] = []
        self.shown: list[TpsRow] = []
        # A province workspace holds several kabupaten/kota: a filter and a column for them.
        self.kabupaten = kabupaten_codes(workspace)
        self.multi_kabupaten = len(self.kabupaten) > 1
        self._kept: dict | None = None  # the choices last kept (_keep)
        if self.multi_kabupaten:
            self.filter = TpsFilter(kabupaten=kabupaten, kecamatan=kecamatan, desa=desa)
        if desa is None:  # opened on its own: as this login left it last time
            self._recall(remembered(workspace.root, VIEW))

    def _recall(self, kept: dict) -> None:
        """The sort and filters kept from an earlier session, each only if it still makes sense
        in this workspace (a region may be gone, a file edited by hand)."""
        ws = self.workspace
        kept = {k: v for k, v in kept.items() if isinstance(v, (str, bool))}  # hand-edited: no lists
        kabupaten = kept.get("kabupaten") if kept.get("kabupaten") in self.kabupaten and self.multi_kabupaten else None
        kecamatan = kept.get("kecamatan") if kept.get("kecamatan") in ws.kecamatan_codes() else None
        if kabupaten and kecamatan and not kecamatan.startswith(kabupaten + "."):
            kecamatan = None
        desa = kept.get("desa") if kept.get("desa") in ws.desa_codes(kecamatan) else None
        if desa and kabupaten and not desa.startswith(kabupaten + "."):
            desa = None
        status = kept.get("status") if kept.get("status") in STATUS_FILTERS else None
        self.filter = TpsFilter(kabupaten=kabupaten, kecamatan=kecamatan, desa=desa, status=status)
        if kept.get("sort") in SORT_ORDER:
            self.sort_key = kept["sort"]
            self.reverse = kept.get("reverse") is True

    def _keep(self) -> None:
        """The choices kept for the next start, when they changed (not at every key of the
        search: the file is not read again for the same choices)."""
        f = self.filter
        choices = {
            "kabupaten": f.kabupaten, "kecamatan": f.kecamatan, "desa": f.desa, "status": f.status,
            "sort": self.sort_key, "reverse": self.reverse,
        }
        if choices != self._kept:
            remember(self.workspace.root, VIEW, choices)
            self._kept = choices

    # ---- building ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ws = self.workspace
        blink = self.kpps.cursor_blink
        # Four filters and the search share 80 columns in a province: there, a filter with
        # nothing chosen says only what it chooses.
        many = self.multi_kabupaten
        chosen = self.filter  # a desa chosen on the ringkasan, else nothing

        def value(code: str | None) -> str | NoSelection:
            return code if code else Select.NULL

        yield Header()
        with Horizontal(id="filters"):
            if many:
                yield Select(
                    [(kabupaten_name(ws, k), k) for k in self.kabupaten],
                    prompt=_("Kab/Kota"),
                    compact=True,
                    value=value(chosen.kabupaten),
                    id="kabupaten",
                )
            yield Select(
                self._kecamatan_options(chosen.kabupaten),
                prompt=_("Kecamatan") if many else _("All kecamatan"),
                compact=True,
                value=value(chosen.kecamatan),
                id="kecamatan",
            )
            yield Select(
                self._desa_options(chosen.kabupaten, chosen.kecamatan),
                prompt=_("Desa") if many else _("All desa"),
                compact=True,
                value=value(chosen.desa),
                id="desa",
            )
            yield Select(
                [(_(label), key) for key, label in STATUS_FILTERS.items()],
                prompt=_("Any fill state"),
                compact=True,
                value=value(chosen.status),
                id="status",
            )
            search = TpsSearch(placeholder=_("Search desa or TPS no."), compact=True, id="search", typed=self._search_typed)
            search.cursor_blink = blink
            yield search
        yield SummaryLine(id="summary")
        yield TpsTable(kabupaten=self.multi_kabupaten, id="tps-table")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = _("TPS list")
        self.query_one(TpsTable).focus()

    def _kecamatan_options(self, kabupaten: str | None) -> list[tuple[str, str]]:
        ws = self.workspace
        codes = [k for k in ws.kecamatan_codes() if kabupaten is None or k.startswith(kabupaten + ".")]
        if self.multi_kabupaten and kabupaten is None:
            # The same name may stand in two kabupaten: say which.
            return [(f"{ws.region_name(k)} ({kabupaten_name(ws, k.rsplit('.', 1)[0])})", k) for k in codes]
        return [(ws.region_name(k), k) for k in codes]

    def _desa_options(self, kabupaten: str | None, kecamatan: str | None) -> list[tuple[str, str]]:
        ws = self.workspace
        if kecamatan:
            options = [(ws.region_name(d), d) for d in ws.desa_codes(kecamatan)]
        else:
            options = [
                (f"{ws.region_name(d)} ({ws.region_name(d.rsplit('.', 1)[0])})", d)
                for d in ws.desa_codes()
                if kabupaten is None or d.startswith(kabupaten + ".")
            ]
        return sorted(options, key=lambda o: o[0].casefold())

    # ---- drawing -----------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """Read the TPS again from the workspace and redraw the table and summary."""
        self.rows = tps_rows(self.workspace)
        self._redraw(keep)

    def _redraw(self, keep: str | None = None, narrower: bool = False) -> None:
        """Filter and sort the rows in memory; the table draws the lines on screen only.
        `narrower`: the filter only lets fewer through (a name typed further in the search):
        the rows shown, already in order, are filtered, not every TPS."""
        table = self.query_one(TpsTable)
        if narrower:
            self.shown = kept_rows(self.shown, self.filter)
        else:
            self.shown = filter_rows(self.rows, self.filter, self.sort_key, self.reverse)
        table.set_label_suffix({SORT_COLUMN[self.sort_key]: " ▼" if self.reverse else " ▲"})
        table.set_rows(self.shown, keep=keep, narrower=narrower)
        self.query_one(SummaryLine).show(summarize(self.shown), len(self.shown), len(self.rows), table.tones)
        self._keep()  # written only when a choice changed (the search text is not kept)

    # ---- filters -----------------------------------------------------------------------

    @on(Select.Changed, "#kabupaten")
    def _kabupaten_chosen(self, event: Select.Changed) -> None:
        kabupaten = chosen(event.value)
        if kabupaten == self.filter.kabupaten:
            return
        self.query_one("#kecamatan", Select).set_options(self._kecamatan_options(kabupaten))
        self.query_one("#desa", Select).set_options(self._desa_options(kabupaten, None))
        self._set_filter(kabupaten=kabupaten, kecamatan=None, desa=None)

    @on(Select.Changed, "#kecamatan")
    def _kecamatan_chosen(self, event: Select.Changed) -> None:
        kecamatan = chosen(event.value)
        if kecamatan == self.filter.kecamatan:
            return
        desa = self.query_one("#desa", Select)
        desa.set_options(self._desa_options(self.filter.kabupaten, kecamatan))
        self._set_filter(kecamatan=kecamatan, desa=None)

    @on(Select.Changed, "#desa")
    def _desa_chosen(self, event: Select.Changed) -> None:
        self._set_filter(desa=chosen(event.value))

    @on(Select.Changed, "#status")
    def _status_chosen(self, event: Select.Changed) -> None:
        self._set_filter(status=chosen(event.value))

    def _search_typed(self, text: str) -> None:
        self._set_filter(text=text)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box opens the TPS when only one is left, else goes to the table."""
        if len(self.shown) == 1:
            self._open(self.shown[0].code)
        else:
            self.query_one(TpsTable).focus()

    def _set_filter(self, **changes) -> None:
        current = self.filter
        new = TpsFilter(
            kabupaten=changes.get("kabupaten", current.kabupaten),
            kecamatan=changes.get("kecamatan", current.kecamatan),
            desa=changes.get("desa", current.desa),
            status=changes.get("status", current.status),
            text=changes.get("text", current.text),
        )
        if new != current:
            self.filter = new
            self._redraw(narrower=new.narrows(current))

    def action_clear_filters(self) -> None:
        for select in self.query("#filters Select").results(Select):
            select.clear()
        self.query_one("#search", Input).value = ""
        self.query_one("#kecamatan", Select).set_options(self._kecamatan_options(None))
        self.query_one("#desa", Select).set_options(self._desa_options(None, None))
        self.filter = TpsFilter()
        self._redraw()

    def action_focus_search(self) -> None:
        self.query_one(TpsSearch).focus_now()

    def on_key(self, event: events.Key) -> None:
        """A digit typed on the table starts a search for that TPS number (letters are keys):
        the box takes the focus and the digit, in place of what it held (it selects its text
        as it is focused), and the digits typed next go to it."""
        if event.character and event.character.isdigit() and isinstance(self.focused, TpsTable):
            event.stop()
            event.prevent_default()
            search = self.query_one(TpsSearch)
            search.focus_now()
            search.post_message(events.Key(event.key, event.character))

    def action_table_cursor(self, direction: str) -> None:
        """The arrows and page keys of the search box move the table's cursor."""
        table = self.query_one(TpsTable)
        moves = {
            "up": table.action_cursor_up,
            "down": table.action_cursor_down,
            "page_up": table.action_page_up,
            "page_down": table.action_page_down,
        }
        moves[direction]()

    def action_focus_table(self) -> None:
        """Esc: from the search or a filter to the table; from the table back to the screen
        below (the ringkasan), when this list was opened over it."""
        table = self.query_one(TpsTable)
        if table.has_focus and len(self.app.screen_stack) > 1:
            self.dismiss(None)
        else:
            table.focus()

    # ---- sorting -----------------------------------------------------------------------

    def action_cycle_sort(self) -> None:
        self.sort_key = SORT_ORDER[(SORT_ORDER.index(self.sort_key) + 1) % len(SORT_ORDER)]
        self.reverse = False
        self._redraw()  # the column header shows the order: ▲ rising, ▼ falling

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self._redraw()

    @on(VirtualTable.HeaderSelected, "#tps-table")
    def _header_clicked(self, event: VirtualTable.HeaderSelected) -> None:
        """A click on TPS, Desa/Kelurahan or Seats sorts by it; again reverses."""
        sort_key = next((key for key, column in SORT_COLUMN.items() if column == event.column), None)
        if sort_key is None:
            return
        if sort_key == self.sort_key:
            self.reverse = not self.reverse
        else:
            self.sort_key, self.reverse = sort_key, False
        self._redraw()

    # ---- moving and opening --------------------------------------------------------------

    def action_propose(self) -> None:
        """Usulan for the TPS in view: the desa, kecamatan or kab/kota chosen, else all."""
        from kpps_tui.services.proposals import Scope  # loaded on first use (startup), with the screen
        from kpps_tui.tui.screens.proposal import ProposalScreen

        ws, flt = self.workspace, self.filter
        if flt.desa:
            scope, title = Scope("desa", flt.desa), region_label(ws.regions.get(flt.desa), flt.desa)
        elif flt.kecamatan:
            scope, title = Scope("kecamatan", flt.kecamatan), _("Kecamatan {name}").format(name=ws.region_name(flt.kecamatan))
        elif flt.kabupaten:
            scope, title = Scope("kabupaten", flt.kabupaten), kabupaten_name(ws, flt.kabupaten)
        else:
            scope, title = Scope("all"), _("every TPS")
        self.app.push_screen(ProposalScreen(ws, scope, title))

    def action_documents(self) -> None:
        """The office's documents for the desa, kecamatan or kab/kota chosen (else all)."""
        from kpps_tui.services.documents import Scope as DocumentScope  # loaded on first use (startup)
        from kpps_tui.tui.screens.documents import DocumentsModal

        f = self.filter
        level, code = next(((lv, c) for lv, c in (("desa", f.desa), ("kecamatan", f.kecamatan), ("kabupaten", f.kabupaten)) if c), ("all", ""))
        self.app.push_screen(DocumentsModal(self.workspace, DocumentScope(level, code or "")))

    def action_next_not_full(self) -> None:
        """Move the cursor to the next TPS in the table that still has an empty seat."""
        table = self.query_one(TpsTable)
        if not self.shown:
            return
        start = table.cursor_row
        count = len(self.shown)
        for step in range(1, count + 1):
            index = (start + step) % count
            if self.shown[index].status is not FillStatus.FULL:
                table.move_cursor(index)
                table.focus()
                return
        self.notify(_("Every TPS shown is full."), markup=False)

    @on(VirtualTable.RowSelected, "#tps-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self._open(event.key)

    def _open(self, code: str | None) -> None:
        if code is None:
            return
        from kpps_tui.tui.screens.tps_detail import TpsScreen  # loaded on first use (startup)

        self.app.push_screen(TpsScreen(self.workspace, code), callback=self._back_from_tps)

    def _back_from_tps(self, code: str | None) -> None:
        """Back from a TPS the cursor follows the last TPS seen. (The counts that may have
        changed are read again on ScreenResume: once, 4,446 rows on a province.)"""
        table = self.query_one(TpsTable)
        if code is not None and code != table.cursor_key():
            table.show_key(code)
        table.focus()
