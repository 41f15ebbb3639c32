"""Opening a workspace safely: a damaged file stops with the way back, never an overwrite."""

from __future__ import annotations

from pathlib import Path

from kpps_tui.domain.roles import AdminTask
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.store import audit, backups, users
from kpps_tui.store.storage import DamagedFile
from kpps_tui.store.workspace import Workspace
from kpps_tui.store.workspace import lost_its_main_file as _lost


class WorkspaceDamaged(KppsError):
    pass


def open_workspace(path: Path) -> Workspace:
    """Open the workspace, or raise a sentence that names the newest good snapshot."""
    path = Path(path)
    try:
        ws = Workspace.open(path)
        with ws.locked():
            pass  # a session killed mid-change gets its `interrupted` line in the log now
            damage = audit.chain_damage(path, expected=users.users_path(path).exists())
        if damage is not None:
            raise damage
    except DamagedFile as exc:
        if exc.path == audit.log_path(path):
            raise WorkspaceDamaged(
                N_("{problem} The history of changes cannot be trusted: keep the file for an inquiry; an admin sets it aside and starts a new log with `kpps --data {path} seal-log`, and `kpps check` then compares the files with it."),
                problem=str(exc),
                path=str(path),
            ) from exc
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
    return ws


def seal_log(path: Path) -> Path:
    """An admin's way on after a damaged audit log: keep it aside, start a new chain from the
    files as they are (Workspace.seal_log). Opens without verifying the log, which is damaged."""
    return Workspace.open(Path(path)).seal_log()


def restore(root: Path, name: str) -> backups.Snapshot:
    """Restore a snapshot (the present is kept as one first), then withdraw every ID card whose
    seat the restored state gives to someone else. Returns the snapshot of the present."""
    from kpps_tui.services.cards import revoke_stale_cards  # cards load only when asked

    Workspace.access_of(Path(root)).require(AdminTask.RESTORE)  # the files may be damaged
    kept = backups.restore(Path(root), name)
    revoke_stale_cards(Workspace.open(Path(root)))
    return kept


def start_session(ws: Workspace) -> backups.Snapshot:
    """A snapshot when an interactive session opens, so a bad afternoon can be undone."""
    return backups.take_snapshot(ws.root, "session")


def describe_snapshot(snap: backups.Snapshot) -> str:
    when = snap.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return _("{name}  ({when}, {reason})").format(name=snap.name, when=when, reason=snap.reason)


def lost_its_main_file(path: Path) -> bool:
    """Damage, not an empty folder: workspace.json is gone but the data or snapshots are there."""
    return _lost(Path(path))
