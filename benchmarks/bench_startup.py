"""The first screen in a real terminal: `kpps` spawned under a pseudo-terminal (80x24) until the
first row of its first screen (the ringkasan's first kab/kota or kecamatan) is drawn, beside a
minimal Textual app (Header, one Static, Footer) measured the same way in the same run.

    .venv/bin/python benchmarks/bench_startup.py [--runs 5] [--province-root DIR] [--json PATH]

Each run spawns a fresh process on a new pseudo-terminal of 80x24, reads what it draws through
a terminal emulator (pyte) and stops the clock when the expected text appears on a line under
the header. `kpps` draws that row from the TPS files and reads the applicants after it (the
figures that need them wait, "Reading the applicants…"): a second clock stops when that text
is gone, every figure drawn. Then it sends Ctrl+Q and waits for the process to end. The runs
of the three programs alternate (minimal, demo, province, minimal, ...) so a change in the
machine's load weighs on all of them alike. The peak resident memory of each `kpps` process
(with the applicants in) is its ru_maxrss as os.wait4 reports it (this parent stays small, so
the figure is the child's own: on Linux a child's ru_maxrss starts from the high-water mark of
the parent it was forked from).

Targets (issue 16): the demo at most 1.5x the minimal app; the province at most 1 s; the
province's peak memory under 300 MB.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from pathlib import Path

import pyte

HERE = Path(__file__).resolve().parent
COLUMNS, LINES = 80, 24
TARGET_DEMO_RATIO = 1.5
TARGET_PROVINCE_S = 1.0
TARGET_PEAK_MB = 300.0
PYCACHE = os.path.join(tempfile.gettempdir(), "kpps-bench-pycache")

MINIMAL = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Minimal(App):
        def compose(self):
            yield Header()
            yield Static("minimal app ready")
            yield Footer()

    Minimal().run()
    """
)
MINIMAL_TEXT = "minimal app ready"
# What the ringkasan says until the applicants are read, in either language.
READING = ("Reading the applicants", "Membaca data pendaftar")

# Run in a child (this process stays small): the name on the first row of the ringkasan.
FIRST_ROW = textwrap.dedent(
    """
    import sys
    from datetime import date
    from pathlib import Path
    from kpps_tui.services.status import StatusBoard
    from kpps_tui.store.workspace import Workspace

    board = StatusBoard(Workspace.open(Path(sys.argv[1])), date.today())
    print(board.rows(board.top_level())[0].name)
    """
)


def _kpps() -> str:
    found = Path(sys.executable).with_name("kpps")
    return str(found) if found.exists() else shutil.which("kpps") or "kpps"


def first_row_name(root: Path) -> str:
    done = subprocess.run([sys.executable, "-c", FIRST_ROW, str(root)], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def spawn_until(argv: list[str], expected: str, timeout: float = 60.0, whole: tuple[str, ...] = ()) -> dict:
    """Seconds from the fork to `expected` drawn on a line under the first, then to none of
    `whole` on the screen any more (the same when it never showed), and the peak RSS."""
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
    env.pop("NO_COLOR", None)
    # As an installed program runs: from compiled bytecode (the libraries have theirs from pip;
    # kpps_tui's is kept under a folder of this run, not in the source tree), written by the
    # untimed warm-up runs.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = PYCACHE
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.ByteStream(screen)
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal; give it its size, then exec
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    seen_at: float | None = None
    whole_at: float | None = None
    deadline = start + timeout
    output = bytearray()

    def done() -> bool:
        return not any(text in line for line in screen.display for text in whole)

    try:
        while whole_at is None and time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child ended
                break
            if not chunk:
                break
            output += chunk
            stream.feed(chunk)
            if seen_at is None and any(expected in line for line in screen.display[1:]):
                seen_at = time.perf_counter()
            if seen_at is not None and done():
                whole_at = time.perf_counter()
        if seen_at is None or whole_at is None:
            raise RuntimeError(f"{expected!r} never appeared, or stayed beside {whole!r}; the screen showed:\n" + "\n".join(screen.display))
        os.write(fd, b"\x11")  # Ctrl+Q
        end = time.perf_counter() + 15
        status = None
        while time.perf_counter() < end:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    if not os.read(fd, 65536):
                        break
                except OSError:
                    break
            waited, code, usage = os.wait4(pid, os.WNOHANG)
            if waited == pid:
                status = (code, usage)
                break
        if status is None:
            os.kill(pid, signal.SIGKILL)
            waited, code, usage = os.wait4(pid, 0)
            status = (code, usage)
    finally:
        os.close(fd)
    _code, usage = status
    return {"seconds": seen_at - start, "whole_s": whole_at - start, "peak_rss_mb": usage.ru_maxrss / 1024}


def make_workspaces(tmp: Path, province_root: Path | None) -> tuple[Path, Path]:
    """The demo, and a province workspace (copied from --province-root, else generated), each
    made in a child process so that this one stays small."""
    demo, province = tmp / "demo", tmp / "province"
    subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; from kpps_tui.services.setup import init_from_sample; "
         "init_from_sample(Path(sys.argv[1]), 'demo')", str(demo)],
        check=True,
    )
    if province_root:
        shutil.copytree(province_root, province)
    else:
        subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path; from kpps_tui.sample_data.generate import generate_province; "
             "generate_province(Path(sys.argv[1]))", str(province)],
            check=True,
        )
    (province / ".lock").unlink(missing_ok=True)
    return demo, province


def summary(runs: list[dict]) -> dict:
    seconds = [r["seconds"] for r in runs]
    return {
        "median_s": round(statistics.median(seconds), 3),
        "slowest_s": round(max(seconds), 3),
        "runs_s": [round(s, 3) for s in seconds],
        "whole_median_s": round(statistics.median(r["whole_s"] for r in runs), 3),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--province-root", type=Path, help="an existing province workspace to copy (else one is generated)")
    parser.add_argument("--only", default="minimal,demo,province", help="which of minimal,demo,province to run (default: all three)")
    parser.add_argument("--json", type=Path, help="write the results here (default: benchmarks/results/startup-<time>.json)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp_name:
        tmp = Path(tmp_name)
        demo, province = make_workspaces(tmp, args.province_root)
        minimal_script = tmp / "minimal.py"
        minimal_script.write_text(MINIMAL)
        programs = {
            "minimal": ([sys.executable, str(minimal_script)], MINIMAL_TEXT, ()),
            "demo": ([_kpps(), "--data", str(demo)], first_row_name(demo), READING),
            "province": ([_kpps(), "--data", str(province)], first_row_name(province), READING),
        }
        programs = {name: programs[name] for name in args.only.split(",")}
        for argv, expected, whole in programs.values():  # warm the file cache and write the bytecode, untimed
            spawn_until(argv, expected, whole=whole)
        runs: dict[str, list[dict]] = {name: [] for name in programs}
        for _ in range(args.runs):
            for name, (argv, expected, whole) in programs.items():
                runs[name].append(spawn_until(argv, expected, whole=whole))
    # Only now: common imports kpps_tui, which would have grown this parent (and so the ru_maxrss
    # its children start from).
    from common import machine, mark, source_state, write_results

    figures = {name: summary(r) for name, r in runs.items()}
    ratio = figures["demo"]["median_s"] / figures["minimal"]["median_s"] if {"demo", "minimal"} <= set(figures) else float("nan")
    load_after = os.getloadavg()
    print(f"first screen in a pseudo-terminal at {COLUMNS}x{LINES}, median of {args.runs} "
          f"(load average {load_before[0]:.2f} before, {load_after[0]:.2f} after):")
    for name, label in (("minimal", "minimal Textual app (Header, Static, Footer)"),
                        ("demo", "kpps, Kotawaringin Barat demo (413 TPS)"),
                        ("province", "kpps, Kalimantan Tengah (4,446 TPS)")):
        if name not in figures:
            continue
        f = figures[name]
        then = f", every figure {f['whole_median_s']:.3f} s" if name != "minimal" else ""
        print(f"  {label}: {f['median_s']:.3f} s (slowest {f['slowest_s']:.3f} s){then}, peak RSS {f['peak_rss_mb']:.0f} MB")
    print(f"target: demo <= {TARGET_DEMO_RATIO}x minimal: {ratio:.2f}x {mark(ratio <= TARGET_DEMO_RATIO)}")
    if "province" in figures:
        print(f"target: province <= {TARGET_PROVINCE_S} s: {mark(figures['province']['median_s'] <= TARGET_PROVINCE_S)}; "
              f"province peak < {TARGET_PEAK_MB:.0f} MB: {mark(figures['province']['peak_rss_mb'] < TARGET_PEAK_MB)}")
    result = {
        "machine": machine(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "source": source_state(),
        "size": [COLUMNS, LINES],
        "figures": figures,
        "demo_over_minimal": round(ratio, 2),
        "targets": {"demo_over_minimal": TARGET_DEMO_RATIO, "province_s": TARGET_PROVINCE_S, "peak_rss_mb": TARGET_PEAK_MB},
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        out = args.json
    else:
        out = write_results("startup", result)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
