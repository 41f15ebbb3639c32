"""Screenshots of the main screens at 80x24 and 120x40, compared with the accepted ones.

The workspace is a fresh copy of the fixed demo sample, nothing on screen shows a clock, and
the cursor does not blink. After a deliberate change of the screens, look at the report and
accept the new pictures with `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from kpps_tui.services.browse import tps_rows

from .conftest import make_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_tps_list(snap_compare, workspace, size):
    assert snap_compare(make_app(workspace), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_tps_list_filtered_and_sorted(snap_compare, workspace, size):
    # Search "kumai", then sort by seats filled, most filled first.
    assert snap_compare(
        make_app(workspace), terminal_size=size, press=["slash", *"kumai", "escape", "s", "s", "r"]
    )


def _open_partly_filled_tps(workspace):
    index = next(i for i, r in enumerate(tps_rows(workspace)) if 0 < r.filled < 7)
    return ["down"] * index + ["enter"]


@pytest.mark.parametrize("size", SIZES)
def test_tps_screen(snap_compare, workspace, size):
    assert snap_compare(make_app(workspace), terminal_size=size, press=_open_partly_filled_tps(workspace))


@pytest.mark.parametrize("size", SIZES)
def test_candidate_picker(snap_compare, workspace, size):
    assert snap_compare(make_app(workspace), terminal_size=size, press=[*_open_partly_filled_tps(workspace), "enter"])


def test_help_screen(snap_compare, workspace):
    assert snap_compare(make_app(workspace), terminal_size=(80, 24), press=[*_open_partly_filled_tps(workspace), "question_mark"])
