"""Usulan: who should fill the empty seats, by which measure, and why, in words.

A proposal fills empty seats only (seats already filled stay as they are), each applicant at
most once, only applicants whose stage allows a seat (MS, Ditetapkan, Dilantik) and whom the
rule engine (domain.rules) does not refuse. Among the staffings that break no hard rule it
prefers, in this order (each level counts only among the staffings best by the ones before):

  1. seats filled, as many as the pool allows;
  2. women: the fewest women missing for the wanted share at each TPS (30% of 7 seats: 3);
  3. residence: residents of the TPS's desa, then of its kecamatan; another kecamatan only when
     the run allows it (one step worse again);
  4. warnings: the fewest soft findings of the applicants chosen (over the preferred age,
     education, health, papers);
  5. suitability: the most suitable applicants (earlier KPPS service, then education, then an
     age in the working range); in each TPS the most suitable of its new officers takes seat 1
     (Ketua KPPS) when that seat is empty.
Equal staffings are told apart by the NIK, so the same workspace gives the same proposal.

The rule engine's findings about a person depend on the TPS only through its desa (the
`outside_desa` warning), so each applicant is checked once, for a TPS of their own desa.
The share of women is the objective's level 2 rather than the rule's `women_share` warning; the
warnings shown with a proposed seat are the engine's own, in seat order, as accepting gives them.

Nothing here reads files or the clock; services.proposals builds the problem from a workspace,
domain.staffing_solver solves it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import IntEnum

from kpps_tui.domain.applicants import Stage, education_rank
from kpps_tui.domain.model import KETUA_SEAT, Election, Person, Tps
from kpps_tui.domain.nik import FEMALE
from kpps_tui.domain.rules import Finding, SeatHolder, check_person_for_tps, refusals, warnings
from kpps_tui.i18n import N_, _

# Stages whose applicants may take a seat (Pendaftar is not yet assessed; TMS and those who
# left are refused by the rules as well).
SEATABLE_STAGES = frozenset({Stage.ELIGIBLE, Stage.APPOINTED, Stage.SWORN_IN})
DEFAULT_RESERVES = 2
WORKING_AGE_FROM = 25  # with the election's preferred maximum (55): the working range
_SUITABILITY_MAX = 3 * 100 + 9 * 10 + 1  # see suitability()


class Residence(IntEnum):
    """How far an applicant lives from the TPS: the cost of level 3."""

    DESA = 0
    KECAMATAN = 1
    OTHER_KECAMATAN = 2


def residence(person_desa: str, tps_desa: str) -> Residence:
    if person_desa == tps_desa:
        return Residence.DESA
    if _kecamatan(person_desa) == _kecamatan(tps_desa):
        return Residence.KECAMATAN
    return Residence.OTHER_KECAMATAN


def _kecamatan(code: str) -> str:
    return ".".join(code.split(".")[:3])


# ---- the applicants and seats of a problem ---------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    """A person who may be proposed, as the solver needs them (picklable, no Person inside)."""

    nik: str
    name: str
    female: bool
    desa_code: str
    warnings: tuple[str, ...]  # codes of the soft findings about the person alone
    suitability: int  # higher is more suitable (level 5)

    @property
    def kecamatan_code(self) -> str:
        return _kecamatan(self.desa_code)

    @property
    def unsuitability(self) -> int:
        return _SUITABILITY_MAX - self.suitability

    @property
    def rank(self) -> tuple[int, int, str]:
        """The order among applicants equal in residence: fewer warnings, more suitable, NIK."""
        return (len(self.warnings), -self.suitability, self.nik)


@dataclass(frozen=True)
class OpenTps:
    """A TPS with empty seats, as the solver needs it."""

    code: str
    desa_code: str
    free_seats: tuple[int, ...]
    women_missing: int  # women still wanted among the free seats (level 2)

    @property
    def kecamatan_code(self) -> str:
        return _kecamatan(self.desa_code)


@dataclass(frozen=True)
class Problem:
    """One independent staffing problem: a kecamatan, or the seats left for other kecamatan."""

    key: str  # kecamatan code, or "" for the cross-kecamatan round
    tps: tuple[OpenTps, ...]
    applicants: tuple[Applicant, ...]
    routes: tuple[Residence, ...] = (Residence.DESA, Residence.KECAMATAN)

    @property
    def size(self) -> int:
        return len(self.applicants) + sum(len(t.free_seats) for t in self.tps)


LEVELS = ("seats_filled", "women_missing", "residence", "warnings", "unsuitability")


@dataclass(frozen=True)
class Objective:
    """The lexicographic objective: level 1 is maximised, the others minimised."""

    seats_filled: int = 0
    women_missing: int = 0
    residence: int = 0
    warnings: int = 0
    unsuitability: int = 0

    def __add__(self, other: Objective) -> Objective:
        return Objective(*(getattr(self, k) + getattr(other, k) for k in LEVELS))

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in LEVELS}


@dataclass(frozen=True)
class Solution:
    """Which applicants go to which TPS (not yet which seat), with the objective reached and
    the best bound the solver proved for every level."""

    chosen: Mapping[str, tuple[str, ...]]  # TPS code -> NIKs
    objective: Objective
    bound: Objective
    optimal: bool
    seconds: float = 0.0


# ---- what the rules say about a person ------------------------------------------------------


def verdict(person: Person, election: Election, seated_at: SeatHolder | None) -> tuple[Finding, ...]:
    """The rule engine's findings about the person for a TPS of their own desa (for any other
    TPS the engine adds only `outside_desa`, which is level 3 here)."""
    return tuple(check_person_for_tps(person, Tps("", person.desa_code, 0), election, seated_at))


def may_be_proposed(person: Person, found: Sequence[Finding]) -> bool:
    return person.standing.stage in SEATABLE_STAGES and not refusals(list(found))


def suitability(person: Person, election: Election) -> int:
    """Earlier KPPS service (elections told, up to 3), then education, then an age in the
    working range, as one number: the first decides, the next only among equals."""
    served = min(3, len([s for s in person.earlier_service.split(",") if s.strip()]))
    rank = education_rank(person.education.strip())
    age = person.age_on(election.voting_day)
    working = WORKING_AGE_FROM <= age <= election.preferred_max_age
    return served * 100 + (rank or 0) * 10 + int(working)


def applicant(person: Person, election: Election, found: Sequence[Finding]) -> Applicant:
    soft = tuple(f.code for f in warnings(list(found)))
    return Applicant(person.nik, person.name, person.sex == FEMALE, person.desa_code, soft, suitability(person, election))


def open_tps(tps: Tps, election: Election, officers: Iterable[Person]) -> OpenTps | None:
    free = tuple(n for n in range(1, election.seats_per_tps + 1) if n not in tps.seats)
    if not free:
        return None
    women = sum(p.sex == FEMALE for p in officers)
    missing = min(len(free), max(0, election.women_needed - women))
    return OpenTps(tps.code, tps.desa_code, free, missing)


# ---- from a solution to seats ---------------------------------------------------------------


def seat_order(tps: OpenTps, chosen: Sequence[Applicant]) -> list[tuple[int, Applicant]]:
    """The free seats in number order, the most suitable on seat 1 (Ketua KPPS) when it is free;
    the rest by rank."""
    ordered = sorted(chosen, key=lambda a: (-a.suitability, len(a.warnings), a.nik))
    if KETUA_SEAT not in tps.free_seats:
        ordered = sorted(chosen, key=lambda a: a.rank)
    return list(zip(tps.free_seats, ordered))


def solution_objective(problem: Problem, chosen: Mapping[str, Sequence[str]]) -> Objective:
    """The objective of an assignment, computed from it (tests and the baseline use this)."""
    by_nik = {a.nik: a for a in problem.applicants}
    total = Objective()
    for tps in problem.tps:
        people = [by_nik[n] for n in chosen.get(tps.code, ())]
        women = sum(a.female for a in people)
        total += Objective(
            len(people),
            max(0, tps.women_missing - women),
            sum(residence(a.desa_code, tps.desa_code) for a in people),
            sum(len(a.warnings) for a in people),
            sum(a.unsuitability for a in people),
        )
    untouched = {t.code for t in problem.tps}
    for code in chosen:
        if code not in untouched:
            raise ValueError(f"TPS {code} is not part of the problem")
    return total


def greedy(problem: Problem) -> dict[str, tuple[str, ...]]:
    """The baseline a coordinator would do by hand: each TPS in code order takes the first
    eligible residents of its desa (by NIK), nobody else."""
    residents: dict[str, list[str]] = {}
    for a in sorted(problem.applicants, key=lambda a: a.nik):
        residents.setdefault(a.desa_code, []).append(a.nik)
    chosen: dict[str, tuple[str, ...]] = {}
    for tps in sorted(problem.tps, key=lambda t: t.code):
        pool = residents.get(tps.desa_code, [])
        take = len(tps.free_seats)
        chosen[tps.code], residents[tps.desa_code] = tuple(pool[:take]), pool[take:]
    return chosen


def reserves(tps: Sequence[OpenTps | Tps], left: Sequence[Applicant], per_tps: int) -> dict[str, tuple[str, ...]]:
    """Up to `per_tps` reserves (cadangan) for every TPS from the applicants left over: in
    rounds over the TPS in code order, each takes the best left by residence then rank, so the
    first choice of every TPS comes before anyone's second. A person is the reserve of one TPS."""
    result: dict[str, list[str]] = {t.code: [] for t in tps}
    if per_tps <= 0:
        return {code: () for code in result}
    by_kec: dict[str, list[Applicant]] = {}
    for a in sorted(left, key=lambda a: a.rank):
        by_kec.setdefault(a.kecamatan_code, []).append(a)
    taken: set[str] = set()
    ordered = sorted(tps, key=lambda t: t.code)
    for _round in range(per_tps):
        for t in ordered:
            pool = by_kec.get(_kecamatan(t.desa_code), [])
            best = next((a for a in pool if a.desa_code == t.desa_code and a.nik not in taken), None)
            if best is None:
                best = next((a for a in pool if a.nik not in taken), None)
            if best is not None:
                taken.add(best.nik)
                result[t.code].append(best.nik)
    return {code: tuple(niks) for code, niks in result.items()}


# ---- reasons in words ---------------------------------------------------------------------------


def place_name(code: str, name: str) -> str:
    """'Desa Sulung' or 'Kelurahan Raja' (a kelurahan code's desa part starts with 1)."""
    kind = "Kelurahan" if code.split(".")[-1].startswith("1") else "Desa"
    return f"{kind} {name}"


def reasons(
    person: Person,
    tps: Tps,
    seat: int,
    election: Election,
    region_names: Mapping[str, str],
) -> list[str]:
    """Why this person, in words: "warga Desa Sulung, 34 th, S1, KPPS Pemilu 2019"."""
    desa = place_name(person.desa_code, region_names.get(person.desa_code, person.desa_code))
    kec = region_names.get(person.kecamatan_code, person.kecamatan_code)
    where = residence(person.desa_code, tps.desa_code)
    if where is Residence.DESA:
        found = [_(N_("resident of {desa}")).format(desa=desa)]
    elif where is Residence.KECAMATAN:
        found = [_(N_("resident of {desa} in the same kecamatan")).format(desa=desa)]
    else:
        found = [_(N_("resident of {desa}, Kecamatan {kecamatan}")).format(desa=desa, kecamatan=kec)]
    found.append(_(N_("{age} yrs")).format(age=person.age_on(election.voting_day)))
    if person.education.strip():
        found.append(person.education.strip())
    if person.earlier_service.strip():
        found.append(_(N_("KPPS {service}")).format(service=person.earlier_service.strip()))
    if seat == KETUA_SEAT:
        found.append(_(N_("the most suitable for Ketua KPPS")))
    return found


def why_empty(tps: Tps, region_names: Mapping[str, str], other_kecamatan: bool) -> str:
    desa = place_name(tps.desa_code, region_names.get(tps.desa_code, tps.desa_code))
    kec = region_names.get(tps.kecamatan_code, tps.kecamatan_code)
    if other_kecamatan:
        return _(N_("No eligible applicant is left in {desa}, Kecamatan {kecamatan} or any other kecamatan.")).format(desa=desa, kecamatan=kec)
    return _(N_("No eligible applicant is left in {desa} or Kecamatan {kecamatan}; allow other kecamatan to look further.")).format(
        desa=desa, kecamatan=kec
    )


# ---- a proposal, as it is shown and accepted -----------------------------------------------


@dataclass(frozen=True)
class ProposedSeat:
    tps_code: str
    seat: int
    nik: str
    name: str
    warnings: tuple[Finding, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class EmptySeat:
    tps_code: str
    seat: int
    why: str


@dataclass(frozen=True)
class TpsProposal:
    """What the proposal says about one TPS."""

    tps_code: str
    label: str
    seats: tuple[ProposedSeat, ...] = ()
    left_empty: tuple[EmptySeat, ...] = ()
    reserves: tuple[str, ...] = ()  # NIKs, best first
    short_of_women: bool = False

    @property
    def warning_count(self) -> int:
        return sum(len(s.warnings) for s in self.seats)


@dataclass(frozen=True)
class Proposal:
    tps: tuple[TpsProposal, ...]
    objective: Objective
    bound: Objective
    optimal: bool
    seconds: float
    reserve_names: Mapping[str, str] = field(default_factory=dict)  # NIK -> name

    @property
    def seats(self) -> list[ProposedSeat]:
        return [s for t in self.tps for s in t.seats]

    @property
    def left_empty(self) -> list[EmptySeat]:
        return [e for t in self.tps for e in t.left_empty]

    @property
    def empty_seats(self) -> int:
        return len(self.seats) + len(self.left_empty)

    @property
    def warnings(self) -> int:
        return sum(t.warning_count for t in self.tps)

    @property
    def tps_short_of_women(self) -> int:
        return sum(t.short_of_women for t in self.tps)

    @property
    def outside_desa(self) -> int:
        return sum(any(f.code == "outside_desa" for f in s.warnings) for s in self.seats)

    def without(self, tps_code: str) -> Proposal:
        """The proposal with one TPS taken out (after it was accepted)."""
        return replace(self, tps=tuple(t for t in self.tps if t.tps_code != tps_code))

    def with_tps(self, changed: TpsProposal, names: Mapping[str, str]) -> Proposal:
        """The proposal with one TPS proposed again (a name dropped, a seat chosen by hand)."""
        rows = tuple(changed if t.tps_code == changed.tps_code else t for t in self.tps)
        return replace(self, tps=rows, reserve_names={**self.reserve_names, **names})

    def with_back(self, returned: Sequence[TpsProposal], order: Mapping[str, int]) -> Proposal:
        """The proposal with TPS accepted earlier put back for review (their acceptance was
        undone), each in its first place (`order`: TPS code -> its place in the first proposal)."""
        shown = {t.tps_code for t in self.tps}
        back = [t for t in returned if t.tps_code not in shown]
        if not back:
            return self
        rows = sorted((*self.tps, *back), key=lambda t: order.get(t.tps_code, len(order)))
        return replace(self, tps=tuple(rows))

    def proposed_elsewhere(self, tps_code: str) -> frozenset[str]:
        """Everyone this proposal names (seat or reserve) for another TPS."""
        return frozenset(
            n for t in self.tps if t.tps_code != tps_code for n in (*(s.nik for s in t.seats), *t.reserves)
        )


def seat_warnings_in_order(
    tps: Tps, proposed: Sequence[tuple[int, Person]], officers: Sequence[Person], election: Election
) -> list[tuple[Finding, ...]]:
    """The engine's warnings for each proposed seat, taken in seat order as accepting does: the
    share of women is judged with the officers seated before."""
    seated = list(officers)
    found = []
    for _number, person in sorted(proposed, key=lambda item: item[0]):
        found.append(tuple(warnings(check_person_for_tps(person, tps, election, None, seated))))
        seated.append(person)
    return found


def women_short(election: Election, women: int) -> bool:
    return women < election.women_needed
