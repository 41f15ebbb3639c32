"""`kpps declare`, `kpps import sipol`, `kpps export declarations`: neutrality from the shell."""

from __future__ import annotations

import argparse
from pathlib import Path

from kpps_tui.commands.common import count, open_workspace
from kpps_tui.domain.declarations import DeclKind, DeclState
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services import declarations, reports

STATES = {"belum": DeclState.NOT_HANDED_IN, "diserahkan": DeclState.HANDED_IN, "terverifikasi": DeclState.VERIFIED, "ditolak": DeclState.REJECTED}
KINDS = {"pernyataan": DeclKind.STATEMENT, "pakta": DeclKind.INTEGRITY_PACT}


def register(commands, common: argparse.ArgumentParser, groups: dict[str, argparse._SubParsersAction]) -> None:
    declare = commands.add_parser("declare", parents=[common], help=_("record a neutrality declaration's state"), description=_("record a neutrality declaration's state"))
    declare.set_defaults(run=cmd_declare)
    declare.add_argument("nik", metavar="NIK", nargs="?", help=_("the person's NIK"))
    declare.add_argument("--tps", metavar="TPS", help=_("every officer of this TPS instead of one person"))
    declare.add_argument("--state", required=True, choices=list(STATES), help=_("the new state"))
    declare.add_argument("--kind", choices=list(KINDS), default="pernyataan", help=_("Surat Pernyataan (default) or Pakta Integritas"))
    declare.add_argument("--reason", default="", help=_("why (required to reject)"))

    sipol = groups["import"].add_parser("sipol", parents=[common], help=_("flag applicants listed in a SIPOL result list (CSV/XLSX)"), description=_("flag applicants listed in a SIPOL result list (CSV/XLSX)"))
    sipol.set_defaults(run=cmd_import_sipol)
    sipol.add_argument("file", metavar="FILE")

    report = groups["export"].add_parser("declarations", parents=[common], help=_("declaration report to CSV, XLSX or PDF"), description=_("declaration report to CSV, XLSX or PDF"))
    report.set_defaults(run=cmd_export_declarations)
    report.add_argument("--by", choices=["kecamatan", "desa", "tps", "outstanding"], default="kecamatan", help=_("counts per kecamatan (default), desa or TPS, or the list of outstanding officers"))
    report.add_argument("-o", "--output", metavar="FILE", required=True, help=_("file to write: .csv, .xlsx or .pdf"))


def cmd_declare(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    if bool(args.nik) == bool(args.tps):
        raise KppsError(N_("Give either one NIK or --tps TPS."))
    niks = declarations.officers_of_tps(ws, args.tps) if args.tps else [args.nik.replace(" ", "")]
    result = declarations.set_state_many(ws, niks, STATES[args.state], KINDS[args.kind], args.reason)
    for person in result.changed:
        state = person.neutrality.declaration(KINDS[args.kind]).state
        print(_("{name}: {kind} is now {state}.").format(name=person.name, kind=KINDS[args.kind].label, state=state.label))
    for person, reason in result.refused:
        print(_("{name}: not changed. {reason}").format(name=person.name, reason=reason))
    return 1 if result.refused else 0


def cmd_import_sipol(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    listing = declarations.read_sipol_list(ws, Path(args.file))
    for row, reason in listing.refused:
        print(_("Row {row}: {reason}").format(row=row, reason=reason))
    result = declarations.import_sipol(ws, listing.listed, Path(args.file).name)
    print(
        _("{new} newly flagged, {still} still listed, {cleared} cleared (no longer listed), {unknown} NIKs not in this workspace, {refused} rows refused.").format(
            new=count(len(result.flagged)),
            still=count(len(result.still_listed)),
            cleared=count(len(result.dropped)),
            unknown=count(len(result.unknown)),
            refused=count(len(listing.refused)),
        )
    )
    for person in result.flagged:
        seat = ws.seat_holder(person.nik)
        where = _(" (seated at {tps}, seat {seat})").format(tps=seat.tps_label, seat=seat.seat) if seat else ""
        print(_("Flagged: {name}{where}").format(name=person.name, where=where))
    for person in result.dropped:
        print(_("Cleared: {name}").format(name=person.name))
    return 1 if listing.refused else 0


def cmd_export_declarations(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    report = reports.export(ws, Path(args.output), args.by)
    print(
        _("Wrote {path}: {officers} officers, {outstanding} not yet verified.").format(
            path=args.output,
            officers=count(report.count_rows[-1][2]),
            outstanding=count(len(report.outstanding_rows)),
        )
    )
    return 0
