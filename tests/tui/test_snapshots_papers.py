"""Screenshots of the declarations screen and the audit log at 80x24, compared with the accepted ones.

The workspace is the fixed demo sample; the log holds entries written here with fixed times, and
the time zone is fixed, so nothing on screen depends on the clock. After a deliberate change of
these screens, look at the report and accept with
`pytest tests/tui/test_snapshots_papers.py --snapshot-update`.
"""

from __future__ import annotations

import copy
import time

import pytest

from kpps_tui.domain.declarations import DeclState
from kpps_tui.services.declarations import officers
from kpps_tui.store import audit

from .conftest import BOTH_LANGUAGES, make_app

UI_LANGUAGES = BOTH_LANGUAGES  # the English interface is exercised too


@pytest.fixture
def jakarta_time(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Jakarta")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def seat_map(tps) -> dict[str, str]:
    return {str(n): s.nik for n, s in sorted(tps.seats.items())}


def write_fixed_log(ws) -> None:
    """Five entries in the order they happened, each agreeing with the files as they are."""
    full = [t for t in ws.tps.values() if t.filled == 7]
    a, b, c = full[0], full[1], full[2]
    verified = next(o for o in officers(ws) if o.state is DeclState.VERIFIED).person
    unseated = next(p for p in ws.people.values() if p.nik not in ws.placements)

    before_a = seat_map(a)
    del before_a["7"]
    after_decl = verified.to_doc()
    before_decl = copy.deepcopy(after_decl)
    before_decl["neutrality"]["surat_pernyataan"]["state"] = DeclState.HANDED_IN.value
    before_b = seat_map(b)
    before_b["2"], before_b["3"] = before_b["3"], before_b["2"]
    after_c = seat_map(c)
    del after_c["5"]  # seat 5 was emptied, then filled again: the newest entry agrees with the files
    entries = [
        ("2024-10-05T01:02:03.000+00:00", "koordinator1", "assign", a.code, before_a, seat_map(a)),
        ("2024-10-05T01:05:00.000+00:00", "koordinator2", "declaration", verified.nik, before_decl, after_decl),
        ("2024-10-06T03:00:00.000+00:00", "koordinator1", "swap", b.code, before_b, seat_map(b)),
        ("2024-10-06T03:10:00.000+00:00", "koordinator2", "reveal_nik", unseated.nik, None, None),
        ("2024-10-07T02:00:00.000+00:00", "koordinator1", "unassign", c.code, seat_map(c), after_c),
        ("2024-10-07T02:01:00.000+00:00", "koordinator1", "assign", c.code, after_c, seat_map(c)),
    ]
    for at, user, action, subject, before, after in entries:
        audit.append(ws.root, audit.AuditEntry(at, user, f"kpu-kobar-{user[-1]}-a1b2c3", action, subject, before, after))


def test_declarations_screen(snap_compare, workspace):
    assert snap_compare(make_app(workspace), terminal_size=(80, 24), press=["d"])


def test_audit_log_screen(snap_compare, workspace, jakarta_time):
    write_fixed_log(workspace)
    assert snap_compare(make_app(workspace), terminal_size=(80, 24), press=["l", "down"])
