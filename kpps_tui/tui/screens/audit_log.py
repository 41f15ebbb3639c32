"""The audit log: who changed what and when, newest first, filtered by TPS, person, user, date."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Header, Input, Static

from kpps_tui.domain.dates import DateError, parse_date
from kpps_tui.domain.nik import mask_nik
from kpps_tui.i18n import N_, _
from kpps_tui.services import audit_log
from kpps_tui.services.audit_log import AuditEntry, LogFilter, action_label
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.base import KppsScreen
from kpps_tui.tui.text import Tones, fmt_int, plain
from kpps_tui.tui.widgets.columns import Column
from kpps_tui.tui.widgets.lines import InfoBlock
from kpps_tui.tui.widgets.search_input import SearchInput, walk_bindings
from kpps_tui.tui.widgets.virtual_table import VirtualTable
from kpps_tui.tui.widgets.footer import KppsFooter


_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")


def masked(text: str) -> str:
    """Every NIK in `text` masked (a person no longer in the workspace is named by NIK)."""
    return _NIK.sub(lambda m: mask_nik(m.group()), text)


def local_time(at: str) -> datetime:
    return datetime.fromisoformat(at).astimezone()


LogRow = tuple[str, AuditEntry]  # the entry's place from the oldest (it stays put), the entry


class LogTable(VirtualTable[LogRow]):
    """The entries shown, drawn a screen at a time (a province's log holds many thousands).

    At 80 columns the time, the whole login and action, and the TPS or person come first; the
    change takes what is left (the detail below shows it whole)."""

    COLUMNS = (
        Column("at", N_("Time"), width=11),
        Column("user", N_("User"), width=8, most=16, whole=True),
        Column("action", N_("Action"), width=10, most=14, whole=True),
        Column("subject", N_("TPS or person"), width=16, weight=1, most=28),
        Column("change", N_("Change"), width=14, weight=4),
    )
    BINDINGS = [bind("enter", "select_cursor", N_("Only this TPS or person"), id="log.narrow", show=False)]
    MEASURED = 200  # the newest entries set the widths (the login and the action: every entry)

    def __init__(self, cells: Callable[[AuditEntry], dict[str, Text]], **kwargs) -> None:
        super().__init__(**kwargs)
        self._entry_cells = cells

    def row_key(self, row: LogRow) -> str:
        return row[0]

    def row_cells(self, row: LogRow) -> dict[str, Text]:
        return self._entry_cells(row[1])

    def content_needs(self, rows: Sequence[LogRow]) -> dict[str, int]:
        """The cells of the newest MEASURED entries; the login and the action of every entry
        (neither is cut while it fits in its `most`)."""
        needs = super().content_needs(rows)
        users = {entry.user for _key, entry in rows}
        actions = {entry.action for _key, entry in rows}
        needs["user"] = max(map(cell_len, users), default=0)
        needs["action"] = max((cell_len(action_label(a)) for a in actions), default=0)
        return needs


class LogFilterInput(SearchInput):
    """A filter box; the arrows move in the log while typing."""

    BINDINGS = [
        *walk_bindings("log.filter_", N_("Next entry"), N_("Previous entry")),
        bind("escape", "screen.focus_table", N_("Back to the log"), id="log.filter_done", show=False),
    ]


FILTERS = ("tps", "person", "user", "since", "until")


class AuditLogScreen(KppsScreen[None]):
    """Every change kept in the audit log, newest first."""

    HELP = N_(
        "Every change to the workspace, by any session, newest first; also every time a full NIK was shown. "
        "Filter by TPS or region code (62.01.02 is a kecamatan), by person (NIK or part of a name), by user, "
        "and by date (from and up to, e.g. 27-11-2024). Enter on an entry shows only its TPS or person. "
        "Tab moves between the filters; Escape goes back to the log. Times are this computer's local time."
    )

    BINDINGS = [
        bind("slash", "focus_filters", N_("Filter"), id="log.filter"),
        bind("c", "clear_filters", N_("Clear filters"), id="log.clear_filters"),
        bind("escape", "back", N_("Back"), id="log.back"),
    ]
    DEFAULT_CSS = """
    AuditLogScreen #log-filters {
        height: 1;
    }
    AuditLogScreen #log-filters Input {
        width: 1fr;
        margin-right: 1;
    }
    AuditLogScreen #log-filters #log-user {
        width: 12;
    }
    AuditLogScreen #log-filters #log-since, AuditLogScreen #log-filters #log-until {
        width: 12;
    }
    AuditLogScreen #log-filters #log-until {
        margin-right: 0;
    }
    AuditLogScreen #log-summary {
        height: 1;
        padding: 0 1;
        margin-top: 1;
        background: $boost;
    }
    AuditLogScreen #log-detail {
        height: auto;
        max-height: 4;
    }
    """

    def __init__(self, workspace, **kwargs) -> None:
        super().__init__(workspace, **kwargs)
        self.all: list[AuditEntry] = []  # newest first
        self.shown: list[AuditEntry] = []
        self._log_stamp: tuple[int, int] | None = None
        self._problem = ""

    def compose(self) -> ComposeResult:
        placeholders = {
            "tps": _("TPS or region code"),
            "person": _("NIK or name"),
            "user": _("User"),
            "since": _("From date"),
            "until": _("Up to date"),
        }
        yield Header()
        with Horizontal(id="log-filters"):
            for key in FILTERS:
                box = LogFilterInput(placeholder=placeholders[key], compact=True, id=f"log-{key}")
                box.cursor_blink = self.kpps.cursor_blink
                yield box
        yield Static(id="log-summary")
        yield LogTable(self._cells, id="log-table", highlighted=self._row_highlighted)
        yield InfoBlock(id="log-detail")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = _("Audit log")
        self.query_one(LogTable).focus()
        # A NIK shown in another session adds to the log without changing the data files.
        self.set_interval(self.kpps.poll_seconds, self.poll_log, name="poll-audit-log")

    # ---- reading -----------------------------------------------------------------------

    def _stamp(self) -> tuple[int, int] | None:
        return audit_log.log_stamp(self.workspace)

    def poll_log(self) -> None:
        """Redraw when the log changed on disk (run every poll_seconds; tests call it directly)."""
        if self._stamp() != self._log_stamp:
            self.reload()

    def reload(self) -> None:
        """Read the log again only when it grew; redraw in any case (names may have changed)."""
        stamp = self._stamp()
        if stamp != self._log_stamp or stamp is None:
            self._log_stamp = stamp
            self.all = audit_log.entries(self.workspace)
        self._redraw()

    def _filter(self) -> tuple[LogFilter, str, str]:
        """The filter the boxes describe, the user prefix, and what is wrong with them."""
        ws = self.workspace
        value = {key: self.query_one(f"#log-{key}", Input).value.strip() for key in FILTERS}
        problem = ""
        days: dict[str, date | None] = {"since": None, "until": None}
        for key in days:
            if value[key]:
                try:
                    days[key] = parse_date(value[key])
                except DateError as exc:
                    problem = str(exc)
        people = None
        text = value["person"]
        if text:
            needle = text.casefold().replace(" ", "") if text.replace(" ", "").isdigit() else text.casefold()
            people = frozenset(
                nik for nik, person in ws.people.items() if needle in nik or needle in person.name.casefold()
            )
            if needle.isdigit() and len(needle) == 16:
                people |= {needle}  # someone no longer in the workspace
        flt = LogFilter(tps=value["tps"] or None, since=days["since"], until=days["until"], people=people)
        return flt, value["user"], problem

    def _redraw(self, keep: str | None = None) -> None:
        flt, user, self._problem = self._filter()
        total = len(self.all)
        rows = [
            (str(total - index), entry)  # the entry's place from the oldest: it stays put
            for index, entry in enumerate(self.all)
            if flt.matches(entry) and (not user or entry.user.startswith(user))
        ]
        self.shown = [entry for _key, entry in rows]
        table = self.query_one(LogTable)
        table.set_rows(rows, keep=keep)
        self._show_summary(len(rows), total)
        self._show_detail()

    def _subject(self, subject: str, short: bool = False) -> str:
        """A TPS by its label ('001 Candi' in the table), a person by the masked NIK."""
        tps = self.workspace.tps.get(subject)
        if tps is not None:
            return f"{tps.number:03d} {self.workspace.region_name(tps.desa_code)}" if short else self.workspace.tps_label(tps)
        return mask_nik(subject) if subject.isdigit() else subject

    def _change(self, entry: AuditEntry) -> str:
        return masked(audit_log.describe_change(self.workspace, entry))

    def _cells(self, entry: AuditEntry) -> dict[str, Text]:
        # Rendered only for the rows drawn (a screen at a time), not for the whole log.
        return {
            "at": plain(local_time(entry.at).strftime("%d-%m %H:%M")),  # the year is in the detail
            "user": plain(entry.user),
            "action": plain(action_label(entry.action)),
            "subject": plain(self._subject(entry.subject, short=True)),
            "change": plain(self._change(entry)),
        }

    def _show_summary(self, shown: int, total: int) -> None:
        tones = Tones()
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if self._problem:
            text.append(self._problem, tones.bad)
        elif not total:
            text.append(_("No change has been made to this workspace yet."))
        elif shown != total:
            text.append(_("{shown} of {total} entries").format(shown=fmt_int(shown), total=fmt_int(total)))
        else:
            text.append(_("{count} entries, newest first").format(count=fmt_int(total)))
        self.query_one("#log-summary", Static).update(text)

    def highlighted(self) -> AuditEntry | None:
        row = self.query_one(LogTable).cursor_data()
        return row[1] if row else None

    def _show_detail(self) -> None:
        detail = self.query_one("#log-detail", InfoBlock)
        entry = self.highlighted()
        if entry is None:
            detail.update(_("No entry matches."))
            return
        tones = Tones()
        text = Text(end="")
        text.append(local_time(entry.at).strftime("%d-%m-%Y %H:%M:%S"), tones.strong)
        text.append(" · " + _("{user}, session {session}").format(user=entry.user, session=entry.session))
        text.append(" · " + action_label(entry.action))
        text.append(" · " + self._subject(entry.subject))
        if entry.subject in self.workspace.tps:
            text.append(f" ({entry.subject})", tones.muted)
        change = self._change(entry)
        if change:
            text.append("\n" + change)
        detail.update(text)

    def _row_highlighted(self, row: object = None) -> None:
        self._show_detail()

    @on(VirtualTable.RowSelected, "#log-table")
    def _entry_chosen(self, event: VirtualTable.RowSelected) -> None:
        """Enter: only the entries of this TPS (by its code) or this person (by name)."""
        entry = self.highlighted()
        if entry is None:
            return
        person = self.workspace.people.get(entry.subject)
        if entry.subject in self.workspace.tps:
            self.query_one("#log-tps", Input).value = entry.subject
        elif person is not None:
            self.query_one("#log-person", Input).value = person.name  # never the NIK in a box

    @on(Input.Changed)
    def _filter_typed(self, event: Input.Changed) -> None:
        self._redraw()

    @on(Input.Submitted)
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.action_focus_table()

    # ---- actions -----------------------------------------------------------------------

    def action_focus_filters(self) -> None:
        self.query_one("#log-tps", LogFilterInput).focus_now()

    def action_focus_table(self) -> None:
        self.query_one(LogTable).focus()

    def action_table_cursor(self, direction: str) -> None:
        table = self.query_one(LogTable)
        getattr(table, f"action_cursor_{direction}" if direction in ("up", "down") else f"action_{direction}")()

    def action_clear_filters(self) -> None:
        with self.prevent(Input.Changed):
            for key in FILTERS:
                self.query_one(f"#log-{key}", Input).value = ""
        self._redraw()

    def action_back(self) -> None:
        self.dismiss(None)
