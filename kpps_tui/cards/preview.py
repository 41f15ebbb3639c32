"""A card's QR code as lines of text, two modules per character cell (half blocks).

Plain strings, no Textual: the TUI puts them in a Static. A terminal draws a glyph in the
foreground colour on the background colour, so `light_glyphs=True` (the default) draws the
LIGHT modules as glyphs: on a light-on-dark screen (Textual's default) the code then has its
normal polarity, dark modules on a light ground, and a phone camera reads it from the screen.
Style the widget with a light foreground on a dark background; or pass light_glyphs=False
and style it dark on light, where the widget's own light padding can serve as the quiet zone
(quiet=0). Size: (modules + 2 x quiet) columns by half as many lines, rounded up. Card codes
are version 6 (41 modules, names up to about 17 letters) or 7 (45 modules, up to about 33):
45 x 23 for version 7 with quiet=0, 49 x 25 with quiet=2.
"""

from __future__ import annotations

from kpps_tui.cards.qr import matrix

UPPER = "\u2580"  # ▀
LOWER = "\u2584"  # ▄
FULL = "\u2588"  # █
_CELLS = {(True, True): FULL, (True, False): UPPER, (False, True): LOWER, (False, False): " "}


def qr_lines(text: str, quiet: int = 2, light_glyphs: bool = True) -> list[str]:
    """The QR code of `text` with a quiet zone of `quiet` modules, as text lines."""
    qr = matrix(text)
    size = qr.size + 2 * quiet

    def lit(row: int, col: int) -> bool:
        r, c = row - quiet, col - quiet
        dark = 0 <= r < qr.size and 0 <= c < qr.size and qr.dark(r, c)
        return dark != light_glyphs

    lines = []
    for top in range(0, size, 2):
        line = []
        for col in range(size):
            upper = lit(top, col)
            lower = lit(top + 1, col) if top + 1 < size else light_glyphs  # below the code: ground
            line.append(_CELLS[(upper, lower)])
        lines.append("".join(line))
    return lines


def qr_size(text: str, quiet: int = 2) -> tuple[int, int]:
    """(columns, lines) that qr_lines will need."""
    size = matrix(text).size + 2 * quiet
    return size, (size + 1) // 2
