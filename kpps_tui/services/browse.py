"""Read-only views of a workspace: the TPS list with its filters, a TPS's seats, candidates."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kpps_tui.domain.model import Person, Tps
from kpps_tui.domain.rules import Finding, check_person_for_tps
from kpps_tui.i18n import N_, _
from kpps_tui.store.workspace import Workspace


class FillStatus(str, Enum):
    EMPTY = "empty"
    PARTIAL = "partial"
    FULL = "full"

    @property
    def label(self) -> str:
        return _(_STATUS_LABELS[self])


_STATUS_LABELS = {
    FillStatus.EMPTY: N_("Empty"),
    FillStatus.PARTIAL: N_("Not full"),
    FillStatus.FULL: N_("Full"),
}

# Filter choices for the fill state; "not_full" covers empty and partial TPS.
STATUS_FILTERS = {
    "not_full": N_("Not full"),
    "full": N_("Full"),
    "empty": N_("Empty"),
}


@dataclass(frozen=True)
class TpsRow:
    code: str
    number: int
    desa_code: str
    desa: str
    kecamatan_code: str
    kecamatan: str
    filled: int
    seats: int

    @property
    def status(self) -> FillStatus:
        if self.filled == 0:
            return FillStatus.EMPTY
        return FillStatus.FULL if self.filled >= self.seats else FillStatus.PARTIAL

    @property
    def label(self) -> str:
        return f"TPS {self.number:03d} {self.desa}"


@dataclass(frozen=True)
class TpsFilter:
    kecamatan: str | None = None
    desa: str | None = None
    status: str | None = None  # a key of STATUS_FILTERS
    text: str = ""

    def matches(self, row: TpsRow) -> bool:
        if self.kecamatan and row.kecamatan_code != self.kecamatan:
            return False
        if self.desa and row.desa_code != self.desa:
            return False
        if self.status == "not_full" and row.status is FillStatus.FULL:
            return False
        if self.status in ("full", "empty") and row.status.value != self.status:
            return False
        return _matches_text(row, self.text)


def _matches_text(row: TpsRow, text: str) -> bool:
    """Typing a desa name or a TPS number (with or without leading zeros) finds the TPS."""
    needle = text.strip().casefold()
    if not needle:
        return True
    if needle.isdigit():
        return int(needle) == row.number or needle in f"{row.number:03d}"
    if needle.startswith("tps"):
        rest = needle[3:].strip()
        return not rest or (rest.isdigit() and int(rest) == row.number)
    return needle in row.desa.casefold() or needle in row.code


SORT_KEYS = {
    "code": lambda r: (r.kecamatan_code, r.desa_code, r.number),
    "desa": lambda r: (r.desa.casefold(), r.number),
    "filled": lambda r: (r.filled, r.kecamatan_code, r.desa_code, r.number),
}


def tps_rows(ws: Workspace) -> list[TpsRow]:
    """Every TPS as a row, in code order (kecamatan, desa, number)."""
    seats = ws.election.seats_per_tps
    rows = [
        TpsRow(
            code=t.code,
            number=t.number,
            desa_code=t.desa_code,
            desa=ws.region_name(t.desa_code),
            kecamatan_code=t.kecamatan_code,
            kecamatan=ws.region_name(t.kecamatan_code),
            filled=t.filled,
            seats=seats,
        )
        for t in ws.tps.values()
    ]
    rows.sort(key=SORT_KEYS["code"])
    return rows


def filter_rows(rows: list[TpsRow], flt: TpsFilter, sort: str = "code", reverse: bool = False) -> list[TpsRow]:
    chosen = [r for r in rows if flt.matches(r)]
    if sort != "code" or reverse:
        chosen.sort(key=SORT_KEYS[sort], reverse=reverse)
    return chosen


@dataclass(frozen=True)
class Summary:
    tps_total: int
    tps_full: int
    tps_empty: int
    seats_filled: int
    seats_total: int


def summarize(rows: list[TpsRow]) -> Summary:
    return Summary(
        tps_total=len(rows),
        tps_full=sum(r.status is FillStatus.FULL for r in rows),
        tps_empty=sum(r.status is FillStatus.EMPTY for r in rows),
        seats_filled=sum(r.filled for r in rows),
        seats_total=sum(r.seats for r in rows),
    )


def next_not_full(ws: Workspace, after_code: str | None) -> str | None:
    """The next TPS in code order (wrapping round) that still has an empty seat."""
    rows = tps_rows(ws)
    codes = [r.code for r in rows]
    start = codes.index(after_code) + 1 if after_code in codes else 0
    for row in rows[start:] + rows[:start]:
        if row.status is not FillStatus.FULL and row.code != after_code:
            return row.code
    return None


@dataclass(frozen=True)
class Candidate:
    person: Person
    age: int
    same_desa: bool
    findings: tuple[Finding, ...]

    @property
    def eligible(self) -> bool:
        return not any(f.is_hard for f in self.findings)

    @property
    def reason(self) -> str:
        """The most important reason, hard before soft; empty when nothing stands in the way."""
        ordered = sorted(self.findings, key=lambda f: not f.is_hard)
        return ordered[0].message if ordered else ""


def candidates(ws: Workspace, tps: Tps, text: str = "") -> list[Candidate]:
    """Applicants of the TPS's kecamatan: its desa first, eligible before refused, by name."""
    needle = text.strip().casefold()
    found = []
    for person in ws.people_of_kecamatan(tps.kecamatan_code):
        if needle and needle not in person.name.casefold() and needle not in person.nik:
            continue
        findings = check_person_for_tps(person, tps, ws.election, ws.seat_holder(person.nik))
        found.append(
            Candidate(
                person=person,
                age=person.age_on(ws.election.voting_day),
                same_desa=person.desa_code == tps.desa_code,
                findings=tuple(findings),
            )
        )
    found.sort(key=lambda c: (not c.same_desa, not c.eligible, len(c.findings), c.person.name))
    return found
