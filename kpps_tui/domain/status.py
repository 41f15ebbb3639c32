"""Where the formation stands: figures of a desa, summed up to kecamatan, kabupaten and the
whole workspace; what each stage of the schedule still waits for; the pace of work and when it
will be done. Pure: the clock comes in as `today`, the figures come from services.status.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from enum import Enum

from kpps_tui.domain.applicants import Stage as ApplicantStage
from kpps_tui.domain.declarations import DeclState
from kpps_tui.domain.model import Election, Person, Tps
from kpps_tui.domain.schedule import Stage, StageKey, Timing, full_schedule, stage_of, timing
from kpps_tui.i18n import N_, _

DECL_STATES = tuple(s.value for s in (DeclState.NOT_HANDED_IN, DeclState.HANDED_IN, DeclState.REJECTED, DeclState.VERIFIED))
APPLICANT_STAGES = tuple(s.value for s in ApplicantStage)


def _zero_counts(keys: tuple[str, ...]) -> dict[str, int]:
    return dict.fromkeys(keys, 0)


@dataclass(frozen=True)
class Figures:
    """Counts of one region; regions add up with `+`. The desa_* fields count desa that still
    wait for something (1 or 0 for a desa itself)."""

    tps: int = 0
    tps_full: int = 0
    tps_partly: int = 0
    tps_empty: int = 0
    seats: int = 0
    seats_filled: int = 0
    women_seated: int = 0
    tps_short_of_women: int = 0  # TPS with officers whose share of women is below the wanted one
    declarations: dict[str, int] = field(default_factory=lambda: _zero_counts(DECL_STATES))
    cards_valid: int = 0  # seated officers holding a printed card that is neither revoked nor expired
    paw_open: int = 0
    applicants: dict[str, int] = field(default_factory=lambda: _zero_counts(APPLICANT_STAGES))
    responses_open: int = 0  # tanggapan masyarakat not yet settled
    desa: int = 0
    desa_with_empty_seats: int = 0
    desa_unassessed: int = 0  # applicants still at Pendaftar: penelitian administrasi not done
    desa_with_open_responses: int = 0
    desa_undeclared: int = 0  # officers whose Surat Pernyataan is not verified
    desa_without_cards: int = 0  # officers without a valid printed card

    def __add__(self, other: Figures) -> Figures:
        values: dict[str, object] = {}
        for name in _COUNTS:
            values[name] = getattr(self, name) + getattr(other, name)
        for name in _TALLIES:
            a, b = getattr(self, name), getattr(other, name)
            values[name] = {k: a.get(k, 0) + b.get(k, 0) for k in {**a, **b}}
        return Figures(**values)  # type: ignore[arg-type]  # ints and tallies, field by field

    @property
    def seats_open(self) -> int:
        return self.seats - self.seats_filled

    @property
    def verified(self) -> int:
        return self.declarations.get(DeclState.VERIFIED.value, 0)

    @property
    def officers(self) -> int:
        return sum(self.declarations.values())


_TALLIES = ("declarations", "applicants")  # {state or stage: count}
_COUNTS = tuple(f.name for f in fields(Figures) if f.name not in _TALLIES)


def total(figures: Iterable[Figures]) -> Figures:
    """The sum of many, field by field in one pass (a province's ringkasan sums 1,500 desa:
    adding them one by one made as many Figures)."""
    figures = list(figures)
    values: dict[str, object] = {name: sum(getattr(f, name) for f in figures) for name in _COUNTS}
    for name in _TALLIES:
        tally: dict[str, int] = {}
        for f in figures:
            for key, count in getattr(f, name).items():
                tally[key] = tally.get(key, 0) + count
        values[name] = tally
    return Figures(**values) if figures else Figures()  # type: ignore[arg-type]  # ints and tallies, field by field


def desa_figures(
    tps_of_desa: Iterable[Tps],
    people: Mapping[str, Person],
    applicants: Iterable[Person],
    election: Election,
    cards_valid: Mapping[str, int],
) -> Figures:
    """A desa: its TPS (officers looked up in `people`; `cards_valid` by TPS code), its
    applicants by stage, and what it still waits for. One pass, plain counters: a province
    has 4,446 TPS and 48,000 applicants."""
    seats = election.seats_per_tps
    wanted = election.women_percent
    tps = full = partly = empty = filled_total = women_total = short = cards = paw = 0
    declarations = _zero_counts(DECL_STATES)
    for t in tps_of_desa:
        tps += 1
        filled = len(t.seats)
        full += filled >= seats
        partly += 0 < filled < seats
        empty += filled == 0
        filled_total += min(filled, seats)
        women = officers = 0
        for seat in t.seats.values():
            person = people.get(seat.nik)
            if person is None:
                continue
            officers += 1
            women += person.sex == "P"
            declarations[person.neutrality.statement.state] += 1  # a str enum: its value as key
        women_total += women
        short += officers > 0 and women * 100 < wanted * officers
        cards += cards_valid.get(t.code, 0)
        paw += sum(1 for n in t.paw if n not in t.seats)
    stages = _zero_counts(APPLICANT_STAGES)
    responses = 0
    for person in applicants:
        stages[person.standing.stage] += 1
        if person.responses:
            responses += sum(1 for r in person.responses if not r.resolved)
    officers_total = sum(declarations.values())
    verified = declarations[DeclState.VERIFIED.value]
    return Figures(
        tps=tps,
        tps_full=full,
        tps_partly=partly,
        tps_empty=empty,
        seats=tps * seats,
        seats_filled=filled_total,
        women_seated=women_total,
        tps_short_of_women=short,
        declarations=declarations,
        cards_valid=cards,
        paw_open=paw,
        applicants=stages,
        responses_open=responses,
        desa=1,
        desa_with_empty_seats=int(filled_total < tps * seats),
        desa_unassessed=int(stages[ApplicantStage.APPLICANT.value] > 0),
        desa_with_open_responses=int(responses > 0),
        desa_undeclared=int(verified < officers_total),
        desa_without_cards=int(cards < officers_total),
    )


# ---- the schedule against the figures ------------------------------------------------------


class Waiting(str, Enum):
    """What a stage needs done in every desa, and the field of Figures that counts the desa
    still waiting for it."""

    ASSESSMENT = "desa_unassessed"
    RESPONSES = "desa_with_open_responses"
    SEATS = "desa_with_empty_seats"
    DECLARATIONS = "desa_undeclared"
    CARDS = "desa_without_cards"

    def sentence(self, count: int) -> str:
        return _(WAITING_SENTENCES[self]).format(count=count)


WAITING_SENTENCES = {
    Waiting.ASSESSMENT: N_("{count} desa still have applicants not assessed (MS/TMS)"),
    Waiting.RESPONSES: N_("{count} desa still have public responses not settled"),
    Waiting.SEATS: N_("{count} desa still have empty seats"),
    Waiting.DECLARATIONS: N_("{count} desa still have officers whose Surat Pernyataan is not verified"),
    Waiting.CARDS: N_("{count} desa still have officers without a valid ID card"),
}

# Which stage's end needs which work done (the others need nothing the workspace records).
STAGE_WORK: Mapping[StageKey, Waiting] = {
    StageKey.ADMIN_REVIEW: Waiting.ASSESSMENT,
    StageKey.PUBLIC_RESPONSE: Waiting.RESPONSES,
    StageKey.APPOINTMENT: Waiting.SEATS,
    StageKey.SWEARING_IN: Waiting.DECLARATIONS,
    StageKey.VOTING: Waiting.CARDS,
}


@dataclass(frozen=True)
class StageStatus:
    stage: Stage
    timing: Timing
    waiting: Waiting | None
    outstanding: int  # desa still waiting for the stage's work (0 when it needs none)

    @property
    def key(self) -> StageKey:
        return self.stage.key

    def sentence(self) -> str:
        """'Penetapan 7 Nov: 12 desa still have empty seats', or the stage and its dates."""
        head = f"{self.stage.label} {span_label(self.stage)}"
        if self.waiting is None or not self.outstanding:
            return head
        return f"{head}: {self.waiting.sentence(self.outstanding)}"


MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"))


def day_label(day: date) -> str:
    """7 Nov (7 Nov in Indonesian too, with its month names: 7 Des)."""
    return f"{day.day} {_(MONTHS[day.month - 1])}"


def span_label(stage: Stage) -> str:
    if stage.start == stage.end:
        return day_label(stage.start)
    if stage.start.month == stage.end.month:
        return f"{stage.start.day}-{day_label(stage.end)}"
    return f"{day_label(stage.start)}-{day_label(stage.end)}"


def schedule_status(election: Election, figures: Figures, today: date) -> list[StageStatus]:
    """Every stage by date, with where it stands today and how many desa still wait for it."""
    result = []
    for stage in full_schedule(election.schedule, election.voting_day):
        waiting = STAGE_WORK.get(stage.key)
        outstanding = int(getattr(figures, waiting.value)) if waiting else 0
        result.append(StageStatus(stage, timing(stage, today, outstanding), waiting, outstanding))
    return result


# ---- pace and forecast ---------------------------------------------------------------------

PACE_DAYS = 7


def series(current: int, deltas: Mapping[date, int], first: date, last: date) -> list[tuple[date, int]]:
    """The count at the end of each day from `first` to `last`, walked back from `current`
    (the count now, on `last`) through the changes of each day; changes stamped after `last`
    belong to `last`. Never below 0 (the changes may count more than `current` does)."""
    days = (last - first).days + 1
    if days <= 0:
        return []
    values = [0] * days
    running = current
    later = sum(v for d, v in deltas.items() if d > last)
    for i in reversed(range(days)):
        values[i] = max(running, 0)
        running -= deltas.get(first + timedelta(days=i), 0) + (later if i == days - 1 else 0)
    return [(first + timedelta(days=i), v) for i, v in enumerate(values)]


def pace(deltas: Mapping[date, int], today: date, days: int = PACE_DAYS) -> float:
    """Net change per day over the last `days` days up to today (changes after today count as today)."""
    since = today - timedelta(days=days)
    return sum(v for d, v in deltas.items() if d > since) / days


@dataclass(frozen=True)
class Forecast:
    code: str
    remaining: int  # seats still empty
    per_day: float  # seats filled per day over the last 7 days
    done_on: date | None  # when every seat is filled at that pace (today if already); None: never
    deadline: date  # penetapan

    @property
    def in_time(self) -> bool | None:
        return None if self.done_on is None else self.done_on <= self.deadline

    def short(self) -> str:
        """'full', '1 Nov', '20 Nov (late)' or 'no progress', for a table cell."""
        if self.remaining == 0:
            return _("full")
        if self.done_on is None:
            return _("no progress")
        day = day_label(self.done_on)
        return day if self.in_time else _("{day} (late)").format(day=day)


def forecast(code: str, figures: Figures, deltas: Mapping[date, int], today: date, election: Election) -> Forecast:
    remaining = figures.seats_open
    per_day = pace(deltas, today)
    if remaining <= 0:
        done_on: date | None = today
    elif per_day <= 0:
        done_on = None
    else:
        done_on = today + timedelta(days=math.ceil(remaining / per_day))
    deadline = stage_of(election.schedule, StageKey.APPOINTMENT, election.voting_day).start
    return Forecast(code, max(remaining, 0), per_day, done_on, deadline)
