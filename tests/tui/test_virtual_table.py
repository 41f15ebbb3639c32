"""The virtual table's layout rules: how cells are cut and how columns share the width."""

from __future__ import annotations

from kpps_tui.tui.screens.tps_list import TpsTable
from kpps_tui.tui.widgets.virtual_table import Column, column_widths, fit_plain


def test_a_cell_is_padded_or_cut_with_an_ellipsis_to_its_width():
    assert fit_plain("Kumai", 8) == "Kumai   "
    assert fit_plain("Pangkalan Banteng", 12) == "Pangkalan B…"
    assert fit_plain("", 3) == "   "
    assert len(fit_plain("Tewang Sangalang Garing", 10)) == 10


def test_keep_end_cuts_in_the_middle_so_barat_and_timur_stay_apart():
    assert fit_plain("Kotawaringin Barat", 13, keep_end=True) == "Kotawar…Barat"
    assert fit_plain("Kotawaringin Timur", 13, keep_end=True) == "Kotawar…Timur"
    assert fit_plain("Kota Palangkaraya", 13, keep_end=True) == "Kota Palangk…"  # the last word is too long
    assert fit_plain("Sukamara", 13, keep_end=True) == "Sukamara     "


def test_columns_share_what_is_left_by_weight_up_to_their_widest():
    columns = [Column("a", "A", 4), Column("b", "B", 10, weight=3, most=20), Column("c", "C", 10, weight=1)]
    # 3 spaces (one before each column) and 24 cells of least widths leave 13 to share, 3:1.
    assert [(c.key, w) for c, w in column_widths(columns, 40)] == [("a", 4), ("b", 19), ("c", 13)]
    wide = column_widths(columns, 200)
    assert {c.key: w for c, w in wide}["b"] == 20  # no wider than its most


def test_a_droppable_column_goes_first_when_the_columns_do_not_fit():
    one = [c for c in TpsTable.COLUMNS if c.key != "kabupaten"]
    both = list(TpsTable.COLUMNS)
    # 80 columns (79 beside the scrollbar): everything, with the Kab/Kota column too.
    assert [c.key for c, _w in column_widths(one, 79)] == ["number", "desa", "kecamatan", "filled", "status", "declared"]
    assert [c.key for c, _w in column_widths(both, 79)] == [
        "number", "desa", "kecamatan", "kabupaten", "filled", "status", "declared"
    ]
    for columns in (one, both):
        assert len(columns) + sum(w for _c, w in column_widths(columns, 79)) <= 79
    # Narrower: the declarations go, TPS, desa, kecamatan, seats and status stay.
    assert "declared" not in [c.key for c, _w in column_widths(both, 70)]
    assert [c.key for c, _w in column_widths(one, 60)] == ["number", "desa", "kecamatan", "filled", "status"]
