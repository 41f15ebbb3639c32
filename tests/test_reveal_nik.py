"""Revealing a full NIK is on the record; the log can be filtered by several people at once."""

from kpps_tui.services import assignments, audit_log
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store import audit


def test_reveal_nik_returns_the_nik_and_appends_an_entry(tmp_path):
    ws = init_from_sample(tmp_path / "ws", "demo")
    nik = next(iter(ws.people))
    assert audit_log.reveal_nik(ws, nik) == nik
    [entry] = list(audit.read(ws.root))
    assert (entry.action, entry.subject, entry.user, entry.session) == ("reveal_nik", nik, ws.user, ws.session)
    assert entry.before is None and entry.after is None
    assert audit_log.entries(ws, audit_log.LogFilter(nik=nik)) == [entry]


def test_a_filter_by_several_people_keeps_entries_touching_any_of_them(tmp_path):
    ws = init_from_sample(tmp_path / "ws", "demo")
    tps = next(t for t in ws.tps.values() if t.filled == 7)
    first, second = tps.seats[1].nik, tps.seats[2].nik
    assignments.unassign(ws, tps.code, 1)
    audit_log.reveal_nik(ws, second)
    other = next(n for n in ws.people if n not in (first, second) and n not in ws.placements)
    audit_log.reveal_nik(ws, other)
    found = audit_log.entries(ws, audit_log.LogFilter(people=frozenset({first})))
    assert [e.action for e in found] == ["unassign"]
    found = audit_log.entries(ws, audit_log.LogFilter(people=frozenset({first, other})))
    assert [e.action for e in found] == ["reveal_nik", "unassign"]
    assert audit_log.entries(ws, audit_log.LogFilter(people=frozenset())) == []
