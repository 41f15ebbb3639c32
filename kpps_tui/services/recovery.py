"""Opening a workspace safely: a damaged file stops with the way back, never an overwrite."""

from __future__ import annotations

from pathlib import Path

from kpps_tui.domain.roles import AdminTask
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.store import audit, backups, users
from kpps_tui.store.layout import KEY_DIR, PRIVATE_KEY_FILE
from kpps_tui.store.storage import DamagedFile
from kpps_tui.store.workspace import Workspace
from kpps_tui.store.workspace import lost_its_main_file as _lost


class WorkspaceDamaged(KppsError):
    pass


def open_workspace(path: Path, defer_people: bool = False) -> Workspace:
    """Open the workspace, or raise a sentence that names the newest good snapshot. Damage
    found later, while working (a card file damaged under an open session, or a people file
    read after a deferred open: Workspace.open), says the same."""
    path = Path(path)
    try:
        ws = Workspace.open(path, defer_people=defer_people)
        ws.explain_damage = lambda exc: explain_damage(path, exc)
        with ws.locked():
            pass  # a session killed mid-change gets its `interrupted` line in the log now
            damage = audit.chain_damage(path, expected=users.users_path(path).exists())
        if damage is not None:
            raise damage
    except DamagedFile as exc:
        raise explain_damage(path, exc) from exc
    return ws


def explain_damage(path: Path, exc: DamagedFile) -> WorkspaceDamaged:
    """The sentence for a damaged file: the problem and the way back (the snapshot to restore,
    for the signing key the newest one that holds it)."""
    if exc.path == audit.log_path(path):
        return WorkspaceDamaged(
            N_("{problem} The history of changes cannot be trusted: keep the file for an inquiry; an admin sets it aside and starts a new log with `kpps --data {path} seal-log`, and `kpps check` then compares the files with it."),
            problem=str(exc),
            path=str(path),
        )
    if exc.path == path / KEY_DIR / PRIVATE_KEY_FILE:
        snap = newest_holding(path, exc.path.relative_to(path))
        if snap is None:
            return WorkspaceDamaged(
                N_("{problem} No snapshot holds the key; keep the printed cards aside and ask for help."), problem=str(exc)
            )
        return WorkspaceDamaged(
            N_("{problem} The newest snapshot holding the key is {name}; restore it with: kpps --data {path} restore {name}"),
            problem=str(exc),
            name=snap.name,
            path=str(path),
        )
    snap = backups.newest_good(path)
    if snap is None:
        return WorkspaceDamaged(N_("{problem} No snapshot is available; keep the file and ask for help."), problem=str(exc))
    return WorkspaceDamaged(
        N_("{problem} The newest good snapshot is {name}; restore it with: kpps --data {path} restore {name}"),
        problem=str(exc),
        name=snap.name,
        path=str(path),
    )


def newest_holding(root: Path, rel: Path) -> backups.Snapshot | None:
    """The newest good snapshot that holds the file `rel` whole (the signing key: a restore
    takes it from there when the live one is gone)."""
    good = backups.newest_good(root)
    for snap in backups.snapshots(root):
        if good is not None and snap.taken_at > good.taken_at:
            continue  # newer than the newest good one: some file of it is damaged
        path = snap.path / rel
        if path.is_file() and not path.is_symlink() and path.stat().st_size:
            return snap
    return None


def seal_log(path: Path) -> Path:
    """An admin's way on after a damaged audit log: keep it aside, start a new chain from the
    files as they are (Workspace.seal_log). Opens without verifying the log, which is damaged."""
    return Workspace.open(Path(path)).seal_log()


def restore(root: Path, name: str) -> backups.Snapshot:
    """Restore a snapshot (the present is kept as one first) and withdraw every ID card whose
    seat the restored state gives to someone else, in one batch: a kill can never leave the
    restored seats with a departed officer's card valid. Returns the snapshot of the present."""
    root = Path(root)
    Workspace.access_of(root).require(AdminTask.RESTORE)  # the files may be damaged

    def withdraw_stale_cards() -> None:
        # The workspace as the batch leaves it (reads see what it staged); its revocations
        # and their log lines are staged into the same batch.
        Workspace.open(root).revoke_stale_cards()

    return backups.restore(root, name, with_batch=withdraw_stale_cards)


def take_backup(ws: Workspace) -> backups.Snapshot:
    """A snapshot asked for by the user (`kpps backup`)."""
    return backups.take_snapshot(ws.root, "manual")


def snapshots(root: Path) -> list[backups.Snapshot]:
    """The snapshots there are to restore, newest first."""
    return backups.snapshots(Path(root))


def find_snapshot(root: Path, name: str) -> backups.Snapshot:
    return backups.find(Path(root), name)


def start_session(ws: Workspace) -> backups.Snapshot:
    """A snapshot when an interactive session opens, so a bad afternoon can be undone."""
    return backups.take_snapshot(ws.root, "session")


def describe_snapshot(snap: backups.Snapshot) -> str:
    when = snap.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return _("{name}  ({when}, {reason})").format(name=snap.name, when=when, reason=snap.reason)


def lost_its_main_file(path: Path) -> bool:
    """Damage, not an empty folder: workspace.json is gone but the data or snapshots are there."""
    return _lost(Path(path))
