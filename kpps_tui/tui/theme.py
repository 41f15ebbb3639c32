"""Which theme and colour filter suit the terminal: 16 colours, 256, true colour, NO_COLOR.

Every combination must draw text unlike its background (tests/test_terminal_colours.py runs
the program in a pseudo-terminal for each). Textual picks its NO_COLOR filter when the app is
made, for the theme of that moment, so the theme and the filter are chosen here together.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

DARK_THEME = "textual-dark"
SIXTEEN_COLOUR_THEME = "ansi-dark"

# Least difference of grey level (0-255) between a character and its background.
_LEAST_GREY_GAP = 110


def theme_for(color_system: str | None, no_color: bool) -> str:
    """The theme for a terminal with `color_system` (Rich's name for it).

    16 colours (TERM=xterm): the terminal's own palette reads better than the nearest matches of
    a true-colour theme. NO_COLOR: the true-colour theme, turned to greys by `ReadableGreys`;
    the 16-colour theme would become the terminal's default colour for text and background
    alike, i.e. black on black.
    """
    if color_system in ("standard", "windows") and not no_color:
        return SIXTEEN_COLOUR_THEME
    return DARK_THEME


def _grey(colour: RichColor) -> int:
    r, g, b = colour.get_truecolor()
    return round(0.2126 * r + 0.7152 * g + 0.0722 * b)


def _grey_colour(level: int) -> RichColor:
    return RichColor.from_rgb(level, level, level)


@lru_cache(4096)
def readable_grey_style(style: Style) -> Style:
    """`style` in greys, its text moved to light or dark grey where it would fade into the
    background (red text, dimmed text and the like turn to nearly the grey behind them)."""
    fg, bg = style.color, style.bgcolor
    fg_level = None if fg is None or fg.is_default else _grey(fg)
    bg_level = None if bg is None or bg.is_default else _grey(bg)
    if fg_level is not None and bg_level is not None and abs(fg_level - bg_level) < _LEAST_GREY_GAP:
        fg_level = min(255, bg_level + _LEAST_GREY_GAP + 40) if bg_level < 128 else max(0, bg_level - _LEAST_GREY_GAP - 40)
    return style + Style.from_color(
        None if fg_level is None else _grey_colour(fg_level),
        None if bg_level is None else _grey_colour(bg_level),
    )


class ReadableGreys(LineFilter):
    """NO_COLOR: every colour to grey, keeping text readable against its background."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, None if style is None else readable_grey_style(style), control)
            for text, style, control in segments
        ]
