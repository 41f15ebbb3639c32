"""`kpps cards`, `kpps verify` and `kpps keys`: officer ID cards from the shell.

Everything heavy (the PDF library, cryptography, the QR reader) is imported inside the
handlers, so the other commands start fast.

Exit codes of `kpps verify`: 0 genuine and valid, 3 revoked, 4 expired, 5 forged, 6 damaged
(the worst one when an image holds several codes); 1 when it could not check at all.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from kpps_tui import clock
from kpps_tui.commands.common import data_dir, open_workspace
from kpps_tui.domain.dates import parse_date
from kpps_tui.errors import KppsError
from kpps_tui.i18n import _

LEFT_OUT_SHOWN = 20


def register(subparsers, common: argparse.ArgumentParser, groups: dict | None = None) -> None:
    """Add `cards`, `verify` and `keys` to the `kpps` command's subparsers."""
    parents = [common]

    def command(parser, name: str, help_text: str, handler) -> argparse.ArgumentParser:
        sub = parser.add_parser(name, parents=parents, help=help_text, description=help_text)
        sub.set_defaults(run=handler)
        return sub

    cards = command(subparsers, "cards", _("print officers' ID cards as an A4 PDF"), cmd_cards)
    scope = cards.add_mutually_exclusive_group()
    scope.add_argument("--tps", metavar="CODE", help=_("one TPS, by the code `kpps tps list` shows"))
    scope.add_argument("--desa", metavar=_("CODE_OR_NAME"), help=_("every TPS of a desa/kelurahan"))
    scope.add_argument("--kecamatan", metavar=_("CODE_OR_NAME"), help=_("every TPS of a kecamatan"))
    scope.add_argument("--all", action="store_true", help=_("every TPS"))
    cards.add_argument("--not-printed", action="store_true", help=_("only the cards not printed yet"))
    cards.add_argument(
        "--reprint",
        action="store_true",
        help=_("after the cards' validity period: print again the cards on record, as they were issued"),
    )
    cards.add_argument("-o", "--output", metavar="FILE.pdf", help=_("the PDF file to write"))
    cards.add_argument(
        "--back", action="store_true", default=None, help=_("add a back page after each sheet, for duplex printing")
    )
    cards.add_argument("--cut", choices=("marks", "border"), help=_("cut marks at the edges, or a dashed border around each card"))
    cards.add_argument("--offset-x", metavar="MM", type=float, help=_("move the print right (negative: left), in mm"))
    cards.add_argument("--offset-y", metavar="MM", type=float, help=_("move the print down (negative: up), in mm"))
    cards.add_argument(
        "--calibration",
        action="store_true",
        help=_("start with a calibration test page (alone, without a choice of TPS, only that page)"),
    )
    cards.add_argument(
        "--save", action="store_true", help=_("remember --cut, --offset-x, --offset-y and --back for next time")
    )

    verify = command(subparsers, "verify", _("check an officer's ID card: genuine, revoked, expired, forged or damaged"), cmd_verify)
    verify.add_argument("code", nargs="*", metavar="CODE", help=_("the text of the card's QR code, or the short code under it"))
    verify.add_argument("--image", metavar="PNG", help=_("read the QR code(s) from a photo or a scan"))
    verify.add_argument(
        "--public-key", metavar="FILE", help=_("the file from `kpps keys export-public`: check without the workspace")
    )
    verify.add_argument("--date", metavar="YYYY-MM-DD", type=_parse_date, help=_("check as of this day (default: today)"))

    keys = subparsers.add_parser(
        "keys", parents=list(parents), help=_("the key that signs the ID cards"), description=_("the key that signs the ID cards")
    )
    keys.set_defaults(run=lambda args: _usage(keys))
    key_commands = keys.add_subparsers(title=_("commands"), metavar=_("COMMAND"))
    export = command(
        key_commands, "export-public", _("write the public key and the revoked cards, for those who check cards"), cmd_export_public
    )
    export.add_argument("file", metavar="FILE", help=_("where to write it"))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    return 2


def _parse_date(text: str) -> date:
    try:
        return parse_date(text)
    except KppsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


# ---- kpps cards ------------------------------------------------------------------------------


def cmd_cards(args: argparse.Namespace) -> int:
    from kpps_tui.services import cards

    ws = open_workspace(args)
    kind, value = _scope_of(args)
    if kind is None and not args.calibration:
        print(_("Choose what to print: --tps, --desa, --kecamatan or --all (or --calibration)."), file=sys.stderr)
        return 2
    if not args.output:
        print(_("Give the PDF file to write with -o FILE.pdf."), file=sys.stderr)
        return 2
    overrides = {"cut": args.cut, "offset_x_mm": args.offset_x, "offset_y_mm": args.offset_y, "back": args.back}
    if args.save:
        cards.update_card_settings(ws, **{k: v for k, v in overrides.items() if v is not None})
    options = cards.sheet_options(ws, **overrides, calibration=args.calibration)
    out = Path(args.output).expanduser()
    if kind is None:
        pages = cards.calibration_pdf(ws, out, options)
        print(_("Calibration page written to {path} ({pages} page).").format(path=out, pages=pages))
        return 0
    scope = cards.resolve_scope(ws, kind, value, args.not_printed)
    selection = cards.select_cards(ws, scope)
    if not selection.seats:
        print(_("Nothing to print for {scope}: {summary}").format(scope=scope.describe(ws), summary=selection.summary()))
        _print_left_out(selection.left_out)
        return 0
    progress = _progress_printer() if sys.stderr.isatty() else None
    result = cards.generate_cards(ws, scope, out, options, progress=progress, reprint=args.reprint)
    if progress is not None:
        print(file=sys.stderr)
    print(result.summary())
    _print_left_out(result.left_out)
    return 0


def _scope_of(args: argparse.Namespace) -> tuple[str | None, str]:
    if args.tps:
        return "tps", args.tps
    if args.desa:
        return "desa", args.desa
    if args.kecamatan:
        return "kecamatan", args.kecamatan
    if args.all:
        return "all", ""
    return None, ""


def _print_left_out(left_out) -> None:
    if not left_out:
        return
    print(_("Left out:"))
    for item in left_out[:LEFT_OUT_SHOWN]:
        print("  " + item.describe())
    if len(left_out) > LEFT_OUT_SHOWN:
        print("  " + _("... and {n} more.").format(n=len(left_out) - LEFT_OUT_SHOWN))


def _progress_printer() -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        print("\r" + _("{done} of {total} cards laid out").format(done=done, total=total), end="", file=sys.stderr, flush=True)

    return show


# ---- kpps verify -----------------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace) -> int:
    from kpps_tui.services import cards, setup

    if not args.code and not args.image:
        print(_("Give the code to check, or --image PNG."), file=sys.stderr)
        return 2
    key = cards.read_public_key(Path(args.public_key).expanduser()) if args.public_key else None
    # With --public-key the workspace is optional (short codes need it); QR texts are then
    # checked with the given key only.
    has_workspace = setup.holds_workspace(data_dir(args))
    ws = open_workspace(args) if key is None or has_workspace else None
    texts: list[str] = []
    if args.code:
        # An unquoted QR text arrives split at its spaces: put it back together.
        texts.append(" ".join(args.code))
    verdicts = []
    if args.image:
        found = cards.read_qr_texts(Path(args.image).expanduser())
        if not found:
            verdicts.append(cards.Verdict(cards.Status.DAMAGED, detail=_("no QR code found in the image")))
        texts.extend(found)
    today = args.date or clock.today()
    for text in texts:
        verdicts.append(cards.verify_code(text, ws=ws, key=key, today=today))
    for verdict in verdicts:
        print(verdict.message)
    return max(v.exit_code for v in verdicts)


# ---- kpps keys export-public -------------------------------------------------------------------


def cmd_export_public(args: argparse.Namespace) -> int:
    from kpps_tui.services import cards

    ws = open_workspace(args)
    path = Path(args.file).expanduser()
    key_id = cards.export_public_key(ws, path)
    revoked = cards.revoked_count(ws)
    print(
        _("Public key {key_id} written to {path}, with {n} revoked cards. Give it to those who check cards: "
          "kpps verify --public-key {name} CODE").format(key_id=key_id, path=path, n=revoked, name=os.path.basename(path))
    )
    return 0
