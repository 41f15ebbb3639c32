"""Showing one full NIK for a moment, on purpose and on the record (UU 27/2022).

NIKs are masked on every screen. The reveal key shows the highlighted person's NIK in full
until the cursor moves or REVEAL_SECONDS pass, and each reveal is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer

from kpps_tui.domain.nik import mask_nik
from kpps_tui.i18n import N_
from kpps_tui.services.audit_log import reveal_nik
from kpps_tui.tui.keys import bind

REVEAL_SECONDS = 10.0


def reveal_binding(place: str):
    """The same key on every screen that shows people."""
    return bind("ctrl+n", "reveal_nik", N_("Show the full NIK"), id=f"{place}.reveal_nik", show=False)


class NikReveal:
    """Which NIK a screen shows in full right now, if any; `redraw(nik)` is called when the way
    `nik` is shown changes (revealed, or masked again)."""

    def __init__(self, screen, redraw: Callable[[str], None]) -> None:
        self.screen = screen
        self.redraw = redraw
        self.nik: str | None = None
        self._timer: Timer | None = None

    def show(self, nik: str) -> str:
        """How `nik` is written on screen: in full while revealed, else masked."""
        return nik if nik == self.nik else mask_nik(nik)

    def reveal(self, nik: str | None) -> None:
        if not nik:
            self.screen.app.bell()
            return
        ok, _nik = self.screen.kpps.run_service(reveal_nik, self.screen.workspace, nik)
        if not ok:
            return  # not on the record: not shown
        self.hide()
        self.nik = nik
        self._timer = self.screen.set_timer(REVEAL_SECONDS, self.hide)
        self.redraw(nik)

    def cursor_on(self, nik: str | None) -> None:
        """The cursor moved: a NIK shown in full goes back to its mask."""
        if self.nik is not None and nik != self.nik:
            self.hide()

    def hide(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.nik is not None:
            nik, self.nik = self.nik, None
            self.redraw(nik)
