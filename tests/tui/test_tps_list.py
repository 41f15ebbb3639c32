"""The TPS list: browse, filter, search, sort, summary, next not full, open."""

from __future__ import annotations

from textual.widgets import Input, Select

from kpps_tui.i18n import _
from kpps_tui.services.browse import FillStatus, summarize, tps_rows
from kpps_tui.tui.text import fmt_int
from kpps_tui.tui.screens.tps_detail import TpsScreen
from kpps_tui.tui.screens.tps_list import TpsListScreen, TpsTable
from kpps_tui.tui.widgets.lines import SummaryLine

from .conftest import run, make_app


def table_rows(app) -> list[list[str]]:
    table = app.screen.query_one(TpsTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def summary_text(app) -> str:
    return app.screen.query_one(SummaryLine).render().plain


async def test_every_tps_is_listed_with_its_seats_status_and_a_summary(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)
        rows = table_rows(app)
        assert len(rows) == 413
        expected = tps_rows(workspace)
        first = expected[0]
        assert rows[0] == [f"{first.number:03d}", first.desa, first.kecamatan, f"{first.filled}/7", first.status.label]
        totals = summarize(expected)
        text = summary_text(app)
        assert _("Full: {full} of {total} TPS").format(full=fmt_int(totals.tps_full), total=fmt_int(413)) in text
        assert _("seats filled: {filled} of {seats}").format(
            filled=fmt_int(totals.seats_filled), seats=fmt_int(2891)
        ) in text
        # Each status is written out, not left to colour.
        assert {r[4] for r in rows} == {s.label for s in FillStatus}


async def test_search_by_desa_name_and_by_tps_number(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("slash", *"kumai hulu")
        await pilot.pause()
        rows = table_rows(app)
        assert rows and all(r[1] == "Kumai Hulu" for r in rows)
        assert _("{shown} of {total} TPS shown").format(shown=len(rows), total=413) in summary_text(app)

        app.screen.query_one("#search", Input).value = ""
        await pilot.press(*"003")
        await pilot.pause()
        rows = table_rows(app)
        assert len(rows) > 10 and all(r[0] == "003" for r in rows)

        # The arrows move in the table while the search box keeps the focus.
        await pilot.press("down", "down")
        assert app.screen.focused is app.screen.query_one("#search", Input)
        assert app.screen.query_one(TpsTable).cursor_row == 2

        # Escape goes back to the table; c clears every filter.
        await pilot.press("escape", "c")
        await pilot.pause()
        assert app.screen.query_one("#search", Input).value == ""
        assert len(table_rows(app)) == 413


async def test_kecamatan_select_by_keyboard_limits_the_desa_choices(workspace):
    app = make_app(workspace)
    kecamatan = workspace.kecamatan_codes()[1]  # Arut Selatan
    async with run(app) as pilot:
        await pilot.pause()
        select = app.screen.query_one("#kecamatan", Select)
        select.focus()
        await pilot.press("enter")  # open the list
        await pilot.press(*"arut s", "enter")  # type to find, Enter to choose
        await pilot.pause()
        assert select.value == kecamatan
        rows = table_rows(app)
        name = workspace.region_name(kecamatan)
        assert rows and all(r[2] == name for r in rows)
        assert len(rows) == sum(1 for t in workspace.tps.values() if t.kecamatan_code == kecamatan)

        desa_select = app.screen.query_one("#desa", Select)
        offered = [value for _label, value in desa_select._options if value != Select.NULL]
        assert offered and all(code.startswith(kecamatan + ".") for code in offered)

        desa_select.value = offered[0]
        await pilot.pause()
        rows = table_rows(app)
        assert rows and all(r[1] == workspace.region_name(offered[0]) for r in rows)


async def test_fill_state_filter(workspace):
    app = make_app(workspace)
    totals = summarize(tps_rows(workspace))
    async with run(app) as pilot:
        status = app.screen.query_one("#status", Select)
        for key, label, count in (
            ("full", FillStatus.FULL.label, totals.tps_full),
            ("empty", FillStatus.EMPTY.label, totals.tps_empty),
            ("not_full", None, totals.tps_total - totals.tps_full),
        ):
            status.value = key
            await pilot.pause()
            rows = table_rows(app)
            assert len(rows) == count
            if label:
                assert {r[4] for r in rows} == {label}
            else:
                assert FillStatus.FULL.label not in {r[4] for r in rows}


async def test_sort_cycles_through_code_desa_and_seats_filled_and_reverses(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("s")  # by desa name
        await pilot.pause()
        desas = [r[1] for r in table_rows(app)]
        assert desas == sorted(desas, key=str.casefold)

        await pilot.press("s")  # by seats filled
        await pilot.pause()
        filled = [int(r[3].split("/")[0]) for r in table_rows(app)]
        assert filled == sorted(filled)
        assert app.screen.query_one(TpsTable).ordered_columns[3].label.plain.endswith("▲")

        await pilot.press("r")
        await pilot.pause()
        filled = [int(r[3].split("/")[0]) for r in table_rows(app)]
        assert filled == sorted(filled, reverse=True)
        assert app.screen.query_one(TpsTable).ordered_columns[3].label.plain.endswith("▼")

        await pilot.press("s")  # back to code order
        await pilot.pause()
        assert [r[0] for r in table_rows(app)][:2] == ["001", "002"]


async def test_next_not_full_moves_the_cursor_to_a_tps_with_an_empty_seat(workspace):
    app = make_app(workspace)
    rows = tps_rows(workspace)
    assert rows[0].status is FillStatus.FULL  # the sample starts with a full TPS
    expected = next(i for i, r in enumerate(rows) if r.status is not FillStatus.FULL)
    async with run(app) as pilot:
        await pilot.press("n")
        table = app.screen.query_one(TpsTable)
        assert table.cursor_row == expected
        await pilot.press("n")
        second = next(i for i, r in enumerate(rows) if i > expected and r.status is not FillStatus.FULL)
        assert table.cursor_row == second


async def test_enter_opens_the_tps_under_the_cursor(workspace):
    app = make_app(workspace)
    rows = tps_rows(workspace)
    async with run(app) as pilot:
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)
        assert app.screen.code == rows[2].code


async def test_enter_in_the_search_box_opens_the_only_match(workspace):
    app = make_app(workspace)
    target = tps_rows(workspace)[5]
    async with run(app) as pilot:
        await pilot.press("slash", *target.desa, "enter")
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)  # several TPS match: Enter goes to the table
        assert app.screen.focused is app.screen.query_one(TpsTable)
        app.screen.query_one("#search", Input).value = ""
        kecamatan = app.screen.query_one("#kecamatan", Select)
        kecamatan.value = target.kecamatan_code
        await pilot.pause()
        app.screen.query_one("#desa", Select).value = target.desa_code
        await pilot.press("slash", *str(target.number), "enter")
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)
        assert app.screen.code == target.code
