"""The search or filter box over a list, one widget for every screen.

Typing filters the list; the arrow and page keys walk the list below while the focus stays in
the box. (An Input inherits scrolling keys for up, down and the page keys: they are taken back
here.) Each screen makes a two-line subclass with its own binding ids and words, so the footer,
the help screen and a keymap name the keys of that screen.

A list filtered at every key gives the box `typed`, called with the new text in the same step as
the change: the list is filtered before the next repaint, so the frame that shows the character
shows the list it leaves. (Input.Changed reaches the screen a few message hops later: the box
alone is often repainted first, and the list a frame after it.)
"""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import BindingType
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input

from kpps_tui.i18n import N_
from kpps_tui.tui.keys import TranslatedBindings, bind


class SearchInput(TranslatedBindings, Input):
    """A search box; subclasses set BINDINGS with `walk_bindings`."""

    def __init__(self, *args, typed: Callable[[str], None] | None = None, **kwargs) -> None:
        self._typed = None  # not for the text the box is made with: the screen gave it
        super().__init__(*args, **kwargs)
        self._typed = typed

    def focus_now(self) -> None:
        """The box focused at once: Widget.focus() waits behind the messages already queued,
        so the letters typed fast after "/" (or pasted) went to the list as keys ("/ani":
        `n` opened a form) and a second digit typed on the TPS list replaced the first."""
        self.screen.set_focus(self)

    def _watch_value(self, value: str) -> None:
        """Textual's Input makes its virtual width the text's at every change, through a
        reactive that lays out the whole screen again: the most of a keystroke in a search.
        The box's size does not follow its text (unless it is `auto`), and only its own
        scrolling reads that width: it is told without a layout."""
        if not self.styles.auto_dimensions:
            self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)
        if self._typed is not None:
            self._typed(value)


def walk_bindings(
    id_prefix: str,
    next_item: str,
    previous_item: str,
    *,
    action: str = "screen.table_cursor",
    pages: bool = True,
) -> list[BindingType]:
    """Down/up (and page down/up) as `action('down')` etc. on the screen, hidden from the footer.
    `id_prefix` + "down", "up", "page_down", "page_up" are the binding ids; the words are N_()."""
    keys = [("down", "down", next_item), ("up", "up", previous_item)]
    if pages:
        keys += [("pagedown", "page_down", N_("Next page")), ("pageup", "page_up", N_("Previous page"))]
    return [bind(key, f"{action}('{move}')", words, id=f"{id_prefix}{move}", show=False) for key, move, words in keys]

