"""The election's parameters as a workspace setting: read, validated and changed one at a time.

The same program serves the next election: its name, voting day, the minimum and preferred
maximum age, the seats of a TPS, the wanted share of women and the voters a TPS may have.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from kpps_tui.domain.model import Election
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _


class SettingRefused(KppsError):
    pass


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def parse_day(text: str) -> date:
    """27/11/2024, 27-11-2024, 27.11.2024 or 2024-11-27."""
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise SettingRefused(N_("{text} is not a date; write it as 27/11/2024 or 2024-11-27."), text=text)


def _text(key: str, value: str) -> str:
    value = " ".join(value.split())
    if not value or len(value) > 120:
        raise SettingRefused(N_("{key} needs a text of 1 to 120 characters."), key=key)
    return value


def _number(key: str, value: str, low: int, high: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise SettingRefused(N_("{key} is a whole number from {low} to {high}; {value} is not."), key=key, low=low, high=high, value=value) from None
    if not low <= number <= high:
        raise SettingRefused(N_("{key} is a whole number from {low} to {high}; {value} is not."), key=key, low=low, high=high, value=value)
    return number


# key -> (label, how to read the text, how to show the value)
SETTINGS: dict[str, tuple[str, Callable[[str, str], object]]] = {
    "name": (N_("Name of the election"), _text),
    "kpu_name": (N_("Name of the KPU office"), _text),
    "voting_day": (N_("Voting day"), lambda key, v: parse_day(v)),
    "min_age": (N_("Minimum age on voting day"), lambda key, v: _number(key, v, 10, 99)),
    "preferred_max_age": (N_("Preferred maximum age on voting day"), lambda key, v: _number(key, v, 10, 120)),
    "seats_per_tps": (N_("KPPS seats per TPS"), lambda key, v: _number(key, v, 1, 20)),
    "women_percent": (N_("Wanted share of women per TPS (%)"), lambda key, v: _number(key, v, 0, 100)),
    "max_voters": (N_("Voters per TPS at most"), lambda key, v: _number(key, v, 1, 10_000)),
    "cards_valid_from": (N_("ID cards valid from"), lambda key, v: parse_day(v)),
    "cards_valid_until": (N_("ID cards valid until"), lambda key, v: parse_day(v)),
}


def setting_label(key: str) -> str:
    return _(SETTINGS[key][0])


def show_value(election: Election, key: str) -> str:
    if key in ("cards_valid_from", "cards_valid_until"):  # unset: the period the voting day gives
        value: object = election.card_period[0 if key == "cards_valid_from" else 1]
    else:
        value = getattr(election, key)
    return value.isoformat() if isinstance(value, date) else str(value)


def change_setting(election: Election, key: str, text: str) -> Election:
    """The election with one parameter changed, or SettingRefused saying why not."""
    if key not in SETTINGS:
        raise SettingRefused(N_("There is no setting {key}; the settings are: {keys}."), key=key, keys=", ".join(SETTINGS))
    value: Any = SETTINGS[key][1](key, text)
    changed = replace(election, **{key: value})
    if changed.preferred_max_age < changed.min_age:
        raise SettingRefused(
            N_("The preferred maximum age ({max_age}) cannot be below the minimum age ({min_age})."),
            max_age=changed.preferred_max_age,
            min_age=changed.min_age,
        )
    start, until = changed.card_period
    if until < start:
        raise SettingRefused(
            N_("The ID cards cannot be valid until {until}, before the day they become valid ({start})."),
            until=until.isoformat(),
            start=start.isoformat(),
        )
    return changed
