"""`kpps status`: where the formation stands per kab/kota, kecamatan or desa, the schedule of
stages against today, and when each region will be fully staffed at the recent pace."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from kpps_tui import clock
from kpps_tui.commands.common import add_command, count, open_workspace, text_table
from kpps_tui.commands.interface import add_today_option
from kpps_tui.domain.status import day_label
from kpps_tui.i18n import _
from kpps_tui.services.status import Level, StatusBoard, StatusRow, status_report


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    help_text = _("where the formation stands: seats, declarations, cards, applicants, the schedule and a forecast")
    status = add_command(commands, common, "status", help_text, cmd_status)
    status.add_argument(
        "--by",
        choices=[level.value for level in Level],
        help=_("one row per kabupaten/kota, kecamatan or desa (default: kab/kota when there are several, else kecamatan)"),
    )
    status.add_argument("--json", action="store_true", help=_("print JSON for scripts instead of a table"))
    add_today_option(status)


def cmd_status(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    board = StatusBoard(ws, getattr(args, "today", None) or clock.today())
    level = Level(args.by) if args.by else board.top_level()
    if args.json:
        json.dump(status_report(board, level), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    rows = board.rows(level)
    headers = [
        _("Code"),
        level.label,
        _("TPS full/partly/empty"),
        _("Seats filled"),
        _("Women"),
        _("Verified"),
        _("Cards"),
        _("PAW"),
        _("Fully staffed"),
    ]
    total = StatusRow("", _("Total"), level, board.whole)
    print(text_table(headers, [_cells(board, r) for r in [*rows, total]]))
    print()
    print(_("Schedule, as on {day}:").format(day=day_label(board.today)))
    for stage in board.schedule():
        print(f"  [{stage.timing.label}] {stage.sentence()}")
    return 0


def _cells(board: StatusBoard, row: StatusRow) -> list[str]:
    f = row.figures
    percent = f"{100 * f.seats_filled // f.seats}%" if f.seats else "-"
    women = f"{100 * f.women_seated // f.seats_filled}%" if f.seats_filled else "-"
    return [
        row.code,
        row.name,
        f"{count(f.tps_full)}/{count(f.tps_partly)}/{count(f.tps_empty)}",
        f"{count(f.seats_filled)}/{count(f.seats)} {percent}",
        women,
        f"{count(f.verified)}/{count(f.officers)}",
        count(f.cards_valid),
        count(f.paw_open),
        board.forecast(row.code).short(),
    ]

