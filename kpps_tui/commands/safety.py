"""`kpps log`, `kpps backup`, `kpps restore`: who did what, and the way back."""

from __future__ import annotations

import argparse
import sys

from kpps_tui.commands.common import data_dir, data_option, open_workspace, text_table
from kpps_tui.domain.dates import parse_date
from kpps_tui.domain.nik import mask_nik
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services import audit_log
from kpps_tui.services import recovery
from kpps_tui.services.recovery import describe_snapshot


def register(commands, common: argparse.ArgumentParser, groups: dict) -> None:
    log = commands.add_parser("log", parents=[common], help=_("show the audit log of changes"), description=_("show the audit log of changes"))
    log.set_defaults(run=cmd_log)
    log.add_argument("--tps", metavar="CODE", help=_("a TPS code, or a kecamatan or desa code for all its TPS"))
    log.add_argument("--nik", metavar="NIK", help=_("changes that touched this person"))
    log.add_argument("--user", metavar="USER", help=_("changes made by this user"))
    log.add_argument("--since", metavar="DATE", help=_("from this day (27/11/2024 or 2024-11-27)"))
    log.add_argument("--until", metavar="DATE", help=_("up to and including this day"))
    log.add_argument("--csv", action="store_true", help=_("print CSV for a spreadsheet"))
    log.add_argument("--full-nik", action="store_true", help=_("with --csv: every NIK in full (recorded in the log as a reveal)"))

    backup = commands.add_parser("backup", parents=[common], help=_("take a snapshot of the workspace now"), description=_("take a snapshot of the workspace now"))
    backup.set_defaults(run=cmd_backup)

    restore = commands.add_parser("restore", parents=[common], help=_("list snapshots, or restore one (the current state is kept as a snapshot first)"), description=_("list snapshots, or restore one (the current state is kept as a snapshot first)"))
    restore.set_defaults(run=cmd_restore)
    restore.add_argument("name", metavar="SNAPSHOT", nargs="?")
    restore.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))


def cmd_log(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    flt = audit_log.LogFilter(
        tps=args.tps,
        nik=args.nik,
        user=args.user,
        since=parse_date(args.since) if args.since else None,
        until=parse_date(args.until) if args.until else None,
    )
    found = audit_log.entries(ws, flt)
    if args.csv:
        if args.full_nik:
            audit_log.reveal_all(ws, "kpps log --csv", len(found))
        sys.stdout.write(audit_log.to_csv(ws, found, full_nik=args.full_nik))
        return 0
    rows = [[e.at[:19].replace("T", " "), e.user, audit_log.action_label(e.action), _subject(ws, e.subject), audit_log.describe_change(ws, e)] for e in found]
    print(text_table([_("When (UTC)"), _("User"), _("Action"), _("TPS or person"), _("Change")], rows) if rows else _("No change matches."))
    return 0


def _subject(ws, subject: str) -> str:
    """A TPS by its label; a person by a masked NIK (the screen is no place for a full NIK)."""
    tps = ws.tps.get(subject)
    if tps:
        return ws.tps_label(tps)
    return mask_nik(subject) if subject.isdigit() else subject  # a NIK, or e.g. a snapshot name


def cmd_backup(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    snap = recovery.take_backup(ws)
    print(_("Snapshot taken: {snapshot}").format(snapshot=describe_snapshot(snap)))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    root = data_dir(args)  # not opened: restoring is how a damaged workspace is mended
    if not args.name:
        taken = recovery.snapshots(root)
        if not taken:
            print(_("There are no snapshots yet; `kpps backup` takes one."))
        for snap in taken:
            print(describe_snapshot(snap))
        return 0
    snap = recovery.find_snapshot(root, args.name)
    if not args.yes:
        if not sys.stdin.isatty():
            raise KppsError(N_("Restoring replaces the workspace: confirm with --yes when no one can be asked."))
        answer = input(_("Restore {name}? The current state is kept as a snapshot first. Type yes: ").format(name=snap.name))
        if answer.strip().lower() not in ("yes", "ya", "y"):
            print(_("Nothing was changed."))
            return 1
    kept = recovery.restore(root, snap.name)
    print(_("Restored {name}. The state before is kept as {kept}; `kpps{data} restore {kept}` goes back.").format(name=snap.name, kept=kept.name, data=data_option(args)))
    return 0
