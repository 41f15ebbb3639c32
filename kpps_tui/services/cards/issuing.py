"""Whom to give a card, and giving it: the choice of seats, issuing, marking as printed,
revoking by hand and after a restore.

A card of a seat whose holder changed is revoked by the seat's own write (Workspace.put_tps),
so nothing here needs to run after a seat change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from kpps_tui import clock
from kpps_tui.cards import codes
from kpps_tui.domain.cards import CardRecord
from kpps_tui.domain.model import KETUA_SEAT, Tps, seat_title
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _, fmt_count
from kpps_tui.services.cards.settings import period_over, validity
from kpps_tui.services.declarations import card_refusal
from kpps_tui.store.cards import CardBook
from kpps_tui.store.workspace import Workspace

SCOPE_KINDS = ("tps", "desa", "kecamatan", "all")


def book_of(ws: Workspace) -> CardBook:
    """The workspace's card book, brought up to date with the disk."""
    return ws.card_book()


# ---- who may get a card -------------------------------------------------------------------


def card_gate(ws: Workspace, nik: str) -> str | None:
    """Why the person with `nik` may not get a card now (a sentence), or None if they may.

    The one place that decides: a known person, on a seat, whose signed declaration
    (Surat Pernyataan) is verified (services.declarations.card_refusal).
    """
    person = ws.people.get(nik)
    if person is None:
        return _("The officer's NIK {nik} is not in the applicant list.").format(nik=nik)
    if nik not in ws.placements:
        return _("{name} does not sit on any seat.").format(name=person.name)
    return card_refusal(ws, nik)


# ---- choosing what to print --------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    kind: str  # one of SCOPE_KINDS
    code: str = ""  # TPS, desa or kecamatan code; empty for "all"
    not_printed: bool = False

    def describe(self, ws: Workspace) -> str:
        if self.kind == "all":
            text = _("all TPS")
        elif self.kind == "tps":
            tps = ws.tps.get(self.code)
            text = ws.tps_label(tps) if tps else self.code
        elif self.kind == "desa":
            text = _("Desa/Kelurahan {name}").format(name=ws.region_name(self.code))
        else:
            text = _("Kecamatan {name}").format(name=ws.region_name(self.code))
        if self.not_printed:
            text += ", " + _("only cards not yet printed")
        return text


def resolve_scope(ws: Workspace, kind: str, value: str = "", not_printed: bool = False) -> Scope:
    """A scope from what a person typed: a code, or a desa/kecamatan name."""
    if kind not in SCOPE_KINDS:
        raise KppsError(N_("Unknown choice {kind}; use tps, desa, kecamatan or all."), kind=kind)
    value = value.strip()
    if kind == "all":
        return Scope("all", "", not_printed)
    if kind == "tps":
        if value not in ws.tps:
            raise KppsError(N_("There is no TPS with code {code}. `kpps tps list` shows the codes."), code=value)
        return Scope("tps", value, not_printed)
    codes_ = ws.desa_codes() if kind == "desa" else ws.kecamatan_codes()
    if value in codes_:
        return Scope(kind, value, not_printed)
    wanted = value.casefold()
    matches = [c for c in codes_ if ws.region_name(c).casefold() == wanted]
    if not matches:
        matches = [c for c in codes_ if wanted and wanted in ws.region_name(c).casefold()]
    if len(matches) == 1:
        return Scope(kind, matches[0], not_printed)
    if not matches:
        raise KppsError(N_("No {kind} matches {value!r}."), kind=kind, value=value)
    raise KppsError(
        N_("{value!r} matches several: {choices}. Give the code."),
        value=value,
        choices="; ".join(f"{c} {ws.region_name(c)}" for c in matches),
    )


@dataclass(frozen=True)
class SeatCard:
    """A seat whose holder gets a card (`card` is their current card, if one was issued)."""

    tps_code: str
    seat: int
    nik: str
    name: str
    card: CardRecord | None = None


@dataclass(frozen=True)
class LeftOut:
    tps_code: str
    tps_label: str
    seat: int
    reason: str
    name: str = ""

    def describe(self) -> str:
        who = f"{self.name}, " if self.name else ""
        return _("{tps}, {role}: {who}{reason}").format(
            tps=self.tps_label, role=seat_title(self.seat), who=who, reason=self.reason
        )


@dataclass(frozen=True)
class Selection:
    scope: Scope
    seats: tuple[SeatCard, ...]
    left_out: tuple[LeftOut, ...]
    already_printed: int = 0

    @property
    def count(self) -> int:
        return len(self.seats)

    def summary(self) -> str:
        parts = [_("{n} cards to print").format(n=fmt_count(self.count))]
        if self.left_out:
            parts.append(_("{n} seats left out").format(n=fmt_count(len(self.left_out))))
        if self.already_printed:
            parts.append(_("{n} already printed").format(n=fmt_count(self.already_printed)))
        return "; ".join(parts) + "."


def _tps_in_scope(ws: Workspace, scope: Scope) -> list[Tps]:
    if scope.kind == "tps":
        found = [ws.tps[scope.code]] if scope.code in ws.tps else []
    elif scope.kind == "desa":
        found = [t for t in ws.tps.values() if t.desa_code == scope.code]
    elif scope.kind == "kecamatan":
        found = [t for t in ws.tps.values() if t.kecamatan_code == scope.code]
    else:
        found = list(ws.tps.values())
    # Kecamatan -> desa -> TPS (Kemendagri codes), so each PPS gets its bundle in order.
    return sorted(found, key=lambda t: (t.kecamatan_code, t.desa_code, t.number))


def select_cards(ws: Workspace, scope: Scope) -> Selection:
    """The cards a scope asks for, in print order, and the seats left out with the reason."""
    ws.refresh()  # another coordinator may have seated someone or verified a declaration
    book = book_of(ws)
    active_cards: dict[tuple[str, int, str], CardRecord] = {}
    for record in book.records.values():
        if record.active:
            active_cards[(record.tps, record.seat, record.nik)] = record
    seats: list[SeatCard] = []
    left_out: list[LeftOut] = []
    already = 0
    for tps in _tps_in_scope(ws, scope):
        label = ws.tps_label(tps)
        for number in range(1, ws.election.seats_per_tps + 1):
            holder = tps.seats.get(number)
            if holder is None:
                left_out.append(LeftOut(tps.code, label, number, _("seat empty")))
                continue
            person = ws.people.get(holder.nik)
            reason = card_gate(ws, holder.nik)
            if reason is not None:
                left_out.append(LeftOut(tps.code, label, number, reason, person.name if person else ""))
                continue
            card = active_cards.get((tps.code, number, holder.nik))
            if scope.not_printed and card is not None and card.printed_at:
                already += 1
                continue
            seats.append(SeatCard(tps.code, number, holder.nik, person.name if person else "", card))
    return Selection(scope, tuple(seats), tuple(left_out), already)


# ---- issuing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Issued:
    records: tuple[CardRecord, ...]
    skipped: tuple[LeftOut, ...] = ()


def issue_cards(
    ws: Workspace,
    seats: Iterable[SeatCard],
    today: date | None = None,
    user: str | None = None,
    reprint: bool = False,
) -> Issued:
    """Give each seat's holder a card: their current one when it still says the right thing,
    else a new serial (the old card, if any, is revoked).

    After the cards' period only `reprint` is allowed (else CardsPeriodOver): each holder's
    card on record, as it was issued; a seat without one is left out.
    """
    today = today or clock.today()
    user = user or ws.user
    seats = list(seats)
    if ws.election.cards_ended(today) and not reprint:
        raise period_over(ws, today)
    with ws.transaction():
        ws.access.require_regions(ws.tps[s.tps_code].desa_code for s in seats if s.tps_code in ws.tps)
        book = book_of(ws)
        ws.signing_key(create=True)
        ended = ws.election.cards_ended(today)
        valid_from, valid_until = ws.election.card_period if ended else validity(ws, today)
        stamp = clock.stamp("seconds")
        withdrawn: list[CardRecord] = []
        wanted: list[tuple[SeatCard, CardRecord | None]] = []
        skipped: list[LeftOut] = []
        for seat_card in seats:
            tps = ws.tps.get(seat_card.tps_code)
            holder = tps.seats.get(seat_card.seat) if tps else None
            if tps is None or holder is None or holder.nik != seat_card.nik:
                label = ws.tps_label(tps) if tps else seat_card.tps_code
                skipped.append(
                    LeftOut(seat_card.tps_code, label, seat_card.seat, _("the seat changed meanwhile"), seat_card.name)
                )
                continue
            reason = card_gate(ws, holder.nik)
            if reason is not None:
                skipped.append(LeftOut(tps.code, ws.tps_label(tps), seat_card.seat, reason, seat_card.name))
                continue
            name = ws.people[holder.nik].name
            keep = None
            for record in book.active_for_seat(tps.code, seat_card.seat):
                if record.nik != holder.nik:
                    withdrawn.append(record.revoked(stamp, "holder_changed"))
                elif record.name != name or (record.valid_until != valid_until.isoformat() and not ended):
                    withdrawn.append(record.revoked(stamp, "details_changed"))
                elif keep is None:
                    keep = record
            if keep is None and ended:
                skipped.append(
                    LeftOut(tps.code, ws.tps_label(tps), seat_card.seat, _("no card on record to reprint"), name)
                )
                continue
            wanted.append((replace(seat_card, name=name), keep))
        fresh = [sc for sc, keep in wanted if keep is None]
        numbers, meta = book.next_serials(len(fresh))
        serials = iter(numbers)
        made: list[CardRecord] = []
        result: list[CardRecord] = []
        for seat_card, keep in wanted:
            if keep is None:
                serial = next(serials)
                keep = CardRecord(
                    serial=serial,
                    code=codes.make_code(serial),
                    tps=seat_card.tps_code,
                    seat=seat_card.seat,
                    nik=seat_card.nik,
                    name=seat_card.name,
                    role="ketua" if seat_card.seat == KETUA_SEAT else "anggota",
                    issued_at=stamp,
                    valid_from=valid_from.isoformat(),
                    valid_until=valid_until.isoformat(),
                    election_day=ws.election.voting_day.isoformat(),
                    issued_by=user,
                )
                made.append(keep)
            result.append(keep)
        ws.put_cards(issued=made, revoked=withdrawn, meta=meta if made else None)
    return Issued(tuple(result), tuple(skipped))


def record_printed(ws: Workspace, serials: Iterable[int]) -> None:
    wanted = set(serials)
    if not wanted:
        return
    with ws.transaction():
        ws.require()
        book = book_of(ws)
        stamp = clock.stamp("seconds")
        changed = [
            replace(r, printed_at=stamp) for s in wanted if (r := book.records.get(s)) is not None and r.active
        ]
        ws.put_cards(printed=changed)


# ---- revoking ----------------------------------------------------------------------------


def revoke_stale_cards(ws: Workspace) -> list[int]:
    """Revoke every active card whose seat no longer holds its officer (after a restore)."""
    with ws.transaction():
        return ws.revoke_stale_cards()


def revoke_card(ws: Workspace, serial: int, reason: str = "manual") -> CardRecord:
    with ws.transaction():
        book = book_of(ws)
        record = book.records.get(serial)
        if record is None:
            raise KppsError(N_("There is no card with serial {serial}."), serial=serial)
        tps = ws.tps.get(record.tps)
        ws.require(region=tps.desa_code if tps else record.tps)
        if not record.active:
            return record
        record = record.revoked(clock.stamp("seconds"), reason)
        ws.put_cards(revoked=[record])
        return record

