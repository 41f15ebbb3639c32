"""`kpps check`: everything that must hold in a workspace, read straight from the files."""

from __future__ import annotations

import os
import stat
from collections import Counter
from pathlib import Path

from kpps_tui.domain.nik import NikError, mask_nik, parse_nik
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.store.files import DIR_MODE, FILE_MODE
from kpps_tui.store.layout import BACKUP_DIR
from kpps_tui.store.workspace import Workspace


def check_workspace(ws: Workspace) -> list[str]:
    """Problems found, as sentences; an empty list means the workspace is sound."""
    problems: list[KppsError] = []
    election = ws.election
    seat_count: Counter[str] = Counter()
    for tps in ws.tps.values():
        label = ws.tps_label(tps)
        if tps.desa_code not in ws.regions:
            problems.append(KppsError(N_("{tps} lies in unknown desa code {code}."), tps=tps.code, code=tps.desa_code))
        if tps.filled > election.seats_per_tps:
            problems.append(KppsError(N_("{tps} has {n} officers; at most {max} are allowed."), tps=label, n=tps.filled, max=election.seats_per_tps))
        for number, seat in tps.seats.items():
            seat_count[seat.nik] += 1
            if not 1 <= number <= election.seats_per_tps:
                problems.append(KppsError(N_("{tps} has a seat numbered {seat}."), tps=label, seat=number))
            person = ws.people.get(seat.nik)
            if person is None:
                problems.append(KppsError(N_("Seat {seat} of {tps} holds unknown NIK {nik}."), seat=number, tps=label, nik=mask_nik(seat.nik)))
            elif person.age_on(election.voting_day) < election.min_age:
                problems.append(KppsError(N_("{name} on seat {seat} of {tps} is under {min_age} on voting day."), name=person.name, seat=number, tps=label, min_age=election.min_age))
    for nik, count in seat_count.items():
        if count > 1:
            problems.append(KppsError(N_("NIK {nik} sits on {n} seats."), nik=mask_nik(nik), n=count))
    for person in ws.people.values():
        try:
            parse_nik(person.nik, election.voting_day)
        except NikError as exc:  # said with the NIK masked: a report is no place for it whole
            problems.append(KppsError(exc.template, **{**exc.params, "nik": mask_nik(person.nik)}))
        if person.desa_code not in ws.regions:
            problems.append(KppsError(N_("{name} lives in unknown desa code {code}."), name=person.name, code=person.desa_code))
    problems.extend(loose_permissions(ws.root))
    return [str(p) for p in problems]


def loose_permissions(root: Path, deep: bool = True) -> list[KppsError]:
    """Personal data: folders 0700 and files 0600, nothing for group or others. Not `deep`:
    the data files and folders only, not every snapshot (quick enough for each start)."""
    found = []
    for path in [root, *sorted(_walk(root, skip=() if deep else (BACKUP_DIR,)))]:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            continue  # a temporary file another session just renamed into place
        if mode & 0o077:
            wanted = DIR_MODE if path.is_dir() else FILE_MODE
            found.append(KppsError(N_("{path} can be read by other users (mode {mode:o}); run chmod {wanted:o} on it."), path=str(path), mode=mode, wanted=wanted))
    return found


def _walk(root: Path, skip: tuple[str, ...]) -> list[Path]:
    """Every file and folder below `root`; the folders named in `skip` are listed, not entered."""
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        found += [here / d for d in dirs] + [here / f for f in files]
        if here == root:
            dirs[:] = [d for d in dirs if d not in skip]
    return found


def summary_line(problems: list[str]) -> str:
    if not problems:
        return _("The workspace is sound.")
    return _("{n} problem(s) found.").format(n=len(problems))
