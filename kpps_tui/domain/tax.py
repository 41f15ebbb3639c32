"""An officer's tax status and the PPh 21 withheld from a KPPS honorarium, as plain rules.

KPPS honoraria are taxed as income of non-employee participants: 5% of 50% of the gross (2.5%)
for a recipient with an NPWP, 20% more without one (3%); a civil servant (PNS/PPPK) by golongan
(PP 80/2010: 0% for I and II, 5% for III, 15% for IV). The rates are election settings, passed
in here; this module only reads a status and does the arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _

GOLONGAN = ("I", "II", "III", "IV")


class TaxStatusRefused(KppsError):
    pass


@dataclass(frozen=True)
class TaxStatus:
    """NPWP or not; a civil servant's golongan (I-IV), empty for anyone else."""

    npwp: bool = False
    golongan: str = ""

    @property
    def code(self) -> str:
        """The text form that files and `--set tax=` use: npwp, non-npwp, pns-III."""
        if self.golongan:
            return f"pns-{self.golongan}"
        return "npwp" if self.npwp else "non-npwp"

    @property
    def label(self) -> str:
        if self.golongan:
            return _(N_("PNS golongan {golongan}")).format(golongan=self.golongan)
        return _(N_("NPWP")) if self.npwp else _(N_("No NPWP"))


@dataclass(frozen=True)
class TaxRates:
    """PPh 21 in percent of the gross, by status."""

    npwp: Decimal
    no_npwp: Decimal
    golongan: dict[str, Decimal]

    def percent(self, status: TaxStatus | None) -> Decimal:
        """An officer whose status is not recorded is withheld as one without an NPWP (the
        higher rate): nothing is owed afterwards."""
        if status is None:
            return self.no_npwp
        if status.golongan:
            return self.golongan[status.golongan]
        return self.npwp if status.npwp else self.no_npwp


def pph21(gross: int, percent: Decimal) -> int:
    """The tax on a gross in whole rupiah, rounded half up (3% of Rp850.000 is Rp25.500)."""
    return int((Decimal(gross) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "i": "I", "ii": "II", "iii": "III", "iv": "IV"}
_YES = {"npwp", "ya", "yes", "y", "ada", "punya", "dengan npwp", "with npwp"}
_NO = {"non-npwp", "non npwp", "nonnpwp", "tanpa npwp", "tidak", "tidak ada", "no", "n", "none", "no npwp", "without npwp", "-"}
_NPWP_NUMBER = re.compile(r"(?:\d[\s.-]?){14}\d(?:[\s.-]?\d)?")
_CIVIL = re.compile(r"^(?:pns|pppk|asn)?[\s/._-]*(?:gol(?:ongan)?\.?)?[\s/._-]*([1-4]|iv|iii|ii|i)(?:[\s/._-]*[a-e])?$")


# Every status there is, in the order a form offers them.
TAX_STATUSES = (TaxStatus(npwp=True), TaxStatus(npwp=False), *(TaxStatus(True, g) for g in GOLONGAN))


def parse_tax_status(text: str) -> TaxStatus | None:
    """npwp, non-npwp, or a golongan such as pns-III, PNS III/a, gol. IV; empty: not recorded."""
    folded = " ".join(text.strip().casefold().split())
    if not folded:
        return None
    if folded in _YES:
        return TaxStatus(npwp=True)
    if folded in _NO:
        return TaxStatus(npwp=False)
    if _NPWP_NUMBER.fullmatch(folded):  # a column of NPWP numbers: the officer has one
        return TaxStatus(npwp=True)
    match = _CIVIL.match(folded)
    if match and (folded[0].isdigit() or folded.startswith(("pns", "pppk", "asn", "gol", "i"))):
        return TaxStatus(npwp=True, golongan=_ROMAN[match[1]])
    raise TaxStatusRefused(
        N_("{text} is not a tax status; write npwp, non-npwp, or a civil servant's golongan such as pns-III."),
        text=text,
    )


def tax_status_from_doc(doc: object) -> TaxStatus | None:
    if not isinstance(doc, dict):
        return None
    golongan = str(doc.get("golongan", ""))
    return TaxStatus(bool(doc.get("npwp", False)), golongan if golongan in GOLONGAN else "")


def tax_status_to_doc(status: TaxStatus | None) -> dict[str, object] | None:
    if status is None:
        return None
    return {"npwp": status.npwp, "golongan": status.golongan}
