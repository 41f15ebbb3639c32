"""The interface is readable on every kind of terminal: 16 colours (TERM=xterm), 256 colours and
true colour, each with and without NO_COLOR. The real program runs in a pseudo-terminal and a
terminal emulator (pyte) reads back what it drew; every character must differ from its background.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyte
import pytest

COLUMNS, LINES = 80, 24

# xterm's default palette; the terminal's own default colours are taken as a dark terminal's.
NAMED = {
    "black": (0, 0, 0),
    "red": (205, 0, 0),
    "green": (0, 205, 0),
    "brown": (205, 205, 0),
    "blue": (0, 0, 238),
    "magenta": (205, 0, 205),
    "cyan": (0, 205, 205),
    "white": (229, 229, 229),
    "brightblack": (127, 127, 127),
    "brightred": (255, 0, 0),
    "brightgreen": (0, 255, 0),
    "brightbrown": (255, 255, 0),
    "brightblue": (92, 92, 255),
    "brightmagenta": (255, 0, 255),
    "brightcyan": (0, 255, 255),
    "brightwhite": (255, 255, 255),
}
DEFAULT_FG, DEFAULT_BG = NAMED["white"], NAMED["black"]

TERMINALS = {
    "xterm": {"TERM": "xterm"},
    "xterm-256color": {"TERM": "xterm-256color"},
    "truecolor": {"TERM": "xterm-256color", "COLORTERM": "truecolor"},
}


def rgb(colour: str, default: tuple[int, int, int]) -> tuple[int, int, int]:
    if colour == "default":
        return default
    if colour in NAMED:
        return NAMED[colour]
    if colour.startswith("bright") and colour[6:] in NAMED:
        return NAMED["bright" + colour[6:]]
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def luminance(colour: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def draw_in_terminal(ws: Path, env: dict[str, str], keys: list[bytes], first: str) -> list[tuple[str, list[str]]]:
    """Run `kpps --data ws` in an 80x24 pseudo-terminal until `first` is drawn, then type each
    of `keys`; return what it shows, and its unreadable characters, at each of those moments."""
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.ByteStream(screen)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    child_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORTERM", "TEXTUAL")}
    child_env.update(env)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpps_tui.cli", "--data", str(ws)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=child_env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)

    def read_until_quiet(quiet: float, limit: float) -> None:
        """Feed the emulator until the program has drawn nothing for `quiet` seconds."""
        end = time.monotonic() + limit
        last = time.monotonic()
        while time.monotonic() < end and time.monotonic() - last < quiet:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    return
                if not data:
                    return
                stream.feed(data)
                last = time.monotonic()

    try:
        end = time.monotonic() + 60
        while time.monotonic() < end and first not in "\n".join(screen.display):
            read_until_quiet(0.5, 2)
        read_until_quiet(1.0, 10)
        seen = [("\n".join(screen.display), unreadable_cells(screen))]
        for key in keys:
            os.write(master, key)
            read_until_quiet(1.0, 10)
            seen.append(("\n".join(screen.display), unreadable_cells(screen)))
        return seen
    finally:
        os.write(master, b"\x11")  # Ctrl+Q
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)


def unreadable_cells(screen: pyte.Screen) -> list[str]:
    """The characters drawn in (nearly) the colour of their own background."""
    bad = []
    for y in range(LINES):
        for x in range(COLUMNS):
            char = screen.buffer[y][x]
            if not char.data.strip() or "\u2500" <= char.data <= "\u259f":
                continue  # blanks, and lines and blocks drawn as decoration
            fg, bg = rgb(char.fg, DEFAULT_FG), rgb(char.bg, DEFAULT_BG)
            if char.reverse:
                fg, bg = bg, fg
            if contrast(fg, bg) < 2.0:
                bad.append(f"{char.data!r} at {x},{y}: {char.fg} on {char.bg}")
    return bad


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
@pytest.mark.parametrize("terminal", list(TERMINALS))
def test_every_terminal_draws_text_unlike_its_background(demo_dir: Path, terminal: str, no_color: bool) -> None:
    env = dict(TERMINALS[terminal], KPPS_LANG="en")
    if no_color:
        env["NO_COLOR"] = "1"
    # The first screen (the ringkasan), the TPS list one key away, the applicant pool (w), and
    # back on the list the candidate picker: Enter on TPS 001 (full), n to the next TPS not
    # full, Enter on its first empty seat. Each table's cursor row is text like any other.
    keys = [b"t", b"w", b"\x1b", b"\r", b"n", b"\r"]
    seen = draw_in_terminal(demo_dir, env, keys, first="Kumai")
    (dashboard, _), (tps_list, _), (pool, _), *_, (picker, _) = seen
    assert "Kumai" in dashboard and "001" in tps_list, dashboard + "\n" + tps_list
    assert "4,499 applicants" in pool and "choose a person" in picker, pool + "\n" + picker
    for shown, bad in (seen[0], seen[1], seen[2], seen[-1]):
        assert not bad, f"{len(bad)} unreadable characters, e.g. {bad[:5]}\n{shown}"
