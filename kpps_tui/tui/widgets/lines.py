"""One- and few-line text widgets: the TPS list summary, a TPS's particulars, a detail line."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from kpps_tui.i18n import _
from kpps_tui.services.browse import Summary
from kpps_tui.tui.text import Tones, fmt_int


class SummaryLine(Static):
    """TPS full 121 of 413 · empty 49 · seats filled 1,727 of 2,891 (of the TPS shown)."""

    DEFAULT_CSS = """
    SummaryLine {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    """

    def show(self, summary: Summary, shown: int, total: int, tones: Tones) -> None:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if shown != total:
            text.append(_("{shown} of {total} TPS shown").format(shown=fmt_int(shown), total=fmt_int(total)), tones.strong)
            text.append(" · ")
        text.append(
            _("Full: {full} of {total} TPS").format(full=fmt_int(summary.tps_full), total=fmt_int(summary.tps_total))
        )
        text.append(" · ")
        text.append(_("empty: {empty}").format(empty=fmt_int(summary.tps_empty)))
        text.append(" · ")
        text.append(
            _("seats filled: {filled} of {seats}").format(
                filled=fmt_int(summary.seats_filled), seats=fmt_int(summary.seats_total)
            )
        )
        self.update(text)


class InfoBlock(Static):
    """A few lines of particulars (a TPS's address and voters, a person's details)."""

    DEFAULT_CSS = """
    InfoBlock {
        height: auto;
        padding: 0 1;
    }
    """
