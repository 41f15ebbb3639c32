"""Errors that reach the user: each carries a translatable sentence and its parameters."""

from __future__ import annotations

from kpps_tui.i18n import _


class KppsError(Exception):
    """Base of every error meant for a coordinator's eyes; `str()` is the translated sentence."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template)

    def __str__(self) -> str:
        return _(self.template).format(**self.params)
