"""A batch across several files lands whole or not at all (store.journal), also when the process
is killed at the exact point: while the journal is written, after it is durable and after each
of its files is applied, while and after the log's lines are appended. Kill tests run a real
`kpps` command in a child process with the function that writes patched to `os._exit(9)`
there; a fresh opener then finds either the state before or the command's, never a mix, and
`kpps check` sound with the log replaying to the files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kpps_tui.domain.nik import make_nik
from kpps_tui.store import audit, backups, journal, replay
from kpps_tui.store.files import exclusive_lock
from kpps_tui.store.layout import JOURNAL_FILE, LOCK_FILE
from kpps_tui.store.workspace import Workspace


def data_digests(root: Path) -> dict[str, str]:
    """The workspace's data files (not the log, the snapshots, the lock or the counter)."""
    return {rel.as_posix(): hashlib.sha256((root / rel).read_bytes()).hexdigest() for rel in backups.data_files(root)}


def replays(root: Path) -> list[replay.Disagreement]:
    with exclusive_lock(root / LOCK_FILE):
        assert audit.verify_chain(root, expected=True) is None
        return replay.replay(root)


def one_applicant_per_kecamatan(ws: Workspace, path: Path, serial: int = 9400) -> Path:
    """A CSV with one new applicant in a desa of every kecamatan (each row writes another file)."""
    lines = ["NIK;Nama Lengkap;Kelurahan;Tgl Lahir"]
    for i, kec in enumerate(ws.kecamatan_codes()):
        desa = ws.desa_codes(kec)[0]
        lines.append(f"{make_nik(kec, date(1990, 12, 5), 'P', serial + i)};Pelamar Baru {i};{ws.region_name(desa)};05/12/1990")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---- the journal itself --------------------------------------------------------------------------


def test_a_transaction_over_several_files_lands_whole_and_leaves_no_journal(demo_ws, tmp_path, kpps):
    csv = one_applicant_per_kecamatan(demo_ws, tmp_path / "new.csv")
    before = data_digests(demo_ws.root)
    code, out, err = kpps("--data", demo_ws.root, "import", "applicants", csv)
    assert code == 0, err
    changed = {rel for rel, digest in data_digests(demo_ws.root).items() if before.get(rel) != digest}
    assert {f"people/{kec}.json" for kec in demo_ws.kecamatan_codes()} <= changed
    assert not (demo_ws.root / JOURNAL_FILE).exists()
    assert replays(demo_ws.root) == []


def test_reads_inside_a_transaction_see_what_it_staged_and_a_failure_discards_it(demo_ws):
    tps = sorted(demo_ws.tps.values(), key=lambda t: t.code)[0]
    path = demo_ws.root / "tps" / f"{tps.kecamatan_code}.json"
    before = path.read_bytes()
    with pytest.raises(RuntimeError), demo_ws.transaction():
        demo_ws.put_tps(tps.__class__(**{**tps.__dict__, "address": "Jl. Sementara"}), "edit_tps")
        assert b"Jl. Sementara" in journal.read_bytes(path)  # staged, seen from inside
        assert path.read_bytes() == before  # not on disk yet
        raise RuntimeError("the block fails")
    assert path.read_bytes() == before
    assert demo_ws.tps[tps.code].address == tps.address  # memory took the disk's word again
    assert Workspace.open(demo_ws.root).tps[tps.code].address == tps.address


@pytest.mark.parametrize(
    "garbage",
    [b"", b"KPPS-JOURNAL 1\n{", b"\x00" * 300, b"KPPS-JOURNAL 1\n" + b"x" * 200, "link"],
    ids=["empty", "cut", "zeros", "bad-checksum", "symlink"],
)
def test_a_torn_or_garbage_journal_is_discarded_without_touching_a_file(demo_dir, kpps, garbage):
    before = data_digests(demo_dir)
    target = demo_dir / JOURNAL_FILE
    if garbage == "link":
        target.symlink_to(demo_dir / "workspace.json")
    else:
        target.write_bytes(garbage)
    code, out, err = kpps("--data", demo_dir, "check")
    assert "Traceback" not in out + err and code == 0, err
    assert not os.path.lexists(target) and data_digests(demo_dir) == before


def test_a_journal_with_a_path_outside_the_workspace_is_never_applied(demo_dir, tmp_path):
    outside = tmp_path / "elsewhere.json"
    body = journal._encode({"../elsewhere.json": b"{}", "tps/x.json": b"{}"}, None, b"")
    (demo_dir / JOURNAL_FILE).write_bytes(body)
    assert journal.settle(demo_dir) is False
    assert not outside.exists() and not (demo_dir / "tps" / "x.json").exists()


def test_rolling_forward_twice_gives_the_same_files_and_log(demo_dir):
    ws = Workspace.open(demo_dir)
    with ws.transaction():
        pass
    log = audit.log_path(demo_dir)
    size = log.stat().st_size
    line = audit.AuditEntry("2024-11-10T09:00:00.000+00:00", "x", "s", "note", "files", None, None).to_line(
        audit.line_hash(log.read_bytes()[:-1].rsplit(b"\n", 1)[-1])
    )
    targets = {"tps/62.01.01.json": (demo_dir / "tps/62.01.01.json").read_bytes(), "people/62.01.01.json": b'{"people":{}}'}
    for _ in range(2):
        (demo_dir / JOURNAL_FILE).write_bytes(journal._encode(dict(targets), size, line))
        with log.open("ab") as f:
            f.write(line[:10])  # the first attempt appended part of the line before the kill
        assert journal.settle(demo_dir) is True
        assert log.read_bytes().endswith(line) and log.stat().st_size == size + len(line)
        assert (demo_dir / "people/62.01.01.json").read_bytes() == b'{"people":{}}'
    assert audit.verify_chain(demo_dir, expected=True) is None


# ---- restore (issue 11: defects 1, 3, 8) ---------------------------------------------------------


def test_restoring_the_oldest_of_twenty_snapshots_works(demo_dir, kpps):
    ws = Workspace.open(demo_dir)
    for _ in range(backups.KEEP):
        assert kpps("--data", demo_dir, "backup")[0] == 0
    taken = backups.snapshots(demo_dir)
    assert len(taken) == backups.KEEP
    oldest = taken[-1]
    expected = data_digests(oldest.path)
    free = next(t for t in sorted(ws.tps.values(), key=lambda t: t.code) if t.filled)
    seat = min(free.seats)
    assert kpps("--data", demo_dir, "unassign", free.code, str(seat))[0] == 0
    code, out, err = kpps("--data", demo_dir, "restore", "--yes", oldest.name)
    assert code == 0, err
    now = data_digests(demo_dir)
    assert {rel: now.get(rel) for rel in expected} == expected
    assert Workspace.open(demo_dir).tps[free.code].seats == free.seats
    assert oldest.name in {s.name for s in backups.snapshots(demo_dir)}


@pytest.mark.parametrize("how", ["missing", "truncated", "listed-missing", "schema"])
def test_a_snapshot_that_is_not_whole_is_refused_before_anything_is_touched(demo_dir, kpps, how):
    ws = Workspace.open(demo_dir)
    snap = backups.take_snapshot(demo_dir, "manual")
    victim = snap.path / "tps" / f"{ws.kecamatan_codes()[1]}.json"
    if how == "missing":
        victim.unlink()
        expect = "lacks tps/"
    elif how == "truncated":
        victim.write_bytes(victim.read_bytes()[:100])
        expect = "is damaged"
    elif how == "listed-missing":
        main = json.loads((snap.path / "workspace.json").read_text())
        main["files"] = {"1": {"paths": ["tps/62.99.99.json"]}}
        (snap.path / "workspace.json").write_text(json.dumps(main))
        expect = "lacks tps/62.99.99.json"
    else:
        main = json.loads((snap.path / "workspace.json").read_text())
        main["meta"]["1"]["schema_version"] = 0
        (snap.path / "workspace.json").write_text(json.dumps(main))
        expect = "schema version 0"
    before, log_before, snaps_before = data_digests(demo_dir), audit.log_path(demo_dir).read_bytes(), backups.snapshots(demo_dir)
    code, out, err = kpps("--data", demo_dir, "restore", "--yes", snap.name)
    assert code == 1 and expect in err and "Nothing was changed" in err and "Traceback" not in err
    assert err.strip().count("\n") == 0  # one sentence
    assert data_digests(demo_dir) == before and audit.log_path(demo_dir).read_bytes() == log_before
    assert backups.snapshots(demo_dir) == snaps_before  # not even a before-restore snapshot


def test_a_kept_file_that_is_missing_or_damaged_is_taken_from_the_snapshot(demo_dir, kpps):
    Workspace.open(demo_dir)
    users = demo_dir / "users.json"
    good = users.read_bytes()
    snap = backups.take_snapshot(demo_dir, "manual")
    (demo_dir / "cards").mkdir(exist_ok=True)
    kept_card = demo_dir / "cards" / "62.01.01.json"
    kept_card.write_bytes(b'{"cards":{"1":{"serial":"made after"}}}')  # present and whole: stays
    (snap.path / "cards").mkdir(exist_ok=True)
    (snap.path / "cards" / "62.01.01.json").write_bytes(b'{"cards":{}}')
    (snap.path / "cards" / "62.01.02.json").write_bytes(b'{"cards":{"1":{"serial":"old"}}}')
    users.write_bytes(good[:20])  # damaged: the snapshot's copy is taken
    backups.restore(demo_dir, snap.name)
    assert users.read_bytes() == good
    assert kept_card.read_bytes() == b'{"cards":{"1":{"serial":"made after"}}}'
    assert (demo_dir / "cards" / "62.01.02.json").read_bytes() == b'{"cards":{"1":{"serial":"old"}}}'


# ---- kill tests ----------------------------------------------------------------------------------

# Runs `kpps ARGS` with the clock fixed (the same command gives the same bytes) and the writes of
# store.journal patched to kill the process at POINT:
#   "tmp"       while the journal is written (before it is renamed into place)
#   "torn"      a journal cut short in place (as a disk that tore it would leave it)
#   "0".."n"    after the journal is durable and after the k-th of its files is applied
#   "log-torn"  halfway through appending the log's lines, every file applied
#   "log"       after the lines are appended, before the journal is removed
#   "none"      no kill: the reference result
CHILD = r"""
import os, sys
from datetime import datetime, timezone
from pathlib import Path
from kpps_tui import clock
from kpps_tui.cli import main
from kpps_tui.store import journal

point, root, args = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
real_write, real_log = journal.atomic_write_bytes, journal._append_log
applied = 0

def write(path, payload):
    global applied
    if Path(path).name == ".journal":
        if point == "tmp":
            Path(str(path) + ".%d.0badc0de.tmp" % os.getpid()).write_bytes(payload[: len(payload) // 3])
            os._exit(9)
        if point == "torn":
            Path(path).write_bytes(payload[: len(payload) // 2])
            os._exit(9)
        real_write(path, payload)
        if point == "0":
            os._exit(9)
        return
    real_write(path, payload)
    if journal.pending(root):
        applied += 1
        print("applied", applied, flush=True)
        if point == str(applied):
            os._exit(9)

def append_log(where, size, lines, cut_back):
    if journal.pending(root) and point == "log-torn":
        with open(where / "audit" / "log.jsonl", "ab") as f:
            f.write(lines[: len(lines) // 2])
        os._exit(9)
    real_log(where, size, lines, cut_back)
    if journal.pending(root) and point == "log":
        os._exit(9)

journal.atomic_write_bytes = write
journal._append_log = append_log
with clock.fixed(datetime(2024, 11, 10, 9, 0, tzinfo=timezone.utc)):
    code = main(["--data", str(root), "--lang", "en", *args])
print("exit", code, flush=True)
sys.exit(code)
"""


def run_child(point: str, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, point, str(root), *map(str, args)],
        capture_output=True, text=True, timeout=120,
    )


def kill_points(root: Path, *args: str) -> tuple[dict[str, str], int]:
    """The reference run on a copy: its resulting data files and how many files its batch applies."""
    reference = root.parent / f"{root.name}-reference"
    shutil.copytree(root, reference, symlinks=True)
    done = run_child("none", reference, *args)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    applied = max((int(line.split()[1]) for line in done.stdout.splitlines() if line.startswith("applied ")), default=0)
    assert applied >= 2, done.stdout  # a batch across several files, else there is nothing to prove
    after = data_digests(reference)
    shutil.rmtree(reference)
    return after, applied


def killed_at(root: Path, point: str, *args: str) -> Path:
    trial = root.parent / f"{root.name}-{point}"
    shutil.copytree(root, trial, symlinks=True)
    done = run_child(point, trial, *args)
    assert done.returncode == -9 or done.returncode == 9, done.stdout + done.stderr
    return trial


def assert_whole(trial: Path, before: dict[str, str], after: dict[str, str], point: str, kpps) -> str:
    """A fresh opener settles the journal; the files are the state before or after, never a mix;
    `kpps check` is sound and the log replays to the files."""
    code, out, err = kpps("--data", trial, "check")
    assert code == 0 and "Traceback" not in out + err, out + err
    assert not os.path.lexists(trial / JOURNAL_FILE)
    now = data_digests(trial)
    assert replays(trial) == []
    outcome = "before" if now == before else "after" if now == after else "mix"
    assert outcome != "mix", {rel for rel in set(now) | set(after) if now.get(rel) != after.get(rel)}
    expected = "before" if point in ("tmp", "torn") else "after"
    assert outcome == expected, (point, outcome)
    Workspace.open(trial)  # and the interface's way in opens it too
    return outcome


OUTCOMES: dict[str, dict[str, int]] = {}


def run_kill_trials(kind: str, root: Path, kpps, *args: str) -> None:
    before = data_digests(root)
    after, applied = kill_points(root, *args)
    assert after != before
    points = ["tmp", "torn", *map(str, range(applied + 1)), "log-torn", "log"]
    tally = OUTCOMES.setdefault(kind, {"points": len(points), "before": 0, "after": 0})
    for point in points:
        trial = killed_at(root, point, *args)
        tally[assert_whole(trial, before, after, point, kpps)] += 1
        shutil.rmtree(trial)
    print(f"kill trials {kind}: {tally}")


def test_an_import_killed_at_every_point_lands_whole_or_not_at_all(demo_dir, tmp_path, kpps):
    csv = one_applicant_per_kecamatan(Workspace.open(demo_dir), tmp_path / "import.csv")
    run_kill_trials("import", demo_dir, kpps, "import", "applicants", csv)


def test_a_tps_import_killed_at_every_point_lands_whole_or_not_at_all(demo_dir, tmp_path, kpps):
    ws = Workspace.open(demo_dir)
    rows = ["Kode TPS,Desa,Nomor TPS,Alamat,DPT"]
    for kec in ws.kecamatan_codes()[:4]:
        rows.append(f",{ws.desa_codes(kec)[0]},90,Jl. Baru,250")
    (tmp_path / "tps.csv").write_text("\n".join(rows) + "\n")
    run_kill_trials("import tps", demo_dir, kpps, "import", "tps", tmp_path / "tps.csv")


def test_accepting_every_proposal_killed_at_every_point_lands_whole_or_not_at_all(demo_dir, kpps):
    run_kill_trials("propose --all --apply", demo_dir, kpps, "propose", "--all", "--apply")


def test_a_restore_killed_at_every_point_lands_whole_or_not_at_all(demo_dir, tmp_path, kpps):
    ws = Workspace.open(demo_dir)
    snap = backups.take_snapshot(demo_dir, "manual")
    csv = one_applicant_per_kecamatan(ws, tmp_path / "later.csv")
    assert kpps("--data", demo_dir, "import", "applicants", csv)[0] == 0
    assert kpps("--data", demo_dir, "propose", "--all", "--apply")[0] == 0
    run_kill_trials("restore", demo_dir, kpps, "restore", "--yes", snap.name)


# ---- readers that never lock ---------------------------------------------------------------------


def test_a_reader_refreshing_while_a_batch_is_applied_never_holds_half_of_it(demo_dir, tmp_path, monkeypatch):
    """Another session's import stops after its first file; a screen that refreshes right then
    waits for the batch instead of showing one kecamatan's new applicant without the others'."""
    import threading

    writer = Workspace.open(demo_dir)
    reader = Workspace.open(demo_dir)
    csv = one_applicant_per_kecamatan(writer, tmp_path / "new.csv")
    from kpps_tui.services import imports

    preview = imports.preview_applicants(writer, csv)
    new = {p.nik for p in preview.added}
    assert len(new) == len(writer.kecamatan_codes())
    halfway, go_on = threading.Event(), threading.Event()
    real = journal.atomic_write_bytes

    def write(path, payload):
        real(path, payload)
        if journal.pending(demo_dir) and Path(path).parent.name == "people" and not halfway.is_set():
            halfway.set()
            go_on.wait(10)  # one file of the batch applied, the others not yet

    monkeypatch.setattr(journal, "atomic_write_bytes", write)
    thread = threading.Thread(target=imports.apply_applicants, args=(writer, preview))
    thread.start()
    assert halfway.wait(10)
    assert sum(1 for rel in backups.data_files(demo_dir) if rel.parts[0] == "people") == len(new)
    timer = threading.Timer(0.3, go_on.set)  # the writer goes on while the reader waits
    timer.start()
    reader.refresh()
    thread.join(10)
    assert new <= set(reader.people)  # all of them, never some


def test_a_restore_killed_at_every_point_revokes_the_cards_it_makes_stale_with_it_or_not_at_all(demo_dir, kpps):
    """A card issued after the snapshot for a seat the snapshot gives to someone else is
    revoked in the restore's own batch: never the seats restored and that card still valid."""
    from kpps_tui.services import assignments, cards

    from cards_support import card_ready_tps

    ws = Workspace.open(demo_dir)
    tps = card_ready_tps(ws)
    first, second = sorted(tps.seats)[:2]
    for seat in (first, second):
        cards.preview_card(ws, tps.code, seat, today=date(2024, 11, 20))
    snap = backups.take_snapshot(demo_dir, "manual")
    assignments.swap(ws, tps.code, first, second)  # their cards are revoked: new ones printed
    cards.preview_card(ws, tps.code, first, today=date(2024, 11, 20))
    stale = max(ws.card_book().records.values(), key=lambda r: r.serial)
    assert stale.seat == first and stale.nik == tps.seats[second].nik and stale.active
    run_kill_trials("restore with cards", demo_dir, kpps, "restore", "--yes", snap.name)
    done = demo_dir.parent / "check"
    shutil.copytree(demo_dir, done, symlinks=True)
    assert run_child("none", done, "restore", "--yes", snap.name).returncode == 0
    assert not Workspace.open(done).card_book().records[stale.serial].active
