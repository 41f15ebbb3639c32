"""The virtual table: how cells are cut, how columns share the width, what moves and refills do."""

from __future__ import annotations

from rich.color import ColorSystem
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from kpps_tui.tui.screens.tps_list import TpsTable
from kpps_tui.tui.widgets.virtual_table import Column, VirtualTable, column_widths, fit_plain

from .conftest import make_app, run


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


class _Letters(VirtualTable[str]):
    COLUMNS = (Column("letter", "Letter", 6),)

    def row_key(self, row: str) -> str:
        return row

    def row_cells(self, row: str) -> dict[str, Text]:
        return {"letter": Text(row)}


class _LettersApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield _Letters(highlighted=self.seen.append)


async def test_the_table_says_when_the_cursor_is_on_another_row():
    app = _LettersApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(_Letters)
        table.set_rows(["a", "b", "c"])
        await pilot.pause()
        assert app.seen == ["a"]  # rows where there were none
        table.focus()
        await pilot.press("down", "down", "down")  # the third stays on "c"
        await pilot.pause()
        assert app.seen == ["a", "b", "c"]
        table.set_rows(["c", "d"])  # the cursor stays on "c": the same row, nothing to say
        await pilot.pause()
        assert app.seen == ["a", "b", "c"]
        table.set_rows(["d"])  # "c" went: the cursor is on "d"
        assert app.seen[-1] == "d"  # said in the same step, before any frame is drawn
        table.set_rows([])
        await pilot.pause()
        assert app.seen == ["a", "b", "c", "d", None]


class _LettersOverDetail(App[None]):
    """A list over a box of particulars as high as they are: the row "j" has five lines."""

    CSS = "#detail { height: auto; }"

    def compose(self) -> ComposeResult:
        yield _Letters(highlighted=self._show)
        yield Static("", id="detail")

    def _show(self, row: str | None) -> None:
        lines = 5 if row == "j" else 1
        self.query_one("#detail", Static).update("\n".join([f"{row}"] * lines))


async def test_the_cursor_stays_on_screen_in_the_frame_where_the_box_under_the_table_grows():
    app = _LettersOverDetail()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(_Letters)
        table.set_rows([chr(ord("a") + i) for i in range(20)])
        table.focus()
        await pilot.pause()
        assert table._page() == 10  # 12 lines, but the detail's one and the header's
        on_screen: list[bool] = []  # at each frame drawn: is the cursor's row on screen?
        display = app._display

        def watched(screen, update) -> None:
            display(screen, update)
            if update is not None:
                first = table._first_row()
                on_screen.append(first <= table.cursor_row < first + table._page())

        app._display = watched  # type: ignore[method-assign]  # the test watches each frame the app draws
        for _ in range(9):  # down to "j", the last row on screen: the detail grows by four lines
            await pilot.press("down")
        await pilot.pause()
        assert table.cursor_key() == "j" and table._page() == 6
        assert on_screen and all(on_screen)  # in the frame laid out with the longer detail too


class _Words(VirtualTable[str]):
    """Words; a `marked` word is drawn in capitals (what a row shows, kept outside the rows)."""

    COLUMNS = (Column("word", "Word", 8, weight=1),)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.marked: set[str] = set()

    def row_key(self, row: str) -> str:
        return row

    def row_cells(self, row: str) -> dict[str, Text]:
        return {"word": Text(row.upper() if row in self.marked else row, style="bold")}


class _WordsApp(App[None]):
    CSS = "#auto { height: auto; max-height: 6; }"

    def compose(self) -> ComposeResult:
        yield _Words(id="words")
        yield _Words(id="auto")


async def test_new_rows_keep_the_cursor_on_its_row_and_redraw_shows_what_changed_outside_them():
    app = _WordsApp()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one("#words", _Words)
        table.set_rows(["alpha", "beta", "gamma"])
        table.focus()
        await pilot.press("down")
        table.set_rows(["beta", "gamma", "delta"])  # another session's change: the cursor stays on beta
        await pilot.pause()
        assert table.cursor_key() == "beta" and table.cursor_row == 0
        table.marked.add("beta")
        table.redraw()
        await pilot.pause()
        assert "BETA" in table.render_line(1).text
        assert table.get_row("beta")[0].style == "bold"  # a cell keeps its own style
        auto = app.query_one("#auto", _Words)
        auto.set_rows(["a", "b", "c", "d"])
        await pilot.pause()
        assert auto.size.height == 5  # as high as its header and rows (max-height 6)
        auto.set_rows(["a", "b"])
        await pilot.pause()
        assert auto.size.height == 3  # and lower again with fewer rows


def test_a_whole_column_gets_its_content_before_the_others_share_the_room():
    user = Column("user", "User", 4, most=16, whole=True)
    change = Column("change", "Change", 10, weight=4)
    needs = {"user": 12, "change": 40}
    # 30 cells less two spaces and the least widths leave 14: the login takes its 8 first.
    assert [(c.key, w) for c, w in column_widths([user, change], 30, needs)] == [("user", 12), ("change", 16)]
    longer = {"user": 20, "change": 40}  # no wider than its most
    assert dict((c.key, w) for c, w in column_widths([user, change], 40, longer))["user"] == 16


def _as_shown(app, table: VirtualTable, y: int) -> tuple[int | None, int | None, bool]:
    """The text colour, background and boldness line `y` of `table` shows on a 16-colour
    terminal under NO_COLOR: after the app's grey filter, reverse video swapped."""
    segment = next(s for s in app._greys.apply(list(table.render_line(y)), table.background_colors[1]) if s.text.strip())
    style = segment.style
    fg, bg = (style.bgcolor, style.color) if style.reverse else (style.color, style.bgcolor)
    return (fg.downgrade(ColorSystem.STANDARD).number, bg.downgrade(ColorSystem.STANDARD).number, bool(style.bold))


async def test_under_no_color_the_focused_cursor_row_is_not_drawn_like_the_header(workspace, monkeypatch):
    """NO_COLOR greys the header and the cursor alike (both bright white on grey in 16
    colours): the focused cursor row is reverse video, so it reads apart from the header
    right above it."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(workspace, color_system="standard")
    assert app.no_color
    async with run(app) as pilot:
        await pilot.pause()
        table = app.screen.query_one(TpsTable)
        assert table.has_focus and table.cursor_row == 0
        header, cursor, row = (_as_shown(app, table, y) for y in (0, 1, 2))
        assert cursor != header and cursor != row, (header, cursor, row)


async def test_a_narrower_list_keeps_the_cursor_on_its_row_or_starts_again_at_the_top():
    """`narrower`: the new rows are some of the old ones in their order (a search typed further);
    the cursor's row is looked for no further down than it was, and found or left as without it."""
    app = _WordsApp()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one("#words", _Words)
        words = [f"w{n:03d}" for n in range(300)]
        table.set_rows(words)
        table.move_cursor(150)
        table.set_rows(words[100:200:2], narrower=True)  # w150 stays: now the 26th row
        await pilot.pause()
        assert table.cursor_key() == "w150" and table.cursor_row == 25
        table.set_rows([w for w in words[100:200:2] if w != "w150"], narrower=True)
        await pilot.pause()
        assert table.cursor_row == 0 and table.cursor_key() == "w100"  # it went: the top
        table.set_rows(words, narrower=False)  # back to every word: found anywhere again
        table.move_cursor(299)
        table.set_rows(words[299:], narrower=True)
        assert table.cursor_key() == "w299"
