"""One- and few-line text widgets: the TPS list summary, a TPS's particulars, a detail line."""

from __future__ import annotations

from rich.text import Text
from textual.visual import VisualType
from textual.widgets import Static

from kpps_tui.i18n import _
from kpps_tui.services.browse import Summary
from kpps_tui.tui.text import Tones, fmt_int


class SummaryLine(Static):
    """Two lines under the filters, counting the TPS shown (each fits in 80 columns):

        15 of 413 TPS shown · full: 4 · empty: 3
        Seats filled: 62 of 105 · Surat Pernyataan verified: 40
    """

    DEFAULT_CSS = """
    SummaryLine {
        height: 2;
        padding: 0 1;
        background: $boost;
    }
    """

    def show(self, summary: Summary, shown: int, total: int, tones: Tones) -> None:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if shown != total:
            text.append(_("{shown} of {total} TPS shown").format(shown=fmt_int(shown), total=fmt_int(total)), tones.strong)
        else:
            text.append(_("All {total} TPS").format(total=fmt_int(total)))
        text.append(" · ")
        text.append(
            _("full: {full} · empty: {empty}").format(
                full=fmt_int(summary.tps_full), empty=fmt_int(summary.tps_empty)
            )
        )
        text.append("\n")
        text.append(
            _("Seats filled: {filled} of {seats}").format(
                filled=fmt_int(summary.seats_filled), seats=fmt_int(summary.seats_total)
            )
        )
        text.append(" · ")
        text.append(_("Surat Pernyataan verified: {declared}").format(declared=fmt_int(summary.declared)))
        self.update(text, layout=False)  # always two lines: nothing else on screen moves


class InfoBlock(Static):
    """A few lines of particulars (a TPS's address and voters, a person's details)."""

    DEFAULT_CSS = """
    InfoBlock {
        height: auto;
        padding: 0 1;
    }
    """

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """The new particulars; the screen is laid out again only when they take another
        number of lines. (Shown under a list, they change with every move of its cursor: a
        layout of the whole screen each time would cost more than the rest of the key.)"""
        width, height = self.content_size
        super().update(content, layout=False)
        fixed = self.styles.height is not None and not self.styles.height.is_auto
        if not layout or fixed:  # a box of fixed height stays as it is
            return
        if not (self.is_mounted and width):
            self.refresh(layout=True)
            return
        self._content_height_cache = (None, 0)  # the height Textual remembered is the old one's
        lines = self.get_content_height(self.size, self.size, width)
        most = self.styles.max_height
        if most is not None and most.is_cells:  # more lines than max-height: the box stays as high
            lines = min(lines, int(most.value) - self.styles.gutter.height)
        if lines != height:
            self.refresh(layout=True)
