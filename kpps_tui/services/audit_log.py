"""Reading the audit log: filter by TPS, person, user and date, and write it as CSV."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from kpps_tui.domain.declarations import DeclKind, Neutrality
from kpps_tui.domain.nik import mask_nik
from kpps_tui.i18n import N_, _
from kpps_tui.interchange.cells import safe_cell
from kpps_tui.store import audit
from kpps_tui.store.audit import AuditEntry
from kpps_tui.store.workspace import Workspace

__all__ = ["AuditEntry", "LogFilter", "log_stamp"]  # AuditEntry: the noun the screens show


def log_stamp(ws: Workspace) -> tuple[int, int] | None:
    """The log file's size and change time, to tell cheaply that it grew; None when there is
    no log yet. (Another session's NIK reveal adds to the log without touching the data files.)"""
    try:
        stat = audit.log_path(ws.root).stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


@dataclass(frozen=True)
class LogFilter:
    tps: str | None = None  # a TPS code, or a kecamatan/desa code prefix
    nik: str | None = None
    user: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    people: frozenset[str] | None = None  # any of these NIKs (people found by name)

    def matches(self, entry: AuditEntry) -> bool:
        if self.tps and not entry.subject.startswith(self.tps):
            return False
        if self.nik and self.nik not in _niks(entry):
            return False
        if self.people is not None and not (self.people & _niks(entry)):
            return False
        if self.user and entry.user != self.user:
            return False
        day = date.fromisoformat(entry.at[:10])
        if self.since and day < self.since:
            return False
        return not (self.until and day > self.until)


def _niks(entry: AuditEntry) -> set[str]:
    if entry.subject.isdigit():
        return {entry.subject}
    return {v for side in (entry.before, entry.after) if side for v in side.values() if isinstance(v, str)}


def entries(ws: Workspace, flt: LogFilter = LogFilter()) -> list[AuditEntry]:
    """Matching entries, newest first."""
    found = [e for e in audit.read(ws.root) if flt.matches(e)]
    found.reverse()
    return found


REVEAL_NIK = "reveal_nik"


def changed_by_another_session(ws: Workspace, tps_code: str) -> str | None:
    """The user whose session made the newest change to this TPS, when it is not this session."""
    for entry in reversed(list(audit.read(ws.root))):
        if entry.subject == tps_code:
            return entry.user if entry.session != ws.session else None
    return None
EXPORT_FULL_NIK = "export_full_nik"  # a document with full NIKs was written (subject: its scope)
USERS = "users"  # a user's role changed (subject: user:LOGIN; before/after: the user)

# Every action the log can hold, in words (tests/test_audit_actions.py finds each one the code
# writes and fails on one without words here).
ACTION_LABELS = {
    "add_applicant": N_("Applicant added"),
    "edit_applicant": N_("Applicant edited"),
    "assess": N_("Assessed"),
    "stage": N_("Stage"),
    "leave": N_("Left"),
    "response": N_("Public response"),
    "document": N_("Papers"),
    "health": N_("Health certificate"),
    "import": N_("Applicants imported"),
    "import_tps": N_("TPS imported"),
    "assign": N_("Assign"),
    "override": N_("Warning overridden"),
    "paw": N_("PAW"),
    "unassign": N_("Unassign"),
    "move": N_("Move"),
    "swap": N_("Swap"),
    "accept_proposal": N_("Proposal accepted"),
    "declaration": N_("Declaration"),
    "party_letter": N_("Party letter"),
    "sipol": N_("SIPOL"),
    "sipol_import": N_("SIPOL import"),
    "settings": N_("Settings"),
    REVEAL_NIK: N_("NIK shown"),
    EXPORT_FULL_NIK: N_("Full NIKs exported"),
    audit.RESTORE: N_("Restore"),
    audit.INTERRUPTED: N_("Interrupted"),
    audit.ANCHOR: N_("Log anchored"),
    USERS: N_("Users"),
    "share": N_("Shared with a group"),
    "card_issue": N_("Cards issued"),
    "card_revoke": N_("Cards revoked"),
    "card_print": N_("Cards printed"),
    "card_settings": N_("Card settings"),
    "key_create": N_("Card signing key made"),
    "key_export": N_("Key exported"),
}


def action_label(action: str) -> str:
    """The action of a log entry in the user's language (an unknown one as written)."""
    label = ACTION_LABELS.get(action)
    return _(label) if label else action


def reveal_nik(ws: Workspace, nik: str) -> str:
    """Return a person's full NIK for the screen, and record who saw it, when (UU 27/2022)."""
    with ws.transaction():
        ws.require(full_nik=True)  # a viewer sees NIKs masked only
        audit.append(ws.root, AuditEntry(audit.now_iso(), ws.user, ws.session, REVEAL_NIK, nik, None, None))
    return nik


def describe_change(ws: Workspace, entry: AuditEntry) -> str:
    """Seats that changed, as 'seat: before -> after' with names where known."""
    before, after = entry.before or {}, entry.after or {}
    if entry.subject.isdigit():
        return _describe_person_change(ws, entry.subject, before, after)
    if entry.action == EXPORT_FULL_NIK:
        return _("{document} for {people} people: {file}").format(**after)
    if entry.subject == "election":  # the settings: each key that changed
        return "; ".join(f"{k}: {before.get(k, '')} -> {after.get(k, '')}" for k in sorted({*before, *after}) if before.get(k) != after.get(k))
    if not all(k.isdigit() for k in {*before, *after}):  # users, cards, the key, sharing: by field
        return "; ".join(
            f"{k}: {_field(before.get(k))} -> {_field(after.get(k))}" if before else f"{k}: {_field(after.get(k))}"
            for k in sorted({*before, *after})
            if before.get(k) != after.get(k)
        )
    parts = []
    for seat in sorted(set(before) | set(after), key=int):
        old, new = before.get(seat), after.get(seat)
        if old != new:
            parts.append(f"{seat}: {_name(ws, old)} -> {_name(ws, new)}")
    return "; ".join(parts)


def _field(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "-"
    return "-" if value is None else str(value)


def _describe_person_change(ws: Workspace, nik: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    """The person's name, then each declaration whose state changed, e.g. 'Diserahkan -> Terverifikasi'."""
    parts = [_name(ws, nik)]
    old, new = Neutrality.from_doc(before.get("neutrality")), Neutrality.from_doc(after.get("neutrality"))
    for kind in DeclKind:
        a, b = old.declaration(kind).state, new.declaration(kind).state
        if a != b:
            parts.append(f"{kind.label}: {a.label} -> {b.label}")
    if old.sipol_listed != new.sipol_listed:
        parts.append("SIPOL: " + (_("listed") if new.sipol_listed else _("cleared")))
    return "; ".join(parts)


def _name(ws: Workspace, nik: str | None) -> str:
    """The person's name; a masked NIK for someone no longer in the workspace."""
    if nik is None:
        return "-"
    person = ws.people.get(nik)
    return person.name if person else mask_nik(nik)


def reveal_all(ws: Workspace, what: str, people: int) -> None:
    """Record that someone takes the full NIKs of a listing (UU 27/2022), before they get them."""
    after = {"document": what, "people": people, "file": "-"}
    with ws.transaction():
        ws.require(full_nik=True)  # a viewer sees NIKs masked only
        audit.append(ws.root, AuditEntry(audit.now_iso(), ws.user, ws.session, EXPORT_FULL_NIK, what, None, after))


_FULL_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")


def masked(text: str) -> str:
    """Every 16-digit number in the text (a NIK) masked: 6201********0012."""
    return _FULL_NIK.sub(lambda m: mask_nik(m.group()), text)


CSV_FIELDS = ["at", "user", "session", "action", "subject", "change", "before", "after"]


def to_csv(ws: Workspace, found: list[AuditEntry], full_nik: bool = False) -> str:
    """The entries as CSV, NIKs masked; `full_nik` (after reveal_all) keeps them whole."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    shown = (lambda text: text) if full_nik else masked
    for e in found:
        row = [e.at, e.user, e.session, e.action, e.subject, describe_change(ws, e), _pairs(e.before), _pairs(e.after)]
        writer.writerow([safe_cell(shown(cell)) for cell in row])
    return out.getvalue()


def _pairs(seats: dict[str, Any] | None) -> str:
    if not seats:
        return ""
    return " ".join(f"{k}={v}" for k, v in seats.items() if isinstance(v, str))
