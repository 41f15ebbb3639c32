"""Declaration reports: counts per kecamatan / desa / TPS and the outstanding officers.

The same figures go to CSV, XLSX (two sheets) or a printable PDF, chosen by the file suffix.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpps_tui import clock
from kpps_tui.domain.declarations import DeclState
from kpps_tui.domain.model import seat_title
from kpps_tui.i18n import N_, _
from kpps_tui.interchange.export import write_table, write_workbook
from kpps_tui.services.declarations import counts_by, officers
from kpps_tui.store.workspace import Workspace

LEVELS = {"kecamatan": N_("Kecamatan"), "desa": N_("Desa/Kelurahan"), "tps": N_("TPS")}
STATES = [DeclState.NOT_HANDED_IN, DeclState.HANDED_IN, DeclState.REJECTED, DeclState.VERIFIED]


@dataclass(frozen=True)
class Report:
    level: str
    title: str
    count_headers: list[str]
    count_rows: list[list[Any]]
    outstanding_headers: list[str]
    outstanding_rows: list[list[Any]]


def build(ws: Workspace, level: str = "kecamatan") -> Report:
    counts = counts_by(ws, level)
    count_rows = [[code, _group_name(ws, code, level), *_state_cells(c)] for code, c in counts.items()]
    count_rows.append(["", _("Total"), *_state_cells(sum(counts.values(), Counter()))])
    outstanding = [
        [
            ws.region_name(o.tps_code[:8]),
            ws.region_name(o.tps_code.split("-")[0]),
            o.tps_label,
            seat_title(o.seat),
            o.person.name,
            o.person.phone,
            o.state.label,
        ]
        for o in officers(ws)
        if o.state is not DeclState.VERIFIED
    ]
    return Report(
        level=level,
        title=_("Neutrality declarations (Surat Pernyataan), {election}").format(election=ws.election.name),
        count_headers=[_("Code"), _(LEVELS[level]), _("Officers"), *[s.label for s in STATES]],
        count_rows=count_rows,
        outstanding_headers=[_("Kecamatan"), _("Desa/Kelurahan"), _("TPS"), _("Seat"), _("Name"), _("Phone"), _("Status")],
        outstanding_rows=outstanding,
    )


def _group_name(ws: Workspace, code: str, level: str) -> str:
    if level == "tps":
        return ws.tps_label(ws.tps[code])
    return ws.region_name(code)


def _state_cells(counter: Counter[str]) -> list[int]:
    return [sum(counter.values()), *[counter.get(s, 0) for s in STATES]]


def export(ws: Workspace, path: Path, level: str = "kecamatan") -> Report:
    """Write the report; .xlsx holds counts and outstanding officers, .csv only the counts
    (or only the outstanding list when `level` is "outstanding"), .pdf both."""
    path = Path(path)
    report = build(ws, "kecamatan" if level == "outstanding" else level)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from kpps_tui.interchange.pdf import write_tables_pdf  # reportlab only when asked

        write_tables_pdf(
            path,
            report.title,
            f"{ws.election.kpu_name} · {generated_line()}",
            [
                (_("Counts per {level}").format(level=_(LEVELS[report.level])), report.count_headers, report.count_rows),
                (_("Officers whose declaration is not yet verified"), report.outstanding_headers, report.outstanding_rows),
            ],
        )
    elif suffix == ".xlsx":
        write_workbook(
            path,
            [
                (_("Counts"), report.count_headers, report.count_rows),
                (_("Outstanding"), report.outstanding_headers, report.outstanding_rows),
            ],
        )
    elif level == "outstanding":
        write_table(path, report.outstanding_headers, report.outstanding_rows)
    else:
        write_table(path, report.count_headers, report.count_rows)
    return report


def generated_line() -> str:
    return _("Made {when}").format(when=clock.local_now().strftime("%Y-%m-%d %H:%M"))
