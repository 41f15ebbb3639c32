"""A small modal: choose the other seat for a move or a swap (a digit key, or arrows and Enter)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kpps_tui.domain.model import seat_title
from kpps_tui.i18n import N_, _
from kpps_tui.tui.keys import TranslatedBindings, bind
from kpps_tui.tui.screens.base import HELP_BINDING
from kpps_tui.tui.widgets.footer import KppsFooter


class SeatChoice(TranslatedBindings, ModalScreen[int | None]):
    """Dismisses with the seat chosen, or None."""

    BINDINGS = [
        bind("escape", "cancel", N_("Cancel"), id="seat_choice.cancel"),
        HELP_BINDING,
        *[
            bind(str(n), f"choose({n})", N_("Choose that seat"), id=f"seat_choice.seat{n}", show=False)
            for n in range(1, 10)
        ],
    ]
    DEFAULT_CSS = """
    SeatChoice {
        align: center middle;
    }
    SeatChoice > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    SeatChoice #seat-choice-prompt {
        margin-bottom: 1;
    }
    SeatChoice OptionList {
        height: auto;
        max-height: 12;
    }
    """

    def __init__(self, prompt: str, views, current: int) -> None:
        super().__init__()
        self.prompt = prompt
        self.views = views
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.prompt), id="seat-choice-prompt")
            options = []
            for view in self.views:
                who = view.name if not view.empty else _("(empty)")
                label = f"{view.seat}  {seat_title(view.seat)} · {who}"
                options.append(Option(Content(label), id=str(view.seat), disabled=view.seat == self.current))
            yield OptionList(*options, markup=False)
            yield Static(Content(_("Press the seat's digit, or choose with the arrows and Enter.")), classes="hint")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = _("Choose a seat")
        options = self.query_one(OptionList)
        first = next((i for i, v in enumerate(self.views) if v.seat != self.current), None)
        options.highlighted = first

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option_id or 0))  # every option has its seat as id

    def action_choose(self, seat: int) -> None:
        if seat == self.current or not any(v.seat == seat for v in self.views):
            self.app.bell()
            return
        self.dismiss(seat)

    def action_cancel(self) -> None:
        self.dismiss(None)
