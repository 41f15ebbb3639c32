"""`kpps`: the command line. This module only builds the parser and dispatches; each command
lives in a module of kpps_tui/commands/ with its register().

With no command it opens the terminal interface on the workspace; the other commands do the
same work for scripts, through the same services the interface calls. Textual is imported only
by the commands that open the interface, so `kpps --help` and `kpps tps list` start fast.

Exit codes: 0 done, 1 refused or failed (one sentence on stderr, nothing changed),
2 wrong usage (argparse's own message).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

from kpps_tui import __version__, i18n
from kpps_tui.commands import interface
from kpps_tui.commands.argparse_words import speak_the_users_language
from kpps_tui.commands.common import usage
from kpps_tui.commands.streams import visible_streams
from kpps_tui.errors import KppsError
from kpps_tui.i18n import _

# ---- entry ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        _activate_language(_requested_language(argv))
    except ValueError as exc:  # KPPS_LANG names a language we do not have
        print(exc, file=sys.stderr)
        return 2
    try:
        parser = interface_parser() if opens_interface(argv) else build_parser()
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 0
    try:
        if args.run in (interface.cmd_open, interface.cmd_demo):
            # The interface draws the screen itself: its escapes must pass. It turns the
            # collector on once its first screen is drawn (launch.py).
            return _run(args)
        gc.enable()  # off while the program loaded (launch.py)
        with visible_streams():
            return _run(args)
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.run(args))
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
        chosen = i18n.set_language(lang)
    except FileNotFoundError:  # no compiled Indonesian catalog in this install: speak English
        chosen = i18n.set_language("en")
    speak_the_users_language()
    return chosen


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# ---- the parser ----------------------------------------------------------------------------


# The options `kpps` takes without a command, each with its value.
INTERFACE_OPTIONS = ("--data", "--lang", "--today")


def opens_interface(argv: list[str]) -> bool:
    """No command, only the interface's own options: then the parser needs none of the other
    commands, nor the services and libraries they import (the first screen is drawn sooner)."""
    i = 0
    while i < len(argv):
        name, eq, _value = argv[i].partition("=")
        if name not in INTERFACE_OPTIONS:
            return False  # a command, --help, --version, or a usage error for the full parser
        i += 1 if eq else 2
    return True


def interface_parser() -> argparse.ArgumentParser:
    """The parser of `kpps [--data DIR] [--lang id|en] [--today DATE]`: the same options and
    words as build_parser() gives them."""
    parser = argparse.ArgumentParser(prog="kpps", parents=[common_options()])
    parser.set_defaults(run=interface.cmd_open)
    interface.add_today_option(parser)
    return parser


def common_options() -> argparse.ArgumentParser:
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
    return common


def build_parser() -> argparse.ArgumentParser:
    from kpps_tui.commands import applicants, cards, check, documents, init, papers, propose, safety, seats, status, tps, users

    common = common_options()
    parser = argparse.ArgumentParser(
        prog="kpps",
        parents=[common],
        description=_(
            "Staff every TPS with its seven KPPS officers. Without a command, opens the "
            "workspace in the terminal interface."
        ),
    )
    parser.add_argument("--version", action="version", version=f"kpps {__version__}", help=_("show the version and exit"))
    parser.set_defaults(run=interface.cmd_open)
    interface.add_today_option(parser)
    commands = parser.add_subparsers(title=_("commands"), metavar=_("COMMAND"))

    interface.register(commands, common)
    init.register(commands, common)
    tps.register(commands, common)
    seats.register(commands, common)
    check.register(commands, common)
    propose.register(commands, common)
    status.register(commands, common)

    groups = {}
    for name, help_text in (("import", _("read a file into the workspace")), ("export", _("write a report or list to a file"))):
        group = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        group.set_defaults(run=lambda args, group=group: usage(group))
        groups[name] = group.add_subparsers(title=_("commands"), metavar=_("COMMAND"))
    papers.register(commands, common, groups)
    cards.register(commands, common, groups)
    safety.register(commands, common, groups)
    applicants.register(commands, common, groups)
    documents.register(commands, common, groups)
    users.register(commands, common, groups)
    return parser


if __name__ == "__main__":
    sys.exit(main())
