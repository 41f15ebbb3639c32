"""Replaying the audit log against the files: does the history account for what they hold?

An anchor entry records a short digest of every record the files hold (each TPS's seats, each
applicant, the election, each user). Every later change sets its subject's digest to that of
its `after`. If the digests replayed from the last anchor differ from the files', someone
changed a file outside the program, or cut its entry from the log: the first subject that
disagrees is named, with the file it lives in.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpps_tui.domain.model import Tps
from kpps_tui.store import audit, journal
from kpps_tui.store.layout import USERS_FILE, WORKSPACE_FILE
from kpps_tui.store.storage import DamagedFile, read_tinydb_file

ELECTION = "election"
USER_PREFIX = "user:"  # the subject of a change of a user's role


def digest(value: Any) -> str:
    canonical = json.dumps(json.loads(json.dumps(value)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def seat_map(tps: Tps) -> dict[str, str]:
    """A TPS's seats as the log writes them: seat number -> NIK."""
    return {str(n): seat.nik for n, seat in sorted(tps.seats.items())}


@dataclass(frozen=True)
class Record:
    digest: str
    file: str  # relative to the workspace folder


def records_on_disk(root: Path) -> dict[str, Record]:
    """Every logged subject the files hold, with its digest and file (inside a transaction:
    as it will leave them)."""
    found: dict[str, Record] = {}
    main = read_tinydb_file(root / WORKSPACE_FILE)
    election = main.get("election", {}).get("1")
    if election is not None:
        found[ELECTION] = Record(digest(election), WORKSPACE_FILE)
    for path in journal.names_in(root / "tps", ".json"):
        rel = f"tps/{path.name}"
        for doc in read_tinydb_file(path).get("tps", {}).values():
            try:
                tps = Tps.from_doc(doc)
            except (KeyError, ValueError, TypeError, AttributeError) as exc:
                raise DamagedFile(path, f"unexpected record: {exc!r}") from exc
            found[tps.code] = Record(digest(seat_map(tps)), rel)
    for path in journal.names_in(root / "people", ".json"):
        rel = f"people/{path.name}"
        for doc in read_tinydb_file(path).get("people", {}).values():
            if isinstance(doc, dict) and isinstance(doc.get("nik"), str):
                found[doc["nik"]] = Record(digest(doc), rel)
    if journal.exists(root / USERS_FILE):
        for doc in read_tinydb_file(root / USERS_FILE).get("users", {}).values():
            if isinstance(doc, dict) and isinstance(doc.get("login"), str):
                found[USER_PREFIX + doc["login"]] = Record(digest(doc), USERS_FILE)
    return found


def anchor_entry(root: Path, user: str, session: str, members: dict[str, dict[str, Any]] | None = None) -> audit.AuditEntry:
    """The anchor of what the files hold now; `members`: the users about to be written
    (the first admin), in place of the users file's."""
    digests = {subject: record.digest for subject, record in records_on_disk(root).items()}
    if members is not None:
        digests = {s: d for s, d in digests.items() if not s.startswith(USER_PREFIX)}
        digests.update({USER_PREFIX + login: digest(doc) for login, doc in members.items()})
    return audit.AuditEntry(audit.now_iso(), user, session, audit.ANCHOR, "files", None, digests)


def logged_subject(entry: audit.AuditEntry) -> bool:
    """Whether an entry records a change of a subject the files hold (a TPS's seats, a person,
    the election, a user), as opposed to a reveal, an export, a restore or an anchor."""
    shape = entry.after if entry.after is not None else entry.before
    if not isinstance(shape, dict) or entry.action == audit.ANCHOR:
        return False
    if entry.subject == ELECTION or entry.subject.startswith(USER_PREFIX):
        return True
    if entry.subject.isdigit():
        return shape.get("nik") == entry.subject
    return all(k.isdigit() and isinstance(v, str) for k, v in shape.items())


@dataclass(frozen=True)
class Disagreement:
    subject: str
    file: str  # where the subject lives ("" when the files no longer hold it)
    line: int  # the log line of its last change (0: only the anchor speaks of it)
    at: str  # when that was
    user: str  # by whom


def replay(root: Path) -> list[Disagreement]:
    """Subjects whose files disagree with the log replayed from its last anchor, in the order
    of the log (the first one first). Call holding the lock, with the log settled."""
    state: dict[str, str | None] | None = None
    last: dict[str, tuple[int, audit.AuditEntry]] = {}
    with audit.log_path(root).open("rb") as f:
        for number, raw in enumerate(f, 1):
            entry = audit.parse_line(raw)
            if entry is None:
                continue
            if entry.action == audit.ANCHOR and isinstance(entry.after, dict):
                state = dict(entry.after)
                last = {}
            elif entry.action == audit.RESTORE:
                state = None  # the files came from a snapshot; its anchor follows
            elif state is not None and logged_subject(entry):
                state[entry.subject] = digest(entry.after) if entry.after is not None else None
                last[entry.subject] = (number, entry)
    if state is None:
        return []
    on_disk = records_on_disk(root)
    found = []
    for subject in set(state) | set(on_disk):
        record = on_disk.get(subject)
        if state.get(subject) != (record.digest if record else None):
            number, entry = last.get(subject, (0, None))
            found.append(Disagreement(subject, record.file if record else "", number, entry.at if entry else "", entry.user if entry else ""))
    return sorted(found, key=lambda d: (d.line, d.file, d.subject))
