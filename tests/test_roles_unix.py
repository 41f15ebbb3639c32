"""Roles and a group-shared workspace with real Unix users (issue 15).

As root, the test makes a group and three accounts (two coordinators, one viewer), shares a
workspace with the group and runs `kpps` as each account with setpriv, under umask 077. Not
root: skipped, since no other account can be made or become.

The accounts cannot read root's virtualenv interpreter (under /root); they run the system
Python of the same version on the project and the virtualenv's packages, with a private HOME
under the test's folder: the project's own modes are not loosened for this. Where the checkout
or the virtualenv lies in a folder other accounts cannot enter (CI makes both in private
temporary folders), the accounts get hard links (or copies) of them under the test's folder.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import secrets
import shlex
import shutil
import stat
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kpps_tui.domain.nik import mask_nik
from kpps_tui.services.setup import init_from_sample
from kpps_tui.services.users import add_user, share_with_group
from kpps_tui.store import audit
from kpps_tui.store.workspace import Workspace

from conftest import Pick

ROOT = Path(__file__).resolve().parent.parent
RUN = "import sys; from kpps_tui.cli import main; sys.exit(main(sys.argv[1:]))"


def _reachable(path: Path) -> bool:
    """Whether any account may enter every folder down to `path`."""
    return all(os.stat(p).st_mode & 0o001 for p in [*path.parents, path])


def _linked_tree(src: Path, dst: Path) -> Path:
    """`src` again at `dst`, as hard links where one file system holds both, else as copies."""
    def link_or_copy(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    shutil.copytree(src, dst, symlinks=True, copy_function=link_or_copy)
    for folder in [dst, *(p for p in dst.rglob("*") if p.is_dir() and not p.is_symlink())]:
        folder.chmod(0o755)
    return dst


def _reachable_path(base: Path) -> str:
    """PYTHONPATH for the accounts: this checkout and the virtualenv's packages, linked under
    `base` when other accounts cannot reach them where they are."""
    project, site = ROOT, Path(sysconfig.get_paths()["purelib"])
    if not _reachable(project):
        project = _linked_tree(ROOT / "kpps_tui", base / "project" / "kpps_tui").parent
    if not _reachable(site):
        site = _linked_tree(site, base / "site")
    return f"{project}:{site}"


def _interpreter() -> str | None:
    """A Python of this version that other accounts may execute."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (os.path.realpath(sys.executable), f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"):
        path = Path(candidate)
        if path.exists() and _reachable(path):
            return str(path)
    return None


@dataclass
class Office:
    root: Path  # the shared workspace
    group: str
    gid: int
    home: Path
    python: str
    pythonpath: str  # where the accounts find kpps_tui and its packages
    a: str  # coordinator of kecamatan A
    b: str  # coordinator of kecamatan B
    viewer: str
    kec_a: str
    kec_b: str

    def kpps(self, login: str, *args: str, umask: int = 0o077) -> subprocess.CompletedProcess[str]:
        """`kpps --data ROOT ARGS` as `login`, with its groups and the given umask."""
        return subprocess.run(self.command(login, *args, umask=umask), capture_output=True, text=True, timeout=120, env=self.env(login))

    def command(self, login: str, *args: str, umask: int = 0o077) -> list[str]:
        inner = f"umask {umask:03o}; exec \"$0\" \"$@\""
        return ["setpriv", f"--reuid={login}", f"--regid={self.group}", "--init-groups", "sh", "-c", inner,
                self.python, "-c", RUN, "--data", str(self.root), *args]

    def env(self, login: str) -> dict[str, str]:
        return {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "KPPS_LANG": "en", "PYTHONPATH": self.pythonpath,
                "PYTHONDONTWRITEBYTECODE": "1", "USER": "root", "LOGNAME": "root"}  # lies the program must not believe


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    if os.geteuid() != 0:
        pytest.skip("needs root: the test makes a Unix group and accounts and runs kpps as each")
    if shutil.which("useradd") is None or shutil.which("setpriv") is None:
        pytest.skip("needs useradd and setpriv (util-linux) to make accounts and run as them")
    python = _interpreter()
    if python is None:
        pytest.skip(f"no Python {sys.version_info.major}.{sys.version_info.minor} that other accounts may execute")
    tag = secrets.token_hex(3)
    group, logins = f"kppsg{tag}", [f"kppsa{tag}", f"kppsb{tag}", f"kppsv{tag}"]
    base = Path(f"/tmp/kpps-roles-{tag}")
    made: list[str] = []
    try:
        subprocess.run(["groupadd", group], check=True)
        for login in logins:
            subprocess.run(["useradd", "--no-create-home", "--no-user-group", "--gid", group, "--shell", "/bin/sh", login], check=True)
            made.append(login)
        base.mkdir(mode=0o755)
        home = base / "home"
        home.mkdir(mode=0o777)
        os.chmod(home, 0o1777)  # a HOME each account may write its caches to (sticky, like /tmp)
        ws = init_from_sample(base / "ws", "demo")
        share_with_group(ws, group)
        kec_a, kec_b = ws.kecamatan_codes()[:2]
        add_user(ws, logins[0], "coordinator", kecamatan=[kec_a])
        add_user(ws, logins[1], "coordinator", kecamatan=[kec_b])
        add_user(ws, logins[2], "viewer")
        office = Office(base / "ws", group, grp.getgrnam(group).gr_gid, home, python, _reachable_path(base), *logins, kec_a=kec_a, kec_b=kec_b)
        probe = office.kpps(office.viewer, "users", "list")
        if probe.returncode != 0:
            pytest.skip(f"the accounts cannot run this checkout's kpps: {probe.stderr.strip()[:300]}")
        yield office
    finally:
        shutil.rmtree(base, ignore_errors=True)
        for login in made:
            subprocess.run(["userdel", login], check=False)
        subprocess.run(["groupdel", group], check=False, capture_output=True)


def free_seat(office: Office, kec: str, skip: int = 0) -> tuple[str, int, str]:
    """A TPS of `kec` with an empty seat, that seat, and a free applicant of its desa."""
    ws = Workspace.open(office.root)
    pick = Pick(ws)
    tps = pick.tps_with_empty_seats(1, kecamatan=kec, skip=skip)
    return tps.code, pick.empty_seats(tps)[0], pick.free_people(tps)[0].nik


def one_sentence(result: subprocess.CompletedProcess[str]) -> str:
    err = result.stderr.strip()
    assert result.returncode == 1, (result.stdout, err)
    assert err and "\n" not in err and "Traceback" not in err, err
    return err


def shared_modes_hold(office: Office) -> list[str]:
    """Every folder setgid 2770 and every file 0660, all of the office's group."""
    wrong = []
    for path in [office.root, *office.root.rglob("*")]:
        st = path.lstat()
        wanted = 0o2770 if stat.S_ISDIR(st.st_mode) else 0o660
        if stat.S_IMODE(st.st_mode) != wanted or st.st_gid != office.gid:
            wrong.append(f"{path.relative_to(office.root)} {stat.S_IMODE(st.st_mode):o} gid {st.st_gid}")
    return wrong


def test_a_coordinator_seats_inside_her_scope_and_is_refused_outside_it(office: Office) -> None:
    code, seat, nik = free_seat(office, office.kec_a)
    done = office.kpps(office.a, "assign", code, str(seat), nik)
    assert done.returncode == 0, done.stderr
    assert Workspace.open(office.root).tps[code].seats[seat].nik == nik

    other, other_seat, other_nik = free_seat(office, office.kec_b)
    before = (office.root / "tps" / f"{office.kec_b}.json").read_bytes()
    refused = one_sentence(office.kpps(office.a, "assign", other, str(other_seat), other_nik))
    assert f"{office.a} coordinates {office.kec_a} only" in refused and "ask an admin (root)" in refused
    assert (office.root / "tps" / f"{office.kec_b}.json").read_bytes() == before

    entries = [e for e in audit.read(office.root) if e.subject == code]
    assert entries[-1].user == office.a  # the OS login, though USER and LOGNAME said root


def test_a_viewer_sees_masked_niks_and_cannot_write(office: Office) -> None:
    ws = Workspace.open(office.root)
    person = next(iter(ws.people_of_kecamatan(office.kec_a)))
    shown = office.kpps(office.viewer, "applicant", "show", person.nik)
    assert shown.returncode == 0, shown.stderr
    assert mask_nik(person.nik) in shown.stdout and person.nik not in shown.stdout

    code, seat, nik = free_seat(office, office.kec_a, skip=1)
    refused = one_sentence(office.kpps(office.viewer, "assign", code, str(seat), nik))
    assert f"{office.viewer} is a viewer here and may only read" in refused
    masked_log = office.kpps(office.viewer, "log", "--csv")
    assert masked_log.returncode == 0 and re.search(r"(?<!\d)\d{16}(?!\d)", masked_log.stdout) is None, masked_log.stderr
    full = one_sentence(office.kpps(office.viewer, "log", "--csv", "--full-nik"))
    assert "sees NIKs masked only" in full
    assert one_sentence(office.kpps(office.viewer, "users", "add", office.viewer, "--role", "admin")).startswith("Only an admin (root)")


def test_two_coordinators_at_once_and_the_log_names_each(office: Office) -> None:
    ws = Workspace.open(office.root)
    pick = Pick(ws)
    jobs = []
    for login, kec in ((office.a, office.kec_a), (office.b, office.kec_b)):
        tps = pick.tps_with_empty_seats(3, kecamatan=kec, skip=2)
        seats, people = pick.empty_seats(tps)[:3], pick.free_people(tps, n=3)
        script = " && ".join(
            shlex.join(office.command(login, "assign", tps.code, str(s), p.nik)) for s, p in zip(seats, people)
        )
        jobs.append((login, tps.code, subprocess.Popen(["sh", "-c", script], env=office.env(login), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    for login, code, job in jobs:
        out, err = job.communicate(timeout=300)
        assert job.returncode == 0, (login, err)
    logged = list(audit.read(office.root))
    for login, code, _job in jobs:
        assert [e.user for e in logged if e.subject == code][-3:] == [login] * 3
    assert audit.verify_chain(office.root, expected=True) is None
    check = office.kpps(office.a, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_group_modes_survive_a_write_by_a_user_whose_umask_is_077(office: Office) -> None:
    code, seat, nik = free_seat(office, office.kec_b, skip=5)
    done = office.kpps(office.b, "assign", code, str(seat), nik, umask=0o077)
    assert done.returncode == 0, done.stderr
    assert (office.root / "tps" / f"{office.kec_b}.json").stat().st_uid == pwd.getpwnam(office.b).pw_uid
    assert shared_modes_hold(office) == []
    check = office.kpps(office.viewer, "check")
    assert check.returncode == 0 and "The workspace is sound." in check.stdout, check.stdout + check.stderr


def test_check_reports_a_hand_edited_tps_file_and_a_line_cut_from_the_log(office: Office) -> None:
    copy = office.root.with_name("copy")  # damaged here, so the other tests keep a sound one
    shutil.copytree(office.root, copy, symlinks=True)
    share_with_group(Workspace.open(copy), office.group)
    clean = Office(**{**office.__dict__, "root": copy})
    code, seat, nik = free_seat(clean, clean.kec_a, skip=6)
    assert clean.kpps(clean.a, "assign", code, str(seat), nik).returncode == 0
    tps_file = copy / "tps" / f"{clean.kec_a}.json"
    tps_file.write_text(tps_file.read_text().replace(nik, nik[:-4] + "0000", 1))  # a member's editor, no program
    edited = clean.kpps(clean.b, "check")
    assert edited.returncode == 1
    assert f"{code} in tps/{clean.kec_a}.json differs from its last change in the audit log" in edited.stdout
    assert clean.a in edited.stdout  # the last change on record, and who made it

    log = audit.log_path(copy)
    lines = log.read_bytes().splitlines(keepends=True)
    cut = len(lines) - 3
    log.write_bytes(b"".join(lines[:cut] + lines[cut + 1:]))
    damaged = clean.kpps(clean.viewer, "check")
    sentence = one_sentence(damaged)
    assert f"line {cut + 1} does not follow the line before" in sentence and "seal-log" in sentence
    assert one_sentence(clean.kpps(clean.a, "tps", "list")) == sentence  # every command says so
