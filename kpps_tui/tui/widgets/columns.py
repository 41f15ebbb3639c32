"""A table column as every table of the interface (VirtualTable) describes it, and the one rule
by which the columns of a table share its width."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from kpps_tui.i18n import _


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # English source string, marked with N_()
    width: int = 0  # the narrowest it may be
    weight: int = 0  # share of the width left over once every column has what it needs
    most: int = 0  # the widest it gets (0: no limit)
    needs: int = 0  # shown only when the table is at least this wide (the NIK on a wide screen)
    drop: int = 0  # left out when the columns do not fit, the highest first (0: never)
    keep_end: bool = False  # cut in the middle, keeping the last word ("Kotawar…Barat")
    short: str = ""  # a shorter label (N_()) for when the whole one does not fit ("Desa")
    whole: bool = False  # its content gets its width (up to `most`) before the others grow: a login


def header_label(column: Column, width: int, suffix: str = "") -> str:
    """The column's label for a column `width` cells wide: the whole one when it fits, else
    the short one when there is one and it fits (a cut one ends with "…" where it is drawn)."""
    whole = _(column.label) + suffix
    if cell_len(whole) <= width or not column.short:
        return whole
    return _(column.short) + suffix


def label_needs(columns: Sequence[Column], suffixes: Mapping[str, str]) -> tuple[dict[str, int], dict[str, int]]:
    """The cells the least label (the short one, if any) and the whole label of each column
    need, with its suffix (the sort marker)."""
    least, whole = {}, {}
    for column in columns:
        suffix = cell_len(suffixes.get(column.key, ""))
        least[column.key] = cell_len(_(column.short or column.label)) + suffix
        whole[column.key] = cell_len(_(column.label)) + suffix
    return least, whole


def share_width(
    columns: Sequence[Column],
    total: int,
    gap: int,
    needs: Mapping[str, int] | None = None,
    labels: tuple[Mapping[str, int], Mapping[str, int]] | None = None,
) -> list[tuple[Column, int]]:
    """The columns shown in `total` cells, each costing `gap` cells beside its width, and their
    widths, by need: every column gets its least `width`; then, as far as the room goes, its
    short label (`labels`: the short and the whole label's widths), then what its content
    `needs` (first the columns marked `whole`, then the rest), the room shared in proportion
    to what each still lacks; then its whole label;
    what is left after that goes by `weight`, up to `most`. A column with `needs` (the field) shows only from that total on;
    one with `drop` is left out (highest first) when even the least widths do not fit."""
    shown = [c for c in columns if total >= c.needs]
    while shown:
        room = total - gap * len(shown) - sum(c.width for c in shown)
        droppable = [c for c in shown if c.drop]
        if room >= 0 or not droppable:
            break
        shown.remove(max(droppable, key=lambda c: c.drop))
    room = max(0, total - gap * len(shown) - sum(c.width for c in shown))
    widths = {c.key: c.width for c in shown}

    def cap(column: Column, width: int) -> int:
        return max(column.width, min(width, column.most) if column.most else width)

    def grow(targets: dict[str, int]) -> None:
        """Give `room` to the columns short of their target, in proportion to what they lack."""
        nonlocal room
        lacking = {k: t - widths[k] for k, t in targets.items() if t > widths[k]}
        short = sum(lacking.values())
        if not short or room <= 0:
            return
        if short <= room:
            for key, lack in lacking.items():
                widths[key] += lack
            room -= short
            return
        given = {key: room * lack // short for key, lack in lacking.items()}
        for key, extra in given.items():
            widths[key] += extra
        room -= sum(given.values())
        for key in sorted(lacking, key=lambda k: lacking[k] - given[k], reverse=True):
            if room <= 0:
                break
            widths[key] += 1
            room -= 1

    least, whole = labels or ({}, {})
    grow({c.key: cap(c, least.get(c.key, 0)) for c in shown})
    if needs:
        grow({c.key: cap(c, needs.get(c.key, 0)) for c in shown if c.whole})
        grow({c.key: cap(c, needs.get(c.key, 0)) for c in shown})
    grow({c.key: cap(c, whole.get(c.key, 0)) for c in shown})
    weights = sum(c.weight for c in shown)
    if weights and room > 0:
        extra = room
        for column in shown:
            if column.weight:
                widths[column.key] = cap(column, widths[column.key] + extra * column.weight // weights)
    return [(c, widths[c.key]) for c in shown]
