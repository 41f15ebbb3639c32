"""What a verifier needs of the workspace's Ed25519 key: the public file, written and read.

(The private key is a file of the workspace: store/keys.py, through Workspace.signing_key.)

The public file (``kpps keys export-public FILE``) is JSON: the public key in PEM, the
election, the names of the regions (so an offline answer can say "TPS 003 Pangkalan Lada") and
the revoked card serials. A plain PEM public key is accepted as well, without revocations.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_

BUNDLE_KIND = "kpps-tui card verification key"
BUNDLE_VERSION = 1


def raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: Ed25519PublicKey) -> str:
    """A short fingerprint to tell keys apart when talking about them (not a secret)."""
    return hashlib.sha256(raw_public(public)).hexdigest()[:16]


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


@dataclass(frozen=True)
class Revocation:
    serial: int
    revoked_on: date | None
    reason: str  # a code from services.cards.REVOKE_REASONS


@dataclass(frozen=True)
class VerificationKey:
    """What a verifier needs: the public key, and what is known about withdrawn cards."""

    public_key: Ed25519PublicKey
    revoked: dict[int, Revocation] = field(default_factory=dict)
    election: dict = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)
    has_revocations: bool = False  # False for a bare PEM: revocations are then unknown
    exported_at: datetime | None = None  # from a public key file: how old its revocations are


def bundle_bytes(key: VerificationKey, exported_at: str) -> bytes:
    doc = {
        "kind": BUNDLE_KIND,
        "version": BUNDLE_VERSION,
        "exported_at": exported_at,
        "key_id": key_id(key.public_key),
        "public_key": public_pem(key.public_key),
        "election": key.election,
        "revoked": [
            {
                "serial": r.serial,
                "revoked_on": r.revoked_on.isoformat() if r.revoked_on else None,
                "reason": r.reason,
            }
            for r in sorted(key.revoked.values(), key=lambda r: r.serial)
        ],
        "regions": dict(sorted(key.regions.items())),
    }
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def parse_verification_key(raw: bytes, path: Path) -> VerificationKey:
    """An exported public file (JSON) or a bare PEM public key, read from `path`."""
    unreadable = KppsError(
        N_("{path} is not a public key exported by `kpps keys export-public`."), path=str(path)
    )
    if raw.lstrip().startswith(b"-----BEGIN"):
        return VerificationKey(_public_from_pem(raw, unreadable))
    try:
        doc = json.loads(raw)
        if doc.get("kind") != BUNDLE_KIND:
            raise unreadable
        public = _public_from_pem(doc["public_key"].encode("ascii"), unreadable)
        revoked = {}
        for item in doc.get("revoked", []):
            serial = int(item["serial"])
            day = item.get("revoked_on")
            revoked[serial] = Revocation(serial, date.fromisoformat(day) if day else None, item.get("reason", ""))
        return VerificationKey(
            public,
            revoked,
            dict(doc.get("election", {})),
            {str(k): str(v) for k, v in doc.get("regions", {}).items()},
            has_revocations=True,
            exported_at=_moment(doc.get("exported_at")),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise unreadable from exc


def _moment(text: object) -> datetime | None:
    """The export time written in the file; None when absent or not a time (an older file)."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _public_from_pem(pem: bytes, error: KppsError) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise error from exc
    if not isinstance(key, Ed25519PublicKey):
        raise error
    return key
