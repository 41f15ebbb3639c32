"""Applicants: the NIK check of the form, adding and editing, stages, papers, health, public
responses, leaving (PAW), and the list the applicant screen shows.

Every change is checked (domain.applicants, domain.rules), stored with the person (one write
per kecamatan file, however many people change) and kept in the person's history and in the
audit log (the store logs every put).

What the terminal interface calls:
    check_nik(ws, text, sex=None, birth_date=None, editing=None) -> NikCheck   as the user types
    add_applicant(ws, fields) -> Person;  update_applicant(ws, nik, fields) -> Person
    set_stage(ws, nik, stage, reasons=(), sk_number="", sk_date=None, on=None) -> Person
    assess(ws, nik) / assess_many(ws, niks) : MS or TMS from the rule check
    leave(ws, nik, stage, reason, on=None) -> Left   (frees the seat, marks it for PAW)
    add_response / resolve_response, set_document, set_health
    applicant_rows(ws), filter_applicants(rows, ApplicantFilter), count_applicants(rows)
    applicant_detail(ws, nik) -> ApplicantDetail
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kpps_tui import clock
from kpps_tui.domain.applicants import (
    DOCUMENT_LABELS,
    EDUCATION_LEVELS,
    LEAVING,
    ApplicantRefused,
    Document,
    HealthCertificate,
    PublicResponse,
    Reason,
    Stage,
    change_stage,
    nik_mismatches,
    normalize_education,
    open_responses,
    read_nik_so_far,
    read_sex,
    required_documents,
    sex_label,
    typed_reason,
)
from kpps_tui.domain.model import Override, Person, Vacancy
from kpps_tui.domain.nik import NikError, NikInfo, parse_nik
from kpps_tui.domain.rules import (
    Finding,
    SeatHolder,
    check_applicant,
    check_requirements,
)
from kpps_tui.domain.dates import read_date
from kpps_tui.domain.tax import parse_tax_status
from kpps_tui.domain.text import strip_controls
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services.finders import find_person
from kpps_tui.store.audit import now_iso
from kpps_tui.store.workspace import Workspace

# ---- the NIK as the user types it --------------------------------------------------------------


@dataclass(frozen=True)
class NikCheck:
    """What the form shows under the NIK field."""

    digits: str
    error: str | None  # why this cannot be a NIK (a sentence), or None
    progress: str  # e.g. "10 of 16 digits" while incomplete
    info: NikInfo | None  # once 16 valid digits are typed
    mismatches: tuple[str, ...]  # the typed sex or birth date against the NIK
    existing: Person | None  # a person who already has this NIK (refused; offer to open them)

    @property
    def sex(self) -> str | None:
        return self.info.sex if self.info else None

    @property
    def birth_date(self) -> date | None:
        return self.info.birth_date if self.info else None

    @property
    def ok(self) -> bool:
        """A new NIK that may be saved (mismatches aside, which refuse saving too)."""
        return self.info is not None and self.existing is None and not self.error

    @property
    def message(self) -> str:
        """One line for the form."""
        if self.error:
            return self.error
        if self.existing is not None:
            return _("NIK {nik} is already in this workspace: {name}. Open that applicant instead.").format(
                nik=self.digits, name=self.existing.name
            )
        if self.info is None:
            return self.progress if self.digits else ""
        read = _("{sex}, born {born}").format(sex=sex_label(self.info.sex), born=self.info.birth_date.isoformat())
        return " ".join([read, *self.mismatches])


def check_nik(
    ws: Workspace,
    text: str,
    sex: str | None = None,
    birth_date: date | None = None,
    editing: str | None = None,
) -> NikCheck:
    """Check NIK text as it is typed: digits only, a known province, a real birth date (women
    +40), serial not 0000; read sex and birth date from it and compare with what was typed;
    find a person who already has it (`editing`: the NIK of the person being edited)."""
    reading = read_nik_so_far(text, ws.election.voting_day)
    mismatches: tuple[str, ...] = ()
    existing = None
    if reading.info is not None:
        mismatches = tuple(nik_mismatches(reading.info, sex, birth_date))
        found = ws.people.get(reading.digits)
        if found is not None and reading.digits != editing:
            existing = found
    return NikCheck(reading.digits, reading.error, reading.progress, reading.info, mismatches, existing)


# ---- building a person from form or file fields ------------------------------------------------

FIELD_NAMES = (
    "nik", "name", "sex", "birth_place", "birth_date", "address", "rt", "rw", "desa", "kecamatan",
    "phone", "education", "earlier_service", "notes", "health", "tax",
)
REQUIRED = ("nik", "name", "desa")
_FIELD_SET = frozenset(FIELD_NAMES)
_PHONE = re.compile(r"\+?\d{8,15}")
MAX_TEXT = 200


class Builder:
    """Turns fields (text, or dates for the dates) into a Person, refusing with a sentence.

    Built once per import (the desa names are indexed once), used for every row."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.day = ws.election.voting_day
        self.desa = set(ws.desa_codes())
        self.kecamatan = {c: ws.region_name(c) for c in ws.kecamatan_codes()}
        self.desa_by_name: dict[str, list[str]] = {}
        for code in sorted(self.desa):
            self.desa_by_name.setdefault(_fold(ws.region_name(code)), []).append(code)

    def build(
        self, fields: Mapping[str, object], existing: Person | None = None, info: NikInfo | None = None
    ) -> tuple[Person, list[str]]:
        """The person with these fields applied to `existing` (or new), and the names of the
        fields that changed. A field left out is kept; for an existing person an empty text
        clears an optional field. `info`: the NIK already parsed."""
        given = fields
        if not _FIELD_SET.issuperset(given):
            unknown = sorted(set(given) - _FIELD_SET)
            raise KppsError(N_("Unknown applicant field {name}."), name=", ".join(unknown))
        if info is None:
            nik_text = _text(given.get("nik", existing.nik if existing else "")).replace(" ", "")
            if not nik_text:
                raise KppsError(N_("The NIK is empty."))
            info = parse_nik(nik_text, self.day)
        if existing is not None and info.nik != existing.nik:
            raise KppsError(N_("A NIK cannot be changed; add the person with the right NIK as a new applicant."))
        changes: dict[str, Any] = {}
        if "name" in given or existing is None:
            name = " ".join(_text(given.get("name", "")).split())
            if not name:
                raise KppsError(N_("The name of NIK {nik} is empty."), nik=info.nik)
            changes["name"] = _limit(name, "name")
        sex = self._sex(given, info, existing)
        if sex is not None:
            changes["sex"] = sex
        birth = self._birth(given, info, existing)
        if birth is not None:
            changes["birth_date"] = birth
        if "desa" in given or existing is None:
            changes["desa_code"] = self.resolve_desa(_text(given.get("desa", "")), _text(given.get("kecamatan", "")))
        for key in ("birth_place", "address", "earlier_service", "notes"):
            if key in given:
                changes[key] = _limit(" ".join(_text(given[key]).split()), key)
        for key in ("rt", "rw"):
            if key in given:
                changes[key] = _rt(_text(given[key]), key)
        if "phone" in given:
            changes["phone"] = _phone(_text(given["phone"]))
        if "education" in given:
            changes["education"] = _education(_text(given["education"]))
        if "tax" in given:
            changes["tax"] = parse_tax_status(_text(given["tax"]))
        if "health" in given:
            health = given["health"]
            if health is not None and not isinstance(health, HealthCertificate):
                raise KppsError(N_("Unknown applicant field {name}."), name="health")
            changes["health"] = health
        if existing is None:
            changes.setdefault("sex", info.sex)
            changes.setdefault("birth_date", info.birth_date)
            return Person(nik=info.nik, **changes), sorted({*_given_names(given), *REQUIRED})
        changed = [k for k, v in changes.items() if getattr(existing, k) != v]
        if not changed:
            return existing, []
        person = replace(existing, **{k: changes[k] for k in changed})
        if person.kecamatan_code != existing.kecamatan_code:
            raise KppsError(
                N_("{name} would move to another kecamatan ({old} to {new}); moving an applicant between kecamatan is not supported yet."),
                name=existing.name,
                old=self.kecamatan.get(existing.kecamatan_code, existing.kecamatan_code),
                new=self.kecamatan.get(person.kecamatan_code, person.kecamatan_code),
            )
        return person, sorted(_FIELD_OF_ATTR.get(k, k) for k in changed)

    def _sex(self, given: Mapping[str, object], info: NikInfo, existing: Person | None) -> str | None:
        if "sex" not in given:
            return None
        text = _text(given["sex"])
        if not text:
            return info.sex
        sex = read_sex(text)
        if sex is None:
            raise KppsError(N_("{text} is not a sex; write L (laki-laki) or P (perempuan)."), text=text)
        if sex != info.sex:
            raise KppsError(
                N_("The NIK {nik} says {nik_sex}, the sex given is {typed}; check both."),
                nik=info.nik,
                nik_sex=sex_label(info.sex),
                typed=sex_label(sex),
            )
        return sex

    def _birth(self, given: Mapping[str, object], info: NikInfo, existing: Person | None) -> date | None:
        if "birth_date" not in given:
            return None
        value = given["birth_date"]
        if isinstance(value, date):
            birth = value
        else:
            text = _text(value)
            if not text:
                return info.birth_date
            birth = read_date(text)
        if birth != info.birth_date:
            raise KppsError(
                N_("The NIK {nik} gives birth date {nik_date}, the date given is {typed}; check both."),
                nik=info.nik,
                nik_date=info.birth_date.isoformat(),
                typed=birth.isoformat(),
            )
        return birth

    def resolve_desa(self, text: str, kecamatan: str = "") -> str:
        """A desa/kelurahan of this workspace by its code or name (the kecamatan, by code or
        name, settles a name that several kecamatan have)."""
        text = text.strip()
        if not text:
            raise KppsError(N_("The desa/kelurahan of domicile is empty."))
        if text in self.desa:
            return text
        found = self.desa_by_name.get(_fold(_strip_desa_word(text)), [])
        if len(found) > 1 and kecamatan:
            kec = _fold(kecamatan)
            found = [c for c in found if c.startswith(kecamatan.strip() + ".") or _fold(self.kecamatan.get(c[:8], "")) == kec]
        if len(found) == 1:
            return found[0]
        if found:
            raise KppsError(
                N_("Several desa/kelurahan are called {text}: {codes}; give the code or the kecamatan."),
                text=text,
                codes=", ".join(found),
            )
        raise KppsError(N_("No desa/kelurahan {text} in this workspace; give its code (such as 62.01.01.2001) or its name."), text=text)


_FIELD_OF_ATTR = {"desa_code": "desa"}


def _given_names(given: Mapping[str, object]) -> list[str]:
    return [k for k in given if k != "kecamatan"]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return strip_controls(str(value))  # ESC, NUL, C1: never stored, from a form or a file


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _strip_desa_word(text: str) -> str:
    for word in ("desa ", "kelurahan ", "kel. ", "kel "):
        if text.casefold().startswith(word):
            return text[len(word):]
    return text


def _limit(text: str, key: str) -> str:
    if len(text) > MAX_TEXT:
        raise KppsError(N_("{field} is longer than {max} characters."), field=key, max=MAX_TEXT)
    return text


def _rt(text: str, key: str) -> str:
    if not text:
        return ""
    if not text.isdigit() or len(text) > 3:
        raise KppsError(N_("{field} is a number of at most 3 digits, such as 004; {text} is not."), field=key.upper(), text=text)
    return f"{int(text):03d}"


def _phone(text: str) -> str:
    if not text:
        return ""
    compact = re.sub(r"[\s\-().]", "", text)
    if not _PHONE.fullmatch(compact):
        raise KppsError(N_("{text} is not a phone number; write 8 to 15 digits, such as 081234567890."), text=text)
    return compact


def _education(text: str) -> str:
    level = normalize_education(text)
    if level is None:
        raise KppsError(N_("{text} is not an education level; use one of {levels}."), text=text, levels=", ".join(EDUCATION_LEVELS))
    return level


# ---- adding and editing ----------------------------------------------------------------------


def noted(person: Person, by: str, what: dict[str, Any]) -> Person:
    """The person with one more history line: who, when, what."""
    return replace(person, history=person.history + ({"at": now_iso(), "by": by, **what},))


def add_applicant(ws: Workspace, fields: Mapping[str, object]) -> Person:
    """Register a new applicant (stage Pendaftar); KppsError says what is wrong with the fields.
    A NIK already in the workspace is refused, naming that person."""
    with ws.transaction():
        nik = _text(fields.get("nik", "")).replace(" ", "")
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


@dataclass(frozen=True)
class PawSeat:
    tps_code: str
    tps_label: str
    seat: int
    vacancy: Vacancy


def seats_waiting_for_replacement(ws: Workspace) -> list[PawSeat]:
    """Seats freed by a member who left and not filled since (PAW), in TPS code order."""
    return [
        PawSeat(tps.code, ws.tps_label(tps), seat, vacancy)
        for tps in sorted(ws.tps.values(), key=lambda t: t.code)
        for seat, vacancy in sorted(tps.paw.items())
        if seat not in tps.seats
    ]


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


# ---- papers and health -------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperStatus:
    document: Document
    received: bool
    on: date | None
    editable: bool  # False for the party's letter, which is recorded with the neutrality papers

    @property
    def label(self) -> str:
        return self.document.label


def papers_of(person: Person) -> list[PaperStatus]:
    """The checklist: every required paper, received or not, with the day."""
    found = []
    for doc in required_documents(person.neutrality.former_party_member):
        if doc is Document.PARTY_LETTER:
            letter = person.neutrality.party_letter
            found.append(PaperStatus(doc, letter is not None, None, False))
        else:
            found.append(PaperStatus(doc, person.documents.has(doc), person.documents.received_on(doc), True))
    return found


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


# ---- the applicant list ----------------------------------------------------------------------------

ELIGIBILITY = {
    "eligible": N_("Eligible"),
    "warnings": N_("Eligible with warnings"),
    "refused": N_("Not eligible"),
}


@dataclass(frozen=True)
class ApplicantRow:
    person: Person
    age: int
    kecamatan: str
    desa: str
    findings: tuple[Finding, ...]
    seat: SeatHolder | None
    overrides: tuple[Override, ...]  # warnings that stood on the person's seat, with reasons

    @property
    def stage(self) -> Stage:
        return self.person.standing.stage

    @property
    def eligibility(self) -> str:
        if any(f.is_hard for f in self.findings):
            return "refused"
        return "warnings" if self.findings else "eligible"

    @property
    def eligibility_label(self) -> str:
        return _(ELIGIBILITY[self.eligibility])


@dataclass(frozen=True)
class ApplicantFilter:
    kecamatan: str | None = None
    desa: str | None = None
    stage: Stage | None = None
    sex: str | None = None
    eligibility: str | None = None  # a key of ELIGIBILITY
    text: str = ""  # part of a name or NIK

    def matches(self, row: ApplicantRow) -> bool:
        p = row.person
        if self.kecamatan and p.kecamatan_code != self.kecamatan:
            return False
        if self.desa and p.desa_code != self.desa:
            return False
        if self.stage is not None and row.stage is not self.stage:
            return False
        if self.sex and p.sex != self.sex:
            return False
        if self.eligibility and row.eligibility != self.eligibility:
            return False
        needle = self.text.strip().casefold()
        return not needle or needle in p.name.casefold() or needle.replace(" ", "") in p.nik


def applicant_rows(ws: Workspace) -> list[ApplicantRow]:
    """Every applicant with the rule check's findings about them alone, by kecamatan, desa, name."""
    rows = []
    for person in ws.people.values():
        holder = ws.seat_holder(person.nik)
        overrides: tuple[Override, ...] = ()
        if holder is not None:
            overrides = ws.tps[holder.tps_code].seats[holder.seat].overrides
        rows.append(
            ApplicantRow(
                person,
                person.age_on(ws.election.voting_day),
                ws.region_name(person.kecamatan_code),
                ws.region_name(person.desa_code),
                tuple(check_applicant(person, ws.election)),
                holder,
                overrides,
            )
        )
    rows.sort(key=lambda r: (r.person.desa_code, r.person.name.casefold(), r.person.nik))
    return rows


def filter_applicants(rows: list[ApplicantRow], flt: ApplicantFilter) -> list[ApplicantRow]:
    return [r for r in rows if flt.matches(r)]


@dataclass(frozen=True)
class ApplicantCounts:
    total: int
    by_stage: dict[Stage, int]
    by_eligibility: dict[str, int]
    women: int
    seated: int


def count_applicants(rows: list[ApplicantRow]) -> ApplicantCounts:
    return ApplicantCounts(
        total=len(rows),
        by_stage=dict(Counter(r.stage for r in rows)),
        by_eligibility=dict(Counter(r.eligibility for r in rows)),
        women=sum(r.person.sex == "P" for r in rows),
        seated=sum(r.seat is not None for r in rows),
    )


@dataclass(frozen=True)
class ApplicantDetail:
    person: Person
    age: int
    findings: tuple[Finding, ...]
    papers: tuple[PaperStatus, ...]
    seat: SeatHolder | None
    overrides: tuple[Override, ...]
    open_responses: int


def applicant_detail(ws: Workspace, nik: str) -> ApplicantDetail:
    """Everything the applicant screen shows about one person."""
    person = find_person(ws, nik)
    holder = ws.seat_holder(person.nik)
    overrides = ws.tps[holder.tps_code].seats[holder.seat].overrides if holder else ()
    return ApplicantDetail(
        person,
        person.age_on(ws.election.voting_day),
        tuple(check_applicant(person, ws.election)),
        tuple(papers_of(person)),
        holder,
        overrides,
        open_responses(person.responses),
    )


def document_label(code: str) -> str:
    try:
        return _(DOCUMENT_LABELS[Document(code)])
    except ValueError:
        return code


__all__ = [
    "ApplicantCounts",
    "ApplicantDetail",
    "ApplicantFilter",
    "ApplicantRow",
    "BulkResult",
    "Builder",
    "Left",
    "NikCheck",
    "NikError",
    "PaperStatus",
    "PawSeat",
    "add_applicant",
    "add_response",
    "applicant_detail",
    "applicant_rows",
    "appoint_many",
    "assess",
    "assess_many",
    "check_nik",
    "count_applicants",
    "filter_applicants",
    "leave",
    "papers_of",
    "resolve_response",
    "seats_waiting_for_replacement",
    "set_document",
    "set_health",
    "set_stage",
    "update_applicant",
]
