"""Finding what a person names: a TPS by its code, an applicant by NIK, a region by code or name.

One place, so the TUI, the commands and every service find things the same way and refuse with
the same sentence."""

from __future__ import annotations

from kpps_tui.domain.model import Person, Tps
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.store.workspace import Workspace


def find_tps(ws: Workspace, code: str) -> Tps:
    tps = ws.tps.get(code.strip())
    if tps is None:
        raise KppsError(N_("There is no TPS with code {code}. `kpps tps list` shows the codes."), code=code)
    return tps


def find_person(ws: Workspace, nik: str) -> Person:
    """The applicant with this NIK; spaces typed inside it (6201 0245 ...) do not matter."""
    person = ws.people.get(nik.strip().replace(" ", ""))
    if person is None:
        raise KppsError(N_("No applicant with NIK {nik} is in this workspace."), nik=nik)
    return person


def match_regions(ws: Workspace, text: str, codes: list[str]) -> list[str]:
    """Of `codes`, the one the text names: a code, else a whole name (any case), else the names
    that contain the text."""
    needle = text.strip()
    if needle in codes:
        return [needle]
    folded = needle.casefold()
    exact = [c for c in codes if ws.region_name(c).casefold() == folded]
    if exact:
        return exact
    return [c for c in codes if folded and folded in ws.region_name(c).casefold()]
