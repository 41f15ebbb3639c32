"""`kpps assign`, `unassign`, `move`, `swap`: the seats of a TPS from the shell."""

from __future__ import annotations

import argparse

from kpps_tui.commands.applicants import override_pairs
from kpps_tui.commands.common import add_command, open_workspace
from kpps_tui.domain.model import seat_title
from kpps_tui.domain.nik import parse_nik
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services import assignments
from kpps_tui.services.workspace import Workspace


def register(commands, common: argparse.ArgumentParser) -> None:
    assign = add_command(commands, common, "assign", _("put an applicant on a seat of a TPS"), cmd_assign)
    assign.add_argument("tps", metavar="TPS", help=_("TPS code, as `kpps tps list` shows it"))
    assign.add_argument("seat", metavar="SEAT", type=int, help=_("seat 1 (Ketua KPPS) to 7"))
    assign.add_argument("nik", metavar="NIK", help=_("the applicant's 16-digit NIK"))
    assign.add_argument(
        "--override",
        metavar="CODE=REASON",
        action="append",
        default=[],
        help=_("the written reason for seating despite a warning (repeatable); the seat keeps it"),
    )

    unassign = add_command(commands, common, "unassign", _("free a seat of a TPS"), cmd_unassign)
    unassign.add_argument("tps", metavar="TPS", help=_("TPS code, as `kpps tps list` shows it"))
    unassign.add_argument("seat", metavar="SEAT", type=int, help=_("seat 1 (Ketua KPPS) to 7"))

    move = add_command(commands, common, "move", _("move an officer to an empty seat of the same TPS"), cmd_move)
    move.add_argument("tps", metavar="TPS", help=_("TPS code, as `kpps tps list` shows it"))
    move.add_argument("from_seat", metavar="FROM", type=int, help=_("the officer's seat"))
    move.add_argument("to_seat", metavar="TO", type=int, help=_("the empty seat"))

    swap = add_command(commands, common, "swap", _("exchange the officers on two seats of a TPS"), cmd_swap)
    swap.add_argument("tps", metavar="TPS", help=_("TPS code, as `kpps tps list` shows it"))
    swap.add_argument("seat_a", metavar="SEAT", type=int, help=_("one seat"))
    swap.add_argument("seat_b", metavar="OTHER", type=int, help=_("the other seat"))


def cmd_assign(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    nik = args.nik.replace(" ", "").strip()
    try:
        found = assignments.assign(ws, args.tps, args.seat, nik, overrides=override_pairs(args.override))
    except assignments.Refused as refused:
        if any(f.code == "unknown_person" for f in refused.findings):
            _explain_bad_nik(ws, nik)
        raise
    tps = ws.tps[args.tps.strip()]
    print(
        _("Saved: {name} is now {title} of {tps}.").format(
            name=ws.people[nik].name, title=seat_title(args.seat), tps=ws.tps_label(tps)
        )
    )
    seat = tps.seats[args.seat]
    for finding in found:
        override = seat.override(finding.code)
        reason = override.reason if override and override.justified else _("(no written reason)")
        print(_("Warning: {message}").format(message=finding.message))
        print(f"  [{finding.code}] " + _("Reason: {reason}").format(reason=reason))
    return 0


def _explain_bad_nik(ws: Workspace, nik: str) -> None:
    """A NIK that cannot be one gets the precise reason (NikError) rather than `no such applicant`."""
    parse_nik(nik, ws.election.voting_day)


def _check_seat_number(ws: Workspace, *seats: int) -> None:
    for seat in seats:
        if not 1 <= seat <= ws.election.seats_per_tps:
            raise KppsError(
                N_("A TPS has seats 1 to {seats}; there is no seat {seat}."),
                seats=ws.election.seats_per_tps,
                seat=seat,
            )


def cmd_unassign(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    _check_seat_number(ws, args.seat)
    nik = assignments.unassign(ws, args.tps, args.seat)
    person = ws.people.get(nik)
    print(
        _("Seat {seat} of {tps} is now empty; {name} was unassigned.").format(
            seat=args.seat,
            tps=ws.tps_label(ws.tps[args.tps.strip()]),
            name=person.name if person else nik,
        )
    )
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    _check_seat_number(ws, args.from_seat, args.to_seat)
    assignments.move(ws, args.tps, args.from_seat, args.to_seat)
    tps = ws.tps[args.tps.strip()]
    person = ws.people.get(tps.seats[args.to_seat].nik)
    print(
        _("{name} moved from seat {a} to seat {b} of {tps}.").format(
            name=person.name if person else tps.seats[args.to_seat].nik,
            a=args.from_seat,
            b=args.to_seat,
            tps=ws.tps_label(tps),
        )
    )
    return 0


def cmd_swap(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    _check_seat_number(ws, args.seat_a, args.seat_b)
    assignments.swap(ws, args.tps, args.seat_a, args.seat_b)
    tps = ws.tps[args.tps.strip()]
    print(
        _("Seats {a} and {b} of {tps} swapped.").format(a=args.seat_a, b=args.seat_b, tps=ws.tps_label(tps))
    )
    return 0
