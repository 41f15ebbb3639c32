"""`kpps check`: look for problems in the workspace (exit 1 if any)."""

from __future__ import annotations

import argparse

from kpps_tui.commands.common import add_command, open_workspace
from kpps_tui.i18n import _
from kpps_tui.services import integrity


def register(commands, common: argparse.ArgumentParser) -> None:
    add_command(commands, common, "check", _("check the workspace for problems (exit 1 if any)"), cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    problems = integrity.check_workspace(ws)
    for problem in problems:
        print(problem)
    print(integrity.summary_line(problems))
    return 1 if problems else 0
