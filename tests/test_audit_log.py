"""Browsing the audit log: filters and a CSV a spreadsheet opens safely."""

import csv
import io
from datetime import date, timedelta

import pytest

from kpps_tui.services import assignments
from kpps_tui.services.audit_log import LogFilter, entries, to_csv
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store import audit

from test_audit_backups import free_seat


@pytest.fixture
def ws(tmp_path):
    ws = init_from_sample(tmp_path / "ws", "demo")
    code, seat, nik = free_seat(ws)
    assignments.assign(ws, code, seat, nik)
    ws.test_change = (code, seat, nik)
    return ws


def test_filters_by_tps_person_user_and_date(ws):
    code, seat, nik = ws.test_change
    assert [e.subject for e in entries(ws, LogFilter(tps=code))] == [code]
    assert [e.subject for e in entries(ws, LogFilter(tps=code[:8]))] == [code]  # its kecamatan
    assert entries(ws, LogFilter(tps="62.01.99")) == []
    assert len(entries(ws, LogFilter(nik=nik))) == 1
    assert entries(ws, LogFilter(nik="6201010101900999")) == []
    assert len(entries(ws, LogFilter(user=ws.user))) == 1
    assert entries(ws, LogFilter(user="someone-else")) == []
    today = date.today()
    assert len(entries(ws, LogFilter(since=today - timedelta(days=1), until=today + timedelta(days=1)))) == 1
    assert entries(ws, LogFilter(since=today + timedelta(days=2))) == []


def test_csv_names_the_change_and_neutralises_formulas(ws):
    code, seat, nik = ws.test_change
    audit.append(ws.root, audit.AuditEntry("2024-10-01T00:00:00+00:00", "=cmd|' /C calc'!A0", "s", "assign", code, {}, {}))
    rows = list(csv.DictReader(io.StringIO(to_csv(ws, entries(ws)))))
    assert rows[1]["change"] == f"{seat}: - -> {ws.people[nik].name}"
    assert rows[0]["user"].startswith("'=")


def test_the_log_read_from_its_end_gives_every_entry_whole_however_long_its_lines(ws):
    """Lines longer than the block read at a time (an anchor holds a digest of every record):
    each entry whole, newest first, the anchor left out, as read from the start."""
    from_start = [e for e in audit.read(ws.root) if e.action != audit.ANCHOR]
    assert max(len(line) for line in audit.log_path(ws.root).read_bytes().split(b"\n")) > 1000
    for block in (16, 100, 8192):
        assert list(audit.read_newest_first(ws.root, block=block)) == from_start[::-1]
