"""Who may do what in a workspace: roles, their scope of regions, and the refusals.

Pure rules: the workspace's users and the login of the process are given. An admin may do
everything; a coordinator may change seats, applicants, declarations and cards inside her
kecamatan and desa; a viewer only reads (NIKs masked, no reveal, no export of full NIKs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _


class Role(str, Enum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    VIEWER = "viewer"


ROLE_NAMES = {Role.ADMIN: N_("admin"), Role.COORDINATOR: N_("coordinator"), Role.VIEWER: N_("viewer")}


class AdminTask(str, Enum):
    """What only an admin may do; each value names it in a sentence."""

    SETTINGS = N_("change the election or card settings")
    KEYS = N_("export or replace the card signing key")
    RESTORE = N_("restore a snapshot")
    USERS = N_("add or remove users")
    SHARE = N_("change who shares the workspace")
    REGIONS = N_("add TPS or regions")
    SEAL = N_("set a damaged audit log aside")


class Forbidden(KppsError):
    """A refusal by role: one sentence naming the login and whom to ask."""

    def __str__(self) -> str:
        params = {k: _(v) if k in ("task", "role") and isinstance(v, str) else v for k, v in self.params.items()}
        return _(self.template).format(**params)


@dataclass(frozen=True)
class Member:
    login: str
    role: Role
    kecamatan: tuple[str, ...] = ()
    desa: tuple[str, ...] = ()

    def covers(self, region_code: str) -> bool:
        """Whether a desa (or TPS, or kecamatan) code lies inside this member's scope."""
        if self.role is Role.ADMIN:
            return True
        if self.role is not Role.COORDINATOR:
            return False
        return any(region_code == c or region_code.startswith(c + ".") for c in (*self.kecamatan, *self.desa))

    @property
    def writes(self) -> bool:
        return self.role is not Role.VIEWER

    @property
    def scope(self) -> str:
        """The scope for a sentence: the region codes, or '-' for none."""
        return ", ".join((*self.kecamatan, *self.desa)) or "-"

    def to_doc(self) -> dict[str, Any]:
        return {"login": self.login, "role": self.role.value, "kecamatan": list(self.kecamatan), "desa": list(self.desa)}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Member:
        return cls(
            str(doc["login"]),
            Role(doc["role"]),
            tuple(str(c) for c in doc.get("kecamatan", ())),
            tuple(str(c) for c in doc.get("desa", ())),
        )


@dataclass(frozen=True)
class Access:
    """The login of this process and the workspace's users: answers "may I?" with a refusal."""

    login: str
    members: dict[str, Member] = field(default_factory=dict)

    @property
    def member(self) -> Member | None:
        return self.members.get(self.login)

    def admins(self) -> str:
        return ", ".join(sorted(m.login for m in self.members.values() if m.role is Role.ADMIN)) or "-"

    def refusal(self, task: AdminTask | None = None, region: str | None = None, full_nik: bool = False) -> Forbidden | None:
        """None when allowed; else the sentence. `task`: an admin's task; `region`: a change
        inside that region; `full_nik`: seeing or exporting unmasked NIKs. No argument: any change."""
        member = self.member
        if member is None:
            return no_role(self.login, self.admins())
        if member.role is Role.ADMIN:
            return None
        if task is not None:
            return Forbidden(N_("Only an admin ({admins}) may {task}; {login} is a {role} here."), admins=self.admins(), task=task.value, login=self.login, role=ROLE_NAMES[member.role])
        if member.role is Role.VIEWER:
            if full_nik:
                return Forbidden(N_("{login} is a viewer here and sees NIKs masked only; ask an admin ({admins}) for another role."), login=self.login, admins=self.admins())
            return Forbidden(N_("{login} is a viewer here and may only read; ask an admin ({admins}) for another role."), login=self.login, admins=self.admins())
        if region is not None and not member.covers(region):
            return Forbidden(N_("{login} coordinates {scope} only, and {region} lies outside it; ask an admin ({admins})."), login=self.login, scope=member.scope, region=region, admins=self.admins())
        return None

    def require(self, task: AdminTask | None = None, region: str | None = None, full_nik: bool = False) -> None:
        refused = self.refusal(task, region, full_nik)
        if refused is not None:
            raise refused

    def require_regions(self, regions: Iterable[str]) -> None:
        for region in sorted(set(regions)):
            self.require(region=region)


def no_role(login: str, admins: str) -> Forbidden:
    return Forbidden(N_("The login {login} has no role in this workspace; ask its admin ({admins}) to add you with `kpps users add {login} --role ROLE`."), login=login, admins=admins)
