"""Seating officers: assign, unassign, move and swap, each checked by the rules and saved at once.

Every function runs in a transaction (joining the caller's, if any), so it sees the latest state on disk (another
coordinator may have changed the TPS a moment ago) and writes before anyone else can. The ID
card of an officer who leaves or changes seat is revoked by the same write (Workspace.put_tps
withdraws every card its seats no longer hold, before the seat is written).

Overrides: a soft finding (a warning) never blocks a seat. The seat records every warning that
stood when the person was seated, each with the written reason the coordinator gave for seating
them anyway, or an empty reason: `kpps overrides` lists both, so nothing is decided silently.
A seat freed because its member left is marked for a replacement (PAW) until it is filled.
"""

from __future__ import annotations

from dataclasses import replace

from kpps_tui import clock
from kpps_tui.domain.model import Override, Person, Seat, Tps, Vacancy
from kpps_tui.domain.rules import (
    Finding,
    check_assignment,
    check_person_for_tps,
    check_seat,
    refusals,
    unknown_person,
    warnings,
)
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services.finders import find_tps
from kpps_tui.store.workspace import Workspace


class Refused(KppsError):
    """The rules refuse the change; `findings` says why (hard findings only)."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(N_("Refused."))
        self.findings = findings

    def __str__(self) -> str:
        return " ".join(f.message for f in self.findings)


class SeatChanged(KppsError):
    """The seat no longer holds what the user saw: someone else changed it meanwhile."""


def officers_of(ws: Workspace, tps: Tps) -> list[Person]:
    """The people seated at a TPS now (for the share of women)."""
    return [ws.people[s.nik] for s in tps.seats.values() if s.nik in ws.people]


def assign(
    ws: Workspace,
    tps_code: str,
    seat: int,
    nik: str,
    user: str | None = None,
    overrides: dict[str, str] | None = None,
    strict_overrides: bool = True,
) -> list[Finding]:
    """Put the person with `nik` on `seat` of the TPS; return the warnings that remain.

    `overrides` gives, per warning code, the written reason for seating the person anyway. The
    seat keeps every warning that stood, with its reason or without one. A reason for a warning
    that does not apply, or an empty reason, is refused before anything is written (with
    `strict_overrides` False, as undo does, such a reason is dropped instead)."""
    given = _clean_overrides(overrides)
    with ws.transaction():
        tps = find_tps(ws, tps_code)
        person = ws.people.get(nik.strip())
        if person is None:
            raise Refused([unknown_person(nik)])
        new_seat, stood = checked_seat(ws, tps, seat, person, given, strict_overrides, user or ws.user)
        ws.put_tps(replace(tps, seats={**tps.seats, seat: new_seat}).with_paw_settled(), "assign")
        return stood


def checked_seat(
    ws: Workspace,
    tps: Tps,
    seat: int,
    person: Person,
    given: dict[str, str],
    strict_overrides: bool,
    by: str,
) -> tuple[Seat, list[Finding]]:
    """The seat `person` would take on `tps` as it is in memory, with every warning that stands
    and its reason from `given`; Refused (naming who holds the seat) when a hard rule says no.
    Call holding the workspace lock; nothing is written."""
    findings = check_assignment(
        person, tps, seat, ws.election, ws.tps_label(tps), ws.seat_holder(person.nik), officers_of(ws, tps)
    )
    if refusals(findings):
        raise Refused(_with_holder(ws, tps, seat, refusals(findings)))
    stood = warnings(findings)
    unknown = sorted(set(given) - {f.code for f in stood})
    if unknown and strict_overrides:
        raise KppsError(
            N_("No warning {codes} applies to {name} here; the warnings are: {present}."),
            codes=", ".join(unknown),
            name=person.name,
            present=", ".join(f.code for f in stood) or "-",
        )
    stamp = clock.stamp("seconds")
    recorded = tuple(Override(f.code, f.template, dict(f.params), given.get(f.code, ""), by, stamp) for f in stood)
    return Seat(person.nik, stamp, by, recorded), stood


def _clean_overrides(overrides: dict[str, str] | None) -> dict[str, str]:
    given = {code.strip(): (reason or "").strip() for code, reason in (overrides or {}).items()}
    empty = sorted(code for code, reason in given.items() if not reason)
    if empty:
        raise KppsError(N_("A warning can be overridden only with a written reason; {codes} has none."), codes=", ".join(empty))
    return given


def justify(ws: Workspace, tps_code: str, seat: int, code: str, reason: str, expected_nik: str | None = None) -> Seat:
    """Write the reason for a warning that stood on a seat, after the fact (kept with the seat)."""
    reason = reason.strip()
    if not reason:
        raise KppsError(N_("A warning can be overridden only with a written reason; {codes} has none."), codes=code)
    with ws.transaction():
        tps = find_tps(ws, tps_code)
        holder = _holder(ws, tps, seat, expected_nik)
        if holder is None:
            raise KppsError(N_("Seat {seat} of {tps} is empty."), seat=seat, tps=ws.tps_label(tps))
        stamp = clock.stamp("seconds")
        current = {f.code: f for f in seat_warnings(ws, tps, seat)}
        if code not in current and holder.override(code) is None:
            raise KppsError(
                N_("No warning {codes} applies to {name} here; the warnings are: {present}."),
                codes=code,
                name=_name_of(ws, holder.nik),
                present=", ".join(current) or "-",
            )
        old = holder.override(code)
        if old is not None:
            new = replace(old, reason=reason, by=ws.user, at=stamp)
        else:
            f = current[code]
            new = Override(code, f.template, dict(f.params), reason, ws.user, stamp)
        kept = tuple(o for o in holder.overrides if o.code != code) + (new,)
        changed = replace(holder, overrides=kept)
        ws.put_tps(replace(tps, seats={**tps.seats, seat: changed}), "override")
        return changed


def seat_warnings(ws: Workspace, tps: Tps, seat: int) -> list[Finding]:
    """The warnings the rules give today for the person on `seat` (the share of women counted
    with the TPS as it is)."""
    holder = tps.seats.get(seat)
    person = ws.people.get(holder.nik) if holder else None
    if person is None:
        return []
    return warnings(check_person_for_tps(person, tps, ws.election, None, officers_of(ws, tps)))


def _name_of(ws: Workspace, nik: str) -> str:
    person = ws.people.get(nik)
    return person.name if person else nik


def _with_holder(ws: Workspace, tps: Tps, seat: int, findings: list[Finding]) -> list[Finding]:
    """Name who took a seat, so a coordinator who lost a race knows what happened."""
    holder = tps.seats.get(seat)
    if holder is None:
        return findings
    person = ws.people.get(holder.nik)
    name = person.name if person else holder.nik
    return [
        replace(
            f,
            template=N_("Seat {seat} of {tps} is already taken by {name} (set by {user}); unassign it first."),
            params={**f.params, "name": name, "user": holder.assigned_by or "?"},
        )
        if f.code == "seat_taken"
        else f
        for f in findings
    ]


def unassign(
    ws: Workspace,
    tps_code: str,
    seat: int,
    expected_nik: str | None = None,
    vacancy: Vacancy | None = None,
) -> str:
    """Free `seat`; return the NIK of who sat there. With `vacancy` (the member left) the seat
    is marked for a replacement (PAW) until someone fills it. Joins a caller's transaction."""
    with ws.transaction():
        tps = find_tps(ws, tps_code)
        holder = _holder(ws, tps, seat, expected_nik)
        if holder is None:
            raise KppsError(N_("Seat {seat} of {tps} is already empty."), seat=seat, tps=ws.tps_label(tps))
        seats = dict(tps.seats)
        del seats[seat]
        paw = {**tps.paw, seat: vacancy} if vacancy is not None else tps.paw
        ws.put_tps(replace(tps, seats=seats, paw=paw), "paw" if vacancy is not None else "unassign")
        return holder.nik


def move(ws: Workspace, tps_code: str, from_seat: int, to_seat: int, expected_nik: str | None = None) -> None:
    """Move the person on `from_seat` to the empty `to_seat` of the same TPS."""
    with ws.transaction():
        tps = find_tps(ws, tps_code)
        holder = _holder(ws, tps, from_seat, expected_nik)
        if holder is None:
            raise KppsError(N_("Seat {seat} of {tps} is empty: nobody to move."), seat=from_seat, tps=ws.tps_label(tps))
        seats = dict(tps.seats)
        del seats[from_seat]
        emptied = replace(tps, seats=seats)
        refused = refusals(check_seat(emptied, to_seat, ws.election, ws.tps_label(tps)))
        if refused:
            raise Refused(_with_holder(ws, tps, to_seat, refused))
        ws.put_tps(replace(tps, seats={**seats, to_seat: holder}).with_paw_settled(), "move")


def swap(
    ws: Workspace,
    tps_code: str,
    seat_a: int,
    seat_b: int,
    expected: tuple[str | None, str | None] | None = None,
) -> None:
    """Exchange the people on two seats of one TPS (an empty seat simply changes place)."""
    with ws.transaction():
        tps = find_tps(ws, tps_code)
        for seat in (seat_a, seat_b):
            if not 1 <= seat <= ws.election.seats_per_tps:
                raise Refused(check_seat(tps, seat, ws.election, ws.tps_label(tps)))
        if seat_a == seat_b:
            raise KppsError(N_("Choose two different seats to swap."))
        expected_a, expected_b = expected or (None, None)
        a = _holder(ws, tps, seat_a, expected_a, check_empty=expected is not None)
        b = _holder(ws, tps, seat_b, expected_b, check_empty=expected is not None)
        if a is None and b is None:
            raise KppsError(N_("Seats {a} and {b} are both empty: nothing to swap."), a=seat_a, b=seat_b)
        seats = {n: s for n, s in tps.seats.items() if n not in (seat_a, seat_b)}
        if a is not None:
            seats[seat_b] = a
        if b is not None:
            seats[seat_a] = b
        ws.put_tps(replace(tps, seats=seats).with_paw_settled(), "swap")


def _holder(ws: Workspace, tps: Tps, seat: int, expected_nik: str | None, check_empty: bool = False) -> Seat | None:
    """Who sits on `seat`, refusing when it is not who the user saw there."""
    holder = tps.seats.get(seat)
    if expected_nik is None and not check_empty:
        return holder
    actual = holder.nik if holder else None
    if actual != expected_nik:
        raise SeatChanged(
            N_("Seat {seat} of {tps} was changed by another session a moment ago; look again and retry."),
            seat=seat,
            tps=ws.tps_label(tps),
        )
    return holder


def describe_warnings(found: list[Finding]) -> str:
    return " ".join(f.message for f in found) if found else _("Saved.")
