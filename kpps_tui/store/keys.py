"""The workspace's Ed25519 key that signs card codes: a file the Workspace owns.

The private key lives in ``keys/card-signing-key.pem`` (folder 0700, file 0600, PKCS#8 PEM,
not encrypted: the workspace folder is the coordinator's private space already). It is made on
the first card issue, inside the workspace's transaction, so two sessions never make two keys;
once a card was issued, a missing key is damage (Workspace.signing_key), never made again: a
new key would make every printed card read "forged".
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kpps_tui.store import journal
from kpps_tui.store.files import ensure_private_dir
from kpps_tui.store.layout import KEY_DIR, PRIVATE_KEY_FILE
from kpps_tui.store.storage import DamagedFile


def private_key_path(root: Path) -> Path:
    return Path(root) / KEY_DIR / PRIVATE_KEY_FILE


def read_private_key(root: Path) -> Ed25519PrivateKey | None:
    """The key, or None when the file is not there; a file that is not a whole Ed25519 key
    is damage."""
    path = private_key_path(root)
    try:
        pem = journal.read_bytes(path)  # as this transaction leaves it
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DamagedFile(path, exc.strerror or str(exc)) from exc
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise DamagedFile(path, "not a whole PEM key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise DamagedFile(path, "not an Ed25519 key")
    return key


def write_new_private_key(root: Path) -> Ed25519PrivateKey:
    """Make the key pair and store it durably. Call inside the workspace's transaction, only
    when no card was ever issued (Workspace.signing_key decides)."""
    key = Ed25519PrivateKey.generate()
    ensure_private_dir(Path(root) / KEY_DIR)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    journal.write_bytes(private_key_path(root), pem)  # lands with the transaction's other files
    return key
