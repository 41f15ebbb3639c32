"""The pieces of the ringkasan screen: progress bars, the figures of a region, the table of
regions, the schedule as a timeline and the burn-up chart. Status is never told by colour
alone: bars are drawn with █ and ░, stages carry their word ([overdue]), series their glyph."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from kpps_tui.domain.schedule import StageKey, Timing
from kpps_tui.domain.status import APPLICANT_STAGES, Figures, StageStatus, day_label
from kpps_tui.domain.applicants import Stage as ApplicantStage
from kpps_tui.i18n import N_, _, current_language
from kpps_tui.services.status import BurnUp, Level, StatusRow
from kpps_tui.tui.keys import bind
from kpps_tui.tui.text import Tones, fmt_int, plain
from kpps_tui.tui.widgets.virtual_table import Column, VirtualTable, fit_plain

EIGHTHS = " ▏▎▍▌▋▊▉"
NOT_YET = "…"  # a figure that needs the applicants, before they are read (services.status)
READING = N_("Reading the applicants…")


def bar(value: int, whole: int, width: int) -> str:
    """A progress bar of `width` cells: █ for what is done, ░ for what is left, eighths between."""
    if width <= 0:
        return ""
    share = min(max(value / whole, 0.0), 1.0) if whole else 0.0
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    return text + "░" * (width - len(text))


def percent(value: int, whole: int) -> str:
    return f"{100 * value // whole}%" if whole else "-"


# ---- the figures of the region in view ---------------------------------------------------------


class RegionSummary(Static):
    """Four lines about the region in view: seats, declarations and cards as bars, then the TPS
    by fill state, women, PAW and applicants by stage."""

    def show(self, figures: Figures, women_percent: int, tones: Tones, applicants_read: bool = True) -> None:
        """Before the applicants are read, only what the TPS tell: the seats and the TPS line."""
        width = max(self.size.width - 2, 40)
        label_width = max(len(_("Seats filled")), len(_("Verified")), len(_("ID cards")))
        bar_width = max(min(width - label_width - 22, 50), 8)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        officers = figures.officers
        for label, value, whole, from_applicants in (
            (_("Seats filled"), figures.seats_filled, figures.seats, False),
            (_("Verified"), figures.verified, officers, True),
            (_("ID cards"), figures.cards_valid, officers, True),  # of the officers found there
        ):
            text.append(fit_plain(label, label_width) + " ")
            if from_applicants and not applicants_read:
                text.append(NOT_YET + "\n", tones.muted)
                continue
            done = whole and value >= whole
            text.append(bar(value, whole, bar_width), tones.good if done else "")
            text.append(f" {fmt_int(value)}/{fmt_int(whole)} {percent(value, whole)}\n")
        text.append(
            _("TPS: {full} full · {partly} partly · {empty} empty · PAW open {paw}").format(
                full=fmt_int(figures.tps_full),
                partly=fmt_int(figures.tps_partly),
                empty=fmt_int(figures.tps_empty),
                paw=fmt_int(figures.paw_open),
            )
        )
        text.append("\n")
        if not applicants_read:
            text.append(_(READING), tones.muted)
            self.update(text, layout=False)
            return
        text.append(
            _("Women {women} ({short} TPS < {wanted}%)").format(
                women=percent(figures.women_seated, figures.seats_filled),
                short=fmt_int(figures.tps_short_of_women),
                wanted=women_percent,
            )
        )
        text.append(" · " + applicants_line(figures), tones.muted)
        self.update(text, layout=False)


def applicants_line(figures: Figures) -> str:
    """'Applicants: MS 4,216 · TMS 280 · Mengundurkan diri 3' (a stage's code where it has one)."""
    shown = [
        f"{short_stage(ApplicantStage(key))} {fmt_int(count)}"
        for key in APPLICANT_STAGES
        if (count := figures.applicants.get(key, 0))
    ]
    return _("Applicants: {stages}").format(stages=" · ".join(shown) if shown else "-")


def short_stage(stage: ApplicantStage) -> str:
    """'MS' of 'Memenuhi Syarat (MS)'; a label without a code as it is."""
    label = stage.label
    return label[label.rindex("(") + 1 : -1] if label.endswith(")") and "(" in label else label


# ---- the table of regions ------------------------------------------------------------------------


class StatusTable(VirtualTable[StatusRow]):
    """One row per kab/kota, kecamatan or desa; Enter goes one level down."""

    NAME = Column("name", N_("Kecamatan"), width=16, weight=3, most=28)
    COLUMNS = (
        NAME,
        Column("bar", N_("Seats filled"), width=10, weight=2, most=30),
        Column("seats", N_("filled/needed"), width=13),
        Column("tps", N_("TPS F/P/E"), width=11, drop=3),
        Column("verified", N_("Verified"), width=13, drop=2),
        Column("cards", N_("Cards"), width=6, drop=5),
        Column("women", N_("Women"), width=6, drop=4),
        Column("paw", N_("PAW"), width=4, drop=6),
        Column("forecast", N_("Full on"), width=14, drop=1),
    )
    BINDINGS = [bind("enter", "select_cursor", N_("Open"), id="dashboard.open")]
    LEVEL_COLUMN = {
        Level.KABUPATEN: N_("Kab/Kota"),
        Level.KECAMATAN: N_("Kecamatan"),
        Level.DESA: N_("Desa/Kelurahan"),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tones = Tones()
        self.forecasts: dict[str, str] = {}
        self.applicants_read = True  # False: the columns that need the applicants show NOT_YET

    def set_level(self, level: Level) -> None:
        """The first column's header names the level."""
        name = Column("name", self.LEVEL_COLUMN[level], width=16, weight=3, most=28)
        self.columns = (name, *self.COLUMNS[1:])
        self._forget_widths()  # widths are worked out again for the new columns
        self._lines.clear()

    def row_key(self, row: StatusRow) -> str:
        return row.code

    def row_cells(self, row: StatusRow) -> dict[str, Text]:
        f = row.figures
        width = dict((c.key, w) for c, w in self.shown_columns()).get("bar", 10)
        full = f.seats and f.seats_filled >= f.seats
        forecast = self.forecasts.get(row.code, "")
        return {
            "name": plain(row.name),
            "bar": plain(bar(f.seats_filled, f.seats, width), self.tones.good if full else ""),
            "seats": plain(f"{fmt_int(f.seats_filled)}/{fmt_int(f.seats)}"),
            "tps": plain(f"{fmt_int(f.tps_full)}/{fmt_int(f.tps_partly)}/{fmt_int(f.tps_empty)}"),
            "verified": plain(f"{fmt_int(f.verified)}/{fmt_int(f.officers)}"),
            "cards": plain(fmt_int(f.cards_valid)),
            "women": plain(percent(f.women_seated, f.seats_filled), self.tones.warn if f.tps_short_of_women else ""),
            **({} if self.applicants_read else {"verified": plain(NOT_YET), "women": plain(NOT_YET)}),
            "paw": plain(fmt_int(f.paw_open)),
            "forecast": plain(forecast, self.tones.bad if forecast.endswith(")") else ""),
        }


# ---- the schedule --------------------------------------------------------------------------------

TIMING_ORDER = {Timing.OVERDUE: 0, Timing.CURRENT: 1, Timing.DUE: 2, Timing.DONE: 3}


class ScheduleView(Static):
    """A timeline from the first stage to the last with today on it, then the stages: all of
    them when there is room, else the most pressing few (overdue, now, next)."""

    def show(self, stages: list[StageStatus], today: date, lines: int, tones: Tones, applicants_read: bool = True) -> None:
        """Before the applicants are read, the timeline alone (what the stages wait for is not
        known yet)."""
        width = max(self.size.width - 2, 20)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append_text(timeline(stages, today, width, tones))
        if not applicants_read:
            text.append("\n")
            text.append(_(READING), tones.muted)
            self.update(text, layout=False)
            return
        if lines - 1 >= len(stages):
            chosen = stages
        else:
            pressing = sorted(
                (s for s in stages if s.timing is not Timing.DONE),
                key=lambda s: (TIMING_ORDER[s.timing], s.stage.start),
            )
            chosen = sorted(pressing[: max(lines - 1, 0)], key=lambda s: s.stage.start)
        style: dict[Timing, Style | str] = {
            Timing.OVERDUE: tones.bad,
            Timing.CURRENT: tones.warn,
            Timing.DONE: tones.muted,
            Timing.DUE: "",
        }
        for stage in chosen:
            text.append("\n")
            text.append(f"[{stage.timing.label}] ", style[stage.timing])
            text.append(stage.sentence(), tones.muted if stage.timing is Timing.DONE else "")
        self.update(text, layout=False)


def timeline(stages: list[StageStatus], today: date, width: int, tones: Tones) -> Text:
    """'17 Sep ━━━━━●──────┃───╋── 8 Dec': passed ━, to come ─, today ●, penetapan ┃, voting ╋."""
    first, last = stages[0].stage.start, stages[-1].stage.end
    left, right = day_label(first) + " ", " " + day_label(last)
    cells = max(width - len(left) - len(right), 10)
    span = max((last - first).days, 1)

    def cell(day: date) -> int:
        return min(max(round((day - first).days * (cells - 1) / span), 0), cells - 1)

    line = ["━" if first + timedelta(days=i * span / (cells - 1)) <= today else "─" for i in range(cells)]
    marks = {StageKey.APPOINTMENT: "┃", StageKey.VOTING: "╋"}
    for status in stages:
        if status.key in marks:
            line[cell(status.stage.start)] = marks[status.key]
    if first <= today <= last:
        line[cell(today)] = "●"
    text = Text(left, end="")
    text.append("".join(line))
    text.append(right)
    legend = "  " + _("● today {day} · ┃ penetapan · ╋ voting day").format(day=day_label(today))
    if len(text) + len(legend) <= width:
        text.append(legend, tones.muted)
    return text


# ---- the burn-up chart ---------------------------------------------------------------------------


class BurnUpChart(Static):
    """Seats filled (▒) and Surat Pernyataan verified (█) at the end of each day, the seats
    needed at the top, the penetapan day (┊) and, after today, the forecast at the pace of the
    last 7 days (·)."""

    def show(self, burnup: BurnUp, name: str, deadline: date, tones: Tones, applicants_read: bool = True) -> None:
        width, height = max(self.size.width, 30), max(self.size.height, 6)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(_("Burn-up: {name}").format(name=name), tones.strong)
        text.append("\n")
        if not applicants_read:  # the verified series needs them
            text.append(_(READING), tones.muted)
            self.update(text, layout=False)
            return
        plot_rows = max(height - 5, 2)
        text.append_text(draw_chart(burnup, deadline, width, plot_rows, tones))
        text.append("\n")
        text.append(_("▒ seats filled · █ verified · · forecast · ┊ penetapan"), tones.muted)
        text.append("\n")
        text.append(forecast_sentence(burnup))
        self.update(text, layout=False)


def forecast_sentence(burnup: BurnUp) -> str:
    fc = burnup.forecast
    pace = f"{fc.per_day:.1f}"
    if current_language() == "id":
        pace = pace.replace(".", ",")
    if fc.remaining == 0:
        return _("Every seat is filled.")
    if fc.done_on is None:
        return _("No seat was filled in the last 7 days: {open} still empty.").format(open=fmt_int(fc.remaining))
    sentence = _("{pace} seats a day (last 7 days): full on {day}").format(pace=pace, day=day_label(fc.done_on))
    if fc.in_time:
        return sentence + ", " + _("before penetapan {day}.").format(day=day_label(fc.deadline))
    return sentence + ", " + _("after penetapan {day}.").format(day=day_label(fc.deadline))


def draw_chart(burnup: BurnUp, deadline: date, width: int, rows: int, tones: Tones) -> Text:
    """The plot: a y-axis label column, one column per day, a date line under it."""
    top = max(burnup.seats, max((v for _d, v in burnup.filled), default=0), 1)
    label_width = len(fmt_int(top)) + 1
    columns = max(width - label_width - 1, 10)
    fc = burnup.forecast
    today = burnup.filled[-1][0]
    end = max(deadline, fc.done_on or today)
    future = min(max((end - today).days, 0), columns // 2)
    past = columns - future
    filled = dict(burnup.filled[-past:])
    verified = dict(burnup.verified[-past:])
    first = today - timedelta(days=past - 1)
    current = burnup.filled[-1][1] if burnup.filled else 0
    step = top / rows
    grid: list[list[tuple[str, Style | str]]] = []
    for r in range(rows - 1, -1, -1):
        middle = (r + 0.5) * step
        line: list[tuple[str, Style | str]] = []
        for i in range(columns):
            day = first + timedelta(days=i)
            if day <= today:
                f, v = filled.get(day, 0), verified.get(day, 0)
                if v >= middle:
                    line.append(("█", tones.good))
                elif f >= middle:
                    line.append(("▒", ""))
                elif day == deadline:
                    line.append(("┊", tones.muted))
                else:
                    line.append((" ", ""))
            else:
                projected = min(current + fc.per_day * (day - today).days, top)
                if r * step <= projected < (r + 1) * step or (r == rows - 1 and projected >= top):
                    line.append(("·", tones.warn))
                elif day == deadline:
                    line.append(("┊", tones.muted))
                else:
                    line.append((" ", ""))
        grid.append(line)
    text = Text(end="")
    for index, line in enumerate(grid):
        label = fmt_int(top) if index == 0 else ("0" if index == rows - 1 else "")
        text.append(label.rjust(label_width) + "│")
        for glyph, style in line:
            text.append(glyph, style)
        text.append("\n")
    text.append(" " * label_width + "└" + "─" * columns + "\n")
    text.append(" " * (label_width + 1) + date_line(first, today, deadline, columns))
    return text


def date_line(first: date, today: date, deadline: date, columns: int) -> str:
    """The first day at the left, today under its column (▲), penetapan under its own."""
    cells = [" "] * columns
    labels = [(0, day_label(first))]
    today_at = (today - first).days
    labels.append((today_at, "▲" + day_label(today)))
    deadline_at = (deadline - first).days
    if 0 <= deadline_at < columns and deadline_at != today_at:
        labels.append((deadline_at, "┊" + day_label(deadline)))
    taken = -1
    for at, label in sorted(labels):
        at = max(at, taken + 1)
        if at + len(label) > columns:
            at = columns - len(label)
        if at <= taken:
            continue
        cells[at : at + len(label)] = list(label)
        taken = at + len(label)
    return "".join(cells[:columns])
