"""Benchmark: every officer card of the full Kotawaringin Barat sample (2,891) in one A4 PDF.

    python benchmarks/bench_cards.py

Prints, measured in the same run on the same cards:
  - the whole job as `kpps cards --all` does it on a fresh workspace: choose the seats,
    issue 2,891 serials (signing key made, card files written), sign every QR code, lay out
    290 pages and write the PDF (target: under 5 s on the 2-core machine);
  - the PDF part (sign + lay out + write) with our QR drawing: run-merged modules, one path
    per code, the matrix built from qrcode's tables without its mask search;
  - the same PDF part on the plain path: qrcode with its default settings (best-fit version,
    mask chosen by qrcode's penalty search), one PDF rectangle per dark module;
  - their ratio (target: at least 4x).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qrcode  # noqa: E402

from kpps_tui.cards.sheet import SheetOptions, render_pdf  # noqa: E402
from kpps_tui.services import cards  # noqa: E402
from kpps_tui.services.setup import init_from_sample  # noqa: E402

RUNS = 3


def plain_qr(canvas, text: str, x: float, y: float, size: float) -> None:
    """The straightforward way: qrcode's defaults, one rectangle per dark module."""
    qr = qrcode.QRCode()
    qr.add_data(text)
    qr.make(fit=True)
    modules = qr.get_matrix()  # with qrcode's default quiet zone of 4 modules
    unit = size / len(modules)
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + c * unit, y + size - (r + 1) * unit, unit, unit, stroke=0, fill=1)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ws = init_from_sample(tmp / "ws", "full")
        scope = cards.Scope("all")

        started = time.perf_counter()
        result = cards.generate_cards(ws, scope, tmp / "cards.pdf", SheetOptions())
        whole = time.perf_counter() - started
        print(f"cards: {result.cards}, pages: {result.pages}, PDF size: {(tmp / 'cards.pdf').stat().st_size / 1e6:.1f} MB")
        print(f"whole job, fresh workspace (select, issue, sign, lay out, write): {whole:.2f} s  (target < 5 s)")

        records = [cards.book_of(ws).records[s] for s in result.serials]

        def ours() -> None:
            faces = cards.card_faces(ws, records)
            cards.write_pdf(tmp / "ours.pdf", faces, SheetOptions())

        def plain() -> None:
            faces = cards.card_faces(ws, records)
            data, _pages = render_pdf(faces, SheetOptions(), qr_drawer=plain_qr)
            (tmp / "plain.pdf").write_bytes(data)

        ours_times, plain_times = [], []
        for _ in range(RUNS):
            ours_times.append(_timed(ours))
        plain_times.append(_timed(plain))  # one run: it is the slow one
        fast, slow = statistics.median(ours_times), statistics.median(plain_times)
        print(f"PDF of the issued cards, our QR path (median of {RUNS}): {fast:.2f} s")
        print(f"PDF of the issued cards, plain path (qrcode defaults, one rect per module): {slow:.2f} s")
        print(f"ratio plain / ours: {slow / fast:.1f}x  (target >= 4x)")
        print(
            f"PDF size: ours {(tmp / 'ours.pdf').stat().st_size / 1e6:.1f} MB, "
            f"plain {(tmp / 'plain.pdf').stat().st_size / 1e6:.1f} MB"
        )


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
