"""Read-only views of a workspace: the TPS list with its filters, a TPS's seats, candidates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from functools import cached_property
from itertools import compress, repeat
from operator import attrgetter, contains
from typing import Any

from kpps_tui.domain.declarations import DeclState
from kpps_tui.domain.model import Person, Tps
from kpps_tui.domain.nik import mask_nik
from kpps_tui.domain.rules import Finding, check_person_for_tps, unknown_person
from kpps_tui.i18n import N_, _
from kpps_tui.services.regions import kabupaten_code, kabupaten_name
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


def fill_status(filled: int, seats: int) -> FillStatus:
    """Empty, not full or full: the one rule for the TPS list, a TPS and the reports."""
    if filled == 0:
        return FillStatus.EMPTY
    return FillStatus.FULL if filled >= seats else FillStatus.PARTIAL


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
    kabupaten_code: str = ""  # PP.KK: a workspace may hold several kabupaten/kota
    kabupaten: str = ""  # its short name: "Kotawaringin Barat", "Kota Palangkaraya"
    declared: int = 0  # seated officers whose Surat Pernyataan is verified

    @property
    def status(self) -> FillStatus:
        return fill_status(self.filled, self.seats)

    @property
    def label(self) -> str:
        return f"TPS {self.number:03d} {self.desa}"

    @cached_property
    def folded_desa(self) -> str:
        """Worked out once: the search looks in every row's at every key (4,446 in a province)."""
        return self.desa.casefold()

    @cached_property
    def search_text(self) -> str:
        """Where the search looks, in one string: a needle is in it when it is in the desa's
        name or in the code (it holds no line break, so it cannot span both)."""
        return f"{self.folded_desa}\n{self.code}"


SEARCH_TEXT = attrgetter("search_text")


@dataclass(frozen=True)
class TpsFilter:
    kabupaten: str | None = None
    kecamatan: str | None = None
    desa: str | None = None
    status: str | None = None  # a key of STATUS_FILTERS
    text: str = ""

    def matches(self, row: TpsRow) -> bool:
        return self.test()(row)

    def test(self) -> Callable[[TpsRow], bool]:
        """`matches` as one function, with the search text read once (for 4,446 rows a key)."""
        checks: list[Callable[[TpsRow], bool]] = []
        kabupaten, kecamatan, desa = self.kabupaten, self.kecamatan, self.desa
        if kabupaten:
            checks.append(lambda r: r.kabupaten_code == kabupaten)
        if kecamatan:
            checks.append(lambda r: r.kecamatan_code == kecamatan)
        if desa:
            checks.append(lambda r: r.desa_code == desa)
        if self.status == "not_full":
            checks.append(lambda r: r.filled < r.seats)
        elif self.status in ("full", "empty"):
            wanted = FillStatus(self.status)
            checks.append(lambda r: r.status is wanted)
        text = tps_text_test(self.text)
        if text is not None:
            checks.append(text)
        if len(checks) <= 1:
            return checks[0] if checks else _everything
        return lambda row: all(check(row) for check in checks)

    def narrows(self, before: TpsFilter) -> bool:
        """Whatever this filter lets through, `before` let through too: the same choices and a
        name searched typed further (a number's search, "tps 3" or "sulung 3", is not taken
        as one). Filtering the rows `before` let through, in their order, gives the rows."""
        needle, earlier = name_needle(self.text), name_needle(before.text)
        return (
            replace(self, text=before.text) == before
            and needle is not None
            and earlier is not None
            and needle.startswith(earlier)
        )


def _everything(row: TpsRow) -> bool:
    return True


def name_needle(text: str) -> str | None:
    """The folded text when the search looks for it in the desa's name or the code (not a TPS
    number, "tps 3", or a desa and a number, "sulung 3"); None otherwise or when empty."""
    needle = text.strip().casefold()
    if not needle or needle.isdigit() or needle.startswith("tps"):
        return None
    words = needle.split()
    if len(words) > 1 and words[-1].isdigit():
        return None
    return needle


def tps_text_test(text: str) -> Callable[[TpsRow], bool] | None:
    """Typing a desa name or a TPS number (with or without leading zeros) finds the TPS."""
    plain = name_needle(text)
    if plain is not None:
        return lambda row: plain in row.search_text
    needle = text.strip().casefold()
    if not needle:
        return None
    if needle.isdigit():
        number = int(needle)
        return lambda row: number == row.number or needle in f"{row.number:03d}"
    words = needle.split()
    if len(words) > 1 and words[-1].isdigit():  # "sulung 3", "sulung tps 002": desa and number
        number, name = int(words[-1]), " ".join(w for w in words[:-1] if w != "tps")
        return lambda row: number == row.number and name in row.folded_desa
    rest = needle[3:].strip()  # what name_needle leaves: "tps 3", "tps3"
    if not rest:
        return None
    wanted = int(rest) if rest.isdigit() else None
    return lambda row: wanted == row.number


SORT_KEYS = {
    "code": lambda r: (r.kecamatan_code, r.desa_code, r.number),
    "desa": lambda r: (r.folded_desa, r.number),
    "filled": lambda r: (r.filled, r.kecamatan_code, r.desa_code, r.number),
}


def tps_rows(ws: Workspace) -> list[TpsRow]:
    """Every TPS as a row, in code order (kabupaten, kecamatan, desa, number)."""
    seats = ws.election.seats_per_tps
    people = ws.people
    verified = DeclState.VERIFIED
    kab_names: dict[str, str] = {}
    rows = []
    for t in ws.tps.values():
        kab = kabupaten_code(t.desa_code)
        if kab not in kab_names:
            kab_names[kab] = kabupaten_name(ws, kab)
        declared = 0
        for seat in t.seats.values():
            person = people.get(seat.nik)
            if person is not None and person.neutrality.statement.state is verified:
                declared += 1
        rows.append(
            TpsRow(
                code=t.code,
                number=t.number,
                desa_code=t.desa_code,
                desa=ws.region_name(t.desa_code),
                kecamatan_code=t.kecamatan_code,
                kecamatan=ws.region_name(t.kecamatan_code),
                filled=t.filled,
                seats=seats,
                kabupaten_code=kab,
                kabupaten=kab_names[kab],
                declared=declared,
            )
        )
    rows.sort(key=SORT_KEYS["code"])
    return rows


def filter_rows(rows: list[TpsRow], flt: TpsFilter, sort: str = "code", reverse: bool = False) -> list[TpsRow]:
    chosen = kept_rows(rows, flt)
    if sort != "code" or reverse:
        chosen.sort(key=SORT_KEYS[sort], reverse=reverse)
    return chosen


def kept_rows(rows: list[TpsRow], flt: TpsFilter) -> list[TpsRow]:
    """The rows `flt` lets through, in their order. A name searched is looked for in one pass
    of C over the rows' search texts (a province's 4,446 at every key of the search)."""
    needle = name_needle(flt.text)
    if needle is None:
        test = flt.test()
        return [r for r in rows if test(r)]
    choices = replace(flt, text="")
    if choices != TpsFilter():
        test = choices.test()
        rows = [r for r in rows if test(r)]
    return list(compress(rows, map(contains, map(SEARCH_TEXT, rows), repeat(needle))))


@dataclass(frozen=True)
class Summary:
    tps_total: int
    tps_full: int
    tps_empty: int
    seats_filled: int
    seats_total: int
    declared: int = 0  # seated officers whose Surat Pernyataan is verified


def summarize(rows: list[TpsRow]) -> Summary:
    full = empty = filled = seats = declared = 0
    for r in rows:  # one pass: the TPS list sums the rows shown at every keystroke
        full += r.filled >= r.seats
        empty += r.filled == 0
        filled += r.filled
        seats += r.seats
        declared += r.declared
    return Summary(len(rows), full, empty, filled, seats, declared)


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

    # Worked out once per candidate: the picker filters and counts them all at every key.
    @cached_property
    def folded_name(self) -> str:
        return self.person.name.casefold()

    @cached_property
    def eligible(self) -> bool:
        return not any(f.is_hard for f in self.findings)

    @property
    def reason(self) -> str:
        """The most important reason, hard before soft; empty when nothing stands in the way."""
        ordered = sorted(self.findings, key=lambda f: not f.is_hard)
        return ordered[0].message if ordered else ""


def candidates(ws: Workspace, tps: Tps, text: str = "") -> list[Candidate]:
    """Applicants of the TPS's kecamatan: its desa first, eligible before refused, by name.

    The rules run once per state of the workspace; typing a filter only narrows that list."""
    needle = text.strip().casefold()
    every = _all_candidates(ws, tps)
    if not needle:
        return list(every)
    return [c for c in every if needle in c.folded_name or needle in c.person.nik]


_candidate_cache: dict[int, tuple[tuple[Any, ...], list[Candidate]]] = {}


def _all_candidates(ws: Workspace, tps: Tps) -> list[Candidate]:
    key = (ws.version, tps, ws.election)
    cached = _candidate_cache.get(id(ws))
    if cached is not None and cached[0] == key:
        return cached[1]
    officers = [ws.people[s.nik] for s in tps.seats.values() if s.nik in ws.people]
    found = [
        Candidate(
            person=person,
            age=person.age_on(ws.election.voting_day),
            same_desa=person.desa_code == tps.desa_code,
            findings=tuple(check_person_for_tps(person, tps, ws.election, ws.seat_holder(person.nik), officers)),
        )
        for person in ws.people_of_kecamatan(tps.kecamatan_code)
    ]
    # A proposal's reserves (cadangan) for this TPS come first while they may still be seated:
    # a seat freed later (PAW) is offered to them before anyone else.
    reserve = {nik: i for i, nik in enumerate(tps.reserves or ())}
    found.sort(
        key=lambda c: (
            not (c.eligible and c.person.nik in reserve),
            reserve.get(c.person.nik, 0),
            not c.same_desa,
            not c.eligible,
            len(c.findings),
            c.person.name,
        )
    )
    _candidate_cache.clear()  # one picker at a time: keep only the newest list
    _candidate_cache[id(ws)] = (key, found)
    return found


# ---- the seats of one TPS ------------------------------------------------------------------


@dataclass(frozen=True)
class SeatView:
    """What one seat shows: who sits there and what the rules say about them."""

    seat: int
    nik: str | None
    person: Person | None
    findings: tuple[Finding, ...]

    @property
    def empty(self) -> bool:
        return self.nik is None

    @property
    def name(self) -> str:
        if self.person is not None:
            return self.person.name
        return _("Unknown applicant") if self.nik else ""


def seat_views(ws: Workspace, tps: Tps) -> list[SeatView]:
    """The seats of `tps` in order, each with its soft (and any hard) findings."""
    views = []
    for seat in range(1, ws.election.seats_per_tps + 1):
        holder = tps.seats.get(seat)
        if holder is None:
            views.append(SeatView(seat, None, None, ()))
            continue
        person = ws.people.get(holder.nik)
        if person is None:
            views.append(SeatView(seat, holder.nik, None, (unknown_person(mask_nik(holder.nik)),)))
            continue
        elsewhere = ws.seat_holder(person.nik)
        if elsewhere is not None and elsewhere.tps_code == tps.code and elsewhere.seat == seat:
            elsewhere = None  # their own seat is not a finding
        findings = check_person_for_tps(person, tps, ws.election, elsewhere)
        views.append(SeatView(seat, holder.nik, person, tuple(findings)))
    return views
