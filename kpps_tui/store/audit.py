"""The audit log: who changed what, when, from which session; append-only and crash-safe.

One JSON object per line in audit/log.jsonl, appended with O_APPEND and fsync while the
workspace lock is held. A line torn by a crash can only be the last one; readers skip it and
the next append starts on a fresh line. It is the one place personal data is logged.

A change is logged just before its file is written. A writer killed in between leaves an entry
for a change the files do not hold; the next writer finds it at the end of the log and adds an
INTERRUPTED entry that records what the files still hold (see Workspace.locked), so replaying
the log always gives the files.

The log is a hash chain: each line begins with `prev`, the SHA-256 of the line before it (the
first chained line: of every byte before it, so a log written before the chain is sealed
too). An ANCHOR line holds a digest of every record the files held when it was written (a new
workspace, a log first chained, a restore): replaying the entries after the last anchor must
give the files (services.integrity). Lines cut out or changed break the chain; a cut line at
the end, an emptied or a deleted log is damage (verify_tail), not "no history".
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpps_tui import clock
from kpps_tui.store import journal
from kpps_tui.store.files import atomic_write_bytes, ensure_private_dir, open_created
from kpps_tui.store.layout import AUDIT_DIR
from kpps_tui.store.storage import DamagedFile, parse_json

AUDIT_FILE = "log.jsonl"
INTERRUPTED = "interrupted"  # the change logged just before did not reach the files
RESTORE = "restore"  # files replaced by a snapshot (subject: its name); earlier entries describe another state
ANCHOR = "anchor"  # digests of every record the files hold (after: {subject: digest}); not a change
PREV_PREFIX = b'{"prev":"'
HASH_LEN = 64


def current_user() -> str:
    """The OS login of this process (its effective user id), never a name it was told: the
    environment's USER or LOGNAME could say anything."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())


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
    prev: str = ""  # SHA-256 of the line before (hex); "" in a log written before the chain

    def to_line(self, prev: str | None = None) -> bytes:
        """The entry's line, `prev` first so the chain can be checked without parsing JSON."""
        fields = {k: v for k, v in sorted(self.__dict__.items()) if k != "prev"}
        body = json.dumps(fields, sort_keys=True, separators=(",", ":"))
        return f'{{"prev":"{self.prev if prev is None else prev}",{body[1:]}\n'.encode("ascii")


def line_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def log_path(root: Path) -> Path:
    return root / AUDIT_DIR / AUDIT_FILE


def append(root: Path, *entries: AuditEntry) -> None:
    """Append entries, each chained to the line before, with one write and one fsync (a batch
    of thousands costs one flush). Call holding the workspace lock. A log that ends in a cut
    line is damaged: nothing is appended to it. Inside a transaction the lines are staged and
    land with the batch's files (store.journal)."""
    path = log_path(root)
    staged = journal.open_batch(root)
    if staged is not None:
        if staged.log_size is None:
            staged.log_prev, staged.log_size = _log_end(path)
        prev = staged.log_prev
        for entry in entries:
            line = entry.to_line(prev)
            staged.log_lines.append(line)
            prev = line_hash(line[:-1])
        staged.log_prev = prev
        return
    ensure_private_dir(path.parent)
    fd = open_created(path, os.O_RDWR | os.O_APPEND)
    try:
        prev = _hash_of_last_line(fd, path)
        chunks = []
        for entry in entries:
            line = entry.to_line(prev)
            chunks.append(line)
            prev = line_hash(line[:-1])
        view = memoryview(b"".join(chunks))
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _log_end(path: Path) -> tuple[str, int]:
    """What the next line's `prev` must be, and the log's size now (made at the commit)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return line_hash(b""), 0
    try:
        return _hash_of_last_line(fd, path), os.fstat(fd).st_size
    finally:
        os.close(fd)


def _hash_of_last_line(fd: int, path: Path, block: int = 65536) -> str:
    """What the next line's `prev` must be: the hash of the last line, or, when the log holds
    no chained line at its end (a log from before the chain), of everything in it."""
    size = os.fstat(fd).st_size
    if size == 0:
        return line_hash(b"")
    if os.pread(fd, 1, size - 1) != b"\n":
        raise DamagedFile(path, "the last line is cut")
    end = size - 1
    start = end
    tail = b""
    while start > 0:
        start = max(0, start - block)
        tail = os.pread(fd, end - start, start)
        cut = tail.rfind(b"\n")
        if cut >= 0:
            tail = tail[cut + 1:]
            break
    if tail.startswith(PREV_PREFIX):
        return line_hash(tail)
    whole = hashlib.sha256()
    offset = 0
    while offset < size:
        chunk = os.pread(fd, min(block * 16, size - offset), offset)
        whole.update(chunk)
        offset += len(chunk)
    return whole.hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    line: int  # 1-based line number in the log; 0: the log as a whole
    reason: str  # "missing", "empty", "cut", "unreadable", "unchained", "broken"


def verify_chain(root: Path, expected: bool) -> ChainBreak | None:
    """The first line where the chain does not hold, or None. Lines before the first chained
    one (a log from before the chain) are sealed by that line's `prev`. `expected`: the
    workspace has had a chained log, so a missing or empty one is damage. Hashes every line
    without parsing it: a changed line breaks the `prev` of the next, and the last is parsed."""
    path = log_path(root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ChainBreak(0, "missing") if expected else None
    if not data:
        return ChainBreak(0, "empty") if expected else None
    if not data.endswith(b"\n"):
        return ChainBreak(data.count(b"\n") + 1, "cut")
    lines = data[:-1].split(b"\n")
    prev: str | None = None
    offset = 0
    start, stop = len(PREV_PREFIX), len(PREV_PREFIX) + HASH_LEN
    for number, raw in enumerate(lines, 1):
        if raw.startswith(PREV_PREFIX) and raw[stop:stop + 2] == b'",':
            wanted = prev if prev is not None else line_hash(data[:offset])
            if raw[start:stop] != wanted.encode("ascii"):
                return ChainBreak(number, "broken")
            prev = line_hash(raw)
        elif prev is not None or expected and number == len(lines):
            return ChainBreak(number, "unchained" if _parse(raw) is not None else "unreadable")
        offset += len(raw) + 1
    if _parse(lines[-1]) is None:
        return ChainBreak(len(lines), "unreadable")
    return None


def chain_damage(root: Path, expected: bool) -> DamagedFile | None:
    """verify_chain as the damage every command stops at, naming the line."""
    found = verify_chain(root, expected)
    if found is None:
        return None
    detail = {
        "missing": "missing",
        "empty": "empty",
        "cut": f"line {found.line} is cut short",
        "unreadable": f"line {found.line} is not an entry",
        "unchained": f"line {found.line} is not chained to the one before",
        "broken": f"line {found.line} does not follow the line before: lines were cut or changed there",
    }[found.reason]
    return DamagedFile(log_path(root), detail)


def read(root: Path, anchors: bool = False) -> Iterator[AuditEntry]:
    """Every whole entry, oldest first; anchors (bookkeeping, not changes) only when asked."""
    path = log_path(root)
    if not path.exists():
        return
    with path.open("rb") as f:
        for raw in f:
            entry = _parse(raw)
            if entry is not None and (anchors or entry.action != ANCHOR):
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
            if not lines:  # a line longer than the block (an anchor's digests): read more at a time
                block *= 2
            for raw in reversed(lines):
                entry = _parse(raw)
                if entry is not None and entry.action != ANCHOR:
                    yield entry


def parse_line(raw: bytes) -> AuditEntry | None:
    """One line of the log as an entry, or None for a line that is not one."""
    return _parse(raw)


def _parse(raw: bytes) -> AuditEntry | None:
    try:
        fields = parse_json(raw)  # as json.loads, faster: an anchor line holds every record's digest
        return AuditEntry(**fields) if isinstance(fields, dict) else None
    except (ValueError, TypeError):
        return None  # a line torn by a crash (or the empty end of the file)


def seal(root: Path, anchor: AuditEntry) -> Path:
    """Set a damaged log aside (kept under a new name) and start a new one with `anchor`, whose
    `before` names the old one and its hash. Call holding the lock. Returns the kept copy's path.

    The old log is copied first and the new one then replaces it in one rename, so a kill at any
    point leaves either the damaged log (seal again) or the new chain with its kept copy."""
    path = log_path(root)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"log-sealed-{stamp}.jsonl")
    old = path.read_bytes() if path.exists() else b""
    if old:
        atomic_write_bytes(kept, old)
    note = {"sealed": kept.name if old else "", "sha256": line_hash(old), "bytes": len(old)}
    entry = AuditEntry(anchor.at, anchor.user, anchor.session, ANCHOR, anchor.subject, note, anchor.after)
    ensure_private_dir(path.parent)
    atomic_write_bytes(path, entry.to_line(line_hash(b"")))
    return kept
