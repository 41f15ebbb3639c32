"""Small modals: a form of a few fields (a reason, a file path, a party letter) and a report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from kpps_tui.i18n import N_, _
from kpps_tui.tui.keys import TranslatedBindings, bind
from kpps_tui.tui.screens.base import HELP_BINDING
from kpps_tui.tui.widgets.footer import KppsFooter


@dataclass(frozen=True)
class Field:
    """One line of a form: a text box, or a choice when `options` are given."""

    key: str
    label: str  # already translated
    value: str = ""
    placeholder: str = ""
    options: Sequence[tuple[str, str]] = ()  # (shown, value) for a choice


# Checks the answers; returns the sentence that says what is wrong, or None when they will do.
Validator = Callable[[dict[str, str]], str | None]


class FormPrompt(TranslatedBindings, ModalScreen[dict[str, str] | None]):
    """Ask for a few values; Enter in the last box (or Ctrl+S) accepts, Escape cancels.

    Dismisses with {field key: text} or None. An empty required box, or what `validate`
    refuses, is said in the form itself, which stays open.
    """

    DEFAULT_CLASSES = "dialog"
    BINDINGS = [
        bind("escape", "cancel", N_("Cancel"), id="form.cancel"),
        bind("ctrl+s", "accept", N_("Accept"), id="form.accept"),
        HELP_BINDING,
    ]
    DEFAULT_CSS = """
    FormPrompt #form-title {
        text-style: bold;
    }
    FormPrompt #form-sentence {
        margin-bottom: 1;
    }
    FormPrompt Label {
        color: $text-muted;
        width: 100%;  /* a long warning wraps instead of being cut */
    }
    FormPrompt #form-error {
        color: $text-error;
        height: auto;
    }
    """

    def __init__(
        self,
        title: str,
        sentence: str,
        fields: Sequence[Field],
        *,
        required: Sequence[str] = (),
        validate: Validator | None = None,
    ) -> None:
        super().__init__()
        self.form_title = title
        self.sentence = sentence
        self.fields = list(fields)
        self.required = set(required)
        self.validate = validate

    def compose(self) -> ComposeResult:
        blink = getattr(self.app, "cursor_blink", True)
        with Vertical():
            yield Static(Text(self.form_title), id="form-title")
            if self.sentence:
                yield Static(Text(self.sentence), id="form-sentence")
            for field in self.fields:
                yield Label(Text(field.label))
                if field.options:
                    yield Select(list(field.options), value=field.value, allow_blank=False, id=f"field-{field.key}")
                else:
                    box = Input(field.value, placeholder=field.placeholder, id=f"field-{field.key}")
                    box.cursor_blink = blink
                    yield box
            yield Static("", id="form-error")
            hint = _("Enter accepts, Escape cancels.")
            yield Static(Text(hint, style="dim"))
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = self.form_title
        first = self.query(Input).first() if self.query(Input) else None
        if first is not None:
            first.focus()

    def values(self) -> dict[str, str]:
        found = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.key}")
            value = widget.value if isinstance(widget, Input) else str(self.query_one(f"#field-{field.key}", Select).value)
            found[field.key] = value.strip()
        return found

    def say(self, sentence: str) -> None:
        self.query_one("#form-error", Static).update(Text(sentence))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        boxes = list(self.query(Input))
        index = boxes.index(event.input)
        if index + 1 < len(boxes):
            boxes[index + 1].focus()  # Enter walks to the next box, and accepts in the last
        else:
            self.action_accept()

    def action_accept(self) -> None:
        values = self.values()
        for field in self.fields:
            if field.key in self.required and not values[field.key]:
                self.say(_("Fill in: {field}").format(field=field.label))
                self.query_one(f"#field-{field.key}").focus()
                return
        problem = self.validate(values) if self.validate else None
        if problem:
            self.say(problem)
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_reason(title: str, sentence: str, label: str | None = None) -> FormPrompt:
    """A form with one required text box: why."""
    return FormPrompt(
        title, sentence, [Field("reason", label or _("Reason"))], required=["reason"]
    )


class ReportModal(TranslatedBindings, ModalScreen[None]):
    """A few lines to read (who was refused and why); Escape or Enter closes."""

    DEFAULT_CLASSES = "dialog"
    BINDINGS = [
        bind("escape,enter,q", "close", N_("Close"), id="report.close"),
        HELP_BINDING,
    ]
    DEFAULT_CSS = """
    ReportModal VerticalScroll {
        height: auto;
        max-height: 18;
    }
    """

    def __init__(self, title: str, summary: str, lines: Sequence[str]) -> None:
        super().__init__()
        self.report_title = title
        self.summary = summary
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.report_title, style="bold"))
            yield Static(Text(self.summary))
            with VerticalScroll(can_focus=True, id="report-lines"):
                yield Static(Text("\n".join(self.lines)))
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = self.report_title
        self.query_one("#report-lines").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmModal(TranslatedBindings, ModalScreen[bool | str]):
    """A question before a step that cannot be taken back, or that goes against a rule.

    Enter does it (the footer names it with `yes`), Escape keeps things as they are; both
    answers are said in words, never by colour. Dismisses with True for Enter, False for
    Escape, and OTHER for Ctrl+O when `other` names a third answer.
    """

    OTHER = "other"
    DEFAULT_CLASSES = "dialog"
    BINDINGS = [
        bind("enter", "answer(True)", N_("Yes"), id="confirm.yes"),
        bind("escape", "answer(False)", N_("No"), id="confirm.no"),
        bind("ctrl+o", "other", N_("Other"), id="confirm.other"),
        HELP_BINDING,
    ]

    def __init__(self, title: str, sentence: str, yes: str, no: str, other: str = "") -> None:
        super().__init__()
        self.question_title = title
        self.sentence = sentence
        self.yes, self.no, self.other = yes, no, other

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question_title, style="bold"), id="confirm-title")
            yield Static(Text(self.sentence), id="confirm-sentence")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = self.question_title
        # The footer says what Enter and Escape do here, in this question's own words.
        for key, words in (("enter", self.yes), ("escape", self.no), ("ctrl+o", self.other)):
            for binding in self._bindings.key_to_bindings.get(key, []):
                self._bindings.key_to_bindings[key] = [replace(binding, description=words, show=bool(words))]
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self.other) if action == "other" else True

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_other(self) -> None:
        self.dismiss(self.OTHER)
