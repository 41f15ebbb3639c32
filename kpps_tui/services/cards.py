"""Officer ID cards: choose whom to print, issue signed cards, print, revoke and verify.

The TUI's cards screen and `kpps cards` / `kpps verify` / `kpps keys` call these functions:

    select_cards(ws, scope)            how many cards, who is left out and why
    generate_cards(ws, scope, path)    issue + lay out the PDF + record it as printed
    preview_card(ws, tps, seat)        one card's face and its QR as terminal lines
    verify_code(text, ws=..., key=...) the verdict for a QR text or a short code
    export_public_key(ws, path)        the file the verifiers need
    revoke_card / revoke_cards_for_seats

Cryptography and the PDF library are imported inside the functions that use them, so that
importing this module (services.assignments does, to revoke cards) stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path

from kpps_tui.cards import codes
from kpps_tui.domain.cards import CardRecord
from kpps_tui.domain.model import KETUA_SEAT, seat_title
from kpps_tui.domain.roles import AdminTask
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _, fmt_count
from kpps_tui.store.cards import CardBook
from kpps_tui.store.workspace import Workspace

# The cards' period is an election setting (Election.card_period, `kpps settings`).
DEFAULT_SETTINGS = {
    "cut": "marks",  # or "border"
    "offset_x_mm": 0.0,
    "offset_y_mm": 0.0,
    "back": False,
    "print_command": "lp",
}

SCOPE_KINDS = ("tps", "desa", "kecamatan", "all")

def book_of(ws: Workspace) -> CardBook:
    """The workspace's card book, brought up to date with the disk."""
    return ws.card_book()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# ---- settings ----------------------------------------------------------------------------


def card_settings(ws: Workspace) -> dict:
    return {**DEFAULT_SETTINGS, **book_of(ws).settings()}


def update_card_settings(ws: Workspace, **changes) -> dict:
    unknown = set(changes) - set(DEFAULT_SETTINGS)
    if unknown:
        raise KppsError(N_("Unknown card setting {name}."), name=", ".join(sorted(unknown)))
    if "cut" in changes and changes["cut"] not in ("marks", "border"):
        raise KppsError(N_("The cut guide is either marks or border."))
    with ws.transaction():
        ws.require(AdminTask.SETTINGS)
        settings = {**ws.card_book().settings(), **changes}
        ws.put_card_settings(settings, changes)
    return {**DEFAULT_SETTINGS, **settings}


class CardsPeriodOver(KppsError):
    """New cards asked for after the election's card period ended."""


def validity(ws: Workspace, issued: date) -> tuple[date, date]:
    """(valid from, valid until) of a card issued on `issued`: the election's card period, from
    the issue day when it is issued within it (a replacement officer's card)."""
    start, until = ws.election.card_period
    if issued > until:
        raise _period_over(ws, issued)
    return max(issued, start), until


def _period_over(ws: Workspace, today: date) -> CardsPeriodOver:
    from kpps_tui.cards.verify import format_date

    start, until = ws.election.card_period
    return CardsPeriodOver(
        N_(
            "The ID cards of {election} were valid from {start} to {until}; a card made now would be void. "
            "Reprint the cards already issued (kpps cards --reprint), or set the new period with "
            "`kpps settings set cards_valid_until DATE`."
        ),
        election=ws.election.name,
        start=format_date(start),
        until=format_date(until),
    )


# ---- who may get a card -------------------------------------------------------------------


def card_gate(ws: Workspace, nik: str) -> str | None:
    """Why the person with `nik` may not get a card now (a sentence), or None if they may.

    The one place that decides: a known person, on a seat, whose signed declaration
    (Surat Pernyataan) is verified (services.declarations.card_refusal).
    """
    from kpps_tui.services.declarations import card_refusal

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


def _tps_in_scope(ws: Workspace, scope: Scope) -> list:
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
    active_cards = {}
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
            seats.append(SeatCard(tps.code, number, holder.nik, person.name, card))
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
    today = today or date.today()
    user = user or ws.user
    seats = list(seats)
    if ws.election.cards_ended(today) and not reprint:
        raise _period_over(ws, today)
    with ws.transaction():
        ws.access.require_regions(ws.tps[s.tps_code].desa_code for s in seats if s.tps_code in ws.tps)
        book = book_of(ws)
        ws.signing_key(create=True)
        ended = ws.election.cards_ended(today)
        valid_from, valid_until = ws.election.card_period if ended else validity(ws, today)
        stamp = _now()
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
        stamp = _now()
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
        record = record.revoked(_now(), reason)
        ws.put_cards(revoked=[record])
        return record


# ---- faces and printing ------------------------------------------------------------------


def card_payload(ws: Workspace, record: CardRecord):
    from kpps_tui.cards.payload import CardPayload

    return CardPayload(
        serial=record.serial,
        election_day=date.fromisoformat(record.election_day),
        tps_code=record.tps,
        seat=record.seat,
        name=record.name,
        valid_until=date.fromisoformat(record.valid_until),
    )


def card_faces(ws: Workspace, records: Sequence[CardRecord]) -> list:
    """What each card shows, with its signed QR text (signing is deterministic: a reprint
    of the same record gives the same code)."""
    from kpps_tui.cards.payload import sign
    from kpps_tui.cards.sheet import CardFace

    key = ws.signing_key() if records else None
    if key is None and records:
        raise KppsError(N_("This workspace has no card signing key yet; issue the cards first."))
    faces = []
    for record in records:
        tps = ws.tps.get(record.tps)
        desa_code = tps.desa_code if tps else record.tps.rpartition("-")[0]
        faces.append(
            CardFace(
                serial=record.serial,
                code=codes.display(record.code),
                qr_text=sign(card_payload(ws, record), key),
                kpu_name=ws.election.kpu_name,
                election=ws.election.name,
                seat=record.seat,
                name=record.name,
                tps_code=record.tps,
                tps_number=int(record.tps.rpartition("-")[2]),
                desa=ws.region_name(desa_code),
                kecamatan=ws.region_name(".".join(desa_code.split(".")[:3])),
                valid_from=date.fromisoformat(record.valid_from),
                valid_until=date.fromisoformat(record.valid_until),
            )
        )
    return faces


def sheet_options(ws: Workspace, **overrides):
    """The printing choices saved in the workspace, with these ones changed for this run."""
    from kpps_tui.cards.sheet import SheetOptions

    settings = card_settings(ws)
    base = SheetOptions(
        cut=settings["cut"],
        offset_x_mm=float(settings["offset_x_mm"]),
        offset_y_mm=float(settings["offset_y_mm"]),
        back=bool(settings["back"]),
    )
    return replace(base, **{k: v for k, v in overrides.items() if v is not None})


@dataclass(frozen=True)
class Generated:
    path: Path
    cards: int
    pages: int
    left_out: tuple[LeftOut, ...]
    already_printed: int
    serials: tuple[int, ...] = field(default=(), repr=False)
    expired_on: date | None = None  # set when the cards' validity already ended

    def summary(self) -> str:
        text = _("{cards} cards on {pages} pages written to {path}.").format(
            cards=fmt_count(self.cards), pages=fmt_count(self.pages), path=self.path
        )
        if self.left_out:
            text += " " + _("{n} seats left out.").format(n=fmt_count(len(self.left_out)))
        if self.already_printed:
            text += " " + _("{n} cards were printed before and skipped.").format(n=fmt_count(self.already_printed))
        if self.expired_on:
            from kpps_tui.cards.verify import format_date

            text += " " + _("Warning: these cards were valid only until {day}, which has passed.").format(
                day=format_date(self.expired_on)
            )
        return text


def generate_cards(
    ws: Workspace,
    scope: Scope,
    out_path: Path,
    options=None,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    reprint: bool = False,
) -> Generated:
    """Issue the cards of `scope`, write them as an A4 PDF and record them as printed.

    Runs in a worker in the TUI: `progress(done, total)` is called as pages are laid out and
    `cancelled()` is asked between cards (cards.sheet.Cancelled is raised, no file written,
    nothing recorded as printed; the serials issued so far stay valid for the next run).
    """
    from kpps_tui.cards.sheet import write_pdf

    today = today or date.today()
    options = options or sheet_options(ws)
    selection = select_cards(ws, scope)
    issued = issue_cards(ws, selection.seats, today, reprint=reprint)
    faces = card_faces(ws, issued.records)
    pages = write_pdf(Path(out_path), faces, options, progress=progress, cancelled=cancelled)
    serials = tuple(r.serial for r in issued.records)
    record_printed(ws, serials)
    until = ws.election.card_period[1]
    return Generated(
        Path(out_path),
        len(faces),
        pages,
        selection.left_out + issued.skipped,
        selection.already_printed,
        serials,
        until if faces and today > until else None,
    )


def calibration_pdf(ws: Workspace, out_path: Path, options=None) -> int:
    from kpps_tui.cards.sheet import write_pdf

    options = replace(options or sheet_options(ws), calibration=True)
    return write_pdf(Path(out_path), [], options)


def preview_card(ws: Workspace, tps_code: str, seat: int, today: date | None = None, quiet: int = 2):
    """Issue (or reuse) the card of one seat and return (face, QR lines for the terminal); after
    the cards' period only the card on record, never a new one."""
    from kpps_tui.cards.preview import qr_lines

    tps = ws.tps.get(tps_code)
    holder = tps.seats.get(seat) if tps else None
    if tps is None or holder is None:
        raise KppsError(N_("Seat {seat} of {tps} is empty: there is no card to show."), seat=seat, tps=tps_code)
    person = ws.people.get(holder.nik)
    issued = issue_cards(ws, [SeatCard(tps_code, seat, holder.nik, person.name if person else "")], today, reprint=True)
    if not issued.records:
        raise KppsError(N_("No card for this seat: {reason}"), reason=issued.skipped[0].reason)
    face = card_faces(ws, issued.records)[0]
    return face, qr_lines(face.qr_text, quiet=quiet)


# ---- verifying ---------------------------------------------------------------------------


def workspace_key(ws: Workspace):
    """The VerificationKey of this workspace: its public key, revocations and region names."""
    from kpps_tui.cards.keys import Revocation, VerificationKey

    private = ws.signing_key()
    if private is None:
        raise KppsError(N_("No card has been issued in this workspace yet, so it has no key to check cards with."))
    book = book_of(ws)
    revoked = {
        r.serial: Revocation(r.serial, r.revoked_on, r.revoke_reason or "") for r in book.revoked()
    }
    return VerificationKey(
        private.public_key(),
        revoked,
        ws.election.to_doc(),
        {code: region.name for code, region in ws.regions.items()},
        has_revocations=True,
    )


def verify_code(text: str, ws: Workspace | None = None, key=None, today: date | None = None):
    """The verdict on a card's QR text (needs `key` or `ws`) or short code (needs `ws`)."""
    from kpps_tui.cards.payload import PREFIX, CardPayload
    from kpps_tui.cards.verify import Status, Verdict, check_qr_text, judge

    today = today or date.today()
    text = text.strip()
    if text.upper().startswith(PREFIX):
        if key is None:
            if ws is None:
                raise KppsError(N_("To check a QR code without a workspace, give the public key file (--public-key)."))
            key = workspace_key(ws)
            return _against_records(ws, check_qr_text(text, key, today))
        return check_qr_text(text, key, today)
    if not codes.looks_like_code(text):
        cleaned = codes.normalize(text)
        if len(cleaned) == codes.LENGTH:
            detail = _("a short code never contains 0, O, 1, I, L or U")
        else:
            detail = _("neither the text of a card's QR code nor a short code of {n} characters").format(n=codes.LENGTH)
        return Verdict(Status.DAMAGED, detail=detail)
    if not codes.is_valid(text):
        return Verdict(Status.DAMAGED, detail=_("the check character does not match: a character was mistyped"))
    if ws is None:
        raise KppsError(N_("A short code is checked against the workspace; run this where the workspace is (--data)."))
    book = book_of(ws)
    code = codes.normalize(text)
    record = book.by_code(code)
    if record is None:
        return Verdict(Status.FORGED, code=codes.display(code))
    revocation = None
    if not record.active:
        from kpps_tui.cards.keys import Revocation

        revocation = Revocation(record.serial, record.revoked_on, record.revoke_reason or "")
    regions = {c: r.name for c, r in ws.regions.items()}
    verdict = judge(card_payload(ws, record), regions, revocation, today)
    return replace(_against_records(ws, verdict), code=codes.display(code))


def _against_records(ws: Workspace, verdict):
    """In the workspace a genuine card is also checked against today's seats: a card whose
    record is missing, or whose seat now holds someone else, is not to be accepted even if no
    revocation was written (files put back from a backup, or edited by another tool)."""
    from kpps_tui.cards.keys import Revocation
    from kpps_tui.cards.verify import Status, judge

    if verdict.status not in (Status.VALID, Status.EXPIRED) or verdict.card is None:
        return verdict
    card = verdict.card
    record = book_of(ws).records.get(card.serial)
    tps = ws.tps.get(card.tps_code)
    holder = tps.seats.get(card.seat) if tps else None
    if record is None:
        reason = "no_record"
    elif holder is None or holder.nik != record.nik:
        reason = "holder_changed"
    else:
        return verdict
    regions = {c: r.name for c, r in ws.regions.items()}
    return judge(card, regions, Revocation(card.serial, None, reason), date.today())


def read_public_key(path: Path):
    """The public key file a verifier was given (`kpps keys export-public`), or a bare PEM."""
    from kpps_tui.cards.keys import parse_verification_key

    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KppsError(N_("Cannot read the public key file {path}: {detail}"), path=str(path), detail=exc.strerror or str(exc)) from exc
    return parse_verification_key(raw, path)


def export_public_key(ws: Workspace, path: Path) -> str:
    """Write the public key, election, region names and revocations for verifiers; returns
    the key id. Makes the key pair if the workspace has none yet."""
    from kpps_tui.cards.keys import bundle_bytes, key_id
    from kpps_tui.store.outputs import refuse_inside_workspace, write_output

    refuse_inside_workspace(Path(path))  # before a key is made for nothing
    with ws.transaction():
        ws.require(AdminTask.KEYS)
        ws.signing_key(create=True)
        key = workspace_key(ws)
        path = Path(path)
        write_output(path, bundle_bytes(key, _now()), shared=True)  # a public key: meant to be shared
        ws.audit_event("key_export", "keys", {"key_id": key_id(key.public_key), "to": str(path)})
    return key_id(key.public_key)


# ---- getting the PDF onto paper ------------------------------------------------------------


def print_command(ws: Workspace) -> list[str] | None:
    """The configured print command as an argument list, or None when it is not installed
    here (e.g. no `lp` on the server): then show the path and the scp line instead."""
    import shlex
    import shutil

    words = shlex.split(str(card_settings(ws).get("print_command") or ""))
    if not words or shutil.which(words[0]) is None:
        return None
    return words


def send_to_printer(ws: Workspace, path: Path, timeout: float = 120) -> str:
    """Run the print command on the PDF (its path is the last argument); returns what the
    command said (lp prints the job id). Raises KppsError when it fails."""
    import subprocess

    words = print_command(ws)
    if words is None:
        raise KppsError(
            N_("The print command {command} is not available here; fetch the PDF and print it elsewhere."),
            command=card_settings(ws).get("print_command") or "-",
        )
    try:
        done = subprocess.run(
            [*words, str(Path(path).resolve())],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise KppsError(N_("Printing failed: {reason}"), reason=str(exc)) from exc
    if done.returncode != 0:
        raise KppsError(
            N_("Printing failed: {reason}"), reason=(done.stderr or done.stdout).strip() or f"exit {done.returncode}"
        )
    return done.stdout.strip()


def fetch_hint(path: Path) -> str:
    """An scp line that copies the PDF from this server to the user's own computer."""
    import getpass
    import os
    import shlex
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    connection = os.environ.get("SSH_CONNECTION", "").split()
    host = connection[2] if len(connection) >= 3 else socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    where = f"{user}@{host}" if user else host
    return f"scp {shlex.quote(where + ':' + str(Path(path).resolve()))} ."
