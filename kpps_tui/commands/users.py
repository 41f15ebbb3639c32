"""`kpps users add|list|remove`, `kpps share --group`, `kpps seal-log`: who may do what."""

from __future__ import annotations

import argparse
import sys

from kpps_tui.commands.common import data_dir, data_option, open_workspace, text_table
from kpps_tui.domain.roles import ROLE_NAMES, Role
from kpps_tui.i18n import _
from kpps_tui.services import recovery, users


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser, groups: dict[str, argparse._SubParsersAction]) -> None:
    del groups  # no import or export of users
    group = commands.add_parser("users", parents=[common], help=_("who may work on the workspace, and what"), description=_("who may work on the workspace, and what"))
    group.set_defaults(run=lambda args: _usage(group))
    sub = group.add_subparsers(title=_("commands"), metavar=_("COMMAND"))

    add = sub.add_parser("add", parents=[common], help=_("give a login a role (or change it)"), description=_("give a login a role (or change it)"))
    add.set_defaults(run=cmd_add)
    add.add_argument("login", metavar="LOGIN", help=_("the person's login on this machine"))
    add.add_argument("--role", required=True, choices=[r.value for r in Role], help=_("admin: everything; coordinator: changes inside a scope; viewer: reads only"))
    add.add_argument("--kecamatan", metavar=_("CODE_OR_NAME"), action="append", default=[], help=_("a kecamatan of a coordinator's scope (repeatable)"))
    add.add_argument("--desa", metavar=_("CODE_OR_NAME"), action="append", default=[], help=_("a desa of a coordinator's scope (repeatable)"))

    listing = sub.add_parser("list", parents=[common], help=_("list the users and their roles"), description=_("list the users and their roles"))
    listing.set_defaults(run=cmd_list)

    remove = sub.add_parser("remove", parents=[common], help=_("take a login's role away"), description=_("take a login's role away"))
    remove.set_defaults(run=cmd_remove)
    remove.add_argument("login", metavar="LOGIN")

    share = commands.add_parser("share", parents=[common], help=_("share the workspace with a Unix group (folders 2770, files 0660)"), description=_("share the workspace with a Unix group (folders 2770, files 0660)"))
    share.set_defaults(run=cmd_share)
    share.add_argument("--group", required=True, metavar=_("GROUP"), help=_("the Unix group of the office's accounts"))

    seal = commands.add_parser("seal-log", parents=[common], help=_("set a damaged audit log aside and start a new one"), description=_("set a damaged audit log aside and start a new one"))
    seal.set_defaults(run=cmd_seal)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    return 2


def cmd_add(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    member = users.add_user(ws, args.login, args.role, args.kecamatan, args.desa)
    print(_("Saved: {login} is {role} ({scope}).").format(login=member.login, role=_(ROLE_NAMES[member.role]), scope=member.scope if member.role is Role.COORDINATOR else _("whole workspace")))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    rows = [
        [m.login, _(ROLE_NAMES[m.role]), m.scope if m.role is Role.COORDINATOR else _("whole workspace")]
        for m in users.members(ws)
    ]
    print(text_table([_("Login"), _("Role"), _("Scope")], rows))
    group = users.shared_group_name(ws)
    print(_("Shared with group {group}.").format(group=group) if group else _("Private to its owner (not shared with a group)."))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    member = users.remove_user(ws, args.login)
    print(_("Removed: {login} no longer has a role here.").format(login=member.login))
    return 0


def cmd_share(args: argparse.Namespace) -> int:
    users.group_id(args.group)  # an unknown group is said before anything is opened
    ws = open_workspace(args)
    users.share_with_group(ws, args.group)
    print(_("The workspace is now shared with group {group}: add its members with `kpps users add LOGIN --role ROLE{data}`.").format(group=args.group, data=data_option(args)))
    return 0


def cmd_seal(args: argparse.Namespace) -> int:
    kept = recovery.seal_log(data_dir(args))
    print(_("The damaged log is kept as {path}; a new log starts from the files as they are now.").format(path=kept))
    return 0
