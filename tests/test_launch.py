"""The `kpps` program loads without the cyclic collector (kpps_tui/launch.py): a command turns
it back on once its arguments are read, and bulk loads leave it as they found it
(store/memory.py). The interface's half: tests/tui/test_collector.py."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from kpps_tui.store.memory import long_lived

PROBE = """
import gc, sys
from kpps_tui import cli, launch

seen = []
real_run = cli._run
cli._run = lambda args: seen.append(gc.isenabled()) or real_run(args)
sys.argv = ["kpps", *sys.argv[1:]]
code = launch.main()
print(code, seen, gc.isenabled())
"""


def test_a_command_runs_with_the_collector_on(demo_dir):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--data", str(demo_dir), "tps", "list"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "0 [True] True"


@pytest.mark.parametrize("collecting", [True, False])
def test_a_bulk_load_leaves_the_collector_as_it_found_it_and_freezes_what_it_made(collecting):
    if not collecting:
        gc.disable()
    try:
        frozen = gc.get_freeze_count()
        with long_lived():
            assert not gc.isenabled()
            made = [[n] for n in range(1000)]
        assert gc.isenabled() is collecting
        assert gc.get_freeze_count() >= frozen + len(made)
    finally:
        gc.enable()


def test_a_failed_bulk_load_turns_the_collector_back_on_and_freezes_nothing():
    frozen = gc.get_freeze_count()
    with pytest.raises(ValueError), long_lived():
        raise ValueError("damaged")
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
