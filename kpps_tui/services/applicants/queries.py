"""Applicants, the read models: the applicant list with its filters and counts, one applicant's
detail, the papers checklist, and the seats waiting for a replacement (PAW).
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import overload
from itertools import compress, repeat
from operator import attrgetter, contains

from kpps_tui.domain.applicants import (
    DOCUMENT_LABELS,
    Document,
    Stage,
    open_responses,
    required_documents,
)
from kpps_tui.domain.model import Override, Person, Vacancy
from kpps_tui.domain.rules import Finding, SeatHolder, check_applicant
from kpps_tui.i18n import N_, _
from kpps_tui.services.finders import find_person
from kpps_tui.store.memory import long_lived
from kpps_tui.store.workspace import Workspace


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

# ---- the applicant list ----------------------------------------------------------------------------

ELIGIBILITY = {
    "eligible": N_("Eligible"),
    "warnings": N_("Eligible with warnings"),
    "refused": N_("Not eligible"),
}


_STAGES = tuple(Stage)
_STAGE_NUMBER = {stage: i for i, stage in enumerate(_STAGES)}
_ELIGIBILITIES = tuple(ELIGIBILITY)
_ELIGIBILITY_NUMBER = {key: i for i, key in enumerate(_ELIGIBILITIES)}


@dataclass(frozen=True, slots=True)
class ApplicantRow:
    person: Person
    age: int
    kecamatan: str
    desa: str
    findings: tuple[Finding, ...]
    seat: SeatHolder | None
    overrides: tuple[Override, ...]  # warnings that stood on the person's seat, with reasons
    # Worked out when the row is made, and kept in the row itself (slots): the pool filters
    # and counts a province's 48,000 rows at every key of its search.
    eligibility: str = field(init=False, compare=False, repr=False)  # a key of ELIGIBILITY
    search_text: str = field(init=False, compare=False, repr=False)  # folded name, NIK: one look
    tally: int = field(init=False, compare=False, repr=False)  # what count_applicants counts

    def __post_init__(self) -> None:
        findings = self.findings
        eligibility = "refused" if any(f.is_hard for f in findings) else "warnings" if findings else "eligible"
        person = self.person
        stage = _STAGE_NUMBER[person.standing.stage]
        tally = ((stage * len(_ELIGIBILITIES) + _ELIGIBILITY_NUMBER[eligibility]) * 2 + (person.sex == "P")) * 2 + (
            self.seat is not None
        )
        set_field = object.__setattr__  # a frozen dataclass
        set_field(self, "eligibility", eligibility)
        set_field(self, "search_text", _search_text(person))
        set_field(self, "tally", tally)

    @property
    def stage(self) -> Stage:
        return self.person.standing.stage

    @property
    def folded_name(self) -> str:
        return self.search_text.partition("\n")[0]

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
        needle = self.needle
        return not needle or needle in row.folded_name or needle.replace(" ", "") in p.nik

    @property
    def needle(self) -> str:
        return self.text.strip().casefold()

    def narrows(self, before: ApplicantFilter) -> bool:
        """Whatever this filter lets through, `before` let through too: the same choices, and
        the text typed further. Filtering the rows `before` let through then gives the rows."""
        return replace(self, text=before.text) == before and self.needle.startswith(before.needle)


def applicant_rows(ws: Workspace) -> list[ApplicantRow]:
    """Every applicant with the rule check's findings about them alone, by kecamatan, desa, name.

    A province's 48,000 rows and their findings are made without the collector and frozen
    then, as the workspace's own objects are when it opens (store.memory): otherwise a
    full collection walks them all at some later key of the pool's search (over 200 ms)."""
    rows = []
    with long_lived():
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
    # The search texts made again in the rows' order, all before any is replaced (a freed
    # string's place would take the next one), so that they lie side by side in memory as the
    # search reads them: a pass over 48,000 strings scattered by the sort took three times as
    # long (each one a cache miss), about 7 ms instead of 2 at the first letter.
    texts = [_search_text(row.person) for row in rows]
    for row, text in zip(rows, texts):
        object.__setattr__(row, "search_text", text)
    return rows


def _search_text(person: Person) -> str:
    """Where the pool's search looks: the folded name and the NIK, one look (no line break is
    typed in the search, so a needle never spans both)."""
    return person.name.casefold() + "\n" + person.nik


class PickedRows(Sequence[ApplicantRow]):
    """Some rows of a list, named by their places in it, in order: what a filter of the pool
    lets through. The places are an array of C integers, which the collector never walks: a
    list of a province's 48,000 rows, new at every key of the search, cost a young collection
    several milliseconds to walk (each row a cache miss)."""

    __slots__ = ("_rows", "places")

    def __init__(self, rows: list[ApplicantRow], places: array[int]) -> None:
        self._rows = rows
        self.places = places

    def __len__(self) -> int:
        return len(self.places)

    @overload
    def __getitem__(self, index: int) -> ApplicantRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[ApplicantRow]: ...
    def __getitem__(self, index: int | slice) -> ApplicantRow | list[ApplicantRow]:
        if isinstance(index, slice):
            return list(map(self._rows.__getitem__, self.places[index]))
        return self._rows[self.places[index]]

    def __iter__(self) -> Iterator[ApplicantRow]:
        return map(self._rows.__getitem__, self.places)


@dataclass(frozen=True)
class ApplicantPool:
    """Every row with its search text and tally beside it, and the places of the rows a filter
    lets through: the search looks in the texts and the counts count the tallies in one call of
    C each, without reaching into 48,000 rows for a field at every key, and a filter makes no
    list the collector walks (`PickedRows`)."""

    every: list[ApplicantRow]
    texts: list[str]
    tallies: bytes
    places: array[int] | None = None  # None: every row
    kinds: tuple[int, ...] = ()  # the tallies there are among every row

    @classmethod
    def of(cls, rows: Sequence[ApplicantRow]) -> ApplicantPool:
        rows = list(rows)
        tallies = bytes(r.tally for r in rows)
        return cls(rows, [r.search_text for r in rows], tallies, kinds=tuple(sorted(set(tallies))))

    def counts(self) -> ApplicantCounts:
        """The counts of the rows let through."""
        return count_tallies(self.shown_tallies(), self.kinds)

    @property
    def rows(self) -> Sequence[ApplicantRow]:
        """The rows let through, in order."""
        return self.every if self.places is None else PickedRows(self.every, self.places)

    def shown_texts(self) -> Iterable[str]:
        return self.texts if self.places is None else map(self.texts.__getitem__, self.places)

    def shown_tallies(self) -> bytes:
        return self.tallies if self.places is None else bytes(map(self.tallies.__getitem__, self.places))

    def kept(self, mask: Iterable[object]) -> ApplicantPool:
        """The rows let through whose place in `mask` is true."""
        places = range(len(self.every)) if self.places is None else self.places
        return replace(self, places=array("l", compress(places, mask)))


def filter_pool(pool: ApplicantPool, flt: ApplicantFilter) -> ApplicantPool:
    """The rows `flt` lets through, in their order: the choices first, then the text, each in
    one pass (a province's 48,000 rows at every key of the search)."""
    chosen = replace(flt, text="")
    if chosen != ApplicantFilter():
        pool = pool.kept(map(chosen.matches, pool.rows))
    needle = flt.needle
    if needle and " " not in needle:  # in the name or in the NIK: one look each, in C
        pool = pool.kept(map(contains, pool.shown_texts(), repeat(needle)))
    elif needle:
        digits = needle.replace(" ", "")  # "6201 01" finds 620101... in the NIK
        pool = pool.kept([needle in r.folded_name or digits in r.person.nik for r in pool.rows])
    return pool


def filter_applicants(rows: Sequence[ApplicantRow], flt: ApplicantFilter) -> list[ApplicantRow]:
    """The rows `flt` lets through, in their order (filter_pool over the rows)."""
    return list(filter_pool(ApplicantPool.of(rows), flt).rows)


@dataclass(frozen=True)
class ApplicantCounts:
    total: int
    by_stage: dict[Stage, int]
    by_eligibility: dict[str, int]
    women: int
    seated: int


def count_applicants(rows: Sequence[ApplicantRow]) -> ApplicantCounts:
    """The counts over the line of the pool (count_tallies over the rows' tallies)."""
    return count_tallies(bytes(map(attrgetter("tally"), rows)))


# Every tally there can be: a byte each (stage, eligibility, sex, seated).
_TALLIES = range(len(_STAGES) * len(_ELIGIBILITIES) * 4)


def count_tallies(tallies: bytes, kinds: Iterable[int] = _TALLIES) -> ApplicantCounts:
    """The counts of the rows whose tallies these are, a search of C through them for each
    tally there can be, or each of `kinds` when only those are there (a key of the search
    counts the rows it shows again: a province's 48,000 at the first letter)."""
    by_stage: Counter[Stage] = Counter()
    by_eligibility: Counter[str] = Counter()
    women = seated = 0
    for tally in kinds:
        count = tallies.count(tally)
        if not count:
            continue
        rest, is_seated = divmod(tally, 2)
        rest, woman = divmod(rest, 2)
        stage, eligibility = divmod(rest, len(_ELIGIBILITIES))
        by_stage[_STAGES[stage]] += count
        by_eligibility[_ELIGIBILITIES[eligibility]] += count
        women += woman * count
        seated += is_seated * count
    return ApplicantCounts(len(tallies), dict(by_stage), dict(by_eligibility), women, seated)


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
