"""Undo and redo of one session's own seat changes.

Each step is undone by calling the services again (so the rules and the check against what
another session did meanwhile apply once more), never by writing old files back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeAlias

from kpps_tui.domain.rules import Finding
from kpps_tui.services import assignments
from kpps_tui.store.workspace import Workspace

if TYPE_CHECKING:  # the proposals (and their solver's module) load when a proposal is made
    from kpps_tui.services.proposals import AcceptedSeats


@dataclass(frozen=True)
class Assign:
    tps: str
    seat: int
    nik: str
    overrides: tuple[tuple[str, str], ...] = ()  # (warning code, written reason)

    def do(self, ws: Workspace) -> list[Finding]:
        return assignments.assign(ws, self.tps, self.seat, self.nik, overrides=dict(self.overrides))

    def undo(self, ws: Workspace) -> None:
        assignments.unassign(ws, self.tps, self.seat, expected_nik=self.nik)


@dataclass(frozen=True)
class Unassign:
    tps: str
    seat: int
    nik: str  # who sat there, as the user saw it
    overrides: tuple[tuple[str, str], ...] = ()  # the seat's written reasons, given back on undo

    def do(self, ws: Workspace) -> list[Finding]:
        assignments.unassign(ws, self.tps, self.seat, expected_nik=self.nik)
        return []

    def undo(self, ws: Workspace) -> None:
        # A reason for a warning that no longer applies is dropped, not refused.
        assignments.assign(ws, self.tps, self.seat, self.nik, overrides=dict(self.overrides), strict_overrides=False)

    def with_reasons(self, ws: Workspace) -> Unassign:
        """The step carrying the written reasons its seat holds now, so undo restores them."""
        tps = ws.tps.get(self.tps)
        seat = tps.seats.get(self.seat) if tps else None
        if seat is None or seat.nik != self.nik:
            return self
        return replace(self, overrides=tuple((o.code, o.reason) for o in seat.overrides if o.justified))


@dataclass(frozen=True)
class Move:
    tps: str
    from_seat: int
    to_seat: int
    nik: str

    def do(self, ws: Workspace) -> list[Finding]:
        assignments.move(ws, self.tps, self.from_seat, self.to_seat, expected_nik=self.nik)
        return []

    def undo(self, ws: Workspace) -> None:
        assignments.move(ws, self.tps, self.to_seat, self.from_seat, expected_nik=self.nik)


@dataclass(frozen=True)
class Swap:
    tps: str
    seat_a: int
    seat_b: int
    nik_a: str | None
    nik_b: str | None

    def do(self, ws: Workspace) -> list[Finding]:
        assignments.swap(ws, self.tps, self.seat_a, self.seat_b, expected=(self.nik_a, self.nik_b))
        return []

    def undo(self, ws: Workspace) -> None:
        assignments.swap(ws, self.tps, self.seat_a, self.seat_b, expected=(self.nik_b, self.nik_a))


Step: TypeAlias = "Assign | Unassign | Move | Swap | AcceptedSeats"


@dataclass
class History:
    """The session's steps: `run` does one, `undo` and `redo` walk back and forth."""

    done: list[Step] = field(default_factory=list)
    undone: list[Step] = field(default_factory=list)

    def run(self, ws: Workspace, step: Step) -> list[Finding]:
        if isinstance(step, Unassign):
            step = step.with_reasons(ws)
        found = step.do(ws)
        self.done.append(step)
        self.undone.clear()
        return found

    def record(self, step: Step) -> None:
        """A step the caller has already done (a proposal's acceptance, partly refused)."""
        self.done.append(step)
        self.undone.clear()

    def undo(self, ws: Workspace) -> Step | None:
        """Undo the last step; a refusal (someone changed that seat since) leaves it in place."""
        if not self.done:
            return None
        step = self.done[-1]
        step.undo(ws)
        self.undone.append(self.done.pop())
        return step

    def redo(self, ws: Workspace) -> Step | None:
        if not self.undone:
            return None
        step = self.undone[-1]
        step.do(ws)
        self.done.append(self.undone.pop())
        return step
