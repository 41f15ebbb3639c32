"""The signed content of a card's QR code.

Text form: ``KPPS:`` followed by base45 (RFC 9285) of the bytes below; base45 uses exactly
the QR alphanumeric character set, so the symbol is encoded at 5.5 bits a character. Bytes
(big-endian):

    offset size  field
    0      1     format version (1)
    1      2     election: its voting day, as days since 2000-01-01
    3      4     card serial
    7      1+1+1 TPS code: province, kabupaten, kecamatan   (PP.KK.CC)
    10     2     desa/kelurahan part of the TPS code         (.DDDD)
    12     2     TPS number                                  (-NNN)
    14     1     seat (1 = Ketua KPPS, 2-7 Anggota KPPS)
    15     2     valid until, as days since 2000-01-01
    17     1     n: length of the name in UTF-8 bytes
    18     n     the officer's name, UTF-8
    18+n   64    Ed25519 signature of b"KPPS-CARD\\0" + bytes 0 .. 18+n

No NIK, phone number or address. A card with a 16-character name is 98 bytes, 152 characters
of text, a version 6 QR code (41 x 41 modules) at error correction M; names of 18 to 33
characters give version 7 (45 x 45), a name of 60 characters 142 bytes and version 8.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from datetime import date, timedelta

import base45

from kpps_tui.i18n import N_

PREFIX = "KPPS:"
FORMAT_VERSION = 1
SIGNATURE_SIZE = 64
SIGNING_CONTEXT = b"KPPS-CARD\x00"
EPOCH = date(2000, 1, 1)
_HEAD = struct.Struct(">BHIBBBHHBHB")
_TPS_CODE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{2})\.(\d{4})-(\d{3})$")
MAX_NAME_BYTES = 255


class Damaged(ValueError):
    """The text is not a card code this program can read (detail says why, in English)."""


@dataclass(frozen=True)
class CardPayload:
    serial: int
    election_day: date
    tps_code: str
    seat: int
    name: str
    valid_until: date
    version: int = FORMAT_VERSION


def _days(day: date) -> int:
    return (day - EPOCH).days


def encode_body(card: CardPayload) -> bytes:
    m = _TPS_CODE.match(card.tps_code)
    if m is None:
        raise ValueError(f"TPS code {card.tps_code!r} is not of the form PP.KK.CC.DDDD-NNN")
    prov, kab, kec, desa, number = (int(g) for g in m.groups())
    name = card.name.encode("utf-8")
    if len(name) > MAX_NAME_BYTES:
        raise ValueError("name too long for a card code")
    head = _HEAD.pack(
        card.version,
        _days(card.election_day),
        card.serial,
        prov,
        kab,
        kec,
        desa,
        number,
        card.seat,
        _days(card.valid_until),
        len(name),
    )
    return head + name


def signed_message(body: bytes) -> bytes:
    return SIGNING_CONTEXT + body


def to_text(body: bytes, signature: bytes) -> str:
    return PREFIX + base45.b45encode(body + signature).decode("ascii")


def sign(card: CardPayload, private_key) -> str:
    """The QR text of `card`, signed with an Ed25519 private key (cryptography's object)."""
    body = encode_body(card)
    return to_text(body, private_key.sign(signed_message(body)))


@dataclass(frozen=True)
class Decoded:
    card: CardPayload
    body: bytes
    signature: bytes

    def signed_by(self, public_key) -> bool:
        from cryptography.exceptions import InvalidSignature

        try:
            public_key.verify(self.signature, signed_message(self.body))
        except InvalidSignature:
            return False
        return True


def decode(text: str) -> Decoded:
    """Read the QR text back; raises Damaged when it is not a well-formed card code."""
    text = text.strip()
    if not text.upper().startswith(PREFIX):
        raise Damaged(N_("not a KPPS card code"))
    try:
        raw = base45.b45decode(text[len(PREFIX) :])
    except (ValueError, KeyError, TypeError) as exc:
        raise Damaged(N_("not base45 text")) from exc
    if len(raw) < _HEAD.size + SIGNATURE_SIZE:
        raise Damaged(N_("too short"))
    fields = _HEAD.unpack_from(raw)
    version, election, serial, prov, kab, kec, desa, number, seat, until, name_len = fields
    if version != FORMAT_VERSION:
        raise Damaged(N_("unknown card format"))
    end = _HEAD.size + name_len
    if len(raw) != end + SIGNATURE_SIZE:
        raise Damaged(N_("wrong length"))
    try:
        name = raw[_HEAD.size : end].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Damaged(N_("the name is not UTF-8")) from exc
    card = CardPayload(
        serial=serial,
        election_day=EPOCH + timedelta(days=election),
        tps_code=f"{prov:02d}.{kab:02d}.{kec:02d}.{desa:04d}-{number:03d}",
        seat=seat,
        name=name,
        valid_until=EPOCH + timedelta(days=until),
        version=version,
    )
    return Decoded(card, raw[:end], raw[end:])
