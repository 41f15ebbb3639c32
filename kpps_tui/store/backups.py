"""Snapshots of a workspace: taken when a session opens and every few minutes of changes.

A snapshot is a copy of every data file in backups/<UTC time>-<reason>/. It is written into a
hidden folder and renamed into place once flushed, so a listed snapshot is always whole; the
hidden folder of a snapshot cut short by a crash is removed by the next one. The audit log is
not part of it: history is never rolled back (a restore is logged).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from kpps_tui import clock
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.store import audit, replay
from kpps_tui.store.files import (
    atomic_write_bytes,
    bump_generation,
    copy_private,
    ensure_private_dir,
    exclusive_lock,
    fsync_dir,
)
from kpps_tui.store.layout import (
    AUDIT_DIR,
    BACKUP_DIR,
    FILES_TABLE,
    KEPT_ON_RESTORE,
    LOCK_FILE,
    SCHEMA_VERSION,
    WORKSPACE_FILE,
)
from kpps_tui.store.storage import DamagedFile, read_tinydb_file

KEEP = 20
EVERY = timedelta(minutes=10)
STAMP = "%Y%m%d-%H%M%S-%f"


@dataclass(frozen=True)
class Snapshot:
    name: str
    path: Path

    @property
    def taken_at(self) -> datetime:
        stamp = "-".join(self.name.split("-")[:3])
        return datetime.strptime(stamp, STAMP).replace(tzinfo=timezone.utc)

    @property
    def reason(self) -> str:
        return self.name.split("-", 3)[3]


def data_files(root: Path) -> list[Path]:
    """The workspace's data, relative to its folder: not the log, the backups or the lock."""
    skip = {AUDIT_DIR, BACKUP_DIR}
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if rel.parts[0] in skip or path.name.startswith(".") or not path.is_file():
            continue
        found.append(rel)
    return sorted(found)


_SNAPSHOT_NAME = re.compile(r"\d{8}-\d{6}-\d{6}-[a-z-]+")


def snapshots(root: Path) -> list[Snapshot]:
    """Whole snapshots, newest first. A folder not named as this program names them (put there
    by hand, or by something else) is not one: it is neither listed, restored nor rotated away."""
    folder = root / BACKUP_DIR
    if not folder.is_dir():
        return []
    names = [
        p.name
        for p in folder.iterdir()
        if _SNAPSHOT_NAME.fullmatch(p.name) and p.is_dir() and not p.is_symlink() and _parses(p.name)
    ]
    return [Snapshot(n, folder / n) for n in sorted(names, reverse=True)]


def _parses(name: str) -> bool:
    try:
        Snapshot(name, Path(name)).taken_at
    except ValueError:  # 20241399-...: digits, but no time
        return False
    return True


def due(root: Path, every: timedelta = EVERY) -> bool:
    taken = snapshots(root)
    return not taken or clock.now() - taken[0].taken_at >= every


def take_snapshot(root: Path, reason: str) -> Snapshot:
    with exclusive_lock(root / LOCK_FILE):
        return copy_snapshot(root, reason)


def copy_snapshot(root: Path, reason: str) -> Snapshot:
    """Copy the data files; the caller holds the workspace lock so the copy is consistent."""
    folder = root / BACKUP_DIR
    ensure_private_dir(folder)
    for left in folder.iterdir():
        if left.name.startswith(".") and left.is_dir():
            shutil.rmtree(left, ignore_errors=True)  # cut short by a crash: we hold the lock, no one writes it
    name = f"{clock.now().strftime(STAMP)}-{reason}"
    partial = folder / f".{name}"
    ensure_private_dir(partial)
    for rel in data_files(root):
        copy_private(root / rel, partial / rel)
    os.sync()  # one flush for all the copies, before the snapshot becomes visible
    os.rename(partial, folder / name)
    fsync_dir(folder)
    _rotate(root)
    return Snapshot(name, folder / name)


def _rotate(root: Path, keep: int = KEEP) -> None:
    for old in snapshots(root)[keep:]:
        # Hidden first, in one rename: a crash while deleting never leaves a listed snapshot
        # with files missing (restoring one would delete the files it lacks).
        doomed = old.path.with_name(f".{old.name}")
        try:
            os.rename(old.path, doomed)
        except OSError:
            continue  # kept one more round; never worth failing a change for
        shutil.rmtree(doomed, ignore_errors=True)


def newest_good(root: Path) -> Snapshot | None:
    """The newest snapshot whose every file is readable JSON, with the schema version this
    program reads (for a damaged workspace)."""
    for snap in snapshots(root):
        try:
            for rel in data_files(snap.path):
                if rel.suffix == ".json":
                    read_tinydb_file(snap.path / rel)
            main = read_tinydb_file(snap.path / WORKSPACE_FILE)
            meta = main.get("meta", {}).get("1")
            if not _holds_listed_files(snap.path, main):
                continue
        except DamagedFile:
            continue
        version = meta.get("schema_version") if isinstance(meta, dict) else None
        if type(version) is int and version == SCHEMA_VERSION:
            return snap
    return None


def _holds_listed_files(folder: Path, main: dict[str, dict[str, Any]]) -> bool:
    """Every file the snapshot's workspace.json lists is in the snapshot, as a file."""
    listed = main.get(FILES_TABLE, {}).get("1")
    paths = listed.get("paths") if isinstance(listed, dict) else []
    if not isinstance(paths, list):
        return False
    return all(isinstance(rel, str) and (folder / rel).is_file() and not (folder / rel).is_symlink() for rel in paths)


def find(root: Path, name: str) -> Snapshot:
    for snap in snapshots(root):
        if snap.name == name:
            return snap
    raise KppsError(N_("There is no snapshot named {name}; `kpps restore` lists them."), name=name)


def restore(root: Path, name: str) -> Snapshot:
    """Put a snapshot's files back, after keeping the current state as a snapshot of its own.

    Card records and the signing key stay as they are (layout.KEPT_ON_RESTORE); the caller
    revokes the cards whose seat the restore gave to someone else (services.recovery)."""
    chosen = find(root, name)
    with exclusive_lock(root / LOCK_FILE):
        kept = copy_snapshot(root, "before-restore")
        entry = audit.AuditEntry(audit.now_iso(), audit.current_user(), audit.new_session_id(), audit.RESTORE, chosen.name, None, None)
        audit.append(root, entry)  # first, like every change: a restore cut short is still on record
        bump_generation(root)  # open sessions must look at every file again
        wanted = {rel for rel in data_files(chosen.path) if rel.parts[0] not in KEPT_ON_RESTORE}
        for rel in sorted(wanted):
            ensure_private_dir((root / rel).parent)
            atomic_write_bytes(root / rel, (chosen.path / rel).read_bytes())
        for rel in set(data_files(root)) - wanted:
            if rel.parts[0] not in KEPT_ON_RESTORE:
                (root / rel).unlink()  # made after the snapshot; still in the before-restore one
        # What the files hold now is where replaying the log starts again.
        audit.append(root, replay.anchor_entry(root, entry.user, entry.session))
    return kept
