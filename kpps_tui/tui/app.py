"""The kpps-tui application: `KppsApp(workspace).run()`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App
from textual.command import CommandPalette
from textual.screen import Screen

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.commands import ScreenActionsProvider
from kpps_tui.tui.keys import TranslatedBindings, bind, screen_actions
from kpps_tui.tui.screens.base import WorkspaceView
from kpps_tui.tui.screens.help import HelpScreen
from kpps_tui.tui.screens.tps_list import TpsListScreen

T = TypeVar("T")

POLL_SECONDS = 1.0


class KppsApp(TranslatedBindings, App[None]):
    """Browse the TPS of a workspace and seat their officers, all by keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "KPPS"
    COMMANDS = {ScreenActionsProvider}
    BINDINGS = [
        bind("ctrl+q", "quit", N_("Quit"), id="app.quit", show=False, priority=True),
        bind("question_mark,f1", "help", N_("Help"), id="app.help"),
        bind("ctrl+p", "command_palette", N_("Actions"), id="app.palette", show=False, priority=True),
    ]

    def __init__(self, workspace: Workspace, *, cursor_blink: bool = True, poll_seconds: float = POLL_SECONDS) -> None:
        super().__init__()
        self.workspace = workspace
        self.cursor_blink = cursor_blink
        self.poll_seconds = poll_seconds
        self.animation_level = "none"
        self.sub_title = workspace.election.name
        self._poll_error: str | None = None

    def get_default_screen(self) -> Screen:
        return TpsListScreen(self.workspace)

    def on_mount(self) -> None:
        if not self.is_headless and self.console.color_system in ("standard", "windows"):
            # 16 colours (TERM=xterm): the terminal's own palette reads better than the
            # nearest matches of a true-colour theme. (Not headless: tests and screenshots
            # look the same whatever terminal runs them.)
            self.theme = "ansi-dark"
        self.set_interval(self.poll_seconds, self.poll_workspace, name="poll-workspace")

    # ---- other sessions --------------------------------------------------------------------

    def poll_workspace(self) -> None:
        """Reload what another session changed on disk and redraw the screen in front."""
        try:
            changed = self.workspace.refresh()
        except KppsError as exc:
            message = str(exc)
            if message != self._poll_error:  # say it once, not every second
                self._poll_error = message
                self.notify(message, title=_("Cannot read the workspace"), severity="error", markup=False, timeout=15)
            return
        self._poll_error = None
        if changed and isinstance(self.screen, WorkspaceView):
            self.screen.reload()

    # ---- running the services --------------------------------------------------------------

    def run_service(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[bool, T | None]:
        """Call a service; on a refusal or failure show its sentence and return (False, None)."""
        try:
            return True, service(*args, **kwargs)
        except KppsError as exc:
            self.notify(str(exc), title=_("Refused"), severity="error", markup=False, timeout=10)
        except OSError as exc:
            self.notify(
                _("The change could not be saved: {error}").format(error=exc.strerror or exc),
                title=_("Not saved"),
                severity="error",
                markup=False,
                timeout=15,
            )
        return False, None

    # ---- help, palette, quit ---------------------------------------------------------------

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        screen = self.screen
        notes = _(screen.HELP) if isinstance(screen, WorkspaceView) and screen.HELP else ""
        self.push_screen(HelpScreen(screen.title or self.title, screen_actions(screen), notes))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=_("Search the actions of this screen…"), id="--command-palette"))

    def action_help_quit(self) -> None:
        self.notify(_("Press Ctrl+Q to quit."), markup=False)
