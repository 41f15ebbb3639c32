"""The schedule of stages (tahapan) of forming the KPPS, as an election setting.

Filled for Pilkada 2024 from Kep. KPU 475/2024; every stage's dates can be changed with
`kpps settings set stage.KEY START..END`. Voting day is not stored here: it is the election's
own `voting_day`, so there is one voting day only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

from kpps_tui.i18n import N_, _


class StageKey(str, Enum):
    REGISTRATION = "pendaftaran"
    ADMIN_REVIEW = "penelitian_administrasi"
    REVIEW_NOTICE = "pengumuman"  # pengumuman hasil penelitian administrasi
    PUBLIC_RESPONSE = "tanggapan_masyarakat"
    SELECTION_NOTICE = "pengumuman_seleksi"  # pengumuman hasil seleksi
    APPOINTMENT = "penetapan"
    SWEARING_IN = "pelantikan"
    BRIEFING = "bimtek"
    VOTING = "pemungutan_suara"
    END_OF_TERM = "akhir_masa_kerja"

    @property
    def label(self) -> str:
        return _(STAGE_LABELS[self])


STAGE_LABELS = {
    StageKey.REGISTRATION: N_("Pendaftaran"),
    StageKey.ADMIN_REVIEW: N_("Penelitian administrasi"),
    StageKey.REVIEW_NOTICE: N_("Pengumuman hasil penelitian administrasi"),
    StageKey.PUBLIC_RESPONSE: N_("Tanggapan masyarakat"),
    StageKey.SELECTION_NOTICE: N_("Pengumuman hasil seleksi"),
    StageKey.APPOINTMENT: N_("Penetapan"),
    StageKey.SWEARING_IN: N_("Pelantikan"),
    StageKey.BRIEFING: N_("Bimbingan teknis (bimtek)"),
    StageKey.VOTING: N_("Voting day"),
    StageKey.END_OF_TERM: N_("End of the term of office"),
}


@dataclass(frozen=True)
class Stage:
    key: StageKey
    start: date
    end: date

    @property
    def label(self) -> str:
        return self.key.label

    def span_text(self) -> str:
        """How `kpps settings` shows and reads it: 2024-09-17..2024-09-28, or one day."""
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def _d(month: int, day: int) -> date:
    return date(2024, month, day)


# Kep. KPU 475/2024 (KPPS.md): every stage but voting day, in order.
PILKADA_2024: tuple[Stage, ...] = (
    Stage(StageKey.REGISTRATION, _d(9, 17), _d(9, 28)),
    Stage(StageKey.ADMIN_REVIEW, _d(9, 18), _d(9, 29)),
    Stage(StageKey.REVIEW_NOTICE, _d(9, 30), _d(10, 2)),
    Stage(StageKey.PUBLIC_RESPONSE, _d(9, 30), _d(10, 5)),
    Stage(StageKey.SELECTION_NOTICE, _d(10, 5), _d(10, 7)),
    Stage(StageKey.APPOINTMENT, _d(11, 7), _d(11, 7)),
    Stage(StageKey.SWEARING_IN, _d(11, 7), _d(11, 7)),
    Stage(StageKey.BRIEFING, _d(11, 11), _d(11, 20)),
    Stage(StageKey.END_OF_TERM, _d(12, 8), _d(12, 8)),
)

SETTABLE = tuple(stage.key for stage in PILKADA_2024)


def schedule_to_doc(schedule: tuple[Stage, ...]) -> dict[str, list[str]]:
    return {s.key.value: [s.start.isoformat(), s.end.isoformat()] for s in schedule}


def schedule_from_doc(doc: dict[str, list[str]] | None) -> tuple[Stage, ...]:
    """The stored dates, and Pilkada 2024's for any stage a workspace does not hold yet."""
    stored = doc or {}
    stages = []
    for default in PILKADA_2024:
        span = stored.get(default.key.value)
        if span:
            stages.append(Stage(default.key, date.fromisoformat(span[0]), date.fromisoformat(span[1])))
        else:
            stages.append(default)
    return tuple(stages)


def with_stage(schedule: tuple[Stage, ...], key: StageKey, start: date, end: date) -> tuple[Stage, ...]:
    return tuple(replace(s, start=start, end=end) if s.key is key else s for s in schedule)


def full_schedule(schedule: tuple[Stage, ...], voting_day: date) -> list[Stage]:
    """Every stage with voting day among them, by date (a stable order for equal dates)."""
    every = [*schedule, Stage(StageKey.VOTING, voting_day, voting_day)]
    order = {key: i for i, key in enumerate(StageKey)}
    return sorted(every, key=lambda s: (s.start, s.end, order[s.key]))


def stage_of(schedule: tuple[Stage, ...], key: StageKey, voting_day: date) -> Stage:
    return next(s for s in full_schedule(schedule, voting_day) if s.key is key)


class Timing(str, Enum):
    """Where a stage stands against today."""

    DONE = "done"
    CURRENT = "current"
    DUE = "due"  # not begun yet
    OVERDUE = "overdue"  # its end has passed with work still outstanding

    @property
    def label(self) -> str:
        return _(TIMING_LABELS[self])


TIMING_LABELS = {
    Timing.DONE: N_("done"),
    Timing.CURRENT: N_("now"),
    Timing.DUE: N_("due"),
    Timing.OVERDUE: N_("overdue"),
}


def timing(stage: Stage, today: date, outstanding: int) -> Timing:
    if today < stage.start:
        return Timing.DUE
    if today <= stage.end:
        return Timing.CURRENT
    return Timing.OVERDUE if outstanding else Timing.DONE
