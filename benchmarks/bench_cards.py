"""Benchmark: every officer card of the full Kotawaringin Barat sample (2,891) in one A4 PDF.

    python benchmarks/bench_cards.py [--runs 3] [--json PATH]

Prints, measured in the same run on the same cards:
  - the whole job as `kpps cards --all` does it on a fresh workspace: choose the seats,
    issue 2,891 serials (signing key made, card files written), sign every QR code, lay out
    290 pages and write the PDF;
  - the PDF (sign every code, lay out, write the file) our way: QR matrices from qrcode's
    tables with a fixed mask, one path per code, the sheets laid out in pieces on every core
    and joined (cards.sheet.render_pdf); median of --runs (target: under 2 s);
  - the same, our way on one core (workers=1), to show what the second core gives;
  - the plain path, once: qrcode with its defaults (best-fit version, the mask chosen by its
    penalty search), each code drawn as one reportlab path of its rows' dark runs, on one
    core; and the ratio plain / ours (target: at least 7x).
The figures are written as JSON to benchmarks/results/cards-<time>.json (or --json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qrcode  # noqa: E402
from common import machine, mark, source_state, write_results  # noqa: E402

from kpps_tui.cards.sheet import SheetOptions, default_workers, render_pdf  # noqa: E402
from kpps_tui.services import cards  # noqa: E402
from kpps_tui.services.setup import init_from_sample  # noqa: E402
from kpps_tui.store.outputs import write_output  # noqa: E402

TARGET_S = 2.0
TARGET_RATIO = 7.0
CARD_DAY = date(2024, 11, 10)  # inside the sample election's card period


def plain_qr(canvas, text: str, x: float, y: float, size: float) -> None:
    """The straightforward way: qrcode's defaults (mask search included), and the code as
    one path: a rectangle for each run of dark modules in a row."""
    qr = qrcode.QRCode()
    qr.add_data(text)
    qr.make(fit=True)
    modules = qr.get_matrix()  # with qrcode's default quiet zone of 4 modules
    unit = size / len(modules)
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(x + start * unit, y + size - (r + 1) * unit, (c - start) * unit, unit)
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the results here (default: benchmarks/results/cards-<time>.json)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ws = init_from_sample(tmp / "ws", "full")
        scope = cards.Scope("all")

        started = time.perf_counter()
        result = cards.generate_cards(ws, scope, tmp / "cards.pdf", SheetOptions(), today=CARD_DAY)
        whole = time.perf_counter() - started
        records = [cards.book_of(ws).records[s] for s in result.serials]

        def pdf(name: str, **kwargs) -> None:
            faces = cards.card_faces(ws, records)  # signs every code
            data, _pages = render_pdf(faces, SheetOptions(), **kwargs)
            write_output(tmp / name, data)

        # Ours on every core and on one, interleaved so that the machine's load weighs on both.
        ours, one_core = [], []
        for _ in range(args.runs):
            ours.append(_timed(lambda: pdf("ours.pdf")))
            one_core.append(_timed(lambda: pdf("one.pdf", workers=1)))
        plain = _timed(lambda: pdf("plain.pdf", qr_drawer=plain_qr))  # once: it is the slow one
        sizes = {name: (tmp / f"{name}.pdf").stat().st_size for name in ("ours", "one", "plain")}
    load_after = os.getloadavg()
    fast, single = statistics.median(ours), statistics.median(one_core)
    workers = default_workers(len(records))
    print(f"{result.cards} cards on {result.pages} pages (load average {load_before[0]:.2f} before, {load_after[0]:.2f} after)")
    print(f"whole job on a fresh workspace (select, issue, sign, lay out, write): {whole:.2f} s")
    print(f"PDF, ours on {workers} processes (median of {args.runs}): {fast:.2f} s  "
          f"(runs {', '.join(f'{t:.2f}' for t in ours)}; target < {TARGET_S:.0f} s: {mark(fast < TARGET_S)})")
    print(f"PDF, ours on one core (median of {args.runs}): {single:.2f} s  (runs {', '.join(f'{t:.2f}' for t in one_core)})")
    print(f"PDF, plain path (qrcode defaults with its mask search, one path per code, one core): {plain:.2f} s")
    print(f"ratio plain / ours: {plain / fast:.1f}x  (target >= {TARGET_RATIO:.0f}x: {mark(plain / fast >= TARGET_RATIO)})")
    print(f"PDF size: ours {sizes['ours'] / 1e6:.1f} MB, one core {sizes['one'] / 1e6:.1f} MB, plain {sizes['plain'] / 1e6:.1f} MB")
    figures = {
        "cards": result.cards,
        "pages": result.pages,
        "whole_job_s": round(whole, 3),
        "ours_s": [round(t, 3) for t in ours],
        "ours_median_s": round(fast, 3),
        "ours_processes": workers,
        "one_core_s": [round(t, 3) for t in one_core],
        "one_core_median_s": round(single, 3),
        "plain_s": round(plain, 3),
        "plain_over_ours": round(plain / fast, 1),
        "pdf_bytes": sizes,
    }
    out_data = {
        "machine": machine(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "source": source_state(),
        "figures": figures,
        "targets": {"ours_s": TARGET_S, "plain_over_ours": TARGET_RATIO},
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out_data, indent=2) + "\n")
        out = args.json
    else:
        out = write_results("cards", out_data)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
