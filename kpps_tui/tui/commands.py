"""The command palette (Ctrl+P): the actions of the current screen, by their descriptions."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from kpps_tui.tui.keys import ScreenAction, screen_actions

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
