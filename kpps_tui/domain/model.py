"""The nouns of the workspace, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from kpps_tui.domain.applicants import (
    Documents,
    HealthCertificate,
    PublicResponse,
    Standing,
)
from kpps_tui.domain.declarations import Neutrality
from kpps_tui.domain.nik import age_on
from kpps_tui.domain.schedule import PILKADA_2024, Stage, schedule_from_doc, schedule_to_doc
from kpps_tui.domain.tax import TaxRates, TaxStatus, tax_status_from_doc, tax_status_to_doc
from kpps_tui.i18n import N_, _

KETUA_SEAT = 1

# KPPS are appointed 20 days before voting day and work until 11 days after it (Pilkada 2024:
# penetapan 7 Nov, voting 27 Nov, masa kerja to 8 Dec; Kep. KPU 475/2024). The ID cards are
# valid for that period unless the election's settings say other dates.
APPOINTED_DAYS_BEFORE_VOTING = 20
WORK_DAYS_AFTER_VOTING = 11


def render(template: str, params: dict[str, Any]) -> str:
    """A finding's sentence in the active language; a list parameter holds source strings
    (labels), each translated and joined with commas."""
    shown = {
        key: ", ".join(_(v) for v in value) if isinstance(value, (list, tuple)) else value
        for key, value in params.items()
    }
    return _(template).format(**shown)


@dataclass(frozen=True)
class PaperSettings:
    """What the office's documents need beyond the data: the letterhead, who signs where and
    when, the SK, the honorarium rates and the PPh 21 rates. (The period for public responses
    is a stage of the schedule.)"""

    letterhead_address: str = ""  # the address line under the office's name (kop surat)
    sign_place: str = ""
    sign_date: date | None = None  # empty: the day the document is made
    signatory_title: str = ""  # empty: "Ketua" of the KPU office
    signatory_name: str = ""
    sk_number: str = ""
    sk_date: date | None = None
    honorarium_ketua: int = 900_000  # rupiah per month, Pilkada 2024
    honorarium_anggota: int = 850_000
    pph21_npwp: Decimal = Decimal("2.5")  # percent of the gross
    pph21_no_npwp: Decimal = Decimal("3")
    pph21_golongan_i: Decimal = Decimal("0")
    pph21_golongan_ii: Decimal = Decimal("0")
    pph21_golongan_iii: Decimal = Decimal("5")
    pph21_golongan_iv: Decimal = Decimal("15")

    @property
    def tax_rates(self) -> TaxRates:
        return TaxRates(
            self.pph21_npwp,
            self.pph21_no_npwp,
            {
                "I": self.pph21_golongan_i,
                "II": self.pph21_golongan_ii,
                "III": self.pph21_golongan_iii,
                "IV": self.pph21_golongan_iv,
            },
        )

    def honorarium(self, seat: int) -> int:
        return self.honorarium_ketua if seat == KETUA_SEAT else self.honorarium_anggota

    def to_doc(self) -> dict[str, object]:
        doc: dict[str, object] = {}
        for key in PAPER_KEYS:
            value = getattr(self, key)
            doc[key] = value.isoformat() if isinstance(value, date) else str(value) if isinstance(value, Decimal) else value
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> PaperSettings:
        default = cls()
        values: dict[str, Any] = {}
        for key in PAPER_KEYS:
            if key not in doc:
                continue
            raw, kind = doc[key], type(getattr(default, key))
            if key.endswith("_date"):
                values[key] = date.fromisoformat(raw) if raw else None
            elif kind is Decimal:
                values[key] = Decimal(str(raw))
            elif kind is int:
                values[key] = int(raw)
            else:
                values[key] = str(raw)
        return cls(**values)


PAPER_KEYS = tuple(PaperSettings.__dataclass_fields__)


@dataclass(frozen=True)
class Election:
    name: str
    kpu_name: str
    voting_day: date
    min_age: int = 17
    preferred_max_age: int = 55
    seats_per_tps: int = 7
    women_percent: int = 30  # wanted share of women among a TPS's officers
    max_voters: int = 600  # voters per TPS at most (Pilkada 2024)
    # The ID cards' period; None: from the appointment to the end of the KPPS' work.
    cards_valid_from: date | None = None
    cards_valid_until: date | None = None
    papers: PaperSettings = PaperSettings()  # what the office's documents need

    @property
    def card_period(self) -> tuple[date, date]:
        """(first day, last day) on which the officers' ID cards are valid."""
        start = self.cards_valid_from or self.voting_day - timedelta(days=APPOINTED_DAYS_BEFORE_VOTING)
        until = self.cards_valid_until or self.voting_day + timedelta(days=WORK_DAYS_AFTER_VOTING)
        return start, until

    def cards_ended(self, today: date) -> bool:
        """Whether the cards' period is over on `today`: new cards would be void when made."""
        return today > self.card_period[1]
    schedule: tuple[Stage, ...] = PILKADA_2024  # the stages (tahapan) but voting day, by date

    @property
    def women_needed(self) -> int:
        """Women a full TPS needs for the wanted share (30% of 7 seats: 3)."""
        return -(-self.women_percent * self.seats_per_tps // 100)

    def to_doc(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kpu_name": self.kpu_name,
            "voting_day": self.voting_day.isoformat(),
            "min_age": self.min_age,
            "preferred_max_age": self.preferred_max_age,
            "seats_per_tps": self.seats_per_tps,
            "women_percent": self.women_percent,
            "max_voters": self.max_voters,
            **({"cards_valid_from": self.cards_valid_from.isoformat()} if self.cards_valid_from else {}),
            **({"cards_valid_until": self.cards_valid_until.isoformat()} if self.cards_valid_until else {}),
            **self.papers.to_doc(),
            "schedule": schedule_to_doc(self.schedule),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Election:
        return cls(
            name=doc["name"],
            kpu_name=doc["kpu_name"],
            voting_day=date.fromisoformat(doc["voting_day"]),
            min_age=int(doc.get("min_age", 17)),
            preferred_max_age=int(doc.get("preferred_max_age", 55)),
            seats_per_tps=int(doc.get("seats_per_tps", 7)),
            women_percent=int(doc.get("women_percent", 30)),
            max_voters=int(doc.get("max_voters", 600)),
            cards_valid_from=_day_or_none(doc.get("cards_valid_from")),
            cards_valid_until=_day_or_none(doc.get("cards_valid_until")),
            papers=PaperSettings.from_doc(doc),
            schedule=schedule_from_doc(doc.get("schedule")),
        )


def _day_or_none(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Region:
    """A kecamatan (PP.KK.CC) or desa/kelurahan (PP.KK.CC.DDDD) by its Kemendagri code."""

    code: str
    name: str

    @property
    def kecamatan_code(self) -> str:
        return ".".join(self.code.split(".")[:3])

    @property
    def is_kelurahan(self) -> bool:
        return self.code.split(".")[-1].startswith("1")


@dataclass(frozen=True)
class Override:
    """A warning of the rule check (soft finding) that stood when a person was seated, with the
    written reason for seating them anyway (empty: seated with the warning, no reason given)."""

    code: str
    template: str = ""  # the finding's sentence, translated when shown
    params: dict[str, Any] = field(default_factory=dict[str, Any])
    reason: str = ""
    by: str = ""
    at: str = ""

    @property
    def message(self) -> str:
        return render(self.template, self.params) if self.template else self.code

    @property
    def justified(self) -> bool:
        return bool(self.reason.strip())

    def to_doc(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "template": self.template,
            "params": dict(self.params),
            "reason": self.reason,
            "by": self.by,
            "at": self.at,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Override:
        return cls(
            doc["code"],
            doc.get("template", ""),
            dict(doc.get("params") or {}),
            doc.get("reason", ""),
            doc.get("by", ""),
            doc.get("at", ""),
        )


@dataclass(frozen=True)
class Seat:
    nik: str
    assigned_at: str = ""
    assigned_by: str = ""
    overrides: tuple[Override, ...] = ()  # every warning that stood when seated, with its reason

    def override(self, code: str) -> Override | None:
        return next((o for o in self.overrides if o.code == code), None)

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"nik": self.nik, "assigned_at": self.assigned_at, "assigned_by": self.assigned_by}
        if self.overrides:
            doc["overrides"] = [o.to_doc() for o in self.overrides]
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Seat:
        # As Person.from_doc (in field order): a province opens 18,000 seats.
        seat = object.__new__(cls)
        fields = seat.__dict__
        fields["nik"] = doc["nik"]
        fields["assigned_at"] = doc.get("assigned_at", "")
        fields["assigned_by"] = doc.get("assigned_by", "")
        fields["overrides"] = tuple(Override.from_doc(o) for o in overrides) if (overrides := doc.get("overrides")) else ()
        return seat


@dataclass(frozen=True)
class Vacancy:
    """A seat freed because its member left: it waits for a replacement (PAW)."""

    nik: str  # who left
    name: str
    stage: str  # how they left: a domain.applicants.Stage value
    reason: str = ""
    on: str = ""  # ISO date

    def to_doc(self) -> dict[str, Any]:
        return {"nik": self.nik, "name": self.name, "stage": self.stage, "reason": self.reason, "on": self.on}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Vacancy:
        return cls(doc["nik"], doc.get("name", ""), doc.get("stage", ""), doc.get("reason", ""), doc.get("on", ""))


@dataclass(frozen=True)
class Tps:
    code: str  # desa code + "-" + three-digit number, e.g. 62.01.02.1001-003
    desa_code: str
    number: int
    address: str = ""
    voters: int = 0
    seats: dict[int, Seat] = field(default_factory=dict)
    paw: dict[int, Vacancy] = field(default_factory=dict)  # seats waiting for a replacement
    # Reserves (cadangan) a proposal ranked for this TPS, best first: the picker offers them
    # first. None: never set (the key stays out of the file); () once cleared.
    reserves: tuple[str, ...] | None = None

    def with_paw_settled(self) -> Tps:
        """The same TPS without replacement marks on seats that are filled again."""
        waiting = {n: v for n, v in self.paw.items() if n not in self.seats}
        return self if waiting == self.paw else replace(self, paw=waiting)

    @property
    def kecamatan_code(self) -> str:
        return ".".join(self.desa_code.split(".")[:3])

    @property
    def filled(self) -> int:
        return len(self.seats)

    def label(self, desa_name: str) -> str:
        return f"TPS {self.number:03d} {desa_name}"

    def to_doc(self) -> dict[str, Any]:
        doc = {
            "code": self.code,
            "desa": self.desa_code,
            "number": self.number,
            "address": self.address,
            "voters": self.voters,
            "seats": {str(n): seat.to_doc() for n, seat in sorted(self.seats.items())},
            # Always written: the store updates a TPS document key by key, so a key left out
            # would keep its old value.
            "paw": {str(n): v.to_doc() for n, v in sorted(self.paw.items())},
        }
        if self.reserves is not None:
            doc["reserves"] = list(self.reserves)
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Tps:
        tps = object.__new__(cls)  # as Person.from_doc: a province opens 4,446
        fields = tps.__dict__  # in field order
        fields["code"] = doc["code"]
        fields["desa_code"] = doc["desa"]
        fields["number"] = int(doc["number"])
        fields["address"] = doc.get("address", "")
        fields["voters"] = int(doc.get("voters", 0))
        fields["seats"] = {int(n): Seat.from_doc(s) for n, s in doc.get("seats", {}).items()}
        fields["paw"] = {int(n): Vacancy.from_doc(v) for n, v in (doc.get("paw") or {}).items()}
        fields["reserves"] = tuple(doc["reserves"]) if doc.get("reserves") is not None else None
        return tps


def tps_code(desa_code: str, number: int) -> str:
    return f"{desa_code}-{number:03d}"


@dataclass(frozen=True)
class Person:
    nik: str
    name: str
    sex: str  # "L" or "P"
    birth_date: date
    desa_code: str  # domicile, from the KTP address
    birth_place: str = ""
    address: str = ""
    rt: str = ""
    rw: str = ""
    phone: str = ""
    education: str = ""
    neutrality: Neutrality = Neutrality()
    history: tuple[dict[str, Any], ...] = ()  # what happened to this person's papers, oldest first
    standing: Standing = Standing()  # stage in the selection: Pendaftar, MS/TMS, Ditetapkan...
    documents: Documents = Documents()
    health: HealthCertificate | None = None
    earlier_service: str = ""  # earlier KPPS service, as told
    notes: str = ""
    responses: tuple[PublicResponse, ...] = ()  # tanggapan masyarakat
    tax: TaxStatus | None = None  # for the PPh 21 on the honorarium; None: not recorded

    @property
    def kecamatan_code(self) -> str:
        return ".".join(self.desa_code.split(".")[:3])

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)

    def to_doc(self) -> dict[str, Any]:
        doc = {
            "nik": self.nik,
            "name": self.name,
            "sex": self.sex,
            "birth_date": self.birth_date.isoformat(),
            "birth_place": self.birth_place,
            "desa": self.desa_code,
            "address": self.address,
            "rt": self.rt,
            "rw": self.rw,
            "phone": self.phone,
            "education": self.education,
            "neutrality": self.neutrality.to_doc(),
            "history": list(self.history),
            "standing": self.standing.to_doc(),
            "documents": self.documents.to_doc(),
            "health": self.health.to_doc() if self.health else None,
            "earlier_service": self.earlier_service,
            "notes": self.notes,
            "responses": [r.to_doc() for r in self.responses],
        }
        if self.tax is not None:  # a person's document is written whole, so leaving it out clears it
            doc["tax"] = tax_status_to_doc(self.tax)
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Person:
        # Tens of thousands open with a province: the fields go straight into the new object's
        # dict, without the frozen dataclass's object.__setattr__ per field, one key at a time
        # in field order, so that the dict shares its keys with every other Person's as after
        # __init__ (dict.update would give each its own, 176 bytes more: 8 MB for a province).
        person = object.__new__(cls)
        fields = person.__dict__
        fields["nik"] = doc["nik"]
        fields["name"] = doc["name"]
        fields["sex"] = doc["sex"]
        fields["birth_date"] = date.fromisoformat(doc["birth_date"])
        fields["desa_code"] = doc["desa"]
        fields["birth_place"] = doc.get("birth_place", "")
        fields["address"] = doc.get("address", "")
        fields["rt"] = doc.get("rt", "")
        fields["rw"] = doc.get("rw", "")
        fields["phone"] = doc.get("phone", "")
        fields["education"] = doc.get("education", "")
        fields["neutrality"] = Neutrality.from_doc(doc.get("neutrality"))
        fields["history"] = tuple(doc.get("history", ()))
        fields["standing"] = Standing.from_doc(doc.get("standing"))
        fields["documents"] = Documents.from_doc(doc.get("documents"))
        fields["health"] = HealthCertificate.from_doc(doc.get("health"))
        fields["earlier_service"] = doc.get("earlier_service", "")
        fields["notes"] = doc.get("notes", "")
        fields["responses"] = tuple(PublicResponse.from_doc(r) for r in doc.get("responses") or ())
        fields["tax"] = tax_status_from_doc(doc.get("tax"))
        return person


def seat_title(seat: int) -> str:
    """Ketua KPPS for seat 1, Anggota KPPS for the others, in the active language."""
    if seat == KETUA_SEAT:
        return _(N_("Ketua KPPS"))
    return _(N_("Anggota KPPS {n}")).format(n=seat)
