"""One clock for the services and the store: a test sets it once and every stamp follows."""

from datetime import date, datetime, timezone

from kpps_tui import clock
from kpps_tui.domain.declarations import DeclKind, DeclState
from kpps_tui.services import assignments, audit_log, declarations
from kpps_tui.services.browse import candidates
from kpps_tui.store.workspace import Workspace

NOON = datetime(2024, 11, 7, 12, 0, tzinfo=timezone.utc)  # the same calendar day on any usual timezone


def test_a_fixed_clock_dates_the_seat_the_log_and_a_declaration(demo_ws):
    tps = next(t for t in demo_ws.tps.values() if 0 < t.filled < 7)
    seat = min(set(range(1, 8)) - set(tps.seats))
    person = next(c.person for c in candidates(demo_ws, tps) if c.eligible and not c.findings)
    with clock.fixed(NOON):
        assignments.assign(demo_ws, tps.code, seat, person.nik)
        declarations.set_state(demo_ws, person.nik, DeclState.HANDED_IN)
    again = Workspace.open(demo_ws.root)
    assert again.tps[tps.code].seats[seat].assigned_at == "2024-11-07T12:00:00+00:00"
    assert again.people[person.nik].neutrality.declaration(DeclKind.STATEMENT).received_on == date(2024, 11, 7)
    newest = audit_log.entries(again)[:2]
    assert [e.at for e in newest] == ["2024-11-07T12:00:00.000+00:00"] * 2


def test_outside_a_fixed_block_the_clock_runs():
    with clock.fixed(NOON):
        assert clock.now() == NOON and clock.today() == date(2024, 11, 7)
    assert clock.now() > NOON
