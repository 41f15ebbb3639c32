"""The audit log: who changed what, when, from which session; append-only and crash-safe.

One JSON object per line in audit/log.jsonl, appended with O_APPEND and fsync while the
workspace lock is held. A line torn by a crash can only be the last one; readers skip it and
the next append starts on a fresh line. It is the one place personal data is logged.

A change is logged just before its file is written. A writer killed in between leaves an entry
for a change the files do not hold; the next writer finds it at the end of the log and adds an
INTERRUPTED entry that records what the files still hold (see Workspace.locked), so replaying
the log always gives the files.
"""

from __future__ import annotations

import getpass
import json
import os
import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpps_tui import clock
from kpps_tui.store.files import ensure_private_dir, open_no_follow
from kpps_tui.store.layout import AUDIT_DIR

AUDIT_FILE = "log.jsonl"
INTERRUPTED = "interrupted"  # the change logged just before did not reach the files
RESTORE = "restore"  # files replaced by a snapshot (subject: its name); earlier entries describe another state


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def new_session_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


def now_iso() -> str:
    return clock.stamp()


@dataclass(frozen=True)
class AuditEntry:
    at: str
    user: str
    session: str
    action: str
    subject: str  # a TPS code or a NIK
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def to_line(self) -> bytes:
        return (json.dumps(self.__dict__, sort_keys=True, separators=(",", ":")) + "\n").encode("ascii")


def log_path(root: Path) -> Path:
    return root / AUDIT_DIR / AUDIT_FILE


def append(root: Path, *entries: AuditEntry) -> None:
    """Append entries with one write and one fsync (a batch of thousands costs one flush)."""
    path = log_path(root)
    ensure_private_dir(path.parent)
    fd = open_no_follow(path, os.O_RDWR | os.O_APPEND | os.O_CREAT)  # never appended through a link
    try:
        lines = b"".join(entry.to_line() for entry in entries)
        if _ends_torn(fd):
            lines = b"\n" + lines
        view = memoryview(lines)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _ends_torn(fd: int) -> bool:
    size = os.fstat(fd).st_size
    return size > 0 and os.pread(fd, 1, size - 1) != b"\n"


def read(root: Path) -> Iterator[AuditEntry]:
    """Every whole entry, oldest first."""
    path = log_path(root)
    if not path.exists():
        return
    with path.open("rb") as f:
        for raw in f:
            entry = _parse(raw)
            if entry is not None:
                yield entry


def read_since(root: Path, offset: int) -> tuple[list[AuditEntry], int]:
    """The whole entries appended after byte `offset`, and the offset to read from next time
    (a line still being written is left for then). A log now shorter than `offset` was
    replaced: it is read from its start, and the offset returned is below the one given."""
    path = log_path(root)
    try:
        f = path.open("rb")
    except FileNotFoundError:
        return [], 0
    with f:
        size = f.seek(0, os.SEEK_END)
        if size < offset:
            offset = 0
        f.seek(offset)
        data = f.read(size - offset)
    end = data.rfind(b"\n") + 1
    found = [e for raw in data[:end].split(b"\n") if (e := _parse(raw)) is not None]
    return found, offset + end


def read_newest_first(root: Path, block: int = 8192) -> Iterator[AuditEntry]:
    """Every whole entry, newest first, reading from the end: cheap when only the last few matter."""
    try:
        f = log_path(root).open("rb")
    except FileNotFoundError:
        return
    with f:
        pos = f.seek(0, os.SEEK_END)
        rest = b""  # the end of a line that began in the block before
        while pos > 0:
            start = max(0, pos - block)
            f.seek(start)
            lines = (f.read(pos - start) + rest).split(b"\n")
            pos = start
            rest = lines.pop(0) if pos > 0 else b""
            for raw in reversed(lines):
                entry = _parse(raw)
                if entry is not None:
                    yield entry


def _parse(raw: bytes) -> AuditEntry | None:
    try:
        return AuditEntry(**json.loads(raw))
    except (ValueError, TypeError):
        return None  # a line torn by a crash (or the empty end of the file)
