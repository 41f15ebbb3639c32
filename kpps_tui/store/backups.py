"""Snapshots of a workspace: taken when a session opens and every few minutes of changes.

A snapshot is a copy of every data file in backups/<UTC time>-<reason>/. It is written into a
hidden folder and renamed into place once flushed, so a listed snapshot is always whole; the
hidden folder of a snapshot cut short by a crash is removed by the next one. The audit log is
not part of it: history is never rolled back (a restore is logged).

A restore checks the whole snapshot before it touches anything, and lands as one batch
(store.journal): its files, the files it removes and its log entries, all of them or none.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from kpps_tui import clock
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.store import audit, journal, replay
from kpps_tui.store.files import (
    copy_private,
    ensure_private_dir,
    fsync_dir,
)
from kpps_tui.store.layout import (
    AUDIT_DIR,
    BACKUP_DIR,
    FILES_TABLE,
    KEPT_ON_RESTORE,
    SCHEMA_VERSION,
    WORKSPACE_FILE,
)
from kpps_tui.store.storage import DamagedFile, check_pem, read_tinydb_file

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
    with journal.locked(root):
        return copy_snapshot(root, reason)


def copy_snapshot(root: Path, reason: str, spare: str | None = None) -> Snapshot:
    """Copy the data files; the caller holds the workspace lock so the copy is consistent.
    `spare`: a snapshot the rotation must not take away (the one being restored)."""
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
    _rotate(root, spare=spare)
    return Snapshot(name, folder / name)


def _rotate(root: Path, keep: int = KEEP, spare: str | None = None) -> None:
    for old in snapshots(root)[keep:]:
        if old.name == spare:
            continue  # the one being restored: rotated away by a later snapshot, not this one
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
        if snapshot_problem(snap.path) is None:
            return snap
    return None


class UnfitSnapshot(KppsError):
    pass


def snapshot_problem(folder: Path) -> UnfitSnapshot | None:
    """What makes a snapshot unfit to restore, or None when it is whole: every file parses
    (TinyDB JSON, PEM key), workspace.json has the schema version this program reads, and
    every file it lists is there."""
    name = folder.name
    try:
        for rel in data_files(folder):
            if rel.suffix == ".json":
                read_tinydb_file(folder / rel)
            elif rel.suffix == ".pem":
                check_pem(folder / rel)
        if not (folder / WORKSPACE_FILE).is_file():
            return _lacks(name, WORKSPACE_FILE)
        main = read_tinydb_file(folder / WORKSPACE_FILE)
    except DamagedFile as exc:
        return UnfitSnapshot(
            N_("The snapshot {name} cannot be restored: its file {file} is damaged. Nothing was changed; choose another one from `kpps restore`."),
            name=name,
            file=_relative(folder, exc.path),
        )
    meta = main.get("meta", {}).get("1")
    version = meta.get("schema_version") if isinstance(meta, dict) else None
    if type(version) is not int or version != SCHEMA_VERSION:
        return UnfitSnapshot(
            N_("The snapshot {name} cannot be restored: its {file} has schema version {found}, and this program reads version {expected}. Nothing was changed."),
            name=name,
            file=WORKSPACE_FILE,
            found=repr(version),
            expected=SCHEMA_VERSION,
        )
    missing = _missing_listed_files(folder, main)
    return None if missing is None else _lacks(name, missing)


def _lacks(name: str, rel: str) -> UnfitSnapshot:
    return UnfitSnapshot(
        N_("The snapshot {name} cannot be restored: it lacks {file}, a file of the workspace. Nothing was changed; choose another one from `kpps restore`."),
        name=name,
        file=rel,
    )


def _relative(folder: Path, path: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return str(path)


def _missing_listed_files(folder: Path, main: dict[str, dict[str, Any]]) -> str | None:
    """The first file the snapshot's workspace.json lists that is not in it as a file."""
    listed = main.get(FILES_TABLE, {}).get("1")
    paths = listed.get("paths") if isinstance(listed, dict) else []
    if not isinstance(paths, list):
        return FILES_TABLE
    for rel in paths:
        if not isinstance(rel, str) or not (folder / rel).is_file() or (folder / rel).is_symlink():
            return str(rel)
    return None


def find(root: Path, name: str) -> Snapshot:
    for snap in snapshots(root):
        if snap.name == name:
            return snap
    raise KppsError(N_("There is no snapshot named {name}; `kpps restore` lists them."), name=name)


def restore(root: Path, name: str, with_batch: Callable[[], None] | None = None) -> Snapshot:
    """Put a snapshot's files back, after keeping the current state as a snapshot of its own.
    The whole snapshot is checked first; its files, the removal of files it does not hold and
    the log's entries land together (one journaled batch) or not at all.

    Card records, the signing key and the users stay as they are (layout.KEPT_ON_RESTORE),
    unless the present one is missing or damaged: then the snapshot's copy is taken. The
    caller revokes the cards whose seat the restore gave to someone else in `with_batch`, run
    inside the batch before its commit, so that those revocations land with the restore
    (services.recovery)."""
    with journal.locked(root):
        chosen = find(root, name)
        problem = snapshot_problem(chosen.path)
        if problem is not None:
            raise problem
        payloads = {rel: (chosen.path / rel).read_bytes() for rel in data_files(chosen.path)}
        kept = copy_snapshot(root, "before-restore", spare=chosen.name)
        present = set(data_files(root))
        with journal.batch(root) as staged:
            entry = audit.AuditEntry(audit.now_iso(), audit.current_user(), audit.new_session_id(), audit.RESTORE, chosen.name, None, None)
            audit.append(root, entry)
            for rel, payload in sorted(payloads.items()):
                if rel.parts[0] not in KEPT_ON_RESTORE or not _sound(root / rel):
                    journal.write_bytes(root / rel, payload)
            for rel in sorted(present - set(payloads)):
                if rel.parts[0] not in KEPT_ON_RESTORE:
                    journal.delete(root / rel)  # made after the snapshot; still in the before-restore one
            # What the files hold now is where replaying the log starts again.
            audit.append(root, replay.anchor_entry(root, entry.user, entry.session))
            if with_batch is not None:
                with_batch()
            staged.commit()  # open sessions look at every file again: the write counter moves
    return kept


def _sound(path: Path) -> bool:
    """A present file kept on restore that is whole (else the snapshot's copy is taken)."""
    if not path.is_file() or path.is_symlink():
        return False
    try:
        if path.suffix == ".json":
            read_tinydb_file(path)
        elif path.suffix == ".pem":
            check_pem(path)
    except DamagedFile:
        return False
    return True
