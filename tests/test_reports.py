"""Declaration reports in CSV, XLSX and PDF, checked by reading them back."""

import csv

import pypdfium2
import pytest
from openpyxl import load_workbook

from kpps_tui.domain.declarations import DeclState
from kpps_tui.i18n import set_language
from kpps_tui.services import reports
from kpps_tui.services.declarations import officers
from kpps_tui.services.setup import init_from_sample


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    set_language("en")
    return init_from_sample(tmp_path_factory.mktemp("r") / "ws", "demo")


def test_csv_counts_per_kecamatan_add_up(ws, tmp_path):
    reports.export(ws, tmp_path / "d.csv", "kecamatan")
    with (tmp_path / "d.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["Code", "Kecamatan", "Officers"]
    body, total = rows[1:-1], rows[-1]
    assert len(body) == 6
    assert int(total[2]) == len(ws.placements) == sum(int(r[2]) for r in body)
    assert int(total[2]) == sum(int(v) for v in total[3:])


def test_xlsx_holds_counts_and_every_outstanding_officer(ws, tmp_path):
    reports.export(ws, tmp_path / "d.xlsx", "desa")
    book = load_workbook(tmp_path / "d.xlsx")
    assert book.sheetnames == ["Counts", "Outstanding"]
    outstanding = list(book["Outstanding"].iter_rows(min_row=2, values_only=True))
    expected = [o for o in officers(ws) if o.state is not DeclState.VERIFIED]
    assert len(outstanding) == len(expected) > 0
    assert {r[4] for r in outstanding} == {o.person.name for o in expected}
    assert all(r[6] != "Verified" for r in outstanding)


def test_pdf_renders_and_names_the_outstanding(ws, tmp_path):
    reports.export(ws, tmp_path / "d.pdf", "tps")
    pdf = pypdfium2.PdfDocument(str(tmp_path / "d.pdf"))
    assert len(pdf) > 1
    first = pdf[0].get_textpage().get_text_range()
    assert "Neutrality declarations" in first and "Kumai" in first
    image = pdf[0].render(scale=0.5).to_pil()
    assert image.size[0] > image.size[1]  # landscape
    everything = " ".join(" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf)))
    someone = next(o for o in officers(ws) if o.state is DeclState.REJECTED).person.name
    assert someone in everything
