"""The footer of every screen: Textual's, compact, and letting go of the widgets a screen
change drops (Textual 8.2.8 keeps two kinds alive).

1. The footer builds its keys again at every change of the active bindings (a screen pushed or
   popped, the focus moving to a widget with other keys) and binds each new key to the footer's
   `compact` (`data_bind`). That binding is a watcher kept on the footer, and Textual prunes a
   reactive's watchers only when that reactive changes: `compact` never does, so every key ever
   built stays alive with its styles and caches (Textual issue #6666).
2. `StylesCache.get_inner_outer` is an lru_cache of 1,024 entries keyed by the styles cache of
   each widget drawn: a removed widget's cache stays in it, with the lines it last drew.

In a long session both grew by a few hundred objects per screen change, and the collector's
full passes over them with it: from 28 to 226 ms each over 63 seat changes, a visible stall.
The rebuild of the footer marks each screen change; that is when both are let go of.
"""

from __future__ import annotations

from textual._styles_cache import StylesCache
from textual.widgets import Footer


class KppsFooter(Footer):
    def __init__(self, *args, compact: bool = True, **kwargs) -> None:
        super().__init__(*args, compact=compact, **kwargs)

    async def recompose(self) -> None:
        await super().recompose()
        self._forget_dropped_keys()
        StylesCache.get_inner_outer.cache_clear()  # two Style objects per entry: made again when drawn

    def _forget_dropped_keys(self) -> None:
        """Drop the watchers of keys no longer on screen (the keys just built are attached)."""
        watchers = getattr(self, "__watchers", {}).get("compact")  # Textual's own name for them
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
