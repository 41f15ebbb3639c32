"""Snapshots of the applicants screen and the applicant form at 80x24.

After a deliberate change of either, look at it, then:
`pytest tests/tui/test_snapshots_applicants.py --snapshot-update`.
"""

from __future__ import annotations

from .conftest import BOTH_LANGUAGES, make_app

UI_LANGUAGES = BOTH_LANGUAGES  # the English interface is exercised too


def test_applicants_screen(snap_compare, workspace):
    assert snap_compare(make_app(workspace), terminal_size=(80, 24), press=["w"])


def test_applicant_form_with_a_nik_typed(snap_compare, workspace):
    nik = list("6201015503900001")
    assert snap_compare(make_app(workspace), terminal_size=(80, 24), press=["w", "n", *nik])
