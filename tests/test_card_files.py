"""Where the interface writes a cards PDF and what it is called (services/cards/files.py): a
private folder, a name that says what the file holds and when, never over a file there."""

from __future__ import annotations

import stat
from datetime import datetime

import pytest

from kpps_tui import clock
from kpps_tui.services import cards as svc
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store.workspace import Workspace

WHEN = datetime(2024, 11, 5, 14, 32, 10)


@pytest.fixture
def ws(tmp_path) -> Workspace:
    return init_from_sample(tmp_path / "ws", "demo")


def test_pdf_names_say_what_they_hold(ws):
    desa = min(ws.desa_codes())
    assert svc.pdf_name(ws, svc.Scope("all"), WHEN) == "kpps-cards-all-20241105-143210.pdf"
    name = svc.pdf_name(ws, svc.Scope("desa", desa, not_printed=True), WHEN)
    assert name.startswith(f"kpps-cards-desa-{desa}-") and name.endswith("-new-20241105-143210.pdf")
    assert svc.pdf_name(ws, None, WHEN) == "kpps-calibration-20241105-143210.pdf"


def test_the_pdfs_go_beside_the_workspace_not_inside_it(ws):
    folder = svc.cards_folder(ws)
    assert folder.parent == ws.root.resolve().parent and folder.name == f"{ws.root.name}-cards"


def test_the_next_pdf_is_made_a_private_folder_and_never_overwrites_one(ws, tmp_path):
    folder = tmp_path / "out" / "cards"
    first = svc.next_pdf_path(ws, folder, svc.Scope("all"), WHEN)
    assert first == folder / "kpps-cards-all-20241105-143210.pdf"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    first.write_bytes(b"%PDF-1.4")
    second = svc.next_pdf_path(ws, folder, svc.Scope("all"), WHEN)
    assert second.name == "kpps-cards-all-20241105-143210-2.pdf"
    assert first.read_bytes() == b"%PDF-1.4"


def test_the_name_takes_its_time_from_the_clock(ws, tmp_path):
    with clock.fixed(datetime(2024, 11, 6, 8, 0, 0).astimezone()):
        path = svc.next_pdf_path(ws, tmp_path / "out", None)
    assert path.name == "kpps-calibration-20241106-080000.pdf"
