"""The workspace's Ed25519 key pair that signs card codes, and the public file verifiers get.

The private key lives in ``keys/card-signing-key.pem`` (folder 0700, file 0600, PKCS#8 PEM,
not encrypted: the workspace folder is the coordinator's private space already). It is made on
first use, under the workspace write lock, so two sessions never make two different keys.

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
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.store.files import atomic_write_bytes, ensure_private_dir
from kpps_tui.store.layout import KEY_DIR

PRIVATE_KEY_FILE = "card-signing-key.pem"
BUNDLE_KIND = "kpps-tui card verification key"
BUNDLE_VERSION = 1


def private_key_path(root: Path) -> Path:
    return Path(root) / KEY_DIR / PRIVATE_KEY_FILE


def load_private_key(root: Path) -> Ed25519PrivateKey | None:
    path = private_key_path(root)
    try:
        pem = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise KppsError(N_("The card signing key {path} cannot be read; it has not been changed."), path=str(path)) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KppsError(N_("The card signing key {path} is not an Ed25519 key."), path=str(path))
    return key


def load_or_create_private_key(root: Path) -> Ed25519PrivateKey:
    """The workspace's key, made now if it has none. Call while holding the workspace lock."""
    key = load_private_key(root)
    if key is not None:
        return key
    key = Ed25519PrivateKey.generate()
    ensure_private_dir(Path(root) / KEY_DIR)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    atomic_write_bytes(private_key_path(root), pem)
    return key


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


def load_verification_key(path: Path) -> VerificationKey:
    """Read an exported public file (JSON) or a bare PEM public key."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KppsError(N_("Cannot read the public key file {path}: {detail}"), path=str(path), detail=exc.strerror or str(exc)) from exc
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
