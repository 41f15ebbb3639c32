"""How numbers, people, seats and findings are written on screen (one place for every screen)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.widgets import Select

from kpps_tui.domain.model import Region
from kpps_tui.i18n import N_, _, fmt_count
from kpps_tui.services.workspace import Workspace

if TYPE_CHECKING:  # the TPS views load with the screens that show them, not with the first one
    from kpps_tui.domain.rules import Finding
    from kpps_tui.services.browse import FillStatus

# Short words for a finding, for a table cell; the full sentence is Finding.message.
_SHORT_FINDINGS = {
    "seated_elsewhere": N_("seated at {tps}, seat {seat}"),
    "too_young": N_("under {min_age}"),
    "over_preferred_age": N_("over {max_age}"),
    "outside_desa": N_("outside desa"),
    "unknown_person": N_("unknown person"),
    "tms": N_("TMS"),
    "left": N_("left"),
    "sipol_listed": N_("SIPOL"),
    "documents_missing": N_("papers missing"),
    "party_letter_missing": N_("no party letter"),
    "party_letter_recent": N_("party < 5 yrs"),
    "education_below_sma": N_("below SMA"),
    "education_unknown": N_("education?"),
    "health_missing": N_("no health cert."),
    "health_not_normal": N_("health not normal"),
    "women_share": N_("women < {percent}%"),
}


def fmt_int(number: int) -> str:
    """1.727 in Indonesian, 1,727 in English."""
    return fmt_count(number)


def fold_line(line: str, width: int) -> str:
    """`line` broken into pieces of `width` characters (a command or a path that must read as
    one piece: a word wrap would leave "scp" alone on a line)."""
    return "\n".join(line[i : i + width] for i in range(0, len(line), width)) if width > 0 else line


def fmt_date(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def short_finding(finding: Finding) -> str:
    template = _SHORT_FINDINGS.get(finding.code)
    if template is None:
        return finding.message
    return _(template).format(**finding.params)


def short_findings(findings) -> str:
    return ", ".join(short_finding(f) for f in findings)


def region_label(region: Region | None, code: str) -> str:
    """'Kelurahan Baru' or 'Desa Kumpai Batu Atas', as the office says it."""
    if region is None:
        return code
    kind = _("Kelurahan") if region.is_kelurahan else _("Desa")
    return f"{kind} {region.name}"


def plain(value: str, style: Style | str = "") -> Text:
    """A cell that shows `value` as written (never read as markup), cut with … when too long."""
    return Text(value, style=style, no_wrap=True, overflow="ellipsis", end="")


class Tones:
    """Text styles for statuses. Colour only ever repeats what the words already say.

    The ANSI colour names are used on purpose: Textual maps them to the theme's own palette in
    true colour, and a 16-colour terminal (TERM=xterm) shows them as real green, yellow and
    red, where the theme's hex colours would fall to the nearest grey or red. NO_COLOR turns
    them all to grey.
    """

    def __init__(self) -> None:
        self.good = Style(color="green")
        self.warn = Style(color="yellow")
        self.bad = Style(color="red")
        self.muted = Style(dim=True)
        self.strong = Style(bold=True)

    def status(self, status: FillStatus) -> Style:
        return {"full": self.good, "partial": self.warn, "empty": self.bad}[status.value]


def desa_options(ws: Workspace, kecamatan: str | None) -> list[tuple[str, str]]:
    """(label, code) choices of desa/kelurahan for a Select, by name; the kecamatan is named
    beside each desa when the list spans them all (names repeat across kecamatan)."""
    if kecamatan:
        options = [(ws.region_name(d), d) for d in ws.desa_codes(kecamatan)]
    else:
        options = [(f"{ws.region_name(d)} ({ws.region_name(d.rsplit('.', 1)[0])})", d) for d in ws.desa_codes()]
    return sorted(options, key=lambda o: o[0].casefold())


def chosen(value: object) -> str | None:
    """A Select's value as a code, None when nothing is chosen."""
    return None if value == Select.NULL or value is None else str(value)
