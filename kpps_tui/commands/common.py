"""What every `kpps` command shares: where the workspace is, opening it, printing tables."""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import date
from pathlib import Path

from kpps_tui import i18n
from kpps_tui.domain.settings import parse_day
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services import setup
from kpps_tui.services.integrity import loose_permissions
from kpps_tui.services.recovery import lost_its_main_file
from kpps_tui.services.recovery import open_workspace as open_safely
from kpps_tui.services.workspace import Workspace

PARTLY = 7  # exit code: a batch wrote what it could and lists what was refused (README: exit codes)


def data_dir(args: argparse.Namespace) -> Path:
    given = getattr(args, "data", None)
    if given:
        return Path(given).expanduser()
    return setup.default_data_dir()  # KPPS_DATA, else the platform's user data folder


def data_option(args: argparse.Namespace) -> str:
    """` --data DIR` when the folder was chosen on the command line, for the hints we print."""
    given = getattr(args, "data", None)
    return f" --data {shlex.quote(str(given))}" if given else ""


def open_workspace(args: argparse.Namespace, defer_people: bool = False) -> Workspace:
    """The workspace of --data, opened safely; `defer_people`: see Workspace.open."""
    path = data_dir(args)
    if not setup.holds_workspace(path) and not lost_its_main_file(path):
        raise _no_workspace(args, path)
    ws = open_safely(path, defer_people=defer_people)
    for problem in loose_permissions(path, deep=False):  # others could read personal data
        print(_("Warning: {message}").format(message=problem), file=sys.stderr)
    return ws


def _no_workspace(args: argparse.Namespace, path: Path) -> KppsError:
    """The refusal for a folder without a workspace; it names the demo's folder when `kpps demo`
    made one, since that is where a newcomer's data is."""
    demo = setup.default_demo_dir()
    if setup.holds_workspace(demo) and demo != path:
        quoted = shlex.quote(str(demo))
        return KppsError(
            N_(
                "There is no workspace in {path}. The demo's workspace is in {demo}: add `--data {demo}` "
                "to the command, or set `export KPPS_DATA={demo}` for every command. "
                "Your own workspace: `kpps init --sample{data}`."
            ),
            path=str(path),
            demo=quoted,
            data=data_option(args),
        )
    return KppsError(
        N_(
            "There is no workspace in {path}. Create one with `kpps init --sample{data}`, "
            "or try the program on a copy of the sample with `kpps demo`."
        ),
        path=str(path),
        data=data_option(args),
    )


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows)]
    lines = [headers, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines)


def count(number: int) -> str:
    """A count with the thousands separator of the language in force (2,891 or 2.891)."""
    text = f"{number:,}"
    return text.replace(",", ".") if i18n.current_language() == "id" else text


def add_command(commands, common: argparse.ArgumentParser, name: str, help_text: str, run) -> argparse.ArgumentParser:
    """A subcommand that takes the shared --data/--lang and runs `run(args)`."""
    sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
    sub.set_defaults(run=run)
    return sub


def usage(parser: argparse.ArgumentParser) -> int:
    """A command group given without its subcommand: its usage line, exit 2."""
    parser.print_usage(sys.stderr)
    return 2


def day_argument(text: str) -> date:
    """An argparse type for a day: 24/10/2024 or 2024-10-24; a wrong one is a usage error."""
    try:
        return parse_day(text)
    except KppsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
