"""A checkbox whose ticked and empty states differ in the characters drawn, not only in colour:
"[x]" and "[ ]", readable under NO_COLOR and on a 16-colour terminal."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox

TICKED = "[x]"
EMPTY = "[ ]"


class TickBox(Checkbox):
    DEFAULT_CSS = """
    TickBox:focus > .toggle--label {
        text-style: reverse bold;
    }
    TickBox.-textual-compact:focus > .toggle--label {
        text-style: reverse bold;
    }
    """

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble((TICKED if self.value else EMPTY, style))
