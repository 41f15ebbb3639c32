"""What every screen that shows the workspace has in common."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events
from textual.screen import ModalScreen, Screen

from kpps_tui.i18n import N_
from kpps_tui.services.users import refusal
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
    # The actions of this screen that change the workspace: a login that may not change
    # anything (a viewer) does not see their keys, and pressing one says why.
    WRITES: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, workspace: Workspace, **kwargs) -> None:
        super().__init__(**kwargs)
        self.workspace = workspace

    def write_refusal(self) -> str | None:
        """Why this login may change nothing here, or None (a coordinator's scope is checked
        per TPS by the services, with its own sentence)."""
        return refusal(self.workspace)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.WRITES and self.write_refusal() is not None:
            return False
        return True

    def on_key(self, event: events.Key) -> None:
        """A key of a hidden write action says why it does nothing."""
        if not self.WRITES:
            return
        for binding in self._bindings.key_to_bindings.get(event.key, []):
            action = binding.action.removeprefix("screen.").split("(", 1)[0]
            if action in self.WRITES:
                sentence = self.write_refusal()
                if sentence is not None:
                    event.stop()
                    event.prevent_default()
                    self.notify(sentence, severity="warning", markup=False)
                return


class KppsModal(WorkspaceView, TranslatedBindings, ModalScreen[ResultType]):
    # A modal screen hides the app's bindings, so it offers help itself.
    BINDINGS = [HELP_BINDING]

    def __init__(self, workspace: Workspace, **kwargs) -> None:
        super().__init__(**kwargs)
        self.workspace = workspace
