"""Seating officers: assign, unassign, move and swap, each checked by the rules and saved at once.

Every function takes the workspace lock, so it sees the latest state on disk (another
coordinator may have changed the TPS a moment ago) and writes before anyone else can.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from kpps_tui.domain.model import Seat, Tps
from kpps_tui.domain.rules import Finding, check_assignment, check_seat, refusals, unknown_person, warnings
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services.cards import revoke_cards_for_seats
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


def find_tps(ws: Workspace, code: str) -> Tps:
    tps = ws.tps.get(code.strip())
    if tps is None:
        raise KppsError(N_("There is no TPS with code {code}. `kpps tps list` shows the codes."), code=code)
    return tps


def assign(ws: Workspace, tps_code: str, seat: int, nik: str, user: str | None = None) -> list[Finding]:
    """Put the person with `nik` on `seat` of the TPS; return the warnings that remain."""
    with ws.locked():
        tps = find_tps(ws, tps_code)
        person = ws.people.get(nik.strip())
        if person is None:
            raise Refused([unknown_person(nik)])
        findings = check_assignment(
            person, tps, seat, ws.election, ws.tps_label(tps), ws.seat_holder(person.nik)
        )
        if refusals(findings):
            raise Refused(_with_holder(ws, tps, seat, refusals(findings)))
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        new_seat = Seat(person.nik, stamp, user or ws.user)
        ws.put_tps(replace(tps, seats={**tps.seats, seat: new_seat}), "assign")
        return warnings(findings)


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


def unassign(ws: Workspace, tps_code: str, seat: int, expected_nik: str | None = None) -> str:
    """Free `seat`; return the NIK of who sat there."""
    with ws.locked():
        tps = find_tps(ws, tps_code)
        holder = _holder(ws, tps, seat, expected_nik)
        if holder is None:
            raise KppsError(N_("Seat {seat} of {tps} is already empty."), seat=seat, tps=ws.tps_label(tps))
        seats = dict(tps.seats)
        del seats[seat]
        ws.put_tps(replace(tps, seats=seats), "unassign")
        revoke_cards_for_seats(ws, tps.code, [seat], "unassigned")
        return holder.nik


def move(ws: Workspace, tps_code: str, from_seat: int, to_seat: int, expected_nik: str | None = None) -> None:
    """Move the person on `from_seat` to the empty `to_seat` of the same TPS."""
    with ws.locked():
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
        ws.put_tps(replace(tps, seats={**seats, to_seat: holder}), "move")
        revoke_cards_for_seats(ws, tps.code, [from_seat, to_seat], "moved")


def swap(
    ws: Workspace,
    tps_code: str,
    seat_a: int,
    seat_b: int,
    expected: tuple[str | None, str | None] | None = None,
) -> None:
    """Exchange the people on two seats of one TPS (an empty seat simply changes place)."""
    with ws.locked():
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
        ws.put_tps(replace(tps, seats=seats), "swap")
        revoke_cards_for_seats(ws, tps.code, [seat_a, seat_b], "swapped")


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
