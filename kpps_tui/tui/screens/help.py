"""The help screen (? or F1): every key of the screen it was opened from."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from kpps_tui.i18n import N_, _
from kpps_tui.tui.keys import ScreenAction, TranslatedBindings, bind


class HelpScreen(TranslatedBindings, ModalScreen[None]):
    BINDINGS = [
        bind("escape,q,f1,question_mark", "close", N_("Close the help"), id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen VerticalScroll {
        height: auto;
        max-height: 100%;
    }
    """

    def __init__(self, title: str, actions: list[ScreenAction]) -> None:
        super().__init__()
        self.help_title = title
        self.actions = actions

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold")
        table.add_column()
        for action in self.actions:
            table.add_row(Text(action.key_text), Text(action.description))
        with Vertical():
            yield Static(Text(_("Keys: {screen}").format(screen=self.help_title), style="bold"))
            with VerticalScroll():
                yield Static(table)
                yield Static(
                    Text(
                        "\n"
                        + _("Tab moves between the filters and the table; the arrows move in a table.")
                        + "\n"
                        + _("Ctrl+P lists these actions to search and run.")
                        + "\n"
                        + _("Every change is saved at once; other sessions' changes show within a second."),
                        style="dim",
                    )
                )
        yield Footer(compact=True)

    def action_close(self) -> None:
        self.dismiss(None)
