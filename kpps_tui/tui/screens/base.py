"""What every screen that shows the workspace has in common."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events
from textual.screen import ModalScreen, Screen

from kpps_tui.i18n import N_
from kpps_tui.tui.keys import TranslatedBindings, bind

if TYPE_CHECKING:
    from kpps_tui.services.workspace import Workspace
    from kpps_tui.tui.app import KppsApp

ResultType = TypeVar("ResultType")

HELP_BINDING = bind("question_mark,f1", "app.help", N_("Help"), id="modal.help")


class WorkspaceView:
    """A screen drawn from the workspace: `reload()` redraws it from the data in memory.

    The app calls `reload()` on the visible screen when another session changed the files;
    a screen that was hidden at that time redraws when it comes back (on ScreenResume).
    """

    workspace: Workspace
    HELP: ClassVar[str | None] = ""  # a few sentences for the help screen, marked with N_()

    @property
    def kpps(self) -> KppsApp:
        return self.app  # type: ignore[attr-defined]  # a mixin: the Screen it is mixed into has .app

    def reload(self) -> None:
        """Redraw from the workspace, keeping the cursor where it was."""

    def workspace_changed(self, changed: set[str]) -> None:
        """Another session changed the files of these kecamatan ("" for the main file)."""
        self.reload()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.reload()


class KppsScreen(WorkspaceView, TranslatedBindings, Screen[ResultType]):
    def __init__(self, workspace: Workspace, **kwargs) -> None:
        super().__init__(**kwargs)
        self.workspace = workspace


class KppsModal(WorkspaceView, TranslatedBindings, ModalScreen[ResultType]):
    # A modal screen hides the app's bindings, so it offers help itself.
    BINDINGS = [HELP_BINDING]

    def __init__(self, workspace: Workspace, **kwargs) -> None:
        super().__init__(**kwargs)
        self.workspace = workspace
