"""A TinyDB storage that keeps the file's data in memory and writes it durably.

Stock JSONStorage re-parses the whole file on every read and rewrites it in place, so a crash
mid-write damages it. This one parses once, serves reads from memory, and replaces the file
atomically on each write. The files stay plain TinyDB JSON that stock `TinyDB(path)` opens.
"""

from __future__ import annotations

import binascii
import json
import re
from pathlib import Path
from typing import Any, cast

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from kpps_tui.domain.text import visible_field
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.store import journal
from kpps_tui.store.files import UnsafeFile, atomic_write_bytes, refuse_link, signature


class DamagedFile(KppsError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            N_("The file {path} is damaged ({detail}). It has not been changed."),
            path=str(path),
            detail=detail,
        )
        self.path = path


def read_tinydb_file(path: Path) -> dict[str, dict[str, Any]]:
    """Parse a TinyDB JSON file, refusing anything that is not one (a symbolic link included:
    it could point anywhere). Inside a transaction, a file it wrote reads as it will be."""
    try:
        refuse_link(path)
    except UnsafeFile as exc:
        raise DamagedFile(path, "a symbolic link or not a plain file") from exc
    try:
        raw = journal.read_bytes(path)
    except OSError as exc:
        raise DamagedFile(path, exc.strerror or str(exc)) from exc
    if not raw.strip():
        raise DamagedFile(path, "empty")
    try:
        data = parse_json(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DamagedFile(path, f"not JSON: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DamagedFile(path, "not a TinyDB file")
    if (b"\\u" in raw or not raw.isascii()) and _CONTROL_IN_JSON.search(raw):
        escaped: dict[str, dict[str, Any]] = _escaped(data)  # by hand or an old version: shown, never obeyed
        return escaped
    return data


def parse_json(raw: bytes) -> Any:
    """What json.loads makes of `raw`, about twice as fast for a large file. orjson parses it,
    unless it holds a run of 19 digits or more (orjson reads an integer beyond 64 bits as a
    float, json as the integer); whatever orjson refuses (NaN, a lone surrogate, another
    encoding: JSON that Python's json and so stock TinyDB read) goes to json.loads, whose
    answer or error counts."""
    if _LONG_NUMBER not in raw.translate(_DIGITS):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(raw)


_DIGITS = bytes(0x30 if 0x30 <= i <= 0x39 else 0x20 for i in range(256))  # a digit to "0", the rest to " "
_LONG_NUMBER = b"0" * 19


# A control character as our JSON writes it (escaped), or as UTF-8 from another writer.
_CONTROL_IN_JSON = re.compile(
    rb"\\u00[01][0-9a-fA-F]|\\u007[fF]|\\u00[89][0-9a-fA-F]|\\u202[a-eA-E]|\\u206[6-9]"
    rb"|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)


def _escaped(value: Any) -> Any:
    """Every string inside with its control characters written as escapes (domain.text)."""
    if isinstance(value, str):
        return visible_field(value)
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def check_pem(path: Path) -> None:
    """A PEM file whole: its BEGIN and END lines, and only base64 between them."""
    try:
        lines = journal.read_bytes(path).strip().splitlines()
    except OSError as exc:
        raise DamagedFile(path, exc.strerror or str(exc)) from exc
    body = b"".join(lines[1:-1])
    if len(lines) < 3 or not lines[0].startswith(b"-----BEGIN ") or not lines[-1].startswith(b"-----END "):
        raise DamagedFile(path, "not a whole PEM key")
    try:
        binascii.a2b_base64(body, strict_mode=True)
    except binascii.Error as exc:
        raise DamagedFile(path, "not a whole PEM key") from exc


class DurableJSONStorage(Storage):
    """Inside a transaction (store.journal), a write is staged: the file is written at the
    commit, with the batch's other files, and reads here see the staged data meanwhile."""

    def __init__(self, path: str | Path, initial: dict[str, Any] | None = None) -> None:
        self.path = Path(path)
        if initial is not None:
            self._data = initial
            self.signature: tuple[int, int, int] | None = None  # staged, not on disk yet: unchanged there
            self.write(initial)
        else:
            # The signature before the bytes: a file replaced in between reads as changed.
            self.signature = signature(self.path)
            self._data = read_tinydb_file(self.path)

    def read(self) -> dict[str, dict[str, Any]]:
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._data = data
        staged = journal.batch_for(self.path)
        if staged is not None:
            staged[0].stage_storage(staged[1], self)
            return
        atomic_write_bytes(self.path, self.payload())
        self.settled()

    def payload(self) -> bytes:
        # ASCII-only JSON reads the same whatever encoding stock TinyDB opens it with.
        return json.dumps(self._data, separators=(",", ":")).encode("ascii")

    def settled(self) -> None:
        """The data is on disk now: what the file's signature is from here on."""
        self.signature = signature(self.path)

    def changed_on_disk(self) -> bool:
        return signature(self.path) != self.signature


def open_db(path: Path, initial: dict[str, Any] | None = None) -> TinyDB:
    return TinyDB(path, storage=DurableJSONStorage, initial=initial)


def storage_of(db: TinyDB) -> DurableJSONStorage:
    return cast(DurableJSONStorage, db.storage)  # TinyDB types it as the base Storage
