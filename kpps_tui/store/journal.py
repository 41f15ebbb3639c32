"""A redo journal: a change that spans several files reaches all of them or none, also when the
process is killed midway.

While the outermost `Workspace.transaction()` is open, a `Batch` holds every write of that
workspace in memory: TinyDB files (DurableJSONStorage), raw files (`write_bytes`), deletions
(`delete`) and audit-log lines (store.audit.append). Reads through `read_bytes` (and so
`read_tinydb_file`) see what is staged. At the commit:

- one file (with or without log lines): no journal, as cheap as a single write always was: the
  log lines first, then the file (a kill in between is what Workspace._settle_log settles);
- more than one file: the journal `.journal` is written durably first (every target path with
  its full new bytes or "delete", the log's size before and the lines to append, a SHA-256 of
  all of it), then the write counter is bumped, each file is replaced atomically, the lines are
  appended, and the journal is removed.

Whoever next takes the workspace lock (`locked`), or opens the workspace, first settles a
journal it finds (`settle`): whole and checksum good -> rolled forward (every file written again,
the log cut back to its recorded size and the lines appended again: doing it twice gives the
same files); anything else (a journal cut short, garbage) -> removed, since nothing of it was
applied yet: the journal is renamed into place whole before its first file is touched.

A reader that never locks sees no half batch either: the counter is bumped after the journal
exists and before its first file is replaced, so a reader that found no journal and the same
counter before and after loading saw no batch being applied (Workspace.refresh).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Protocol

from kpps_tui.store.files import (
    atomic_write_bytes,
    bump_generation,
    ensure_private_dir,
    exclusive_lock,
    fsync_dir,
    UnsafeFile,
    open_created,
    refuse_link,
)
from kpps_tui.store.layout import AUDIT_DIR, BACKUP_DIR, JOURNAL_FILE, LOCK_FILE

MAGIC = b"KPPS-JOURNAL 1\n"
LOG = PurePosixPath(AUDIT_DIR, "log.jsonl")  # store.audit.log_path, relative


class StagedStorage(Protocol):
    """A TinyDB storage whose bytes are made at the commit (DurableJSONStorage)."""

    path: Path

    def payload(self) -> bytes: ...

    def settled(self) -> None: ...


class _Delete:
    """What a file staged for deletion becomes."""


class _NotStaged:
    """What `Batch.staged` says of a file the batch does not touch."""


_DELETE = _Delete()
NOT_STAGED = _NotStaged()
Target = bytes | None  # a file's new bytes, or None: deleted


class Batch:
    """The writes of one transaction on one workspace, held until `commit`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.abspath(root))
        self._prefix = str(self.root) + os.sep
        self._files: dict[str, StagedStorage | bytes | _Delete] = {}  # relative path -> what it becomes
        self.log_size: int | None = None  # the log's size when its first line was staged
        self.log_prev = ""  # the hash the next staged line chains to
        self.log_lines: list[bytes] = []

    def relative(self, path: Path) -> str | None:
        """`path` relative to the workspace (POSIX), or None when it lies outside it."""
        absolute = os.path.abspath(path)
        if not absolute.startswith(self._prefix):
            return None
        return PurePosixPath(Path(absolute[len(self._prefix):])).as_posix()

    def stage_storage(self, rel: str, storage: StagedStorage) -> None:
        self._files[rel] = storage

    def stage_bytes(self, rel: str, payload: bytes) -> None:
        self._files[rel] = payload

    def stage_delete(self, rel: str) -> None:
        self._files[rel] = _DELETE

    def staged(self, rel: str) -> Target | _NotStaged:
        """The staged bytes of a file, None when staged for deletion, NOT_STAGED otherwise."""
        if rel not in self._files:
            return NOT_STAGED
        target = self._files[rel]
        if isinstance(target, _Delete):
            return None
        if isinstance(target, bytes):
            return target
        return target.payload()

    def written(self) -> set[str]:
        """The files this batch writes (not the ones it deletes), relative to the workspace."""
        return {rel for rel, target in self._files.items() if target is not _DELETE}

    def deleted(self) -> set[str]:
        return {rel for rel, target in self._files.items() if target is _DELETE}

    def empty(self) -> bool:
        return not self._files and not self.log_lines

    def commit(self) -> bytes | None:
        """Make every staged write durable, all of them or none; returns the write counter's
        new value, or None when nothing was staged."""
        if self.empty():
            return None
        targets = {rel: _target(self.staged(rel)) for rel in sorted(self._files)}
        log = b"".join(self.log_lines)
        if len(targets) <= 1:
            generation = bump_generation(self.root)
            if log:
                _append_log(self.root, self.log_size or 0, log, cut_back=False)
            for rel, payload in targets.items():
                _apply(self.root, rel, payload)
        else:
            atomic_write_bytes(self.root / JOURNAL_FILE, _encode(targets, self.log_size, log))
            generation = bump_generation(self.root)
            _roll_forward(self.root, targets, self.log_size, log)
        for target in self._files.values():
            if not isinstance(target, (bytes, _Delete)):
                target.settled()
        return generation


def _target(staged: Target | _NotStaged) -> Target:
    assert not isinstance(staged, _NotStaged)
    return staged

_local = threading.local()  # the batch of each thread's open transaction, by workspace


def _active() -> dict[str, Batch]:
    found: dict[str, Batch] | None = getattr(_local, "batches", None)
    if found is None:
        found = _local.batches = {}
    return found


@contextmanager
def batch(root: Path) -> Iterator[Batch]:
    """Stage this thread's writes to the workspace at `root` until the block ends; the caller
    commits (Batch.commit) or lets the batch go (nothing reaches the files)."""
    staged = Batch(root)
    active = _active()
    key = str(staged.root)
    if key in active:
        raise RuntimeError("a batch is already open on this workspace")
    active[key] = staged
    try:
        yield staged
    finally:
        del active[key]


def batch_for(path: Path) -> tuple[Batch, str] | None:
    """The open batch of this thread that `path` belongs to, with the path relative to it."""
    active = getattr(_local, "batches", None)
    if not active:
        return None
    for staged in active.values():
        rel = staged.relative(path)
        if rel is not None:
            return staged, rel
    return None


def open_batch(root: Path) -> Batch | None:
    active = getattr(_local, "batches", None)
    return active.get(os.path.abspath(root)) if active else None


def write_bytes(path: Path, payload: bytes) -> None:
    """Write a whole file durably: staged when a batch is open on its workspace."""
    found = batch_for(path)
    if found is None:
        atomic_write_bytes(path, payload)
    else:
        found[0].stage_bytes(found[1], payload)


def delete(path: Path) -> None:
    """Remove a file: staged when a batch is open on its workspace."""
    found = batch_for(path)
    if found is None:
        path.unlink(missing_ok=True)
        fsync_dir(path.parent)
    else:
        found[0].stage_delete(found[1])


def read_bytes(path: Path) -> bytes:
    """A file's bytes as this thread's open batch will leave them (FileNotFoundError when it
    deletes it), else as on disk."""
    found = batch_for(path)
    if found is not None:
        staged = found[0].staged(found[1])
        if staged is None:
            raise FileNotFoundError(2, "No such file or directory", str(path))
        if isinstance(staged, bytes):
            return staged
    return path.read_bytes()


def staged_here(path: Path) -> bool:
    """Whether this thread's open batch writes `path` (not deletes it)."""
    found = batch_for(path)
    return found is not None and isinstance(found[0].staged(found[1]), bytes)


def exists(path: Path) -> bool:
    found = batch_for(path)
    if found is not None:
        staged = found[0].staged(found[1])
        if not isinstance(staged, _NotStaged):
            return staged is not None
    return path.exists()


def names_in(folder: Path, suffix: str) -> list[Path]:
    """The files ending in `suffix` in `folder` as the open batch will leave them, sorted."""
    names = {p.name for p in folder.glob(f"*{suffix}")} if folder.is_dir() else set()
    found = batch_for(folder / "x")
    if found is not None:
        staged, rel = found
        parent = PurePosixPath(rel).parent.as_posix()
        for name in staged.written():
            if PurePosixPath(name).parent.as_posix() == parent and name.endswith(suffix):
                names.add(PurePosixPath(name).name)
        for name in staged.deleted():
            if PurePosixPath(name).parent.as_posix() == parent:
                names.discard(PurePosixPath(name).name)
    return [folder / name for name in sorted(names)]


# ---- the journal on disk ---------------------------------------------------------------------


def _encode(targets: dict[str, Target], log_size: int | None, log: bytes) -> bytes:
    header = {
        "files": [
            {"path": rel, "delete": True} if payload is None else {"path": rel, "size": len(payload)}
            for rel, payload in targets.items()
        ],
        "log": {"size": log_size, "bytes": len(log)},
    }
    body = MAGIC + json.dumps(header, sort_keys=True).encode("ascii") + b"\n"
    body += b"".join(p for p in targets.values() if isinstance(p, bytes)) + log
    return body + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n"


def _decode(raw: bytes) -> tuple[dict[str, Target], int | None, bytes] | None:
    """The journal's targets, log size and lines, or None for one that is not whole."""
    if len(raw) < 65 or not raw.startswith(MAGIC) or not raw.endswith(b"\n"):
        return None
    body, digest = raw[:-65], raw[-65:-1]
    if hashlib.sha256(body).hexdigest().encode("ascii") != digest:
        return None
    try:
        end = body.index(b"\n", len(MAGIC))
        header = json.loads(body[len(MAGIC):end])
        offset = end + 1
        targets: dict[str, Target] = {}
        for item in header["files"]:
            rel = item["path"]
            if not _safe(rel):
                return None
            if item.get("delete") is True:
                targets[rel] = None
                continue
            size = item["size"]
            if type(size) is not int or size < 0 or offset + size > len(body):
                return None
            targets[rel] = body[offset:offset + size]
            offset += size
        log_size, log_bytes = header["log"]["size"], header["log"]["bytes"]
        if log_size is not None and (type(log_size) is not int or log_size < 0):
            return None
        if type(log_bytes) is not int or offset + log_bytes != len(body):
            return None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return targets, log_size, body[offset:]


def _safe(rel: object) -> bool:
    """A path the journal may write: inside the workspace, not the log, a snapshot, the lock."""
    if not isinstance(rel, str) or not rel or rel.startswith("/") or "\\" in rel:
        return False
    parts = PurePosixPath(rel).parts
    return (
        all(p not in ("", ".", "..") and not p.startswith(".") for p in parts)
        and parts[0] not in (AUDIT_DIR, BACKUP_DIR)
    )


def pending(root: Path) -> bool:
    """A journal waits in the workspace: a batch being applied now, or one cut short."""
    return os.path.lexists(Path(root) / JOURNAL_FILE)


def settle(root: Path) -> bool:
    """Finish or drop a journal left in the workspace. Call holding the lock. True when one was
    rolled forward (the files changed: memory must look at them again)."""
    path = Path(root) / JOURNAL_FILE
    if not os.path.lexists(path):
        return False
    decoded = None
    try:
        refuse_link(path)
        decoded = _decode(path.read_bytes())
    except (OSError, UnsafeFile):
        decoded = None  # a link (removed, never followed) or unreadable: not one this program wrote
    if decoded is None:
        path.unlink(missing_ok=True)  # cut short or garbage: nothing of it was applied
        fsync_dir(path.parent)
        return False
    targets, log_size, log = decoded
    bump_generation(Path(root))
    _roll_forward(Path(root), targets, log_size, log)
    return True


def _roll_forward(root: Path, targets: dict[str, Target], log_size: int | None, log: bytes) -> None:
    for rel, payload in targets.items():
        _apply(root, rel, payload)
    if log:
        _append_log(root, log_size or 0, log, cut_back=True)
    os.unlink(root / JOURNAL_FILE)
    fsync_dir(root)  # gone for good: a later batch must never see this one again


def _apply(root: Path, rel: str, payload: Target) -> None:
    path = root / rel
    if payload is None:
        if os.path.lexists(path):
            path.unlink()
            fsync_dir(path.parent)
        return
    ensure_private_dir(path.parent)
    atomic_write_bytes(path, payload)


def _append_log(root: Path, size: int, lines: bytes, cut_back: bool) -> None:
    """Append a batch's log lines; `cut_back`: a second time, after whatever part of them the
    first attempt appended is cut off again (the log held `size` bytes before them)."""
    path = root / LOG
    ensure_private_dir(path.parent)
    fd = open_created(path, os.O_RDWR)
    try:
        current = os.fstat(fd).st_size
        if cut_back and current >= size:
            os.ftruncate(fd, size)
            current = size
        view = memoryview(lines)
        offset = current
        while view:
            written = os.pwrite(fd, view, offset)
            view, offset = view[written:], offset + written
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the workspace's write lock, a journal left by a killed writer settled first."""
    with exclusive_lock(Path(root) / LOCK_FILE):
        settle(root)
        yield
