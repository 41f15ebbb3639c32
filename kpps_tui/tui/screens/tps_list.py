"""The first screen: every TPS with its seats filled, filters, sorting and a summary."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Select

from kpps_tui.i18n import N_, _
from kpps_tui.services.browse import (
    STATUS_FILTERS,
    FillStatus,
    TpsFilter,
    TpsRow,
    filter_rows,
    summarize,
    tps_rows,
)
from kpps_tui.tui.keys import TranslatedBindings, bind
from kpps_tui.tui.screens.base import KppsScreen
from kpps_tui.tui.screens.tps_detail import TpsScreen
from kpps_tui.tui.text import Tones, plain
from kpps_tui.tui.widgets.fit_table import ColumnSpec, FitTable
from kpps_tui.tui.widgets.lines import SummaryLine

SORT_ORDER = ("code", "desa", "filled")
SORT_COLUMN = {"code": "number", "desa": "desa", "filled": "filled"}


class TpsTable(FitTable):
    COLUMNS = (
        ColumnSpec("number", N_("TPS"), width=5),
        ColumnSpec("desa", N_("Desa/Kelurahan"), width=14, weight=3, most=30),
        ColumnSpec("kecamatan", N_("Kecamatan"), width=12, weight=2, most=24),
        ColumnSpec("filled", N_("Seats"), width=7),
        ColumnSpec("status", N_("Status"), width=11, weight=1),
    )
    BINDINGS = [bind("enter", "select_cursor", N_("Open"), id="list.open")]


class TpsSearch(TranslatedBindings, Input):
    """The search box; the arrows move in the table below while typing."""

    BINDINGS = [
        bind("down", "screen.table_cursor('down')", N_("Next TPS"), id="list.search_down", show=False),
        bind("up", "screen.table_cursor('up')", N_("Previous TPS"), id="list.search_up", show=False),
        bind("pagedown", "screen.table_cursor('page_down')", N_("Next page"), id="list.search_page_down", show=False),
        bind("pageup", "screen.table_cursor('page_up')", N_("Previous page"), id="list.search_page_up", show=False),
    ]


class TpsListScreen(KppsScreen[None]):
    """Browse the TPS; Enter opens one."""

    HELP = N_(
        "s changes the order: TPS code, desa/kelurahan name, seats filled; r reverses it. "
        "The column header shows the order with ▲ (rising) or ▼ (falling). "
        "The summary counts the TPS shown."
    )

    BINDINGS = [
        bind("slash", "focus_search", N_("Search"), id="list.search"),
        bind("s", "cycle_sort", N_("Sort"), id="list.sort"),
        bind("r", "reverse_sort", N_("Reverse order"), id="list.reverse", show=False),
        bind("n", "next_not_full", N_("Next not full"), id="list.next_not_full"),
        bind("c", "clear_filters", N_("Clear filters"), id="list.clear_filters", show=False),
        bind("escape", "focus_table", N_("Back to the table"), id="list.focus_table", show=False),
    ]

    def __init__(self, workspace, **kwargs) -> None:
        super().__init__(workspace, **kwargs)
        self.filter = TpsFilter()
        self.sort_key = "code"
        self.reverse = False
        self.rows: list[TpsRow] = []
        self.shown: list[TpsRow] = []

    # ---- building ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ws = self.workspace
        blink = self.kpps.cursor_blink
        yield Header()
        with Horizontal(id="filters"):
            yield Select(
                [(ws.region_name(k), k) for k in ws.kecamatan_codes()],
                prompt=_("All kecamatan"),
                compact=True,
                id="kecamatan",
            )
            yield Select(self._desa_options(None), prompt=_("All desa"), compact=True, id="desa")
            yield Select(
                [(_(label), key) for key, label in STATUS_FILTERS.items()],
                prompt=_("Any fill state"),
                compact=True,
                id="status",
            )
            search = TpsSearch(placeholder=_("Search desa or TPS no."), compact=True, id="search")
            search.cursor_blink = blink
            yield search
        yield SummaryLine(id="summary")
        yield TpsTable(id="tps-table")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = _("TPS list")
        self.query_one(TpsTable).focus()

    def _desa_options(self, kecamatan: str | None) -> list[tuple[str, str]]:
        ws = self.workspace
        if kecamatan:
            options = [(ws.region_name(d), d) for d in ws.desa_codes(kecamatan)]
        else:
            options = [
                (f"{ws.region_name(d)} ({ws.region_name(d.rsplit('.', 1)[0])})", d) for d in ws.desa_codes()
            ]
        return sorted(options, key=lambda o: o[0].casefold())

    # ---- drawing -----------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """Read the TPS again from the workspace and redraw the table and summary."""
        self.rows = tps_rows(self.workspace)
        self._redraw(keep)

    def _redraw(self, keep: str | None = None) -> None:
        table = self.query_one(TpsTable)
        tones = Tones()
        self.shown = filter_rows(self.rows, self.filter, self.sort_key, self.reverse)
        table.set_label_suffix({SORT_COLUMN[self.sort_key]: " ▼" if self.reverse else " ▲"})
        table.set_rows([(row.code, row) for row in self.shown], lambda row: self._cells(row, tones), keep=keep)
        self.query_one(SummaryLine).show(summarize(self.shown), len(self.shown), len(self.rows), tones)

    @staticmethod
    def _cells(row: TpsRow, tones: Tones) -> dict:
        status = row.status
        return {
            "number": plain(f"{row.number:03d}"),
            "desa": plain(row.desa),
            "kecamatan": plain(row.kecamatan),
            "filled": plain(f"{row.filled}/{row.seats}", tones.status(status)),
            "status": plain(status.label, tones.status(status)),
        }

    # ---- filters -----------------------------------------------------------------------

    @on(Select.Changed, "#kecamatan")
    def _kecamatan_chosen(self, event: Select.Changed) -> None:
        kecamatan = event.value if event.value != Select.NULL else None
        if kecamatan == self.filter.kecamatan:
            return
        desa = self.query_one("#desa", Select)
        desa.set_options(self._desa_options(kecamatan))
        self._set_filter(kecamatan=kecamatan, desa=None)

    @on(Select.Changed, "#desa")
    def _desa_chosen(self, event: Select.Changed) -> None:
        self._set_filter(desa=event.value if event.value != Select.NULL else None)

    @on(Select.Changed, "#status")
    def _status_chosen(self, event: Select.Changed) -> None:
        self._set_filter(status=event.value if event.value != Select.NULL else None)

    @on(Input.Changed, "#search")
    def _search_typed(self, event: Input.Changed) -> None:
        self._set_filter(text=event.value)

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
            kecamatan=changes.get("kecamatan", current.kecamatan),
            desa=changes.get("desa", current.desa),
            status=changes.get("status", current.status),
            text=changes.get("text", current.text),
        )
        if new != current:
            self.filter = new
            self._redraw()

    def action_clear_filters(self) -> None:
        for select_id in ("#kecamatan", "#desa", "#status"):
            self.query_one(select_id, Select).clear()
        self.query_one("#search", Input).value = ""
        self.query_one("#desa", Select).set_options(self._desa_options(None))
        self.filter = TpsFilter()
        self._redraw()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_table_cursor(self, direction: str) -> None:
        table = self.query_one(TpsTable)
        action = f"action_cursor_{direction}" if direction in ("up", "down") else f"action_{direction}"
        getattr(table, action)()

    def action_focus_table(self) -> None:
        self.query_one(TpsTable).focus()

    # ---- sorting -----------------------------------------------------------------------

    def action_cycle_sort(self) -> None:
        self.sort_key = SORT_ORDER[(SORT_ORDER.index(self.sort_key) + 1) % len(SORT_ORDER)]
        self.reverse = False
        self._redraw()  # the column header shows the order: ▲ rising, ▼ falling

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self._redraw()

    # ---- moving and opening --------------------------------------------------------------

    def action_next_not_full(self) -> None:
        """Move the cursor to the next TPS in the table that still has an empty seat."""
        table = self.query_one(TpsTable)
        if not self.shown:
            return
        start = table.cursor_row if table.row_count else -1
        count = len(self.shown)
        for step in range(1, count + 1):
            row = self.shown[(start + step) % count]
            if row.status is not FillStatus.FULL:
                table.show_key(row.code)
                table.focus()
                return
        self.notify(_("Every TPS shown is full."), markup=False)

    @on(DataTable.RowSelected, "#tps-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value)

    def _open(self, code: str | None) -> None:
        if code is None:
            return
        self.app.push_screen(TpsScreen(self.workspace, code), callback=self._back_from_tps)

    def _back_from_tps(self, code: str | None) -> None:
        """Back from a TPS: the counts may have changed, and the cursor follows the last TPS seen."""
        self.reload(keep=code)
        self.query_one(TpsTable).focus()
