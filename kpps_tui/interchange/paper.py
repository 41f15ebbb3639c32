"""An office document as plain data, for the PDF, DOCX and XLSX writers to lay out alike.

A Paper is a letterhead and one or more Parts; a Part is what one signature covers (the
pengumuman of one desa, the honorarium list of a scope): its title, paragraphs, one table and
the signature block. Each Part starts on a new page with its own "Halaman n dari m".

A table's rows are officers (data), headings that span the row (group: a kecamatan, desa or TPS)
and totals. A total of level 1 adds the data rows since the last total of level 1 or more; a
total of level k > 1 adds the totals of level k-1 since the last total of level k or more. The
XLSX writer turns totals into formulas from this rule, the others print the figures given.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

Cell = str | int


class Kind(str, Enum):
    TEXT = "text"
    NUMBER = "number"  # a row number or count, centred
    MONEY = "money"  # whole rupiah, a number cell in XLSX
    SIGN = "sign"  # an empty box to sign in; the cell holds the row's number


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # share of the table's width
    kind: Kind = Kind.TEXT
    difference_of: tuple[int, int] | None = None  # this money cell is column a minus column b


class RowKind(str, Enum):
    DATA = "data"
    GROUP = "group"  # the first cell is a heading over the whole row
    TOTAL = "total"


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    kind: RowKind = RowKind.DATA
    level: int = 0  # of a total: 1 adds data rows, 2 adds totals of level 1, ...


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Signature:
    place_date: str  # "Pangkalan Bun, 7 November 2024"
    titles: tuple[str, ...]  # the office held, over the signature
    name: str  # under it; empty: a dotted line to write the name on


@dataclass(frozen=True)
class Part:
    sheet: str  # a short name: the XLSX sheet, at most 31 characters
    title: tuple[str, ...]  # centred lines in bold
    intro: tuple[str, ...] = ()  # paragraphs before the table
    table: Table | None = None
    closing: tuple[str, ...] = ()  # paragraphs after it
    signature: Signature | None = None


@dataclass(frozen=True)
class Paper:
    letterhead: tuple[str, ...]  # the office's name, in lines
    parts: tuple[Part, ...]
    title: str  # the file's title (PDF metadata)
    page_label: str  # "Halaman {page} dari {pages}", in the document's language
    address: str = ""  # the office's address, under its name
    landscape: bool = False
    empty_text: str = "-"  # shown in a table that has no rows
    thousands: str = "."  # 900.000 in Indonesian, 900,000 in English


def money_text(amount: int, thousands: str) -> str:
    return f"{amount:,}".replace(",", thousands)
