"""Officer ID cards end to end: issue, print to PDF, scan the printed page, verify.

The PDF is rendered to pixels with pypdfium2 and every QR code on it is read back by a real
decoder (zxing-cpp); geometry is read from the PDF's own drawing operations. Each test works
on a fresh copy of the demo sample.
"""

from __future__ import annotations

import ctypes
import json
import os
import stat
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import zxingcpp
from tinydb import TinyDB

from kpps_tui import clock
from kpps_tui.cards import codes, payload, sheet
from kpps_tui.store.keys import private_key_path
from kpps_tui.cards.sheet import CARD_H, CARD_W, GRID_LEFT, GRID_TOP, PAGE_H, SheetOptions
from kpps_tui.cards.verify import Status
from kpps_tui.errors import KppsError
from kpps_tui.services import assignments
from kpps_tui.services import cards as svc
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store.workspace import Workspace

from cards_support import card_ready_tps, verify_declarations

DURING_WORK = date(2024, 11, 20)  # between appointment and the end of masa kerja
MM = 72 / 25.4


@pytest.fixture
def ws(tmp_path) -> Workspace:
    return init_from_sample(tmp_path / "ws", "demo")


def full_tps(ws: Workspace):
    return card_ready_tps(ws, full=True)


def partly_filled_tps(ws: Workspace):
    return card_ready_tps(ws, full=False)


def make_pdf(ws, tmp_path, scope=None, name="cards.pdf", **options) -> tuple[Path, svc.Generated]:
    scope = scope or svc.Scope("tps", full_tps(ws).code)
    path = tmp_path / name
    result = svc.generate_cards(ws, scope, path, SheetOptions(**options), today=date(2024, 11, 1))
    return path, result


def render(path: Path, index: int, dpi: float = 110, grayscale: bool = True):
    pdf = pdfium.PdfDocument(path)
    try:
        return pdf[index].render(scale=dpi / 72, grayscale=grayscale).to_pil()
    finally:
        pdf.close()


def scan(image) -> list[str]:
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [b.text for b in found if b.valid]


def page_count(path: Path) -> int:
    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def qr_text_of(ws, serial: int) -> str:
    record = svc.book_of(ws).records[serial]
    return svc.card_faces(ws, [record])[0].qr_text


# ---- printed, scanned, verified ------------------------------------------------------------


def test_every_card_printed_scans_and_verifies_as_genuine(ws, tmp_path):
    tps = full_tps(ws)
    verify_declarations(ws, [s.nik for t in ws.tps.values() if t.desa_code == tps.desa_code for s in t.seats.values()])
    scope = svc.Scope("desa", tps.desa_code)
    path, result = make_pdf(ws, tmp_path, scope)
    book = svc.book_of(ws)
    issued = {qr_text_of(ws, s): book.records[s] for s in result.serials}
    assert result.cards == len(issued) == svc.select_cards(ws, scope).count > 10
    assert result.pages == page_count(path) == -(-result.cards // 10)

    scanned = []
    for index in range(result.pages):
        scanned.extend(scan(render(path, index)))
    assert sorted(scanned) == sorted(issued)
    for text in scanned:
        verdict = svc.verify_code(text, ws=ws, today=DURING_WORK)
        record = issued[text]
        assert verdict.status is Status.VALID, verdict.message
        assert verdict.exit_code == 0
        assert (verdict.card.name, verdict.card.seat, verdict.card.tps_code) == (record.name, record.seat, record.tps)
        assert record.name in verdict.message and ws.region_name(tps.desa_code) in verdict.message


def test_cards_come_in_kecamatan_desa_tps_seat_order(ws):
    selection = svc.select_cards(ws, svc.Scope("all"))
    keys = []
    for seat_card in selection.seats:
        tps = ws.tps[seat_card.tps_code]
        keys.append((tps.kecamatan_code, tps.desa_code, tps.number, seat_card.seat))
    assert keys == sorted(keys)
    filled = sum(t.filled for t in ws.tps.values())
    assert selection.count + len(selection.left_out) == 7 * len(ws.tps)
    reasons = [item.reason for item in selection.left_out]
    assert reasons.count("seat empty") == 7 * len(ws.tps) - filled
    # The rest wait for their declaration, and say so.
    assert all(r.startswith("Surat Pernyataan") for r in reasons if r != "seat empty")
    assert 0 < selection.count < filled


def test_the_payload_holds_no_nik_phone_or_address(ws, tmp_path):
    _path, result = make_pdf(ws, tmp_path)
    record = svc.book_of(ws).records[result.serials[0]]
    person = ws.people[record.nik]
    text = qr_text_of(ws, record.serial)
    raw = payload.base45.b45decode(text[len(payload.PREFIX) :])
    for secret in (person.nik, person.nik[-8:], person.phone, person.address):
        if secret:
            assert secret.encode() not in raw
    assert int(person.nik).to_bytes(7, "big") not in raw


def test_a_changed_character_is_forged_or_damaged_never_valid(ws, tmp_path):
    _path, result = make_pdf(ws, tmp_path)
    text = qr_text_of(ws, result.serials[0])
    seen = set()
    for i in range(len(payload.PREFIX), len(text), 7):
        for ch in "7Z $":
            if ch != text[i]:
                verdict = svc.verify_code(text[:i] + ch + text[i + 1 :], ws=ws, today=DURING_WORK)
                assert verdict.status in (Status.FORGED, Status.DAMAGED), (i, ch)
                seen.add(verdict.status)
    assert seen == {Status.FORGED, Status.DAMAGED}


@pytest.mark.parametrize("where", ["name", "seat", "valid_until", "signature"])
def test_a_changed_byte_is_forged(ws, tmp_path, where):
    _path, result = make_pdf(ws, tmp_path)
    text = qr_text_of(ws, result.serials[0])
    raw = bytearray(payload.base45.b45decode(text[len(payload.PREFIX) :]))
    offset = {"seat": 14, "valid_until": 16, "name": 18, "signature": len(raw) - 10}[where]
    raw[offset] ^= 0x01
    verdict = svc.verify_code(payload.PREFIX + payload.base45.b45encode(bytes(raw)).decode(), ws=ws, today=DURING_WORK)
    assert verdict.status is Status.FORGED
    assert "Forged" in verdict.message and verdict.exit_code == 5


def test_a_card_of_another_workspace_is_forged(ws, tmp_path):
    other = init_from_sample(tmp_path / "other", "demo")
    _p, theirs = make_pdf(other, tmp_path, name="theirs.pdf")
    _p, ours = make_pdf(ws, tmp_path, name="ours.pdf")
    their_text = qr_text_of(other, theirs.serials[0])
    assert svc.verify_code(their_text, ws=ws, today=DURING_WORK).status is Status.FORGED
    # ... and offline, with only the exported public files.
    svc.export_public_key(ws, tmp_path / "ours.json")
    svc.export_public_key(other, tmp_path / "theirs.json")
    our_key = svc.read_public_key(tmp_path / "ours.json")
    their_key = svc.read_public_key(tmp_path / "theirs.json")
    assert svc.verify_code(their_text, key=our_key, today=DURING_WORK).status is Status.FORGED
    assert svc.verify_code(their_text, key=their_key, today=DURING_WORK).status is Status.VALID
    assert svc.verify_code(qr_text_of(ws, ours.serials[0]), key=our_key, today=DURING_WORK).status is Status.VALID


def test_leaving_the_seat_revokes_the_card_and_the_new_holder_gets_a_new_serial(ws, tmp_path, pick):
    tps = full_tps(ws)
    _path, result = make_pdf(ws, tmp_path)
    by_seat = {svc.book_of(ws).records[s].seat: s for s in result.serials}
    old_serial = by_seat[3]
    old_text = qr_text_of(ws, old_serial)
    old_code = svc.book_of(ws).records[old_serial].code

    assignments.unassign(ws, tps.code, 3)
    verdict = svc.verify_code(old_text, ws=ws, today=DURING_WORK)
    assert verdict.status is Status.REVOKED and verdict.exit_code == 3
    assert "left the seat" in verdict.message
    assert svc.verify_code(old_code, ws=ws, today=DURING_WORK).status is Status.REVOKED
    # Offline: the exported file carries the revocation.
    svc.export_public_key(ws, tmp_path / "public.json")
    offline = svc.read_public_key(tmp_path / "public.json")
    assert svc.verify_code(old_text, key=offline, today=DURING_WORK).status is Status.REVOKED
    # The other cards of the TPS are untouched.
    assert svc.verify_code(qr_text_of(ws, by_seat[2]), ws=ws, today=DURING_WORK).status is Status.VALID

    newcomer = next(p for p in pick(ws).free_people(ws.tps[tps.code], 5) if not verify_declarations(ws, [p.nik]))
    assignments.assign(ws, tps.code, 3, newcomer.nik)
    selection = svc.select_cards(ws, svc.Scope("tps", tps.code, not_printed=True))
    assert [(s.seat, s.nik) for s in selection.seats] == [(3, newcomer.nik)]
    issued = svc.issue_cards(ws, selection.seats, today=date(2024, 11, 10))
    (new,) = issued.records
    assert new.serial != old_serial and new.nik == newcomer.nik and new.active
    assert svc.verify_code(qr_text_of(ws, new.serial), ws=ws, today=DURING_WORK).status is Status.VALID
    assert svc.verify_code(old_text, ws=ws, today=DURING_WORK).status is Status.REVOKED


def test_move_and_swap_revoke_the_cards_of_both_seats(ws, tmp_path):
    tps = full_tps(ws)
    _path, result = make_pdf(ws, tmp_path)
    serial_of_seat = {svc.book_of(ws).records[s].seat: s for s in result.serials}
    assignments.swap(ws, tps.code, 2, 5)
    assignments.unassign(ws, tps.code, 7)
    assignments.move(ws, tps.code, 6, 7)
    records = svc.book_of(ws).records
    revoked = {seat for seat, s in serial_of_seat.items() if not records[s].active}
    assert revoked == {2, 5, 6, 7}
    assert {records[serial_of_seat[s]].revoke_reason for s in (2, 5)} == {"swapped"}
    assert records[serial_of_seat[6]].revoke_reason == "moved"


def test_expired_after_the_end_of_masa_kerja(ws, tmp_path):
    _path, result = make_pdf(ws, tmp_path)
    record = svc.book_of(ws).records[result.serials[0]]
    until = date.fromisoformat(record.valid_until)
    assert until == date(2024, 12, 8)  # voting day 27 Nov + 11 days
    text = qr_text_of(ws, record.serial)
    assert svc.verify_code(text, ws=ws, today=until).status is Status.VALID
    verdict = svc.verify_code(text, ws=ws, today=date(2024, 12, 9))
    assert verdict.status is Status.EXPIRED and verdict.exit_code == 4
    assert "8 December 2024" in verdict.message
    assert svc.verify_code(record.code, ws=ws, today=date(2025, 1, 1)).status is Status.EXPIRED


def test_without_a_day_given_the_cards_read_the_one_clock(ws, tmp_path):
    """Set the program's clock (kpps_tui/clock.py) and nothing else: the card issued that day
    is valid from it, printed and encoded so, stamped with it, and checked against it."""
    tps = full_tps(ws)
    path = tmp_path / "cards.pdf"
    with clock.fixed(datetime(2024, 11, 21, 3, 0, tzinfo=timezone.utc)):
        day = clock.today()  # 21 November where the machine is (UTC here, or up to UTC+14)
        result = svc.generate_cards(ws, svc.Scope("tps", tps.code), path, SheetOptions())
        record = svc.book_of(ws).records[result.serials[0]]
        text = qr_text_of(ws, record.serial)
        assert svc.verify_code(text, ws=ws).status is Status.VALID
    assert record.issued_at == "2024-11-21T03:00:00+00:00"
    assert date.fromisoformat(record.valid_from) == day and day > ws.election.card_period[0]
    pdf = pdfium.PdfDocument(path)
    try:
        printed = " ".join(pdf[0].get_textpage().get_text_range().split())
    finally:
        pdf.close()
    assert f"{sheet.short_date(day)} \u2013 {sheet.short_date(date(2024, 12, 8))}" in printed
    assert text in scan(render(path, 0))
    with clock.fixed(datetime(2024, 12, 9, 3, 0, tzinfo=timezone.utc)):
        assert svc.verify_code(text, ws=ws).status is Status.EXPIRED
        assert svc.verify_code(record.code, ws=ws).status is Status.EXPIRED


def test_short_codes_typed_by_a_person(ws, tmp_path):
    _path, result = make_pdf(ws, tmp_path)
    record = svc.book_of(ws).records[result.serials[0]]
    shown = codes.display(record.code)
    verdict = svc.verify_code(shown.lower().replace("-", " "), ws=ws, today=DURING_WORK)
    assert verdict.status is Status.VALID and record.name in verdict.message
    mistyped = shown[:-1] + next(c for c in codes.ALPHABET if c != shown[-1])
    assert svc.verify_code(mistyped, ws=ws, today=DURING_WORK).status is Status.DAMAGED
    assert svc.verify_code("OOO-OOO-OOO", ws=ws, today=DURING_WORK).status is Status.DAMAGED
    never_issued = codes.make_code(99999)
    verdict = svc.verify_code(never_issued, ws=ws, today=DURING_WORK)
    assert verdict.status is Status.FORGED and codes.display(never_issued) in verdict.message


# ---- what gets printed ---------------------------------------------------------------------


def test_left_out_seats_say_why_and_not_printed_skips_printed_cards(ws, tmp_path):
    tps = partly_filled_tps(ws)
    scope = svc.Scope("tps", tps.code)
    selection = svc.select_cards(ws, scope)
    assert selection.count == tps.filled
    assert {(l.seat, l.reason) for l in selection.left_out} == {
        (n, "seat empty") for n in range(1, 8) if n not in tps.seats
    }
    assert str(selection.count) in selection.summary()
    make_pdf(ws, tmp_path, scope)
    again = svc.select_cards(ws, replace(scope, not_printed=True))
    assert again.count == 0 and again.already_printed == tps.filled
    # Printing the same TPS again gives the same cards (same serials, same codes).
    _p, first = make_pdf(ws, tmp_path, scope, name="a.pdf")
    _p, second = make_pdf(ws, tmp_path, scope, name="b.pdf")
    assert first.serials == second.serials


def test_the_card_gate_needs_a_seated_known_person_with_a_verified_declaration(ws):
    waiting = next(n for n in sorted(ws.placements) if svc.card_gate(ws, n) is not None)
    assert svc.card_gate(ws, waiting).startswith("Surat Pernyataan")
    assert verify_declarations(ws, [waiting]) == []
    assert svc.card_gate(ws, waiting) is None
    unseated = next(n for n in sorted(ws.people) if n not in ws.placements)
    assert "does not sit" in svc.card_gate(ws, unseated)
    assert "not in the applicant list" in svc.card_gate(ws, "6201010101010001")


def test_card_size_and_position_within_0_2_mm(ws, tmp_path):
    offsets = SheetOptions(cut="border", offset_x_mm=1.5, offset_y_mm=-0.7)
    path, _result = make_pdf(ws, tmp_path, cut="border", offset_x_mm=1.5, offset_y_mm=-0.7)
    pdf = pdfium.PdfDocument(path)
    frames = []
    for obj in pdf[0].get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=0):
        points = path_points(obj)
        xs, ys = [p[0] / MM for p in points], [p[1] / MM for p in points]
        if len(points) == 5 and max(xs) - min(xs) > 50:
            frames.append((min(xs), PAGE_H - max(ys), max(xs) - min(xs), max(ys) - min(ys)))
    pdf.close()
    assert len(frames) == 7
    for index, frame in enumerate(sorted(frames, key=lambda f: (round(f[1]), f[0]))):
        expected = sheet.card_box_on_paper(index, offsets)
        assert expected[:2] == pytest.approx(
            (GRID_LEFT + 85.6 * (index % 2) + 1.5, GRID_TOP + 54 * (index // 2) - 0.7)
        )
        assert frame == pytest.approx(expected, abs=0.2)
        assert frame[2:] == pytest.approx((CARD_W, CARD_H), abs=0.2)

    # On the rendered page too (10 pixels a millimetre): the red bands of the first row start
    # at the first card's left edge and, the two cards touching, end at the second's right edge.
    image = render(path, 0, dpi=254, grayscale=False).convert("RGB")
    left, top, width, _h = sheet.card_box_on_paper(0, offsets)
    row = int((top + 5) * 10)
    reds = [x for x in range(image.width) if _is_band(image.getpixel((x, row)))]
    assert len(reds) > (2 * width - 1) * 10  # only the dashed cut line between them breaks the red
    assert reds[0] / 10 == pytest.approx(left, abs=0.2)
    assert (reds[-1] + 1) / 10 == pytest.approx(left + 2 * width, abs=0.2)
    column = int((left + 40) * 10)
    band_rows = [y for y in range(int((top - 5) * 10), int((top + 15) * 10)) if _is_band(image.getpixel((column, y)))]
    assert band_rows[0] / 10 == pytest.approx(top, abs=0.2)


def _is_band(pixel) -> bool:
    r, g, b = pixel
    return r > 100 and g < 60 and b < 60


def path_points(obj) -> list[tuple[float, float]]:
    """The points of a path object on the page, in PDF points (its matrix applied)."""
    points = []
    for i in range(pdfium_raw.FPDFPath_CountSegments(obj.raw)):
        segment = pdfium_raw.FPDFPath_GetPathSegment(obj.raw, i)
        x, y = ctypes.c_float(), ctypes.c_float()
        pdfium_raw.FPDFPathSegment_GetPoint(segment, x, y)
        points.append((x.value, y.value))
    matrix = obj.get_matrix()
    return [matrix.on_point(x, y) for x, y in points]


def test_cut_marks_line_up_with_the_card_edges(ws, tmp_path):
    path, _result = make_pdf(ws, tmp_path, cut="marks")
    pdf = pdfium.PdfDocument(path)
    xs, ys = set(), set()
    for obj in pdf[0].get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=0):
        points = path_points(obj)
        if len(points) == 2:
            (x1, y1), (x2, y2) = points
            if abs(x1 - x2) < 0.01:
                xs.add(round(x1 / MM, 1))
            elif abs(y1 - y2) < 0.01:
                ys.add(round(PAGE_H - y1 / MM, 1))
    pdf.close()
    assert xs == {round(GRID_LEFT + i * CARD_W, 1) for i in range(3)}
    assert ys == {round(GRID_TOP + i * CARD_H, 1) for i in range(6)}


def test_a_sixty_character_name_fits_inside_the_card(ws, tmp_path):
    tps = full_tps(ws)
    nik = tps.seats[4].nik
    long_name = "Raden Roro Siti Nurhaliza Kusumawardhani Prameswari Anindita"
    assert len(long_name) == 60
    with ws.locked():
        ws.put_person(replace(ws.people[nik], name=long_name), "edit")
    path, _result = make_pdf(ws, tmp_path)
    pdf = pdfium.PdfDocument(path)
    page = pdf[0]
    textpage = page.get_textpage()
    assert long_name in " ".join(textpage.get_text_range().split())
    left, top, _w, _h = sheet.card_box_on_paper(3, SheetOptions())  # seat 4 is the 4th card
    text_right = left + sheet.QR_X - 0.5
    pieces = []
    for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_TEXT], max_depth=0, textpage=textpage):
        x0, y0, x1, y1 = (v / MM for v in obj.get_bounds())
        content = obj.extract()
        if content and content in long_name and len(content) > 10:
            pieces.append((content, x0, x1, PAGE_H - y1, PAGE_H - y0, obj.get_font_size() * obj.get_matrix().get()[0]))
    pdf.close()
    assert " ".join(p[0] for p in pieces) == long_name
    for _content, x0, x1, y_top, y_bottom, _size in pieces:
        assert left + sheet.SAFE - 0.1 <= x0 and x1 <= text_right, "the name runs into the QR code or off the card"
        assert top < y_top and y_bottom < top + CARD_H
    assert len(pieces) <= sheet.NAME_MAX_LINES
    assert min(p[5] for p in pieces) >= 6  # points, on the page: readable, not shrunk to a dot


def test_back_pages_are_mirrored_for_long_edge_duplex(ws, tmp_path):
    path, result = make_pdf(ws, tmp_path, back=True)
    assert result.pages == page_count(path) == 2
    record = svc.book_of(ws).records[result.serials[0]]
    shown = codes.display(record.code)
    pdf = pdfium.PdfDocument(path)
    centres = []
    for index in (0, 1):
        textpage = pdf[index].get_textpage()
        searcher = textpage.search(shown)
        first = searcher.get_next()
        assert first is not None, f"code not on page {index + 1}"
        left, _top, right, _bottom = textpage.get_charbox(first[0])
        centres.append(left / MM)
    pdf.close()
    assert centres[0] < 105 < centres[1]  # first card: left on the front, right on the back


def test_names_with_accents_are_printed_with_the_embedded_font():
    assert sheet.printable("Zoë Ñañez Çağlar Šimić O’Neil") == "Zoë Ñañez Çağlar Šimić O’Neil"
    assert sheet.printable("Nguyễn") == "Nguyên"  # a letter the font lacks loses only its accent
    assert "?" not in sheet.printable("Ṣaḥīḥ")


def test_every_text_uses_the_embedded_font(ws, tmp_path):
    path, _result = make_pdf(ws, tmp_path)
    pdf = pdfium.PdfDocument(path)
    fonts = set()
    for obj in pdf[0].get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_TEXT], max_depth=2):
        font = obj.get_font()
        assert font.is_embedded
        fonts.add(font.get_base_name().split("+")[-1])
    pdf.close()
    assert fonts == {"BitstreamVeraSans-Roman", "BitstreamVeraSans-Bold"}


def test_calibration_page(ws, tmp_path):
    pages = svc.calibration_pdf(ws, tmp_path / "cal.pdf", SheetOptions(offset_x_mm=2))
    assert pages == 1
    pdf = pdfium.PdfDocument(tmp_path / "cal.pdf")
    text = " ".join(pdf[0].get_textpage().get_text_range().split())
    pdf.close()
    assert "100 mm" in text and "21.4 mm and 13.5 mm" in text and "x +2.0 mm" in text


def test_cancel_writes_nothing_and_progress_is_reported(ws, tmp_path):
    scope = svc.Scope("kecamatan", ws.kecamatan_codes()[0])
    seen = []
    with pytest.raises(sheet.Cancelled):
        svc.generate_cards(
            ws, scope, tmp_path / "x.pdf", today=date(2024, 11, 1),
            progress=lambda done, total: seen.append((done, total)),
            cancelled=lambda: len(seen) >= 2,
        )
    assert not (tmp_path / "x.pdf").exists()
    assert seen[:2] == [(10, seen[0][1]), (20, seen[0][1])]
    assert svc.select_cards(ws, replace(scope, not_printed=True)).already_printed == 0


# ---- on disk -------------------------------------------------------------------------------


def test_card_files_are_private_tinydb_files_and_the_key_is_0600(ws, tmp_path):
    _path, result = make_pdf(ws, tmp_path)
    root = ws.root
    key = private_key_path(root)
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(root / "cards").st_mode) == 0o700
    files = [root / "cards.json", *sorted((root / "cards").glob("*.json"))]
    for file in files:
        assert stat.S_IMODE(os.stat(file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "cards.pdf").st_mode) == 0o600
    serials = set()
    for file in files[1:]:
        db = TinyDB(file)
        serials |= {doc["serial"] for doc in db.table("cards").all()}
        db.close()
    assert serials == set(result.serials)
    db = TinyDB(root / "cards.json")
    assert db.table("meta").get(doc_id=1)["next_serial"] == max(serials) + 1
    db.close()


def test_two_sessions_share_serials_and_revocations(ws, tmp_path):
    other_session = Workspace.open(ws.root)  # a second coordinator on the same folder
    tps = full_tps(ws)
    partly = partly_filled_tps(ws)
    _p, mine = make_pdf(ws, tmp_path, name="a.pdf")
    _p, theirs = make_pdf(other_session, tmp_path, svc.Scope("tps", partly.code), name="b.pdf")
    assert mine.cards == 7 and theirs.cards == partly.filled
    assert not set(mine.serials) & set(theirs.serials)
    # The other session revokes a card it never saw being issued.
    assignments.unassign(other_session, tps.code, 1)
    revoked = [s for s in mine.serials if svc.book_of(ws).records[s].seat == 1]
    assert svc.verify_code(qr_text_of(ws, revoked[0]), ws=ws, today=DURING_WORK).status is Status.REVOKED


def test_exported_public_file(ws, tmp_path):
    key_id = svc.export_public_key(ws, tmp_path / "public.json")
    doc = json.loads((tmp_path / "public.json").read_text())
    assert doc["key_id"] == key_id and doc["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    assert doc["election"]["voting_day"] == "2024-11-27" and doc["revoked"] == []
    assert "PRIVATE" not in (tmp_path / "public.json").read_text()
    # A bare PEM works too, and then says that revocations are unknown.
    (tmp_path / "key.pem").write_text(doc["public_key"])
    _p, result = make_pdf(ws, tmp_path)
    verdict = svc.verify_code(qr_text_of(ws, result.serials[0]), key=svc.read_public_key(tmp_path / "key.pem"), today=DURING_WORK)
    assert verdict.status is Status.VALID and "No revocation list" in verdict.message


def test_print_command_and_fetch_hint(ws, tmp_path, monkeypatch):
    import shlex
    import sys

    path, _result = make_pdf(ws, tmp_path)
    copy = tmp_path / "printed.pdf"
    script = "import shutil, sys; shutil.copy(sys.argv[1], %r); print('request id is lp-1')" % str(copy)
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}"
    svc.update_card_settings(ws, print_command=command)
    assert svc.print_command(ws)[0] == sys.executable
    assert svc.send_to_printer(ws, path) == "request id is lp-1"
    assert copy.read_bytes() == path.read_bytes()

    svc.update_card_settings(ws, print_command="no-such-printer-command")
    assert svc.print_command(ws) is None
    with pytest.raises(KppsError, match="not available"):
        svc.send_to_printer(ws, path)

    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.9 50000 10.0.0.1 22")
    assert svc.fetch_hint(path).startswith("scp ") and f"@10.0.0.1:{path.resolve()}" in svc.fetch_hint(path)


def test_preview_issues_the_seat_card_and_draws_its_code(ws):
    from kpps_tui.cards.preview import qr_size

    tps = full_tps(ws)
    face, lines = svc.preview_card(ws, tps.code, 2, today=date(2024, 11, 1))
    assert face.name == ws.people[tps.seats[2].nik].name and face.seat == 2
    assert (len(lines[0]), len(lines)) == qr_size(face.qr_text, quiet=2)
    assert svc.verify_code(face.qr_text, ws=ws, today=DURING_WORK).status is Status.VALID
    again, _lines = svc.preview_card(ws, tps.code, 2, today=date(2024, 11, 2))
    assert again.serial == face.serial  # the same card, not a new one per look
    empty = partly_filled_tps(ws)
    seat = next(n for n in range(1, 8) if n not in empty.seats)
    with pytest.raises(KppsError, match="empty"):
        svc.preview_card(ws, empty.code, seat)
    with pytest.raises(KppsError):
        svc.update_card_settings(ws, colour="red")


def test_a_card_whose_seat_changed_behind_the_services_back_is_not_accepted(ws, tmp_path):
    """Seats put back from a backup (or edited by another tool) move without revoking cards;
    checked in the workspace, such a card is still refused."""
    tps = full_tps(ws)
    _path, result = make_pdf(ws, tmp_path)
    by_seat = {svc.book_of(ws).records[s].seat: s for s in result.serials}
    text = qr_text_of(ws, by_seat[2])
    code = svc.book_of(ws).records[by_seat[2]].code
    with ws.locked():
        seats = dict(ws.tps[tps.code].seats)
        seats[2], seats[3] = seats[3], seats[2]
        ws.put_tps(replace(ws.tps[tps.code], seats=seats), "edit")  # no revocation written
    for asked in (text, code):
        verdict = svc.verify_code(asked, ws=ws, today=DURING_WORK)
        assert verdict.status is Status.REVOKED and "new officer" in verdict.message
    # A genuine card this workspace has no record of (its card files rolled back).
    for file in (ws.root / "cards").glob("*.json"):
        file.write_text('{"cards": {}}')
    verdict = svc.verify_code(text, ws=Workspace.open(ws.root), today=DURING_WORK)
    assert verdict.status is Status.REVOKED and "no record" in verdict.message
