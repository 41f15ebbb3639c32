"""The sheet options of the ID cards: cut guide, back side, the x/y offsets in mm that line the
print up with the card stock, and the print command; saved in the workspace for next time."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from kpps_tui.i18n import N_, _, current_language
from kpps_tui.tui.keys import TranslatedBindings, bind
from kpps_tui.tui.screens.base import HELP_BINDING
from kpps_tui.tui.widgets.footer import KppsFooter

MAX_OFFSET_MM = 20.0  # further than this is a wrong paper size, not a drifting printer


def offset_text(value) -> str:
    """An offset as the cards screen says it: +1.5 (English) or +1,5 (Indonesian); 0 without a sign."""
    number = float(value)
    text = f"{number:+.1f}" if number else "0"
    return text.replace(".", ",") if current_language() == "id" else text


def parse_mm(text: str) -> float | None:
    """A length in mm as typed: '1.5', '-2', '1,5' (Indonesian decimal comma); None if not one."""
    cleaned = text.strip().replace(",", ".").removesuffix("mm").strip()
    if not cleaned:
        return 0.0
    try:
        return float(cleaned)
    except ValueError:
        return None


class SheetOptionsForm(TranslatedBindings, ModalScreen[dict | None]):
    """Cut guide, back side, offsets and print command; saved in the workspace for next time."""

    DEFAULT_CLASSES = "dialog"
    BINDINGS = [
        bind("escape", "cancel", N_("Cancel"), id="sheet.cancel"),
        bind("ctrl+s", "accept", N_("Save"), id="sheet.accept"),
        HELP_BINDING,
    ]
    DEFAULT_CSS = """
    SheetOptionsForm Label {
        color: $text-muted;
    }
    SheetOptionsForm #sheet-error {
        color: $text-error;
        height: auto;
    }
    SheetOptionsForm .sheet-offsets {
        height: auto;
    }
    SheetOptionsForm .sheet-offsets > Vertical {
        height: auto;
        width: 1fr;
    }
    SheetOptionsForm .sheet-offsets > Vertical:first-of-type {
        margin-right: 2;
    }
    """

    def __init__(self, settings: dict) -> None:
        super().__init__()
        self.settings = settings

    def compose(self) -> ComposeResult:
        s = self.settings
        blink = getattr(self.app, "cursor_blink", True)

        def box(value: str, id: str) -> Input:
            widget = Input(value, id=id)
            widget.cursor_blink = blink
            return widget

        with Vertical():
            yield Static(Text(_("Sheet options"), style="bold"))
            yield Label(_("Cut guide"))
            yield Select(
                [(_("Cut marks at the corners"), "marks"), (_("A dashed border around each card"), "border")],
                value=s["cut"],
                allow_blank=False,
                id="sheet-cut",
            )
            yield Label(_("Back side"))
            yield Select(
                [(_("Front only"), "no"), (_("A back side after each sheet (duplex, long edge)"), "yes")],
                value="yes" if s["back"] else "no",
                allow_blank=False,
                id="sheet-back",
            )
            with Horizontal(classes="sheet-offsets"):
                with Vertical():
                    yield Label(_("Offset x in mm (+ right, − left)"))
                    yield box(_mm_plain(s["offset_x_mm"]), "sheet-x")
                with Vertical():
                    yield Label(_("Offset y in mm (+ down, − up)"))
                    yield box(_mm_plain(s["offset_y_mm"]), "sheet-y")
            yield Label(_("Print command (the PDF's path is added at the end; empty: none)"))
            yield box(str(s.get("print_command") or ""), "sheet-command")
            yield Static("", id="sheet-error")
            yield Static(Text(_("Enter or Ctrl+S saves, Escape cancels."), style="dim"))
        yield KppsFooter()

    def on_mount(self) -> None:
        self.query_one("#sheet-cut", Select).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_accept()

    def action_accept(self) -> None:
        values: dict = {}
        for key, selector in (("offset_x_mm", "#sheet-x"), ("offset_y_mm", "#sheet-y")):
            box = self.query_one(selector, Input)
            number = parse_mm(box.value)
            if number is None or abs(number) > MAX_OFFSET_MM:
                self.query_one("#sheet-error", Static).update(
                    Text(
                        _("An offset is a number of mm between -{most} and {most}, such as 1.5 or -2.").format(
                            most=int(MAX_OFFSET_MM)
                        )
                    )
                )
                box.focus()
                return
            values[key] = number
        values["cut"] = str(self.query_one("#sheet-cut", Select).value)
        values["back"] = self.query_one("#sheet-back", Select).value == "yes"
        values["print_command"] = self.query_one("#sheet-command", Input).value.strip()
        changed = {k: v for k, v in values.items() if self.settings.get(k) != v}
        self.dismiss(changed)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _mm_plain(value) -> str:
    text = f"{float(value):g}"
    return text.replace(".", ",") if current_language() == "id" else text
