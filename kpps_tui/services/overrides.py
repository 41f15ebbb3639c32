"""The report of seats that hold warnings (soft findings): each with the written reason given
for seating the person anyway, or none. Shown by `kpps overrides` and wherever a seat is shown.

A row comes from what the seat recorded when it was filled and from what the rule check says
today: a warning that applies today but was not recorded (the person's papers changed since,
or the seat was filled before this was recorded) is listed too, without a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpps_tui.domain.model import Override, seat_title
from kpps_tui.domain.nik import mask_nik
from kpps_tui.interchange.export import csv_text
from kpps_tui.services.assignments import seat_warnings
from kpps_tui.store.workspace import Workspace


@dataclass(frozen=True)
class OverrideRow:
    tps_code: str
    tps_label: str
    seat: int
    nik: str
    name: str
    code: str
    message: str
    reason: str  # empty: the warning stood without a written reason
    by: str
    at: str
    applies_now: bool  # the rule check still gives this warning today

    @property
    def seat_title(self) -> str:
        return seat_title(self.seat)


def override_rows(ws: Workspace, tps_code: str | None = None, unreasoned_only: bool = False) -> list[OverrideRow]:
    """Every warning standing on a seat, by TPS code and seat (one TPS with `tps_code`)."""
    rows = []
    for tps in sorted(ws.tps.values(), key=lambda t: t.code):
        if tps_code and tps.code != tps_code:
            continue
        label = ws.tps_label(tps)
        for number, seat in sorted(tps.seats.items()):
            person = ws.people.get(seat.nik)
            name = person.name if person else seat.nik
            today = {f.code: f for f in seat_warnings(ws, tps, number)}
            recorded = {o.code: o for o in seat.overrides}
            for code in [*recorded, *(c for c in today if c not in recorded)]:
                override = recorded.get(code)
                finding = today.get(code)
                message = finding.message if finding else override.message if override else ""
                o = override or Override(code)
                if unreasoned_only and o.justified:
                    continue
                rows.append(OverrideRow(tps.code, label, number, seat.nik, name, code, message, o.reason, o.by, o.at, finding is not None))
    return rows


CSV_FIELDS = ["tps", "seat", "nik", "name", "code", "warning", "reason", "by", "at", "applies_now"]


def to_csv(rows: list[OverrideRow], full_nik: bool = False) -> str:
    """The rows as CSV for scripts, with stable English headers; NIKs masked unless
    `full_nik` (after audit_log.reveal_all)."""
    fields = ("tps_code", "seat", "nik", "name", "code", "message", "reason", "by", "at", "applies_now")
    table: list[list[str | int]] = [[str(getattr(r, f)) for f in fields] for r in rows]
    if not full_nik:
        for cells, r in zip(table, rows):
            cells[2] = mask_nik(r.nik)
    return csv_text(CSV_FIELDS, table)
