"""`kpps`: the command line.

With no command it opens the terminal interface on the workspace; the other commands do the
same work for scripts, through the same services the interface calls. Textual is imported only
by the commands that open the interface, so `kpps --help` and `kpps tps list` start fast.

Exit codes: 0 done, 1 refused or failed (one sentence on stderr, nothing changed),
2 wrong usage (argparse's own message).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from kpps_tui import __version__, i18n
from kpps_tui.domain.model import seat_title
from kpps_tui.domain.nik import parse_nik
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services import assignments, browse, integrity, setup
from kpps_tui.commands import applicants, cards, papers, safety
from kpps_tui.commands.common import count, data_dir, data_option, open_workspace, text_table
from kpps_tui.store.workspace import Workspace

# ---- entry ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        _activate_language(_requested_language(argv))
    except ValueError as exc:  # KPPS_LANG names a language we do not have
        print(exc, file=sys.stderr)
        return 2
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 0
    try:
        return args.run(args)
    except KppsError as exc:  # includes DamagedFile and WorkspaceError
        print(exc, file=sys.stderr)
        return 1
    except BrokenPipeError:  # `kpps tps list | head`: the reader left, nothing to say
        _silence_stdout()
        return 1
    except OSError as exc:
        print(
            _("Could not use {path}: {reason}.").format(
                path=exc.filename or "?", reason=exc.strerror or exc
            ),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130


def _requested_language(argv: list[str]) -> str | None:
    """The value of --lang, read before the parser is built so that its help is translated."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
    # A wrong value is left for the parser to report, with the choices.
    return lang if lang in i18n.LANGUAGES else None


def _activate_language(lang: str | None) -> str:
    try:
        return i18n.set_language(lang)
    except FileNotFoundError:  # no compiled Indonesian catalog in this install: speak English
        return i18n.set_language("en")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# ---- the parser ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    # --data and --lang are accepted before or after any command. SUPPRESS keeps a value given
    # before the command from being reset by the command's own copy of the option.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=_("workspace folder (default: $KPPS_DATA, else your user data folder)"),
    )
    common.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=argparse.SUPPRESS,
        help=_("language of the messages: id (default, or $KPPS_LANG) or en"),
    )

    parser = argparse.ArgumentParser(
        prog="kpps",
        parents=[common],
        description=_(
            "Staff every TPS with its seven KPPS officers. Without a command, opens the "
            "workspace in the terminal interface."
        ),
    )
    parser.add_argument("--version", action="version", version=f"kpps {__version__}")
    parser.set_defaults(run=cmd_open)
    commands = parser.add_subparsers(title=_("commands"), metavar=_("COMMAND"))

    def command(name: str, help_text: str, run) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    demo = command("demo", _("open the terminal interface on a private copy of the sample"), cmd_demo)
    demo.add_argument(
        "--reset", action="store_true", help=_("start again from a fresh copy of the sample")
    )

    init = command("init", _("create a workspace"), cmd_init)
    init.add_argument(
        "--sample",
        nargs="?",
        const="demo",
        choices=setup.SAMPLE_VARIANTS,
        help=_(
            "copy the bundled Kotawaringin Barat sample: demo (two weeks before the appointment, "
            "some seats still empty; the default) or full (every seat filled)"
        ),
    )
    init.add_argument(
        "--generate",
        choices=["province"],
        help=_(
            "generate a synthetic Kalimantan Tengah workspace (14 kab/kota, 4,446 TPS, about "
            "48,000 applicants) for trying the program at province scale"
        ),
    )

    tps = commands.add_parser(
        "tps", parents=[common], help=_("the polling stations (TPS)"), description=_("the polling stations (TPS)")
    )
    tps.set_defaults(run=lambda args: _usage(tps))
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

    assign = command("assign", _("put an applicant on a seat of a TPS"), cmd_assign)
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

    unassign = command("unassign", _("free a seat of a TPS"), cmd_unassign)
    unassign.add_argument("tps", metavar="TPS", help=_("TPS code, as `kpps tps list` shows it"))
    unassign.add_argument("seat", metavar="SEAT", type=int, help=_("seat 1 (Ketua KPPS) to 7"))

    move = command("move", _("move an officer to an empty seat of the same TPS"), cmd_move)
    move.add_argument("tps", metavar="TPS", help=_("TPS code, as `kpps tps list` shows it"))
    move.add_argument("from_seat", metavar="FROM", type=int, help=_("the officer's seat"))
    move.add_argument("to_seat", metavar="TO", type=int, help=_("the empty seat"))

    swap = command("swap", _("exchange the officers on two seats of a TPS"), cmd_swap)
    swap.add_argument("tps", metavar="TPS", help=_("TPS code, as `kpps tps list` shows it"))
    swap.add_argument("seat_a", metavar="SEAT", type=int, help=_("one seat"))
    swap.add_argument("seat_b", metavar="OTHER", type=int, help=_("the other seat"))

    command("check", _("check the workspace for problems (exit 1 if any)"), cmd_check)

    groups = {}
    for name, help_text in (("import", _("read a file into the workspace")), ("export", _("write a report or list to a file"))):
        group = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        group.set_defaults(run=lambda args, group=group: _usage(group))
        groups[name] = group.add_subparsers(title=_("commands"), metavar=_("COMMAND"))
    papers.register(commands, common, groups)
    cards.register(commands, common, groups)
    safety.register(commands, common, groups)
    applicants.register(commands, common, groups)
    return parser


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    return 2


# ---- the terminal interface --------------------------------------------------------------------


def cmd_open(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    _need_terminal()
    return _run_tui(ws)


def cmd_demo(args: argparse.Namespace) -> int:
    _need_terminal()  # before anything is copied or reset
    dest = data_dir(args) if getattr(args, "data", None) else setup.default_demo_dir()
    return _run_tui(setup.open_or_create_demo(dest, reset=args.reset))


def _need_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise KppsError(
            N_(
                "The interface needs a terminal. For scripts use the commands instead: "
                "`kpps tps list`, `kpps assign`, `kpps check` (see `kpps --help`)."
            )
        )


def _run_tui(ws: Workspace) -> int:
    from kpps_tui.tui.app import KppsApp  # Textual loads only when the interface opens

    app = KppsApp(ws)
    app.run()
    return app.return_code or 0


# ---- init --------------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    dest = data_dir(args)
    if args.generate is None and args.sample is None:
        raise KppsError(
            N_(
                "For now `kpps init` can only create a workspace from the bundled sample: run "
                "`kpps init --sample{data}` (about 60% of seats filled) or "
                "`kpps init --sample full{data}` (every seat filled)."
            ),
            data=data_option(args),
        )
    if args.generate:
        ws, args.sample = setup.generate_province(dest), args.generate
    else:
        ws = setup.init_from_sample(dest, args.sample)
    total = browse.summarize(browse.tps_rows(ws))
    print(
        _(
            "Created a workspace from the {sample} sample in {path}: {tps} TPS, {people} applicants, "
            "{filled} of {seats} seats filled."
        ).format(
            sample=args.sample,
            path=dest,
            tps=count(total.tps_total),
            people=count(len(ws.people)),
            filled=count(total.seats_filled),
            seats=count(total.seats_total),
        )
    )
    print(
        _("Open it with `kpps{data}`, or list its TPS with `kpps tps list{data}`.").format(
            data=data_option(args)
        )
    )
    return 0


# ---- tps list ----------------------------------------------------------------------------------


def cmd_tps_list(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    kecamatan = _resolve_kecamatan(ws, args.kecamatan) if args.kecamatan else None
    desa = _resolve_desa(ws, args.desa, kecamatan) if args.desa else None
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


def _resolve_kecamatan(ws: Workspace, text: str) -> str:
    codes = ws.kecamatan_codes()
    found = _match_regions(ws, text, codes)
    if len(found) == 1:
        return found[0]
    if not found:
        raise KppsError(
            N_("No kecamatan matches {text}; the kecamatan are: {choices}."),
            text=text,
            choices=_describe_regions(ws, codes),
        )
    raise KppsError(
        N_("{text} matches several kecamatan: {choices}. Give the code or more of the name."),
        text=text,
        choices=_describe_regions(ws, found),
    )


def _resolve_desa(ws: Workspace, text: str, kecamatan: str | None) -> str:
    found = _match_regions(ws, text, ws.desa_codes(kecamatan))
    if len(found) == 1:
        return found[0]
    if not found:
        raise KppsError(
            N_("No desa/kelurahan matches {text}; `kpps tps list` shows their names."), text=text
        )
    raise KppsError(
        N_("{text} matches several desa/kelurahan: {choices}. Give the code or more of the name."),
        text=text,
        choices=_describe_regions(ws, found),
    )


def _match_regions(ws: Workspace, text: str, codes: list[str]) -> list[str]:
    """A code, else a whole name (any case), else the names that contain the text."""
    needle = text.strip()
    if needle in codes:
        return [needle]
    folded = needle.casefold()
    exact = [c for c in codes if ws.region_name(c).casefold() == folded]
    if exact:
        return exact
    return [c for c in codes if folded and folded in ws.region_name(c).casefold()]


def _describe_regions(ws: Workspace, codes: list[str]) -> str:
    return ", ".join(f"{ws.region_name(c)} ({c})" for c in codes)


# ---- seats -------------------------------------------------------------------------------------


def cmd_assign(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    nik = args.nik.replace(" ", "").strip()
    try:
        found = assignments.assign(ws, args.tps, args.seat, nik, overrides=applicants.override_pairs(args.override))
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


# ---- check -------------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    problems = integrity.check_workspace(ws)
    for problem in problems:
        print(problem)
    print(integrity.summary_line(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
