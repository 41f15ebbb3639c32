"""The ringkasan figures, the schedule of stages and the forecast, against counts made from the
files themselves and a planted audit log."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

import pytest

from kpps_tui.services import assignments
from kpps_tui.services.cards import issue_cards, record_printed, resolve_scope, revoke_card, select_cards
from kpps_tui.services.status import Level, StatusBoard, row_json
from kpps_tui.store import audit
from kpps_tui.store.workspace import Workspace

from status_support import count_from_files, without_names

DEMO_TODAY = "2024-10-24"  # the sample's fiction: two weeks before penetapan


def status_json(kpps, ws_path, *args: str) -> dict:
    code, out, err = kpps("--data", ws_path, "status", "--json", "--today", DEMO_TODAY, *args)
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("level", ["kabupaten", "kecamatan", "desa"])
def test_the_figures_equal_a_count_made_from_the_files(kpps, demo_dir, level):
    report = status_json(kpps, demo_dir, "--by", level)
    assert report["by"] == level
    assert without_names(report["rows"]) == count_from_files(demo_dir, level, DEMO_TODAY)


def test_valid_printed_cards_are_counted_and_revoked_or_unprinted_ones_are_not(kpps, demo_ws, demo_dir):
    scope = resolve_scope(demo_ws, "kecamatan", "62.01.04")
    issued = issue_cards(demo_ws, select_cards(demo_ws, scope).seats, today=date(2024, 10, 24))
    serials = [r.serial for r in issued.records]
    assert len(serials) > 3
    record_printed(demo_ws, serials[:-1])  # the last one issued, never printed
    revoke_card(demo_ws, serials[0], "manual")
    report = status_json(kpps, demo_dir, "--by", "kecamatan")
    rows = without_names(report["rows"])
    assert rows["62.01.04"]["cards_valid"] == len(serials) - 2
    assert rows == count_from_files(demo_dir, "kecamatan", DEMO_TODAY)


def test_the_schedule_is_an_election_setting_judged_against_today(kpps, demo_dir):
    code, out, _err = kpps("--data", demo_dir, "settings")
    assert code == 0 and "stage.penetapan" in out and "2024-11-07" in out and "2024-09-17..2024-09-28" in out
    assert kpps("--data", demo_dir, "settings", "set", "stage.penetapan", "08/11/2024")[0] == 0
    code, _out, err = kpps("--data", demo_dir, "settings", "set", "stage.bimtek", "2024-11-20..2024-11-11")
    assert code == 1 and "ends before it begins" in err

    report = status_json(kpps, demo_dir)
    stages = {s["key"]: s for s in report["schedule"]}
    assert list(stages)[:2] == ["pendaftaran", "penelitian_administrasi"]
    assert stages["penetapan"]["start"] == "2024-11-08" and stages["penetapan"]["status"] == "due"
    assert stages["pendaftaran"]["status"] == "done"
    assert stages["pemungutan_suara"]["start"] == "2024-11-27"
    assert stages["bimtek"]["start"] == "2024-11-11"  # the refused change left it alone

    desa = count_from_files(demo_dir, "desa", DEMO_TODAY)
    empty = sum(1 for row in desa.values() if row["seats_filled"] < row["seats"])
    code, out, _err = kpps("--data", demo_dir, "status", "--today", "2024-11-09")
    assert code == 0
    assert f"[overdue] Penetapan 8 Nov: {empty} desa still have empty seats" in out


def plant(ws_path, day: date, tps_code: str, seats_before: int, seats_after: int) -> None:
    """A seat change of one TPS in the audit log on `day`."""
    before = {str(n): f"x{n}" for n in range(1, seats_before + 1)}
    after = {str(n): f"x{n}" for n in range(1, seats_after + 1)}
    stamp = f"{day.isoformat()}T09:00:00.000+00:00"
    audit.append(ws_path, audit.AuditEntry(stamp, "sari", "s-1", "assign", tps_code, before, after))


def test_the_forecast_follows_a_planted_audit_log(demo_ws, demo_dir):
    today = date(2024, 10, 24)
    slow, fast, idle = "62.01.04", "62.01.06", "62.01.01"
    slow_tps = sorted(c for c in demo_ws.tps if c.startswith(slow + "."))[0]
    fast_tps = sorted(c for c in demo_ws.tps if c.startswith(fast + "."))[0]
    plant(demo_dir, today - timedelta(days=20), fast_tps, 0, 7)  # before the last 7 days: no pace
    for back in range(7):  # the last 7 days: 2 seats a day in one kecamatan, 10 in the other
        day = today - timedelta(days=back)
        plant(demo_dir, day, slow_tps, 0, 2)
        plant(demo_dir, day, fast_tps, 0, 7)
        plant(demo_dir, day, fast_tps, 4, 7)
    board = StatusBoard(Workspace.open(demo_dir), today)

    slow_fc = board.forecast(slow)
    assert slow_fc.per_day == 2
    assert slow_fc.done_on == today + timedelta(days=math.ceil(board.figures(slow).seats_open / 2))
    assert slow_fc.in_time is False  # 51 seats at 2 a day: after 7 November
    fast_fc = board.forecast(fast)
    assert fast_fc.per_day == 10
    assert fast_fc.done_on == today + timedelta(days=math.ceil(board.figures(fast).seats_open / 10))
    assert fast_fc.in_time is True
    # Nothing of the idle kecamatan in the log: its seats were stamped before the log began.
    assert board.forecast(idle).done_on is None

    burnup = board.burnup(slow, days=10)
    filled = [count for _day, count in burnup.filled]
    assert filled[-1] == board.figures(slow).seats_filled
    assert [b - a for a, b in zip(filled, filled[1:])][-6:] == [2] * 6


def test_the_json_forecast_has_a_date_or_null_per_row(kpps, demo_dir):
    plant(demo_dir, date(2024, 9, 30), "62.01.02.1001-001", 0, 1)  # the log begins before the stamps
    plant(demo_dir, date(2024, 10, 23), "62.01.04.2001-001", 0, 3)
    report = status_json(kpps, demo_dir, "--by", "kecamatan")
    forecast = {f["code"]: f for f in report["forecast"]}
    assert set(forecast) == {r["code"] for r in report["rows"]}
    assert forecast["62.01.01"]["date"] is None
    assert forecast["62.01.04"]["date"] is not None and forecast["62.01.04"]["before_penetapan"] is False


def test_after_another_sessions_write_only_its_kecamatan_is_recomputed(demo_ws, demo_dir, pick):
    today = date.today()
    board = StatusBoard(demo_ws, today)
    other = Workspace.open(demo_dir)
    tps = pick(other).tps_with_empty_seats(kecamatan="62.01.05")
    nik = pick(other).free_people(tps)[0].nik
    seat = pick(other).empty_seats(tps)[0]
    assignments.assign(other, tps.code, seat, nik)

    changed = demo_ws.refresh()
    assert changed == {"62.01.05"}
    assert board.update(changed) == {"62.01.05"}
    fresh = StatusBoard(demo_ws, today)
    for level in Level:
        assert [row_json(r) for r in board.rows(level)] == [row_json(r) for r in fresh.rows(level)]
    assert board.seat_changes("62.01.05")[today] == 1
    filled = board.burnup("62.01.05", days=2).filled
    assert filled[1][1] - filled[0][1] == 1

    # A change this session made itself is found without being told.
    mine = demo_ws.tps[tps.code]
    assignments.assign(demo_ws, tps.code, pick(demo_ws).empty_seats(mine)[0], pick(demo_ws).free_people(mine)[0].nik)
    assert board.update(None) == {"62.01.05"}
    assert board.figures("62.01.05").seats_filled == fresh.figures("62.01.05").seats_filled + 1
    assert board.update(None) == set()  # nothing changed since


def test_a_board_opened_without_the_applicants_counts_the_log_later_and_the_same(demo_dir):
    """`kpps` draws the ringkasan before the applicants and the log are read; the log counted in
    another thread (count_log) and taken after, with the lines appended since, gives the board
    a whole opening gives."""
    from kpps_tui.services.status import count_log
    from kpps_tui.store.workspace import Workspace as StoreWorkspace

    today = date(2024, 10, 24)
    fast, slow = "62.01.06", "62.01.04"
    fast_tps = sorted(c for c in StoreWorkspace.open(demo_dir).tps if c.startswith(fast + "."))[0]
    slow_tps = sorted(c for c in StoreWorkspace.open(demo_dir).tps if c.startswith(slow + "."))[0]
    for back in range(5):
        plant(demo_dir, today - timedelta(days=back), fast_tps, 0, 7)
    ws = StoreWorkspace.open(demo_dir, defer_people=True)
    board = StatusBoard(ws, today)
    assert not board.log_read  # nothing of the log before the first paint
    tally = count_log(ws)
    plant(demo_dir, today, slow_tps, 0, 3)  # appended after the count: read when taken
    ws.load_people()
    board.take_log(tally)
    assert board.log_read  # taken: the pace can be shown
    whole = StatusBoard(StoreWorkspace.open(demo_dir), today)
    assert board.seat_changes(slow)[today] == whole.seat_changes(slow)[today] == 3  # the line after the count
    board.update(set(ws.kecamatan_codes()) | {""})
    assert board.log_read
    for code in ("", fast, slow, "62.01.01"):
        assert board.seat_changes(code) == whole.seat_changes(code), code
        assert board.forecast(code) == whole.forecast(code), code
    assert board.forecast(fast).per_day == whole.forecast(fast).per_day > 0
    # Asked before anything was taken, the board reads the log itself.
    early = StatusBoard(StoreWorkspace.open(demo_dir, defer_people=True), today)
    assert early.seat_changes(fast) == whole.seat_changes(fast) and early.log_read
