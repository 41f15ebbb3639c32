"""Ringkasan: the first screen. Where the formation stands per kab/kota -> kecamatan -> desa,
against the schedule of stages, with the burn-up of the work and when it will be done.

Enter goes one level down; on a desa it opens the TPS list of that desa. Esc goes back up.
The table has the most pressing stages under it; g shows the burn-up chart and j the whole
schedule in its place. From 110x34 on the chart stands beside the schedule under the table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Resize
from textual.widgets import Header, Static

from kpps_tui.i18n import N_, _
from kpps_tui.services.status import Level, StatusRow, board_for
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.base import KppsScreen
from kpps_tui.tui.screens.dashboard_parts import NOT_YET, BurnUpChart, RegionSummary, ScheduleView, StatusTable
from kpps_tui.tui.text import Tones, fmt_date
from kpps_tui.tui.widgets.footer import KppsFooter

if TYPE_CHECKING:
    from kpps_tui.services.workspace import Workspace

WIDE = (110, 34)  # from this size on, table, schedule and chart are all shown
NARROW_SCHEDULE_LINES = 4


class DashboardScreen(KppsScreen[None]):
    """The ringkasan of the workspace, drilled down by Enter and back up by Esc."""

    HELP = N_(
        "Each row is a kab/kota, kecamatan or desa: seats filled as a bar (█ filled, ░ empty), "
        "TPS full/partly/empty (F/P/E), seated officers whose Surat Pernyataan is verified, "
        "valid ID cards printed, the share of women seated, PAW seats open, and the day every "
        "seat is filled at the pace of the last 7 days ('late' when after penetapan). Enter "
        "opens a row; on a desa, its TPS list. Esc goes back up. The schedule says for each "
        "stage whether it is done, now, due or overdue, and how many desa still wait for its "
        "work: assessment (penelitian administrasi), public responses (tanggapan masyarakat), "
        "empty seats (penetapan), unverified declarations (pelantikan), ID cards (voting day). "
        "The chart counts from the audit log; before the log began, from the dates on the seats "
        "and declarations."
    )

    BINDINGS = [
        bind("t", "app.tps_list", N_("TPS list"), id="dashboard.tps_list"),
        bind("escape,backspace", "up", N_("Up a level"), id="dashboard.up"),
        bind("g", "show_view('chart')", N_("Chart"), id="dashboard.chart"),
        bind("j", "show_view('schedule')", N_("Schedule"), id="dashboard.schedule"),
    ]

    def __init__(self, workspace: Workspace, today: Callable[[], date], **kwargs: Any) -> None:
        super().__init__(workspace, **kwargs)
        self.today = today
        self.board = board_for(self.workspace, today())  # kept between openings, brought up to date
        self.path: list[str] = []  # the codes drilled into, from the top
        self.view = "table"  # at 80x24 the middle shows the table, the chart or the schedule
        self.tones = Tones()
        self._version = self.workspace.version

    # ---- building ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="dash-scope")
        yield RegionSummary(id="dash-summary")
        yield StatusTable(id="dash-table", highlighted=self._moved)
        with Horizontal(id="dash-bottom"):
            yield ScheduleView(id="dash-schedule")
            yield BurnUpChart(id="dash-chart")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = _("Ringkasan")
        self.query_one(StatusTable).focus()
        self._arrange()
        self._redraw()

    def on_resize(self, event: Resize) -> None:
        self._arrange()
        self.call_after_refresh(self._redraw)

    @property
    def wide(self) -> bool:
        return self.size.width >= WIDE[0] and self.size.height >= WIDE[1]

    def _arrange(self) -> None:
        """The table with the schedule under it (and the chart beside that when wide), or the
        chart or the whole schedule alone."""
        self.set_class(self.view == "table" and self.wide, "-wide")
        self.set_class(self.view == "chart", "-show-chart")
        self.set_class(self.view == "schedule", "-show-schedule")

    # ---- where we are --------------------------------------------------------------------

    @property
    def scope(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def level(self) -> Level:
        top = self.board.top_level()
        order = list(Level)
        return order[min(order.index(top) + len(self.path), len(order) - 1)]

    # ---- drawing -------------------------------------------------------------------------

    def reload(self) -> None:
        """Back on this screen or after a change: recompute what changed, redraw."""
        self.board.update(None if self.workspace.version != self._version else (), today=self.today())
        self._version = self.workspace.version
        self._redraw()

    def workspace_changed(self, changed: set[str]) -> None:
        """Another session wrote: only its kecamatan are computed again."""
        self.board.update(changed, today=self.today())
        self._version = self.workspace.version
        self._redraw()

    def _redraw(self) -> None:
        board, scope = self.board, self.scope
        names = [board.name("")] + [board.name(code) for code in self.path]
        self.query_one("#dash-scope", Static).update(
            " › ".join(names) + " · " + _("as on {day}").format(day=fmt_date(self.board.today)),
            layout=False,
        )
        read = board.applicants_read  # else the TPS alone: the applicants come after the first paint
        self.query_one(RegionSummary).show(board.figures(scope), self.workspace.election.women_percent, self.tones, read)
        table = self.query_one(StatusTable)
        rows = board.rows(self.level, scope)
        if board.log_read:
            table.forecasts = {row.code: board.forecast(row.code).short() for row in rows}
        else:  # the pace comes from the log, counted with the applicants after the first paint
            table.forecasts = {row.code: NOT_YET for row in rows}
        table.applicants_read = read
        table.set_level(self.level)
        table.set_rows(rows)
        self._draw_chart(table.cursor_data())
        lines = self.query_one(ScheduleView).size.height or NARROW_SCHEDULE_LINES
        self.query_one(ScheduleView).show(board.schedule(scope), board.today, lines, self.tones, read)

    def _draw_chart(self, row: StatusRow | None) -> None:
        chart = self.query_one(BurnUpChart)
        if not chart.display or chart.size.height == 0 or not self.board.log_read:
            return  # drawn when the log has been counted (after the first paint)
        beside_table = self.view == "table" and self.wide
        code = row.code if row is not None and beside_table else self.scope
        chart.show(
            self.board.burnup(code, days=60), self.board.name(code), self.board.appointment_day(), self.tones, self.board.applicants_read
        )

    def _moved(self, row: object = None) -> None:
        self._draw_chart(row if isinstance(row, StatusRow) else None)

    # ---- moving ----------------------------------------------------------------------------

    @on(StatusTable.RowSelected, "#dash-table")
    def _open(self, event: StatusTable.RowSelected) -> None:
        row = event.row
        if not isinstance(row, StatusRow):
            return
        if row.level is Level.DESA:
            from kpps_tui.tui.screens.tps_list import TpsListScreen  # loaded with its first opening

            self.app.push_screen(TpsListScreen(self.workspace, desa=row.code))
            return
        self.path.append(row.code)
        self._redraw()
        self.query_one(StatusTable).move_cursor(0)

    def action_up(self) -> None:
        if self.view != "table":
            self.action_show_view(self.view)
            return
        if not self.path:
            return
        left = self.path.pop()
        self._redraw()
        self.query_one(StatusTable).show_key(left)

    def action_show_view(self, view: str) -> None:
        """g and j: the chart or the whole schedule in place of the table; again: the table."""
        self.view = "table" if self.view == view else view
        self._arrange()
        self.call_after_refresh(self._redraw)
