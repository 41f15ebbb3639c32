"""Screenshots of the main screens at 80x24 and 120x40, compared with the accepted ones.

The workspace is a fresh copy of the fixed demo sample, nothing on screen shows a clock, and
the cursor does not blink. After a deliberate change of the screens, look at the report and
accept the new pictures with `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from kpps_tui.services.browse import tps_rows
from kpps_tui.tui.screens.picker import CandidatePicker, PickerInput
from kpps_tui.tui.screens.tps_detail import TpsScreen

from .conftest import BOTH_LANGUAGES, make_app
from .test_picker_override import _warned_candidate

UI_LANGUAGES = BOTH_LANGUAGES  # the English interface is exercised too

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


def test_override_dialog(snap_compare, workspace):
    """Ctrl+O on a warned candidate: a reason per warning, each warning whole at 80x24."""
    code, seat, candidate = _warned_candidate(workspace)

    async def open_dialog(pilot):
        pilot.app.push_screen(TpsScreen(workspace, code, seat=seat))
        await pilot.pause()
        pilot.app.push_screen(CandidatePicker(workspace, code, seat))
        await pilot.pause()
        pilot.app.screen.query_one(PickerInput).value = candidate.person.nik
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()

    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=open_dialog)


def test_no_color_on_a_16_colour_terminal(snap_compare, workspace, monkeypatch):
    """NO_COLOR=1 with TERM=xterm: greys, every word readable (the pseudo-terminal test reads
    the real colours; this keeps the picture)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(workspace, color_system="standard")
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24), press=_open_partly_filled_tps(workspace))
