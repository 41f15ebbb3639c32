"""`kpps tps list`: the polling stations with their seats filled."""

from __future__ import annotations

import argparse
import json
import sys

from kpps_tui.commands.common import count, open_workspace, text_table, usage
from kpps_tui.i18n import _
from kpps_tui.services import browse
from kpps_tui.services.finders import find_desa, find_kecamatan


def register(commands, common: argparse.ArgumentParser) -> None:
    tps = commands.add_parser(
        "tps", parents=[common], help=_("the polling stations (TPS)"), description=_("the polling stations (TPS)")
    )
    tps.set_defaults(run=lambda args: usage(tps))
    tps_commands = tps.add_subparsers(title=_("commands"), metavar=_("COMMAND"))
    listing = tps_commands.add_parser(
        "list", parents=[common], help=_("list the TPS with their seats filled"), description=_("list the TPS with their seats filled")
    )
    listing.set_defaults(run=cmd_tps_list)
    listing.add_argument("--kecamatan", metavar=_("CODE_OR_NAME"), help=_("only this kecamatan"))
    listing.add_argument("--desa", metavar=_("CODE_OR_NAME"), help=_("only this desa/kelurahan"))
    listing.add_argument(
        "--status",
        choices=list(browse.STATUS_FILTERS),
        help=_("only TPS that are not full (empty ones included), full, or empty"),
    )
    listing.add_argument("--search", metavar=_("TEXT"), default="", help=_("desa name or TPS number"))
    listing.add_argument(
        "--sort", choices=list(browse.SORT_KEYS), default="code", help=_("order of the rows (default: code)")
    )
    listing.add_argument("--reverse", action="store_true", help=_("reverse the order"))
    listing.add_argument(
        "--json", action="store_true", help=_("print a JSON list for scripts instead of a table")
    )


def cmd_tps_list(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    kecamatan = find_kecamatan(ws, args.kecamatan) if args.kecamatan else None
    desa = find_desa(ws, args.desa, kecamatan) if args.desa else None
    rows = browse.tps_rows(ws)
    flt = browse.TpsFilter(kecamatan=kecamatan, desa=desa, status=args.status, text=args.search)
    shown = browse.filter_rows(rows, flt, sort=args.sort, reverse=args.reverse)
    if args.json:
        json.dump([_row_json(r) for r in shown], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if shown:
        print(text_table(
            [_("Code"), _("TPS"), _("Desa/Kelurahan"), _("Kecamatan"), _("Filled"), _("Status")],
            [
                [r.code, f"{r.number:03d}", r.desa, r.kecamatan, f"{r.filled}/{r.seats}", r.status.label]
                for r in shown
            ],
        ))
    else:
        print(_("No TPS matches."))
    s = browse.summarize(shown)
    print(
        _("{shown} of {total} TPS shown: {full} full, {empty} empty; {filled} of {seats} seats filled.").format(
            shown=count(s.tps_total),
            total=count(len(rows)),
            full=count(s.tps_full),
            empty=count(s.tps_empty),
            filled=count(s.seats_filled),
            seats=count(s.seats_total),
        )
    )
    return 0


def _row_json(row: browse.TpsRow) -> dict:
    """Stable English keys for scripts; `status` is one of empty, partial, full."""
    return {
        "code": row.code,
        "number": row.number,
        "desa_code": row.desa_code,
        "desa": row.desa,
        "kecamatan_code": row.kecamatan_code,
        "kecamatan": row.kecamatan,
        "filled": row.filled,
        "seats": row.seats,
        "status": row.status.value,
    }
