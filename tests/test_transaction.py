"""Workspace.transaction(): the one door to the disk (re-entrant, one lock, reload first)."""

from __future__ import annotations

import fcntl
import os
from dataclasses import replace

import pytest

from kpps_tui.errors import KppsError
from kpps_tui.services import assignments
from kpps_tui.store.workspace import LOCK_FILE, Workspace


def _lock_is_free(root) -> bool:
    fd = os.open(root / LOCK_FILE, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def _filled_seat(ws: Workspace) -> tuple[str, int, str]:
    for tps in sorted(ws.tps.values(), key=lambda t: t.code):
        for number, seat in sorted(tps.seats.items()):
            return tps.code, number, seat.nik
    raise AssertionError("the demo has seated officers")


def test_a_nested_transaction_joins_the_outer_one_and_the_lock_is_taken_once(demo_ws):
    code, seat, nik = _filled_seat(demo_ws)
    with demo_ws.transaction():
        assert not _lock_is_free(demo_ws.root)
        with demo_ws.transaction():  # would wait for ever on its own lock if not re-entrant
            assignments.unassign(demo_ws, code, seat, expected_nik=nik)  # a third level
        assert not _lock_is_free(demo_ws.root)
    assert _lock_is_free(demo_ws.root)
    assert seat not in Workspace.open(demo_ws.root).tps[code].seats


def test_a_failure_in_a_nested_block_leaves_memory_as_the_disk_says(demo_ws):
    code, seat, nik = _filled_seat(demo_ws)
    with pytest.raises(KppsError):
        with demo_ws.transaction():
            assignments.unassign(demo_ws, code, seat, expected_nik=nik)
            with demo_ws.transaction():
                raise KppsError("stop")  # type: ignore[arg-type]  # a test message, never translated
    on_disk = Workspace.open(demo_ws.root)
    assert demo_ws.tps[code].seats.keys() == on_disk.tps[code].seats.keys()
    assert _lock_is_free(demo_ws.root)


def test_a_transaction_first_reloads_what_another_session_wrote(demo_dir):
    mine, theirs = Workspace.open(demo_dir), Workspace.open(demo_dir)
    code, seat, nik = _filled_seat(mine)
    assignments.unassign(theirs, code, seat, expected_nik=nik)
    with mine.transaction():
        assert seat not in mine.tps[code].seats  # seen before any check is made
        mine.put_tps(replace(mine.tps[code], address="Jl. Baru 1"), "edit")
    assert Workspace.open(demo_dir).tps[code].address == "Jl. Baru 1"
