"""The TPS list: browse, filter, search, sort, summary, declarations, next not full, open."""

from __future__ import annotations

import re

from textual.widgets import Input, Select

from kpps_tui.domain.declarations import DeclState
from kpps_tui.i18n import _, set_language
from kpps_tui.services.browse import FillStatus, Summary, summarize, tps_rows
from kpps_tui.tui.screens.tps_detail import TpsScreen
from kpps_tui.tui.screens.tps_list import TpsListScreen, TpsTable
from kpps_tui.tui.text import Tones, fmt_int
from kpps_tui.tui.widgets.lines import SummaryLine

from .conftest import make_app, run


def table_rows(app) -> list[list[str]]:
    """Every row the table holds, as its cells read (not only those on screen)."""
    table = app.screen.query_one(TpsTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def screen_lines(app) -> list[str]:
    """The lines the table draws on screen: the header, then the rows in view."""
    table = app.screen.query_one(TpsTable)
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


def shows(line: str, row) -> bool:
    """Whether a line on screen is the row of this TPS."""
    return re.match(rf" {row.number:03d} +{re.escape(row.desa)} ", line) is not None


def summary_text(app) -> str:
    return app.screen.query_one(SummaryLine).render().plain


async def test_every_tps_is_listed_with_its_seats_status_declarations_and_a_summary(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)
        rows = table_rows(app)
        assert len(rows) == 413
        expected = tps_rows(workspace)
        first = expected[0]
        assert rows[0][:5] == [f"{first.number:03d}", first.desa, first.kecamatan, f"{first.filled}/7", first.status.label]
        totals = summarize(expected)
        text = summary_text(app)
        assert _("All {total} TPS").format(total=fmt_int(413)) in text
        assert _("full: {full} · empty: {empty}").format(
            full=fmt_int(totals.tps_full), empty=fmt_int(totals.tps_empty)
        ) in text
        assert _("Seats filled: {filled} of {seats}").format(
            filled=fmt_int(totals.seats_filled), seats=fmt_int(2891)
        ) in text
        # Each status is written out, not left to colour.
        assert {r[4] for r in rows} == {s.label for s in FillStatus}
        # At 80 columns: TPS, desa, kecamatan, seats, status and declarations, no Kab/Kota
        # (the demo is one kabupaten).
        table = app.screen.query_one(TpsTable)
        assert table.column_labels() == [
            _("TPS") + " ▲", _("Desa/Kelurahan"), _("Kecamatan"), _("Seats"), _("Status"), _("Declared")
        ]
        lines = screen_lines(app)
        assert len(lines) == table.scrollable_content_region.height
        assert shows(lines[1], first) and f" {first.filled}/7 " in lines[1] and f" {first.status.label} " in lines[1]


async def test_declarations_count_verified_statements_of_the_seated(workspace):
    rows = tps_rows(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.pause()
        cells = dict(zip((row.code for row in rows), table_rows(app)))
        for row in rows:
            tps = workspace.tps[row.code]
            verified = sum(
                workspace.people[s.nik].neutrality.statement.state is DeclState.VERIFIED for s in tps.seats.values()
            )
            assert row.declared == verified
            assert cells[row.code][5] == (f"{verified}/{tps.filled} ✓" if tps.filled else "-")
        # The demo has seats in every state: some TPS complete, some not.
        assert any(0 < r.declared == r.filled for r in rows) and any(r.declared < r.filled for r in rows)
        assert _("Surat Pernyataan verified: {declared}").format(
            declared=fmt_int(sum(r.declared for r in rows))
        ) in summary_text(app)


async def test_search_by_desa_name_and_by_tps_number(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("slash", *"kumai hulu")
        await pilot.pause()
        rows = table_rows(app)
        assert rows and all(r[1] == "Kumai Hulu" for r in rows)
        assert _("{shown} of {total} TPS shown").format(shown=len(rows), total=413) in summary_text(app)
        assert all("Kumai Hulu" in line for line in screen_lines(app)[1 : len(rows) + 1])

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


async def test_a_search_that_finds_nothing_leaves_an_empty_table(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        table = app.screen.query_one(TpsTable)
        assert table.row_count == 0 and table.cursor_key() is None
        assert all(not line.strip() for line in screen_lines(app)[1:])
        await pilot.press("escape", "enter", "n")  # nothing to open, nothing to move to
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)


async def test_kecamatan_select_by_keyboard_limits_the_desa_choices(workspace):
    app = make_app(workspace)
    kecamatan = workspace.kecamatan_codes()[1]  # Arut Selatan
    async with run(app) as pilot:
        await pilot.pause()
        assert not app.screen.query("#kabupaten")  # one kabupaten: no Kab/Kota filter
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
        table = app.screen.query_one(TpsTable)
        await pilot.press("s")  # by desa name
        await pilot.pause()
        desas = [r[1] for r in table_rows(app)]
        assert desas == sorted(desas, key=str.casefold)
        assert table.column_labels()[1].endswith("▲") and not table.column_labels()[0].endswith("▲")

        await pilot.press("s")  # by seats filled
        await pilot.pause()
        filled = [int(r[3].split("/")[0]) for r in table_rows(app)]
        assert filled == sorted(filled)
        assert table.column_labels()[3].endswith("▲")
        assert _("Seats") + " ▲" in screen_lines(app)[0]  # the header on screen

        await pilot.press("r")
        await pilot.pause()
        filled = [int(r[3].split("/")[0]) for r in table_rows(app)]
        assert filled == sorted(filled, reverse=True)
        assert table.column_labels()[3].endswith("▼")

        await pilot.press("s")  # back to code order
        await pilot.pause()
        assert [r[0] for r in table_rows(app)][:2] == ["001", "002"]


async def test_the_cursor_moves_by_row_page_and_to_either_end_and_stays_in_view(workspace):
    rows = tps_rows(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        table = app.screen.query_one(TpsTable)
        page = table.scrollable_content_region.height - 1  # rows under the header
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press("pagedown")
        assert table.cursor_row == 2 + page
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_key() == rows[-1].code
        lines = screen_lines(app)
        assert shows(lines[-1], rows[-1])  # the last row, at the bottom
        await pilot.press("pageup")
        assert table.cursor_row == len(rows) - 1 - page
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("up")  # already at the top
        assert table.cursor_row == 0


async def test_a_click_moves_the_cursor_and_a_second_click_opens(workspace):
    rows = tps_rows(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        table = app.screen.query_one(TpsTable)
        await pilot.click(table, offset=(10, 3))  # the third row under the header
        await pilot.pause()
        assert table.cursor_row == 2
        await pilot.click(table, offset=(10, 3))
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen) and app.screen.code == rows[2].code


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


async def test_back_from_a_tps_the_cursor_is_on_it_and_in_view(workspace):
    rows = tps_rows(workspace)
    index = 150  # well below the first screen
    app = make_app(workspace)
    async with run(app) as pilot:
        table = app.screen.query_one(TpsTable)
        table.move_cursor(index)
        await pilot.pause()
        top = table.scroll_y
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen) and app.screen.code == rows[index].code
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TpsListScreen)
        assert table.cursor_key() == rows[index].code and table.scroll_y == top
        assert shows(screen_lines(app)[index - int(top) + 1], rows[index])


async def test_the_cursor_stays_on_its_tps_when_a_filter_keeps_it(workspace):
    rows = tps_rows(workspace)
    target = next(r for r in rows if r.desa == "Kumai Hulu" and r.number == 5)
    app = make_app(workspace)
    async with run(app) as pilot:
        table = app.screen.query_one(TpsTable)
        table.show_key(target.code)
        await pilot.press("slash", *"kumai h")
        await pilot.pause()
        assert table.cursor_key() == target.code
        await pilot.press(*"xyz")  # gone: the cursor waits on the first row
        await pilot.pause()
        assert table.row_count == 0
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.pause()
        assert table.cursor_row == 0


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


async def test_the_summary_fits_80_columns_in_both_languages(workspace, ui_language):
    # Province-sized figures, a filter on: the longest the two lines get.
    big = Summary(tps_total=4_000, tps_full=1_334, tps_empty=533, seats_filled=18_673, seats_total=28_000, declared=8_403)
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.pause()
        summary = app.screen.query_one(SummaryLine)
        room = summary.content_size.width
        try:
            for lang in ("id", "en"):
                set_language(lang)
                summary.show(big, 4_000, 4_446, Tones())
                lines = summary.render().plain.split("\n")
                assert len(lines) == 2
                assert all(len(line) <= room for line in lines), (lang, lines, room)
                assert "…" not in "".join(lines)
        finally:
            set_language(ui_language)


async def test_a_click_on_a_column_label_sorts_by_it_and_again_reverses(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        table = app.screen.query_one(TpsTable)
        x = screen_lines(app)[0].index(_("Seats"))
        await pilot.click(table, offset=(x, 0))
        await pilot.pause()
        filled = [int(r[3].split("/")[0]) for r in table_rows(app)]
        assert filled == sorted(filled) and table.column_labels()[3].endswith("▲")
        await pilot.click(table, offset=(x, 0))
        await pilot.pause()
        assert table.column_labels()[3].endswith("▼")
        await pilot.click(table, offset=(screen_lines(app)[0].index(_("Status")), 0))  # not a sort: nothing
        await pilot.pause()
        assert table.column_labels()[3].endswith("▼")


async def test_the_columns_follow_the_terminal_width(workspace):
    app = make_app(workspace)
    async with run(app, size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(TpsTable)
        wide = screen_lines(app)
        assert max(len(line) for line in wide) == table.scrollable_content_region.width
        longest = next(r for r in tps_rows(workspace) if r.kecamatan == "Pangkalan Banteng")
        table.show_key(longest.code)
        await pilot.pause()
        assert any(" Pangkalan Banteng " in line for line in screen_lines(app))  # not cut at 120 columns
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        assert _("Declared") not in table.column_labels()  # dropped first
        assert table.column_labels()[1:5] == [_("Desa/Kelurahan"), _("Kecamatan"), _("Seats"), _("Status")]
        assert all(len(line) <= 60 for line in screen_lines(app))


async def test_sort_and_filters_survive_a_restart_and_a_damaged_memory_is_forgotten(workspace, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    kecamatan = workspace.kecamatan_codes()[1]
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.pause()
        app.screen.query_one("#kecamatan", Select).value = kecamatan
        await pilot.pause()
        await pilot.press("s")  # by desa
        await pilot.press("r")  # falling
        await pilot.pause()
        kept = [row.code for row in app.screen.shown]
    again = make_app(workspace)
    async with run(again) as pilot:
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, TpsListScreen)
        assert screen.query_one("#kecamatan", Select).value == kecamatan
        assert (screen.sort_key, screen.reverse) == ("desa", True)
        assert [row.code for row in screen.shown] == kept
    (tmp_path / "state" / "kpps-tui" / "views.json").write_bytes(b'{"x": [1, 2')
    fresh = make_app(workspace)
    async with run(fresh) as pilot:
        await pilot.pause()
        assert (fresh.screen.sort_key, fresh.screen.reverse) == ("code", False)
        assert len(fresh.screen.shown) == 413
