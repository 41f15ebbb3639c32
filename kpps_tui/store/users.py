"""The workspace's users and their roles: users.json, a TinyDB file (table users).

Its presence also says that the workspace's audit log is chained: from then on a missing or
empty log is damage. A workspace made before roles existed has none; the owner of its
workspace.json becomes its admin the first time they open it (Workspace.locked).
"""

from __future__ import annotations

import os
import pwd
from pathlib import Path

from kpps_tui.domain.roles import Member, Role
from kpps_tui.store.layout import USERS_FILE, WORKSPACE_FILE
from kpps_tui.store.storage import DamagedFile, open_db, read_tinydb_file
from kpps_tui.store.files import signature


def users_path(root: Path) -> Path:
    return root / USERS_FILE


def load(root: Path) -> dict[str, Member] | None:
    """The users by login, or None when the workspace has no users file yet."""
    path = users_path(root)
    if not path.exists():
        return None
    members: dict[str, Member] = {}
    for doc in read_tinydb_file(path).get("users", {}).values():
        try:
            member = Member.from_doc(doc)
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise DamagedFile(path, f"unexpected record: {exc!r}") from exc
        members[member.login] = member
    return members


def save(root: Path, members: dict[str, Member]) -> None:
    """Write every user durably (one small file); call holding the workspace lock."""
    docs = {str(i): m.to_doc() for i, m in enumerate(sorted(members.values(), key=lambda m: m.login), 1)}
    db = open_db(users_path(root), initial={"users": docs})
    db.close()


def file_signature(root: Path) -> tuple[int, int, int] | None:
    return signature(users_path(root))


def owner_login(root: Path) -> str:
    """The login owning workspace.json: the admin of a workspace made before roles existed."""
    uid = os.stat(root / WORKSPACE_FILE).st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def first_admin(login: str) -> dict[str, Member]:
    return {login: Member(login, Role.ADMIN)}

