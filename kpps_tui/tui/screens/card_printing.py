"""Officer ID cards: choose whose cards to print, see who is left out and why, preview a card
with its QR code (card_preview.py), set the sheet options (sheet_options.py), make the PDF in
the background, then print it or fetch it over SSH.

The PDF is made by a thread worker on its own Workspace object (a second session on the same
folder, as another coordinator's would be), so the screen, the poll of the app and the job
never share the in-memory workspace; the screen stays usable and `x` cancels between pages.
Where the PDF goes and what it is called is the services' policy (services/cards/files.py).
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import (
    Header,
    Label,
    ProgressBar,
    Select,
)
from textual.worker import Worker, WorkerState

from kpps_tui.domain.model import seat_title
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services.cards import (
    Cancelled,
    Generated,
    LeftOut,
    Scope,
    Selection,
    calibration_pdf,
    card_settings,
    cards_folder,
    fetch_hint,
    format_date,
    generate_cards,
    next_pdf_path,
    print_command,
    resolve_scope,
    select_cards,
    send_to_printer,
    sheet_options,
    update_card_settings,
)
from kpps_tui.services.workspace import Workspace, job_session
from kpps_tui.tui.screens.base import KppsScreen
from kpps_tui.tui.screens.card_preview import CardPreviewScreen
from kpps_tui.tui.screens.dialogs import ConfirmModal
from kpps_tui.tui.screens.sheet_options import SheetOptionsForm, offset_text
from kpps_tui.tui.keys import bind
from kpps_tui.tui.text import Tones, desa_options, fmt_int, fold_line, plain
from kpps_tui.tui.widgets.columns import Column
from kpps_tui.tui.widgets.lines import InfoBlock
from kpps_tui.tui.widgets.virtual_table import VirtualTable
from kpps_tui.tui.widgets.footer import KppsFooter

PDF_GROUP = "cards-pdf"
PRINT_GROUP = "cards-print"


class LeftOutTable(VirtualTable[LeftOut]):
    """The seats of the choice that get no card, and why; drawn a screen at a time (every TPS
    of a province leaves thousands out before the declarations are verified)."""

    COLUMNS = (
        Column("tps", N_("TPS"), width=13, weight=1, most=26),
        Column("seat", N_("Seat"), width=14),
        Column("name", N_("Name"), width=12, weight=1, most=30),
        Column("reason", N_("Why left out"), width=20, weight=4),
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tones = Tones()

    def row_key(self, row: LeftOut) -> str:
        return f"{row.tps_code}/{row.seat}"

    def row_cells(self, row: LeftOut) -> dict[str, Text]:
        tones = self.tones
        return {
            "tps": plain(row.tps_label),
            "seat": plain(seat_title(row.seat)),
            "name": plain(row.name or _("(empty)"), "" if row.name else tones.muted),
            "reason": plain(row.reason, tones.muted if not row.name else tones.warn),
        }


def _cut_words(cut: str) -> str:
    return _("cut marks") if cut == "marks" else _("dashed border")


class CardsScreen(KppsScreen[None]):
    """Whose cards to print, who is left out and why; the PDF, made in a worker."""
    WRITES = frozenset({"generate", "calibration"})  # hidden from a viewer (KppsScreen)

    HELP = N_(
        "Choose a kecamatan, a desa or one TPS; leave them open for every TPS. "
        "'Only not yet printed' skips cards printed before. A card is made only for an officer "
        "whose Surat Pernyataan is verified; the table says who is left out and why. "
        "v shows one card with its QR code, to scan from the screen. g makes the PDF in the "
        "background (x cancels: then no file is written); p sends it to the printer, or the screen "
        "shows the scp line that fetches it (c copies that line, y the PDF's path). o sets cut marks "
        "or a border, the back side for duplex printing and the x/y offsets in mm; t writes a "
        "calibration test page to measure them. A card is revoked when its officer leaves the seat."
    )

    DEFAULT_CSS = """
    CardsScreen #cards-choice {
        height: 1;
    }
    CardsScreen #cards-choice Select {
        width: 1fr;
        margin-right: 1;
    }
    CardsScreen #cards-choice #cards-tps {
        width: 13;
    }
    CardsScreen #cards-choice #cards-printed {
        width: 24;
        margin-right: 0;
    }
    CardsScreen #cards-summary {
        margin: 1 0 0 0;
    }
    CardsScreen #cards-left-detail {
        color: $text-muted;
    }
    CardsScreen #cards-job {
        height: 1;
        padding: 0 1;
    }
    CardsScreen #cards-progress {
        width: auto;
        margin-right: 1;
    }
    CardsScreen #cards-result {
        height: auto;
    }
    """

    BINDINGS = [
        bind("g", "generate", N_("Make the PDF"), id="cards.generate"),
        bind("v", "preview", N_("Preview"), id="cards.preview"),
        bind("o", "options", N_("Sheet options"), id="cards.options"),
        bind("t", "calibration", N_("Calibration page"), id="cards.calibration", show=False),
        bind("x", "cancel", N_("Cancel"), id="cards.cancel"),
        bind("p", "print", N_("Print"), id="cards.print"),
        # y and c are said beside the scp line (and in the help): the footer keeps Esc and ?.
        bind("y", "copy_path", N_("Copy the path"), id="cards.copy_path", show=False),
        bind("c", "copy_fetch", N_("Copy the scp line"), id="cards.copy_fetch", show=False),
        bind("escape", "back", N_("Back"), id="cards.back"),
    ]

    def __init__(
        self,
        workspace: Workspace,
        scope_kind: str | None = None,
        scope_value: str = "",
        *,
        today: date | None = None,
        folder: Path | None = None,
        **kwargs,
    ) -> None:
        super().__init__(workspace, **kwargs)
        self.today = today  # None: the interface's day (the clock's, or `kpps --today`)
        self.folder = Path(folder) if folder is not None else cards_folder(workspace)
        self._start = (scope_kind, scope_value)
        self.scope: Scope = Scope("all")
        self.selection: Selection | None = None
        self.job: str | None = None  # "cards", "calibration" or "print" while a worker runs
        self.cancel_event = threading.Event()
        self.pdf: Path | None = None  # the last PDF made here
        self.printer: list[str] | None = None
        self._result = Text(end="")

    # ---- building ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ws = self.workspace
        yield Header()
        with Horizontal(id="cards-choice"):
            yield Select(
                [(ws.region_name(k), k) for k in ws.kecamatan_codes()],
                prompt=_("All kecamatan"),
                compact=True,
                id="cards-kecamatan",
            )
            yield Select(desa_options(self.workspace, None), prompt=_("All desa"), compact=True, id="cards-desa")
            yield Select([], prompt=_("All TPS"), compact=True, id="cards-tps", disabled=True)
            # A choice, not a check box: a box's ticked and empty look differ only in colour.
            yield Select(
                [(_("Printed or not"), "any"), (_("Only not yet printed"), "new")],
                value="any",
                allow_blank=False,
                compact=True,
                id="cards-printed",
            )
        yield InfoBlock(id="cards-summary")
        yield LeftOutTable(id="cards-left-out", highlighted=self._show_left_detail)
        yield InfoBlock(id="cards-left-detail")
        with Horizontal(id="cards-job"):
            yield ProgressBar(total=None, show_eta=False, id="cards-progress")
            yield Label("", id="cards-job-status")
        yield InfoBlock(id="cards-result")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = _("ID cards")
        self.query_one("#cards-job").display = False
        kind, value = self._start
        if kind:
            ok, scope = self.kpps.run_service(resolve_scope, self.workspace, kind, value)
            if ok and scope is not None:
                self._choose(scope)
        self._result = Text(_("PDFs are saved in {folder}.").format(folder=self.folder), style="dim", end="")
        self.query_one("#cards-kecamatan", Select).focus()
        self.reload()

    def _tps_options(self, desa: str | None) -> list[tuple[str, str]]:
        if not desa:
            return []
        found = sorted((t for t in self.workspace.tps.values() if t.desa_code == desa), key=lambda t: t.number)
        return [(f"TPS {t.number:03d}", t.code) for t in found]

    def _choose(self, scope: Scope) -> None:
        """Set the three choices to show `scope` (opened for one TPS, a desa or a kecamatan)."""
        ws = self.workspace
        kecamatan = desa = tps = None
        if scope.kind == "tps":
            record = ws.tps[scope.code]
            kecamatan, desa, tps = record.kecamatan_code, record.desa_code, record.code
        elif scope.kind == "desa":
            kecamatan, desa = ".".join(scope.code.split(".")[:3]), scope.code
        elif scope.kind == "kecamatan":
            kecamatan = scope.code
        with self.prevent(Select.Changed):
            self._set_select("#cards-kecamatan", None, kecamatan)
            self._set_select("#cards-desa", desa_options(self.workspace, kecamatan), desa)
            self._set_select("#cards-tps", self._tps_options(desa), tps)
            self.query_one("#cards-printed", Select).value = "new" if scope.not_printed else "any"

    def _set_select(self, selector: str, options, value: str | None) -> None:
        select = self.query_one(selector, Select)
        if options is not None:
            select.set_options(options)
        if selector == "#cards-tps":
            select.disabled = not options
        if value is None:
            select.clear()
        else:
            select.value = value

    # ---- choosing ----------------------------------------------------------------------

    @on(Select.Changed, "#cards-kecamatan")
    def _kecamatan_changed(self, event: Select.Changed) -> None:
        kecamatan = self._value("#cards-kecamatan")
        with self.prevent(Select.Changed):
            self._set_select("#cards-desa", desa_options(self.workspace, kecamatan), None)
            self._set_select("#cards-tps", [], None)
        self.reload()

    @on(Select.Changed, "#cards-desa")
    def _desa_changed(self, event: Select.Changed) -> None:
        desa = self._value("#cards-desa")
        with self.prevent(Select.Changed):
            if desa and not self._value("#cards-kecamatan"):
                # Chosen from every desa: the kecamatan follows, so the choice reads as it is.
                self._set_select("#cards-kecamatan", None, ".".join(desa.split(".")[:3]))
                self._set_select("#cards-desa", desa_options(self.workspace, self._value("#cards-kecamatan")), desa)
            self._set_select("#cards-tps", self._tps_options(desa), None)
        self.reload()

    @on(Select.Changed, "#cards-tps")
    @on(Select.Changed, "#cards-printed")
    def _narrowed(self, event) -> None:
        self.reload()

    def _value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def chosen_scope(self) -> Scope:
        not_printed = self.query_one("#cards-printed", Select).value == "new"
        for kind, selector in (("tps", "#cards-tps"), ("desa", "#cards-desa"), ("kecamatan", "#cards-kecamatan")):
            code = self._value(selector)
            if code:
                return Scope(kind, code, not_printed)
        return Scope("all", "", not_printed)

    # ---- drawing -----------------------------------------------------------------------

    def reload(self) -> None:
        """Count again (another session may have seated someone or verified a declaration)."""
        if not self.is_mounted:
            return
        self.scope = self.chosen_scope()
        ok, selection = self.kpps.run_service(select_cards, self.workspace, self.scope)
        if not ok or selection is None:
            return
        self.selection = selection
        tones = Tones()
        self._show_summary(selection, tones)
        self.query_one(LeftOutTable).set_rows(selection.left_out)
        self._show_left_detail()
        self._show_result()

    def _show_left_detail(self, row: object = None) -> None:
        """The highlighted seat in full: the table cuts long names and reasons."""
        item = self.query_one(LeftOutTable).cursor_data()
        self.query_one("#cards-left-detail", InfoBlock).update(Text(item.describe(), end="") if item else "")

    def _show_summary(self, selection: Selection, tones: Tones) -> None:
        ws = self.workspace
        text = Text(end="")
        scope = self.scope.describe(ws)
        headline = _("{scope}: {summary}").format(scope=scope[:1].upper() + scope[1:], summary=selection.summary())
        text.append(headline, tones.strong)
        if not selection.left_out:
            text.append("\n")
            text.append(_("Nobody is left out."))
        else:
            reasons = Counter(item.reason for item in selection.left_out)
            text.append("\n")
            text.append(
                _("Left out: {reasons}").format(
                    reasons=" · ".join(f"{reason} ({fmt_int(n)})" for reason, n in reasons.most_common())
                )
            )
        start, until = ws.election.card_period
        text.append("\n")
        text.append(_("Cards valid {start} – {until}").format(start=format_date(start), until=format_date(until)))
        if ws.election.cards_ended(self._today()):
            text.append(" " + _("(over: g reprints the cards on record)"), tones.warn)
        settings = card_settings(ws)
        text.append("\n")
        text.append(
            _("Sheets: {cut}, {back}, offset x {x} mm, y {y} mm (o changes them).").format(
                cut=_cut_words(settings["cut"]),
                back=_("with a back side") if settings["back"] else _("front only"),
                x=offset_text(settings["offset_x_mm"]),
                y=offset_text(settings["offset_y_mm"]),
            ),
            tones.muted,
        )
        self.query_one("#cards-summary", InfoBlock).update(text)

    def _show_result(self) -> None:
        self.query_one("#cards-result", InfoBlock).update(self._result)

    # ---- preview -----------------------------------------------------------------------

    def action_preview(self) -> None:
        selection = self.selection
        if selection is None or not selection.seats:
            self.notify(
                _("No card to preview: nobody in this choice may get a card now."), severity="warning", markup=False
            )
            return
        self.app.push_screen(CardPreviewScreen(self.workspace, list(selection.seats), today=self._today()))

    # ---- sheet options -----------------------------------------------------------------

    def action_options(self) -> None:
        self.app.push_screen(SheetOptionsForm(card_settings(self.workspace)), callback=self._options_chosen)

    def _options_chosen(self, changes: dict | None) -> None:
        if not changes:
            return
        ok, _settings = self.kpps.run_service(update_card_settings, self.workspace, **changes)
        if ok:
            self.notify(_("Sheet options saved for this workspace."), markup=False)
        self.reload()

    # ---- making the PDF ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if super().check_action(action, parameters) is False:
            return False
        if action == "cancel":
            return self.job in ("cards", "calibration")
        if action == "generate":  # while a job runs x takes its place (80 columns hold one of them)
            return self.job is None
        if action in ("print", "copy_path", "copy_fetch"):
            if self.pdf is None or self.job is not None:
                return False
            if action == "print":
                return self.printer is not None
            return action == "copy_path" or self.printer is None
        return True

    def _pdf_path(self, scope: Scope | None) -> Path | None:
        """Where the next PDF goes (services' policy), or None, said, when its folder cannot be made."""
        try:
            return next_pdf_path(self.workspace, self.folder, scope)
        except OSError as exc:
            self.notify(
                _("The folder {folder} cannot be made: {error}").format(folder=self.folder, error=exc.strerror or exc),
                title=_("No PDF"),
                severity="error",
                markup=False,
                timeout=15,
            )
            return None

    def _busy(self) -> bool:
        if self.job is None:
            return False
        self.notify(_("Wait for the job that is running, or cancel it with x."), markup=False)
        return True

    def action_generate(self) -> None:
        if self._busy():
            return
        self.reload()
        selection = self.selection
        if selection is None:
            return
        if not selection.count:
            self.notify(
                _("Nothing to print for {scope}: {summary}").format(
                    scope=self.scope.describe(self.workspace), summary=selection.summary()
                ),
                severity="warning",
                markup=False,
            )
            return
        if not self.workspace.election.cards_ended(self._today()):
            self._generate(reprint=False)
            return
        start, until = self.workspace.election.card_period
        self.app.push_screen(
            ConfirmModal(
                _("The cards' period is over"),
                _(
                    "The ID cards of {election} were valid from {start} to {until}; a card made now would be void. "
                    "Print again the cards on record, as they were issued? Seats without one are left out. "
                    "New dates: `kpps settings set cards_valid_until DATE`."
                ).format(election=self.workspace.election.name, start=format_date(start), until=format_date(until)),
                yes=_("Reprint"),
                no=_("Cancel"),
            ),
            lambda answer: self._generate(reprint=True) if answer is True else None,
        )

    def _today(self) -> date:
        return self.today or self.kpps.today()

    def _generate(self, reprint: bool) -> None:
        path = self._pdf_path(self.scope)
        if path is None or self.selection is None:
            return
        self._start_job("cards", _("Issuing {n} cards…").format(n=fmt_int(self.selection.count)))
        self._make_cards(self.scope, path, sheet_options(self.workspace), self._today(), reprint)

    def action_calibration(self) -> None:
        if self._busy():
            return
        path = self._pdf_path(None)
        if path is None:
            return
        self._start_job("calibration", _("Writing the calibration page…"))
        self._make_calibration(path, sheet_options(self.workspace))

    def _start_job(self, job: str, status: str) -> None:
        self.job = job
        self.cancel_event = threading.Event()
        self.query_one("#cards-job").display = True
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one("#cards-job-status", Label).update(Text(status))
        self.refresh_bindings()

    def _job_workspace(self) -> Workspace:
        """(In the worker.) A session of its own on the same folder, as the same user."""
        return job_session(self.workspace)

    @work(thread=True, exclusive=True, group=PDF_GROUP, exit_on_error=False)
    def _make_cards(self, scope: Scope, path: Path, options, today: date, reprint: bool = False) -> Generated | None:
        """(In a thread.) The PDF, or None when cancelled (then no file was written)."""
        try:
            return generate_cards(
                self._job_workspace(),
                scope,
                path,
                options,
                today=today,
                progress=self._progress_from_worker,
                cancelled=self.cancel_event.is_set,
                reprint=reprint,
            )
        except Cancelled:
            return None

    @work(thread=True, exclusive=True, group=PDF_GROUP, exit_on_error=False)
    def _make_calibration(self, path: Path, options) -> Path:
        calibration_pdf(self._job_workspace(), path, options)
        return path

    def _progress_from_worker(self, done: int, total: int) -> None:
        self.app.call_from_thread(self._show_progress, done, total)

    def _show_progress(self, done: int, total: int) -> None:
        if not self.is_mounted or self.job != "cards":
            return
        self.query_one(ProgressBar).update(total=total, progress=done)
        if not self.cancel_event.is_set():
            self.query_one("#cards-job-status", Label).update(
                Text(_("{done} of {total} cards laid out").format(done=fmt_int(done), total=fmt_int(total)))
            )

    def action_cancel(self) -> None:
        if self.job not in ("cards", "calibration"):
            return
        self.cancel_event.set()
        self.query_one("#cards-job-status", Label).update(Text(_("Cancelling…")))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group not in (PDF_GROUP, PRINT_GROUP) or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            return
        job, self.job = self.job, None
        self.query_one("#cards-job").display = False
        tones = Tones()
        if event.state is WorkerState.SUCCESS and worker.result is not None:
            if job == "print":
                self._printed(worker.result)
            else:
                self._made(worker.result, tones)
        else:
            self._failed(worker.error, job, tones)
        self.refresh_bindings()
        self.reload()

    def _made(self, result: Generated | Path, tones: Tones) -> None:
        ws = self.workspace
        self.printer = print_command(ws)
        self.pdf = result.path if isinstance(result, Generated) else result
        # The full path once: in the scp line when there is no printer, else on the first line.
        where = str(self.pdf) if self.printer is not None else self.pdf.name
        if isinstance(result, Generated):
            text = Text(
                _("{cards} cards on {pages} pages: {path}").format(cards=result.cards, pages=result.pages, path=where),
                end="",
            )
            if result.expired_on:
                text.append("\n")
                text.append(
                    _("Warning: these cards were valid only until {day}, which has passed.").format(
                        day=format_date(result.expired_on)
                    ),
                    tones.warn,
                )
        else:
            text = Text(_("Calibration page: {path}").format(path=where), end="")
        text.append("\n")
        if self.printer is not None:
            command = " ".join(self.printer)
            text.append(_("p sends it to the printer ({command}).").format(command=command), tones.strong)
            text.append(" " + _("y copies its path."))
        else:
            command = str(card_settings(ws).get("print_command") or "")
            if command:
                how = _("{command} is not installed here. Fetch the PDF to your own computer with:").format(
                    command=command
                )
            else:
                how = _("No print command is set. Fetch the PDF to your own computer with:")
            text.append(how + " " + _("(c copies this line, y the path)"))
            text.append("\n")
            # One command: broken only where the line ends, never at its spaces, so it reads
            # as the one line that c copies.
            room = self.query_one("#cards-result").content_region.width or self.size.width - 2
            text.append(fold_line(fetch_hint(self.pdf), max(20, room)), tones.strong)
        self._result = text

    def _failed(self, error: BaseException | None, job: str | None, tones: Tones) -> None:
        if error is None:  # cancelled
            sentence = _("Cancelled: no PDF was written and no card is marked as printed.")
            self._result = Text(sentence, style=tones.warn, end="")
            self.notify(sentence, markup=False)
            return
        if isinstance(error, OSError):
            sentence = _("The PDF could not be written: {error}").format(error=error.strerror or error)
        else:
            sentence = str(error) if isinstance(error, KppsError) else repr(error)
        title = _("Not printed") if job == "print" else _("No PDF")
        self._result = Text(sentence, style=tones.bad, end="")
        self.notify(sentence, title=title, severity="error", markup=False, timeout=15)

    # ---- after the PDF -----------------------------------------------------------------

    def action_print(self) -> None:
        if self.pdf is None or self._busy():
            return
        if self.printer is None:
            self.notify(_("There is no print command here: fetch the PDF with the scp line."), markup=False)
            return
        self._start_job("print", _("Sending {name} to the printer…").format(name=self.pdf.name))
        self._print(self.pdf)

    @work(thread=True, exclusive=True, group=PRINT_GROUP, exit_on_error=False)
    def _print(self, path: Path) -> str:
        return send_to_printer(self._job_workspace(), path)

    def _printed(self, answer: str) -> None:
        sentence = _("Sent to the printer: {name}.").format(name=self.pdf.name if self.pdf else "")
        if answer:
            sentence += " " + answer
        self._result = Text(sentence, end="")
        self.notify(sentence, markup=False)

    def action_copy_path(self) -> None:
        if self.pdf is not None:
            self._copy(str(self.pdf))

    def action_copy_fetch(self) -> None:
        if self.pdf is not None:
            self._copy(fetch_hint(self.pdf))

    def _copy(self, text: str) -> None:
        """To the clipboard of the terminal the user sits at (OSC 52), even over SSH."""
        self.app.copy_to_clipboard(text)
        self.notify(
            _("Copied to the clipboard: {path}").format(path=text) + " " + _("(the terminal must allow OSC 52 copying)"),
            markup=False,
        )

    def action_back(self) -> None:
        if self.job in ("cards", "calibration"):
            self.action_cancel()
            return
        self.dismiss(None)

    def on_unmount(self) -> None:
        self.cancel_event.set()  # a job still running stops at its next page, writing nothing
