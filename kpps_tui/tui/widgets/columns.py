"""A table column as every table of the interface describes it (FitTable and VirtualTable)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # English source string, marked with N_()
    width: int = 0  # the narrowest it may be
    weight: int = 0  # share of the width left over once every column has its `width`
    most: int = 0  # the widest it gets (0: no limit)
    needs: int = 0  # shown only when the table is at least this wide (FitTable)
    drop: int = 0  # left out when the columns do not fit, the highest first (0: never)
    keep_end: bool = False  # cut in the middle, keeping the last word ("Kotawar…Barat")
