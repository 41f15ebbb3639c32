"""The footer of every screen: the keys of what has the focus, drawn as one line by one widget.

Textual's Footer builds a widget per key at every change of the active bindings (a screen
pushed or popped, the focus moving to a widget with other keys): on the TPS screen a quarter of
the frame after a dialog closes went to laying out and drawing those eight widgets, and then a
second frame came for the rebuild. This footer keeps the keys as data and draws them in one
line, with the look of Textual's compact footer: each key in bold, its words beside it, the
command palette's key at the right. A key that does not fit is left out whole, not cut (`?`
lists every key); a disabled key is dimmed; a click on a key presses it.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual._styles_cache import StylesCache
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

PALETTE_RULE = "▏"  # between the keys and the command palette's key


class FooterItem(NamedTuple):
    key: str  # the key pressed when the item is clicked
    key_display: str
    description: str
    enabled: bool

    @property
    def width(self) -> int:
        return cell_len(f"{self.key_display} {self.description}")


class FooterLine(NamedTuple):
    """What the footer shows at a given width: whole keys, each with the cells it spans."""

    keys: list[tuple[int, FooterItem]]  # (first cell, item)
    palette: tuple[int, FooterItem] | None  # after PALETTE_RULE, at the right


def fit_footer(items: list[FooterItem], palette: FooterItem | None, width: int) -> FooterLine:
    """The keys that fit whole in `width` cells, one cell apart, with the palette's key at the
    right (it goes first when even it would not fit)."""
    right = palette.width + 2 if palette is not None else 0  # the rule before, a cell after
    if right > width:
        palette, right = None, 0
    keys: list[tuple[int, FooterItem]] = []
    x = 0
    for item in items:
        if x + item.width > width - right:
            break
        keys.append((x, item))
        x += item.width + 1
    return FooterLine(keys, (width - right + 1, palette) if palette is not None else None)


class KppsFooter(Widget, can_focus=False):
    COMPONENT_CLASSES = {"footer--key", "footer--description", "footer--rule"}
    DEFAULT_CSS = """
    KppsFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KppsFooter > .footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KppsFooter > .footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KppsFooter > .footer--rule {
        color: $foreground 20%;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list[FooterItem] = []  # every key the footer would show, in order
        self.palette: FooterItem | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return  # as Textual's footer: the keys stay as they were while the terminal is unfocused
        items, palette = self._active_items()
        if (items, palette) != (self.items, self.palette):
            self.items, self.palette = items, palette
            # Each widget drawn leaves an entry in this cache of 1,024, with the lines it last
            # drew, long after a screen change removed it: let go of them at each change.
            StylesCache.get_inner_outer.cache_clear()
            self.refresh()

    def _active_items(self) -> tuple[list[FooterItem], FooterItem | None]:
        app = self.app
        active = self.screen.active_bindings
        items: list[FooterItem] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:  # one key per action, the first
                actions.add(binding.action)
                items.append(FooterItem(binding.key, app.get_key_display(binding), binding.description, enabled))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = FooterItem(binding.key, app.get_key_display(binding), binding.description, enabled)
            items = [item for item in items if item.key != binding.key]
        return items, palette

    def shown(self) -> FooterLine:
        """The keys the footer shows now, at its width."""
        return fit_footer(self.items, self.palette, self.size.width)

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        blank = Style.from_color(bgcolor=base.bgcolor)
        line = self.shown()
        segments: list[Segment] = []
        at = 0
        for x, item in line.keys:
            if x > at:
                segments.append(Segment(" " * (x - at), blank))
            segments.extend(self._item_segments(item))
            at = x + item.width
        if line.palette is not None:
            x, item = line.palette
            segments.append(Segment(" " * (x - 1 - at), blank))
            segments.append(Segment(PALETTE_RULE, base + self.get_component_rich_style("footer--rule")))
            segments.extend(self._item_segments(item))
        return Strip(segments).adjust_cell_length(self.size.width, blank)

    def _item_segments(self, item: FooterItem) -> list[Segment]:
        dim = Style() if item.enabled else Style(dim=True)
        return [
            Segment(item.key_display, self.get_component_rich_style("footer--key") + dim),
            Segment(" " + item.description, self.get_component_rich_style("footer--description") + dim),
        ]

    def on_mouse_down(self, event: events.MouseDown) -> None:
        line = self.shown()
        hits = [*line.keys, *([line.palette] if line.palette else [])]
        for x, item in hits:
            if x <= event.x < x + item.width:
                if item.enabled:
                    self.app.simulate_key(item.key)
                else:
                    self.app.bell()
                return
