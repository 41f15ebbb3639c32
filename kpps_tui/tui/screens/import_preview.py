"""Importing applicants from a CSV or XLSX file: choose the file, map its columns, look at what
would be added, updated and refused, then take every valid row at once (or nothing)."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, Label, Select, Static

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services.imports import (
    APPLICANT_FIELDS,
    Preview,
    apply_applicants,
    field_label,
    file_headers,
    preview_applicants,
    suggested_mapping,
)
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.base import KppsScreen
from kpps_tui.tui.text import Tones, fmt_int
from kpps_tui.tui.widgets.footer import KppsFooter

SHOWN_ADDED = 50  # names listed of the rows to add; the count is always whole
SHOWN_REFUSED = 1000  # refused rows listed (a broken file of 100,000 rows would freeze the screen)


class ImportPreview(KppsScreen[bool]):
    """Dismisses with True when rows were imported."""

    HELP = N_(
        "Type the path of a CSV or XLSX file and press Enter. Each field gets the file's column that "
        "was used last time for the same headers, or the one whose name fits; change any of them. The "
        "preview shows what would be added, updated (same NIK) and refused, with the row and the reason. "
        "Ctrl+S imports every valid row at once; Escape leaves without changing anything."
    )
    BINDINGS = [
        bind("ctrl+s", "apply", N_("Import the valid rows"), id="import.apply"),
        bind("escape", "cancel", N_("Cancel"), id="import.cancel"),
    ]
    DEFAULT_CSS = """
    ImportPreview .ip-row {
        height: 1;
    }
    ImportPreview .ip-row Label {
        width: 24;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ImportPreview .ip-row Input, ImportPreview .ip-row Select {
        width: 1fr;
    }
    ImportPreview #ip-map {
        height: auto;
        max-height: 8;
    }
    ImportPreview #ip-summary {
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    ImportPreview #ip-lines {
        height: 1fr;
    }
    """

    def __init__(self, workspace, path: str = "", **kwargs) -> None:
        super().__init__(workspace, **kwargs)
        self.start_path = path
        self.path: Path | None = None
        self.headers: list[str] = []
        self.preview: Preview | None = None
        self._filling = False

    def compose(self) -> ComposeResult:
        yield Header()
        box = Input(self.start_path, placeholder=_("/path/to/pendaftar.csv"), compact=True, id="ip-path")
        box.cursor_blink = self.kpps.cursor_blink
        yield Horizontal(Label(Text(_("File (Enter reads it)"))), box, classes="ip-row")
        with VerticalScroll(id="ip-map"):
            for fld in APPLICANT_FIELDS:
                label = field_label(fld) + (" *" if fld.required else "")
                select: Select[str] = Select([], prompt=_("(not in the file)"), compact=True, id=f"ip-field-{fld.key}")
                yield Horizontal(Label(Text(label)), select, classes="ip-row")
        yield Static(Text(_("Choose a file.")), id="ip-summary")
        with VerticalScroll(id="ip-lines"):
            yield Static("", id="ip-detail")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = _("Import applicants")
        # Every label whole: the column of labels is as wide as the longest (at least 24).
        labels = list(self.query(".ip-row Label"))
        width = max([24, *(cell_len(str(label.render())) + 1 for label in labels)])
        for label in labels:
            label.styles.width = width
        self.query_one("#ip-path", Input).focus()
        if self.start_path:
            self.read_file(self.start_path)

    # ---- the file and its columns ------------------------------------------------------

    @on(Input.Submitted, "#ip-path")
    def _path_given(self, event: Input.Submitted) -> None:
        event.stop()
        self.read_file(event.value)

    def read_file(self, text: str) -> None:
        self.preview = None
        path = Path(text.strip()).expanduser()
        try:
            headers = file_headers(path)
        except (KppsError, OSError) as exc:
            self._say(str(exc) if isinstance(exc, KppsError) else (exc.strerror or str(exc)), bad=True)
            return
        self.path, self.headers = path, headers
        mapping, _source = suggested_mapping(self.workspace, "applicants", headers)
        self._filling = True
        for fld in APPLICANT_FIELDS:
            select = self.query_one(f"#ip-field-{fld.key}", Select)
            select.set_options([(h, h) for h in headers])
            header = mapping.get(fld.key)
            select.value = header if header in headers else Select.NULL
        self._filling = False
        self.call_after_refresh(self.show_preview)

    def mapping(self) -> dict[str, str]:
        chosen = {}
        for fld in APPLICANT_FIELDS:
            value = self.query_one(f"#ip-field-{fld.key}", Select).value
            chosen[fld.key] = "" if value == Select.NULL else str(value)
        return chosen

    @on(Select.Changed)
    def _mapping_changed(self, event: Select.Changed) -> None:
        if not self._filling and self.path is not None:
            self.show_preview()

    # ---- the preview -------------------------------------------------------------------

    def _say(self, sentence: str, bad: bool = False) -> None:
        self.query_one("#ip-summary", Static).update(Text(sentence, style=Tones().bad if bad else ""))
        self.query_one("#ip-detail", Static).update("")

    def show_preview(self) -> None:
        if self.path is None:
            return
        self.preview = None
        try:
            preview = preview_applicants(self.workspace, self.path, self.mapping())
        except (KppsError, OSError) as exc:
            self._say(str(exc) if isinstance(exc, KppsError) else (exc.strerror or str(exc)), bad=True)
            return
        self.preview = preview
        tones = Tones()
        summary = Text(preview.summary(), style=tones.bad if preview.refused else "")
        if preview.changes:
            summary.append(" " + _("Ctrl+S imports the valid rows."), tones.strong)
        self.query_one("#ip-summary", Static).update(summary)
        lines = Text(end="")
        for row in preview.refused[:SHOWN_REFUSED]:
            lines.append(_("Row {row}: refused. {reason}").format(row=row.row, reason=row.reason) + "\n", tones.bad)
        if len(preview.refused) > SHOWN_REFUSED:
            more = fmt_int(len(preview.refused) - SHOWN_REFUSED)
            lines.append(
                _("... and {n} more refused rows; `kpps import applicants FILE --dry-run` lists every one.").format(n=more) + "\n",
                tones.bad,
            )
        for update in preview.updated[:SHOWN_REFUSED]:
            lines.append(
                _("Row {row}: update {name}: {fields}").format(row=update.row, name=getattr(update.after, "name", ""), fields=", ".join(update.fields))
                + "\n"
            )
        for person in preview.added[:SHOWN_ADDED]:
            lines.append(_("Add: {name} ({desa})").format(name=person.name, desa=self.workspace.region_name(person.desa_code)) + "\n")
        if len(preview.added) > SHOWN_ADDED:
            lines.append(_("... and {n} more to add.").format(n=fmt_int(len(preview.added) - SHOWN_ADDED)) + "\n")
        self.query_one("#ip-detail", Static).update(lines)

    # ---- taking it ---------------------------------------------------------------------

    def action_apply(self) -> None:
        preview = self.preview
        if preview is None or not preview.changes:
            self.notify(_("Nothing to import."), markup=False)
            return
        expected = preview.changes
        preview.release()
        ok, applied = self.kpps.run_titled(_("Not imported"), apply_applicants, self.workspace, preview)
        if not ok or applied is None:
            self.show_preview()
            return
        message = applied.summary()
        if applied.preview.changes != expected:
            message = _("The workspace changed meanwhile; what was done: {summary}").format(summary=applied.preview.summary())
        self.notify(message, title=_("Import"), markup=False, timeout=10)
        self.dismiss(applied.written)

    def action_cancel(self) -> None:
        self.dismiss(False)
