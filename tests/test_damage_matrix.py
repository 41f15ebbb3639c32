"""The damage matrix: each data file of a real workspace x each way a file gets damaged x every
read and write command, run in this process through `kpps_tui.cli.main`.

What must hold everywhere: no traceback (an exception escaping main, or "Traceback" printed),
and nothing overwritten: a command that refuses leaves every data file as it was, and no
command replaces the damaged file (a deleted file stays deleted, a link stays a link and its
target keeps its bytes). Where the damage is to a file the workspace cannot do without, every
command stops with exit code 1, one sentence, and the restore hint naming the snapshot.

One test per (file, damage): its commands run one after the other on one damaged copy, each
from the same state (a command that wrote is undone by copying the damaged state back). The
template workspace is made once per test process (pytest-xdist runs the tests in parallel).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from kpps_tui.cli import main
from kpps_tui.domain.nik import make_nik
from kpps_tui.services import cards
from kpps_tui.services.settings import set_election_setting
from kpps_tui.services.setup import sample_source
from kpps_tui.store import journal
from kpps_tui.store.files import copy_private, ensure_private_dir
from kpps_tui.store.layout import JOURNAL_FILE
from kpps_tui.store.workspace import Workspace

from cards_support import card_ready_tps

KEC = "62.01.03"  # the smallest kecamatan of the sample with TPS that can get cards: quick to open
TODAY = date.today()


@dataclass(frozen=True)
class Template:
    root: Path
    tps: str  # a TPS with its cards printed
    free_seat: tuple[str, int, str]  # (tps, seat, nik) the rules allow
    seated: tuple[str, int]  # (tps, seat) with an officer
    declarant: str  # a NIK whose Surat Pernyataan can be handed in
    short_code: str  # of an issued card
    snapshot: str


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """One kecamatan of the sample, a snapshot, cards printed: every kind of data file exists."""
    root = tmp_path_factory.mktemp("matrix") / "ws"
    source = sample_source("demo")
    ensure_private_dir(root)
    for rel in (f"tps/{KEC}.json", f"people/{KEC}.json", "workspace.json"):
        copy_private(source / rel, root / rel)
    ws = Workspace.open(root)
    ws.list_files()
    set_election_setting(ws, "cards_valid_until", (TODAY + timedelta(days=30)).isoformat())
    set_election_setting(ws, "cards_valid_from", (TODAY - timedelta(days=30)).isoformat())
    tps = card_ready_tps(ws)
    assert main(["--lang", "en", "--data", str(root), "cards", "--tps", tps.code, "-o", str(root.parent / "c.pdf")]) == 0
    record = max(cards.book_of(ws).records.values(), key=lambda r: r.serial)
    ws = Workspace.open(root)
    from kpps_tui.services.browse import candidates

    target = next(t for t in sorted(ws.tps.values(), key=lambda t: t.code) if t.filled < ws.election.seats_per_tps)
    seat = next(n for n in range(1, 8) if n not in target.seats)
    nik = next(c.person.nik for c in candidates(ws, target) if c.eligible)
    other = next(t for t in sorted(ws.tps.values(), key=lambda t: t.code) if t.seats and t.code != tps.code)
    declarant = next(s.nik for s in other.seats.values())
    assert main(["--lang", "en", "--data", str(root), "backup"]) == 0
    snapshot = sorted(p.name for p in (root / "backups").iterdir() if not p.name.startswith("."))[-1]
    return Template(root, tps.code, (target.code, seat, nik), (other.code, min(other.seats)), declarant, record.code, snapshot)


# ---- the files, the damages, the commands -----------------------------------------------------------


def _one(root: Path, pattern: str) -> Path:
    found = sorted(p for p in root.glob(pattern) if "backups" not in p.relative_to(root).parts)
    assert found, f"the template has no {pattern}"
    return found[0]


# Where each file lies, found by pattern so that a move of the card files (under store/) keeps
# the matrix whole; "essential": the workspace cannot do without it, so damage stops everything.
FILES: dict[str, tuple[Callable[[Path], Path], bool]] = {
    "workspace": (lambda r: r / "workspace.json", True),
    "tps": (lambda r: r / "tps" / f"{KEC}.json", True),
    "people": (lambda r: r / "people" / f"{KEC}.json", True),
    "cards": (lambda r: _one(r, f"**/cards/{KEC}.json"), True),
    "key": (lambda r: _one(r, "**/*.pem"), True),
    "audit": (lambda r: _one(r, "**/log.jsonl"), False),
    "generation": (lambda r: r / ".generation", False),
    "lock": (lambda r: r / ".lock", False),
    "journal": (lambda r: _journal(r), False),
}


def _journal(root: Path) -> Path:
    """A whole journal as a writer killed mid-batch leaves it (rolling it forward rewrites two
    files with what they hold): damaged, it must be dropped, never crash or half-apply."""
    targets = {rel: (root / rel).read_bytes() for rel in (f"tps/{KEC}.json", f"people/{KEC}.json")}
    path = root / JOURNAL_FILE
    path.write_bytes(journal._encode(targets, None, b""))
    return path


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def garble(path: Path) -> None:
    data = bytearray(path.read_bytes() or b"0")
    middle = len(data) // 2
    data[middle : middle + 8] = b"\xff\x00}{]\x1b\"!"
    path.write_bytes(bytes(data))


def empty(path: Path) -> None:
    path.write_bytes(b"")


def delete(path: Path) -> None:
    path.unlink()


def symlink(path: Path) -> None:
    """The file replaced by a link to a copy of it outside the workspace: the same bytes, but
    whatever the link points to would be read and written."""
    outside = _outside(path)
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)


def _outside(path: Path) -> Path:
    folder = next(p for p in path.parents if (p / "workspace.json").exists()).parent / "outside"
    folder.mkdir(exist_ok=True)
    return folder / path.name


def owner(path: Path) -> None:
    os.chown(path, 65534, 65534)


DAMAGES: dict[str, Callable[[Path], None]] = {
    "truncate": truncate,
    "garble": garble,
    "empty": empty,
    "delete": delete,
    "symlink": symlink,
}
if os.geteuid() == 0:
    DAMAGES["owner"] = owner  # only root can give a file to another user


def commands(t: Template, root: Path) -> dict[str, list[str]]:
    tps, seat, nik = t.free_seat
    new = root.parent / "new.csv"
    new.write_text(f"NIK,Nama,Desa\n{make_nik(KEC, date(1990, 12, 5), 'P', 9701)},Siti Matriks,{KEC}.2001\n")
    return {
        "tps list": ["tps", "list"],
        "assign": ["assign", tps, str(seat), nik],
        "unassign": ["unassign", t.seated[0], str(t.seated[1])],
        "declare": ["declare", t.declarant, "--state", "diserahkan"],
        "import": ["import", "applicants", str(new)],
        "cards": ["cards", "--tps", t.tps, "-o", str(root.parent / "again.pdf")],
        "verify": ["verify", t.short_code],
        "log": ["log"],
        "check": ["check"],
        "backup": ["backup"],
    }


# ---- running -----------------------------------------------------------------------------------------


def state(root: Path) -> dict[str, object]:
    """Every entry below the workspace (the lock and the write counter aside: they hold no
    data): a file by its bytes' digest, a link by where it points, so that any overwrite shows."""
    found: dict[str, object] = {}
    for folder, dirs, files in os.walk(root):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = Path(folder) / name
            rel = str(path.relative_to(root))
            if rel in (".lock", ".generation", JOURNAL_FILE):
                continue  # bookkeeping (a damaged journal is dropped by the first opener)
            if path.is_symlink():
                target = Path(os.readlink(path))
                found[rel] = ("link", str(target), hashlib.sha256(target.read_bytes()).hexdigest() if target.is_file() else None)
            else:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit code and everything printed; an exception escaping main is a traceback."""
    try:
        code = main(["--lang", "en", *argv])
    except BaseException as exc:  # noqa: BLE001 - what would reach the user as a traceback
        out, err = capsys.readouterr()
        return -1, f"{out}{err}Traceback: {exc!r}"
    out, err = capsys.readouterr()
    return code, out + err


def damaged_copy(template: Template, where: Path, file: str, damage: str) -> tuple[Path, Path]:
    root = where / "ws"
    shutil.copytree(template.root, root, symlinks=True)
    locate, _essential = FILES[file]
    path = locate(root)
    if not path.exists() and not path.is_symlink():
        path.write_bytes(b"1".ljust(20) if file == "generation" else b"")
    DAMAGES[damage](path)
    return root, path


def _kept(file: str, damage: str, path: Path, damaged: bytes | None, now: object, before: object) -> bool:
    """The damaged file was not replaced: the same (a link: the same link to the same bytes);
    the audit log may have grown by appends, never lost what it held. The lock and the write
    counter hold no data (rewritten at will), and a file given to another user may be written.
    A journal is bookkeeping too: a damaged one is dropped (nothing of it was applied)."""
    if file in ("generation", "lock", "journal") or damage == "owner" or now == before:
        return True
    if file == "audit" and damaged is not None and path.is_file() and not path.is_symlink():
        return path.read_bytes().startswith(damaged)
    return False


CASES = [pytest.param(file, damage) for file in FILES for damage in DAMAGES]


@pytest.mark.parametrize(("file", "damage"), CASES)
def test_damage_matrix(template: Template, tmp_path: Path, capsys: pytest.CaptureFixture[str], file: str, damage: str) -> None:
    root, path = damaged_copy(template, tmp_path, file, damage)
    pristine = tmp_path / "pristine"
    shutil.copytree(root, pristine, symlinks=True)
    damaged_state = state(root)
    rel = str(path.relative_to(root))
    damaged_bytes = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    essential = FILES[file][1] and damage != "owner"
    failures: list[str] = []
    for name, argv in commands(template, root).items():
        code, text = run(["--data", str(root), *argv], capsys)
        where = f"{file} x {damage} x {name}"
        if "Traceback" in text:
            failures.append(f"{where}: traceback: {text[-300:]}")
            continue
        after = state(root)
        if code != 0 and after != damaged_state:
            changed = sorted(k for k in {*after, *damaged_state} if after.get(k) != damaged_state.get(k))
            failures.append(f"{where}: refused (exit {code}) but changed {changed}")
        if not _kept(file, damage, path, damaged_bytes, after.get(rel), damaged_state.get(rel)):
            failures.append(f"{where}: the damaged file was replaced")
        if essential:
            if code != 1:
                failures.append(f"{where}: exit {code}, not 1: {text[-200:]}")
            elif f"restore {template.snapshot}" not in text and "restore it with" not in text:
                failures.append(f"{where}: no restore hint: {text[-200:]}")
        if damage == "symlink" and file in ("generation", "lock") and code == 0 and name not in ("tps list", "log", "verify"):
            failures.append(f"{where}: wrote through a link (exit 0)")
        shutil.rmtree(root)
        shutil.copytree(pristine, root, symlinks=True)
    assert not failures, "\n".join(failures)
