"""The audit log: who changed what, when, from which session; append-only and crash-safe.

One JSON object per line in audit/log.jsonl, appended with O_APPEND and fsync while the
workspace lock is held. A line torn by a crash can only be the last one; readers skip it and
the next append starts on a fresh line. It is the one place personal data is logged.
"""

from __future__ import annotations

import getpass
import json
import os
import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from kpps_tui.store.files import FILE_MODE, ensure_private_dir
from kpps_tui.store.layout import AUDIT_DIR

AUDIT_FILE = "log.jsonl"


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def new_session_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class AuditEntry:
    at: str
    user: str
    session: str
    action: str
    subject: str  # a TPS code or a NIK
    before: dict | None
    after: dict | None

    def to_line(self) -> bytes:
        return (json.dumps(self.__dict__, sort_keys=True, separators=(",", ":")) + "\n").encode("ascii")


def log_path(root: Path) -> Path:
    return root / AUDIT_DIR / AUDIT_FILE


def append(root: Path, entry: AuditEntry) -> None:
    path = log_path(root)
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        line = entry.to_line()
        if _ends_torn(fd):
            line = b"\n" + line
        os.write(fd, line)
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
            try:
                yield AuditEntry(**json.loads(raw))
            except (ValueError, TypeError):
                continue  # a line torn by a crash
