"""Helpers shared by the card tests: TPS whose officers may get a card today."""

from __future__ import annotations

from kpps_tui.domain.declarations import DeclState
from kpps_tui.services import declarations
from kpps_tui.store.workspace import Workspace


def verify_declarations(ws: Workspace, niks: list[str]) -> list:
    """Hand in and verify the Surat Pernyataan of these people, as the office would; returns
    those the rules refuse (e.g. listed in SIPOL)."""
    state = lambda nik: ws.people[nik].neutrality.statement.state  # noqa: E731
    todo = [n for n in niks if state(n) is not DeclState.VERIFIED]
    not_in = [n for n in todo if state(n) in (DeclState.NOT_HANDED_IN, DeclState.REJECTED)]
    if not_in:
        declarations.set_state_many(ws, not_in, DeclState.HANDED_IN)
    if not todo:
        return []
    return declarations.set_state_many(ws, todo, DeclState.VERIFIED).refused


def card_ready_tps(ws: Workspace, full: bool = True):
    """The first TPS (full, or partly filled) whose every officer's declaration verifies."""
    for tps in sorted(ws.tps.values(), key=lambda t: t.code):
        if (tps.filled == 7) if full else (0 < tps.filled < 7):
            if not verify_declarations(ws, [s.nik for s in tps.seats.values()]):
                return ws.tps[tps.code]
    raise AssertionError("no TPS whose officers can all be verified")
