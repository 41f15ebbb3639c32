"""Applicants, the changes: adding and editing, stages and assessment, leaving (PAW), public
responses, papers and health. Each runs in one transaction and is noted in the person's history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kpps_tui import clock
from kpps_tui.domain.applicants import (
    LEAVING,
    ApplicantRefused,
    Document,
    HealthCertificate,
    PublicResponse,
    Reason,
    Stage,
    change_stage,
    open_responses,
    typed_reason,
)
from kpps_tui.domain.model import Person, Vacancy
from kpps_tui.domain.rules import check_requirements
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.services.applicants.form import Builder, field_text
from kpps_tui.services.finders import find_person
from kpps_tui.store.audit import now_iso
from kpps_tui.store.workspace import Workspace


# ---- adding and editing ----------------------------------------------------------------------


def noted(person: Person, by: str, what: dict[str, Any]) -> Person:
    """The person with one more history line: who, when, what."""
    return replace(person, history=person.history + ({"at": now_iso(), "by": by, **what},))


def add_applicant(ws: Workspace, fields: Mapping[str, object]) -> Person:
    """Register a new applicant (stage Pendaftar); KppsError says what is wrong with the fields.
    A NIK already in the workspace is refused, naming that person."""
    with ws.transaction():
        nik = field_text(fields.get("nik", "")).replace(" ", "")
        existing = ws.people.get(nik)
        if existing is not None:
            raise KppsError(
                N_("NIK {nik} is already in this workspace: {name}. Open that applicant instead."), nik=nik, name=existing.name
            )
        person, _fields = Builder(ws).build(fields)
        person = noted(person, ws.user, {"kind": "applicant", "action": "added"})
        ws.put_person(person, "add_applicant")
        return person


def update_applicant(ws: Workspace, nik: str, fields: Mapping[str, object]) -> Person:
    """Change the given fields of an applicant; nothing is written when nothing changes."""
    with ws.transaction():
        existing = find_person(ws, nik)
        person, changed = Builder(ws).build(fields, existing)
        if not changed:
            return existing
        person = noted(person, ws.user, {"kind": "applicant", "action": "edited", "fields": changed})
        ws.put_person(person, "edit_applicant")
        return person


# ---- stages ------------------------------------------------------------------------------------


def set_stage(
    ws: Workspace,
    nik: str,
    stage: Stage,
    reasons: Iterable[str | Reason] = (),
    sk_number: str = "",
    sk_date: date | None = None,
    on: date | None = None,
) -> Person:
    """Move one person to `stage` (not a leaving stage: use leave()); ApplicantRefused says why not."""
    if stage in LEAVING:
        raise KppsError(N_("Use leave to record that a person resigned, was dismissed or died."))
    with ws.transaction():
        person = _staged(ws, find_person(ws, nik), stage, _reasons(reasons), sk_number, sk_date, on or clock.today())
        ws.put_person(person, "stage")
        return person


def _reasons(reasons: Iterable[str | Reason]) -> tuple[Reason, ...]:
    return tuple(r if isinstance(r, Reason) else typed_reason(r) for r in reasons)


def _staged(
    ws: Workspace,
    person: Person,
    stage: Stage,
    reasons: tuple[Reason, ...],
    sk_number: str,
    sk_date: date | None,
    on: date,
) -> Person:
    if stage in (Stage.ELIGIBLE, Stage.APPOINTED, Stage.SWORN_IN):
        hard = [f for f in check_requirements(person, ws.election) if f.is_hard]
        if hard:
            raise ApplicantRefused(
                N_("{name} cannot be {stage}: {reasons}"), name=person.name, stage=stage.label, reasons=" ".join(f.message for f in hard)
            )
    old = person.standing.stage
    standing = change_stage(
        person.standing,
        stage,
        name=person.name,
        on=on,
        by=ws.user,
        reasons=reasons,
        sk_number=sk_number,
        sk_date=sk_date,
        open_responses=open_responses(person.responses),
        seated=person.nik in ws.placements,
    )
    what = {"kind": "stage", "from": old.value, "to": stage.value}
    if reasons:
        what["reason"] = "; ".join(r.message for r in reasons)
    if stage is Stage.APPOINTED:
        what["sk"] = f"{standing.sk_number} ({standing.sk_date.isoformat() if standing.sk_date else ''})"
    return noted(replace(person, standing=standing), ws.user, what)


def assessment(ws: Workspace, person: Person) -> tuple[Stage, tuple[Reason, ...]]:
    """MS, or TMS with the hard findings of the rule check as reasons."""
    hard = [f for f in check_requirements(person, ws.election) if f.is_hard]
    if hard:
        return Stage.NOT_ELIGIBLE, tuple(Reason(f.code, f.template, dict(f.params)) for f in hard)
    return Stage.ELIGIBLE, ()


@dataclass(frozen=True)
class BulkResult:
    changed: list[Person]
    unchanged: list[Person]  # already where the rule check puts them
    refused: list[tuple[Person, str]]


def assess(ws: Workspace, nik: str, on: date | None = None) -> Person:
    """Set a Pendaftar (or a person already MS or TMS) to what the rule check says;
    ApplicantRefused when the person is past selection."""
    with ws.transaction():
        person = find_person(ws, nik)
        changed = _assessed(ws, person, on or clock.today())
        if changed is not person:
            ws.put_person(changed, "assess")
        return changed


def assess_many(ws: Workspace, niks: Iterable[str] | None = None, on: date | None = None) -> BulkResult:
    """The rule check's verdict for many people at once (every Pendaftar when `niks` is None),
    written in one step; each person past selection is listed with the reason."""
    with ws.transaction():
        people = [find_person(ws, n) for n in niks] if niks is not None else [
            p for p in ws.people.values() if p.standing.stage is Stage.APPLICANT
        ]
        changed: list[Person] = []
        unchanged: list[Person] = []
        refused: list[tuple[Person, str]] = []
        for person in people:
            try:
                result = _assessed(ws, person, on or clock.today())
            except ApplicantRefused as exc:
                refused.append((person, str(exc)))
                continue
            (unchanged if result is person else changed).append(result)
        ws.put_people(changed, "assess")
        return BulkResult(changed, unchanged, refused)


def _assessed(ws: Workspace, person: Person, on: date) -> Person:
    """The person as the rule check places them: MS, or TMS with its findings as reasons. A TMS
    for a reason a coordinator typed stands until they change it; `person` itself when nothing
    changes."""
    stage = person.standing.stage
    if stage not in (Stage.APPLICANT, Stage.ELIGIBLE, Stage.NOT_ELIGIBLE):
        raise ApplicantRefused(N_("{name} is {stage}: past selection, not assessed again."), name=person.name, stage=stage.label)
    verdict, reasons = assessment(ws, person)
    typed = stage is Stage.NOT_ELIGIBLE and any(r.code == "typed" for r in person.standing.reasons)
    if typed or (verdict == stage and reasons == person.standing.reasons):
        return person
    if verdict == stage:  # still TMS, for other reasons now
        what = {"kind": "stage", "from": stage.value, "to": stage.value, "reason": "; ".join(r.message for r in reasons)}
        return noted(replace(person, standing=replace(person.standing, reasons=reasons, decided_on=on, decided_by=ws.user)), ws.user, what)
    return _staged(ws, person, verdict, reasons, "", None, on)


def appoint_many(ws: Workspace, niks: Iterable[str], sk_number: str, sk_date: date) -> BulkResult:
    """Set many seated MS members to Ditetapkan under one SK; each one refused says why."""
    with ws.transaction():
        changed, refused = [], []
        for nik in niks:
            person = find_person(ws, nik)
            try:
                changed.append(_staged(ws, person, Stage.APPOINTED, (), sk_number, sk_date, sk_date))
            except (ApplicantRefused, KppsError) as exc:
                refused.append((person, str(exc)))
        ws.put_people(changed, "stage")
        return BulkResult(changed, [], refused)


# ---- leaving -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Left:
    person: Person
    freed: tuple[str, int] | None  # (TPS code, seat) now waiting for a replacement


def leave(ws: Workspace, nik: str, stage: Stage, reason: str, on: date | None = None) -> Left:
    """Record that a person resigned, was dismissed or died. Their seat, if any, is freed (their
    cards revoked) and marked for a replacement (PAW) until someone fills it."""
    from kpps_tui.services.assignments import unassign

    if stage not in LEAVING:
        raise KppsError(N_("Leaving is one of: mengundurkan diri, diberhentikan, meninggal dunia."))
    on = on or clock.today()
    with ws.transaction():
        person = find_person(ws, nik)
        standing = change_stage(person.standing, stage, name=person.name, on=on, by=ws.user, reasons=(typed_reason(reason),))
        placement = ws.placements.get(person.nik)
        freed = None
        if placement is not None:
            vacancy = Vacancy(person.nik, person.name, stage.value, reason.strip(), on.isoformat())
            unassign(ws, placement.tps_code, placement.seat, person.nik, vacancy)
            freed = (placement.tps_code, placement.seat)
            standing = replace(standing, left_seat=f"{placement.tps_code}/{placement.seat}")
        what = {"kind": "stage", "from": person.standing.stage.value, "to": stage.value, "reason": reason.strip()}
        if freed:
            what["seat"] = f"{freed[0]}/{freed[1]}"
        changed = noted(replace(person, standing=standing), ws.user, what)
        ws.put_person(changed, "leave")
        return Left(changed, freed)

# ---- public responses ----------------------------------------------------------------------------


def add_response(ws: Workspace, nik: str, text: str, on: date | None = None) -> Person:
    """Record a tanggapan masyarakat about an applicant; it must be resolved before Ditetapkan."""
    text = " ".join(text.split())
    if not text:
        raise KppsError(N_("Write what the public response says."))
    with ws.transaction():
        person = find_person(ws, nik)
        response = PublicResponse(text, on or clock.today(), ws.user)
        changed = replace(person, responses=person.responses + (response,))
        changed = noted(changed, ws.user, {"kind": "response", "action": "received", "text": text})
        ws.put_person(changed, "response")
        return changed


def resolve_response(ws: Workspace, nik: str, index: int, note: str, on: date | None = None) -> Person:
    """Settle public response number `index` (from 0, in the order received) with a note."""
    note = " ".join(note.split())
    if not note:
        raise KppsError(N_("Write how the public response was settled."))
    with ws.transaction():
        person = find_person(ws, nik)
        if not 0 <= index < len(person.responses):
            raise KppsError(N_("{name} has no public response number {n}."), name=person.name, n=index + 1)
        old = person.responses[index]
        if old.resolved:
            raise KppsError(N_("That public response about {name} was already settled on {on}."), name=person.name, on=old.resolved_on.isoformat() if old.resolved_on else "")
        settled = replace(old, resolved_on=on or clock.today(), resolved_by=ws.user, resolution=note)
        responses = person.responses[:index] + (settled,) + person.responses[index + 1 :]
        changed = noted(replace(person, responses=responses), ws.user, {"kind": "response", "action": "resolved", "text": note})
        ws.put_person(changed, "response")
        return changed

def set_document(ws: Workspace, nik: str, document: Document | str, received: bool, on: date | None = None) -> Person:
    """Tick a paper as received (with the day, if known) or not received."""
    try:
        doc = Document(document)
    except ValueError:
        raise KppsError(N_("Unknown paper {name}; the papers are: {names}."), name=str(document), names=", ".join(d.value for d in Document)) from None
    if doc is Document.PARTY_LETTER:
        raise KppsError(N_("Record the party's letter with the neutrality papers (former party member)."))
    with ws.transaction():
        person = find_person(ws, nik)
        documents = person.documents.marked(doc, received, on if received else None)
        if documents == person.documents:
            return person
        what = {"kind": "document", "document": doc.value, "received": received}
        if received and on:
            what["on"] = on.isoformat()
        changed = noted(replace(person, documents=documents), ws.user, what)
        ws.put_person(changed, "document")
        return changed


def set_health(ws: Workspace, nik: str, certificate: HealthCertificate | None) -> Person:
    """Record (or remove, with None) the health certificate: date, issuer, three checks."""
    if certificate is not None and not certificate.issuer.strip():
        raise KppsError(N_("Name the clinic, puskesmas or hospital that issued the health certificate."))
    with ws.transaction():
        person = find_person(ws, nik)
        if person.health == certificate:
            return person
        what = {"kind": "health", "normal": certificate.normal if certificate else None}
        changed = noted(replace(person, health=certificate), ws.user, what)
        ws.put_person(changed, "health")
        return changed
