"""The kpps-tui application: `KppsApp(workspace).run()`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast

from rich.cells import cell_len, set_cell_size
from textual import events
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette
from textual.content import Content
from textual.filter import LineFilter, Monochrome, NoColor
from textual.screen import Screen

from kpps_tui import clock
from kpps_tui.domain.model import seat_title
from kpps_tui.domain.nik import mask_nik
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services import status
from kpps_tui.services.recovery import start_session
from kpps_tui.services.users import refusal, whoami
from kpps_tui.services.workspace import Workspace
from kpps_tui.tui.collector import QUIET_S, RestingCollector
from kpps_tui.tui.commands import KppsCommandPalette, ScreenActionsProvider, TpsProvider, translate_select_menus
from kpps_tui.tui.keys import TranslatedBindings, bind, screen_actions
from kpps_tui.tui.screens.base import KppsScreen, WorkspaceView
from kpps_tui.tui.screens.dashboard import DashboardScreen
from kpps_tui.tui.screens.help import HelpScreen
from kpps_tui.tui.theme import ReadableGreys, theme_for
from kpps_tui.tui.widgets.search_input import SearchInput

if TYPE_CHECKING:  # the seat changes load with the screens that make them (picker, TPS)
    from kpps_tui.services.history import History, Step

# Only the first screen (the ringkasan) is imported with the app: the others, the TPS list too,
# and the libraries behind them (reportlab, qrcode, OR-Tools, openpyxl, python-docx), load when
# first opened, so that the first screen is drawn sooner (benchmarks/bench_startup.py;
# tests/test_startup_imports.py keeps them out).

T = TypeVar("T")

POLL_SECONDS = 1.0

# Keys the ringkasan answers from the TPS alone: before the applicants are read (after the
# first paint) they do not wait for them; every other key and click does.
KEYS_WITHOUT_APPLICANTS = frozenset(
    {"up", "down", "pageup", "pagedown", "home", "end", "left", "right", "tab", "shift+tab", "escape", "backspace", "g", "j", "ctrl+q"}
)


class KppsApp(TranslatedBindings, App[None]):
    """Browse the TPS of a workspace and seat their officers, all by keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "KPPS"
    COMMANDS = {ScreenActionsProvider, TpsProvider}
    BINDINGS = [
        bind("ctrl+q", "quit", N_("Quit"), id="app.quit", show=False, priority=True),
        bind("question_mark,f1", "help", N_("Help"), id="app.help"),
        bind("ctrl+p", "command_palette", N_("Actions"), id="app.palette", show=False, priority=True),
        bind("d", "declarations", N_("Declarations"), id="app.declarations", show=False),
        bind("l", "audit_log", N_("Audit log"), id="app.audit_log", show=False),
        bind("k", "cards", N_("ID cards"), id="app.cards", show=False),
        bind("i", "verify", N_("Check a card"), id="app.verify", show=False),
        bind("w", "applicants", N_("Applicants"), id="app.applicants", show=False),
        bind("t", "tps_list", N_("TPS list"), id="app.tps_list", show=False),
        bind("r", "dashboard", N_("Ringkasan"), id="app.dashboard", show=False),
        bind("ctrl+z", "undo", N_("Undo"), id="app.undo", show=False),
        bind("ctrl+y,ctrl+shift+z", "redo", N_("Redo"), id="app.redo", show=False),
    ]

    def __init__(
        self,
        workspace: Workspace,
        *,
        cursor_blink: bool = True,
        poll_seconds: float = POLL_SECONDS,
        color_system: str | None = None,
        start: str = "dashboard",
        today: Callable[[], date] = clock.today,
    ) -> None:
        """`start`: the first screen, "dashboard" (the ringkasan) or "tps" (the TPS list).
        `today`: the clock the schedule and the card validity are judged by."""
        super().__init__()
        translate_select_menus()
        self.start = start
        self.today = today
        self.color_system = color_system
        self._greys = ReadableGreys()
        self.workspace = workspace
        self.cursor_blink = cursor_blink
        self.poll_seconds = poll_seconds
        self.animation_level = "none"
        self._election_words = self._who_words = ""
        self._follow_header()
        self._poll_error: str | None = None
        # A people file found damaged when read after the first paint: the program stops, and
        # commands/interface.py says this sentence as it would have at opening.
        self.failure: Exception | None = None
        self._writes = 0  # seat changes being written in worker threads
        self.collector = RestingCollector()  # full collections wait for a pause in the keys

    @cached_property
    def history(self) -> History:
        """Every seat change this session makes goes through here, so Ctrl+Z can undo it."""
        from kpps_tui.services.history import History

        return History()

    def get_default_screen(self) -> Screen:
        if self.start == "tps":
            from kpps_tui.tui.screens.tps_list import TpsListScreen

            return TpsListScreen(self.workspace)
        return DashboardScreen(self.workspace, self.today)

    def on_mount(self) -> None:
        # Headless (tests, screenshots): the same look whatever terminal runs them, unless the
        # test names the terminal it stands for.
        color_system = self.color_system or (None if self.is_headless else self.console.color_system)
        self.theme = theme_for(color_system, self.no_color)
        self.set_interval(self.poll_seconds, self.poll_workspace, name="poll-workspace")
        self.call_after_refresh(self.collector.start)  # before the applicants' read starts
        self.set_interval(QUIET_S / 2, self.collector.tick, name="resting-collector")
        # A snapshot of the workspace as this session found it, once the first screen is drawn
        # (copying every file beside the first paint would slow it); after a deferred open,
        # once the applicants are read after that paint, in a thread too.
        if self.workspace.people_ready:
            self.call_after_refresh(self._start_snapshot)
        else:
            self.call_after_refresh(self.run_worker, self._read_people, name="read-people", thread=True, exit_on_error=False)
        refused = refusal(self.workspace)
        if refused is not None:  # a viewer: say once why every change will be refused
            self.notify(refused, title=_("Read only"), markup=False, timeout=15)

    def _follow_header(self) -> None:
        """The header's election and login as the workspace says now: another session may have
        set the cards' period (`kpps settings set cards_valid_until`) or this login's role, and
        the day may have passed the period's end (each poll looks again)."""
        election, who = election_title(self.workspace, self.today()), whoami(self.workspace).label
        if (election, who) != (self._election_words, self._who_words):
            self._election_words, self._who_words = election, who
            self.sub_title = f"{election} · {who}"

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header line: the screen, the election, who works (login and role). When it is
        wider than the header, the election's name gives way ("…"): the screen and the login
        with its role stay whole."""
        room = self.size.width - HEADER_SIDES
        whole = f"{title} — {sub_title}"
        tail = f" · {self._who_words}"
        if cell_len(whole) > room and sub_title == f"{self._election_words}{tail}":
            left = room - cell_len(title) - cell_len(" — ") - cell_len(tail)
            if left >= 6:
                sub_title = set_cell_size(self._election_words, left - 1) + "…" + tail
        return super().format_title(title, sub_title)

    def get_line_filters(self) -> Sequence[LineFilter]:
        """NO_COLOR: greys that keep text readable, in place of Textual's plain greys."""
        filters = super().get_line_filters()
        if not self.no_color:
            return filters
        return [self._greys if isinstance(f, (Monochrome, NoColor)) else f for f in filters]

    def _start_snapshot(self) -> None:
        self.run_worker(self._snapshot_session, name="session-snapshot", thread=True, exit_on_error=False)

    # ---- the applicants, read after the first paint ---------------------------------------

    def _read_people(self) -> None:
        """(In a thread.) Read the people files a deferred open left, and count the audit log
        for the ringkasan's pace; they are held on the UI thread (`_people_arrived`), which
        reads nothing of them meanwhile."""
        try:
            self.workspace.read_people()
        except (KppsError, OSError) as exc:
            self.call_from_thread(self._people_failed, exc)
            return
        try:
            tally: status.LogTally | None = status.count_log(self.workspace)
        except OSError:
            tally = None  # the ringkasan reads the log itself when it needs it
        self.call_from_thread(self._people_arrived, tally)

    def _people_arrived(self, tally: status.LogTally | None = None) -> None:
        held = self._hold_people()
        if held is None:
            return
        if tally is not None:
            status.take_log(self.workspace, tally)
        self._start_snapshot()
        if held and isinstance(self.screen, WorkspaceView):
            self.screen.workspace_changed(set(self.workspace.kecamatan_codes()) | {""})

    def _hold_people(self) -> bool | None:
        """The applicants in memory (awaiting their read under way if need be), then the files
        brought in step as by a poll: a batch another session applied between the reads of the
        TPS and the people files is completed. Whether anything changed; None when a people
        file is damaged: the program then stops with its sentence."""
        ws = self.workspace
        try:
            held = ws.load_people()
            changed = ws.refresh() if not self.writing else set()
        except (KppsError, OSError) as exc:
            self._people_failed(exc)
            return None
        return held or bool(changed)

    def _people_failed(self, exc: Exception) -> None:
        if self.failure is None:
            self.failure = exc
            self.exit(return_code=1)

    def on_unmount(self) -> None:
        self.collector.stop()

    def on_key(self, event: events.Key) -> None:
        """A character that comes back up to the app while a search box has the focus was
        typed before the box took it ("/ani" in one go, a TPS number's second digit): the
        app had sent it on to the widget focused then, and
        Textual would read it as a key of the screen now (`n` opened a form). It is the
        box's: the box takes every character typed into it, so none comes back from there."""
        box = self.focused
        if event.is_printable and isinstance(box, SearchInput):
            event.stop()
            event.prevent_default()  # not Textual's bindings after this handler
            box.post_message(events.Key(event.key, event.character))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.collector.input_seen()
        # Before the applicants are read, a key other than a move on the ringkasan (or a click)
        # waits for them, so whatever it opens or changes sees them all.
        if (
            not self.workspace.people_ready
            and isinstance(event, (events.Key, events.MouseDown))
            and not event.is_forwarded
            and not (isinstance(event, events.Key) and event.key in KEYS_WITHOUT_APPLICANTS)
            and self._hold_people() is None
        ):
            return
        await super().on_event(event)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Every other screen shows the applicants: they are read first, if they are not yet."""
        if not self.workspace.people_ready and self._hold_people() is None:
            return AwaitComplete()  # the program stops: a people file is damaged
        return super().push_screen(screen, *args, **kwargs)

    def _snapshot_session(self) -> None:
        """(In a thread.) A failure is a warning: the work can go on without this snapshot."""
        try:
            start_session(self.workspace)
        except (OSError, KppsError) as exc:
            error = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
            message = _(
                "The snapshot of the workspace at the start of this session could not be taken: {error}. "
                "Work goes on; `kpps backup` takes one by hand."
            ).format(error=error)
            self.call_from_thread(
                self.notify, message, title=_("No snapshot"), severity="warning", markup=False, timeout=20
            )

    # ---- other sessions --------------------------------------------------------------------

    def poll_workspace(self) -> None:
        """Reload what another session changed on disk and redraw the screen in front."""
        if self.writing:
            return  # the write in its thread reloads the workspace; look again at the next tick
        if not self.workspace.people_ready:
            return  # the applicants are being read; the files are brought in step once they are in
        try:
            changed = self.workspace.refresh()
        except KppsError as exc:
            message = str(exc)
            if message != self._poll_error:  # say it once, not every second
                self._poll_error = message
                self.notify(message, title=_("Cannot read the workspace"), severity="error", markup=False, timeout=15)
            return
        self._poll_error = None
        self._follow_header()
        if changed and isinstance(self.screen, WorkspaceView):
            self.screen.workspace_changed(changed)

    # ---- running the services --------------------------------------------------------------

    @property
    def writing(self) -> bool:
        """Whether a change is being written in a worker thread (see `run_write`)."""
        return self._writes > 0

    def run_write(
        self,
        service: Callable[..., T],
        *args: Any,
        done: Callable[[T], None],
        failed: Callable[[KppsError], bool] | None = None,
        after: Callable[[], None] | None = None,
    ) -> None:
        """Run a durable write (a seat change: lock, reload, check, fsync) in a worker thread,
        so the screen answers within a frame; the write starts once that frame is drawn. Back
        on the UI thread: `done(result)`, or for a refusal `failed(error)`, which returns True
        when it told the user itself; otherwise the refusal's sentence is a notice as with
        `run_service`. `after()` runs either way. Meanwhile the poll leaves the workspace
        alone (the write reloads it)."""
        self._writes += 1

        def finish(ok: bool, value: Any) -> None:
            self._writes -= 1
            try:
                if ok:
                    done(value)
                elif not (isinstance(value, KppsError) and failed is not None and failed(value)):
                    self._say_failure(_("Refused"), value)
            finally:
                if after is not None:
                    after()

        # The write waits until the screen has drawn its answer: on the same interpreter lock,
        # a thread running alongside would hold up that frame by up to a switch interval (5 ms)
        # at a time. Once the messages queued now are handled and the screen refreshed, twice
        # (the first refresh can come before a widget's own repaint reaches the screen); at most
        # ANSWER_WAIT_S should a screen change drop the callback.
        answered = threading.Event()
        self.call_after_refresh(self.call_after_refresh, answered.set)

        def work() -> None:
            answered.wait(ANSWER_WAIT_S)
            try:
                result = service(*args)
            except Exception as exc:  # said on the UI thread, as one sentence
                self.call_from_thread(finish, False, exc)
            else:
                self.call_from_thread(finish, True, result)

        self.run_worker(work, name="write", group=WRITE_GROUP, thread=True, exit_on_error=False)

    def _say_failure(self, title: str, exc: BaseException) -> None:
        if isinstance(exc, KppsError):
            self.notify(str(exc), title=title, severity="error", markup=False, timeout=10)
            return
        error = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or repr(exc)
        self.notify(
            _("The change could not be saved: {error}").format(error=error),
            title=_("Not saved"),
            severity="error",
            markup=False,
            timeout=15,
        )

    def run_service(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[bool, T | None]:
        """Call a service; on a refusal or failure show its sentence and return (False, None)."""
        return self.run_titled(_("Refused"), service, *args, **kwargs)

    def run_titled(self, title: str, service: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[bool, T | None]:
        """`run_service`, with `title` over the sentence of a refusal."""
        try:
            return True, service(*args, **kwargs)
        except KppsError as exc:
            self.notify(str(exc), title=title, severity="error", markup=False, timeout=10)
        except OSError as exc:
            self.notify(
                _("The change could not be saved: {error}").format(error=exc.strerror or exc),
                title=_("Not saved"),
                severity="error",
                markup=False,
                timeout=15,
            )
        return False, None

    # ---- undo and redo ---------------------------------------------------------------------

    def action_undo(self) -> None:
        if not self.history.done:
            self.notify(_("Nothing to undo: this session has not changed a seat yet."), markup=False)
            return
        ok, step = self.run_titled(_("Cannot undo"), self.history.undo, self.workspace)
        if ok and step is not None:
            self.notify(_("Undone: {change}.").format(change=describe_step(self.workspace, step)), markup=False)
        self._redraw_screen()

    def action_redo(self) -> None:
        if not self.history.undone:
            self.notify(_("Nothing to redo."), markup=False)
            return
        ok, step = self.run_titled(_("Cannot redo"), self.history.redo, self.workspace)
        if ok and step is not None:
            self.notify(_("Redone: {change}.").format(change=describe_step(self.workspace, step)), markup=False)
        self._redraw_screen()

    def _redraw_screen(self) -> None:
        if isinstance(self.screen, WorkspaceView):
            self.screen.reload()

    # ---- the other screens -----------------------------------------------------------------

    def action_declarations(self) -> None:
        from kpps_tui.tui.screens.declarations import DeclarationsScreen
        from kpps_tui.tui.screens.tps_detail import TpsScreen

        if isinstance(self.screen, TpsScreen):  # the declarations of the TPS on screen
            self.push_screen(DeclarationsScreen(self.workspace, self.screen.code))
        else:
            self._show(DeclarationsScreen)

    def action_audit_log(self) -> None:
        from kpps_tui.tui.screens.audit_log import AuditLogScreen

        self._show(AuditLogScreen)

    def action_cards(self) -> None:
        from kpps_tui.tui.screens.card_printing import CardsScreen
        from kpps_tui.tui.screens.tps_detail import TpsScreen

        if isinstance(self.screen, TpsScreen):  # the cards of the TPS on screen
            self.push_screen(CardsScreen(self.workspace, "tps", self.screen.code))
        else:
            self._show(CardsScreen)

    def action_verify(self) -> None:
        from kpps_tui.tui.screens.verify import VerifyScreen

        self._show(VerifyScreen)

    def action_applicants(self) -> None:
        from kpps_tui.tui.screens.applicants import ApplicantsScreen

        self._show(ApplicantsScreen)

    def action_tps_list(self) -> None:
        from kpps_tui.tui.screens.tps_list import TpsListScreen

        self._show(TpsListScreen)

    def action_dashboard(self) -> None:
        if any(isinstance(s, DashboardScreen) for s in self.screen_stack):
            self._show(DashboardScreen)
        else:
            self.push_screen(DashboardScreen(self.workspace, self.today))

    def _show(self, cls: type[KppsScreen[None]]) -> None:
        """Bring up the screen of `cls`: back down to it when it is open below, else on top."""
        if isinstance(self.screen, cls):
            return
        for screen in reversed(self.screen_stack):
            if isinstance(screen, cls):
                while self.screen is not screen:
                    self.pop_screen()
                return
        self.push_screen(cls(self.workspace))

    # ---- help, palette, quit ---------------------------------------------------------------

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        screen = self.screen
        notes = _(screen.HELP) if isinstance(screen, WorkspaceView) and screen.HELP else ""
        self.push_screen(HelpScreen(screen.title or self.title, screen_actions(screen), notes))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(KppsCommandPalette(placeholder=_("Search the actions of this screen…"), id="--command-palette"))

    def action_help_quit(self) -> None:
        self.notify(_("Press Ctrl+Q to quit."), markup=False)


WRITE_GROUP = "write"  # the workers that write a seat change (tests await them)
ANSWER_WAIT_S = 0.25  # the longest a write waits for the frame of its answer
HEADER_SIDES = 10  # the header's icon (8 cells), the clock's space (1) and one to spare


def election_title(ws: Workspace, today: date) -> str:
    """The election for the header; once its work is over it says so on every screen (the
    sample is the 2024 Pilkada: opened later it shows a past election, not a coming one)."""
    election = ws.election
    if not election.cards_ended(today):
        return election.name
    return _("{name} (past)").format(name=election.name)


def describe_step(ws: Workspace, step: Step) -> str:
    """One seat change in words, for 'Undone: ...' and 'Redone: ...'."""
    from kpps_tui.services.history import Assign, Move, Swap, Unassign

    tps = ws.tps.get(step.tps)
    where = ws.tps_label(tps) if tps else step.tps

    def name(nik: str | None) -> str:
        person = ws.people.get(nik) if nik else None
        return person.name if person else mask_nik(nik or "")

    if isinstance(step, Assign):
        return _("seating {name} as {title} of {tps}").format(name=name(step.nik), title=seat_title(step.seat), tps=where)
    if isinstance(step, Unassign):
        return _("taking {name} off seat {seat} of {tps}").format(name=name(step.nik), seat=step.seat, tps=where)
    if isinstance(step, Move):
        return _("moving {name} from seat {a} to seat {b} of {tps}").format(
            name=name(step.nik), a=step.from_seat, b=step.to_seat, tps=where
        )
    from kpps_tui.services.proposals import AcceptedSeats  # a step of one is made there (startup)

    if isinstance(step, AcceptedSeats):
        return _("accepting the proposal for {tps} ({n} seats)").format(tps=where, n=len(step.seats))
    if isinstance(step, Swap):
        return _("swapping seats {a} and {b} of {tps}").format(a=step.seat_a, b=step.seat_b, tps=where)
    return str(step)
