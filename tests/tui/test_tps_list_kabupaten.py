"""A workspace of several kabupaten/kota (as a KPU Provinsi holds): the TPS list groups by
kab/kota first, with a Kab/Kota filter before the kecamatan and a Kab/Kota column.

The workspace is small (two kabupaten/kota, 120 TPS) and made once per module by the same
functions as the province generator (sample_data/generate.py).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from textual.widgets import Select

import kpps_tui.sample_data.generate as generator
from kpps_tui.i18n import _
from kpps_tui.services.browse import tps_rows
from kpps_tui.services.regions import kabupaten_name
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.screens.tps_detail import TpsScreen
from kpps_tui.tui.screens.tps_list import TpsTable

from .conftest import make_app, run

KABUPATEN = ("62.08", "62.71")  # Kab. Sukamara, Kota Palangkaraya
TPS_EACH = 60


def make_workspace(target: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    csv = generator.HERE / "wilayah_kalteng.csv"
    regions = [r for kab in KABUPATEN for r in generator.read_regions(csv, kab)]
    per_kecamatan: dict[str, int] = {}
    for kab in KABUPATEN:
        desa = [r for r in regions if r.code.count(".") == 3 and r.code.startswith(kab + ".")]
        for desa_code, n in generator.spread_tps(desa, TPS_EACH).items():
            kec = desa_code.rsplit(".", 1)[0]
            per_kecamatan[kec] = per_kecamatan.get(kec, 0) + n
    election = generator.PROVINCE_ELECTION
    tps = generator.build_tps(rng, regions, per_kecamatan, 2 * TPS_EACH * 400)
    people = generator.build_people(rng, tps, regions, per_kecamatan, election.voting_day)
    seated = generator.fill_seats(
        rng, tps, people, generator.demo_targets(rng, tps), election.voting_day, election.min_age
    )
    people = generator.declare(random.Random(seed + 2), people, generator.seated_niks(seated), all_verified=False)
    Workspace.create(target, election, regions, seated, people)
    (target / ".lock").unlink(missing_ok=True)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("two-kabupaten") / "ws"
    make_workspace(path)
    return path


@pytest.fixture
def two(made: Path, tmp_path: Path) -> Workspace:
    """A fresh copy per test: a test may open it with the app."""
    path = tmp_path / "ws"
    shutil.copytree(made, path)
    return Workspace.open(path)


def table(app) -> TpsTable:
    return app.screen.query_one(TpsTable)


def cells(app) -> list[list[str]]:
    t = table(app)
    return [[cell.plain for cell in t.get_row_at(i)] for i in range(t.row_count)]


def test_rows_know_their_kabupaten(two):
    rows = tps_rows(two)
    assert {r.kabupaten_code for r in rows} == set(KABUPATEN)
    assert {r.kabupaten for r in rows} == {"Sukamara", "Kota Palangkaraya"}
    assert [r.kabupaten_code for r in rows] == sorted(r.kabupaten_code for r in rows)  # grouped, in code order
    assert sum(r.kabupaten_code == "62.08" for r in rows) == TPS_EACH


async def test_a_kab_kota_column_and_filter_before_the_kecamatan(two):
    app = make_app(two)
    async with run(app) as pilot:
        await pilot.pause()
        labels = table(app).column_labels()
        # At 80 columns: TPS, desa, kecamatan, Kab/Kota, seats, status (and declarations).
        assert labels[:6] == [_("TPS") + " ▲", _("Desa/Kelurahan"), _("Kecamatan"), _("Kab/Kota"), _("Seats"), _("Status")]
        rows = cells(app)
        assert len(rows) == 2 * TPS_EACH
        assert rows[0][3] == "Sukamara" and rows[-1][3] == "Kota Palangkaraya"
        lines = [table(app).render_line(y).text for y in range(3)]
        assert _("Kab/Kota") in lines[0] and "Sukamara" in lines[1]

        filters = [w.id for w in app.screen.query("#filters > *")]
        assert filters[:3] == ["kabupaten", "kecamatan", "desa"]
        kab = app.screen.query_one("#kabupaten", Select)
        offered = [(label, value) for label, value in kab._options if value != Select.NULL]
        assert offered == [("Sukamara", "62.08"), ("Kota Palangkaraya", "62.71")]

        # Choose the kota by keyboard: only its TPS, its kecamatan and its desa are offered.
        kab.focus()
        await pilot.press("enter", *"kota", "enter")
        await pilot.pause()
        assert kab.value == "62.71"
        rows = cells(app)
        assert len(rows) == TPS_EACH and {r[3] for r in rows} == {"Kota Palangkaraya"}
        kecamatan = app.screen.query_one("#kecamatan", Select)
        kec_codes = [v for _l, v in kecamatan._options if v != Select.NULL]
        assert kec_codes and all(c.startswith("62.71.") for c in kec_codes)
        desa = app.screen.query_one("#desa", Select)
        assert all(v.startswith("62.71.") for _l, v in desa._options if v != Select.NULL)

        # Then a kecamatan of it.
        kecamatan.value = kec_codes[0]
        await pilot.pause()
        rows = cells(app)
        assert rows and {r[2] for r in rows} == {two.region_name(kec_codes[0])}

        # c clears every filter, the kab/kota too.
        table(app).focus()
        await pilot.press("c")
        await pilot.pause()
        assert kab.value == Select.NULL and len(cells(app)) == 2 * TPS_EACH
        assert len([v for _l, v in kecamatan._options if v != Select.NULL]) == len(two.kecamatan_codes())


async def test_enter_opens_a_tps_of_the_second_kabupaten_and_esc_comes_back_to_it(two):
    rows = tps_rows(two)
    index = next(i for i, r in enumerate(rows) if r.kabupaten_code == "62.71") + 3
    app = make_app(two)
    async with run(app) as pilot:
        table(app).move_cursor(index)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen) and app.screen.code == rows[index].code
        await pilot.press("escape")
        await pilot.pause()
        assert table(app).cursor_key() == rows[index].code


def test_the_short_names_of_kabupaten_and_kota(two):
    assert kabupaten_name(two, "62.08") == "Sukamara"
    assert kabupaten_name(two, "62.71") == "Kota Palangkaraya"
