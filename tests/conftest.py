"""Shared fixtures: every test runs on real files in its own folder, never the user's data."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kpps_tui import i18n
from kpps_tui.cli import main
from kpps_tui.domain.model import Person, Tps
from kpps_tui.services.browse import candidates
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store.workspace import LOCK_FILE, Workspace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path_factory):
    """No test reads the developer's KPPS_* settings or writes to their data folder, and the
    process-wide language is English again after each test."""
    monkeypatch.delenv("KPPS_DATA", raising=False)
    monkeypatch.delenv("KPPS_LANG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("xdg-state")))
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def demo_dir(tmp_path) -> Path:
    """A fresh private copy of the bundled demo sample (about 60% of seats filled)."""
    path = tmp_path / "ws"
    init_from_sample(path, "demo")
    return path


@pytest.fixture
def demo_ws(demo_dir) -> Workspace:
    return Workspace.open(demo_dir)


@pytest.fixture
def run_kpps():
    """Run the real program in a child process: `run_kpps("--data", d, "tps", "list")`."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "kpps_tui.cli", *map(str, args)],
            capture_output=True,
            text=True,
            env=full_env,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    return run


@pytest.fixture
def kpps(capsys):
    """Run `kpps` in this process; returns (exit code, stdout, stderr). English unless `lang`."""

    def run(*args: str, lang: str | None = "en") -> tuple[int, str, str]:
        argv = [str(a) for a in args]
        code = main((["--lang", lang] if lang else []) + argv)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def file_digests(root: Path) -> dict[str, str]:
    """Every data file of a workspace by its SHA-256, to prove that nothing changed (the empty
    lock file, created by the first writer, holds nothing)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != LOCK_FILE
    }


@pytest.fixture
def digests():
    return file_digests


class Pick:
    """Finds, in a workspace, the TPS, seats and applicants a test needs (the sample is fixed)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    @property
    def day(self):
        return self.ws.election.voting_day

    def tps_with_empty_seats(self, n: int = 1, kecamatan: str | None = None, skip: int = 0) -> Tps:
        found = [
            t
            for t in sorted(self.ws.tps.values(), key=lambda t: t.code)
            if self.ws.election.seats_per_tps - t.filled >= n
            and (kecamatan is None or t.kecamatan_code == kecamatan)
        ]
        return found[skip]

    def partly_filled_tps(self) -> Tps:
        return next(t for t in sorted(self.ws.tps.values(), key=lambda t: t.code) if 0 < t.filled < 7)

    def full_tps(self) -> Tps:
        return next(t for t in sorted(self.ws.tps.values(), key=lambda t: t.code) if t.filled == 7)

    def empty_seats(self, tps: Tps) -> list[int]:
        return [n for n in range(1, self.ws.election.seats_per_tps + 1) if n not in tps.seats]

    def free_people(self, tps: Tps, n: int = 1, same_desa: bool = True) -> list[Person]:
        """Applicants the rules let sit here with no warning at all (for a different desa:
        only the warning that they live elsewhere), as the candidate picker lists them."""
        wanted = set() if same_desa else {"outside_desa"}
        found = sorted(
            (c.person for c in candidates(self.ws, tps) if {f.code for f in c.findings} == wanted),
            key=lambda p: p.nik,
        )
        assert len(found) >= n, "the sample has fewer free applicants than the test needs"
        return found[:n]

    def eligible_niks(self, kecamatan: str) -> list[str]:
        """Applicants of a kecamatan the hard rules let sit on any of its TPS."""
        tps = next(t for t in self.ws.tps.values() if t.kecamatan_code == kecamatan)
        return sorted(c.person.nik for c in candidates(self.ws, tps) if c.eligible)

    def too_young(self) -> Person:
        return next(p for p in sorted(self.ws.people.values(), key=lambda p: p.nik) if p.age_on(self.day) < 17)

    def over_55_elsewhere(self, tps: Tps) -> Person:
        """Someone the rules allow here with two warnings: over 55, and lives in another desa."""
        return next(
            c.person
            for c in sorted(candidates(self.ws, tps), key=lambda c: c.person.nik)
            if {f.code for f in c.findings} == {"over_preferred_age", "outside_desa"}
        )

    def seated(self) -> tuple[str, str, int]:
        """(nik, tps code, seat) of someone already seated."""
        nik, where = sorted(self.ws.placements.items())[0]
        return nik, where.tps_code, where.seat


@pytest.fixture
def pick():
    return Pick
