"""The collector's full passes wait for the coordinator to pause.

A full pass of Python's cyclic collector walks every object not frozen (store/workspace.py
freezes the workspace's own): with a province open, the TPS list's rows, the candidates of a
picker and Textual's caches, 12 to 50 ms. Left to itself it starts whenever enough objects have
outlived the young passes, so in the middle of a key now and then. While the interface runs, the
young generations are collected as ever; the oldest only after a second without a key or a
click, as often as Python would have collected it.
"""

from __future__ import annotations

import gc
import time

# A full pass when Python would have made one: after so many passes of the middle generation.
FULL_AFTER = gc.get_threshold()[2]
QUIET_S = 1.0  # no key or click for this long: the coordinator is reading, not typing
NEVER = 1 << 30  # as the oldest generation's threshold: no full pass starts by itself


class RestingCollector:
    """Started when the interface opens, stopped when it closes (the thresholds as they were)."""

    def __init__(self) -> None:
        self.last_input = time.monotonic()
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        """(Once the first screen is drawn.) Collection on, if the program loaded without it
        (launch.py): what was made until then, the workspace and the interface, lives as long
        as the program and is frozen out of every later pass."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, _oldest = self._thresholds
            gc.set_threshold(young, middle, NEVER)

    def stop(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def input_seen(self) -> None:
        self.last_input = time.monotonic()

    def due(self, now: float) -> bool:
        """Quiet long enough, and the middle generation passed often enough since the last full pass."""
        return now - self.last_input >= QUIET_S and gc.get_count()[2] >= FULL_AFTER

    def tick(self) -> bool:
        """(On a timer.) A full pass when one is due; whether it ran."""
        if self._thresholds is None or not self.due(time.monotonic()):
            return False
        gc.collect()
        return True
