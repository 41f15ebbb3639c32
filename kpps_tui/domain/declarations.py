"""Neutrality declarations (Surat Pernyataan, Pakta Integritas) and the SIPOL flag.

A declaration moves Belum diserahkan -> Diserahkan -> Terverifikasi or Ditolak. Verification
is refused while the person is listed in SIPOL (unless cleared with a reason) or, for a former
party member, before the party's letter is on file. Every change leaves a history line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from typing import Any

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _


class DeclState(str, Enum):
    NOT_HANDED_IN = "belum"
    HANDED_IN = "diserahkan"
    VERIFIED = "terverifikasi"
    REJECTED = "ditolak"

    @property
    def label(self) -> str:
        return _(_STATE_LABELS[self])


_STATE_LABELS = {
    DeclState.NOT_HANDED_IN: N_("Not handed in"),
    DeclState.HANDED_IN: N_("Handed in"),
    DeclState.VERIFIED: N_("Verified"),
    DeclState.REJECTED: N_("Rejected"),
}


class DeclKind(str, Enum):
    STATEMENT = "surat_pernyataan"
    INTEGRITY_PACT = "pakta_integritas"

    @property
    def label(self) -> str:
        return _(_KIND_LABELS[self])


_KIND_LABELS = {DeclKind.STATEMENT: N_("Surat Pernyataan"), DeclKind.INTEGRITY_PACT: N_("Pakta Integritas")}

# Which state may follow which: a mistake can be walked back, a rejection handed in again.
ALLOWED = {
    DeclState.NOT_HANDED_IN: {DeclState.HANDED_IN},
    DeclState.HANDED_IN: {DeclState.VERIFIED, DeclState.REJECTED, DeclState.NOT_HANDED_IN},
    DeclState.VERIFIED: {DeclState.REJECTED, DeclState.HANDED_IN},
    DeclState.REJECTED: {DeclState.HANDED_IN},
}


class DeclarationRefused(KppsError):
    pass


@dataclass(frozen=True)
class Declaration:
    state: DeclState = DeclState.NOT_HANDED_IN
    received_on: date | None = None
    decided_by: str = ""
    decided_on: date | None = None
    reason: str = ""

    def to_doc(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "received_on": _iso(self.received_on),
            "decided_by": self.decided_by,
            "decided_on": _iso(self.decided_on),
            "reason": self.reason,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> Declaration:
        if not doc or doc == _NOT_HANDED_IN_DOC:
            return _NOT_HANDED_IN  # most applicants: shared, it is immutable
        key = (
            doc.get("state", DeclState.NOT_HANDED_IN.value),
            doc.get("received_on"),
            doc.get("decided_by", ""),
            doc.get("decided_on"),
            doc.get("reason", ""),
        )
        found = _DECLARATIONS.get(key)
        if found is None:  # the same few days and deciders for thousands: share the objects
            if len(_DECLARATIONS) > _MOST_SHARED:
                _DECLARATIONS.clear()
            found = _DECLARATIONS[key] = cls(DeclState(key[0]), _date(key[1]), key[2], _date(key[3]), key[4])
        return found


@dataclass(frozen=True)
class PartyLetter:
    """A former party member's letter from the party (out for at least 5 years)."""

    party: str
    dated: date

    def to_doc(self) -> dict[str, Any]:
        return {"party": self.party, "dated": self.dated.isoformat()}

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> PartyLetter | None:
        return cls(doc["party"], date.fromisoformat(doc["dated"])) if doc else None


@dataclass(frozen=True)
class SipolFlag:
    """Listed in KPU's party membership data; blocks verification and seating until cleared."""

    party: str = ""
    list_name: str = ""
    cleared_reason: str = ""
    cleared_by: str = ""

    @property
    def active(self) -> bool:
        return not self.cleared_reason

    def to_doc(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "list_name": self.list_name,
            "cleared_reason": self.cleared_reason,
            "cleared_by": self.cleared_by,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> SipolFlag | None:
        if not doc:
            return None
        return cls(doc.get("party", ""), doc.get("list_name", ""), doc.get("cleared_reason", ""), doc.get("cleared_by", ""))


@dataclass(frozen=True)
class Neutrality:
    """Everything about one person's neutrality, stored with the person."""

    statement: Declaration = Declaration()
    integrity_pact: Declaration = Declaration()
    former_party_member: bool = False
    party_letter: PartyLetter | None = None
    sipol: SipolFlag | None = None

    def declaration(self, kind: DeclKind) -> Declaration:
        return self.statement if kind is DeclKind.STATEMENT else self.integrity_pact

    def with_declaration(self, kind: DeclKind, decl: Declaration) -> Neutrality:
        if kind is DeclKind.STATEMENT:
            return replace(self, statement=decl)
        return replace(self, integrity_pact=decl)

    @property
    def sipol_listed(self) -> bool:
        return self.sipol is not None and self.sipol.active

    def to_doc(self) -> dict[str, Any]:
        return {
            DeclKind.STATEMENT.value: self.statement.to_doc(),
            DeclKind.INTEGRITY_PACT.value: self.integrity_pact.to_doc(),
            "former_party_member": self.former_party_member,
            "party_letter": self.party_letter.to_doc() if self.party_letter else None,
            "sipol": self.sipol.to_doc() if self.sipol else None,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> Neutrality:
        if not doc or doc == _UNTOUCHED_DOC:
            return _UNTOUCHED  # an applicant with no papers yet: tens of thousands of them
        return cls(
            statement=Declaration.from_doc(doc.get(DeclKind.STATEMENT.value)),
            integrity_pact=Declaration.from_doc(doc.get(DeclKind.INTEGRITY_PACT.value)),
            former_party_member=bool(doc.get("former_party_member", False)),
            party_letter=PartyLetter.from_doc(doc.get("party_letter")),
            sipol=SipolFlag.from_doc(doc.get("sipol")),
        )


def change_state(
    neutrality: Neutrality,
    kind: DeclKind,
    new: DeclState,
    *,
    name: str,
    on: date,
    by: str,
    reason: str = "",
) -> Neutrality:
    """The neutrality after moving one declaration to `new`, or DeclarationRefused saying why."""
    current = neutrality.declaration(kind)
    refusal = state_change_refusal(neutrality, kind, new, name)
    if refusal is not None:
        raise refusal
    if new is DeclState.REJECTED and not reason.strip():
        raise DeclarationRefused(N_("Say why the {kind} of {name} is rejected."), kind=kind.label, name=name)
    if new is DeclState.HANDED_IN:
        decl = Declaration(DeclState.HANDED_IN, received_on=on, reason=reason.strip())
    elif new is DeclState.NOT_HANDED_IN:
        decl = Declaration(reason=reason.strip())
    else:
        decl = replace(current, state=new, decided_by=by, decided_on=on, reason=reason.strip())
    return neutrality.with_declaration(kind, decl)


def first_step(old: DeclState, new: DeclState) -> DeclState | None:
    """The state a declaration must reach before it may go from `old` to `new` (None: no
    single step leads there)."""
    return next((mid for mid in STEP_ORDER if mid in ALLOWED[old] and new in ALLOWED[mid]), None)


STEP_ORDER = (DeclState.HANDED_IN, DeclState.NOT_HANDED_IN, DeclState.VERIFIED, DeclState.REJECTED)


def state_change_refusal(neutrality: Neutrality, kind: DeclKind, new: DeclState, name: str) -> DeclarationRefused | None:
    """Why the declaration may not go to `new` (the reason a rejection needs aside), or None.

    Asked before a reason is typed, so that nobody writes one for a change that is refused.
    """
    current = neutrality.declaration(kind)
    if new == current.state:
        return DeclarationRefused(
            N_("The {kind} of {name} is already {state}."), kind=kind.label, name=name, state=new.label
        )
    if new not in ALLOWED[current.state]:
        first = first_step(current.state, new)
        if first is not None:
            return DeclarationRefused(
                N_("The {kind} of {name} is {old}: it must be {first} before it can be {new}."),
                kind=kind.label,
                name=name,
                old=current.state.label,
                first=first.label,
                new=new.label,
            )
        return DeclarationRefused(
            N_("The {kind} of {name} cannot go from {old} to {new}."),
            kind=kind.label,
            name=name,
            old=current.state.label,
            new=new.label,
        )
    if new is DeclState.VERIFIED:
        try:
            _check_verifiable(neutrality, name)
        except DeclarationRefused as exc:
            return exc
    return None


def _check_verifiable(neutrality: Neutrality, name: str) -> None:
    if neutrality.sipol_listed:
        raise DeclarationRefused(
            N_("{name} is listed in SIPOL{party}; clear the flag with a reason before verifying."),
            name=name,
            party=f" ({neutrality.sipol.party})" if neutrality.sipol and neutrality.sipol.party else "",
        )
    if neutrality.former_party_member and neutrality.party_letter is None:
        raise DeclarationRefused(
            N_("{name} is a former party member: record the party's letter before verifying."), name=name
        )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


_DECLARATIONS: dict[tuple[Any, ...], Declaration] = {}
_MOST_SHARED = 50_000
_NOT_HANDED_IN = Declaration()
_NOT_HANDED_IN_DOC = _NOT_HANDED_IN.to_doc()
_UNTOUCHED = Neutrality()
_UNTOUCHED_DOC = _UNTOUCHED.to_doc()
