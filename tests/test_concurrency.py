"""Many coordinators, nothing lost (issue 6): real processes colliding on a few TPS, SIGKILLs in
the middle of writes, two sessions racing in one process, damaged files, private modes under a
loose umask, and the leftovers a killed writer can leave behind.

Every check reads the real files: stock TinyDB for the data, the audit log line by line."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from tinydb import TinyDB

from kpps_tui.errors import KppsError
from kpps_tui.services import assignments
from kpps_tui.services.assignments import Refused
from kpps_tui.services.history import Assign, History, Move
from kpps_tui.services.recovery import WorkspaceDamaged, open_workspace
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store import audit, backups, files
from kpps_tui.store.storage import DamagedFile
from kpps_tui.store.workspace import Workspace, WorkspaceError

from test_processes import kpps_check, read_line, stock_seats
from test_store import modes, umask_zero  # noqa: F401 (a fixture)


def str_seats(seats: dict[str, dict[int, str]]) -> dict[str, dict[str, str]]:
    """stock_seats with the seat numbers as the audit log writes them (strings)."""
    return {code: {str(n): nik for n, nik in sorted(s.items())} for code, s in seats.items()}


def workspace_json_files(root: Path) -> list[Path]:
    """Every data file of the workspace (snapshots in backups/ are checked separately)."""
    return sorted(p for p in root.rglob("*.json") if p.relative_to(root).parts[0] != "backups")


def stock_tinydb_reads_every_file(root: Path) -> None:
    found = workspace_json_files(root)
    assert len(found) >= 3
    for path in found:
        db = TinyDB(path)
        try:
            assert db.tables(), path
            for name in db.tables():
                db.table(name).all()
        finally:
            db.close()


def audit_log_parses(root: Path) -> int:
    """Every line of the log is one JSON object, except lines torn by a crash, which audit.read
    skips; and the hash chain holds. Returns the number of torn lines."""
    lines = audit.log_path(root).read_bytes().split(b"\n")
    lines = [line for line in lines if line]
    torn = 0
    for line in lines:
        try:
            json.loads(line)
        except ValueError:
            torn += 1
    assert len(list(audit.read(root, anchors=True))) == len(lines) - torn
    with files.exclusive_lock(root / ".lock"):  # a session may be appending right now
        assert audit.verify_chain(root, expected=True) is None
    return torn


def replay(start: dict[str, dict[str, str]], root: Path) -> dict[str, dict[str, str]]:
    """Apply each entry's `after` seat map to its TPS, in log order. Each entry's `before` must
    be what the log says the TPS held just then: no change was made from a stale view (a lost
    update would show as a `before` that skips someone else's change)."""
    state = {code: dict(seats) for code, seats in start.items()}
    for i, entry in enumerate(audit.read(root)):
        assert entry.subject in state, f"entry {i} changes an unknown TPS: {entry}"
        assert entry.before == state[entry.subject], f"entry {i} was made from a stale view: {entry}"
        state[entry.subject] = dict(entry.after)
    return state


# ---- 1. four processes colliding on six TPS ------------------------------------------------------

# One coordinator's session: random assign / unassign / move / swap on a few TPS, each chosen
# from what the session sees now (usually refreshed, sometimes stale), through the services.
STRESS = r"""
import json, random, sys
from pathlib import Path
from kpps_tui.errors import KppsError
from kpps_tui.services import assignments
from kpps_tui.store.workspace import Workspace

root, tps_codes, pools, seed, ops = Path(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
ws = Workspace.open(root)
done, refused = {"assign": 0, "unassign": 0, "move": 0, "swap": 0}, 0
print("ready", flush=True)
sys.stdin.readline()  # every session starts at once
for _ in range(ops):
    if rng.random() < 0.8:
        ws.refresh()  # a screen is at most 2 s behind; sometimes it is still stale
    code = rng.choice(tps_codes)
    seats = {n: s.nik for n, s in ws.tps[code].seats.items()}
    taken = sorted(seats) or [rng.randint(1, 7)]
    empty = [n for n in range(1, 8) if n not in seats] or [rng.randint(1, 7)]
    op = rng.choice(("assign", "assign", "unassign", "move", "swap"))
    try:
        if op == "assign":
            assignments.assign(ws, code, rng.choice(empty), rng.choice(pools[code]), user=f"s{seed}")
        elif op == "unassign":
            seat = rng.choice(taken)
            assignments.unassign(ws, code, seat, expected_nik=seats.get(seat))
        elif op == "move":
            seat = rng.choice(taken)
            assignments.move(ws, code, seat, rng.choice(empty), expected_nik=seats.get(seat))
        else:
            a, b = rng.sample(range(1, 8), 2)
            expected = (seats.get(a), seats.get(b)) if rng.random() < 0.5 else None
            assignments.swap(ws, code, a, b, expected=expected)
        done[op] += 1
    except KppsError:
        refused += 1  # the rules or another session said no: nothing written
print(json.dumps({"done": done, "refused": refused}), flush=True)
"""

SESSIONS, OPS = 4, 250


def test_four_processes_colliding_on_six_tps_keep_the_rules_and_the_log_replays(demo_dir, pick):
    started = time.monotonic()
    ws = Workspace.open(demo_dir)
    p = pick(ws)
    tps_codes, pools = [], {}
    for kec in ("62.01.03", "62.01.04"):
        chosen = sorted(t.code for t in ws.tps.values() if t.kecamatan_code == kec and 2 <= t.filled <= 5)[:3]
        assert len(chosen) == 3
        # shared by every session, so they compete for the same people as well as the same seats
        pool = p.eligible_niks(kec)[:10] + sorted(s.nik for c in chosen for s in ws.tps[c].seats.values())
        tps_codes += chosen
        pools.update({code: pool for code in chosen})
    start = str_seats(stock_seats(demo_dir))
    assert not list(audit.read(demo_dir))  # the log holds only its anchor: no change yet

    sessions = [
        subprocess.Popen(
            [sys.executable, "-c", STRESS, str(demo_dir), json.dumps(tps_codes), json.dumps(pools), str(i), str(OPS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(SESSIONS)
    ]
    deadline = time.monotonic() + 60
    for s in sessions:
        assert read_line(s.stdout, deadline).strip() == "ready"
    opened = time.monotonic()
    for s in sessions:
        s.stdin.write("go\n")
        s.stdin.flush()
    reports = []
    for s in sessions:
        out, err = s.communicate(timeout=120)
        assert s.returncode == 0, err
        reports.append(json.loads(out.splitlines()[-1]))
    worked = time.monotonic()
    timing = f"(open {opened - started:.1f} s, {SESSIONS}x{OPS} operations {worked - opened:.1f} s)"
    print("timing", timing)

    done = Counter()
    for r in reports:
        done.update(r["done"])
    refused = sum(r["refused"] for r in reports)
    assert sum(done.values()) + refused == SESSIONS * OPS
    assert all(done[op] > 0 for op in ("assign", "unassign", "move", "swap")), done
    assert refused > 0, "the sessions never collided"

    # the rules, read with stock TinyDB: seven seats at most, one seat per person
    stock_tinydb_reads_every_file(demo_dir)
    final = str_seats(stock_seats(demo_dir))
    for code, seats in final.items():
        assert set(seats) <= {str(n) for n in range(1, 8)}, code
    holders = [nik for seats in final.values() for nik in seats.values()]
    assert len(holders) == len(set(holders)), [n for n, c in Counter(holders).items() if c > 1]
    check = kpps_check(demo_dir)
    assert check.returncode == 0, check.stdout + check.stderr

    # the log: one entry per change a session made, and replayed it gives exactly the files
    logged = Counter(e.action for e in audit.read(demo_dir))
    assert logged == done, (logged, done)
    assert replay(start, demo_dir) == final
    assert set(final) == set(start)


# ---- 2. SIGKILL in the middle of writes --------------------------------------------------------

# A session writing as fast as it can anywhere in the workspace. Before each change it says what
# the TPS will hold ("doing"), and only after the service returned (the write is durable) it
# acknowledges it ("ok"). It is the only writer, so its memory is the state on disk.
KILL_BURST = r"""
import json, random, sys
from pathlib import Path
from kpps_tui.errors import KppsError
from kpps_tui.services import assignments
from kpps_tui.store.workspace import Workspace

root, pools, seed = Path(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
ws = Workspace.open(root)
codes = sorted(ws.tps)
print("ready", flush=True)
sys.stdin.readline()
while True:
    code = rng.choice(codes)
    tps = ws.tps[code]
    after = {str(n): s.nik for n, s in sorted(tps.seats.items())}
    taken = sorted(tps.seats)
    empty = [n for n in range(1, 8) if n not in tps.seats]
    free = [nik for nik in pools[tps.kecamatan_code] if nik not in ws.placements]
    op = rng.choice(("assign", "assign", "assign", "unassign", "move", "swap"))
    if op == "assign" and empty and free:
        seat, nik = rng.choice(empty), rng.choice(free)
        after[str(seat)] = nik
        change = lambda: assignments.assign(ws, code, seat, nik, user="burst")
    elif op == "unassign" and taken:
        seat = rng.choice(taken)
        del after[str(seat)]
        change = lambda: assignments.unassign(ws, code, seat)
    elif op == "move" and taken and empty:
        a, b = rng.choice(taken), rng.choice(empty)
        after[str(b)] = after.pop(str(a))
        change = lambda: assignments.move(ws, code, a, b)
    elif op == "swap" and taken:
        a = rng.choice(taken)
        b = rng.choice([n for n in range(1, 8) if n != a])
        x, y = after.pop(str(a)), after.pop(str(b), None)
        after[str(b)] = x
        if y is not None:
            after[str(a)] = y
        change = lambda: assignments.swap(ws, code, a, b)
    else:
        continue
    print("doing", code, json.dumps(after, sort_keys=True), flush=True)
    try:
        change()
    except KppsError as exc:
        print("refused", str(exc).replace("\n", " "), flush=True)
        continue
    print("ok", flush=True)
"""

KILLS = 50


def spawn_burst(root: Path, pools: dict[str, list[str]], seed: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", KILL_BURST, str(root), json.dumps(pools), str(seed)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigkill_at_random_moments_loses_no_acknowledged_change(demo_dir, pick):
    started = time.monotonic()
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    ws = Workspace.open(demo_dir)
    p = pick(ws)
    pools = {kec: p.eligible_niks(kec) for kec in ws.kecamatan_codes()}
    start = str_seats(stock_seats(demo_dir))
    expected = {code: dict(seats) for code, seats in start.items()}
    acknowledged, in_flight, leftovers, torn, interrupted, refused = 0, 0, 0, 0, 0, 0
    left: list[Path] = []
    child = spawn_burst(demo_dir, pools, rng.randrange(10**6))
    for round_ in range(KILLS):
        where = f"round {round_} (seed {seed}, {time.monotonic() - started:.1f} s)"
        assert read_line(child.stdout, time.monotonic() + 30).strip() == "ready", where
        assert not [t for t in left if t.exists()], f"{where}: opening the workspace left a dead writer's {left}"
        child.stdin.write("go\n")
        child.stdin.flush()
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL, f"{where}: {err}"
        assert "Traceback" not in err, f"{where}: {err}"
        left = list(demo_dir.rglob("*.tmp"))  # the killed writer's, if it died mid-write
        leftovers += bool(left)
        child = spawn_burst(demo_dir, pools, rng.randrange(10**6))  # opens while we check

        pending = None
        for line in out.split("\n")[:-1]:  # whole lines only: the kill may cut the last one
            word, _, rest = line.partition(" ")
            if word == "doing":
                code, after = rest.split(" ", 1)
                pending = (code, json.loads(after))
            elif word == "ok":
                expected[pending[0]] = pending[1]
                acknowledged += 1
                pending = None
            elif word == "refused":
                pending = None
                refused += 1
        stock_tinydb_reads_every_file(demo_dir)
        on_disk = str_seats(stock_seats(demo_dir))
        if pending is not None:
            code, after = pending
            # the change in flight: done or not done, never half
            assert on_disk[code] in (expected[code], after), f"{where}: {code} {on_disk[code]}"
            in_flight += on_disk[code] == after
            expected[code] = on_disk[code]
        lost = {code: (seats, on_disk[code]) for code, seats in expected.items() if on_disk[code] != seats}
        assert lost == {}, f"{where}: acknowledged seats missing (expected, on disk): {lost}"
        torn += audit_log_parses(demo_dir)
        # The log is written just before the file: it may be one change ahead, the one in flight,
        # until the next writer takes the lock and records that it was interrupted.
        replayed = replay(start, demo_dir)
        ahead = {code: (replayed[code], seats) for code, seats in on_disk.items() if replayed[code] != seats}
        assert ahead == {} or (pending and list(ahead) == [pending[0]] and replayed[pending[0]] == pending[1]), f"{where}: {ahead}"
        with ws.locked():  # what the next writer does first
            pass
        assert replay(start, demo_dir) == on_disk, f"{where}: the audit log does not replay to the files"
        interrupted += bool(ahead)
    child.kill()
    child.communicate(timeout=30)
    elapsed = time.monotonic() - started
    print(
        f"{KILLS} kills in {elapsed:.1f} s: {acknowledged} changes acknowledged, {in_flight} written but not yet "
        f"acknowledged, {interrupted} logged but not written, {leftovers} left a .tmp, {torn} torn log lines, "
        f"{refused} refused"
    )
    assert acknowledged > KILLS, "the kills came before any write: make the bursts longer"
    check = kpps_check(demo_dir)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_change_logged_but_never_written_is_marked_interrupted_by_the_next_writer(demo_dir, pick):
    """What a session killed between its log line and its file write leaves: the log one change
    ahead. The next writer, whoever it is, records that the change did not happen."""
    start = str_seats(stock_seats(demo_dir))
    ws = Workspace.open(demo_dir)
    p = pick(ws)
    tps = p.tps_with_empty_seats(1)
    seat = p.empty_seats(tps)[0]
    nik = p.free_people(tps)[0].nik
    held = start[tps.code]
    person = ws.people[nik]
    renamed = {**json.loads(json.dumps(person.to_doc())), "name": "Nama Lain"}
    ghosts = [
        audit.AuditEntry(audit.now_iso(), "ani", "host-1-gone", "declaration", nik, json.loads(json.dumps(person.to_doc())), renamed),
        audit.AuditEntry(audit.now_iso(), "ani", "host-1-gone", "assign", tps.code, held, {**held, str(seat): nik}),
    ]
    for ghost in ghosts:
        audit.append(demo_dir, ghost)
    audit.append(demo_dir, audit.AuditEntry(audit.now_iso(), "budi", "host-2", "reveal_nik", nik, None, None))

    other = p.tps_with_empty_seats(1, skip=1)
    assignments.assign(ws, other.code, p.empty_seats(other)[0], p.free_people(other)[0].nik)
    entries = list(audit.read(demo_dir))
    marked = {e.subject: e for e in entries[3:-1]}
    assert [e.action for e in entries[3:-1]] == [audit.INTERRUPTED, audit.INTERRUPTED]
    assert marked[tps.code].before == ghosts[1].after and marked[tps.code].after == held
    assert marked[nik].before == renamed and marked[nik].after["name"] == person.name
    assert {(e.user, e.session) for e in marked.values()} == {("ani", "host-1-gone")}
    assert entries[-1].action == "assign"
    tps_only = [e for e in entries if e.subject in start]
    assert len(tps_only) == 3
    # replayed, the log gives the files again
    state = {code: dict(seats) for code, seats in start.items()}
    for e in tps_only:
        state[e.subject] = e.after
    assert state == str_seats(stock_seats(demo_dir))
    assignments.unassign(ws, other.code, p.empty_seats(other)[0])
    assert [e.action for e in audit.read(demo_dir)][-1] == "unassign"  # settled once, not again


def test_a_restore_is_logged_and_is_not_mistaken_for_an_interrupted_change(demo_dir, pick):
    ws = Workspace.open(demo_dir)
    p = pick(ws)
    snap = backups.take_snapshot(demo_dir, "manual")
    tps = p.tps_with_empty_seats(2)
    first, second = p.empty_seats(tps)[:2]
    assignments.assign(ws, tps.code, first, p.free_people(tps)[0].nik)
    backups.restore(demo_dir, snap.name)  # the files go back; the assign above is no longer in them
    ws.refresh()
    assignments.assign(ws, tps.code, second, p.free_people(tps)[0].nik)
    actions = [(e.action, e.subject) for e in audit.read(demo_dir)]
    assert actions == [("assign", tps.code), (audit.RESTORE, snap.name), ("assign", tps.code)]


# ---- 3. two sessions in one process, at the same instant -----------------------------------------
# (tests/test_store.py races once with explicit users; here: again and again, with the sessions'
# own users, the loser's view, the log, and one person raced onto two TPS.)


def race(*calls):
    """Start every call in its own thread at the same instant; return what each returned or raised."""
    start = threading.Barrier(len(calls))
    outcome: dict[int, object] = {}

    def run(i: int) -> None:
        start.wait()
        try:
            outcome[i] = calls[i]()
        except KppsError as exc:
            outcome[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(outcome) == len(calls), "a session hung"
    return [outcome[i] for i in range(len(calls))]


def test_two_sessions_racing_for_the_same_seat_again_and_again(demo_dir, pick):
    a, b = Workspace.open(demo_dir), Workspace.open(demo_dir)
    a.user, b.user = "ani", "budi"  # two coordinators' accounts
    sessions = (a, b)
    for round_ in range(6):
        a.refresh()
        p = pick(a)
        tps = p.tps_with_empty_seats(2, skip=round_)
        seat = p.empty_seats(tps)[0]
        people = p.free_people(tps, 2)
        logged = len(list(audit.read(demo_dir)))
        outcome = race(*(lambda i=i: assignments.assign(sessions[i], tps.code, seat, people[i].nik) for i in range(2)))
        winners = [i for i, o in enumerate(outcome) if isinstance(o, list)]
        assert len(winners) == 1, (round_, outcome)
        won, lost = winners[0], 1 - winners[0]
        refusal = outcome[lost]
        assert isinstance(refusal, Refused), refusal
        assert f"already taken by {people[won].name} (set by {sessions[won].user})" in str(refusal)
        # the loser's session already shows the winner: its screen can show the new state at once
        assert sessions[lost].tps[tps.code].seats[seat].nik == people[won].nik
        assert sessions[lost].placements[people[won].nik].tps_code == tps.code
        assert Workspace.open(demo_dir).tps[tps.code].seats[seat].nik == people[won].nik
        entries = list(audit.read(demo_dir))[logged:]
        assert [(e.action, e.subject, e.session) for e in entries] == [("assign", tps.code, sessions[won].session)]


def test_two_sessions_racing_to_seat_one_person_on_two_tps(demo_dir, pick):
    a, b = Workspace.open(demo_dir), Workspace.open(demo_dir)
    p = pick(a)
    first = p.tps_with_empty_seats(1, kecamatan="62.01.03")
    second = p.tps_with_empty_seats(1, kecamatan="62.01.03", skip=1)
    person = p.free_people(first, 1)[0]
    seats = (p.empty_seats(first)[0], p.empty_seats(second)[0])
    outcome = race(
        lambda: assignments.assign(a, first.code, seats[0], person.nik),
        lambda: assignments.assign(b, second.code, seats[1], person.nik),
    )
    winners = [i for i, o in enumerate(outcome) if isinstance(o, list)]
    assert len(winners) == 1, outcome
    won = winners[0]
    won_tps = (first, second)[won]
    assert isinstance(outcome[1 - won], Refused)
    assert f"already sits on seat {seats[won]} of {a.tps_label(won_tps)}" in str(outcome[1 - won])
    on_disk = [(code, n) for code, held in stock_seats(demo_dir).items() for n, nik in held.items() if nik == person.nik]
    assert on_disk == [(won_tps.code, seats[won])]


# ---- 4. damaged files, through the way a session opens a workspace ------------------------------
# (tests/test_store.py: Workspace.open refuses each damage; tests/test_audit_backups.py: an empty
# workspace.json and a torn TPS file name the snapshot. Here the rest of the list of issue 6.)


def set_schema_version(raw: bytes, version) -> bytes:
    data = json.loads(raw)
    data["meta"]["1"]["schema_version"] = version
    return json.dumps(data).encode()


DAMAGES = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "not-json": lambda raw: b"\x89PNG\r\n not JSON at all",
    "empty": lambda raw: b"",
    "schema-version-0": lambda raw: set_schema_version(raw, 0),
    "schema-version-text": lambda raw: set_schema_version(raw, "1"),
}
DAMAGED_FILES = {"main": "workspace.json", "tps": "tps/62.01.03.json", "people": "people/62.01.04.json"}


@pytest.mark.parametrize(
    "which,how",
    [
        ("main", "truncated"),
        ("main", "not-json"),
        ("main", "schema-version-0"),
        ("main", "schema-version-text"),
        ("tps", "not-json"),
        ("tps", "empty"),
        ("people", "truncated"),
        ("people", "not-json"),
        ("people", "empty"),
    ],
)
def test_a_damaged_file_names_the_newest_good_snapshot_is_kept_and_restore_mends_it(demo_dir, which, how):
    root = demo_dir
    backups.take_snapshot(root, "session")
    good = backups.take_snapshot(root, "manual")
    path = root / DAMAGED_FILES[which]
    path.write_bytes(DAMAGES[how](path.read_bytes()))
    damaged = path.read_bytes()

    with pytest.raises(WorkspaceDamaged) as caught:
        open_workspace(root)
    message = str(caught.value)
    assert str(path) in message and "It has not been changed." in message
    assert f"The newest good snapshot is {good.name}" in message
    assert f"kpps --data {root} restore {good.name}" in message
    assert path.read_bytes() == damaged

    kept = backups.restore(root, good.name)
    assert (kept.path / DAMAGED_FILES[which]).read_bytes() == damaged  # kept, byte for byte
    restored = open_workspace(root)
    assert path.read_bytes() == (good.path / DAMAGED_FILES[which]).read_bytes()
    assert len(restored.tps) == 413
    assert kpps_check(root).returncode == 0


def test_the_newest_snapshot_that_is_itself_damaged_is_passed_over(demo_dir):
    good = backups.take_snapshot(demo_dir, "session")
    torn = backups.take_snapshot(demo_dir, "manual")
    (torn.path / "people" / "62.01.02.json").write_bytes(b'{"people": {"1": {')
    other_version = backups.take_snapshot(demo_dir, "manual")
    main = other_version.path / "workspace.json"
    main.write_bytes(set_schema_version(main.read_bytes(), 0))
    (demo_dir / "tps" / "62.01.01.json").write_bytes(b"")
    with pytest.raises(WorkspaceDamaged) as caught:
        open_workspace(demo_dir)
    assert f"restore {good.name}" in str(caught.value)
    assert torn.name not in str(caught.value) and other_version.name not in str(caught.value)


def test_without_a_snapshot_the_damaged_file_is_kept_and_no_restore_is_offered(demo_dir):
    path = demo_dir / "workspace.json"
    path.write_bytes(set_schema_version(path.read_bytes(), None))
    damaged = path.read_bytes()
    with pytest.raises(WorkspaceDamaged) as caught:
        open_workspace(demo_dir)
    assert "No snapshot is available" in str(caught.value) and "restore" not in str(caught.value)
    assert path.read_bytes() == damaged


def test_a_newer_schema_version_is_not_called_damaged(demo_dir):
    """A file a newer version of the program wrote: restoring an older snapshot would lose work."""
    backups.take_snapshot(demo_dir, "session")
    path = demo_dir / "workspace.json"
    path.write_bytes(set_schema_version(path.read_bytes(), 2))
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(demo_dir)
    assert not isinstance(caught.value, (WorkspaceDamaged, DamagedFile))
    assert "schema version 2; this program reads version 1" in str(caught.value)


# ---- 5. private modes under a loose umask ---------------------------------------------------------
# (tests/test_store.py: a new workspace and an assignment; here every other kind of write.)


def test_every_kind_of_write_under_umask_000_stays_private(tmp_path, umask_zero, pick):
    ws = init_from_sample(tmp_path / "ws", "demo")
    root = ws.root
    p = pick(ws)
    tps = p.tps_with_empty_seats(2)
    first, second = p.empty_seats(tps)[:2]
    nik = p.free_people(tps)[0].nik
    history = History()
    history.run(ws, Assign(tps.code, first, nik))  # the first change also takes a snapshot
    history.run(ws, Move(tps.code, first, second, nik))
    history.undo(ws)
    history.redo(ws)
    snap = backups.take_snapshot(root, "manual")
    assignments.unassign(ws, tps.code, second)
    shutil.rmtree(root / "people")  # a folder lost: the restore makes it again
    backups.restore(root, snap.name)
    ws = Workspace.open(root)
    assignments.swap(ws, tps.code, second, 1)

    found = modes(root)
    kinds = {Path(name).parts[0] for name in found if name != "."}
    assert {"audit", "backups", "tps", "people", "workspace.json", ".lock"} <= kinds, kinds
    assert len([n for n in found if n.startswith("backups/") and n.count("/") == 1]) == 3
    loose = {name: f"{mode:o}" for name, mode in found.items() if mode != (0o700 if (root / name).is_dir() else 0o600)}
    assert loose == {}


# ---- 6. what a writer killed mid-write leaves behind ----------------------------------------------


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def test_opening_removes_the_temporary_files_of_dead_writers_only(demo_dir):
    dead = dead_pid()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = [
            demo_dir / f".workspace.json.{dead}.0123abcd.tmp",
            demo_dir / "tps" / f".62.01.03.json.{dead}.89abcdef.tmp",
            demo_dir / "people" / f".62.01.04.json.{dead}.00ff00ff.tmp",
        ]
        kept = [
            demo_dir / "tps" / f".62.01.03.json.{live.pid}.deadbeef.tmp",  # being written right now
            demo_dir / "tps" / f".62.01.02.json.{os.getpid()}.cafebabe.tmp",  # by this very process
            demo_dir / "tps" / f"notes.{dead}.0123abcd.tmp",  # not one of ours
            demo_dir / "people" / f".62.01.04.json.{dead}.xyz.tmp",
        ]
        for path in stale + kept:
            path.write_bytes(b'{"tps": {"1": {"code"')  # half a file
        ws = Workspace.open(demo_dir)
        assert [p for p in stale if p.exists()] == []
        assert [p for p in kept if not p.exists()] == []
        assert len(ws.tps) == 413
    finally:
        live.kill()
        live.wait()
    assert files.remove_stale_temp_files(demo_dir / "tps") == [demo_dir / "tps" / f".62.01.03.json.{live.pid}.deadbeef.tmp"]


SNAPSHOTTER = r"""
import sys
from pathlib import Path
from kpps_tui.store import backups
root = Path(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
backups.take_snapshot(root, "manual")  # one whole snapshot before the kill can come,
print("first", flush=True)             # however slowly a loaded machine copies
while True:
    backups.take_snapshot(root, "manual")
"""


def test_snapshots_cut_short_by_a_kill_are_never_listed_and_the_next_one_clears_them(demo_dir):
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    wanted = backups.data_files(demo_dir)
    partial = demo_dir / "backups" / ".20240101-000000-000000-manual"
    (partial / "tps").mkdir(parents=True)
    (partial / "tps" / "62.01.01.json").write_bytes(b'{"tps": {"1"')  # a copy cut short
    hidden_seen = 0
    for round_ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", SNAPSHOTTER, str(demo_dir)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert read_line(child.stdout, time.monotonic() + 30).strip() == "ready"
        child.stdin.write("go\n")
        child.stdin.flush()
        assert read_line(child.stdout, time.monotonic() + 60).strip() == "first"
        time.sleep(rng.uniform(0.05, 0.4))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
        hidden_seen += len([d for d in (demo_dir / "backups").iterdir() if d.name.startswith(".")])
        listed = backups.snapshots(demo_dir)
        assert 0 < len(listed) <= backups.KEEP + 1  # killed before rotating: one more, until the next
        for snap in listed:  # every listed snapshot is whole, even when a kill came mid-rotation
            assert backups.data_files(snap.path) == wanted, f"round {round_} (seed {seed}): {snap.name}"
        newest = backups.newest_good(demo_dir)
        assert newest == listed[0]
        for rel in wanted:
            db = TinyDB(newest.path / rel)
            try:
                assert db.tables()
            finally:
                db.close()
    backups.take_snapshot(demo_dir, "manual")
    assert [d.name for d in (demo_dir / "backups").iterdir() if d.name.startswith(".")] == []
    for _ in range(backups.KEEP):  # a slow machine may have made fewer than KEEP in the rounds
        backups.take_snapshot(demo_dir, "manual")
    assert len(backups.snapshots(demo_dir)) == backups.KEEP
    print(f"seed {seed}: {hidden_seen} hidden folders left by the kills")
