"""`kpps propose`: the best officers for the empty seats of a TPS, a desa, a kecamatan or all,
printed for review; with --apply, written as printed (one transaction)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kpps_tui.commands.common import PARTLY, add_command, count, open_workspace
from kpps_tui.domain.model import seat_title
from kpps_tui.domain.staffing import DEFAULT_RESERVES, LEVELS, Objective, Proposal
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services import proposals
from kpps_tui.services.finders import find_desa, find_kecamatan


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    propose = add_command(
        commands, common, "propose", _("propose the best applicants for the empty seats (Usulan)"), cmd_propose
    )
    where = propose.add_mutually_exclusive_group(required=True)
    where.add_argument("--tps", metavar="TPS", help=_("one TPS, by its code"))
    where.add_argument("--desa", metavar=_("CODE_OR_NAME"), help=_("every TPS of this desa/kelurahan"))
    where.add_argument("--kecamatan", metavar=_("CODE_OR_NAME"), help=_("every TPS of this kecamatan"))
    where.add_argument("--all", action="store_true", help=_("every TPS of the workspace"))
    propose.add_argument(
        "--reserves", metavar="N", type=int, default=DEFAULT_RESERVES, help=_("reserves (cadangan) per TPS (default: 2)")
    )
    propose.add_argument(
        "--allow-other-kecamatan",
        action="store_true",
        help=_("seats a kecamatan cannot fill from its residents may go to applicants of other kecamatan"),
    )
    propose.add_argument("--json", action="store_true", help=_("print one JSON object for scripts"))
    propose.add_argument(
        "--apply", action="store_true", help=_("seat what is printed, in one go; exit 7 if some seats were refused and the rest seated, 1 if nothing was")
    )


def _scope(ws: Any, args: argparse.Namespace) -> proposals.Scope:
    if args.tps:
        return proposals.Scope("tps", args.tps.strip())
    if args.desa:
        return proposals.Scope("desa", find_desa(ws, args.desa))
    if args.kecamatan:
        return proposals.Scope("kecamatan", find_kecamatan(ws, args.kecamatan))
    return proposals.Scope("all")


def cmd_propose(args: argparse.Namespace) -> int:
    if args.reserves < 0:
        raise KppsError(N_("--reserves must be 0 or more."))
    ws = open_workspace(args)
    proposal = proposals.propose(ws, _scope(ws, args), args.reserves, args.allow_other_kecamatan)
    if args.json:
        json.dump(proposal_json(proposal), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_text(proposal)
    if not args.apply:
        return 0
    accepted = proposals.accept_many(ws, [t for t in proposal.tps if t.seats or t.reserves])
    refused = [(a, text) for a in accepted for text in a.refused]
    for item, text in refused:
        print(_("{tps}: refused: {reason}").format(tps=item.label, reason=text), file=sys.stderr)
    seated = sum(len(a.seated) for a in accepted)
    print(
        _("Applied: {seated} of {proposed} proposed officers seated, {refused} refused.").format(
            seated=count(seated), proposed=count(len(proposal.seats)), refused=count(len(refused))
        ),
        file=sys.stderr,
    )
    if not refused:
        return 0
    return PARTLY if seated else 1  # 1 says nothing was changed


def proposal_json(proposal: Proposal) -> dict[str, Any]:
    """The one object `--json` prints: stable English keys for scripts."""
    return {
        "seats": [
            {
                "tps": s.tps_code,
                "seat": s.seat,
                "nik": s.nik,
                "name": s.name,
                "warnings": [{"code": f.code, "message": f.message} for f in s.warnings],
                "reasons": list(s.reasons),
            }
            for s in proposal.seats
        ],
        "reserves": {t.tps_code: list(t.reserves) for t in proposal.tps},
        "left_empty": [{"tps": e.tps_code, "seat": e.seat, "why": e.why} for e in proposal.left_empty],
        "summary": {
            "empty_seats": proposal.empty_seats,
            "proposed": len(proposal.seats),
            "warnings": proposal.warnings,
            "tps_short_of_women": proposal.tps_short_of_women,
            "outside_desa": proposal.outside_desa,
            "objective": proposal.objective.as_dict(),
            "bound": proposal.bound.as_dict(),
            "seconds": round(proposal.seconds, 3),
        },
    }


def _levels(objective: Objective) -> str:
    return " / ".join(str(getattr(objective, level)) for level in LEVELS)


def _print_text(proposal: Proposal) -> None:
    for t in proposal.tps:
        if not (t.seats or t.left_empty):
            continue
        print(f"{t.label} ({t.tps_code})")
        for s in t.seats:
            print(f"  {seat_title(s.seat)}: {s.name} - {', '.join(s.reasons)}")
            for f in s.warnings:
                print("    " + _("Warning: {message}").format(message=f.message))
        for e in t.left_empty:
            print("  " + _("{title}: left empty. {why}").format(title=seat_title(e.seat), why=e.why))
        if t.reserves:
            names = ", ".join(proposal.reserve_names.get(n, n) for n in t.reserves)
            print("  " + _("Reserves (cadangan): {names}").format(names=names))
    print(
        _(
            "{proposed} of {empty} empty seats proposed; {warnings} warnings; {short} TPS short of women; "
            "{outside} officers from outside their desa."
        ).format(
            proposed=count(len(proposal.seats)),
            empty=count(proposal.empty_seats),
            warnings=count(proposal.warnings),
            short=count(proposal.tps_short_of_women),
            outside=count(proposal.outside_desa),
        )
    )
    verdict = _("optimal") if proposal.optimal else _("not proved optimal")
    print(
        _(
            "Objective (seats filled / women missing / residence / warnings / unsuitability): {objective}; "
            "solver's bound: {bound}: {verdict}. {seconds:.1f} s."
        ).format(objective=_levels(proposal.objective), bound=_levels(proposal.bound), verdict=verdict, seconds=proposal.seconds)
    )
