"""The command palette (Ctrl+P): the actions of the current screen, by their descriptions."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets._select import SelectOverlay
from textual.widgets.option_list import Option

from kpps_tui.i18n import _
from kpps_tui.tui.keys import ScreenAction, screen_actions

if TYPE_CHECKING:  # the TPS rows load with the palette's first search, not with the first screen
    from kpps_tui.services.browse import TpsRow

# Opening the palette from the palette makes no sense.
_SKIPPED_ACTIONS = {"command_palette"}


class ScreenActionsProvider(Provider):
    """Every binding of the screen the palette was opened on, run as if its key was pressed."""

    def _actions(self) -> list[ScreenAction]:
        # An entry whose keys pass different arguments ("1".."9": choose that seat) needs the
        # key itself, so the palette leaves it out.
        return [
            action
            for action in screen_actions(self.screen)
            if action.actions[0] not in _SKIPPED_ACTIONS
            and not (len(action.actions) > 1 and "(" in action.actions[0])
        ]

    def _runner(self, action: ScreenAction):
        return partial(self.app.run_action, action.actions[0], action.node)

    async def discover(self) -> Hits:
        for action in self._actions():
            yield DiscoveryHit(action.description, self._runner(action), help=action.key_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in self._actions():
            score = matcher.match(action.description)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(action.description),
                    self._runner(action),
                    text=action.description,
                    help=action.key_text,
                )


class KppsCommandPalette(CommandPalette):
    """Textual's palette, with its 'no match' line in the user's language."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual writes a fixed English sentence here; this shows ours after the same pause.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if not search_value:  # browsing, not searching: nothing to say
                self._list_visible = False
                return
            self.query_one(CommandList).add_option(
                Option(Align.center(Text(_("No action matches."), style="not bold")), disabled=True, id=self._NO_MATCHES)
            )
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def translate_select_menus() -> None:
    """The Escape key of every open Select list, in the footer, in the user's language.

    Textual merges a widget's class bindings once, when the class is made, in English; the
    merged map is rebuilt here after the language is chosen.
    """
    SelectOverlay.BINDINGS = [Binding("escape", "dismiss", _("Close the list"))]
    SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()


class TpsProvider(Provider):
    """TPS by desa and number ("sulung 002"), opened from the palette on any screen."""

    MOST_HITS = 30

    def _rows(self) -> list[TpsRow]:
        from kpps_tui.services.browse import tps_rows

        workspace = getattr(self.app, "workspace", None)
        return tps_rows(workspace) if workspace is not None else []

    async def search(self, query: str) -> Hits:
        from kpps_tui.services.browse import tps_text_test

        test = tps_text_test(query) if len(query.strip()) >= 3 else None
        if test is None:  # a letter or two is an action being typed, not a desa
            return
        matcher = self.matcher(query)
        shown = 0
        for row in self._rows():
            if not test(row):
                continue
            label = _("TPS {number} {desa}, Kecamatan {kecamatan}").format(
                number=f"{row.number:03d}", desa=row.desa, kecamatan=row.kecamatan
            )
            yield Hit(
                max(matcher.match(label), 0.5),
                matcher.highlight(label),
                partial(self._open, row.code),
                text=label,
                help=row.code,
            )
            shown += 1
            if shown >= self.MOST_HITS:
                return

    def _open(self, code: str) -> None:
        from kpps_tui.tui.screens.tps_detail import TpsScreen  # loaded on first use (startup)

        workspace = getattr(self.app, "workspace")
        self.app.push_screen(TpsScreen(workspace, code))
