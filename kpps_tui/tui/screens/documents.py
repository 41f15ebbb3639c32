"""The office's documents for the TPS in view (e on the TPS list): choose one, read what the
office should decide before signing (empty seats, warnings without a reason, settings left
blank), then write it beside the workspace folder.

Reading the workspace into a document and laying it out run in thread workers on a session of
their own (a Workspace object opened on the same folder), so the screen stays usable.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from kpps_tui import clock
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services.documents import DocKind, Prepared, Scope, gaps_summary, prepare, scope_title, suggested_path, write
from kpps_tui.services.workspace import Workspace, job_session
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.base import HELP_BINDING, KppsModal
from kpps_tui.tui.text import Tones, fmt_int
from kpps_tui.tui.widgets.footer import KppsFooter

GROUP = "documents"
CHOICES = [(kind, suffix) for kind in DocKind for suffix in kind.formats]


class DocumentsModal(KppsModal[None]):
    """Choose a document; Enter reads the workspace, Enter again writes the file."""

    DEFAULT_CLASSES = "dialog"
    HELP = N_(
        "The documents cover the kecamatan or desa chosen in the TPS list (all TPS when none is "
        "chosen). Before a document is written, the list names the empty seats and the warnings "
        "whose reason is still owed, so the office decides. The honorarium list holds full NIKs: "
        "writing it is recorded in the audit log. Settings such as the SK number, the signatory and "
        "the rates: `kpps settings`."
    )
    BINDINGS = [
        bind("escape", "back", N_("Back"), id="documents.back"),
        bind("ctrl+s", "write", N_("Write the file"), id="documents.write"),
        HELP_BINDING,
    ]
    DEFAULT_CSS = """
    DocumentsModal #documents-title {
        text-style: bold;
    }
    DocumentsModal OptionList {
        height: auto;
        max-height: 12;
    }
    DocumentsModal #documents-report {
        height: auto;
        max-height: 14;
    }
    """

    def __init__(self, workspace: Workspace, scope: Scope, today: date | None = None) -> None:
        super().__init__(workspace)
        self.scope = scope
        self.today = today or clock.today()
        self.choice: tuple[DocKind, str] | None = None
        self.prepared: Prepared | None = None
        self.path: Path | None = None
        self._job_ws: Workspace | None = None  # the worker's session that read `prepared`
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(_("Documents: {scope}").format(scope=scope_title(self.workspace, self.scope))), id="documents-title")
            yield OptionList(
                *[Option(f"{kind.label} ({suffix[1:].upper()})", id=f"{kind.value}{suffix}") for kind, suffix in CHOICES],
                id="documents-choice",
            )
            yield ProgressBar(total=None, show_eta=False, id="documents-progress")
            with VerticalScroll(id="documents-report"):
                yield Static(id="documents-text")
            yield Static(id="documents-hint")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#documents-report").display = False
        self._hint(_("Enter reads the workspace into the chosen document; nothing is written yet."))
        choice = self.query_one("#documents-choice", OptionList)
        choice.highlighted = 0
        choice.focus()

    def _hint(self, text: str, style: Style | str = "") -> None:
        self.query_one("#documents-hint", Static).update(Text(text, style=style))

    # ---- choosing and reading ---------------------------------------------------------------

    @on(OptionList.OptionSelected, "#documents-choice")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if self.busy:
            return
        self.choice = CHOICES[event.option_index]
        self.prepared = None
        self.busy = True
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._hint(_("Reading the workspace…"))
        self._prepare(self.choice[0])

    def _job_workspace(self) -> Workspace:
        """(In the worker.) A session of its own on the same folder, as the same user."""
        return job_session(self.workspace)

    @work(thread=True, exclusive=True, group=GROUP, exit_on_error=False)
    def _prepare(self, kind: DocKind) -> tuple[Workspace, Prepared]:
        ws = self._job_workspace()
        return ws, prepare(ws, kind, self.scope, self.today, progress=self._progress)

    def _progress(self, done: int, total: int) -> None:
        self.app.call_from_thread(self._show_progress, done, total)

    def _show_progress(self, done: int, total: int) -> None:
        if self.is_mounted:
            self.query_one(ProgressBar).update(total=total, progress=done)

    @work(thread=True, exclusive=True, group=GROUP, exit_on_error=False)
    def _write(self, ws: Workspace, prepared: Prepared, path: Path) -> Path:
        return write(ws, prepared, path)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != GROUP or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        self.busy = False
        self.query_one(ProgressBar).display = False
        tones = Tones()
        if event.state is not WorkerState.SUCCESS:
            error = worker.error
            if isinstance(error, OSError):
                sentence = _("The file could not be written: {error}").format(error=error.strerror or error)
            else:
                sentence = str(error) if isinstance(error, KppsError) else repr(error)
            self._hint(sentence, tones.bad)
            self.notify(sentence, title=_("No document"), severity="error", markup=False, timeout=10)
        elif isinstance(worker.result, Path):
            self._written(worker.result, tones)
        elif isinstance(worker.result, tuple):
            self._job_ws, self.prepared = worker.result
            self._show_report(self.prepared, tones)
        self.refresh_bindings()

    def _show_report(self, prepared: Prepared, tones: Tones) -> None:
        kind, suffix = self.choice or (prepared.kind, prepared.kind.formats[0])
        self.path = suggested_path(self.workspace, kind, self.scope, suffix, clock.local_now())
        text = Text(_("{document}: {count} people.").format(document=kind.label, count=fmt_int(prepared.listed)), style=tones.strong)
        if prepared.gaps:
            text.append("\n" + gaps_summary(prepared.gaps), tones.warn)
            for gap in prepared.gaps:
                text.append("\n  " + gap.text)
        for note in prepared.notes:
            text.append("\n" + _("Note: {note}").format(note=note), tones.warn)
        if prepared.full_nik:
            text.append("\n" + _("It holds full NIKs: writing it is recorded in the audit log."))
        self.query_one("#documents-text", Static).update(text)
        self.query_one("#documents-choice").display = False
        report = self.query_one("#documents-report", VerticalScroll)
        report.display = True
        report.focus()
        self._hint(_("Ctrl+S writes {path}; Escape chooses again.").format(path=self.path))

    # ---- writing --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "write":
            return self.prepared is not None and not self.busy
        return True

    def action_write(self) -> None:
        if self.prepared is None or self.path is None or self._job_ws is None or self.busy:
            return
        self.busy = True
        self._hint(_("Writing {path}…").format(path=self.path))
        self._write(self._job_ws, self.prepared, self.path)

    def _written(self, path: Path, tones: Tones) -> None:
        self.prepared = None
        self._hint(_("Wrote {path}").format(path=path), tones.good)
        self.notify(_("Wrote {path}").format(path=path), markup=False, timeout=10)

    def action_back(self) -> None:
        """From the report back to the choice; from the choice, close."""
        if self.busy:
            return
        if self.query_one("#documents-report").display:
            self.prepared = None
            self.query_one("#documents-report").display = False
            choice = self.query_one("#documents-choice", OptionList)
            choice.display = True
            choice.focus()
            self._hint(_("Enter reads the workspace into the chosen document; nothing is written yet."))
            self.refresh_bindings()
            return
        self.dismiss(None)
