"""A DataTable whose columns share out its width, and that redraws rows in place when it can."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist, RowKey

from kpps_tui.tui.keys import TranslatedBindings
from kpps_tui.tui.widgets.columns import Column, header_label, label_needs, share_width

Cells = dict[str, Text]


class FitTable(TranslatedBindings, DataTable):
    """Rows are (key, data) with a function that renders data as {column key: Text}.

    The table keeps the rows to redraw after a resize. `set_rows` updates changed cells in
    place when the keys and their order are unchanged (another session seated someone), and
    rebuilds otherwise (a filter or sort changed). With `chunk`, only that many rows are
    rendered and added at first, and more as the cursor nears the end, so a list of a few
    thousand people still redraws at typing speed.
    """

    COLUMNS: ClassVar[Sequence[Column]] = ()
    DEFAULT_CSS = """
    FitTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    /* In 16 colours the blurred cursor has no colour of its own: keep it visible. */
    FitTable:ansi:blur > .datatable--cursor {
        text-style: reverse;
    }
    """

    def __init__(self, *, chunk: int | None = None, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.chunk = chunk
        self._rows: list[tuple[str, Any]] = []
        self._render_row: Callable[[Any], Cells] = lambda data: {}
        self._index: dict[str, int] = {}
        self._cells: dict[str, Cells] = {}  # rendered cells of the rows added so far
        self._loaded = 0
        self._widths: dict[str, int] = {}
        self._label_suffix: dict[str, str] = {}
        self._keep_on_layout: str | None = None  # where the cursor goes once laid out
        self._relabel = False

    # ---- layout ----------------------------------------------------------------------------

    def column_widths(self, total: int) -> dict[str, int]:
        """Widths of the columns that fit in `total` cells (padding and scrollbar included),
        shared by need (the rule of `share_width`): the content of the rows shown first and
        the labels."""
        labels = label_needs(self.COLUMNS, self._label_suffix)
        needs: dict[str, int] = {}
        for cells in self._measured():
            for key, text in cells.items():
                needs[key] = max(needs.get(key, 0), text.cell_len)
        shown = share_width(self.COLUMNS, total - 1, 2 * self.cell_padding, needs, labels)  # 1: the scrollbar
        return {c.key: w for c, w in shown}

    def _measured(self) -> list[Cells]:
        """The cells of the rows added at first (a chunk, or every row), rendered once."""
        end = len(self._rows) if self.chunk is None else min(len(self._rows), max(self.chunk, self._loaded))
        found = []
        for key, data in self._rows[:end]:
            cells = self._cells.get(key)
            if cells is None:
                cells = self._cells[key] = self._render_row(data)
            found.append(cells)
        return found

    def on_resize(self, event: events.Resize) -> None:
        self._layout()

    def set_label_suffix(self, suffixes: dict[str, str]) -> None:
        """Text after a column's label (the sort marker); the header changes at the next set_rows."""
        if suffixes != self._label_suffix:
            self._label_suffix = suffixes
            self._relabel = True

    def _layout(self, force: bool = False) -> None:
        if not self.size.width:
            return
        widths = self.column_widths(self.size.width)
        if widths == self._widths and not force:
            return
        self._widths = widths
        self._relabel = False
        keep = self.cursor_key() if self._keep_on_layout is None else self._keep_on_layout
        self._keep_on_layout = None
        self.clear(columns=True)
        for spec in self.COLUMNS:
            if spec.key in widths:
                label = header_label(spec, widths[spec.key], self._label_suffix.get(spec.key, ""))
                self.add_column(Text(label, no_wrap=True, overflow="ellipsis"), width=widths[spec.key], key=spec.key)
        self._loaded = 0
        self._load_more(until=keep)
        self.show_key(keep)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Every column has the width _layout gave it and every row one line: DataTable's
        measuring of each new cell (to size columns of automatic width) would change nothing,
        and costs more than the rest of a keystroke that refills the table."""
        if self.columns and not any(column.auto_width for column in self.columns.values()):
            new_rows = ()
        super()._update_dimensions(new_rows)

    # ---- rows ------------------------------------------------------------------------------

    def set_rows(self, rows: list[tuple[str, Any]], render: Callable[[Any], Cells], keep: str | None = None) -> None:
        """Show `rows`; the cursor stays on `keep` (default: the row it is on) if still there."""
        keep = keep if keep is not None else self.cursor_key()
        same_keys = [k for k, _d in rows] == [k for k, _d in self._rows]
        self._rows = rows
        self._render_row = render
        self._index = {key: i for i, (key, _d) in enumerate(rows)}
        if not self._widths or self._relabel:
            self._cells = {}
            self._keep_on_layout = keep
            if self._relabel and self._widths:
                self._layout(force=True)  # new column labels: one rebuild of everything
            return  # or not laid out yet: on_resize adds the rows
        if same_keys:
            for key, data in rows[: self._loaded]:
                before = self._cells.get(key, {})
                cells = self._cells[key] = render(data)
                for column in self._widths:
                    value = cells.get(column, _BLANK)
                    if _differs(before.get(column, _BLANK), value):
                        self.update_cell(key, column, value)
        else:
            self._cells = {}
        if self.column_widths(self.size.width) != self._widths:
            self._keep_on_layout = keep
            self._layout(force=True)  # the rows need other widths: the columns again
            return
        if not same_keys:
            self.clear()
            self._loaded = 0
            self._load_more(until=keep)
        self.show_key(keep)

    def _load_more(self, until: str | None = None) -> None:
        """Render and add the next chunk of rows (or every row up to `until`)."""
        if self._loaded >= len(self._rows):
            return
        end = len(self._rows) if self.chunk is None else min(len(self._rows), self._loaded + self.chunk)
        if until is not None and until in self._index:
            end = max(end, self._index[until] + 1)
        columns = list(self._widths)
        for key, data in self._rows[self._loaded : end]:
            cells = self._cells.get(key)
            if cells is None:
                cells = self._cells[key] = self._render_row(data)
            self.add_row(*(cells.get(c, _BLANK) for c in columns), key=key)
        self._loaded = end

    @property
    def pending(self) -> int:
        """Rows not added yet (shown once the cursor comes near the end)."""
        return len(self._rows) - self._loaded

    @property
    def total(self) -> int:
        return len(self._rows)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.chunk is not None and event.cursor_row >= self._loaded - 3 and self.pending:
            self._load_more()

    # ---- cursor ----------------------------------------------------------------------------

    def cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        row = min(self.cursor_row, self.row_count - 1)
        return self.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value

    def show_key(self, key: str | None) -> None:
        """Put the cursor on the row `key`, or the first row when it is gone."""
        if not self.row_count:
            return
        try:
            index = self.get_row_index(key) if key is not None else 0
        except RowDoesNotExist:  # the row was filtered away
            index = 0
        self.move_cursor(row=index, animate=False)

    def data(self, key: str) -> Any:
        index = self._index.get(key)
        return None if index is None else self._rows[index][1]

    def keys(self) -> list[str]:
        return [k for k, _d in self._rows]


_BLANK = Text("")  # a cell a row leaves out (the person's columns of an empty seat)


def _differs(a: Text, b: Text) -> bool:
    return a.plain != b.plain or a.style != b.style
