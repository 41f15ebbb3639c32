"""A table that draws only the rows on screen (Textual's Line API), for lists of thousands.

A DataTable keeps a renderable per cell and measures every cell it is given: filling one with
the 4,446 TPS of a province takes most of a second, on every keystroke of a search. This table
keeps the caller's list as it is (`set_rows` stores a reference) and renders a row into a line
only when that line is on screen, so a new filter costs the filtering and one screen of lines.

Columns have a least width, a share of the width left over and a widest; the widths follow the
terminal. A column with `drop` is left out, highest `drop` first, when the least widths do not
fit. The first line is the header; the scrollbar runs over the header and every row, so its
thumb shows the share of the rows on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import islice
from operator import attrgetter, indexOf
from typing import ClassVar, Generic, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kpps_tui.tui.keys import TranslatedBindings
from kpps_tui.tui.widgets.columns import Column, header_label, label_needs, share_width

T = TypeVar("T")

ELLIPSIS = "…"


def fit_plain(value: str, width: int, keep_end: bool = False) -> str:
    """`value` cut to `width` cells with an ellipsis, padded with spaces to exactly `width`.
    With `keep_end`, the cut is in the middle and the last word stays ("Kotawar…Barat")."""
    length = cell_len(value)
    if length <= width:
        return value + " " * (width - length)
    if keep_end and " " in value:
        tail = value.rsplit(" ", 1)[1]
        if cell_len(tail) + 2 <= width:
            return set_cell_size(value, width - cell_len(tail) - 1) + ELLIPSIS + tail
    return set_cell_size(value, width - 1) + ELLIPSIS if width > 0 else ""


def fit(text: Text, width: int, keep_end: bool = False) -> Text:
    """`text` cut and padded to exactly `width` cells, as `fit_plain`, keeping its styles."""
    if not text.spans:
        return Text(fit_plain(text.plain, width, keep_end), style=text.style, end="")
    text = text.copy()
    text.end = ""
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


def column_widths(
    columns: Sequence[Column],
    total: int,
    needs: dict[str, int] | None = None,
    labels: tuple[dict[str, int], dict[str, int]] | None = None,
) -> list[tuple[Column, int]]:
    """The columns shown in `total` cells and their widths: one space before the first column
    and one between columns; the width shared by need (`share_width`)."""
    return share_width(columns, total, 1, needs, labels)


class VirtualTable(TranslatedBindings, ScrollView, Generic[T], can_focus=True):
    """Rows of type T with a row cursor; subclasses say how a row is keyed and drawn.

    `row_key(row)` names a row (the cursor follows a key across `set_rows`), and
    `row_cells(row)` gives {column key: Text}, each cell with its own style. `set_rows` shows
    new rows (a filter, a sort, another session's change: the cursor stays on its row);
    `redraw` draws the same rows again when what a row shows changed outside them (a NIK
    revealed, a mark). `highlighted(row)`, given by the owner, is called when the cursor is on
    another row (None: no row at all), in the same step as the move: what the owner shows of
    the row (its detail) is drawn in the frame that draws the cursor. (A message would reach the
    screen after the frame was drawn: the detail would follow one or two frames, 17-33 ms,
    later.) The action
    `select_cursor` (a subclass binds Enter to it) posts `RowSelected`; a click on a row moves
    the cursor there, a click on the row under the cursor selects it; a click on the header
    posts `HeaderSelected`.
    """

    COLUMNS: ClassVar[Sequence[Column]] = ()
    # Columns that may carry a sort marker: their width keeps room for it, so the columns stay
    # where they are when the sort changes (a second click on a label hits the same column).
    SORTABLE: ClassVar[frozenset[str]] = frozenset()
    # The rows whose content sets the columns' widths: the first so many (every row of a
    # shorter list). Fewer for a list whose later rows may hold long words the first screens
    # do not show (the picker's reasons).
    MEASURED: ClassVar[int] = 1000
    # The key of a row, as a function of C (operator.attrgetter) that says what row_key says:
    # a new list looks for the cursor's row among its rows in one pass of C (a province's
    # 48,000 applicants at every key of the search), not one call of row_key per row.
    ROW_KEY: ClassVar[attrgetter[str] | None] = None
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--even-row",
        "virtual-table--odd-row",
    }
    # Moving the cursor; Textual's own keys, like a DataTable's (no kpps id: not an action
    # for the help screen or the command palette).
    BINDINGS: ClassVar = [
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "cursor_first", "First row", show=False),
        Binding("end,ctrl+end", "cursor_last", "Last row", show=False),
    ]
    DEFAULT_CSS = """
    VirtualTable {
        width: 1fr;
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .virtual-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .virtual-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .virtual-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .virtual-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        /* In 16 colours the blurred cursor has no colour of its own: keep it visible. */
        &:ansi:blur > .virtual-table--cursor {
            text-style: reverse;
        }
        /* NO_COLOR: the cursor is reverse video, bold while the table has the focus. */
        &:nocolor:focus > .virtual-table--cursor {
            text-style: reverse bold;
        }
        &:nocolor:blur > .virtual-table--cursor {
            text-style: reverse;
        }
    }
    """

    class RowSelected(Message):
        """Enter (or a click) on the row under the cursor."""

        def __init__(self, table: VirtualTable, key: str, row: object) -> None:
            super().__init__()
            self.table = table
            self.key = key
            self.row = row

        @property
        def control(self) -> VirtualTable:
            return self.table

    class HeaderSelected(Message):
        """A click on a column's label."""

        def __init__(self, table: VirtualTable, column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(
        self,
        *,
        columns: Sequence[Column] | None = None,
        highlighted: Callable[[T | None], None] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self._on_highlighted = highlighted
        self.columns: Sequence[Column] = tuple(columns if columns is not None else self.COLUMNS)
        self._rows: Sequence[T] = ()
        self._keys: dict[str, int] | None = None  # key -> index, built when first asked
        self._cursor = 0
        self._suffix: dict[str, str] = {}
        self._layout: tuple[int, list[tuple[Column, int]]] = (-1, [])
        self._needs: tuple[dict[str, int], tuple[dict[str, int], dict[str, int]]] | None = None  # content, labels
        self._measuring = False
        self._lines: dict[tuple[int, bool], Strip] = {}  # rendered rows of the current data
        self._styles: dict[str, Style] = {}  # the table's style with each part's (_style)

    # ---- what a subclass says ------------------------------------------------------------

    def row_key(self, row: T) -> str:
        raise AttributeError(f"{type(self).__name__} must say how its rows are keyed")

    def row_cells(self, row: T) -> dict[str, Text]:
        raise AttributeError(f"{type(self).__name__} must say how its rows are drawn")

    def content_needs(self, rows: Sequence[T]) -> dict[str, int]:
        """The cells each column's content needs: the widest of the rows' cells (of the first
        MEASURED rows). A subclass may say it faster, for every row."""
        needs: dict[str, int] = {}
        for row in rows[: self.MEASURED]:
            for key, text in self.row_cells(row).items():
                needs[key] = max(needs.get(key, 0), text.cell_len)
        return needs

    # ---- rows ----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[T], keep: str | None = None, narrower: bool = False) -> None:
        """Show `rows` (kept by reference: do not change the list afterwards). The cursor stays
        on the row `keep` (default: the row it is on) if it is still there, at the same height
        on screen; otherwise it goes to the first row. `narrower`: `rows` are some of the rows
        shown, in their order (a search typed further), so the cursor's row, if still there,
        is no further down: only that far is looked at (not a province's 48,000 rows at a key
        that leaves it out)."""
        before = self.cursor_key()
        keep = keep if keep is not None else before
        on_screen = self._cursor - self._first_row()
        bound = self._cursor + 1 if narrower and keep == before else None
        self._rows = rows
        self._keys = None
        self._lines.clear()
        self._forget_widths()
        self._set_height(len(rows) + 1)
        index = self._find(keep, bound) if keep is not None else None
        self._cursor = 0 if index is None else index
        top = self._cursor - on_screen if index is not None else 0
        self._scroll_to_row(max(0, min(top, len(rows) - self._page())))
        self._keep_cursor_visible()
        self.refresh()
        if self.cursor_key() != before:
            self._highlighted()

    def _highlighted(self) -> None:
        if self._on_highlighted is not None:
            self._on_highlighted(self.cursor_data())

    def redraw(self) -> None:
        """Draw the rows on screen again, as they are now drawn (`row_cells` gives other cells
        for the same rows: a NIK revealed or masked again, a mark); the widths stay."""
        self._lines.clear()
        self.refresh()

    def _set_height(self, lines: int) -> None:
        """The table's height in lines. Setting `virtual_size` lays out the whole screen again;
        that is only needed when the scrollbar comes or goes (a table whose scrollbar shows only
        when needed), or when the table is as high as its rows (`height: auto`). Otherwise the
        scrollbar is told the new height directly, and a keystroke in a search redraws the table
        alone."""
        size = Size(0, lines)
        if size == self.virtual_size:
            return
        room = self.container_size.height
        height = self.styles.height
        comes_or_goes = self.styles.overflow_y == "auto" and (self.virtual_size.height > room) != (lines > room)
        if not room or height is None or height.is_auto or comes_or_goes:
            self.virtual_size = size
            return
        self.set_reactive(VirtualTable.virtual_size, size)
        self._scroll_update(size)

    def _find(self, key: str, bound: int | None = None) -> int | None:
        """The index of the row `key`, among the first `bound` rows when given."""
        if self._keys is not None:
            return self._keys.get(key)
        row_key = self.ROW_KEY or self.row_key
        rows = self._rows if bound is None else islice(self._rows, bound)
        try:
            return indexOf(map(row_key, rows), key)
        except ValueError:
            return None

    @property
    def rows(self) -> Sequence[T]:
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def keys(self) -> list[str]:
        return [self.row_key(row) for row in self._rows]

    def index_of(self, key: str) -> int | None:
        if self._keys is None:
            row_key = self.row_key
            self._keys = {row_key(row): i for i, row in enumerate(self._rows)}
        return self._keys.get(key)

    def data(self, key: str) -> T | None:
        index = self.index_of(key)
        return None if index is None else self._rows[index]

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of row `index` as drawn, in the order of the columns on screen."""
        cells = self.row_cells(self._rows[index])
        return [cells.get(column.key, Text("")) for column, _w in self.shown_columns()]

    def get_row(self, key: str) -> list[Text]:
        index = self.index_of(key)
        if index is None:
            raise KeyError(key)
        return self.get_row_at(index)

    # ---- columns -------------------------------------------------------------------------

    def set_label_suffix(self, suffixes: dict[str, str]) -> None:
        """Text after a column's label (the sort marker)."""
        if suffixes != self._suffix:
            self._suffix = dict(suffixes)
            self.refresh()

    def column_labels(self) -> list[str]:
        """The labels of the columns on screen, as the header shows them (with the sort marker)."""
        return [self._label(column, width) for column, width in self.shown_columns()]

    def _label(self, column: Column, width: int) -> str:
        return header_label(column, width, self._suffix.get(column.key, ""))

    def _forget_widths(self) -> None:
        """The rows or labels changed: measure them again at the next draw."""
        self._needs = None
        self._layout = (-1, [])

    def _measure(self) -> tuple[dict[str, int], tuple[dict[str, int], dict[str, int]]]:
        """What the first rows' cells and the labels need, in cells, by column."""
        if self._needs is None:
            self._measuring = True  # a row may ask for its column widths (a bar): the least ones
            try:
                needs = self.content_needs(self._rows)
            finally:
                self._measuring = False
            marks = {key: " ▲" for key in self.SORTABLE} | self._suffix
            self._needs = (needs, label_needs(self.columns, marks))
        return self._needs

    def shown_columns(self) -> list[tuple[Column, int]]:
        """The columns on screen, left to right, with their widths (as the header draws them)."""
        width = self.scrollable_content_region.width or self.size.width or 80
        if self._measuring:
            return column_widths(self.columns, width)
        if self._layout[0] != width:
            needs, labels = self._measure()
            self._layout = (width, column_widths(self.columns, width, needs, labels))
            self._lines.clear()
        return self._layout[1]

    # ---- cursor --------------------------------------------------------------------------

    @property
    def cursor_row(self) -> int:
        return self._cursor

    def cursor_key(self) -> str | None:
        if not self._rows:
            return None
        return self.row_key(self._rows[min(self._cursor, len(self._rows) - 1)])

    def cursor_data(self) -> T | None:
        return self._rows[self._cursor] if self._rows else None

    def move_cursor(self, row: int) -> None:
        """Put the cursor on row `row` (kept within the rows) and scroll it into view."""
        if not self._rows:
            return
        row = max(0, min(row, len(self._rows) - 1))
        if row != self._cursor:
            self._refresh_row(self._cursor)
            self._cursor = row
            self._refresh_row(row)
            self._highlighted()
        self._keep_cursor_visible()

    def show_key(self, key: str | None) -> None:
        """Put the cursor on the row `key`, or the first row when it is not shown."""
        index = self.index_of(key) if key is not None else None
        self.move_cursor(0 if index is None else index)

    def _page(self) -> int:
        """How many rows fit under the header."""
        return max(1, (self.scrollable_content_region.height or self.size.height) - 1)

    def _first_row(self) -> int:
        return round(self.scroll_y)

    def _scroll_to_row(self, top: int) -> None:
        self.scroll_to(y=top, animate=False, immediate=True, force=True)

    def _keep_cursor_visible(self) -> None:
        top, page = self._first_row(), self._page()
        if self._cursor < top:
            self._scroll_to_row(self._cursor)
        elif self._cursor >= top + page:
            self._scroll_to_row(self._cursor - page + 1)

    def _refresh_row(self, index: int) -> None:
        self.refresh_line(index + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self._cursor - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(self._cursor + self._page())

    def action_cursor_first(self) -> None:
        self.move_cursor(0)

    def action_cursor_last(self) -> None:
        self.move_cursor(len(self._rows) - 1)

    def action_select_cursor(self) -> None:
        if self._rows:
            row = self._rows[self._cursor]
            self.post_message(self.RowSelected(self, self.row_key(row), row))

    # ---- mouse ---------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        if offset.y == 0:
            x = 1
            for column, width in self.shown_columns():
                if x <= offset.x < x + width + 1:
                    self.post_message(self.HeaderSelected(self, column.key))
                    return
                x += width + 1
            return
        index = self._first_row() + offset.y - 1
        if index >= len(self._rows):
            return
        if index == self._cursor:
            self.action_select_cursor()
        else:
            self.move_cursor(index)

    # ---- drawing -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._styles.clear()

    def on_focus(self) -> None:
        self._lines.clear()
        self._styles.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._lines.clear()
        self._styles.clear()
        self.refresh()

    def _style(self, part: str) -> Style:
        """The table's style with a part's over it ("" for the table's own), worked out once
        until the styles change: the table's style walks up to the screen, and new rows (a
        key of a search) would ask it for every line drawn."""
        style = self._styles.get(part)
        if style is None:
            style = self.rich_style
            if part:
                style = style + self.get_component_rich_style(part)
            self._styles[part] = style
        return style

    def on_resize(self, event: events.Resize) -> None:
        self._lines.clear()
        self._keep_cursor_visible()

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        """Textual gives a widget its new size as it lays the screen out, and draws the frame
        right after; the Resize event comes after that frame. The cursor is kept on screen
        here: a box under the table that grew (the picker's detail with a warning) would
        otherwise hide the cursor's row for a frame, until the list scrolled at the next."""
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        if resized and self._rows:
            self._keep_cursor_visible()
        return resized

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        if y == 0:
            return self._header_line(width)
        index = self._first_row() + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, self._style(""))
        cursor = index == self._cursor
        line = self._lines.get((index, cursor))
        if line is None or line.cell_length != width:
            line = self._lines[(index, cursor)] = self._row_line(index, cursor, width)
        return line

    def _header_line(self, width: int) -> Strip:
        style = self._style("virtual-table--header")
        cells = [(Text(self._label(column, w), no_wrap=True), column, w) for column, w in self.shown_columns()]
        return self._line(cells, width, style)

    def _row_line(self, index: int, cursor: bool, width: int) -> Strip:
        base = self._style("virtual-table--even-row" if index % 2 == 0 else "virtual-table--odd-row")
        over = self.get_component_rich_style("virtual-table--cursor") if cursor else None
        cells = self.row_cells(self._rows[index])
        blank = Text("")
        shown = [(cells.get(column.key, blank), column, w) for column, w in self.shown_columns()]
        return self._line(shown, width, base, over)

    def _line(self, cells, width: int, base: Style, over: Style | None = None) -> Strip:
        """One line: a space, then each cell fitted to its width with a space after it.

        The row's style lies under the cells' own colours; the cursor's over them (its
        colours win)."""
        console = self.app.console
        fill = base + over if over is not None else base
        gap = Segment(" ", fill)
        segments = [gap]
        for text, column, cell_width in cells:
            own = console.get_style(text.style, default=Style.null()) if text.style else None
            if not text.spans:  # one style for the whole cell: one segment
                style = base + own if own is not None else base
                value = fit_plain(text.plain, cell_width, column.keep_end)
                segments.append(Segment(value, style + over if over is not None else style))
            else:
                pieces = fit(text, cell_width, column.keep_end).render(console)  # without its own style
                if own is not None:
                    pieces = Segment.apply_style(pieces, own)
                segments.extend(Segment.apply_style(pieces, style=base, post_style=over))
            segments.append(gap)
        return Strip(segments).adjust_cell_length(width, fill)
