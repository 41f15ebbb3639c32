"""Importing applicant and TPS lists from CSV/XLSX, and exporting the applicant list.

1. preview_applicants(ws, path, mapping=None) reads the file row by row and says what would
   be added, updated (matched by NIK, with the fields that change) and refused (row number and
   reason for each). Nothing is written.
2. apply_applicants(ws, preview, strict=False) reads the file again under the workspace lock
   (refusing if it changed since the preview), and writes every valid row in one step: one
   write per kecamatan file. If any write fails, the files written so far get their previous
   bytes back, so the import lands whole or not at all. With strict, nothing is written when
   any row was refused. Rows that change nothing are not written: importing the same file
   twice changes nothing the second time (no history line, no audit line).
The mapping (field -> header) used is remembered for the next file with the same headers.
The same for TPS lists: preview_tps / apply_tps.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, cast

from kpps_tui.domain.model import Person, Tps, tps_code
from kpps_tui.domain.nik import parse_nik
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.interchange.applicants_io import APPLICANT_FIELDS as APPLICANT_FIELDS  # the form's fields, for screens
from kpps_tui.interchange.applicants_io import (
    Field,
    RowSource,
    fields_of,
    guess_mapping,
    open_rows,
    write_applicants,
)
from kpps_tui.interchange.export import Cell
from kpps_tui.services.applicants import Builder, noted
from kpps_tui.store import mappings
from kpps_tui.store.audit import now_iso
from kpps_tui.store.workspace import Workspace

# ---- mapping -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    fields: dict[str, str]  # field -> header
    source: str  # "given", "remembered" or "guessed" (where the fields not given came from)


def file_headers(path: Path) -> list[str]:
    """The column names of a CSV or XLSX file, or a KppsError saying why it cannot be read."""
    return open_rows(path).headers


def suggested_mapping(ws: Workspace, kind: str, headers: list[str]) -> tuple[dict[str, str], str]:
    """What was remembered for these headers, else what their names suggest; and which of the
    two it is ("remembered" or "guessed")."""
    remembered = mappings.remembered(ws.root, kind, headers)
    if remembered is not None:
        return remembered, "remembered"
    return guess_mapping(headers, kind), "guessed"


def choose_mapping(ws: Workspace, kind: str, headers: list[str], given: dict[str, str] | None) -> Mapping:
    """The mapping to use: what the user gave, over what was remembered for these headers,
    else what the header names suggest. Refuses a header the file does not have, a field that
    does not exist, or a required field left unmapped."""
    known = fields_of(kind)
    base, source = suggested_mapping(ws, kind, headers)
    chosen = {k: v for k, v in base.items() if k in known and v in headers}
    for key, header in (given or {}).items():
        if key not in known:
            raise KppsError(N_("There is no field {field}; the fields are: {fields}."), field=key, fields=", ".join(known))
        if header == "":
            chosen.pop(key, None)
            continue
        if header not in headers:
            raise KppsError(N_("The file has no column {header}; its columns are: {headers}."), header=header, headers=", ".join(headers))
        chosen[key] = header
    if given:
        source = "given"
    missing = [f for f in known.values() if f.required and f.key not in chosen]
    if kind == "tps" and "code" not in chosen and not ("desa" in chosen and "number" in chosen):
        raise KppsError(N_("Map a column to the TPS code, or columns to the desa and the TPS number."))
    if missing:
        raise KppsError(
            N_("No column is mapped to {fields}; the file's columns are: {headers}. Map them with field=Header."),
            fields=", ".join(f.key for f in missing),
            headers=", ".join(headers),
        )
    return Mapping(chosen, source)


# ---- preview -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefusedRow:
    row: int  # the line (CSV) or row (XLSX) in the file
    key: str  # the NIK or TPS code as written, if any
    reason: str


@dataclass(frozen=True)
class Update:
    row: int
    before: object  # Person or Tps
    after: object
    fields: tuple[str, ...]


@dataclass
class Preview:
    kind: str  # "applicants" or "tps"
    path: Path
    fingerprint: str
    headers: list[str]
    mapping: Mapping
    added: list[Any] = field(default_factory=list[Any])  # Person or Tps
    updated: list[Update] = field(default_factory=list)
    unchanged: int = 0
    refused: list[RefusedRow] = field(default_factory=list)
    rows: int = 0
    extra_cell_rows: list[int] = field(default_factory=list)  # rows with cells beyond the headers
    counts: tuple[int, int] | None = None  # (added, updated) once released

    @property
    def added_count(self) -> int:
        return self.counts[0] if self.counts else len(self.added)

    @property
    def updated_count(self) -> int:
        return self.counts[1] if self.counts else len(self.updated)

    @property
    def changes(self) -> int:
        return self.added_count + self.updated_count

    def release(self) -> None:
        """Drop the planned people (keeping the counts): applying plans again under the lock, so
        a big file need not be held twice in memory."""
        self.counts = (self.added_count, self.updated_count)
        self.added, self.updated = [], []

    def summary(self) -> str:
        return _("{rows} rows: {added} to add, {updated} to update, {unchanged} unchanged, {refused} refused.").format(
            rows=self.rows, added=self.added_count, updated=self.updated_count, unchanged=self.unchanged, refused=len(self.refused)
        )


def fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _values(source: RowSource, mapping: Mapping) -> Iterator[tuple[int, dict[str, str]]]:
    index = {key: source.headers.index(header) for key, header in mapping.fields.items()}
    for number, cells in source.rows:
        yield number, {key: (cells[i] if i < len(cells) else "") for key, i in index.items()}


def preview_applicants(ws: Workspace, path: Path, mapping: dict[str, str] | None = None) -> Preview:
    """What importing this applicant list would do; nothing is written."""
    return _planned(ws, "applicants", Path(path), mapping)


def _planned(ws: Workspace, kind: str, path: Path, mapping: dict[str, str] | Mapping | None, digest: str | None = None) -> Preview:
    """Read the file and plan every row against the workspace as it is now."""
    source = open_rows(path)
    chosen = mapping if isinstance(mapping, Mapping) else choose_mapping(ws, kind, source.headers, mapping)
    preview = Preview(kind, path, digest or fingerprint(path), source.headers, chosen)
    (_plan_applicants if kind == "applicants" else _plan_tps)(ws, source, preview)
    return preview


def _plan_applicants(ws: Workspace, source: RowSource, preview: Preview) -> None:
    builder = Builder(ws)
    day = ws.election.voting_day
    plan = _Plan(preview)
    for number, values in _values(source, preview.mapping):
        preview.rows += 1
        raw_nik = values.get("nik", "").replace(" ", "")
        try:
            info = parse_nik(raw_nik, day)
        except KppsError as exc:
            preview.refused.append(RefusedRow(number, raw_nik, str(exc)))
            continue
        nik = info.nik
        if not plan.first(nik, number):
            continue
        existing = ws.people.get(nik)
        try:
            person, changed = builder.build({k: v for k, v in values.items() if v.strip()}, existing, info)
        except KppsError as exc:
            plan.refuse(nik, RefusedRow(number, raw_nik, str(exc)))
            continue
        if existing is None:
            plan.add(nik, person)
        elif changed:
            plan.add(nik, Update(number, existing, person, tuple(changed)))
        else:
            plan.keep(nik)
    plan.finish(N_("NIK {key} appears on rows {rows} of this file; keep one row per person."))
    preview.extra_cell_rows = list(source.extra_rows)


class _Plan:
    """What each key (NIK or TPS code) of a file comes to; a key on several rows refuses all of
    them, since the file does not say which row is right."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.rows: dict[str, list[int]] = {}
        self.outcome: dict[str, object] = {}  # key -> added item, Update, RefusedRow or None (unchanged)

    def first(self, key: str, number: int) -> bool:
        self.rows.setdefault(key, []).append(number)
        return len(self.rows[key]) == 1

    def add(self, key: str, item: object) -> None:
        self.outcome[key] = item

    def keep(self, key: str) -> None:
        self.outcome[key] = None

    def refuse(self, key: str, row: RefusedRow) -> None:
        self.outcome[key] = row

    def finish(self, duplicate: str) -> None:
        preview = self.preview
        for key, numbers in self.rows.items():
            if len(numbers) > 1:
                listed = ", ".join(str(n) for n in numbers)
                sentence = _(duplicate).format(key=key, rows=listed)
                preview.refused.extend(RefusedRow(n, key, sentence) for n in numbers)
                continue
            item = self.outcome.get(key)
            if item is None:
                preview.unchanged += 1
            elif isinstance(item, RefusedRow):
                preview.refused.append(item)
            elif isinstance(item, Update):
                preview.updated.append(item)
            else:
                preview.added.append(item)
        preview.refused.sort(key=lambda r: r.row)


# ---- applying ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    preview: Preview  # as planned under the lock: what was written
    written: bool

    def summary(self) -> str:
        if not self.written:
            if self.preview.refused:
                return _("Nothing was imported.")
            return _("Nothing to import: the workspace already holds every row as it is.")
        return _("Imported: {added} added, {updated} updated.").format(added=self.preview.added_count, updated=self.preview.updated_count)


def apply_applicants(ws: Workspace, preview: Preview, strict: bool = False) -> Applied:
    """Write the preview's valid rows in one step, re-planned under the lock against the
    workspace as it is now. With `strict`, nothing is written when any row is refused."""
    with ws.transaction():
        fresh = _replan(ws, preview, "applicants")
        if strict and fresh.refused:
            return Applied(fresh, False)
        source = preview.path.name
        fresh.added = [noted(p, ws.user, {"kind": "import", "action": "added", "file": source}) for p in fresh.added]
        fresh.updated = [
            replace(u, after=noted(cast(Person, u.after), ws.user, {"kind": "import", "action": "updated", "file": source, "fields": list(u.fields)}))
            for u in fresh.updated
        ]
        people = fresh.added + [u.after for u in fresh.updated]
        if people:  # one transaction: every kecamatan file of it lands, or none (store.journal)
            ws.put_people(people, "import")
        _remember(ws, fresh)
        return Applied(fresh, bool(people))


def _replan(ws: Workspace, preview: Preview, kind: str) -> Preview:
    if not preview.path.exists() or fingerprint(preview.path) != preview.fingerprint:
        raise KppsError(N_("{path} changed since the preview; look at the preview again before importing."), path=str(preview.path))
    return _planned(ws, kind, preview.path, preview.mapping, preview.fingerprint)


def _remember(ws: Workspace, preview: Preview) -> None:
    mappings.remember(ws.root, preview.kind, preview.headers, preview.mapping.fields, now_iso(), ws.user)


# ---- TPS lists -------------------------------------------------------------------------------------


def preview_tps(ws: Workspace, path: Path, mapping: dict[str, str] | None = None) -> Preview:
    """What importing this TPS list would do: new TPS added, address and voters of known ones
    updated (their seats are never touched); nothing is written."""
    return _planned(ws, "tps", Path(path), mapping)


def _plan_tps(ws: Workspace, source: RowSource, preview: Preview) -> None:
    builder = Builder(ws)
    plan = _Plan(preview)
    for number, values in _values(source, preview.mapping):
        preview.rows += 1
        try:
            tps = _tps_from_row(ws, builder, values)
        except KppsError as exc:
            preview.refused.append(RefusedRow(number, values.get("code", ""), str(exc)))
            continue
        if not plan.first(tps.code, number):
            continue
        existing = ws.tps.get(tps.code)
        if existing is None:
            plan.add(tps.code, tps)
            continue
        changes: dict[str, Any] = {}
        if values.get("address", "").strip():
            changes["address"] = tps.address
        if values.get("voters", "").strip():
            changes["voters"] = tps.voters
        changed = tuple(k for k, v in changes.items() if getattr(existing, k) != v)
        if changed:
            plan.add(tps.code, Update(number, existing, replace(existing, **{k: changes[k] for k in changed}), changed))
        else:
            plan.keep(tps.code)
    plan.finish(N_("TPS {key} appears on rows {rows} of this file; keep one row per TPS."))
    preview.extra_cell_rows = list(source.extra_rows)


def _tps_from_row(ws: Workspace, builder: Builder, values: dict[str, str]) -> Tps:
    code = values.get("code", "").strip()
    desa_text = values.get("desa", "").strip()
    number_text = values.get("number", "").strip()
    if desa_text or number_text or not code:
        desa = builder.resolve_desa(desa_text, values.get("kecamatan", ""))
        number = _tps_number(number_text)
        made = tps_code(desa, number)
        if code and code != made:
            raise KppsError(N_("The TPS code {code} does not match desa {desa} and number {number} ({made})."), code=code, desa=desa, number=number, made=made)
        code = made
    else:
        desa, _sep, number_part = code.rpartition("-")
        if desa not in builder.desa or not number_part.isdigit():
            raise KppsError(N_("{code} is not a TPS code of this workspace (such as 62.01.01.2001-003)."), code=code)
        number = _tps_number(number_part)
        code = tps_code(desa, number)
    voters = _voters(values.get("voters", ""), ws.election.max_voters)
    address = " ".join(values.get("address", "").split())
    return Tps(code, desa, number, address, voters)


def _tps_number(text: str) -> int:
    digits = text.strip().upper().removeprefix("TPS").strip()
    if not digits.isdigit() or not 1 <= int(digits) <= 999:
        raise KppsError(N_("{text} is not a TPS number (1 to 999)."), text=text or "-")
    return int(digits)


def _voters(text: str, most: int) -> int:
    text = text.strip().replace(".", "").replace(",", "")
    if not text:
        return 0
    if not text.isdigit():
        raise KppsError(N_("{text} is not a number of voters."), text=text)
    voters = int(text)
    if voters > most:
        raise KppsError(N_("{voters} voters is more than the {most} a TPS may have."), voters=voters, most=most)
    return voters


def apply_tps(ws: Workspace, preview: Preview, strict: bool = False) -> Applied:
    """Write the TPS list's valid rows, re-planned under the lock; all of them or none."""
    with ws.transaction():
        fresh = _replan(ws, preview, "tps")
        if strict and fresh.refused:
            return Applied(fresh, False)
        changed = list(fresh.added) + [u.after for u in fresh.updated]
        for tps in sorted(changed, key=lambda t: t.code):  # all of them land, or none
            ws.put_tps(tps, "import_tps")
        _remember(ws, fresh)
        return Applied(fresh, bool(changed))


# ---- export ----------------------------------------------------------------------------------------


def export_applicants(ws: Workspace, path: Path, people: list[Person] | None = None) -> int:
    """Write the applicant list (or `people`) to .csv or .xlsx; returns the rows written. The
    columns re-import as they are: exporting then importing changes nothing."""
    from kpps_tui.domain.model import seat_title
    from kpps_tui.services.applicants import papers_of

    chosen = people if people is not None else sorted(ws.people.values(), key=lambda p: (p.desa_code, p.name.casefold(), p.nik))
    rows: list[list[Cell]] = []
    for p in chosen:
        holder = ws.seat_holder(p.nik)
        seat = ws.tps[holder.tps_code].seats[holder.seat] if holder else None
        warnings = "; ".join(
            f"{o.message} — " + (o.reason if o.justified else _("no reason given")) for o in (seat.overrides if seat else ())
        )
        health = ""
        if p.health:
            state = _("normal") if p.health.normal else _("not normal")
            health = f"{_iso(p.health.issued_on)} {p.health.issuer}: {state}".strip()
        missing = ", ".join(s.label for s in papers_of(p) if not s.received)
        rows.append(
            [
                p.nik, p.name, p.sex, p.birth_place, p.birth_date.isoformat(), p.address, p.rt, p.rw, p.desa_code,
                ws.region_name(p.kecamatan_code), p.phone, p.education, p.earlier_service, p.notes, p.tax.code if p.tax else "",
                ws.region_name(p.desa_code), p.standing.stage.label,
                "; ".join(r.message for r in p.standing.reasons),
                holder.tps_label if holder else "", seat_title(holder.seat) if holder else "", warnings, health, missing,
            ]
        )
    write_applicants(Path(path), rows)
    return len(rows)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def field_label(fld: Field) -> str:
    return _(fld.label)
