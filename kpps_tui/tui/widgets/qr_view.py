"""A card's QR code drawn in half-block characters, dark on light, for a phone to scan.

Each character cell holds two modules, one above the other (▀ ▄ █), so a module is one
column wide and half a line high: about square in a terminal. The widget paints dark modules
as glyphs in black on a white ground, whatever the theme, because phone cameras look for dark
modules on a light ground. The light ground around the code is its quiet zone: `side`
modules left and right, and the lines the widget is given above and below, shared out evenly.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from typing import TYPE_CHECKING

from kpps_tui.services.cards import qr_matrix

if TYPE_CHECKING:
    from kpps_tui.services.cards.printing import QrMatrix

UPPER = "\u2580"  # ▀ the upper module dark
LOWER = "\u2584"  # ▄ the lower module dark
FULL = "\u2588"  # █ both dark
_CELLS = {(True, True): FULL, (True, False): UPPER, (False, True): LOWER, (False, False): " "}

SIDE_QUIET = 2  # modules of light ground left and right of the code


def half_block_lines(qr: QrMatrix, rows: int, side: int = SIDE_QUIET) -> list[str]:
    """The code in `rows` lines, dark modules as glyphs, centred in the quiet zone that is
    left over: (rows x 2 - size) modules above and below, `side` modules on either side."""
    spare = max(0, rows * 2 - qr.size)
    top = spare // 2

    def dark(row: int, col: int) -> bool:
        r = row - top
        return 0 <= r < qr.size and qr.dark(r, col)

    lines = []
    for line in range(rows):
        cells = "".join(_CELLS[(dark(2 * line, c), dark(2 * line + 1, c))] for c in range(qr.size))
        lines.append(" " * side + cells + " " * side)
    return lines


class QrView(Widget):
    """The QR code of a text, as large as one module per column allows, in its own colours."""

    DEFAULT_CSS = """
    QrView {
        width: auto;
        height: 100%;
        background: #ffffff;
        color: #000000;
    }
    """

    def __init__(self, text: str = "", *, side: int = SIDE_QUIET, **kwargs) -> None:
        super().__init__(**kwargs)
        self.side = side
        self.qr: QrMatrix | None = qr_matrix(text) if text else None

    def show_code(self, text: str) -> None:
        self.qr = qr_matrix(text) if text else None
        self.refresh(layout=True)

    @property
    def rows_needed(self) -> int:
        """Lines for the code with at least one module of quiet zone above and below."""
        return (self.qr.size + 2 + 1) // 2 if self.qr else 0

    @property
    def fits(self) -> bool:
        return self.qr is None or self.size.height >= self.rows_needed

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return (self.qr.size + 2 * self.side) if self.qr else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.rows_needed

    def render(self) -> Text:
        if self.qr is None:
            return Text("")
        rows = max(self.size.height, 1)
        return Text("\n".join(half_block_lines(self.qr, rows, self.side)), no_wrap=True, overflow="crop", end="")
