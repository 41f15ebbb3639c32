"""A SIPOL result list: the NIKs KPU's party membership data lists, with the party if given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kpps_tui.domain.nik import NikError, parse_nik
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.interchange.tables import Table, read_table


@dataclass(frozen=True)
class SipolList:
    listed: dict[str, str]  # nik -> party ("" when the list does not say)
    refused: list[tuple[int, str]]  # row number, the sentence why


def read_sipol(path: Path, reference_day: date) -> SipolList:
    table = read_table(path)
    nik_col = _column(table, ("nik", "no_nik", "nomor induk"), "nik") or ""  # never "": required
    party_col = _column(table, ("partai", "party", "nama partai"), None)
    listed, refused = {}, []
    for row in table.rows:
        raw = row.cells.get(nik_col, "")
        try:
            nik = parse_nik(raw, reference_day).nik
        except NikError as exc:
            refused.append((row.number, str(exc)))
            continue
        listed[nik] = row.cells.get(party_col, "") if party_col else ""
    return SipolList(listed, refused)


def _column(table: Table, names: tuple[str, ...], required: str | None) -> str | None:
    for header in table.headers:
        if header.strip().casefold() in names:
            return header
    for header in table.headers:
        if any(n in header.casefold() for n in names):
            return header
    if required is None:
        return None
    digits = [h for h in table.headers if sum(r.cells.get(h, "").isdigit() for r in table.rows[:20]) >= 1]
    if digits:
        return digits[0]
    raise KppsError(N_("No NIK column found; the columns are: {headers}."), headers=", ".join(table.headers))
