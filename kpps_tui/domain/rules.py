"""The one place that decides whether a person may take a seat.

Every check returns findings instead of raising, so the candidate picker, the TPS screen, the
applicant screen and the CLI show the same reasons. A HARD finding refuses the change; a SOFT
one warns: it never blocks, but the seat records every warning that stood, with the written
reason when one was given (services.assignments.assign).

Hard (PKPU 8/2022 Pasal 35): under the minimum age on voting day; seated elsewhere; listed in
SIPOL; a former party member without the party's letter, or whose letter shows less than 5
years out of the party on voting day; TMS; left (resigned, dismissed, died).
Soft: over the preferred age; domicile outside the TPS's desa; education below SMA (or not
recorded); health certificate missing or not normal; a document missing; seating this man
leaves the TPS unable to reach the wanted share of women when full.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from kpps_tui.domain.applicants import (
    DOCUMENT_LABELS,
    HEALTH_CHECK_LABELS,
    Document,
    Stage,
    below_minimum_education,
    education_rank,
    open_responses,
    required_documents,
)
from kpps_tui.domain.model import Election, Person, Tps, render
from kpps_tui.domain.nik import FEMALE
from kpps_tui.i18n import N_

PARTY_YEARS = 5  # out of a party for at least this many years on voting day


class Severity(str, Enum):
    HARD = "hard"
    SOFT = "soft"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    template: str
    params: dict[str, Any] = field(default_factory=dict[str, Any])

    @property
    def message(self) -> str:
        return render(self.template, self.params)

    @property
    def is_hard(self) -> bool:
        return self.severity is Severity.HARD


@dataclass(frozen=True)
class SeatHolder:
    """Where a person already sits, described for a sentence."""

    tps_code: str
    tps_label: str
    seat: int


def hard(code: str, template: str, **params: Any) -> Finding:
    return Finding(code, Severity.HARD, template, params)


def soft(code: str, template: str, **params: Any) -> Finding:
    return Finding(code, Severity.SOFT, template, params)


def check_person_for_tps(
    person: Person,
    tps: Tps,
    election: Election,
    seated_at: SeatHolder | None,
    officers: Iterable[Person] | None = None,
) -> list[Finding]:
    """What stands between this person and any seat of this TPS. `officers` are the people
    seated there now (the person among them or not); without them the share of women is not
    checked."""
    findings: list[Finding] = []
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
    findings.extend(check_applicant(person, election))
    if person.desa_code != tps.desa_code:
        findings.append(
            soft(
                "outside_desa",
                N_("{name} lives outside this TPS's desa/kelurahan."),
                name=person.name,
            )
        )
    if officers is not None:
        findings.extend(_women_share(person, election, officers))
    return findings


def check_applicant(person: Person, election: Election) -> list[Finding]:
    """What the rules say about the person alone, whatever the TPS: the applicant screen shows
    these, and the MS/TMS assessment turns the hard ones into TMS reasons."""
    findings = check_requirements(person, election)
    stage = person.standing.stage
    if stage is Stage.NOT_ELIGIBLE:
        reasons = "; ".join(r.message for r in person.standing.reasons)
        findings.insert(
            0,
            hard(
                "tms",
                N_("{name} was found not to meet the requirements (TMS): {reasons}"),
                name=person.name,
                reasons=reasons,
            ),
        )
    elif stage.has_left:
        findings.insert(
            0,
            hard("left", N_("{name} has left ({stage}): {reason}"), name=person.name, stage=stage.label, reason=person.standing.left_reason),
        )
    return findings


def check_requirements(person: Person, election: Election) -> list[Finding]:
    """The requirements of PKPU 8/2022 as far as the person's file shows them (not the stage)."""
    findings: list[Finding] = []
    age = person.age_on(election.voting_day)
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
    findings.extend(_party(person, election))
    findings.extend(_education(person))
    findings.extend(_health(person))
    missing = [d for d in required_documents(person.neutrality.former_party_member) if not _received(person, d)]
    if missing:
        findings.append(
            soft(
                "documents_missing",
                N_("{name} has not handed in: {documents}."),
                name=person.name,
                documents=tuple(DOCUMENT_LABELS[d] for d in missing),
            )
        )
    return findings


def _received(person: Person, document: Document) -> bool:
    """The party's letter counts as received once it is recorded with the neutrality papers."""
    if document is Document.PARTY_LETTER:
        return person.neutrality.party_letter is not None
    return person.documents.has(document)


def five_years_before(day: date, years: int = PARTY_YEARS) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _party(person: Person, election: Election) -> list[Finding]:
    """A former member needs the party's letter; its date is read as the day the membership
    ended, which must lie at least five years before voting day."""
    neutrality = person.neutrality
    if not neutrality.former_party_member:
        return []
    letter = neutrality.party_letter
    if letter is None:
        return [
            hard(
                "party_letter_missing",
                N_("{name} is a former party member without the party's letter showing {years} years out of the party."),
                name=person.name,
                years=PARTY_YEARS,
            )
        ]
    if letter.dated > five_years_before(election.voting_day):
        return [
            hard(
                "party_letter_recent",
                N_("{name} left {party} on {left}, less than {years} years before voting day."),
                name=person.name,
                party=letter.party or "?",
                left=letter.dated.isoformat(),
                years=PARTY_YEARS,
            )
        ]
    return []


def _education(person: Person) -> list[Finding]:
    level = person.education.strip()
    if below_minimum_education(level):
        return [
            soft(
                "education_below_sma",
                N_("{name} finished {level}; SMA or equivalent is required (relaxed only where applicants are too few)."),
                name=person.name,
                level=level,
            )
        ]
    if education_rank(level) is None:
        return [soft("education_unknown", N_("The education of {name} is not recorded."), name=person.name)]
    return []


def _health(person: Person) -> list[Finding]:
    health = person.health
    if health is None:
        return [soft("health_missing", N_("{name} has no health certificate (Surat Keterangan Sehat) on file."), name=person.name)]
    if not health.normal:
        return [
            soft(
                "health_not_normal",
                N_("The health certificate of {name} is not normal for: {checks}."),
                name=person.name,
                checks=tuple(HEALTH_CHECK_LABELS[code] for code in health.not_normal_codes()),
            )
        ]
    return []


def _women_share(person: Person, election: Election, officers: Iterable[Person]) -> list[Finding]:
    """Seating a man warns when the seats left could no longer give the TPS its share of women."""
    if person.sex == FEMALE:
        return []
    others = [p for p in officers if p.nik != person.nik]
    women = sum(p.sex == FEMALE for p in others)
    free_after = max(0, election.seats_per_tps - len(others) - 1)
    needed = election.women_needed
    if women + free_after >= needed:
        return []
    return [
        soft(
            "women_share",
            N_("With {name} this TPS can have at most {most} women among its {seats} officers; {percent}% ({needed}) are wanted."),
            name=person.name,
            most=women + free_after,
            seats=election.seats_per_tps,
            percent=election.women_percent,
            needed=needed,
        )
    ]


def open_response_count(person: Person) -> int:
    return open_responses(person.responses)


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
    officers: Iterable[Person] | None = None,
) -> list[Finding]:
    """Everything the rules say about putting `person` on `seat` of `tps`."""
    return check_seat(tps, seat, election, tps_label) + check_person_for_tps(
        person, tps, election, seated_at, officers
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
    "check_applicant",
    "check_assignment",
    "check_person_for_tps",
    "check_requirements",
    "check_seat",
    "describe",
    "refusals",
    "unknown_person",
    "warnings",
]
