"""Neutrality declarations: state changes one by one or many at once, SIPOL flags, reports.

Each change is checked by domain.declarations, stored with the person (one write per kecamatan
file, however many people change) and kept in the person's history and the audit log.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from kpps_tui import clock
from kpps_tui.domain.declarations import (
    DeclarationRefused,
    DeclKind,
    DeclState,
    PartyLetter,
    SipolFlag,
    change_state,
)
from kpps_tui.domain.model import Person
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.interchange.sipol import SipolList, read_sipol
from kpps_tui.services.finders import find_person, find_tps
from kpps_tui.store.audit import now_iso
from kpps_tui.store.workspace import Workspace


def _noted(person: Person, by: str, what: dict[str, Any]) -> Person:
    return replace(person, history=person.history + ({"at": now_iso(), "by": by, **what},))


def _changed_state(ws: Workspace, person: Person, kind: DeclKind, state: DeclState, reason: str, on: date) -> Person:
    old = person.neutrality.declaration(kind).state
    neutrality = change_state(person.neutrality, kind, state, name=person.name, on=on, by=ws.user, reason=reason)
    changed = replace(person, neutrality=neutrality)
    return _noted(changed, ws.user, {"kind": kind.value, "from": old.value, "to": state.value, "reason": reason})


def set_state(
    ws: Workspace,
    nik: str,
    state: DeclState,
    kind: DeclKind = DeclKind.STATEMENT,
    reason: str = "",
    on: date | None = None,
) -> Person:
    """Move one person's declaration to `state`; DeclarationRefused says why not."""
    with ws.transaction():
        person = _changed_state(ws, find_person(ws, nik), kind, state, reason, on or clock.today())
        ws.put_person(person, "declaration")
        return person


@dataclass(frozen=True)
class BulkResult:
    changed: list[Person]
    refused: list[tuple[Person, str]]  # who, and the sentence why


def set_state_many(
    ws: Workspace,
    niks: list[str],
    state: DeclState,
    kind: DeclKind = DeclKind.STATEMENT,
    reason: str = "",
    on: date | None = None,
) -> BulkResult:
    """Change every person it may; each one that may not is listed with the reason."""
    with ws.transaction():
        changed, refused = [], []
        for nik in niks:
            person = find_person(ws, nik)
            try:
                changed.append(_changed_state(ws, person, kind, state, reason, on or clock.today()))
            except DeclarationRefused as exc:
                refused.append((person, str(exc)))
        ws.put_people(changed, "declaration")
        return BulkResult(changed, refused)


def officers_of_tps(ws: Workspace, tps_code: str) -> list[str]:

    return [seat.nik for _, seat in sorted(find_tps(ws, tps_code).seats.items())]


def set_former_party_member(ws: Workspace, nik: str, former: bool, letter: PartyLetter | None = None) -> Person:
    with ws.transaction():
        person = find_person(ws, nik)
        neutrality = replace(person.neutrality, former_party_member=former, party_letter=letter if former else None)
        what = {"kind": "party_letter", "former_party_member": former, "party": letter.party if letter else ""}
        changed = _noted(replace(person, neutrality=neutrality), ws.user, what)
        ws.put_person(changed, "party_letter")
        return changed


def clear_sipol_flag(ws: Workspace, nik: str, reason: str) -> Person:
    """Clear a SIPOL listing with the evidence, e.g. listed without consent."""
    if not reason.strip():
        raise KppsError(N_("Say why the SIPOL flag is cleared, with the evidence."))
    with ws.transaction():
        person = find_person(ws, nik)
        flag = person.neutrality.sipol
        if flag is None or not flag.active:
            raise KppsError(N_("{name} has no SIPOL flag to clear."), name=person.name)
        cleared = replace(flag, cleared_reason=reason.strip(), cleared_by=ws.user)
        changed = replace(person, neutrality=replace(person.neutrality, sipol=cleared))
        changed = _noted(changed, ws.user, {"kind": "sipol", "to": "cleared", "reason": reason.strip()})
        ws.put_person(changed, "sipol")
        return changed


@dataclass(frozen=True)
class SipolImport:
    flagged: list[Person]  # newly listed
    still_listed: list[Person]
    dropped: list[Person]  # on the previous list, not on this one: flag cleared
    unknown: list[str]  # NIKs on the list that are not in the workspace


def read_sipol_list(ws: Workspace, path: Path) -> SipolList:
    """A SIPOL result list (CSV/XLSX): the NIKs listed with their party, and the rows refused."""
    return read_sipol(path, ws.election.voting_day)


def import_sipol(ws: Workspace, listed: dict[str, str], list_name: str) -> SipolImport:
    """Apply a SIPOL result list ({nik: party}); people flagged before but absent now are cleared.

    A flag a coordinator cleared by hand stays cleared while the person stays on the list."""
    with ws.transaction():
        flagged, still, dropped, changed = [], [], [], []
        for person in ws.people.values():
            flag = person.neutrality.sipol
            if person.nik in listed:
                if flag is None or (not flag.active and flag.cleared_by == "SIPOL"):
                    new = SipolFlag(party=listed[person.nik], list_name=list_name)
                    person = _noted(replace(person, neutrality=replace(person.neutrality, sipol=new)), ws.user, {"kind": "sipol", "to": "listed", "reason": list_name})
                    flagged.append(person)
                    changed.append(person)
                else:
                    still.append(person)
            elif flag is not None and flag.active:
                reason = _("not on the SIPOL list {name}").format(name=list_name)
                cleared = replace(flag, cleared_reason=reason, cleared_by="SIPOL")
                person = _noted(replace(person, neutrality=replace(person.neutrality, sipol=cleared)), ws.user, {"kind": "sipol", "to": "cleared", "reason": reason})
                dropped.append(person)
                changed.append(person)
        ws.put_people(changed, "sipol_import")
        unknown = sorted(n for n in listed if n not in ws.people)
        return SipolImport(flagged, still, dropped, unknown)


def card_refusal(ws: Workspace, nik: str) -> str | None:
    """Why this officer may not get an ID card yet, or None: the declaration must be verified."""
    person = ws.people.get(nik)
    if person is None:
        return None
    decl = person.neutrality.statement
    if decl.state is not DeclState.VERIFIED:
        return _("Surat Pernyataan {state}").format(state=decl.state.label)
    return None


@dataclass(frozen=True)
class OfficerDeclaration:
    tps_code: str
    tps_label: str
    seat: int
    person: Person

    @property
    def state(self) -> DeclState:
        return self.person.neutrality.statement.state


def officers(ws: Workspace) -> list[OfficerDeclaration]:
    """Every seated officer with the declaration, outstanding first, then kecamatan, desa, TPS."""
    found = [
        OfficerDeclaration(tps.code, ws.tps_label(tps), number, ws.people[seat.nik])
        for tps in ws.tps.values()
        for number, seat in tps.seats.items()
        if seat.nik in ws.people
    ]
    found.sort(key=lambda o: (o.state is DeclState.VERIFIED, o.tps_code, o.seat))
    return found


def counts_by(ws: Workspace, level: str) -> dict[str, Counter[str]]:
    """Declaration states of seated officers, per kecamatan / desa / tps code."""
    result: dict[str, Counter[str]] = {}
    for o in officers(ws):
        key = {"kecamatan": o.tps_code[:8], "desa": o.tps_code.split("-")[0], "tps": o.tps_code}[level]
        result.setdefault(key, Counter())[o.state] += 1
    return dict(sorted(result.items()))
