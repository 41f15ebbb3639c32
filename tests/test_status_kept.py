"""The ringkasan's board is kept between openings and its day-by-day changes are remembered
between forecasts: after writes by this session and by another, what it shows equals a board
built from nothing (the speed is measured by benchmarks/bench_status.py, never here)."""

from __future__ import annotations

from datetime import date, timedelta

from kpps_tui.services import assignments
from kpps_tui.services.status import Level, StatusBoard, board_for, forecast_json, row_json
from kpps_tui.store import audit
from kpps_tui.store.workspace import Workspace

TODAY = date(2024, 10, 24)


def shown(board: StatusBoard) -> dict:
    """Everything the screen and `kpps status` read, for every region at every level."""
    out: dict = {}
    for level in Level:
        for row in board.rows(level):
            out[row.code] = (
                row_json(row),
                forecast_json(board.forecast(row.code)),
                sorted(board.seat_changes(row.code).items()),
                sorted(board.verified_changes(row.code).items()),
            )
    out[""] = (sorted(board.seat_changes("").items()), forecast_json(board.forecast("")))
    return out


def seat_someone(ws: Workspace, pick, kecamatan: str) -> None:
    tps = pick(ws).tps_with_empty_seats(kecamatan=kecamatan)
    assignments.assign(ws, tps.code, pick(ws).empty_seats(tps)[0], pick(ws).free_people(tps)[0].nik)


def test_the_kept_board_and_its_remembered_changes_equal_a_fresh_one(demo_ws, demo_dir, pick):
    board = board_for(demo_ws, TODAY)
    before = shown(board)  # fills what is remembered
    assert board_for(demo_ws, TODAY) is board and shown(board) == before
    assert before == shown(StatusBoard(demo_ws, TODAY))

    # Another session writes; this one reloads the files, as the poll does.
    other = Workspace.open(demo_dir)
    seat_someone(other, pick, "62.01.05")
    board.update(demo_ws.refresh(), today=TODAY)
    assert shown(board) == shown(StatusBoard(demo_ws, TODAY)) != before

    # This session writes, and the screen is opened again later.
    seat_someone(demo_ws, pick, "62.01.02")
    again = board_for(demo_ws, TODAY)
    assert again is board
    assert shown(again) == shown(StatusBoard(demo_ws, TODAY))


def plant(ws_path, day: date, tps_code: str) -> None:
    stamp = f"{day.isoformat()}T09:00:00.000+00:00"
    audit.append(ws_path, audit.AuditEntry(stamp, "sari", "s-1", "assign", tps_code, {}, {"1": "x1", "2": "x2"}))


def test_log_lines_appended_since_are_counted_into_the_remembered_changes(demo_ws, demo_dir):
    tps = sorted(c for c in demo_ws.tps if c.startswith("62.01.04."))[0]
    plant(demo_dir, TODAY - timedelta(days=10), tps)  # the log has begun before the board is built
    board = board_for(demo_ws, TODAY)
    shown(board)
    plant(demo_dir, TODAY - timedelta(days=1), tps)
    board.update((), today=TODAY)
    fresh = StatusBoard(demo_ws, TODAY)
    assert shown(board) == shown(fresh)
    assert board.seat_changes("62.01.04")[TODAY - timedelta(days=1)] == fresh.seat_changes("62.01.04")[TODAY - timedelta(days=1)]
