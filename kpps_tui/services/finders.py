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


def find_kecamatan(ws: Workspace, text: str) -> str:
    """The code of the one kecamatan the text names (code or name), else a refusal listing them."""
    codes = ws.kecamatan_codes()
    found = match_regions(ws, text, codes)
    if len(found) == 1:
        return found[0]
    if not found:
        raise KppsError(
            N_("No kecamatan matches {text}; the kecamatan are: {choices}."),
            text=text,
            choices=_describe_regions(ws, codes),
        )
    raise KppsError(
        N_("{text} matches several kecamatan: {choices}. Give the code or more of the name."),
        text=text,
        choices=_describe_regions(ws, found),
    )


def find_desa(ws: Workspace, text: str, kecamatan: str | None = None) -> str:
    """The code of the one desa/kelurahan (of `kecamatan`, if given) the text names."""
    found = match_regions(ws, text, ws.desa_codes(kecamatan))
    if len(found) == 1:
        return found[0]
    if not found:
        raise KppsError(
            N_("No desa/kelurahan matches {text}; `kpps tps list` shows their names."), text=text
        )
    raise KppsError(
        N_("{text} matches several desa/kelurahan: {choices}. Give the code or more of the name."),
        text=text,
        choices=_describe_regions(ws, found),
    )


def _describe_regions(ws: Workspace, codes: list[str]) -> str:
    return ", ".join(f"{ws.region_name(c)} ({c})" for c in codes)
