"""An issued officer ID card as plain data, and when a card no longer holds.

A card is valid while its seat holds its officer, the officer's details are what the card
says and their Surat Pernyataan is not rejected. The store applies `left_seats` and
`outdated_for` on every write of a TPS or a person, so that a change and the revocation it
calls for land in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any

from kpps_tui.domain.declarations import DeclState

# Why a seat change withdraws a card, by the action that changed the seat (the reason codes
# are those of cards.verify.REVOKE_REASONS); any other change of holder is "holder_changed".
SEAT_CHANGE_REASONS = {"unassign": "unassigned", "paw": "unassigned", "move": "moved", "swap": "swapped"}
DETAILS_CHANGED = "details_changed"
HOLDER_CHANGED = "holder_changed"
DECLARATION_REJECTED = "declaration_rejected"


@dataclass(frozen=True)
class CardRecord:
    serial: int
    code: str  # short code, without separators
    tps: str
    seat: int
    nik: str
    name: str  # as printed
    role: str  # "ketua" or "anggota"
    issued_at: str
    valid_from: str  # ISO date
    valid_until: str  # ISO date
    election_day: str  # ISO date
    issued_by: str = ""
    printed_at: str | None = None
    revoked_at: str | None = None
    revoke_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def kecamatan_code(self) -> str:
        return ".".join(self.tps.split(".")[:3])

    def to_doc(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> CardRecord:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in doc.items() if k in known})

    def revoked(self, when: str, reason: str) -> CardRecord:
        return replace(self, revoked_at=when, revoke_reason=reason)

    @property
    def revoked_on(self) -> date | None:
        return date.fromisoformat(self.revoked_at[:10]) if self.revoked_at else None


def seat_change_reason(action: str) -> str:
    return SEAT_CHANGE_REASONS.get(action, HOLDER_CHANGED)


def left_seats(records: Iterable[CardRecord], holders: Mapping[int, str]) -> list[CardRecord]:
    """The active cards of one TPS whose seat no longer holds their officer (`holders`: seat
    number -> NIK of the TPS as it is to be written)."""
    return [r for r in records if r.active and holders.get(r.seat) != r.nik]


def outdated_for(records: Iterable[CardRecord], name: str, statement: DeclState) -> list[tuple[CardRecord, str]]:
    """The active cards of one person that no longer hold, each with the reason: their
    declaration was rejected, or their name is no longer the one printed."""
    found = []
    for record in records:
        if not record.active:
            continue
        if statement is DeclState.REJECTED:
            found.append((record, DECLARATION_REJECTED))
        elif record.name != name:
            found.append((record, DETAILS_CHANGED))
    return found
