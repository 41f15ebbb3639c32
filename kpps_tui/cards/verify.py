"""The answer to "is this card genuine and still valid?", in plain words and an exit code.

`check_qr_text` needs only the public key (and the revocations, when known): it is what a
PPS, Bawaslu or police officer runs offline. The short code typed by a person is looked up in
the workspace by services.cards.verify_code, which returns the same kind of Verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING

from kpps_tui.cards.payload import CardPayload, Damaged, decode
from kpps_tui.domain.model import seat_title
from kpps_tui.i18n import N_, _

if TYPE_CHECKING:
    from kpps_tui.cards.keys import VerificationKey  # cryptography loads only where a key is read


class Status(str, Enum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    FORGED = "forged"
    DAMAGED = "damaged"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self]

    @property
    def label(self) -> str:
        return _(_LABELS[self])


EXIT_CODES = {
    Status.VALID: 0,
    Status.REVOKED: 3,
    Status.EXPIRED: 4,
    Status.FORGED: 5,
    Status.DAMAGED: 6,
}

_LABELS = {
    Status.VALID: N_("Genuine and valid"),
    Status.REVOKED: N_("Revoked"),
    Status.EXPIRED: N_("Expired"),
    Status.FORGED: N_("Forged"),
    Status.DAMAGED: N_("Damaged"),
}

# Why a card was withdrawn: the code is stored, the sentence shown.
REVOKE_REASONS = {
    "unassigned": N_("the officer left the seat"),
    "moved": N_("the officer moved to another seat"),
    "swapped": N_("the officer changed seats in a swap"),
    "holder_changed": N_("the seat has a new officer"),
    "details_changed": N_("the officer's details changed and a new card was issued"),
    "declaration_rejected": N_("the officer's Surat Pernyataan was rejected"),
    "manual": N_("withdrawn by the coordinator"),
    "no_record": N_("this workspace has no record of the card (were its files restored from a backup?)"),
}

MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def format_date(day: date) -> str:
    """'8 December 2024' (day month year, as Indonesian documents write it)."""
    return _(N_("{day} {month} {year}")).format(day=day.day, month=_(MONTHS[day.month - 1]), year=day.year)


def reason_text(code: str | None) -> str:
    if not code:
        return _("no reason recorded")
    template = REVOKE_REASONS.get(code)
    return _(template) if template else code


def tps_text(tps_code: str, regions: dict[str, str]) -> str:
    """'TPS 003 Pangkalan Lada' when the desa name is known, else 'TPS 62.01.02.2005-003'."""
    desa_code, _sep, number = tps_code.rpartition("-")
    desa = regions.get(desa_code)
    if desa and number.isdigit():
        return _(N_("TPS {number} {desa}")).format(number=number, desa=desa)
    return _(N_("TPS {code}")).format(code=tps_code)


@dataclass(frozen=True)
class Verdict:
    status: Status
    card: CardPayload | None = None
    tps: str = ""  # the TPS described for a sentence
    revoked_on: date | None = None
    revoke_reason: str | None = None
    detail: str = ""  # why it is damaged (technical, English)
    code: str = ""  # the short code asked about, when it was one
    revocations_known: bool = True
    revocations_as_of: datetime | None = None  # when the public key file's list was exported
    checked_on: date | None = None

    @property
    def exit_code(self) -> int:
        return self.status.exit_code

    @property
    def message(self) -> str:
        card = self.card
        if self.status is Status.DAMAGED:
            return _(
                N_("Damaged: the code cannot be read ({detail}). Scan it again, or type the short code printed under the QR code.")
            ).format(detail=self.detail)
        if self.status is Status.FORGED or card is None:
            if self.code:
                return _(
                    N_("Forged: no card with the code {code} was issued in this workspace. Do not accept the card.")
                ).format(code=self.code)
            return _(N_("Forged: this code was not signed with the key of this KPU office. Do not accept the card."))
        who = {"name": card.name, "role": seat_title(card.seat), "tps": self.tps}
        if self.status is Status.REVOKED:
            if self.revoked_on is None:
                return _(N_("Revoked: the card of {name} ({role}, {tps}) is withdrawn: {reason}. Do not accept it.")).format(
                    **who, reason=reason_text(self.revoke_reason)
                )
            return _(
                N_("Revoked: the card of {name} ({role}, {tps}) was withdrawn on {day}: {reason}. Do not accept it.")
            ).format(**who, day=format_date(self.revoked_on), reason=reason_text(self.revoke_reason))
        if self.status is Status.EXPIRED:
            return _(N_("Expired: the card of {name} ({role}, {tps}) was valid until {until}.")).format(
                **who, until=format_date(card.valid_until)
            )
        text = _(N_("Genuine and valid: {name}, {role}, {tps}; valid until {until}.")).format(
            **who, until=format_date(card.valid_until)
        )
        if not self.revocations_known:
            text += " " + _("No revocation list was given, so a card withdrawn since it was printed is not recognised.")
        elif self.revocations_as_of is not None:
            exported = self.revocations_as_of.astimezone()
            days = max(0, ((self.checked_on or exported.date()) - exported.date()).days)
            text += " " + _(
                N_("The list of withdrawn cards is from {day} {time} ({days} days old): a card withdrawn since then is not recognised; ask the KPU office for a new file.")
            ).format(day=format_date(exported.date()), time=exported.strftime("%H:%M"), days=days)
        return text


def check_qr_text(text: str, key: VerificationKey, today: date) -> Verdict:
    """Verify the text of a card's QR code with the public key alone."""
    try:
        decoded = decode(text)
    except Damaged as exc:
        return Verdict(Status.DAMAGED, detail=_(str(exc)))  # Damaged carries an N_() source string
    if not decoded.signed_by(key.public_key):
        return Verdict(Status.FORGED)
    verdict = judge(decoded.card, key.regions, key.revoked.get(decoded.card.serial), today, key.has_revocations)
    return replace(verdict, revocations_as_of=key.exported_at, checked_on=today)


def judge(card: CardPayload, regions: dict[str, str], revocation, today: date, revocations_known: bool = True) -> Verdict:
    """Revoked, expired or valid, for a card whose origin is established."""
    tps = tps_text(card.tps_code, regions)
    if revocation is not None:
        return Verdict(
            Status.REVOKED,
            card,
            tps,
            revoked_on=revocation.revoked_on,
            revoke_reason=revocation.reason,
        )
    if today > card.valid_until:
        return Verdict(Status.EXPIRED, card, tps)
    return Verdict(Status.VALID, card, tps, revocations_known=revocations_known)
