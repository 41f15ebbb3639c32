"""Applicants, the form: the NIK checked as the user types it, and the Builder that turns form or
file fields into a Person (used by the form and by imports).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kpps_tui.domain.applicants import (
    EDUCATION_LEVELS,
    HealthCertificate,
    nik_mismatches,
    normalize_education,
    read_nik_so_far,
    read_sex,
    sex_label,
)
from kpps_tui.domain.model import Person
from kpps_tui.domain.nik import NikInfo, parse_nik
from kpps_tui.domain.dates import read_date
from kpps_tui.domain.tax import parse_tax_status
from kpps_tui.domain.text import strip_controls
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
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
            nik_text = field_text(given.get("nik", existing.nik if existing else "")).replace(" ", "")
            if not nik_text:
                raise KppsError(N_("The NIK is empty."))
            info = parse_nik(nik_text, self.day)
        if existing is not None and info.nik != existing.nik:
            raise KppsError(N_("A NIK cannot be changed; add the person with the right NIK as a new applicant."))
        changes: dict[str, Any] = {}
        if "name" in given or existing is None:
            name = " ".join(field_text(given.get("name", "")).split())
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
            changes["desa_code"] = self.resolve_desa(field_text(given.get("desa", "")), field_text(given.get("kecamatan", "")))
        for key in ("birth_place", "address", "earlier_service", "notes"):
            if key in given:
                changes[key] = _limit(" ".join(field_text(given[key]).split()), key)
        for key in ("rt", "rw"):
            if key in given:
                changes[key] = _rt(field_text(given[key]), key)
        if "phone" in given:
            changes["phone"] = _phone(field_text(given["phone"]))
        if "education" in given:
            changes["education"] = _education(field_text(given["education"]))
        if "tax" in given:
            changes["tax"] = parse_tax_status(field_text(given["tax"]))
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
        text = field_text(given["sex"])
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
            text = field_text(value)
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


def field_text(value: object) -> str:
    """A form or file value as text: stripped, a date as 2024-11-27, nothing as empty;
    ESC, NUL, C1 and the other control characters never stored (domain.text)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return strip_controls(str(value))


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
