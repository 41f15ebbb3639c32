"""Cell values that are safe to hand to a spreadsheet."""

from kpps_tui.domain.text import visible_field

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula: keep it text instead.
    A control character is written as an escape: XLSX forbids most, and a terminal showing
    the CSV would obey them."""
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return visible_field(value)
