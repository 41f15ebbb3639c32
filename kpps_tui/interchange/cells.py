"""Cell values that are safe to hand to a spreadsheet."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula: keep it text instead."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
