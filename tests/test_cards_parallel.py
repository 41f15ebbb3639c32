"""A large print job is laid out in pieces on every core and joined: the joined PDF holds the
same pages, sheet numbers and readable QR codes as the one laid out in one process (the speed
is measured by benchmarks/bench_cards.py, never here)."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium
import pytest
import zxingcpp

from kpps_tui import i18n
from kpps_tui.cards import sheet
from kpps_tui.cards.sheet import CardFace, SheetOptions, render_pdf, render_pdf_parallel


def faces(count: int) -> list[CardFace]:
    return [
        CardFace(
            serial=n,
            code=f"7KQ-2MX-{n:03d}",
            qr_text=f"KPPS:TEST CARD {n:04d} $%*+-./ 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            kpu_name="KPU Kabupaten Contoh",
            election="Pemilihan Contoh 2024",
            seat=n % 7 + 1,
            name=f"Nama Petugas Nomor {n}",
            tps_code=f"62.01.01.2001-{n // 7 + 1:03d}",
            tps_number=n // 7 + 1,
            desa="Desa Contoh",
            kecamatan="Kecamatan Contoh",
            valid_from=date(2024, 11, 7),
            valid_until=date(2024, 12, 8),
        )
        for n in range(1, count + 1)
    ]


def pages_of(data: bytes) -> list[tuple[list[str], str]]:
    """Per page: the QR texts a real decoder reads, and the page's text."""
    pdf = pdfium.PdfDocument(data)
    try:
        out = []
        for page in pdf:
            image = page.render(scale=110 / 72, grayscale=True).to_pil()
            codes = sorted(b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode) if b.valid)
            out.append((codes, page.get_textpage().get_text_range()))
        return out
    finally:
        pdf.close()


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(sheet, "PIECE_SHEETS", 1)  # a piece per sheet: several even for a few cards


@pytest.mark.parametrize("options", [SheetOptions(), SheetOptions(back=True, calibration=True)], ids=["front", "back+calibration"])
def test_pieces_laid_out_in_two_processes_join_into_the_same_pages(small_pieces, options):
    cards = faces(35)  # four sheets, the last one half full
    alone, alone_pages = render_pdf(cards, options, workers=1)
    joined, joined_pages = render_pdf_parallel(cards, options, workers=2)
    assert joined_pages == alone_pages == len(pages_of(alone))
    seen_alone, seen_joined = pages_of(alone), pages_of(joined)
    assert [codes for codes, _text in seen_joined] == [codes for codes, _text in seen_alone]
    assert sorted(c for codes, _t in seen_joined for c in codes) == sorted(f.qr_text for f in cards)
    fronts = [text for _codes, text in seen_joined if "front" in text]
    assert [f"Sheet {n} of 4" in text for n, text in enumerate(fronts, 1)] == [True] * 4
    assert ("calibration" in seen_joined[0][1].lower()) is options.calibration


def document_info(data: bytes) -> dict[str, str]:
    """The document's title, creator and dates, as a PDF reader shows them."""
    pdf = pdfium.PdfDocument(data)
    try:
        return pdf.get_metadata_dict()
    finally:
        pdf.close()


@pytest.mark.parametrize(("language", "title"), [("id", "Kartu identitas anggota KPPS"), ("en", "KPPS officer ID cards")])
def test_the_joined_pdf_keeps_the_title_and_creator_of_one_laid_out_alone(small_pieces, language, title):
    i18n.set_language(language)  # the suite's own fixture sets English again afterwards
    cards = faces(25)  # three pieces
    alone, _pages = render_pdf(cards, SheetOptions(), workers=1)
    joined, _pages = render_pdf_parallel(cards, SheetOptions(), workers=2)
    info_alone, info_joined = document_info(alone), document_info(joined)
    assert info_joined["Title"] == info_alone["Title"] == title
    assert info_joined["Creator"] == info_alone["Creator"] == "kpps-tui"
    assert info_joined["CreationDate"] == info_alone["CreationDate"]  # not the moment of joining


def test_progress_follows_the_pieces_and_cancel_stops_the_job(small_pieces):
    cards = faces(30)
    seen: list[tuple[int, int]] = []
    render_pdf_parallel(cards, SheetOptions(), 2, progress=lambda done, total: seen.append((done, total)))
    assert sorted(seen) == seen and seen[-1] == (30, 30) and all(total == 30 for _d, total in seen)
    with pytest.raises(sheet.Cancelled):
        render_pdf_parallel(cards, SheetOptions(), 2, cancelled=lambda: True)


def test_only_a_large_job_uses_more_than_one_process():
    assert sheet.default_workers(sheet.PARALLEL_FROM - 1) == 1
    assert sheet.default_workers(sheet.PARALLEL_FROM) >= 1


def test_without_worker_processes_the_pieces_are_laid_out_here(small_pieces, monkeypatch):
    def no_pool(size):
        raise OSError("no processes here")

    monkeypatch.setattr(sheet, "_worker_pool", no_pool)
    data, pages = render_pdf_parallel(faces(15), SheetOptions(), 2)
    assert pages == 2 and [len(codes) for codes, _text in pages_of(data)] == [10, 5]
