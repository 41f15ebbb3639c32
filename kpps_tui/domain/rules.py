"""The one place that decides whether a person may take a seat.

Every check returns findings instead of raising, so the candidate picker, the TPS screen and
the CLI show the same reasons. A HARD finding refuses the change; a SOFT one warns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from kpps_tui.domain.model import Election, Person, Tps
from kpps_tui.i18n import N_, _


class Severity(str, Enum):
    HARD = "hard"
    SOFT = "soft"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    template: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _(self.template).format(**self.params)

    @property
    def is_hard(self) -> bool:
        return self.severity is Severity.HARD


@dataclass(frozen=True)
class SeatHolder:
    """Where a person already sits, described for a sentence."""

    tps_code: str
    tps_label: str
    seat: int


def hard(code: str, template: str, **params) -> Finding:
    return Finding(code, Severity.HARD, template, params)


def soft(code: str, template: str, **params) -> Finding:
    return Finding(code, Severity.SOFT, template, params)


def check_person_for_tps(
    person: Person,
    tps: Tps,
    election: Election,
    seated_at: SeatHolder | None,
) -> list[Finding]:
    """What stands between this person and any seat of this TPS."""
    findings: list[Finding] = []
    age = person.age_on(election.voting_day)
    if seated_at is not None:
        findings.append(
            hard(
                "seated_elsewhere",
                N_("{name} already sits on seat {seat} of {tps}; a person may hold one seat only."),
                name=person.name,
                seat=seated_at.seat,
                tps=seated_at.tps_label,
            )
        )
    if age < election.min_age:
        findings.append(
            hard(
                "too_young",
                N_("{name} is {age} on voting day; a KPPS member must be at least {min_age}."),
                name=person.name,
                age=age,
                min_age=election.min_age,
            )
        )
    elif age > election.preferred_max_age:
        findings.append(
            soft(
                "over_preferred_age",
                N_("{name} is {age} on voting day; members of at most {max_age} are preferred."),
                name=person.name,
                age=age,
                max_age=election.preferred_max_age,
            )
        )
    if person.neutrality.sipol_listed:
        findings.append(
            hard(
                "sipol_listed",
                N_("{name} is listed as a party member in SIPOL; clear the flag with a reason first."),
                name=person.name,
            )
        )
    if person.desa_code != tps.desa_code:
        findings.append(
            soft(
                "outside_desa",
                N_("{name} lives outside this TPS's desa/kelurahan."),
                name=person.name,
            )
        )
    return findings


def check_seat(tps: Tps, seat: int, election: Election, tps_label: str) -> list[Finding]:
    """Whether `seat` of this TPS exists and is free."""
    if not 1 <= seat <= election.seats_per_tps:
        return [
            hard(
                "no_such_seat",
                N_("A TPS has seats 1 to {seats}; there is no seat {seat}."),
                seats=election.seats_per_tps,
                seat=seat,
            )
        ]
    found = []
    if tps.filled >= election.seats_per_tps:
        found.append(
            hard(
                "tps_full",
                N_("{tps} already has its {seats} officers; unassign one first."),
                tps=tps_label,
                seats=election.seats_per_tps,
            )
        )
    if seat in tps.seats:
        found.append(
            hard(
                "seat_taken",
                N_("Seat {seat} of {tps} is already taken; unassign it first."),
                seat=seat,
                tps=tps_label,
            )
        )
    return found


def check_assignment(
    person: Person,
    tps: Tps,
    seat: int,
    election: Election,
    tps_label: str,
    seated_at: SeatHolder | None,
) -> list[Finding]:
    """Everything the rules say about putting `person` on `seat` of `tps`."""
    return check_seat(tps, seat, election, tps_label) + check_person_for_tps(
        person, tps, election, seated_at
    )


def refusals(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_hard]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if not f.is_hard]


def unknown_person(nik: str) -> Finding:
    return hard("unknown_person", N_("No applicant with NIK {nik} is in this workspace."), nik=nik)


def describe(findings: list[Finding]) -> str:
    return " ".join(f.message for f in findings)


__all__ = [
    "Finding",
    "SeatHolder",
    "Severity",
    "check_assignment",
    "check_person_for_tps",
    "check_seat",
    "describe",
    "refusals",
    "unknown_person",
    "warnings",
]
