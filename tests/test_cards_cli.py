"""`kpps cards`, `kpps verify` and `kpps keys export-public` as a person types them.

They run through the real `kpps` entry on real files: a PDF is written, rendered to a PNG,
and the PNG handed to `kpps verify --image`.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from kpps_tui.services import assignments
from kpps_tui.services.settings import set_election_setting
from kpps_tui.services.setup import init_from_sample

from cards_support import card_ready_tps

# `kpps cards` issues on the real day, so these workspaces' cards are valid around it.
TODAY = date.today()
DURING_WORK = TODAY.isoformat()
AFTER_WORK = (TODAY + timedelta(days=31)).isoformat()


@pytest.fixture
def ws(tmp_path):
    ws = init_from_sample(tmp_path / "ws", "demo")
    set_election_setting(ws, "cards_valid_until", (TODAY + timedelta(days=30)).isoformat())
    set_election_setting(ws, "cards_valid_from", (TODAY - timedelta(days=30)).isoformat())
    return ws


def full_tps(ws):
    return card_ready_tps(ws)


def page_png(pdf_path: Path, png_path: Path, index: int = 0) -> Path:
    pdf = pdfium.PdfDocument(pdf_path)
    pdf[index].render(scale=120 / 72).to_pil().save(png_path)
    pdf.close()
    return png_path


def test_print_scan_and_verify_from_the_shell(ws, tmp_path, kpps):
    tps = full_tps(ws)
    code, out, err = kpps("--data", ws.root, "cards", "--tps", tps.code, "-o", tmp_path / "c.pdf")
    assert code == 0, err
    assert "7 cards on 1 pages" in out
    png = page_png(tmp_path / "c.pdf", tmp_path / "page.png")

    code, out, err = kpps("--data", ws.root, "verify", "--image", png, "--date", DURING_WORK)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 7 and all(line.startswith("Genuine and valid") for line in lines)
    assert ws.people[tps.seats[1].nik].name in lines[0]

    assignments.unassign(ws, tps.code, 1)
    code, out, _err = kpps("--data", ws.root, "verify", "--image", png, "--date", DURING_WORK)
    assert code == 3 and sum(line.startswith("Revoked") for line in out.splitlines()) == 1

    code, out, _err = kpps("--data", ws.root, "verify", "--image", png, "--date", AFTER_WORK)
    assert code == 4 and "Expired" in out


def test_verify_offline_with_the_exported_public_key(ws, tmp_path, kpps):
    tps = full_tps(ws)
    assert kpps("--data", ws.root, "cards", "--tps", tps.code, "-o", tmp_path / "c.pdf")[0] == 0
    from kpps_tui.services import cards

    text = cards.card_faces(ws, [max(cards.book_of(ws).records.values(), key=lambda r: r.serial)])[0].qr_text
    code, out, _err = kpps("--data", ws.root, "keys", "export-public", tmp_path / "kpu.json")
    assert code == 0 and "kpu.json" in out

    nowhere = tmp_path / "no-workspace-here"
    code, out, err = kpps("--data", nowhere, "verify", "--public-key", tmp_path / "kpu.json", "--date", DURING_WORK, text)
    assert code == 0, err
    assert out.startswith("Genuine and valid")
    # The text typed without quotes arrives in pieces at its spaces: it is put back together.
    code, _out, _err = kpps("--data", nowhere, "verify", "--public-key", tmp_path / "kpu.json", "--date", DURING_WORK, *text.split(" "))
    assert code == 0

    other = init_from_sample(tmp_path / "other", "demo")
    assert kpps("--data", other.root, "keys", "export-public", tmp_path / "other.json")[0] == 0
    code, out, _err = kpps("--data", nowhere, "verify", "--public-key", tmp_path / "other.json", text)
    assert code == 5 and out.startswith("Forged")

    code, out, _err = kpps("--data", nowhere, "verify", "--public-key", tmp_path / "kpu.json", "KPPS:NOT A CARD")
    assert code == 6 and out.startswith("Damaged")

    # A short code needs the workspace.
    record = max(cards.book_of(ws).records.values(), key=lambda r: r.serial)
    code, _out, err = kpps("--data", nowhere, "verify", "--public-key", tmp_path / "kpu.json", record.code)
    assert code == 1 and "workspace" in err
    code, out, _err = kpps("--data", ws.root, "verify", "--date", DURING_WORK, record.code)
    assert code == 0 and record.name in out


def test_choices_of_what_to_print(ws, tmp_path, kpps):
    tps = full_tps(ws)
    desa = ws.region_name(tps.desa_code)
    code, out, err = kpps("--data", ws.root, "cards", "--desa", desa, "-o", tmp_path / "d.pdf", "--cut", "border", "--back")
    assert code == 0, err
    assert "Left out:" in out and "seat empty" in out

    code, out, _err = kpps("--data", ws.root, "cards", "--desa", tps.desa_code, "--not-printed", "-o", tmp_path / "again.pdf")
    assert code == 0 and "Nothing to print" in out and not (tmp_path / "again.pdf").exists()

    code, _out, err = kpps("--data", ws.root, "cards", "-o", tmp_path / "x.pdf")
    assert code == 2 and "--tps" in err
    code, out, _err = kpps("--data", ws.root, "cards", "--calibration", "--offset-x", "1.5", "-o", tmp_path / "cal.pdf")
    assert code == 0 and (tmp_path / "cal.pdf").exists()

    code, _out, err = kpps("--data", ws.root, "cards", "--kecamatan", "Nowhere", "-o", tmp_path / "x.pdf")
    assert code == 1 and "Nowhere" in err


def test_saved_print_settings_are_used_next_time(ws, tmp_path, kpps):
    from kpps_tui.services import cards

    code, _out, _err = kpps(
        "--data", ws.root, "cards", "--calibration", "--offset-y", "-0.8", "--cut", "border", "--save", "-o", tmp_path / "cal.pdf"
    )
    assert code == 0
    options = cards.sheet_options(ws)
    assert (options.offset_y_mm, options.cut, options.offset_x_mm) == (-0.8, "border", 0.0)
