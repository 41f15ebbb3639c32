"""The nouns of the workspace, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kpps_tui.domain.declarations import Neutrality
from kpps_tui.domain.nik import age_on
from kpps_tui.i18n import N_, _

KETUA_SEAT = 1


@dataclass(frozen=True)
class Election:
    name: str
    kpu_name: str
    voting_day: date
    min_age: int = 17
    preferred_max_age: int = 55
    seats_per_tps: int = 7

    def to_doc(self) -> dict:
        return {
            "name": self.name,
            "kpu_name": self.kpu_name,
            "voting_day": self.voting_day.isoformat(),
            "min_age": self.min_age,
            "preferred_max_age": self.preferred_max_age,
            "seats_per_tps": self.seats_per_tps,
        }

    @classmethod
    def from_doc(cls, doc: dict) -> Election:
        return cls(
            name=doc["name"],
            kpu_name=doc["kpu_name"],
            voting_day=date.fromisoformat(doc["voting_day"]),
            min_age=int(doc.get("min_age", 17)),
            preferred_max_age=int(doc.get("preferred_max_age", 55)),
            seats_per_tps=int(doc.get("seats_per_tps", 7)),
        )


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
class Seat:
    nik: str
    assigned_at: str = ""
    assigned_by: str = ""

    def to_doc(self) -> dict:
        return {"nik": self.nik, "assigned_at": self.assigned_at, "assigned_by": self.assigned_by}

    @classmethod
    def from_doc(cls, doc: dict) -> Seat:
        return cls(doc["nik"], doc.get("assigned_at", ""), doc.get("assigned_by", ""))


@dataclass(frozen=True)
class Tps:
    code: str  # desa code + "-" + three-digit number, e.g. 62.01.02.1001-003
    desa_code: str
    number: int
    address: str = ""
    voters: int = 0
    seats: dict[int, Seat] = field(default_factory=dict)

    @property
    def kecamatan_code(self) -> str:
        return ".".join(self.desa_code.split(".")[:3])

    @property
    def filled(self) -> int:
        return len(self.seats)

    def label(self, desa_name: str) -> str:
        return f"TPS {self.number:03d} {desa_name}"

    def to_doc(self) -> dict:
        return {
            "code": self.code,
            "desa": self.desa_code,
            "number": self.number,
            "address": self.address,
            "voters": self.voters,
            "seats": {str(n): seat.to_doc() for n, seat in sorted(self.seats.items())},
        }

    @classmethod
    def from_doc(cls, doc: dict) -> Tps:
        return cls(
            code=doc["code"],
            desa_code=doc["desa"],
            number=int(doc["number"]),
            address=doc.get("address", ""),
            voters=int(doc.get("voters", 0)),
            seats={int(n): Seat.from_doc(s) for n, s in doc.get("seats", {}).items()},
        )


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
    history: tuple[dict, ...] = ()  # what happened to this person's papers, oldest first

    @property
    def kecamatan_code(self) -> str:
        return ".".join(self.desa_code.split(".")[:3])

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)

    def to_doc(self) -> dict:
        return {
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
        }

    @classmethod
    def from_doc(cls, doc: dict) -> Person:
        return cls(
            nik=doc["nik"],
            name=doc["name"],
            sex=doc["sex"],
            birth_date=date.fromisoformat(doc["birth_date"]),
            desa_code=doc["desa"],
            birth_place=doc.get("birth_place", ""),
            address=doc.get("address", ""),
            rt=doc.get("rt", ""),
            rw=doc.get("rw", ""),
            phone=doc.get("phone", ""),
            education=doc.get("education", ""),
            neutrality=Neutrality.from_doc(doc.get("neutrality")),
            history=tuple(doc.get("history", ())),
        )


def seat_title(seat: int) -> str:
    """Ketua KPPS for seat 1, Anggota KPPS for the others, in the active language."""
    if seat == KETUA_SEAT:
        return _(N_("Ketua KPPS"))
    return _(N_("Anggota KPPS {n}")).format(n=seat)
