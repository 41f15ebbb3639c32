"""The office's documents, opened with their real readers (pypdfium2, python-docx, openpyxl):
every officer of the scope with the right jabatan, masked or full NIKs where each belongs, page
numbers, headers repeated over pages, and honorarium totals equal to the seats times the rates
minus the tax of each officer's status."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest

from kpps_tui import i18n
from kpps_tui.domain.applicants import Stage
from kpps_tui.domain.nik import mask_nik
from kpps_tui.errors import KppsError
from kpps_tui.domain.tax import TaxRates, TaxStatus, parse_tax_status, pph21
from kpps_tui.services import applicants, documents, settings
from kpps_tui.services.documents import DocKind, DocumentRefused, Scope
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store import audit
from kpps_tui.store.workspace import Workspace

DAY = date(2024, 11, 7)
LONG_NAME = "Raden Roro " + " ".join(["Kusumawardhani Hadiningrat Sastrodiningrat"] * 3) + " Binti Suryokusumo"
STATUSES = ["npwp", "pns-III", "pns-IV", "pns-I", "non-npwp"]  # given in turn; the rest keep none


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Workspace:
    """The full sample (every seat filled), one desa's officers with tax statuses in turn, one
    with a very long name, and the document settings filled in."""
    i18n.set_language("en")
    root = tmp_path_factory.mktemp("docs") / "ws"
    init_from_sample(root, "full")
    ws = Workspace.open(root)
    desa = _desa(ws)
    officers = _officers(ws, Scope("desa", desa))
    for i, (_tps, _seat, person) in enumerate(officers[: len(STATUSES) * 3]):
        applicants.update_applicant(ws, person.nik, {"tax": STATUSES[i % len(STATUSES)]})
    applicants.update_applicant(ws, officers[1][2].nik, {"name": LONG_NAME})
    for key, value in (
        ("sk_number", "123/PP.04.1-Kpt/6201/2024"), ("sk_date", "06/11/2024"), ("sign_place", "Pangkalan Bun"),
        ("signatory_name", "Budi Santoso"), ("letterhead_address", "Jl. Sutan Syahrir No. 8, Pangkalan Bun"),
        ("stage.tanggapan_masyarakat", "01/10/2024..06/10/2024"),
    ):
        settings.set_election_setting(ws, key, value)
    return ws


def _desa(ws: Workspace) -> str:
    """The desa with the most TPS: its tables run over several pages."""
    return max(ws.desa_codes(), key=lambda d: sum(t.desa_code == d for t in ws.tps.values()))


def _officers(ws: Workspace, scope: Scope):
    return [
        (tps, seat, ws.people[held.nik])
        for tps in sorted(ws.tps.values(), key=lambda t: t.code)
        if scope.covers(tps.code)
        for seat, held in sorted(tps.seats.items())
    ]


def _write(ws: Workspace, kind: DocKind, scope: Scope, path: Path) -> documents.Prepared:
    prepared = documents.prepare(ws, kind, scope, DAY)
    documents.write(ws, prepared, path)
    return prepared


def _pdf_pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(path)
    try:
        return [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    finally:
        pdf.close()


def _flat(text: str) -> str:
    return " ".join(text.split())


# ---- tax rules -----------------------------------------------------------------------------


def test_pph21_follows_the_rates_of_kpps_md():
    rates = TaxRates(Decimal("2.5"), Decimal("3"), {"I": Decimal(0), "II": Decimal(0), "III": Decimal(5), "IV": Decimal(15)})
    assert pph21(900_000, rates.percent(TaxStatus(npwp=False))) == 27_000
    assert pph21(850_000, rates.percent(None)) == 25_500  # not recorded: the higher rate
    assert pph21(850_000, rates.percent(TaxStatus(npwp=True))) == 21_250
    assert pph21(900_000, rates.percent(TaxStatus(True, "III"))) == 45_000
    assert pph21(850_000, rates.percent(TaxStatus(True, "IV"))) == 127_500
    assert pph21(850_000, rates.percent(TaxStatus(True, "II"))) == 0


@pytest.mark.parametrize(
    "text, status",
    [("NPWP", TaxStatus(True)), ("tanpa npwp", TaxStatus(False)), ("PNS III/a", TaxStatus(True, "III")),
     ("gol. IV", TaxStatus(True, "IV")), ("pns-2", TaxStatus(True, "II")), ("01.234.567.8-912.000", TaxStatus(True)), ("", None)],
)
def test_a_tax_status_is_read_as_offices_write_it(text, status):
    assert parse_tax_status(text) == status


def test_a_rate_is_a_setting(tmp_path):
    ws = init_from_sample(tmp_path / "ws", "demo")
    settings.set_election_setting(ws, "pph21_no_npwp", "3,5%")
    settings.set_election_setting(ws, "honorarium_anggota", "Rp875.000")
    again = Workspace.open(ws.root)
    assert again.election.papers.pph21_no_npwp == Decimal("3.5")
    assert again.election.papers.honorarium_anggota == 875_000
    with pytest.raises(Exception, match="percent"):
        settings.set_election_setting(ws, "pph21_npwp", "150")


def test_the_tax_status_is_editable_importable_and_exported(tmp_path, kpps):
    root = tmp_path / "ws"
    ws = init_from_sample(root, "demo")
    nik = sorted(ws.people)[0]
    assert kpps("--data", root, "applicant", "edit", nik, "--set", "tax=pns-III")[0] == 0
    code, out, _err = kpps("--data", root, "applicant", "show", nik)
    assert "Tax status: PNS golongan III" in out
    other = ws.people[sorted(ws.people)[1]]
    listing = tmp_path / "tax.csv"
    listing.write_text(f"NIK;Nama;Kode desa;Status pajak\n{other.nik};{other.name};{other.desa_code};NPWP\n", encoding="utf-8")
    assert kpps("--data", root, "import", "applicants", listing)[0] == 0
    assert Workspace.open(root).people[other.nik].tax == TaxStatus(True)
    exported = tmp_path / "all.csv"
    assert kpps("--data", root, "export", "applicants", "-o", exported)[0] == 0
    header, *rows = exported.read_text(encoding="utf-8-sig").splitlines()
    column = header.split(",").index("Tax status (PPh 21)")
    assert any(r.startswith(nik) and r.split(",")[column] == "pns-III" for r in rows)


# ---- the five documents ----------------------------------------------------------------------


def test_sk_in_pdf_docx_and_xlsx_lists_every_officer_with_the_jabatan(ws, tmp_path):
    scope = Scope("desa", _desa(ws))
    officers = _officers(ws, scope)
    assert len({t.code for t, _s, _p in officers}) >= 5
    pdf = tmp_path / "sk.pdf"
    _write(ws, DocKind.SK, scope, pdf)
    pages = _pdf_pages(pdf)
    text = " ".join(pages)
    assert len(pages) >= 2
    for tps, _seat, person in officers:
        assert _flat(person.name) in text, person.name  # the long name wraps, whole
    assert text.count("Ketua KPPS") == sum(seat == 1 for _t, seat, _p in officers)
    assert text.count("Anggota KPPS") == sum(seat != 1 for _t, seat, _p in officers)
    assert "123/PP.04.1-KPT/6201/2024" in text and "6 NOVEMBER 2024" in text  # the title is in capitals
    assert "Budi Santoso" in pages[-1] and "Pangkalan Bun, 6 November 2024" in pages[-1]
    for n, page in enumerate(pages, 1):
        assert page.startswith("KOMISI PEMILIHAN UMUM") or "No. Name L/P Position" in page  # header on every page
        assert page.endswith(f"Page {n} of {len(pages)}")
    assert not any(p.nik in text for _t, _s, p in officers)  # no NIK in the SK

    word = tmp_path / "sk.docx"
    _write(ws, DocKind.SK, scope, word)
    table = docx.Document(word).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["No.", "Name", "L/P", "Position", "Desa/Kelurahan"]
    assert "w:tblHeader" in table.rows[0]._tr.xml
    listed = {(r[1], r[3]) for r in rows[1:] if r[0].isdigit()}
    assert listed == {(p.name, "Ketua KPPS" if s == 1 else "Anggota KPPS") for _t, s, p in officers}
    footer = docx.Document(word).sections[0].footer._element.xml
    assert "PAGE" in footer and "SECTIONPAGES" in footer

    book = tmp_path / "sk.xlsx"
    _write(ws, DocKind.SK, scope, book)
    sheet = openpyxl.load_workbook(book).active
    cells = [r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert {(r[1], r[3]) for r in cells} == listed
    assert sheet.print_title_rows and sheet.oddFooter.center.text == "Page &P of &N"


def test_pengumuman_penetapan_masks_every_nik(ws, tmp_path):
    scope = Scope("kecamatan", _desa(ws)[:8])
    pdf = tmp_path / "penetapan.pdf"
    prepared = _write(ws, DocKind.PENETAPAN, scope, pdf)
    text = " ".join(_pdf_pages(pdf))
    officers = _officers(ws, scope)
    assert prepared.listed == len(officers)
    for _tps, _seat, person in officers:
        assert _flat(person.name) in text
        assert mask_nik(person.nik) in text and person.nik not in text
    assert text.count("Ketua KPPS") == sum(s == 1 for _t, s, _p in officers)


def test_pengumuman_penelitian_lists_ms_and_tms_with_the_reason_and_the_period(ws, tmp_path):
    desa = _desa(ws)
    pdf = tmp_path / "penelitian.pdf"
    prepared = _write(ws, DocKind.PENELITIAN, Scope("desa", desa), pdf)
    text = " ".join(_pdf_pages(pdf))
    people = [p for p in ws.people.values() if p.desa_code == desa]
    tms = [p for p in people if p.standing.stage is Stage.NOT_ELIGIBLE]
    assert tms and prepared.listed == len(people)
    for person in people:
        assert _flat(person.name) in text and person.nik not in text
    for person in tms:
        assert _flat(person.standing.reasons[0].message)[:40] in text
    assert text.count(" TMS ") >= len(tms)
    assert "from 1 October 2024 to 6 October 2024" in text  # the stage of the schedule


def test_daftar_hadir_has_every_member_and_a_numbered_place_to_sign(ws, tmp_path):
    scope = Scope("desa", _desa(ws))
    pdf = tmp_path / "hadir.pdf"
    _write(ws, DocKind.DAFTAR_HADIR, scope, pdf)
    pages = _pdf_pages(pdf)
    text = " ".join(pages)
    officers = _officers(ws, scope)
    for _tps, _seat, person in officers:
        assert _flat(person.name) in text
    assert f"{len(officers)}." in text
    assert len(pages) >= 2 and all("No. Name TPS Position Signature" in page for page in pages[:-1])  # the header repeats


def _expected_pay(ws: Workspace, officers) -> tuple[int, int]:
    rates = {None: Decimal(3), "npwp": Decimal("2.5"), "non-npwp": Decimal(3), "pns-I": Decimal(0), "pns-III": Decimal(5), "pns-IV": Decimal(15)}
    gross = tax = 0
    for _tps, seat, person in officers:
        pay = 900_000 if seat == 1 else 850_000
        gross += pay
        tax += int((pay * rates[person.tax.code if person.tax else None] / 100).to_integral_value())
    return gross, tax


def test_honorarium_xlsx_has_number_cells_and_formulas_whose_totals_match_the_rates(ws, tmp_path):
    scope = Scope("kecamatan", _desa(ws)[:8])
    book = tmp_path / "honor.xlsx"
    _write(ws, DocKind.HONORARIUM, scope, book)
    sheet = openpyxl.load_workbook(book).active
    header_row = next(r for r in sheet.iter_rows() if r[0].value == "No.")
    headers = [c.value for c in header_row]
    gross_col, tax_col, net_col = (headers.index(h) + 1 for h in ("Gross (Rp)", "PPh 21 (Rp)", "Net (Rp)"))
    officers = _officers(ws, scope)
    data = [r for r in sheet.iter_rows(min_row=header_row[0].row + 1) if isinstance(r[0].value, int)]
    assert len(data) == len(officers)
    by_nik = {p.nik: (s, p) for _t, s, p in officers}
    for row in data:
        seat, person = by_nik[row[2].value]  # the full NIK: an internal paper
        assert row[1].value == person.name and row[3].value == ("Ketua KPPS" if seat == 1 else "Anggota KPPS")
        assert isinstance(row[gross_col - 1].value, int) and isinstance(row[tax_col - 1].value, int)
        assert row[net_col - 1].value.startswith("=")
    values = _Evaluator(sheet)
    totals = {r[0].value: r for r in sheet.iter_rows() if isinstance(r[0].value, str) and r[0].value.startswith("Total")}
    kec_total = totals[f"Total Kecamatan {ws.region_name(scope.code)}"]
    gross, tax = _expected_pay(ws, officers)
    assert values.of(kec_total[gross_col - 1]) == gross
    assert values.of(kec_total[tax_col - 1]) == tax
    assert values.of(kec_total[net_col - 1]) == gross - tax
    for desa in {t.desa_code for t, _s, _p in officers}:
        row = next(r for label, r in totals.items() if label.endswith(ws.region_name(desa)) and "Kecamatan" not in label)
        expected = _expected_pay(ws, [o for o in officers if o[0].desa_code == desa])
        assert (values.of(row[gross_col - 1]), values.of(row[tax_col - 1])) == expected


def test_honorarium_pdf_shows_the_totals_and_the_export_is_audited(ws, tmp_path):
    scope = Scope("desa", _desa(ws))
    before = len(list(audit.read(ws.root)))
    pdf = tmp_path / "honor.pdf"
    _write(ws, DocKind.HONORARIUM, scope, pdf)
    pages = _pdf_pages(pdf)
    text = " ".join(pages)
    officers = _officers(ws, scope)
    gross, tax = _expected_pay(ws, officers)
    assert f"{gross:,} {tax:,} {gross - tax:,}" in text  # the desa's total row
    for _tps, _seat, person in officers:
        assert person.nik in text
    entries = list(audit.read(ws.root))[before:]
    assert [(e.action, e.after["document"], e.after["people"]) for e in entries] == [("export_full_nik", "honorarium", len(officers))]
    _write(ws, DocKind.PENETAPAN, scope, tmp_path / "public.pdf")
    assert len(list(audit.read(ws.root))) == before + 1  # a masked document is not logged


def test_a_pdf_page_is_drawn(ws, tmp_path):
    pdf = tmp_path / "sk.pdf"
    _write(ws, DocKind.SK, Scope("tps", sorted(ws.tps)[0]), pdf)
    image = pdfium.PdfDocument(pdf)[0].render(scale=0.5).to_pil().convert("L")
    dark = sum(image.histogram()[:128])
    assert 0.005 < dark / (image.width * image.height) < 0.3  # ink on the page, not a black page


# ---- from the shell ----------------------------------------------------------------------------


def test_the_command_names_empty_seats_before_writing(tmp_path, kpps):
    root = tmp_path / "ws"
    ws = init_from_sample(root, "demo")
    tps = next(t for t in sorted(ws.tps.values(), key=lambda t: t.code) if 0 < t.filled < 7)
    out_file = tmp_path / "sk.pdf"
    code, out, err = kpps("--data", root, "export", "sk", "--tps", tps.code, "-o", out_file)
    assert code == 0, err
    empty = [n for n in range(1, 8) if n not in tps.seats]
    lines = out.splitlines()
    wrote = next(i for i, line in enumerate(lines) if line.startswith("Wrote"))
    for seat in empty:
        assert any(f"seat {seat} " in line and "is empty" in line for line in lines[:wrote])
    assert out_file.exists()


def test_the_command_refuses_a_file_inside_the_workspace_or_of_the_wrong_kind(tmp_path, kpps):
    root = tmp_path / "ws"
    init_from_sample(root, "demo")
    code, _out, err = kpps("--data", root, "export", "honorarium", "--all", "-o", root / "honor.xlsx")
    assert code == 1 and "inside the workspace" in err
    assert not (root / "honor.xlsx").exists()
    code, _out, err = kpps("--data", root, "export", "pengumuman-penetapan", "--all", "-o", tmp_path / "x.docx")
    assert code == 1 and ".pdf" in err
    code, _out, err = kpps("--data", root, "export", "sk", "--desa", "Nowhere", "-o", tmp_path / "x.pdf")
    assert code == 1 and "Nowhere" in err
    assert kpps("--data", root, "export", "sk", "-o", tmp_path / "x.pdf")[0] == 2  # no scope


def test_the_log_names_the_export_and_the_settings_changed(tmp_path, kpps):
    root = tmp_path / "ws"
    init_from_sample(root, "demo")
    assert kpps("--data", root, "settings", "set", "sk_number", "12/2024")[0] == 0
    assert kpps("--data", root, "export", "honorarium", "--kecamatan", "62.01.01", "-o", tmp_path / "h.xlsx")[0] == 0
    code, out, err = kpps("--data", root, "log")
    assert code == 0, err
    assert "Full NIKs exported" in out and "h.xlsx" in out
    assert "sk_number:  -> 12/2024" in out


def test_a_document_in_indonesian(ws, tmp_path):
    i18n.set_language("id")
    try:
        pdf = tmp_path / "honor.pdf"
        _write(ws, DocKind.HONORARIUM, Scope("tps", sorted(ws.tps)[0]), pdf)
        text = " ".join(_pdf_pages(pdf))
        assert "DAFTAR PENERIMAAN HONORARIUM" in text and "Halaman 1 dari " in text
        assert "Tanda tangan" in text and "900.000" in text
    finally:
        i18n.set_language("en")


def test_a_scope_by_name_and_refusals(ws):
    desa = _desa(ws)
    assert documents.resolve_scope(ws, desa=ws.region_name(desa)) == Scope("desa", desa)
    with pytest.raises(KppsError, match="62.01.01.9999-001"):
        documents.resolve_scope(ws, tps="62.01.01.9999-001")
    with pytest.raises(DocumentRefused):
        documents.resolve_scope(ws, desa=desa, everything=True)


class _Evaluator:
    """Just enough of a spreadsheet to check the formulas we write: numbers, A1 references,
    + and -, and SUM over ranges."""

    REF = re.compile(r"([A-Z]+)(\d+)")

    def __init__(self, sheet) -> None:
        self.sheet = sheet

    def of(self, cell) -> int:
        value = cell.value
        if isinstance(value, int):
            return value
        assert isinstance(value, str) and value.startswith("="), value
        return self._expr(value[1:])

    def _expr(self, text: str) -> int:
        total, sign = 0, 1
        for token in re.findall(r"SUM\([^)]*\)|[A-Z]+\d+|[+-]", text):
            if token in "+-":
                sign = 1 if token == "+" else -1
            elif token.startswith("SUM("):
                total += sign * sum(self._range(part) for part in token[4:-1].split(","))
            else:
                total += sign * self.of(self.sheet[token])
        return total

    def _range(self, text: str) -> int:
        first, last = text.split(":")
        return sum(self.of(row[0]) for row in self.sheet[first:last] if row[0].value is not None)
