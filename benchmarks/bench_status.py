"""The ringkasan's speed on the regency and the province: opening the dashboard once the data is
loaded, and redrawing it after another session's write, each beside a baseline measured in the
same run (the TPS list opened and redrawn the same way; a full rebuild of the figures against
the update of one kecamatan).

    .venv/bin/python benchmarks/bench_status.py [--province-root DIR] [--writes 10]

Prints the figures and writes them as JSON to benchmarks/results/. Targets (issue 14): the
province dashboard opens in under 300 ms after the data is loaded and updates in under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import machine, mark, pairs_for, percentile, source_state, write_results

from kpps_tui.services import assignments
from kpps_tui.services.setup import init_from_sample
from kpps_tui.services.status import StatusBoard
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.app import KppsApp
from kpps_tui.tui.screens.dashboard import DashboardScreen, StatusTable
from kpps_tui.tui.screens.tps_list import TpsListScreen, TpsTable

TODAY = date(2024, 10, 24)
SIZE = (120, 40)


async def _settle(pilot, done) -> None:
    await pilot.pause(0)
    while not done():
        await pilot.pause(0)
    await pilot.pause(0)


async def _screen_times(root: Path, writes: int) -> dict:
    """Open the dashboard and the TPS list from each other; then, on each, the poll after another
    session's write (a seat in a different kecamatan each time)."""
    ws = Workspace.open(root)
    other = Workspace.open(root)
    pairs = pairs_for(other, writes * 2)
    app = KppsApp(ws, cursor_blink=False, start="tps", today=lambda: TODAY, poll_seconds=3600)
    figures: dict = {"open_dashboard_ms": [], "open_tps_list_ms": [], "poll_dashboard_ms": [], "poll_tps_list_ms": []}
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot, lambda: isinstance(app.screen, TpsListScreen) and app.screen.query_one(TpsTable).row_count > 0)
        for _round in range(5):
            start = time.perf_counter()
            app.action_dashboard()
            await _settle(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.query_one(StatusTable).row_count > 0)
            figures["open_dashboard_ms"].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            app.push_screen(TpsListScreen(ws))
            await _settle(pilot, lambda: isinstance(app.screen, TpsListScreen) and app.screen.query_one(TpsTable).row_count > 0)
            figures["open_tps_list_ms"].append((time.perf_counter() - start) * 1000)
            app.pop_screen()  # back on the dashboard
            await pilot.pause(0)
            app.pop_screen()  # and on the first TPS list, so that the next round opens a new dashboard
            await pilot.pause(0)
        app.action_dashboard()
        await _settle(pilot, lambda: isinstance(app.screen, DashboardScreen))
        for index, (code, seat, nik) in enumerate(pairs):
            if index == writes:
                app.push_screen(TpsListScreen(ws))
                await _settle(pilot, lambda: isinstance(app.screen, TpsListScreen) and app.screen.query_one(TpsTable).row_count > 0)
            assignments.assign(other, code, seat, nik)
            key = "poll_dashboard_ms" if index < writes else "poll_tps_list_ms"
            start = time.perf_counter()
            app.poll_workspace()
            await pilot.pause(0)
            figures[key].append((time.perf_counter() - start) * 1000)
    return figures


def _board_times(root: Path, writes: int) -> dict:
    """The read model alone: built from nothing, and updated for one kecamatan after a write."""
    ws = Workspace.open(root)
    other = Workspace.open(root)
    builds = []
    for _round in range(5):
        start = time.perf_counter()
        board = StatusBoard(ws, TODAY)
        builds.append((time.perf_counter() - start) * 1000)
    updates = []
    for code, seat, nik in pairs_for(other, writes):
        assignments.assign(other, code, seat, nik)
        changed = ws.refresh()
        start = time.perf_counter()
        board.update(changed)
        updates.append((time.perf_counter() - start) * 1000)
    return {"board_build_ms": builds, "board_update_ms": updates}


def measure(label: str, root: Path, writes: int) -> dict:
    figures = {"workspace": label, **_board_times(root, writes), **asyncio.run(_screen_times(root, writes))}
    summary = {k: round(statistics.median(v), 1) for k, v in figures.items() if isinstance(v, list)}
    summary.update({k.replace("_ms", "_slowest_ms"): round(max(v), 1) for k, v in figures.items() if isinstance(v, list)})
    return {"label": label, "median": summary, "raw": {k: v for k, v in figures.items() if isinstance(v, list)}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province-root", type=Path, help="an existing province workspace to copy (else one is generated)")
    parser.add_argument("--writes", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-status-") as tmp:
        regency = Path(tmp) / "regency"
        init_from_sample(regency, "demo")
        province = Path(tmp) / "province"
        if args.province_root:
            import shutil

            shutil.copytree(args.province_root, province)
        else:
            from kpps_tui.sample_data.generate import generate_province

            generate_province(province)
        (province / ".lock").unlink(missing_ok=True)
        results = [measure("regency", regency, args.writes), measure("province", province, args.writes)]
    for result in results:
        m = result["median"]
        print(f"{result['label']}:")
        print(f"  dashboard opened (median of 5): {m['open_dashboard_ms']} ms, slowest {m['open_dashboard_slowest_ms']} ms; "
              f"TPS list opened the same way: {m['open_tps_list_ms']} ms")
        print(f"  poll after another session's write (median of {args.writes}): dashboard {m['poll_dashboard_ms']} ms, "
              f"slowest {m['poll_dashboard_slowest_ms']} ms; TPS list {m['poll_tps_list_ms']} ms")
        print(f"  figures alone: full build {m['board_build_ms']} ms, update of one kecamatan {m['board_update_ms']} ms")
    province_median = results[1]["median"]
    print(f"target: province dashboard opens < 300 ms: {mark(province_median['open_dashboard_ms'] < 300)}; "
          f"updates < 50 ms: {mark(province_median['poll_dashboard_ms'] < 50)}")
    out = write_results("status", {"machine": machine(), "source": source_state(), "results": results})
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
