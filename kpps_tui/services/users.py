"""The workspace's users: who this login is, adding and removing users, sharing by a group.

The rules themselves live in domain/roles and are enforced by the Workspace on every write,
so the interface and the commands ask the same question here (`refusal`) and get one answer.
"""

from __future__ import annotations

import grp
from collections.abc import Iterable
from dataclasses import dataclass

from kpps_tui.domain.roles import ROLE_NAMES, AdminTask, Forbidden, Member, Role
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.store.files import share_tree, shared_group
from kpps_tui.store.workspace import Workspace

__all__ = ["AdminTask", "Forbidden", "Role"]


@dataclass(frozen=True)
class Me:
    login: str
    role: Role
    scope: str  # region codes, or "" for an admin or a viewer

    @property
    def label(self) -> str:
        """For the header: 'siti (koordinator)'; the scope is in `kpps users list`."""
        return f"{self.login} ({_(ROLE_NAMES[self.role])})"


def whoami(ws: Workspace) -> Me:
    member = ws.member
    assert member is not None  # Workspace.open refuses a login without a role
    return Me(member.login, member.role, member.scope if member.role is Role.COORDINATOR else "")


def refusal(ws: Workspace, task: AdminTask | None = None, region: str | None = None, full_nik: bool = False) -> str | None:
    """The sentence that refuses this, or None when this login may do it (for screens that
    disable what is not allowed and say why)."""
    refused = ws.access.refusal(task, region, full_nik)
    return None if refused is None else str(refused)


def may_see_full_nik(ws: Workspace) -> bool:
    return ws.access.refusal(full_nik=True) is None


def members(ws: Workspace) -> list[Member]:
    return sorted(ws.access.members.values(), key=lambda m: (m.role.value, m.login))


def add_user(ws: Workspace, login: str, role: str, kecamatan: Iterable[str] = (), desa: Iterable[str] = ()) -> Member:
    """Add a user, or change one's role and scope. A coordinator needs a scope of known codes."""
    login = login.strip()
    try:
        chosen = Role(role)
    except ValueError:
        raise KppsError(N_("Unknown role {role}; choose admin, coordinator or viewer."), role=role) from None
    kec = tuple(dict.fromkeys(_region(ws, c, kecamatan_only=True) for c in kecamatan))
    des = tuple(dict.fromkeys(_region(ws, c, kecamatan_only=False) for c in desa))
    if chosen is Role.COORDINATOR and not (kec or des):
        raise KppsError(N_("A coordinator needs a scope: give --kecamatan or --desa (one or more)."))
    if chosen is not Role.COORDINATOR and (kec or des):
        raise KppsError(N_("Only a coordinator has a scope; the role {role} covers the whole workspace."), role=_(ROLE_NAMES[chosen]))
    if not login or any(ch.isspace() or ch == ":" for ch in login):
        raise KppsError(N_("{login} is not a login name."), login=login)
    member = Member(login, chosen, kec, des)
    with ws.locked():
        ws.require(AdminTask.USERS)
        current = dict(ws.access.members)
        if current.get(login, member).role is Role.ADMIN and chosen is not Role.ADMIN:
            _keep_an_admin(current, login)
        current[login] = member
        ws.put_users(current)
    return member


def remove_user(ws: Workspace, login: str) -> Member:
    with ws.locked():
        ws.require(AdminTask.USERS)
        current = dict(ws.access.members)
        member = current.pop(login, None)
        if member is None:
            raise KppsError(N_("{login} is not a user of this workspace; `kpps users list` shows them."), login=login)
        if member.role is Role.ADMIN:
            _keep_an_admin({**current, login: member}, login)
        ws.put_users(current)
    return member


def _keep_an_admin(current: dict[str, Member], leaving: str) -> None:
    if not any(m.role is Role.ADMIN and m.login != leaving for m in current.values()):
        raise KppsError(N_("{login} is the last admin; add another admin first."), login=leaving)


def _region(ws: Workspace, code: str, kecamatan_only: bool) -> str:
    code = code.strip()
    wanted = ws.kecamatan_codes() if kecamatan_only else ws.desa_codes()
    if code in wanted:
        return code
    by_name = [c for c in wanted if ws.region_name(c).casefold() == code.casefold()]
    if len(by_name) == 1:
        return by_name[0]
    if kecamatan_only:
        raise KppsError(N_("There is no kecamatan {code} in this workspace."), code=code)
    raise KppsError(N_("There is no desa {code} in this workspace."), code=code)


# ---- sharing by a Unix group ------------------------------------------------------------------


def group_id(name: str) -> int:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise KppsError(N_("There is no group {group} on this machine; create it first (as root: groupadd {group})."), group=name) from None


def share_with_group(ws: Workspace, group: str) -> None:
    """Make the workspace shared by `group` (folders setgid 2770, files 0660): its members
    can then open it with their own logins, as the users added for them allow."""
    gid = group_id(group)
    with ws.locked():
        ws.require(AdminTask.SHARE)
        try:
            share_tree(ws.root, gid)
        except PermissionError as exc:
            raise KppsError(
                N_("Could not give {path} to group {group}: {reason}. Run this as the owner of the workspace's files, and be a member of the group."),
                path=exc.filename or str(ws.root), group=group, reason=exc.strerror or str(exc),
            ) from exc
        ws.audit_event("share", "workspace", {"group": group})


def shared_group_name(ws: Workspace) -> str | None:
    gid = shared_group(ws.root)
    if gid is None:
        return None
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)
