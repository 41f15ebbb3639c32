"""`kpps check`: everything that must hold in a workspace, read straight from the files."""

from __future__ import annotations

import os
import stat
from collections import Counter
from pathlib import Path

from kpps_tui.domain.nik import NikError, mask_nik, parse_nik
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.store import audit, replay, users
from kpps_tui.store.files import DIR_MODE, FILE_MODE, SHARED_DIR_MODE, SHARED_FILE_MODE, shared_group
from kpps_tui.store.layout import BACKUP_DIR
from kpps_tui.store.storage import DamagedFile
from kpps_tui.store.workspace import Workspace


def check_workspace(ws: Workspace) -> list[str]:
    """Problems found, as sentences; an empty list means the workspace is sound."""
    # The card files and the signing key are read whole (a file the list does not name yet
    # too): damage stops here with the way back, like a damaged TPS file does at opening.
    ws.card_book()
    ws.signing_key()
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
    problems.extend(history_problems(ws))
    return [str(p) for p in problems]


def history_problems(ws: Workspace) -> list[KppsError]:
    """The audit log's chain holds, and replaying it from its last anchor gives the files:
    the first line or file that disagrees is named (a file edited by hand, lines cut)."""
    with ws.locked():
        damage = audit.chain_damage(ws.root, expected=users.users_path(ws.root).exists())
        if damage is not None:
            return [damage]
        try:
            disagree = replay.replay(ws.root)
        except DamagedFile as exc:
            return [exc]
    found: list[KppsError] = []
    for d in disagree[:_SHOWN]:
        if not d.file:
            found.append(KppsError(N_("{subject} is gone from the files, but the audit log (line {line}, {at}, {user}) says it should be there: a file was changed outside the program."), subject=_masked(d.subject), line=d.line, at=d.at, user=d.user))
        elif d.line:
            found.append(KppsError(N_("{subject} in {file} differs from its last change in the audit log (line {line}, {at}, {user}): the file was changed outside the program, or lines were cut from the log."), subject=_masked(d.subject), file=d.file, line=d.line, at=d.at, user=d.user))
        else:
            found.append(KppsError(N_("{subject} in {file} differs from what the audit log's anchor recorded, and no change of it is logged: the file was changed outside the program, or lines were cut from the log."), subject=_masked(d.subject), file=d.file))
    if len(disagree) > _SHOWN:
        found.append(KppsError(N_("... and {n} more records that differ from the audit log."), n=len(disagree) - _SHOWN))
    return found


_SHOWN = 20


def _masked(subject: str) -> str:
    """A NIK in a check message is shown masked (the rest of a subject is no personal data)."""
    return mask_nik(subject) if subject.isdigit() else subject


def loose_permissions(root: Path, deep: bool = True) -> list[KppsError]:
    """Personal data: a private workspace has folders 0700 and files 0600, nothing for group or
    others; one shared by a group (its folder setgid 2770) has folders 2770 and files 0660,
    all of that group, and nothing for others. Anything else is reported. Not `deep`: the data
    files and folders only, not every snapshot (quick enough for each start)."""
    gid = shared_group(root)
    found = []
    for path in [root, *sorted(_walk(root, skip=() if deep else (BACKUP_DIR,)))]:
        try:
            st = path.lstat()
        except FileNotFoundError:
            continue  # a temporary file another session just renamed into place
        if stat.S_ISLNK(st.st_mode):
            continue  # a link is judged by what opening the workspace makes of it
        mode = stat.S_IMODE(st.st_mode)
        folder = stat.S_ISDIR(st.st_mode)
        if gid is None:
            if mode & 0o077:
                wanted = DIR_MODE if folder else FILE_MODE
                found.append(KppsError(N_("{path} can be read by other users (mode {mode:o}); run chmod {wanted:o} on it."), path=str(path), mode=mode, wanted=wanted))
            continue
        wanted = SHARED_DIR_MODE if folder else SHARED_FILE_MODE
        if mode != wanted or st.st_gid != gid:
            found.append(KppsError(N_("{path} has mode {mode:o} and group {group}; a workspace shared by group {wanted_group} wants {wanted:o} and that group (`kpps share --group {wanted_group}` sets it again)."), path=str(path), mode=mode, group=_group_name(st.st_gid), wanted_group=_group_name(gid), wanted=wanted))
    return found


def _group_name(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


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
