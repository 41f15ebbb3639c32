"""`kpps` with no command and `kpps demo`: open the terminal interface.

Textual is imported only here, when the interface opens, so `kpps --help` and `kpps tps list`
start fast.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from kpps_tui import clock
from kpps_tui.commands.common import add_command, data_dir, day_argument, open_workspace
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services import setup
from kpps_tui.services.workspace import Workspace


def register(commands, common: argparse.ArgumentParser) -> None:
    demo = add_command(commands, common, "demo", _("open the terminal interface on a private copy of the sample"), cmd_demo)
    demo.add_argument(
        "--reset", action="store_true", help=_("start again from a fresh copy of the sample")
    )
    add_today_option(demo)


def add_today_option(parser: argparse.ArgumentParser) -> None:
    """--today: the interface judges the schedule and the ID cards as on another day (the
    sample's fiction is two weeks before penetapan: `kpps demo --today 24/10/2024`)."""
    parser.add_argument(
        "--today",
        metavar=_("DATE"),
        type=day_argument,
        default=argparse.SUPPRESS,
        help=_("judge the schedule and the ID cards as on this day (default: today), e.g. 24/10/2024"),
    )


def cmd_open(args: argparse.Namespace) -> int:
    # The ringkasan is drawn from the TPS files; the applicants are read after the first paint
    # (KppsApp). Without a terminal the workspace is read whole first, so that a damaged file
    # is still what the refusal says.
    ws = open_workspace(args, defer_people=_has_terminal())
    _need_terminal()
    return _run_tui(ws, getattr(args, "today", None))


def cmd_demo(args: argparse.Namespace) -> int:
    _need_terminal()  # before anything is copied or reset
    dest = data_dir(args) if getattr(args, "data", None) else setup.default_demo_dir()
    return _run_tui(setup.open_or_create_demo(dest, reset=args.reset, defer_people=True), getattr(args, "today", None))


def _has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _need_terminal() -> None:
    if not _has_terminal():
        raise KppsError(
            N_(
                "The interface needs a terminal. For scripts use the commands instead: "
                "`kpps tps list`, `kpps assign`, `kpps check` (see `kpps --help`)."
            )
        )


def _run_tui(ws: Workspace, today: date | None = None) -> int:
    from kpps_tui.tui.app import KppsApp  # Textual loads only when the interface opens

    app = KppsApp(ws, today=(lambda: today) if today else clock.today)
    app.run()
    if app.failure is not None:  # a people file read after the first paint was damaged
        raise app.failure
    return app.return_code or 0
