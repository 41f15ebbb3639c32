"""The collector's full passes wait for a pause in the keys (tui/collector.py)."""

from __future__ import annotations

import gc
import time

from kpps_tui.tui.collector import FULL_AFTER, NEVER, QUIET_S, RestingCollector

from .conftest import make_app


def _full_passes_counted() -> None:
    """As many passes of the middle generation as Python makes before it would pass over all."""
    for _ in range(FULL_AFTER):
        gc.collect(1)


def test_a_full_pass_waits_for_a_quiet_second_and_then_runs():
    before = gc.get_threshold()
    collector = RestingCollector()
    collector.start()
    try:
        assert gc.get_threshold() == (before[0], before[1], NEVER)  # no full pass by itself
        _full_passes_counted()
        collector.input_seen()
        assert not collector.tick()  # a key just now: it waits
        assert gc.get_count()[2] >= FULL_AFTER
        collector.last_input = time.monotonic() - QUIET_S
        full: list[int] = []

        def watch(phase: str, info: dict) -> None:
            if phase == "start":
                full.append(info["generation"])

        gc.callbacks.append(watch)
        try:
            assert collector.tick()
        finally:
            gc.callbacks.remove(watch)
        assert full == [2] and gc.get_count()[2] == 0
        assert not collector.tick()  # nothing new since
    finally:
        collector.stop()
    assert gc.get_threshold() == before


async def test_the_interface_holds_full_passes_while_it_runs_and_gives_them_back(workspace):
    before = gc.get_threshold()
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.get_threshold()[2] == NEVER
        await pilot.press("down")
        assert time.monotonic() - app.collector.last_input < QUIET_S  # the key was seen
    assert gc.get_threshold() == before


async def test_a_program_loaded_without_the_collector_turns_it_on_once_its_first_screen_is_drawn(workspace):
    """launch.py turns the collector off while the program loads; the interface turns it on
    after its first paint, what it made until then frozen out of later passes."""
    gc.disable()
    try:
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
    finally:
        gc.enable()
