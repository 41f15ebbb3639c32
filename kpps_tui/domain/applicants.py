"""An applicant's file: stage, papers, health certificate and public responses, as plain data.

Stages (PKPU 8/2022, Kep. KPU 475/2024): Pendaftar -> Memenuhi Syarat (MS) or Tidak Memenuhi
Syarat (TMS), with reasons -> Ditetapkan (SK number and date) -> Dilantik (date). A member may
leave (mengundurkan diri, diberhentikan, meninggal dunia) with a reason; the seat is then freed
and marked for a replacement (PAW). A public response (tanggapan masyarakat) must be resolved
before the person is Ditetapkan.

Nothing here reads or writes files; the services apply these functions and store the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from typing import Any

from kpps_tui.domain.nik import (
    FEMALE,
    MALE,
    PROVINCE_CODES,
    NikError,
    NikInfo,
    parse_nik,
)
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _


class ApplicantRefused(KppsError):
    """A change to an applicant's file that the rules do not allow; the sentence says why."""


# ---- stages ------------------------------------------------------------------------------------


class Stage(str, Enum):
    APPLICANT = "pendaftar"
    ELIGIBLE = "ms"
    NOT_ELIGIBLE = "tms"
    APPOINTED = "ditetapkan"
    SWORN_IN = "dilantik"
    RESIGNED = "mengundurkan_diri"
    DISMISSED = "diberhentikan"
    DIED = "meninggal_dunia"

    @property
    def label(self) -> str:
        return _(_STAGE_LABELS[self])

    @property
    def has_left(self) -> bool:
        return self in LEAVING


_STAGE_LABELS = {
    Stage.APPLICANT: N_("Pendaftar"),
    Stage.ELIGIBLE: N_("Memenuhi Syarat (MS)"),
    Stage.NOT_ELIGIBLE: N_("Tidak Memenuhi Syarat (TMS)"),
    Stage.APPOINTED: N_("Ditetapkan"),
    Stage.SWORN_IN: N_("Dilantik"),
    Stage.RESIGNED: N_("Mengundurkan diri"),
    Stage.DISMISSED: N_("Diberhentikan"),
    Stage.DIED: N_("Meninggal dunia"),
}

LEAVING = frozenset({Stage.RESIGNED, Stage.DISMISSED, Stage.DIED})

# Which stage may follow which. A decision can be corrected (MS <-> TMS, Ditetapkan back to
# MS when the SK is withdrawn); leaving is possible from every stage that has not left.
ALLOWED: dict[Stage, frozenset[Stage]] = {
    Stage.APPLICANT: frozenset({Stage.ELIGIBLE, Stage.NOT_ELIGIBLE}),
    Stage.ELIGIBLE: frozenset({Stage.NOT_ELIGIBLE, Stage.APPOINTED, Stage.APPLICANT}),
    Stage.NOT_ELIGIBLE: frozenset({Stage.ELIGIBLE, Stage.APPLICANT}),
    Stage.APPOINTED: frozenset({Stage.SWORN_IN, Stage.ELIGIBLE}),
    Stage.SWORN_IN: frozenset({Stage.APPOINTED}),
}
for _stage in (Stage.APPLICANT, Stage.ELIGIBLE, Stage.NOT_ELIGIBLE, Stage.APPOINTED, Stage.SWORN_IN):
    ALLOWED[_stage] = ALLOWED[_stage] | LEAVING
for _stage in LEAVING:
    ALLOWED[_stage] = frozenset()


@dataclass(frozen=True)
class Reason:
    """Why a person is TMS: a finding of the rule check (translated when shown) or typed text."""

    code: str  # a rule's finding code, or "typed"
    template: str = ""
    params: dict[str, Any] = field(default_factory=dict[str, Any])
    text: str = ""

    @property
    def message(self) -> str:
        if self.text:
            return self.text
        return _(self.template).format(**self.params)

    def to_doc(self) -> dict[str, Any]:
        if self.text:
            return {"code": self.code, "text": self.text}
        return {"code": self.code, "template": self.template, "params": dict(self.params)}

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | str) -> Reason:
        if isinstance(doc, str):
            return cls("typed", text=doc)
        return cls(doc.get("code", "typed"), doc.get("template", ""), dict(doc.get("params") or {}), doc.get("text", ""))


def typed_reason(text: str) -> Reason:
    return Reason("typed", text=text.strip())


@dataclass(frozen=True)
class Standing:
    """Where the person stands in the selection, and what that rests on."""

    stage: Stage = Stage.APPLICANT
    reasons: tuple[Reason, ...] = ()  # TMS reasons
    decided_on: date | None = None
    decided_by: str = ""
    sk_number: str = ""
    sk_date: date | None = None
    sworn_on: date | None = None
    left_on: date | None = None
    left_reason: str = ""
    left_seat: str = ""  # "TPS code/seat" the person held when leaving, if any

    def to_doc(self) -> dict[str, Any]:
        """The stage, and of the rest only what is filled in (most applicants have little)."""
        doc: dict[str, Any] = {"stage": self.stage.value}
        if self.reasons:
            doc["reasons"] = [r.to_doc() for r in self.reasons]
        for key in ("decided_on", "sk_date", "sworn_on", "left_on"):
            day = getattr(self, key)
            if day:
                doc[key] = day.isoformat()
        for key in ("decided_by", "sk_number", "left_reason", "left_seat"):
            text = getattr(self, key)
            if text:
                doc[key] = text
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> Standing:
        if not doc:
            return cls()
        stage = _STAGES[doc.get("stage", Stage.APPLICANT.value)]
        if len(doc) == 1:
            return _PLAIN_STANDINGS[stage]  # a stage and nothing more
        if len(doc) == 3 and "decided_on" in doc and "decided_by" in doc:
            # Most applicants: decided MS (or the like) on a day by someone; thousands share it.
            key = (stage, doc["decided_on"], doc["decided_by"])
            found = _DECIDED.get(key)
            if found is None:
                found = _DECIDED[key] = cls(stage, (), _date(doc["decided_on"]), doc["decided_by"])
            return found
        return cls(
            stage=stage,
            reasons=tuple(Reason.from_doc(r) for r in doc.get("reasons") or ()),
            decided_on=_date(doc.get("decided_on")),
            decided_by=doc.get("decided_by", ""),
            sk_number=doc.get("sk_number", ""),
            sk_date=_date(doc.get("sk_date")),
            sworn_on=_date(doc.get("sworn_on")),
            left_on=_date(doc.get("left_on")),
            left_reason=doc.get("left_reason", ""),
            left_seat=doc.get("left_seat", ""),
        )


_STAGES = {s.value: s for s in Stage}
_PLAIN_STANDINGS = {s: Standing(s) for s in Stage}
_DECIDED: dict[tuple[Any, ...], Standing] = {}


def change_stage(
    standing: Standing,
    new: Stage,
    *,
    name: str,
    on: date,
    by: str,
    reasons: tuple[Reason, ...] = (),
    sk_number: str = "",
    sk_date: date | None = None,
    open_responses: int = 0,
    seated: bool = False,
) -> Standing:
    """The standing after moving to `new`, or ApplicantRefused saying why not.

    `open_responses` counts unresolved public responses; `seated` says whether the person holds
    a seat (only a seated person is appointed by the SK)."""
    old = standing.stage
    if new == old:
        raise ApplicantRefused(N_("{name} is already {stage}."), name=name, stage=new.label)
    if new not in ALLOWED[old]:
        if old.has_left:
            raise ApplicantRefused(
                N_("{name} has left ({stage}); register the person again as a new applicant if needed."),
                name=name,
                stage=old.label,
            )
        raise ApplicantRefused(
            N_("{name} cannot go from {old} to {new}."), name=name, old=old.label, new=new.label
        )
    reasons = tuple(r for r in reasons if r.message.strip())
    if new is Stage.NOT_ELIGIBLE and not reasons:
        raise ApplicantRefused(N_("Say why {name} does not meet the requirements (TMS)."), name=name)
    if new is Stage.APPOINTED:
        if open_responses:
            raise ApplicantRefused(
                N_("{name} has {count} unresolved public response(s); resolve them before the appointment."),
                name=name,
                count=open_responses,
            )
        if not seated:
            raise ApplicantRefused(
                N_("{name} holds no seat; the SK appoints members of a TPS, so assign a seat first."), name=name
            )
        if not sk_number.strip() or sk_date is None:
            raise ApplicantRefused(N_("Give the SK number and date that appoint {name}."), name=name)
        return replace(
            standing, stage=new, sk_number=sk_number.strip(), sk_date=sk_date, decided_on=on, decided_by=by
        )
    if new is Stage.SWORN_IN:
        if standing.sk_date and on < standing.sk_date:
            raise ApplicantRefused(
                N_("{name} cannot be sworn in on {on}, before the SK of {sk_date}."),
                name=name,
                on=on.isoformat(),
                sk_date=standing.sk_date.isoformat(),
            )
        return replace(standing, stage=new, sworn_on=on)
    if new in LEAVING:
        text = " ".join(r.message for r in reasons).strip()
        if not text:
            raise ApplicantRefused(N_("Say why {name} leaves ({stage})."), name=name, stage=new.label)
        return replace(standing, stage=new, left_on=on, left_reason=text)
    if new is Stage.NOT_ELIGIBLE:
        return Standing(Stage.NOT_ELIGIBLE, reasons, on, by)
    if old is Stage.APPOINTED and new is Stage.ELIGIBLE:  # the SK is withdrawn
        if not reasons:
            raise ApplicantRefused(N_("Say why the appointment of {name} is withdrawn."), name=name)
        return Standing(Stage.ELIGIBLE, (), on, by)
    return Standing(new, (), on, by)


# ---- documents -----------------------------------------------------------------------------------


class Document(str, Enum):
    """The papers an applicant hands in (Kep. KPU 1669/2023)."""

    REGISTRATION = "surat_pendaftaran"
    CV = "daftar_riwayat_hidup"
    ID_CARD = "ktp_el"
    DIPLOMA = "ijazah"
    PHOTO = "pas_foto"
    STATEMENT = "surat_pernyataan"
    HEALTH = "surat_keterangan_sehat"
    PARTY_LETTER = "surat_partai"

    @property
    def label(self) -> str:
        return _(DOCUMENT_LABELS[self])


DOCUMENT_LABELS = {
    Document.REGISTRATION: N_("Surat Pendaftaran"),
    Document.CV: N_("Daftar Riwayat Hidup"),
    Document.ID_CARD: N_("Fotokopi KTP-el"),
    Document.DIPLOMA: N_("Fotokopi Ijazah"),
    Document.PHOTO: N_("Pas Foto"),
    Document.STATEMENT: N_("Surat Pernyataan"),
    Document.HEALTH: N_("Surat Keterangan Sehat"),
    Document.PARTY_LETTER: N_("Surat keterangan partai (mantan anggota)"),
}

# Everyone hands these in; a former party member also the party's letter.
REQUIRED_DOCUMENTS = (
    Document.REGISTRATION,
    Document.CV,
    Document.ID_CARD,
    Document.DIPLOMA,
    Document.PHOTO,
    Document.STATEMENT,
    Document.HEALTH,
)


@dataclass(frozen=True)
class Documents:
    """Which papers were received, and on which day: {document value: ISO date, or None when
    the day was not noted}. Kept as text, read as dates on demand (thousands are loaded)."""

    received: dict[str, str | None] = field(default_factory=dict)

    def has(self, doc: Document) -> bool:
        return doc.value in self.received

    def received_on(self, doc: Document) -> date | None:
        return _date(self.received.get(doc.value))

    def marked(self, doc: Document, received: bool, on: date | None = None) -> Documents:
        received_now = dict(self.received)
        if received:
            received_now[doc.value] = _iso(on)
        else:
            received_now.pop(doc.value, None)
        return Documents(dict(sorted(received_now.items())))

    def to_doc(self) -> dict[str, Any]:
        return dict(sorted(self.received.items()))

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> Documents:
        return cls(doc) if doc else _NO_DOCUMENTS  # never changed in place: marked() copies

    @classmethod
    def on(cls, received: dict[Document, date | None]) -> Documents:
        """Papers received on these days."""
        return cls({d.value: _iso(day) for d, day in sorted(received.items(), key=lambda item: item[0].value)})


_NO_DOCUMENTS = Documents()


def required_documents(former_party_member: bool) -> tuple[Document, ...]:
    return REQUIRED_DOCUMENTS + ((Document.PARTY_LETTER,) if former_party_member else ())


# ---- health certificate ------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthCertificate:
    """The Surat Keterangan Sehat: who issued it, when, and whether the three checks were normal."""

    issued_on: date | None = None
    issuer: str = ""  # clinic, puskesmas or hospital
    blood_pressure: bool = True  # True: normal
    blood_sugar: bool = True
    cholesterol: bool = True

    @property
    def normal(self) -> bool:
        return self.blood_pressure and self.blood_sugar and self.cholesterol

    def not_normal_codes(self) -> list[str]:
        """The checks found not normal: keys of HEALTH_CHECK_LABELS."""
        checks = (("blood_pressure", self.blood_pressure), ("blood_sugar", self.blood_sugar), ("cholesterol", self.cholesterol))
        return [code for code, normal in checks if not normal]

    def to_doc(self) -> dict[str, Any]:
        return {
            "issued_on": _iso(self.issued_on),
            "issuer": self.issuer,
            "blood_pressure": self.blood_pressure,
            "blood_sugar": self.blood_sugar,
            "cholesterol": self.cholesterol,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> HealthCertificate | None:
        if not doc:
            return None
        key = (
            doc.get("issued_on"),
            doc.get("issuer", ""),
            bool(doc.get("blood_pressure", True)),
            bool(doc.get("blood_sugar", True)),
            bool(doc.get("cholesterol", True)),
        )
        found = _CERTIFICATES.get(key)
        if found is None:  # the same few issuers on the same few days: share the objects
            found = _CERTIFICATES[key] = cls(_date(key[0]), *key[1:])
        return found


_CERTIFICATES: dict[tuple[Any, ...], HealthCertificate] = {}


HEALTH_CHECK_LABELS = {
    "blood_pressure": N_("blood pressure"),
    "blood_sugar": N_("blood sugar"),
    "cholesterol": N_("cholesterol"),
}


# ---- public responses --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicResponse:
    """A tanggapan masyarakat about an applicant, and how it was settled."""

    text: str
    received_on: date
    recorded_by: str = ""
    resolved_on: date | None = None
    resolved_by: str = ""
    resolution: str = ""

    @property
    def resolved(self) -> bool:
        return self.resolved_on is not None

    def to_doc(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "received_on": self.received_on.isoformat(),
            "recorded_by": self.recorded_by,
            "resolved_on": _iso(self.resolved_on),
            "resolved_by": self.resolved_by,
            "resolution": self.resolution,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> PublicResponse:
        return cls(
            doc["text"],
            date.fromisoformat(doc["received_on"]),
            doc.get("recorded_by", ""),
            _date(doc.get("resolved_on")),
            doc.get("resolved_by", ""),
            doc.get("resolution", ""),
        )


def open_responses(responses: tuple[PublicResponse, ...]) -> int:
    return sum(not r.resolved for r in responses)


# ---- education -----------------------------------------------------------------------------------

# Levels as the forms write them, lowest first; SMA/SMK (or equivalent) is the requirement.
EDUCATION_LEVELS = ("SD", "SMP", "SMA/SMK", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
MINIMUM_EDUCATION = "SMA/SMK"

_EDUCATION_WORDS = {
    "sd": "SD", "mi": "SD", "paket a": "SD", "sekolah dasar": "SD",
    "smp": "SMP", "mts": "SMP", "sltp": "SMP", "paket b": "SMP",
    "sma": "SMA/SMK", "smk": "SMA/SMK", "ma": "SMA/SMK", "mak": "SMA/SMK", "slta": "SMA/SMK",
    "stm": "SMA/SMK", "smea": "SMA/SMK", "paket c": "SMA/SMK", "sma/smk": "SMA/SMK",
    "sma/sederajat": "SMA/SMK", "sederajat": "SMA/SMK",
    "d1": "D1", "d-1": "D1", "d2": "D2", "d-2": "D2", "d3": "D3", "d-3": "D3", "diploma": "D3",
    "d4": "D4", "d-4": "D4", "s1": "S1", "s-1": "S1", "sarjana": "S1",
    "s2": "S2", "s-2": "S2", "magister": "S2", "s3": "S3", "s-3": "S3", "doktor": "S3",
}


def normalize_education(text: str) -> str | None:
    """The level written the usual way ("SMA/SMK" for SMK, MA, SLTA...); "" for nothing;
    None when the text names no level we know."""
    folded = " ".join(text.replace(".", "").split()).casefold()
    if not folded:
        return ""
    for level in EDUCATION_LEVELS:
        if folded == level.casefold():
            return level
    return _EDUCATION_WORDS.get(folded)


def education_rank(level: str) -> int | None:
    return EDUCATION_LEVELS.index(level) if level in EDUCATION_LEVELS else None


def below_minimum_education(level: str) -> bool:
    rank = education_rank(level)
    return rank is not None and rank < EDUCATION_LEVELS.index(MINIMUM_EDUCATION)


# ---- the NIK as it is being typed ----------------------------------------------------------------


@dataclass(frozen=True)
class NikReading:
    """What can be said about NIK text so far: `error` when it cannot become a NIK, `info` once
    all 16 digits make one, otherwise `progress` (e.g. 10 of 16 digits)."""

    digits: str
    error: str | None = None
    info: NikInfo | None = None

    @property
    def complete(self) -> bool:
        return self.info is not None

    @property
    def progress(self) -> str:
        return _("{count} of 16 digits").format(count=len(self.digits))


def read_nik_so_far(text: str, reference_day: date) -> NikReading:
    """Check as much of a NIK as has been typed: the characters at once, the province after two
    digits, the birth date after twelve, everything at sixteen."""
    digits = text.strip().replace(" ", "")
    if not digits:
        return NikReading("")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 16:
        return NikReading(digits, error=_nik_error(digits, reference_day))
    if len(digits) >= 2 and int(digits[:2]) not in PROVINCE_CODES:
        return NikReading(digits, error=_nik_error(digits.ljust(16, "1"), reference_day, digits))
    if len(digits) >= 8 and not (1 <= int(digits[6:8]) <= 31 or 41 <= int(digits[6:8]) <= 71):
        return NikReading(
            digits,
            error=_("Digits 7-8 of a NIK are the day of birth (plus 40 for women); {day} cannot be one.").format(day=digits[6:8]),
        )
    if len(digits) >= 10 and not 1 <= int(digits[8:10]) <= 12:
        return NikReading(
            digits, error=_("Digits 9-10 of a NIK are the month of birth; {month} cannot be one.").format(month=digits[8:10])
        )
    if len(digits) >= 12:
        probe = digits + "0001"[len(digits) - 12 :]  # a partial serial padded to a valid one
        try:
            info = parse_nik(probe, reference_day)
        except NikError as exc:
            return NikReading(digits, error=str(exc).replace(probe, digits))
        if len(digits) == 16:
            return NikReading(digits, info=info)
    return NikReading(digits)


def _nik_error(candidate: str, reference_day: date, shown: str | None = None) -> str:
    try:
        parse_nik(candidate, reference_day)
    except NikError as exc:
        message = str(exc)
        return message.replace(candidate, shown) if shown else message
    return ""


def nik_mismatches(info: NikInfo, sex: str | None, birth_date: date | None) -> list[str]:
    """Sentences for a typed sex or birth date that the NIK contradicts."""
    found = []
    if sex in (MALE, FEMALE) and sex != info.sex:
        found.append(
            _("The NIK says {nik_sex}, the form says {typed}.").format(
                nik_sex=sex_label(info.sex), typed=sex_label(sex)
            )
        )
    if birth_date is not None and birth_date != info.birth_date:
        found.append(
            _("The NIK gives birth date {nik_date}, the form says {typed}.").format(
                nik_date=info.birth_date.isoformat(), typed=birth_date.isoformat()
            )
        )
    return found


def sex_label(sex: str) -> str:
    return _("Male") if sex == MALE else _("Female") if sex == FEMALE else sex


def read_sex(text: str) -> str | None:
    """L or P from what forms and spreadsheets write; None when it is neither."""
    folded = text.strip().casefold()
    if folded in ("l", "lk", "laki-laki", "laki laki", "pria", "m", "male", "1"):
        return MALE
    if folded in ("p", "pr", "perempuan", "wanita", "w", "f", "female", "2"):
        return FEMALE
    return None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
