"""The issued cards of a workspace, on disk and in memory.

Layout, beside the workspace's other files (all TinyDB JSON, written durably, 0600):
    cards.json              tables meta (next serial) and settings (printing choices)
    cards/<kecamatan>.json  table cards: every card issued for a TPS of that kecamatan,
                            the document id being the card serial

Split by kecamatan like the TPS files, so that revoking a card when an officer leaves a seat
rewrites one small file, not every card of the kabupaten. Writes happen under the workspace
lock (callers hold it); every read first reloads the files another session replaced.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from kpps_tui.store.files import ensure_private_dir, signature
from kpps_tui.store.layout import CARDS_DIR, CARDS_FILE
from kpps_tui.store.storage import DurableJSONStorage


@dataclass(frozen=True)
class CardRecord:
    serial: int
    code: str  # short code, without separators
    tps: str
    seat: int
    nik: str
    name: str  # as printed
    role: str  # "ketua" or "anggota"
    issued_at: str
    valid_from: str  # ISO date
    valid_until: str  # ISO date
    election_day: str  # ISO date
    issued_by: str = ""
    printed_at: str | None = None
    revoked_at: str | None = None
    revoke_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def kecamatan_code(self) -> str:
        return ".".join(self.tps.split(".")[:3])

    def to_doc(self) -> dict:
        return asdict(self)

    @classmethod
    def from_doc(cls, doc: dict) -> CardRecord:
        fields: dict[str, Any] = {k: doc.get(k) for k in cls.__dataclass_fields__ if k in doc}
        return cls(**fields)

    def revoked(self, when: str, reason: str) -> CardRecord:
        return replace(self, revoked_at=when, revoke_reason=reason)

    @property
    def revoked_on(self) -> date | None:
        return date.fromisoformat(self.revoked_at[:10]) if self.revoked_at else None


class CardBook:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.records: dict[int, CardRecord] = {}
        self._main: DurableJSONStorage | None = None
        self._files: dict[str, DurableJSONStorage] = {}
        self._dir_signature: tuple | None = None

    # ---- reading ---------------------------------------------------------------------------

    @property
    def exists(self) -> bool:
        return (self.root / CARDS_FILE).exists()

    def refresh(self) -> None:
        """Reload whatever another session replaced (cheap when nothing changed)."""
        main_path = self.root / CARDS_FILE
        if self._main is None:
            if main_path.exists():
                self._main = DurableJSONStorage(main_path)
        elif self._main.changed_on_disk():
            self._main = DurableJSONStorage(main_path)
        folder = self.root / CARDS_DIR
        dir_sig = signature(folder)
        if dir_sig is None:
            return
        if dir_sig != self._dir_signature:
            known = set(self._files)
            for path in sorted(folder.glob("*.json")):
                if path.stem not in known:
                    self._load(path.stem)
            self._dir_signature = dir_sig
        for kec, storage in list(self._files.items()):
            if storage.changed_on_disk():
                self._load(kec)

    def _load(self, kec: str) -> None:
        storage = DurableJSONStorage(self.root / CARDS_DIR / f"{kec}.json")
        self._files[kec] = storage
        for serial in [s for s, r in self.records.items() if r.kecamatan_code == kec]:
            del self.records[serial]
        for doc in storage.read().get("cards", {}).values():
            record = CardRecord.from_doc(doc)
            self.records[record.serial] = record

    def reload_all(self) -> None:
        self.records.clear()
        self._files.clear()
        self._main = None
        self._dir_signature = None
        self.refresh()

    def active_for_seat(self, tps: str, seat: int) -> list[CardRecord]:
        return [r for r in self.records.values() if r.active and r.tps == tps and r.seat == seat]

    def by_code(self, code: str) -> CardRecord | None:
        for record in self.records.values():
            if record.code == code:
                return record
        return None

    def revoked(self) -> list[CardRecord]:
        return [r for r in self.records.values() if not r.active]

    def settings(self) -> dict:
        if self._main is None:
            return {}
        return dict(self._main.read().get("settings", {}).get("1", {}))

    # ---- writing (hold the workspace lock) ------------------------------------------------

    def _main_data(self) -> dict:
        if self._main is None:
            return {"meta": {"1": {"next_serial": 1}}, "settings": {}}
        return self._main.read()

    def allocate_serials(self, count: int) -> list[int]:
        data = self._main_data()
        meta = dict(data.get("meta", {}).get("1", {}))
        first = max(int(meta.get("next_serial", 1)), max(self.records, default=0) + 1)
        meta["next_serial"] = first + count
        self._write_main({**data, "meta": {"1": meta}})
        return list(range(first, first + count))

    def put_settings(self, settings: dict) -> None:
        data = self._main_data()
        self._write_main({**data, "settings": {"1": settings}})

    def _write_main(self, data: dict) -> None:
        path = self.root / CARDS_FILE
        if self._main is None:
            self._main = DurableJSONStorage(path, initial=data)
        else:
            self._main.write(data)

    def put(self, records: list[CardRecord]) -> None:
        """Store new or changed records, rewriting each touched kecamatan file once."""
        grouped: dict[str, list[CardRecord]] = {}
        for record in records:
            grouped.setdefault(record.kecamatan_code, []).append(record)
        for kec, items in sorted(grouped.items()):
            storage = self._files.get(kec)
            old = storage.read().get("cards", {}) if storage else {}
            table = dict(old)
            for record in items:
                table[str(record.serial)] = record.to_doc()
            path = self.root / CARDS_DIR / f"{kec}.json"
            if storage is None:
                ensure_private_dir(path.parent)
                self._files[kec] = DurableJSONStorage(path, initial={"cards": table})
            else:
                storage.write({"cards": table})
            for record in items:
                self.records[record.serial] = record
        self._dir_signature = signature(self.root / CARDS_DIR)
