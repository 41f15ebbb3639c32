"""Speed of the working core, measured against stock TinyDB in the same run.

    python benchmarks/bench_core.py [--pairs 200] [--starts 5]

Prints, on a private copy of the demo sample (413 TPS, about 4,500 applicants):
  (a) one durable assignment through services.assignments.assign (lock, reload of what other
      sessions changed, rule check, atomic write with fsync, audit line): median and p95;
  (b) the same TPS document update through stock TinyDB and its default JSONStorage, on a naive
      single-file database holding the same TPS and applicants; and the ratio of the two;
  (c) cold start: from spawning a process to the TPS table holding its rows in a headless
      KppsApp, and to the first row drawn by the real `kpps` program on a pseudo-terminal.
The figures are also written to benchmarks/results/core-<time>.json (not versioned).
Speed is not asserted in the test suite: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import fcntl
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from tinydb import TinyDB

from kpps_tui import i18n
from kpps_tui.domain.model import Seat
from kpps_tui.services import assignments, browse
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store.workspace import Workspace

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_TABLE_SECONDS = 1.0
TARGET_ASSIGN_MS = 10.0
TARGET_RATIO = 5.0


# ---- helpers ---------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def pairs_for(ws: Workspace, count: int) -> list[tuple[str, int, str]]:
    """Valid assignments: an empty seat and an eligible applicant of the same kecamatan."""
    found: list[tuple[str, int, str]] = []
    for kec in ws.kecamatan_codes():
        # The candidate picker's own verdict, so every pair passes the hard rules.
        first = next(t for t in ws.tps.values() if t.kecamatan_code == kec)
        people = sorted(c.person.nik for c in browse.candidates(ws, first) if c.eligible)
        seats = [
            (t.code, n)
            for t in sorted(ws.tps.values(), key=lambda t: t.code)
            if t.kecamatan_code == kec
            for n in range(1, ws.election.seats_per_tps + 1)
            if n not in t.seats
        ]
        found += [(code, n, nik) for (code, n), nik in zip(seats, people)]
    # Round-robin over kecamatan so that every TPS file takes its share of the writes.
    by_kec: dict[str, list] = {}
    for item in found:
        by_kec.setdefault(item[0][:8], []).append(item)
    mixed = [item for group in zip(*by_kec.values()) for item in group]
    if len(mixed) < count:
        raise SystemExit(f"the sample offers only {len(mixed)} valid pairs; ask for fewer")
    return mixed[:count]


# ---- (a) our durable assignment --------------------------------------------------------------


def bench_ours(root: Path, pairs: list[tuple[str, int, str]], warmup: int = 5) -> list[float]:
    ws = Workspace.open(root)
    timings = []
    for i, (code, seat, nik) in enumerate(pairs[:warmup] + pairs):
        start = time.perf_counter()
        assignments.assign(ws, code, seat, nik)
        elapsed = time.perf_counter() - start
        assignments.unassign(ws, code, seat)
        if i >= warmup:
            timings.append(elapsed)
    return timings


# ---- (b) stock TinyDB, one file holding everything --------------------------------------------


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


def bench_stock(ws: Workspace, path: Path, pairs: list[tuple[str, int, str]], warmup: int = 5) -> list[float]:
    doc_ids = naive_database(ws, path)
    db = TinyDB(path)
    table = db.table("tps")
    timings = []
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
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


# ---- (c) cold start --------------------------------------------------------------------------

HEADLESS = r"""
import sys
from pathlib import Path
from kpps_tui import i18n
from kpps_tui.domain.model import Seat
i18n.set_language("en")
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.app import KppsApp
from textual.widgets import DataTable

app = KppsApp(Workspace.open(Path(sys.argv[1])), cursor_blink=False)

async def shown(pilot):
    while not any(t.row_count for t in app.screen.query(DataTable)):
        await pilot.pause(0.002)
    await pilot.pause()  # let the frame with the rows be composed
    rows = max(t.row_count for t in app.screen.query(DataTable))
    print("shown", rows, flush=True)
    app.exit()

app.run(headless=True, size=(80, 24), auto_pilot=shown)
"""


def cold_start_headless(root: Path) -> tuple[float, int]:
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", HEADLESS, str(root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    _out, err = child.communicate(timeout=60)
    if not line.startswith("shown"):
        raise RuntimeError(f"the headless app did not show the table: {err.strip()[-500:]}")
    return elapsed, int(line.split()[1])


def cold_start_terminal(root: Path, marker: str) -> float:
    """`kpps --data ROOT` on an 80x24 pseudo-terminal, until `marker` (a row's text) is drawn."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "KPPS_LANG": "en"}
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "kpps_tui.cli", "--data", str(root)],
        stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
    )
    os.close(slave)
    seen = b""
    elapsed = None
    deadline = start + 30
    try:
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                seen += chunk
                if marker.encode() in seen:
                    elapsed = time.perf_counter() - start
                    break
            if child.poll() is not None:
                break
    finally:
        try:
            os.write(master, b"\x11")  # Ctrl+Q
            child.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        os.close(master)
    if elapsed is None:
        raise RuntimeError("the TPS table never appeared on the terminal")
    return elapsed


# ---- main ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=200, help="assignments to time (default 200)")
    parser.add_argument("--starts", type=int, default=5, help="cold starts to time (default 5)")
    args = parser.parse_args()
    i18n.set_language("en")
    figures: dict = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "sample": "demo",
    }
    with tempfile.TemporaryDirectory(prefix="kpps-bench-") as tmp:
        root = Path(tmp) / "ws"
        ws = init_from_sample(root, "demo")
        pairs = pairs_for(ws, args.pairs)
        print(f"Demo sample: {len(ws.tps)} TPS, {len(ws.people)} applicants; {len(pairs)} assignments timed.")

        ours = bench_ours(root, pairs)
        stock = bench_stock(Workspace.open(root), Path(tmp) / "naive.json", pairs)
        ours_med, stock_med = statistics.median(ours) * 1000, statistics.median(stock) * 1000
        ratio = stock_med / ours_med
        figures["assign_ms"] = {"median": ours_med, "p95": percentile(ours, 95) * 1000, "n": len(ours)}
        figures["stock_tinydb_update_ms"] = {"median": stock_med, "p95": percentile(stock, 95) * 1000, "n": len(stock)}
        figures["ratio_stock_over_ours"] = ratio
        mark = lambda ok: "ok" if ok else "MISSED"  # noqa: E731
        print(
            f"(a) durable assignment (services.assign): median {ours_med:.2f} ms, p95 {figures['assign_ms']['p95']:.2f} ms"
            f"   target < {TARGET_ASSIGN_MS:.0f} ms median: {mark(ours_med < TARGET_ASSIGN_MS)}"
        )
        print(
            f"(b) stock TinyDB JSONStorage, one file, same TPS update: median {stock_med:.2f} ms, "
            f"p95 {figures['stock_tinydb_update_ms']['p95']:.2f} ms"
        )
        print(f"    ratio stock/ours: {ratio:.1f}x   target >= {TARGET_RATIO:.0f}x: {mark(ratio >= TARGET_RATIO)}")

        try:
            import kpps_tui.tui.app  # noqa: F401  (only to know whether the interface is there)
        except ImportError as exc:
            figures["cold_start"] = None
            print(f"(c) cold start: skipped, the interface cannot be imported ({exc})")
        else:
            headless = [cold_start_headless(root) for _ in range(args.starts)]
            h_med = statistics.median(t for t, _rows in headless)
            marker = ws.tps_label(ws.tps[sorted(ws.tps)[0]]).split(" ", 2)[-1]  # first row's desa
            try:
                terminal = [cold_start_terminal(root, marker) for _ in range(args.starts)]
                t_med = statistics.median(terminal)
            except (RuntimeError, OSError) as exc:
                terminal, t_med = [], None
                print(f"    (terminal start not measured: {exc})")
            figures["cold_start_s"] = {
                "headless_median": h_med,
                "headless_all": [t for t, _rows in headless],
                "rows": headless[0][1],
                "terminal_median": t_med,
                "terminal_all": terminal,
            }
            print(
                f"(c) cold start to the TPS table ({headless[0][1]} rows), headless KppsApp: median {h_med:.3f} s "
                f"of {args.starts}   target < {TARGET_TABLE_SECONDS:.0f} s: {mark(h_med < TARGET_TABLE_SECONDS)}"
            )
            if t_med is not None:
                print(
                    f"    real `kpps` on an 80x24 pseudo-terminal, first row drawn: median {t_med:.3f} s   "
                    f"target < {TARGET_TABLE_SECONDS:.0f} s: {mark(t_med < TARGET_TABLE_SECONDS)}"
                )
    figures["targets"] = {
        "table_shown_s": TARGET_TABLE_SECONDS,
        "assign_median_ms": TARGET_ASSIGN_MS,
        "ratio_at_least": TARGET_RATIO,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"core-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"Figures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
