"""Opening a workspace safely: a damaged file stops with the way back, never an overwrite."""

from __future__ import annotations

from pathlib import Path

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.store import backups
from kpps_tui.store.storage import DamagedFile
from kpps_tui.store.workspace import Workspace


class WorkspaceDamaged(KppsError):
    pass


def open_workspace(path: Path) -> Workspace:
    """Open the workspace, or raise a sentence that names the newest good snapshot."""
    path = Path(path)
    try:
        return Workspace.open(path)
    except DamagedFile as exc:
        snap = backups.newest_good(path)
        if snap is None:
            raise WorkspaceDamaged(
                N_("{problem} No snapshot is available; keep the file and ask for help."), problem=str(exc)
            ) from exc
        raise WorkspaceDamaged(
            N_("{problem} The newest good snapshot is {name}; restore it with: kpps --data {path} restore {name}"),
            problem=str(exc),
            name=snap.name,
            path=str(path),
        ) from exc


def start_session(ws: Workspace) -> backups.Snapshot:
    """A snapshot when an interactive session opens, so a bad afternoon can be undone."""
    return backups.take_snapshot(ws.root, "session")


def describe_snapshot(snap: backups.Snapshot) -> str:
    when = snap.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return _("{name}  ({when}, {reason})").format(name=snap.name, when=when, reason=snap.reason)
