"""Is this card genuine and valid? The verdict on a QR text or a short code, against the
workspace or against a public key file alone, and that file's export for offline checkers.

cryptography loads inside the functions that sign or check, so that importing this module
stays cheap."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kpps_tui import clock
from kpps_tui.cards import codes
from kpps_tui.cards.verify import Status as Status
from kpps_tui.cards.verify import Verdict as Verdict
from kpps_tui.cards.verify import format_date as format_date
from kpps_tui.cards.verify import judge
from kpps_tui.domain.roles import AdminTask
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services.cards.printing import card_payload
from kpps_tui.store.outputs import refuse_inside_workspace, write_output
from kpps_tui.store.workspace import Workspace

if TYPE_CHECKING:
    from kpps_tui.cards.keys import VerificationKey


def workspace_key(ws: Workspace) -> VerificationKey:
    """The VerificationKey of this workspace: its public key, revocations and region names."""
    from kpps_tui.cards.keys import Revocation, VerificationKey

    private = ws.signing_key()
    if private is None:
        raise KppsError(N_("No card has been issued in this workspace yet, so it has no key to check cards with."))
    revoked = {
        r.serial: Revocation(r.serial, r.revoked_on, r.revoke_reason or "") for r in ws.card_book().revoked()
    }
    return VerificationKey(
        private.public_key(),
        revoked,
        ws.election.to_doc(),
        {code: region.name for code, region in ws.regions.items()},
        has_revocations=True,
    )


def verify_code(
    text: str, ws: Workspace | None = None, key: VerificationKey | None = None, today: date | None = None
) -> Verdict:
    """The verdict on a card's QR text (needs `key` or `ws`) or short code (needs `ws`)."""
    from kpps_tui.cards.keys import Revocation
    from kpps_tui.cards.payload import PREFIX
    from kpps_tui.cards.verify import check_qr_text

    today = today or clock.today()
    text = text.strip()
    if text.upper().startswith(PREFIX):
        if key is None:
            if ws is None:
                raise KppsError(N_("To check a QR code without a workspace, give the public key file (--public-key)."))
            return _against_records(ws, check_qr_text(text, workspace_key(ws), today), today)
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
    code = codes.normalize(text)
    record = ws.card_book().by_code(code)
    if record is None:
        return Verdict(Status.FORGED, code=codes.display(code))
    revocation = None
    if not record.active:
        revocation = Revocation(record.serial, record.revoked_on, record.revoke_reason or "")
    regions = {c: r.name for c, r in ws.regions.items()}
    verdict = judge(card_payload(record), regions, revocation, today)
    return replace(_against_records(ws, verdict, today), code=codes.display(code))


def _against_records(ws: Workspace, verdict: Verdict, today: date) -> Verdict:
    """In the workspace a genuine card is also checked against today's seats: a card whose
    record is missing, or whose seat now holds someone else, is not to be accepted even if no
    revocation was written (files put back from a backup, or edited by another tool)."""
    from kpps_tui.cards.keys import Revocation

    if verdict.status not in (Status.VALID, Status.EXPIRED) or verdict.card is None:
        return verdict
    card = verdict.card
    record = ws.card_book().records.get(card.serial)
    tps = ws.tps.get(card.tps_code)
    holder = tps.seats.get(card.seat) if tps else None
    if record is None:
        reason = "no_record"
    elif holder is None or holder.nik != record.nik:
        reason = "holder_changed"
    else:
        return verdict
    regions = {c: r.name for c, r in ws.regions.items()}
    return judge(card, regions, Revocation(card.serial, None, reason), today)


def read_public_key(path: Path) -> VerificationKey:
    """The public key file a verifier was given (`kpps keys export-public`), or a bare PEM."""
    from kpps_tui.cards.keys import parse_verification_key

    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KppsError(N_("Cannot read the public key file {path}: {detail}"), path=str(path), detail=exc.strerror or str(exc)) from exc
    return parse_verification_key(raw, path)


def read_qr_texts(path: Path) -> list[str]:
    """The texts of the QR codes in a photo or a scan (zxing-cpp loads only here)."""
    from kpps_tui.cards.scan import qr_texts

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise KppsError(N_("There is no image file {path}."), path=str(path)) from exc
    except OSError as exc:
        raise KppsError(N_("{path} is not an image this program can read."), path=str(path)) from exc
    return qr_texts(data, str(path))


def export_public_key(ws: Workspace, path: Path) -> str:
    """Write the public key, election, region names and revocations for verifiers; returns
    the key id. Makes the key pair if the workspace never issued a card (once cards were
    issued a lost key is damage, never made again)."""
    from kpps_tui.cards.keys import bundle_bytes, key_id

    path = Path(path)
    refuse_inside_workspace(path)  # before a key is made for nothing
    with ws.transaction():
        ws.require(AdminTask.KEYS)
        ws.signing_key(create=True)
        key = workspace_key(ws)
        stamp = clock.stamp("seconds")
        write_output(path, bundle_bytes(key, stamp), shared=True)  # a public key: meant to be shared
        ws.audit_event("key_export", "keys", {"key_id": key_id(key.public_key), "to": str(path)})
    return key_id(key.public_key)


def revoked_count(ws: Workspace) -> int:
    return len(ws.card_book().revoked())
