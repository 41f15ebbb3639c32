"""The cards' printing choices and their period of validity.

The printing choices (cut guide, offsets, back page, print command) are kept in cards.json
(Workspace.put_card_settings); the period is an election setting (Election.card_period,
`kpps settings`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from kpps_tui.domain.roles import AdminTask
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.store.workspace import Workspace

if TYPE_CHECKING:
    from kpps_tui.cards.sheet import SheetOptions

DEFAULT_SETTINGS: dict[str, Any] = {
    "cut": "marks",  # or "border"
    "offset_x_mm": 0.0,
    "offset_y_mm": 0.0,
    "back": False,
    "print_command": "lp",
}


def card_settings(ws: Workspace) -> dict[str, Any]:
    return {**DEFAULT_SETTINGS, **ws.card_book().settings()}


def update_card_settings(ws: Workspace, **changes: Any) -> dict[str, Any]:
    unknown = set(changes) - set(DEFAULT_SETTINGS)
    if unknown:
        raise KppsError(N_("Unknown card setting {name}."), name=", ".join(sorted(unknown)))
    if "cut" in changes and changes["cut"] not in ("marks", "border"):
        raise KppsError(N_("The cut guide is either marks or border."))
    with ws.transaction():
        ws.require(AdminTask.SETTINGS)
        settings = {**ws.card_book().settings(), **changes}
        ws.put_card_settings(settings, changes)
    return {**DEFAULT_SETTINGS, **settings}


def sheet_options(ws: Workspace, **overrides: Any) -> SheetOptions:
    """The printing choices saved in the workspace, with these ones changed for this run."""
    from kpps_tui.cards.sheet import SheetOptions  # reportlab loads when a sheet is laid out

    settings = card_settings(ws)
    base = SheetOptions(
        cut=settings["cut"],
        offset_x_mm=float(settings["offset_x_mm"]),
        offset_y_mm=float(settings["offset_y_mm"]),
        back=bool(settings["back"]),
    )
    return replace(base, **{k: v for k, v in overrides.items() if v is not None})


class CardsPeriodOver(KppsError):
    """New cards asked for after the election's card period ended."""


def validity(ws: Workspace, issued: date) -> tuple[date, date]:
    """(valid from, valid until) of a card issued on `issued`: the election's card period, from
    the issue day when it is issued within it (a replacement officer's card)."""
    start, until = ws.election.card_period
    if issued > until:
        raise period_over(ws, issued)
    return max(issued, start), until


def period_over(ws: Workspace, today: date) -> CardsPeriodOver:
    from kpps_tui.cards.verify import format_date

    start, until = ws.election.card_period
    return CardsPeriodOver(
        N_(
            "The ID cards of {election} were valid from {start} to {until}; a card made now would be void. "
            "Reprint the cards already issued (kpps cards --reprint), or set the new period with "
            "`kpps settings set cards_valid_until DATE`."
        ),
        election=ws.election.name,
        start=format_date(start),
        until=format_date(until),
    )
