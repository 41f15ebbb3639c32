"""The election's parameters as a workspace setting: read, validated and changed one at a time.

The same program serves the next election: its name, voting day, the minimum and preferred
maximum age, the seats of a TPS, the wanted share of women and the voters a TPS may have.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from decimal import Decimal, InvalidOperation

from kpps_tui.domain.model import PAPER_KEYS, Election
from kpps_tui.domain.schedule import SETTABLE, STAGE_LABELS, StageKey, with_stage
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


def _optional_text(key: str, value: str) -> str:
    value = " ".join(value.split())
    if len(value) > 200:
        raise SettingRefused(N_("{key} needs a text of at most 200 characters."), key=key)
    return "" if value == "-" else value


def _optional_day(key: str, value: str) -> date | None:
    return None if value.strip() in ("", "-") else parse_day(value)


def _rupiah(key: str, value: str) -> int:
    """900000, 900.000, Rp900.000 or 900,000: whole rupiah."""
    digits = value.strip().removeprefix("Rp").removeprefix("rp").strip().replace(".", "").replace(",", "")
    return _number(key, digits, 0, 100_000_000)


def _percent(key: str, value: str) -> Decimal:
    """2.5, 2,5 or 2.5%: a percent from 0 to 100, at most two decimals."""
    text = value.strip().removesuffix("%").strip().replace(",", ".")
    try:
        percent = Decimal(text)
    except InvalidOperation:
        percent = Decimal(-1)
    if not (0 <= percent <= 100) or percent != percent.quantize(Decimal("0.01")):
        raise SettingRefused(N_("{key} is a percent from 0 to 100 such as 2.5; {value} is not."), key=key, value=value)
    return percent.quantize(Decimal(1)) if percent == percent.to_integral_value() else percent.normalize()


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
    # the office's documents
    "letterhead_address": (N_("Letterhead: the office's address line"), _optional_text),
    "sign_place": (N_("Place of signing"), _optional_text),
    "sign_date": (N_("Date of signing (empty: the day a document is made)"), _optional_day),
    "signatory_title": (N_("Signatory's title (empty: Ketua of the KPU office)"), _optional_text),
    "signatory_name": (N_("Signatory's name"), _optional_text),
    "sk_number": (N_("Number of the SK forming the KPPS"), _optional_text),
    "sk_date": (N_("Date of the SK forming the KPPS"), _optional_day),
    "honorarium_ketua": (N_("Honorarium of the Ketua KPPS (rupiah)"), _rupiah),
    "honorarium_anggota": (N_("Honorarium of an Anggota KPPS (rupiah)"), _rupiah),
    "pph21_npwp": (N_("PPh 21 with an NPWP (%)"), _percent),
    "pph21_no_npwp": (N_("PPh 21 without an NPWP (%)"), _percent),
    "pph21_golongan_i": (N_("PPh 21 of a civil servant, golongan I (%)"), _percent),
    "pph21_golongan_ii": (N_("PPh 21 of a civil servant, golongan II (%)"), _percent),
    "pph21_golongan_iii": (N_("PPh 21 of a civil servant, golongan III (%)"), _percent),
    "pph21_golongan_iv": (N_("PPh 21 of a civil servant, golongan IV (%)"), _percent),
}
assert set(PAPER_KEYS) <= set(SETTINGS)


STAGE_PREFIX = "stage."


def parse_span(key: str, text: str) -> tuple[date, date]:
    """A stage's dates: one day (07/11/2024) or START..END (2024-09-17..2024-09-28)."""
    start_text, dots, end_text = text.partition("..")
    start = parse_day(start_text)
    end = parse_day(end_text) if dots else start
    if end < start:
        raise SettingRefused(N_("{key} ends before it begins; write START..END."), key=key)
    return start, end


# The schedule of stages (tahapan): one setting per stage but voting day (that is voting_day).
SETTINGS.update(
    {
        STAGE_PREFIX + key.value: (N_("Stage: {stage} (START..END)"), parse_span)
        for key in SETTABLE
    }
)


def setting_label(key: str) -> str:
    if key.startswith(STAGE_PREFIX):
        return _(SETTINGS[key][0]).format(stage=_(STAGE_LABELS[StageKey(key[len(STAGE_PREFIX) :])]))
    return _(SETTINGS[key][0])


def _value(election: Election, key: str) -> object:
    return getattr(election.papers, key) if key in PAPER_KEYS else getattr(election, key)


def show_value(election: Election, key: str) -> str:
    if key.startswith(STAGE_PREFIX):
        wanted = StageKey(key[len(STAGE_PREFIX) :])
        return next(s.span_text() for s in election.schedule if s.key is wanted)
    if key in ("cards_valid_from", "cards_valid_until"):  # unset: the period the voting day gives
        value: object = election.card_period[0 if key == "cards_valid_from" else 1]
    else:
        value = _value(election, key)
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def change_setting(election: Election, key: str, text: str) -> Election:
    """The election with one parameter changed, or SettingRefused saying why not."""
    if key not in SETTINGS:
        raise SettingRefused(N_("There is no setting {key}; the settings are: {keys}."), key=key, keys=", ".join(SETTINGS))
    value: Any = SETTINGS[key][1](key, text)
    if key in PAPER_KEYS:
        changed = replace(election, papers=replace(election.papers, **{key: value}))
    elif key.startswith(STAGE_PREFIX):
        start, end = value
        changed = replace(election, schedule=with_stage(election.schedule, StageKey(key[len(STAGE_PREFIX) :]), start, end))
    else:
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
