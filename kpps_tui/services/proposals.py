"""Usulan: propose officers for the empty seats of a TPS, a desa, a kecamatan or everything,
and accept a proposal TPS by TPS (or all of it at once).

Computing reads the workspace and writes nothing: the problem of each kecamatan is built from
the rule engine's verdicts (domain.staffing) and solved by OR-Tools' min-cost flow (domain.staffing_solver),
in this process by default: measured on the demo and the province (README, bench_propose.py),
two worker processes were never faster, the flows being a small part of the time; they stay
available (parallel=True) for the benchmark and for machines with idle cores.
With other kecamatan allowed, the seats a kecamatan cannot fill from its own residents are
offered, in a second round, to the applicants left over anywhere.

Accepting seats each proposed person through the same check as the picker
(assignments.checked_seat): a seat or person another session took meanwhile is refused with
the name of who took it, the rest goes in; each warning keeps a written reason. One TPS is one
write (and one undo step); accepting several holds the lock once for all of them.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kpps_tui.domain.model import Person, Tps
from kpps_tui.domain.nik import FEMALE
from kpps_tui.domain.rules import Finding, check_person_for_tps, describe, warnings
from kpps_tui.domain.staffing import (
    DEFAULT_RESERVES,
    Applicant,
    EmptySeat,
    Objective,
    OpenTps,
    Problem,
    Proposal,
    ProposedSeat,
    Residence,
    Solution,
    TpsProposal,
    applicant,
    greedy,
    may_be_proposed,
    open_tps,
    reasons,
    reserves,
    seat_order,
    seat_warnings_in_order,
    solution_objective,
    verdict,
    why_empty,
    women_short,
)
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services import assignments
from kpps_tui.services.assignments import Refused, checked_seat, officers_of
from kpps_tui.services.finders import find_tps
from kpps_tui.store.workspace import Workspace

if TYPE_CHECKING:  # the worker processes' modules load only when a pool is made
    from concurrent.futures import ProcessPoolExecutor

Progress = Callable[[int, int], None]  # (kecamatan solved, kecamatan in all)


class ProposalCancelled(KppsError):
    """The coordinator stopped the computation; nothing was changed."""


@dataclass(frozen=True)
class Scope:
    kind: str  # "tps", "desa", "kecamatan", "kabupaten" or "all"
    code: str = ""

    def tps_of(self, ws: Workspace) -> list[Tps]:
        every = sorted(ws.tps.values(), key=lambda t: t.code)
        if self.kind == "all":
            return every
        if self.kind == "tps":
            return [find_tps(ws, self.code)]
        if self.kind == "desa":
            found = [t for t in every if t.desa_code == self.code]
        elif self.kind == "kecamatan":
            found = [t for t in every if t.kecamatan_code == self.code]
        elif self.kind == "kabupaten":
            found = [t for t in every if t.desa_code.startswith(self.code + ".")]
        else:
            raise ValueError(self.kind)
        if not found:
            raise KppsError(N_("There is no TPS in {code}."), code=self.code)
        return found


# ---- computing -------------------------------------------------------------------------------


def pool_of(ws: Workspace, people: Iterable[Person], exclude: frozenset[str] = frozenset()) -> list[Applicant]:
    """The applicants among `people` a proposal may seat: not seated anywhere, at a stage that
    allows a seat, refused by no hard rule (and not in `exclude`)."""
    election = ws.election
    found = []
    for person in people:
        if person.nik in ws.placements or person.nik in exclude:
            continue
        judged = verdict(person, election, None)
        if may_be_proposed(person, judged):
            found.append(applicant(person, election, judged))
    return found


def propose(
    ws: Workspace,
    scope: Scope,
    reserves_per_tps: int = DEFAULT_RESERVES,
    allow_other_kecamatan: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    parallel: bool = False,
    exclude: frozenset[str] = frozenset(),
) -> Proposal:
    """The best staffing of the empty seats in `scope` (see domain.staffing for "best");
    the people in `exclude` are left out (dropped by the coordinator, or proposed elsewhere)."""
    start = time.perf_counter()
    in_scope = scope.tps_of(ws)
    election = ws.election
    opened = {t.code: o for t in in_scope if (o := open_tps(t, election, officers_of(ws, t))) is not None}
    kecamatan = sorted({t.kecamatan_code for t in in_scope})
    pools = {kec: pool_of(ws, ws.people_of_kecamatan(kec), exclude) for kec in kecamatan}
    open_by_kec: dict[str, list[OpenTps]] = {}
    for o in opened.values():
        open_by_kec.setdefault(o.kecamatan_code, []).append(o)
    problems = [Problem(kec, tuple(open_by_kec[kec]), tuple(pools[kec])) for kec in kecamatan if kec in open_by_kec]
    rounds = len(problems) + int(allow_other_kecamatan)
    solutions = _solve_all(problems, progress, cancel, rounds, parallel)
    chosen = {code: niks for s in solutions for code, niks in s.chosen.items()}
    by_nik = {a.nik: a for pool in pools.values() for a in pool}
    if allow_other_kecamatan:
        extra, more = _other_kecamatan_round(ws, opened, chosen, exclude)
        by_nik.update(more)
        _check_cancel(cancel)
        if extra is not None:
            solutions.append(extra)
            for code, niks in extra.chosen.items():
                chosen[code] = tuple(chosen.get(code, ())) + niks
        if progress:
            progress(rounds, rounds)
    taken = {n for niks in chosen.values() for n in niks}
    left = [a for a in by_nik.values() if a.nik not in taken]
    reserved = reserves(in_scope, left, reserves_per_tps)
    objective = sum((s.objective for s in solutions), Objective())
    bound = sum((s.bound for s in solutions), Objective())
    regions = {code: region.name for code, region in ws.regions.items()}
    rows = tuple(
        _tps_proposal(ws, t, opened.get(t.code), [by_nik[n] for n in chosen.get(t.code, ())], reserved.get(t.code, ()), allow_other_kecamatan, regions)
        for t in in_scope
    )
    names = {n: ws.people[n].name for niks in reserved.values() for n in niks}
    return Proposal(rows, objective, bound, all(s.optimal for s in solutions), time.perf_counter() - start, names)


def _other_kecamatan_round(
    ws: Workspace, opened: dict[str, OpenTps], chosen: dict[str, tuple[str, ...]], exclude: frozenset[str]
) -> tuple[Solution | None, dict[str, Applicant]]:
    """The seats still empty, offered to every applicant left over in the workspace."""
    taken = {n for niks in chosen.values() for n in niks}
    still: list[OpenTps] = []
    for code, o in opened.items():
        got = chosen.get(code, ())
        if len(got) >= len(o.free_seats):
            continue
        women = sum(ws.people[n].sex == FEMALE for n in got)
        free = o.free_seats[len(got) :]
        still.append(replace(o, free_seats=free, women_missing=max(0, min(len(free), o.women_missing - women))))
    pool = [a for a in pool_of(ws, ws.people.values(), exclude) if a.nik not in taken]
    if not still or not pool:
        return None, {a.nik: a for a in pool}
    problem = Problem("", tuple(still), tuple(pool), (Residence.OTHER_KECAMATAN,))
    from kpps_tui.domain.staffing_solver import solve  # OR-Tools and numpy load on the first proposal

    return solve(problem), {a.nik: a for a in pool}


def _tps_proposal(
    ws: Workspace,
    tps: Tps,
    opened: OpenTps | None,
    chosen: Sequence[Applicant],
    reserved: tuple[str, ...],
    other_kecamatan: bool,
    names: dict[str, str],
) -> TpsProposal:
    label = ws.tps_label(tps)
    if opened is None:
        return TpsProposal(tps.code, label, reserves=reserved, short_of_women=_short(ws, tps, []))
    placed = seat_order(opened, chosen)
    people = [(seat, ws.people[a.nik]) for seat, a in placed]
    found = seat_warnings_in_order(tps, people, officers_of(ws, tps), ws.election)
    seats = tuple(
        ProposedSeat(tps.code, seat, person.nik, person.name, warned, tuple(reasons(person, tps, seat, ws.election, names)))
        for (seat, person), warned in zip(sorted(people, key=lambda item: item[0]), found)
    )
    filled = {s.seat for s in seats}
    why = why_empty(tps, names, other_kecamatan)
    empty = tuple(EmptySeat(tps.code, n, why) for n in opened.free_seats if n not in filled)
    return TpsProposal(tps.code, label, seats, empty, reserved, _short(ws, tps, [p for _s, p in people]))


def _short(ws: Workspace, tps: Tps, added: list[Person]) -> bool:
    women = sum(p.sex == FEMALE for p in [*officers_of(ws, tps), *added])
    return women_short(ws.election, women)


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ProposalCancelled(N_("The proposal was stopped; nothing was changed."))


def _solve_all(
    problems: list[Problem],
    progress: Progress | None,
    cancel: threading.Event | None,
    rounds: int,
    parallel: bool,
) -> list[Solution]:
    """Every kecamatan's problem solved, one after the other or in two worker processes."""
    from kpps_tui.domain.staffing_solver import solve  # OR-Tools and numpy load on the first proposal

    done: dict[str, Solution] = {}
    if progress:
        progress(0, rounds)
    if not parallel:
        for problem in problems:
            _check_cancel(cancel)
            done[problem.key] = solve(problem)
            if progress:
                progress(len(done), rounds)
        return [done[p.key] for p in problems]
    pool = _worker_pool()
    # Largest first, so that the two workers finish together.
    waiting: dict[Future[Solution], str] = {
        pool.submit(solve, p): p.key for p in sorted(problems, key=lambda p: -p.size)
    }
    try:
        while waiting:
            finished, _pending = wait(waiting, timeout=0.1, return_when=FIRST_COMPLETED)
            _check_cancel(cancel)
            for future in finished:
                done[waiting.pop(future)] = future.result()
                if progress:
                    progress(len(done), rounds)
    finally:
        for future in waiting:
            future.cancel()
    return [done[p.key] for p in problems]


_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _worker_pool() -> ProcessPoolExecutor:
    """Two worker processes kept for the session, started from a clean server process (never
    forked from a program that runs threads, as the interface does)."""
    global _pool
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with _pool_lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["kpps_tui.domain.staffing_solver"])
            _pool = ProcessPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1)), mp_context=context)
            atexit.register(_pool.shutdown, wait=False, cancel_futures=True)
        return _pool


# ---- the baseline (benchmark and tests) -------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What a staffing of the empty seats gives, measured by the rule engine."""

    seats_filled: int
    warnings: int
    tps_short_of_women: int
    outside_desa: int


def proposal_figures(proposal: Proposal) -> Figures:
    return Figures(len(proposal.seats), proposal.warnings, proposal.tps_short_of_women, proposal.outside_desa)


def greedy_figures(ws: Workspace, scope: Scope) -> tuple[Figures, Objective]:
    """Each TPS in code order takes the first eligible residents of its desa: what it fills,
    with the warnings the engine gives in seat order, and its objective as the solver counts it."""
    in_scope = scope.tps_of(ws)
    opened = {t.code: o for t in in_scope if (o := open_tps(t, ws.election, officers_of(ws, t))) is not None}
    pool = pool_of(ws, (p for kec in sorted({t.kecamatan_code for t in in_scope}) for p in ws.people_of_kecamatan(kec)))
    problem = Problem("", tuple(opened.values()), tuple(pool))
    chosen = greedy(problem)
    filled = warned = short = outside = 0
    for t in in_scope:
        niks = chosen.get(t.code, ())
        o = opened.get(t.code)
        people = [(seat, ws.people[n]) for seat, n in zip(o.free_seats if o else (), niks)]
        found = seat_warnings_in_order(t, people, officers_of(ws, t), ws.election)
        filled += len(people)
        warned += sum(len(f) for f in found)
        outside += sum(any(x.code == "outside_desa" for x in f) for f in found)
        short += _short(ws, t, [p for _s, p in people])
    return Figures(filled, warned, short, outside), solution_objective(problem, chosen)


# ---- accepting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Accepted:
    """What accepting one TPS's proposal did."""

    tps_code: str
    label: str
    seated: tuple[tuple[int, str], ...]  # (seat, NIK)
    refused: tuple[str, ...]  # one sentence per seat refused

    @property
    def step(self) -> AcceptedSeats:
        return AcceptedSeats(self.tps_code, self.seated)


def accept_reason() -> str:
    return _("Accepted from the proposal (Usulan): the best applicant available for this seat by its order.")


def accept(ws: Workspace, proposed: TpsProposal) -> Accepted:
    """Seat one TPS's proposed officers and keep its reserves; what another session took
    meanwhile is refused, naming who took it."""
    return accept_many(ws, [proposed])[0]


def accept_many(ws: Workspace, proposed: Sequence[TpsProposal]) -> list[Accepted]:
    """accept() for several TPS, under the lock once: nobody can change them in between."""
    with ws.transaction():
        return [_accept_locked(ws, p) for p in proposed]


def undone(ws: Workspace, accepted: Accepted) -> bool:
    """Whether what an acceptance seated is all gone again (undone, here or by another
    session): its seats empty and its people seated nowhere, so the TPS can be reviewed again."""
    tps = ws.tps.get(accepted.tps_code)
    return (
        tps is not None
        and bool(accepted.seated)
        and all(seat not in tps.seats and nik not in ws.placements for seat, nik in accepted.seated)
    )


def _accept_locked(ws: Workspace, proposed: TpsProposal) -> Accepted:
    tps = find_tps(ws, proposed.tps_code)
    before = tps
    seated: list[tuple[int, str]] = []
    refused: list[str] = []
    reason = accept_reason()
    for seat in sorted(proposed.seats, key=lambda s: s.seat):
        person = ws.people.get(seat.nik)
        if person is None:
            refused.append(_("No applicant with NIK {nik} is in this workspace.").format(nik=seat.nik))
            continue
        try:
            given = {f.code: reason for f in _current_warnings(ws, tps, seat.seat, person)}
            new_seat, _stood = checked_seat(ws, tps, seat.seat, person, given, False, ws.user)
        except Refused as refusal:
            refused.append(_refusal(ws, person, refusal.findings))
            continue
        tps = replace(tps, seats={**tps.seats, seat.seat: new_seat})
        seated.append((seat.seat, seat.nik))
    if proposed.reserves or before.reserves:
        tps = replace(tps, reserves=proposed.reserves)
    if tps != before:
        ws.put_tps(tps.with_paw_settled(), "accept_proposal")
    return Accepted(proposed.tps_code, proposed.label, tuple(seated), tuple(refused))


def _current_warnings(ws: Workspace, tps: Tps, seat: int, person: Person) -> list[Finding]:
    return warnings(check_person_for_tps(person, tps, ws.election, None, officers_of(ws, tps)))


def _refusal(ws: Workspace, person: Person, findings: list[Finding]) -> str:
    """The refusal, with who seated the person elsewhere when that is the reason."""
    text = describe(findings)
    placement = ws.placements.get(person.nik)
    if placement is not None and any(f.code == "seated_elsewhere" for f in findings):
        holder = ws.tps[placement.tps_code].seats[placement.seat]
        text += " " + _("Seated there by {user}.").format(user=holder.assigned_by or "?")
    return text


@dataclass(frozen=True)
class AcceptedSeats:
    """One undo step: the seats one acceptance filled. Undo frees them (refused when another
    session changed one since); redo seats them again through the rules."""

    tps: str
    seats: tuple[tuple[int, str], ...]

    def do(self, ws: Workspace) -> list[Finding]:
        with ws.transaction():
            tps = find_tps(ws, self.tps)
            found: list[Finding] = []
            reason = accept_reason()
            for seat, nik in self.seats:
                person = ws.people.get(nik)
                if person is None:
                    continue
                given = {f.code: reason for f in _current_warnings(ws, tps, seat, person)}
                new_seat, stood = checked_seat(ws, tps, seat, person, given, False, ws.user)
                tps = replace(tps, seats={**tps.seats, seat: new_seat})
                found.extend(stood)
            ws.put_tps(tps.with_paw_settled(), "accept_proposal")
            return found

    def undo(self, ws: Workspace) -> None:
        with ws.transaction():
            tps = find_tps(ws, self.tps)
            for seat, nik in self.seats:  # all checked before any is freed
                holder = tps.seats.get(seat)
                if holder is None or holder.nik != nik:
                    raise assignments.SeatChanged(
                        N_("Seat {seat} of {tps} was changed by another session a moment ago; look again and retry."),
                        seat=seat,
                        tps=ws.tps_label(tps),
                    )
            for seat, nik in self.seats:
                assignments.unassign(ws, self.tps, seat, expected_nik=nik)
