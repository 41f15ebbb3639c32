"""Pieces the benchmark scripts share: valid assignment pairs, our durable assignment against
stock TinyDB on the same data, a headless cold start in a child process, and the results file.

Imported by the scripts next to it (`python benchmarks/bench_core.py` puts this folder first on
sys.path). Nothing here asserts a speed: the scripts print figures and whether targets are met.
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from tinydb import TinyDB

from kpps_tui.domain.model import Seat
from kpps_tui.services import assignments, browse
from kpps_tui.store.workspace import Workspace

RESULTS = Path(__file__).resolve().parent / "results"

Pair = tuple[str, int, str]  # (TPS code, seat number, NIK)


# ---- figures ---------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def source_state() -> dict:
    """The commit measured, and whether the working tree differed from it."""
    here = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "kpps_tui"],
            cwd=here,
            capture_output=True,
            text=True,
        ).stdout.split("\n")
    except OSError:
        return {"commit": None, "changed_files": []}
    return {"commit": commit or None, "changed_files": sorted(line[3:] for line in dirty if line.strip())}


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def write_results(prefix: str, figures: dict) -> Path:
    """benchmarks/results/<prefix>-<local time>.json (the folder is not versioned)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{prefix}-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    return out


# ---- assignments the rules accept ------------------------------------------------------------


def pairs_for(ws: Workspace, count: int) -> list[Pair]:
    """Valid assignments: an empty seat and an eligible applicant of the same kecamatan."""
    found: list[Pair] = []
    for kec in ws.kecamatan_codes():
        first = next((t for t in ws.tps.values() if t.kecamatan_code == kec), None)
        if first is None:
            continue
        # The candidate picker's own verdict, so every pair passes the hard rules.
        people = sorted(c.person.nik for c in browse.candidates(ws, first) if c.eligible)
        seats = [
            (t.code, n)
            for t in sorted(ws.tps.values(), key=lambda t: t.code)
            if t.kecamatan_code == kec
            for n in range(1, ws.election.seats_per_tps + 1)
            if n not in t.seats
        ]
        found += [(code, n, nik) for (code, n), nik in zip(seats, people)]
    # Round-robin over kecamatan so that every TPS file takes its share of the writes
    # (a kecamatan with fewer pairs drops out of the rotation when it has none left).
    by_kec: dict[str, list[Pair]] = {}
    for item in found:
        by_kec.setdefault(item[0][:8], []).append(item)
    mixed = [item for group in itertools.zip_longest(*by_kec.values()) for item in group if item is not None]
    if len(mixed) < count:
        raise SystemExit(f"the workspace offers only {len(mixed)} valid pairs; ask for fewer")
    return mixed[:count]


# ---- our durable assignment ------------------------------------------------------------------


def time_assignments(ws: Workspace, pairs: list[Pair]) -> list[float]:
    """Seconds per services.assignments.assign (lock, reload check, rules, atomic write, audit);
    each seat is emptied again (untimed) so the workspace ends as it began."""
    timings = []
    for code, seat, nik in pairs:
        start = time.perf_counter()
        assignments.assign(ws, code, seat, nik)
        timings.append(time.perf_counter() - start)
        assignments.unassign(ws, code, seat)
    return timings


def bench_ours(root: Path, pairs: list[Pair], warmup: int = 5) -> list[float]:
    ws = Workspace.open(root)
    time_assignments(ws, pairs[:warmup])
    return time_assignments(ws, pairs)


# ---- stock TinyDB, one file holding everything -----------------------------------------------


def naive_database(ws: Workspace, path: Path) -> dict[str, int]:
    """One TinyDB file with the same election, regions, TPS and applicants; TPS code -> doc id."""
    db = TinyDB(path)  # stock: default JSONStorage
    db.table("election").insert(ws.election.to_doc())
    db.table("regions").insert_multiple({"code": r.code, "name": r.name} for r in ws.regions.values())
    db.table("people").insert_multiple(p.to_doc() for p in ws.people.values())
    codes = sorted(ws.tps)
    ids = db.table("tps").insert_multiple(ws.tps[c].to_doc() for c in codes)
    db.close()
    return dict(zip(codes, ids))


def bench_stock(ws: Workspace, path: Path, pairs: list[Pair], warmup: int = 5) -> list[float]:
    """Seconds per update of the same TPS document through stock TinyDB (then put back, untimed)."""
    doc_ids = naive_database(ws, path)
    db = TinyDB(path)
    table = db.table("tps")
    timings = []
    stamp = now_iso()
    for i, (code, seat, nik) in enumerate(pairs[:warmup] + pairs):
        before = ws.tps[code]
        seats = {**before.seats, seat: Seat(nik, stamp, "bench")}
        after_doc = replace(before, seats=seats).to_doc()["seats"]
        start = time.perf_counter()
        table.update({"seats": after_doc}, doc_ids=[doc_ids[code]])  # the same TPS document update
        elapsed = time.perf_counter() - start
        table.update({"seats": before.to_doc()["seats"]}, doc_ids=[doc_ids[code]])
        if i >= warmup:
            timings.append(elapsed)
    db.close()
    return timings


# ---- cold start ------------------------------------------------------------------------------

HEADLESS = r"""
import sys
from pathlib import Path
from kpps_tui import i18n
from kpps_tui.domain.model import Seat
i18n.set_language("en")
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.app import KppsApp

app = KppsApp(Workspace.open(Path(sys.argv[1])), cursor_blink=False, start="tps")

async def shown(pilot):
    # The TPS table (a virtual table since it holds the province's 4,446 rows).
    while not any(t.row_count for t in app.screen.query("#tps-table")):
        await pilot.pause(0.002)
    await pilot.pause()  # let the frame with the rows be composed
    rows = max(t.row_count for t in app.screen.query("#tps-table"))
    print("shown", rows, flush=True)
    app.exit()

app.run(headless=True, size=(80, 24), auto_pilot=shown)
# The peak resident memory of this program (not ru_maxrss: on Linux a child's ru_maxrss keeps
# the high-water mark of the parent it was forked from, which exec does not reset).
try:
    with open("/proc/self/status") as status:
        print("peak", next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM:")), flush=True)
except (OSError, StopIteration):
    import resource
    print("peak", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, flush=True)
"""


@dataclass(frozen=True)
class ColdStart:
    seconds: float  # from spawning the process to "shown" on its output
    rows: int  # rows in the TPS table at that moment
    peak_rss_bytes: int  # the child's own peak resident memory (VmHWM), read as it exits


def cold_start_headless(root: Path, timeout: float = 120) -> ColdStart:
    """Spawn a fresh Python that opens the workspace in a headless KppsApp (80x24) and says
    "shown" once the TPS table holds its rows and a frame was composed."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", HEADLESS, str(root)], stdout=subprocess.PIPE, stderr=err, text=True
        )
        watchdog = threading.Timer(timeout, child.kill)
        watchdog.start()
        try:
            line = child.stdout.readline()
            elapsed = time.perf_counter() - start
            rest = child.stdout.read().split()
            child.wait()
        finally:
            watchdog.cancel()
        if not line.startswith("shown") or rest[:1] != ["peak"]:
            err.seek(0)
            detail = err.read().decode(errors="replace").strip()[-500:]
            raise RuntimeError(f"the headless app did not show the table: {detail}")
    return ColdStart(elapsed, int(line.split()[1]), int(rest[1]))
