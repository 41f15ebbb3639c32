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
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from common import (
    bench_ours,
    bench_stock,
    cold_start_headless,
    machine,
    mark,
    now_iso,
    pairs_for,
    percentile,
    write_results,
)

from kpps_tui import i18n
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store.workspace import Workspace

TARGET_TABLE_SECONDS = 1.0
TARGET_ASSIGN_MS = 10.0
TARGET_RATIO = 5.0


# ---- (c) cold start on a real terminal (the headless start is in common.py) -----------------


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
        "when": now_iso(),
        "machine": machine(),
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
            h_med = statistics.median(start.seconds for start in headless)
            marker = ws.tps_label(ws.tps[sorted(ws.tps)[0]]).split(" ", 2)[-1]  # first row's desa
            try:
                terminal = [cold_start_terminal(root, marker) for _ in range(args.starts)]
                t_med = statistics.median(terminal)
            except (RuntimeError, OSError) as exc:
                terminal, t_med = [], None
                print(f"    (terminal start not measured: {exc})")
            figures["cold_start_s"] = {
                "headless_median": h_med,
                "headless_all": [start.seconds for start in headless],
                "rows": headless[0].rows,
                "terminal_median": t_med,
                "terminal_all": terminal,
            }
            print(
                f"(c) cold start to the TPS table ({headless[0].rows} rows), headless KppsApp: median {h_med:.3f} s "
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
    out = write_results("core", figures)
    print(f"Figures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
