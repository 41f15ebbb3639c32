"""The issued cards of a workspace, on disk and in memory: files the Workspace owns.

Layout, beside the workspace's other files (all TinyDB JSON, written durably like them):
    cards.json              tables meta (next serial) and settings (printing choices)
    cards/<kecamatan>.json  table cards: every card issued for a TPS of that kecamatan,
                            the document id being the card serial

Split by kecamatan like the TPS files, so that revoking a card when an officer leaves a seat
rewrites one small file, not every card of the kabupaten. The Workspace makes the book when
a command first needs it (opening the TPS list never reads a card) and lists its files in
workspace.json like the TPS and people files: a listed card file that is missing or damaged is
damage. Every write goes through the Workspace (`Workspace.put_cards`), inside its
transaction, logged in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from kpps_tui.domain.cards import CardRecord
from kpps_tui.store import journal
from kpps_tui.store.files import ensure_private_dir, signature
from kpps_tui.store.layout import CARDS_DIR, CARDS_FILE
from kpps_tui.store.storage import DamagedFile, open_db, storage_of

Require = Callable[[Path], None]  # raises (MissingFile, DamagedFile) when a listed file is not whole


class CardBook:
    def __init__(self, root: Path, require: Require, listed: Callable[[], set[str]]) -> None:
        self.root = Path(root)
        self.records: dict[int, CardRecord] = {}
        self._by_tps: dict[str, set[int]] = {}
        self._by_nik: dict[str, set[int]] = {}
        self._main: TinyDB | None = None
        self._files: dict[str, TinyDB] = {}
        self._dir_signature: tuple[int, int, int] | None = None
        self._require = require
        self._listed = listed

    # ---- reading ---------------------------------------------------------------------------

    @property
    def main_path(self) -> Path:
        return self.root / CARDS_FILE

    def path_of(self, kec: str) -> Path:
        return self.root / CARDS_DIR / f"{kec}.json"

    @property
    def exists(self) -> bool:
        """A card was ever issued here (or the printing settings were saved)."""
        return self._main is not None or journal.exists(self.main_path) or bool(self._files)

    @property
    def ever_issued(self) -> bool:
        """Whether any serial was handed out: then the signing key must be there."""
        if self.records:
            return True
        meta = self._main_data().get("meta", {}).get("1", {})
        return int(meta.get("next_serial", 1)) > 1

    def refresh(self) -> None:
        """Reload whatever another session replaced (cheap when nothing changed); a listed
        file that is gone or damaged raises, before anything is written."""
        listed = self._listed()
        for rel in sorted(listed):
            if rel == CARDS_FILE or rel.startswith(CARDS_DIR + "/"):
                self._require(self.root / rel)
        if self._main is None:
            if journal.exists(self.main_path) or self.main_path.is_symlink():
                self._main = open_db(self.main_path)
        elif storage_of(self._main).changed_on_disk():
            self._main = open_db(self.main_path)
        folder = self.root / CARDS_DIR
        dir_sig = signature(folder)
        if dir_sig is not None and dir_sig != self._dir_signature:
            for path in journal.names_in(folder, ".json"):
                if path.stem not in self._files:
                    self._load(path.stem)
            self._dir_signature = dir_sig
        for kec, db in list(self._files.items()):
            if storage_of(db).changed_on_disk():
                self._require(self.path_of(kec))  # gone: damage, never fewer revocations
                self._load(kec)

    def _load(self, kec: str) -> None:
        path = self.path_of(kec)
        db = open_db(path)
        try:  # parse everything before memory changes
            loaded = [CardRecord.from_doc(doc) for doc in storage_of(db).read().get("cards", {}).values()]
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise DamagedFile(path, f"unexpected record: {exc!r}") from exc
        self._files[kec] = db
        for serial in [s for s, r in self.records.items() if r.kecamatan_code == kec]:
            self._forget(serial)
        for record in loaded:
            self._remember(record)

    def _remember(self, record: CardRecord) -> None:
        self._forget(record.serial)
        self.records[record.serial] = record
        self._by_tps.setdefault(record.tps, set()).add(record.serial)
        self._by_nik.setdefault(record.nik, set()).add(record.serial)

    def _forget(self, serial: int) -> None:
        old = self.records.pop(serial, None)
        if old is not None:
            self._by_tps.get(old.tps, set()).discard(serial)
            self._by_nik.get(old.nik, set()).discard(serial)

    def of_tps(self, tps: str) -> list[CardRecord]:
        return [self.records[s] for s in sorted(self._by_tps.get(tps, ()))]

    def of_person(self, nik: str) -> list[CardRecord]:
        return [self.records[s] for s in sorted(self._by_nik.get(nik, ()))]

    def active_for_seat(self, tps: str, seat: int) -> list[CardRecord]:
        return [r for r in self.of_tps(tps) if r.active and r.seat == seat]

    def by_code(self, code: str) -> CardRecord | None:
        for record in self.records.values():
            if record.code == code:
                return record
        return None

    def revoked(self) -> list[CardRecord]:
        return [r for r in self.records.values() if not r.active]

    def settings(self) -> dict[str, Any]:
        return dict(self._main_data().get("settings", {}).get("1", {}))

    def _main_data(self) -> dict[str, dict[str, Any]]:
        if self._main is None:
            return {"meta": {"1": {"next_serial": 1}}, "settings": {}}
        return storage_of(self._main).read()

    # ---- writing: only through the Workspace, inside its transaction ---------------------------

    def next_serials(self, count: int) -> tuple[list[int], dict[str, Any]]:
        """`count` new serials and the meta record that hands them out (to be written)."""
        meta = dict(self._main_data().get("meta", {}).get("1", {}))
        first = max(int(meta.get("next_serial", 1)), max(self.records, default=0) + 1)
        meta["next_serial"] = first + count
        return list(range(first, first + count)), meta

    def write_main(self, *, meta: dict[str, Any] | None = None, settings: dict[str, Any] | None = None) -> None:
        data = dict(self._main_data())
        if meta is not None:
            data["meta"] = {"1": meta}
        if settings is not None:
            data["settings"] = {"1": settings}
        if self._main is None:
            self._main = open_db(self.main_path, initial=data)
        else:
            storage_of(self._main).write(data)
            self._main.clear_cache()

    def write(self, records: Iterable[CardRecord]) -> None:
        """Store new or changed records, rewriting each touched kecamatan file once."""
        grouped: dict[str, list[CardRecord]] = {}
        for record in records:
            grouped.setdefault(record.kecamatan_code, []).append(record)
        for kec, items in sorted(grouped.items()):
            db = self._files.get(kec)
            table = dict(storage_of(db).read().get("cards", {})) if db is not None else {}
            for record in items:
                table[str(record.serial)] = record.to_doc()
            if db is None:
                ensure_private_dir(self.path_of(kec).parent)
                self._files[kec] = open_db(self.path_of(kec), initial={"cards": table})
            else:
                storage_of(db).write({"cards": table})
                db.clear_cache()
            for record in items:
                self._remember(record)
        self._dir_signature = signature(self.root / CARDS_DIR)
