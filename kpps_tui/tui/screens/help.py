"""The help screen (? or F1): every key of the screen it was opened from."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kpps_tui.i18n import N_, _
from kpps_tui.tui.keys import ScreenAction, TranslatedBindings, bind
from kpps_tui.tui.widgets.footer import KppsFooter


class HelpScreen(TranslatedBindings, ModalScreen[None]):
    DEFAULT_CLASSES = "dialog"
    BINDINGS = [
        bind("escape,q,f1,question_mark", "close", N_("Close the help"), id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen VerticalScroll {
        height: auto;
        max-height: 100%;
    }
    HelpScreen .help-notes {
        margin-top: 1;
    }
    """

    def __init__(self, title: str, actions: list[ScreenAction], notes: str = "") -> None:
        super().__init__()
        self.help_title = title
        self.actions = actions
        self.notes = notes

    def compose(self) -> ComposeResult:
        width = max((len(a.key_text) for a in self.actions), default=0) + 2
        table = Text(end="")
        for index, action in enumerate(self.actions):
            if index:
                table.append("\n")
            table.append(action.key_text.ljust(width), "bold")
            table.append(action.description)
        with Vertical():
            yield Static(Text(_("Keys: {screen}").format(screen=self.help_title), style="bold"))
            with VerticalScroll():
                yield Static(table)
                if self.notes:
                    yield Static(Text(self.notes), classes="help-notes")
                general = " ".join(
                    (
                        _("Tab moves between fields; the arrows move in a list."),
                        _("Ctrl+P lists these actions to search and run."),
                        _("Every change is saved at once; other sessions' changes show within a second."),
                    )
                )
                yield Static(Text(general, style="dim"), classes="help-notes")
        yield KppsFooter()

    def action_close(self) -> None:
        self.dismiss(None)
