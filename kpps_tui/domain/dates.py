"""Days as people write them, on forms and in spreadsheets (pure: no clock)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from kpps_tui.domain.settings import SettingRefused, parse_day
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01, counting Excel's phantom 29 Feb 1900


class DateError(KppsError):
    pass


def parse_date(text: str) -> date:
    """27/11/1990, 27-11-1990, 1990-11-27 or an Excel serial number such as 33204."""
    text = text.strip()
    if text.isdigit() and len(text) <= 6:
        return EXCEL_EPOCH + timedelta(days=int(text))
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DateError(N_("{text} is not a date; write it as 27/11/1990 or 1990-11-27."), text=text)


_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def read_date(text: str) -> date:
    """A date as forms and spreadsheets write it: 27/11/1990, 1990-11-27, or an Excel serial."""
    text = text.strip()
    try:
        if match := _DAY_FIRST.fullmatch(text):  # the common cases without strptime: 100,000 rows
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := _YEAR_FIRST.fullmatch(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        return parse_date(text)
    except (DateError, OverflowError, ValueError):
        try:
            return parse_day(text)
        except SettingRefused:
            raise KppsError(N_("{text} is not a date; write it as 27/11/1990 or 1990-11-27."), text=text) from None
