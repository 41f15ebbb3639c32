"""Durable, private file writes: a crash leaves the old file or the new one, never half.

A workspace is private to its owner (folders 0700, files 0600) or shared by a Unix group
(folders setgid 2770, files 0660, all owned by that group). Which one a new file or folder
gets is read off the folder it is made in, and set explicitly, whatever the writer's umask."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.store.layout import GENERATION_FILE

FILE_MODE = 0o600
DIR_MODE = 0o700
SHARED_FILE_MODE = 0o660
SHARED_DIR_MODE = 0o2770


def shared_group(folder: Path) -> int | None:
    """The group id a folder is shared with (setgid, group may read, write and enter), or None
    for a private folder."""
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        return None
    mode = stat.S_IMODE(st.st_mode)
    return st.st_gid if mode & stat.S_ISGID and mode & 0o070 == 0o070 else None


def modes_for(folder: Path) -> tuple[int, int, int | None]:
    """(file mode, folder mode, group id or None) for what is made inside `folder`."""
    gid = shared_group(folder)
    if gid is None:
        return FILE_MODE, DIR_MODE, None
    return SHARED_FILE_MODE, SHARED_DIR_MODE, gid


def settle_mode(fd: int, folder: Path) -> None:
    """Give a file just opened (or made) in `folder` the mode and group the folder asks for.
    Only its owner can: a file of another member keeps what its owner gave it."""
    mode, _, gid = modes_for(folder)
    st = os.fstat(fd)
    if st.st_uid != os.geteuid() and os.geteuid() != 0:
        return
    if gid is not None and st.st_gid != gid:
        os.fchown(fd, -1, gid)
    if stat.S_IMODE(st.st_mode) != mode:
        os.fchmod(fd, mode)


def share_tree(root: Path, gid: int) -> None:
    """Make a whole workspace shared by group `gid`: every folder setgid 2770, every file 0660,
    all owned by that group (the folder first, so what is made meanwhile inherits it)."""
    os.chown(root, -1, gid)
    os.chmod(root, SHARED_DIR_MODE)
    for folder, dirs, names in os.walk(root):
        for name in dirs:
            os.chown(os.path.join(folder, name), -1, gid)
            os.chmod(os.path.join(folder, name), SHARED_DIR_MODE)
        for name in names:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                continue  # never follow a link out of the workspace
            os.chown(path, -1, gid)
            os.chmod(path, SHARED_FILE_MODE)


def open_created(path: Path, flags: int) -> int:
    """Open (O_CREAT, never through a link) with the file's mode and group settled as its
    folder asks."""
    fd = open_no_follow(path, flags | os.O_CREAT)
    try:
        settle_mode(fd, path.parent)
    except BaseException:
        os.close(fd)
        raise
    return fd


class UnsafeFile(KppsError):
    """A workspace file that is a symbolic link (or not a file at all): following it would read
    or write wherever the link points, so the program stops instead."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            N_("{path} is a symbolic link or not a plain file; a workspace file must be a file of its own: move it away and keep what it points to. Nothing was changed."),
            path=str(path),
        )
        self.path = path


def refuse_link(path: Path) -> None:
    """Raise UnsafeFile when `path` exists and is anything but a plain file; absent is fine."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    if not stat.S_ISREG(mode):
        raise UnsafeFile(path)


def open_no_follow(path: Path, flags: int) -> int:
    try:
        return os.open(path, flags | os.O_NOFOLLOW, FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFile(path) from exc
        raise


def ensure_private_dir(path: Path) -> None:
    """Make a folder (and its parents) private, or shared like the folder it is made in."""
    if not path.parent.is_dir():
        ensure_private_dir(path.parent)
    path.mkdir(mode=DIR_MODE, exist_ok=True)
    _, mode, gid = modes_for(path.parent)
    if gid is None and shared_group(path) is not None:
        return  # the root of a shared workspace: its own mode says so
    st = os.stat(path)
    if st.st_uid != os.geteuid() and os.geteuid() != 0:
        return  # another member's folder: its mode is theirs to set (`kpps check` reports it)
    if gid is not None and st.st_gid != gid:
        os.chown(path, -1, gid)
    if stat.S_IMODE(st.st_mode) != mode:
        os.chmod(path, mode)  # mkdir's mode is filtered by the umask; make it exact


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Write to a temporary file beside `path`, fsync it, rename over `path`, fsync the folder.

    A writer killed before the rename leaves its temporary file, named after its process id:
    remove_stale_temp_files takes those away once that process is gone."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        settle_mode(fd, path.parent)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


_TEMP_NAME = re.compile(r"\..+\.(\d+)\.[0-9a-f]{8}\.tmp")


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Remove the temporary files atomic_write_bytes left in `folder` when its process was killed
    mid-write; a file whose process still runs is being written and stays. Returns the removed."""
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    removed = []
    for name in names:
        match = _TEMP_NAME.fullmatch(name)
        if match and not _process_exists(int(match.group(1))):
            try:
                (folder / name).unlink()
            except FileNotFoundError:
                continue  # another session removed it first
            removed.append(folder / name)
    return removed


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # it exists, and belongs to another user
    return True


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def signature(path: Path) -> tuple[int, int, int] | None:
    """What changes whenever a file is replaced: inode, size, modification time."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


@contextmanager
def exclusive_lock(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on `lock_path` (released on close, even on a crash)."""
    fd = open_created(lock_path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def copy_private(src: Path, dst: Path) -> None:
    """Copy a file so that the copy is 0600 (or the group's 0660) from its first byte, never
    briefly readable by others."""
    ensure_private_dir(dst.parent)
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        settle_mode(fd, dst.parent)
        with open(src, "rb") as source, os.fdopen(os.dup(fd), "wb") as target:
            shutil.copyfileobj(source, target)
    finally:
        os.close(fd)


def read_generation(root: Path) -> bytes | None:
    """The workspace's write counter (see bump_generation), or None when there is none yet."""
    try:
        fd = open_no_follow(root / GENERATION_FILE, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        return os.pread(fd, 32, 0)
    finally:
        os.close(fd)


def bump_generation(root: Path) -> bytes:
    """Count one more write. Called holding the workspace lock, before the change's first file
    is written, so whoever takes the lock next sees a new value and looks at the files again.
    Not fsynced: after a power cut every session starts by reading every file anyway.
    A counter that is not a number (damaged) starts again from the clock: a value no session
    can have seen before, so every session looks at the files again."""
    fd = open_created(root / GENERATION_FILE, os.O_RDWR)
    try:
        current = os.pread(fd, 32, 0).strip() or b"0"
        number = int(current) if current.isdigit() else time.time_ns()
        value = str(number + 1).encode("ascii")
        os.pwrite(fd, value.ljust(20), 0)
        return value.ljust(20)
    finally:
        os.close(fd)
