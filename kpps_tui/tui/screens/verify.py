"""Checking an officer's ID card: type the short code, or paste (or scan into the box) the
text of its QR code, and read the answer in words.

A USB or Bluetooth QR scanner types the code and Enter like a keyboard: the box is emptied
after each check, so the next card can be scanned straight away.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Header, Input, Static

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services.cards import Status, Verdict, verify_code
from kpps_tui.services.workspace import Workspace
from kpps_tui.tui.keys import TranslatedBindings, bind
from kpps_tui.tui.screens.base import KppsScreen
from kpps_tui.tui.text import Tones
from kpps_tui.tui.widgets.lines import InfoBlock
from kpps_tui.tui.widgets.footer import KppsFooter

HISTORY = 5  # earlier answers kept on screen

# A mark before the word, so the answer does not rest on colour: ✔ accept, ✘ do not.
MARKS = {
    Status.VALID: "✔",
    Status.REVOKED: "✘",
    Status.EXPIRED: "✘",
    Status.FORGED: "✘",
    Status.DAMAGED: "?",
}


class CodeBox(TranslatedBindings, Input):
    """The box for the code; Enter checks it."""


class VerifyScreen(KppsScreen[None]):
    """Is this card genuine and still valid? The answer for a typed or pasted code."""

    HELP = N_(
        "Type the short code printed under a card's QR code (dashes and spaces do not matter), "
        "or paste the text a QR reader gave, and press Enter. A QR scanner that types like a "
        "keyboard works too. The answer is one of: genuine and valid, revoked, expired, forged, "
        "damaged. The check uses this workspace: its key, its revocations and today's seats."
    )
    BINDINGS = [
        bind("escape", "back", N_("Back"), id="verify.back"),
        bind("ctrl+l", "clear", N_("Clear the answers"), id="verify.clear"),
    ]
    DEFAULT_CSS = """
    VerifyScreen #verify-intro {
        margin: 1 0 1 0;
    }
    VerifyScreen #verify-code {
        margin: 0 1;
    }
    VerifyScreen #verify-word {
        margin: 1 1 0 1;
        padding: 0 1;
        height: auto;
        border: heavy $foreground 50%;
        text-style: bold;
    }
    VerifyScreen #verify-word.-good {
        border: heavy green;
    }
    VerifyScreen #verify-word.-bad {
        border: heavy red;
    }
    VerifyScreen #verify-word.-empty {
        display: none;
    }
    VerifyScreen #verify-sentence {
        margin: 0 0 1 0;
    }
    VerifyScreen #verify-history {
        height: 1fr;
    }
    """

    def __init__(self, workspace: Workspace, *, today: date | None = None, **kwargs) -> None:
        super().__init__(workspace, **kwargs)
        self.today = today  # None: the interface's day (the clock's, or `kpps --today`)
        self.asked = ""  # the code of the answer shown
        self.verdict: Verdict | None = None
        self.history: list[tuple[str, Verdict]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoBlock(
            Text(
                _(
                    "Type the short code printed under the QR code, or paste the text of the QR code, "
                    "then press Enter."
                ),
                end="",
            ),
            id="verify-intro",
        )
        box = CodeBox(placeholder=_("Code, such as 7KQ-2MX-P9D, or KPPS:…"), id="verify-code")
        box.cursor_blink = self.kpps.cursor_blink
        yield box
        yield Static("", id="verify-word", classes="-empty")
        yield InfoBlock(id="verify-sentence")
        yield InfoBlock(id="verify-history")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = _("Check a card")
        self.query_one(CodeBox).focus()

    @on(Input.Submitted, "#verify-code")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        event.input.value = ""
        if self.verdict is not None:
            self.history.insert(0, (self.asked, self.verdict))
            del self.history[HISTORY:]
        self.check(text)

    def check(self, text: str) -> None:
        self.asked = text
        self.verdict = self._ask(text)
        self._show()

    def _ask(self, text: str) -> Verdict | None:
        try:
            return verify_code(text, ws=self.workspace, today=self.today or self.kpps.today())
        except KppsError as exc:
            self.notify(str(exc), title=_("Cannot check"), severity="error", markup=False, timeout=10)
        except OSError as exc:
            self.notify(
                _("The cards of this workspace cannot be read: {error}").format(error=exc.strerror or exc),
                title=_("Cannot check"),
                severity="error",
                markup=False,
                timeout=10,
            )
        return None

    def reload(self) -> None:
        """Another session changed the workspace (a seat, a card): ask again."""
        if self.is_mounted and self.asked and self.verdict is not None:
            self.verdict = self._ask(self.asked) or self.verdict
            self._show()

    def _show(self) -> None:
        tones = Tones()
        word = self.query_one("#verify-word", Static)
        verdict = self.verdict
        word.set_class(verdict is None, "-empty")
        word.set_class(verdict is not None and verdict.status is Status.VALID, "-good")
        word.set_class(verdict is not None and verdict.status is not Status.VALID, "-bad")
        sentence = Text(end="")
        if verdict is not None:
            word.update(Text(f"{MARKS[verdict.status]} {verdict.status.label.upper()}", end=""))
            sentence.append(verdict.message)
            sentence.append("\n")
            sentence.append(_("Checked: {code}").format(code=shorten(self.asked)), tones.muted)
        self.query_one("#verify-sentence", InfoBlock).update(sentence)
        history = Text(end="")
        if self.history:
            history.append(_("Earlier checks:"), tones.muted)
            for asked, earlier in self.history:
                history.append("\n")
                history.append(f"{MARKS[earlier.status]} {earlier.status.label}", tones.strong)
                who = earlier.card.name if earlier.card is not None else shorten(asked)
                history.append(f" · {who}", tones.muted)
        self.query_one("#verify-history", InfoBlock).update(history)

    def action_clear(self) -> None:
        self.asked, self.verdict, self.history = "", None, []
        self._show()
        self.query_one(CodeBox).focus()

    def action_back(self) -> None:
        self.dismiss(None)


def shorten(code: str, most: int = 40) -> str:
    """A pasted QR text is long: its start and end are enough to recognise it."""
    code = " ".join(code.split())
    return code if len(code) <= most else f"{code[: most - 12]}…{code[-10:]}"
