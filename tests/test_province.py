"""The province workspace: all of Kalimantan Tengah, made by the same deterministic generator."""

from collections import Counter

import pytest

import kpps_tui.sample_data.generate as generator
from kpps_tui.cli import main
from kpps_tui.services.browse import candidates, summarize, tps_rows
from kpps_tui.services.integrity import check_workspace
from kpps_tui.store.workspace import Workspace


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """Made as a coordinator makes it: `kpps init --generate province`."""
    path = tmp_path_factory.mktemp("prov") / "kalteng"
    assert main(["--lang", "en", "--data", str(path), "init", "--generate", "province"]) == 0
    return Workspace.open(path)


def test_province_has_every_region_and_exactly_4446_tps(province):
    kabupaten = {c for c in province.regions if c.count(".") == 1}
    assert len(kabupaten) == 14
    assert len(province.kecamatan_codes()) == 136
    # Every desa/kelurahan code in the Kemendagri list (the list has 1,571 codes).
    assert len(province.desa_codes()) == 1_571
    assert {t.desa_code for t in province.tps.values()} == set(province.desa_codes())
    assert len(province.tps) == 4_446
    summary = summarize(tps_rows(province))
    assert summary.seats_total == 31_122
    assert 0 < summary.seats_filled < summary.seats_total and summary.tps_empty > 0


def test_kotawaringin_barat_keeps_its_real_tps_counts(province):
    per_kec = Counter(t.kecamatan_code for t in province.tps.values())
    assert per_kec["62.01.02"] == 167 and per_kec["62.01.04"] == 18


def test_about_fifty_thousand_applicants_and_a_sound_workspace(province):
    assert 45_000 <= len(province.people) <= 55_000
    assert sum(t.voters for t in province.tps.values()) == generator.PROVINCE_DPT
    assert check_workspace(province) == []


def test_candidates_come_from_the_tps_kecamatan(province):
    tps = next(iter(province.tps.values()))
    found = candidates(province, tps)
    assert found and all(c.person.kecamatan_code == tps.kecamatan_code for c in found)


async def test_the_terminal_interface_opens_it_with_every_tps(province):
    from kpps_tui.tui.app import KppsApp
    from kpps_tui.tui.screens.tps_list import TpsListScreen

    app = KppsApp(province, start="tps")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)
        assert "4,446" in " ".join(str(w.render()) for w in app.screen.query("Static"))


@pytest.mark.parametrize("level", ["kabupaten", "kecamatan"])
def test_the_ringkasan_of_the_province_equals_a_count_made_from_its_files(province, capsys, level):
    import json

    from status_support import count_from_files, without_names

    assert main(["--lang", "en", "--data", str(province.root), "status", "--json", "--by", level, "--today", "2024-10-24"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["rows"]) == {"kabupaten": 14, "kecamatan": 136}[level]
    assert without_names(report["rows"]) == count_from_files(province.root, level, "2024-10-24")
    assert report["total"]["tps"] == 4_446 and report["total"]["seats"] == 31_122


async def test_the_ringkasan_opens_on_the_province_at_its_kabupaten(province):
    from datetime import date

    from kpps_tui.services.status import Level
    from kpps_tui.tui.app import KppsApp
    from kpps_tui.tui.screens.dashboard import DashboardScreen, StatusTable

    app = KppsApp(province, today=lambda: date(2024, 10, 24))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and app.screen.level is Level.KABUPATEN
        table = app.screen.query_one(StatusTable)
        assert table.row_count == 14
        await pilot.press("enter")
        assert app.screen.level is Level.KECAMATAN
        assert all(row.code.startswith(app.screen.scope + ".") for row in table.rows)
