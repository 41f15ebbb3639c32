"""A workspace: the folder of TinyDB files one KPU office works on, held in memory.

Layout (every file is a TinyDB JSON file):
    workspace.json          tables meta (schema version), election, regions
    tps/<kecamatan>.json    table tps: the TPS of one kecamatan, each with its seats
    people/<kecamatan>.json table people: applicants domiciled in one kecamatan

workspace.json also lists every other data file (table files): a listed file that is missing
is damage, never "fewer records", so a deleted file stops every command with the way back
instead of making its TPS vanish or being made again with only the new rows. A file is listed
at the end of the locked block that made it (a file made but not yet listed is harmless).

One assignment rewrites only the TPS file of one kecamatan, so its cost does not grow with
the size of the workspace. Writers take an exclusive lock on `.lock`, reload whatever another
session changed, check, then write; readers never lock, since files are replaced atomically.
Every write of a transaction is held in memory until it ends (store.journal): a change of one
file lands as it always did, its log lines appended just before it is written (a writer killed
in between leaves the log one step ahead, and the next writer says so in the log: _settle_log);
a batch across several files goes through a journal the next opener rolls forward, so all of
it reaches the files or none of it. A reader that never locks reloads until it saw no batch
being applied meanwhile (refresh).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from tinydb import TinyDB
from tinydb.table import Document

from kpps_tui.domain.model import Election, Person, Region, Tps
from kpps_tui.domain.roles import Access, AdminTask, Forbidden, Member, no_role
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.store import audit, backups, journal, replay, users
from kpps_tui.store.files import (
    UnsafeFile,
    bump_generation,
    ensure_private_dir,
    read_generation,
    refuse_link,
    remove_stale_temp_files,
)
from kpps_tui.store.layout import (
    AUDIT_DIR,
    BACKUP_DIR,
    CARDS_DIR,
    CARDS_FILE,
    FILES_TABLE,
    KEY_DIR,
    NOT_LISTED,
    PRIVATE_KEY_FILE,
    SCHEMA_VERSION,
    USERS_FILE,
    WORKSPACE_FILE,
)
from kpps_tui.store.storage import DamagedFile, open_db, read_tinydb_file, storage_of
from kpps_tui.store.storage import check_pem as _check_pem
from kpps_tui.store.memory import long_lived
from kpps_tui.store.layout import LOCK_FILE as LOCK_FILE  # tests take the lock by this name

# The cards and the seat holders are imported where they are first used: the first screen
# needs neither, and their classes cost its start (issue 16).
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kpps_tui.domain.cards import CardRecord
    from kpps_tui.domain.rules import SeatHolder
    from kpps_tui.store.cards import CardBook


class WorkspaceError(KppsError):
    pass


class MissingFile(DamagedFile):
    """A file workspace.json lists is gone: damage, with the way back (services.recovery)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "missing")


class MissingKey(DamagedFile):
    """The card signing key is gone though cards were issued with it: damage, never a new key
    (every card printed before would then read as forged)."""

    def __init__(self, path: Path) -> None:
        KppsError.__init__(
            self,
            N_("The card signing key {path} is missing, but cards were signed with it; a new key would make every printed card read as forged, so none was made."),
            path=str(path),
        )
        self.path = path


class WrongSchemaVersion(DamagedFile, WorkspaceError):
    """workspace.json without a schema version any version of this program wrote: damaged,
    so the way back is a snapshot (a newer version is not damage: see _load_main)."""


@dataclass(frozen=True)
class Placement:
    tps_code: str
    seat: int


class Workspace:
    """The whole workspace in memory, kept in step with the files on disk."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.user = audit.current_user()  # the OS login: who is allowed, and who the log names
        self.session = audit.new_session_id()
        self.access = Access(self.user)
        self._users_signature: tuple[int, int, int] | None = None
        self._first_admin = False  # no users file yet: this login, the owner, becomes admin
        # The write counter as of our last full look under the lock; never a counter's value
        # at first, since files loaded without the lock may predate a write then under way.
        self._seen_generation: bytes | None = b"unseen"
        self.version = 0  # grows with every change held in memory, for caches of derived views
        self._kecamatan_codes: list[str] = []
        self._listed: set[str] | None = None  # workspace.json's file list; None: not written yet
        self._wrote = False  # a change was written (and logged) under the current lock
        self._writing = False  # a write began under the current lock: memory may be ahead of disk
        self._depth = 0  # how deeply transaction() is nested; 0: not in one
        self.election: Election
        self.regions: dict[str, Region] = {}
        self.tps: dict[str, Tps] = {}
        self._people: dict[str, Person] = {}  # `people`: read when first asked after a deferred open
        self._people_pending = False  # opened with defer_people: the people files not read yet
        self._people_lock = threading.Lock()  # one reader of the deferred people files at a time
        self._people_read: dict[str, tuple[TinyDB, list[tuple[int, Person]]]] | None = None
        self._placements: dict[str, Placement] | None = {}  # `placements`; None: to be worked out
        self._main_db: TinyDB
        self._tps_dbs: dict[str, TinyDB] = {}
        self._people_dbs: dict[str, TinyDB] = {}
        self._tps_doc_ids: dict[str, int] = {}
        self._person_doc_ids: dict[str, int] = {}
        self._tps_codes_by_kec: dict[str, set[str]] = {}
        self._people_by_kec: dict[str, dict[str, Person]] = {}
        self._cards: CardBook | None = None  # made when a command first needs the cards
        self._transactions = 0  # outermost transactions begun: the card book is read once in each
        self._cards_read_in = -1  # the transaction the card book was last read in
        # Set by the services that open a workspace: the sentence (with the way back) that a
        # damaged file found while working becomes (services.recovery).
        self.explain_damage: Callable[[DamagedFile], KppsError] | None = None

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path, defer_people: bool = False) -> Workspace:
        """The workspace in `root`, every file read and checked. With `defer_people` the
        applicants' files are read later: by `read_people()` (in a worker thread, say), or
        when `people` is first asked for; every other file is read and checked now, and each
        people file is checked to be there and not a link."""
        root = Path(root)
        if not (root / WORKSPACE_FILE).exists():
            if lost_its_main_file(root):
                raise MissingFile(root / WORKSPACE_FILE)
            raise WorkspaceError(
                N_("There is no workspace in {path}. Create one with `kpps init --sample` or `kpps init`."),
                path=str(root),
            )
        for folder in [root, *(p for p in root.iterdir() if p.is_dir() and p.name not in (BACKUP_DIR, AUDIT_DIR))]:
            remove_stale_temp_files(folder)  # left by a session killed in the middle of a write
        ws = cls(root)
        seen = ws._look()
        with long_lived():  # tens of thousands of small objects
            ws._load_main()
            ws._check_listed_files()
            ws._people_pending = defer_people
            for kec in ws.kecamatan_codes():
                ws._load_tps_file(kec)
                if not defer_people:
                    ws._load_people_file(kec)
            ws._rebuild_placements()
        ws._steady(seen)
        ws._load_access()
        return ws

    @classmethod
    def access_of(cls, root: Path) -> Access:
        """Who this login is in the workspace at `root`, read from users.json alone: a restore
        must be allowed while the files it mends are damaged."""
        shell = cls(Path(root))
        shell._load_access()
        return shell.access

    def _load_access(self) -> None:
        """Who this login is here; refuses a login the workspace does not know."""
        members = users.load(self.root)
        self._users_signature = users.file_signature(self.root)
        self._first_admin = members is None
        if members is None:  # a workspace made before roles: its owner becomes its admin
            owner = users.owner_login(self.root)
            if self.user != owner:
                raise Forbidden(N_("The workspace has no users yet: its owner {owner} becomes its admin by opening it first, and then adds you."), owner=owner)
            members = users.first_admin(self.user)
        self.access = Access(self.user, members)
        if self.access.member is None:
            raise no_role(self.user, self.access.admins())

    @property
    def member(self) -> Member | None:
        return self.access.member

    def _load_main(self) -> None:
        self.version += 1
        self._main_db = open_db(self.root / WORKSPACE_FILE)
        with _records_of(self.root / WORKSPACE_FILE):
            meta = self._main_db.table("meta").get(doc_id=1)
        version = meta.get("schema_version") if isinstance(meta, dict) else None
        if type(version) is not int or version < SCHEMA_VERSION:
            raise WrongSchemaVersion(
                self.root / WORKSPACE_FILE, f"schema version {version!r}; this program reads version {SCHEMA_VERSION}"
            )
        if version != SCHEMA_VERSION:  # written by a newer version of the program
            raise WorkspaceError(
                N_("{path} has schema version {found}; this program reads version {expected}."),
                path=str(self.root / WORKSPACE_FILE),
                found=version,
                expected=SCHEMA_VERSION,
            )
        with _records_of(self.root / WORKSPACE_FILE):
            # A missing record fails inside _records_of, as damage.
            self.election = Election.from_doc(cast("dict[str, Any]", self._main_db.table("election").get(doc_id=1)))
            self.regions = {
                d["code"]: Region(d["code"], d["name"]) for d in self._main_db.table("regions").all()
            }
            listed = self._main_db.table(FILES_TABLE).get(doc_id=1)
            self._listed = None if listed is None else {str(p) for p in listed["paths"]}
        self._kecamatan_codes = sorted(c for c in self.regions if c.count(".") == 2)

    # ---- the files the workspace knows ---------------------------------------------------

    def _check_listed_files(self) -> None:
        """Every listed file is there and is a file of its own (a link could point anywhere).
        Those loaded later only by some commands (card records, the key) are read now as well,
        so that their damage stops every command, not only the ones that use them."""
        for rel in sorted(self._listed or ()):
            path = self.root / rel
            if rel == f"{KEY_DIR}/{PRIVATE_KEY_FILE}" and not path.exists() and not path.is_symlink():
                raise MissingKey(path)
            self._require(path)
            if rel.startswith(("tps/", "people/")):
                continue  # loaded in full right after
            if path.suffix == ".json":
                read_tinydb_file(path)
            elif path.suffix == ".pem":
                _check_pem(path)

    def _require(self, path: Path) -> None:
        if journal.staged_here(path):
            return  # written by the open batch (a restore mending it): as it will be
        refuse_link_as_damage(path)
        if not journal.exists(path):  # a file this transaction makes counts as there
            raise MissingFile(path)

    def _is_listed(self, path: Path) -> bool:
        return self._listed is not None and path.relative_to(self.root).as_posix() in self._listed

    def present_data_files(self) -> set[str]:
        """The data files in the folder now, relative to it: not the log, the snapshots, the
        lock, the write counter, temporary files or what NOT_LISTED names."""
        found: set[str] = set()
        for entry in os.scandir(self.root):
            if entry.name.startswith(".") or entry.name in NOT_LISTED or entry.name in (AUDIT_DIR, BACKUP_DIR, WORKSPACE_FILE):
                continue
            if entry.is_dir(follow_symlinks=False):
                for inner in os.scandir(entry.path):
                    if not inner.name.startswith(".") and inner.is_file(follow_symlinks=False):
                        found.add(f"{entry.name}/{inner.name}")
            elif entry.is_file(follow_symlinks=False):
                found.add(entry.name)
        return found

    def _list_new_files(self) -> None:
        """List in workspace.json the data files made since it was last written (all of them
        the first time, for a workspace made before the list existed). Call holding the lock."""
        if self._listed is None and not self._wrote:
            return  # a workspace made before the list: listed with its first change
        present = self.present_data_files()
        staged = journal.open_batch(self.root)
        if staged is not None:  # what this transaction makes and removes
            present = (present | {rel for rel in staged.written() if _is_data_file(rel)}) - staged.deleted()
        if self._listed is not None and present <= self._listed:
            return
        listed = sorted(present | (self._listed or set()))
        self._main_db.table(FILES_TABLE).upsert(Document({"paths": listed}, doc_id=1))
        self._listed = set(listed)

    def list_files(self) -> None:
        """Write the list of data files now (for a workspace just made or copied)."""
        with journal.locked(self.root):
            self._wrote = True
            self._list_new_files()
            self._wrote = False

    def _file(self, folder: str, kec: str) -> Path:
        return self.root / folder / f"{kec}.json"

    def _load_tps_file(self, kec: str) -> None:
        path = self._file("tps", kec)
        if not journal.exists(path):
            self._require_unless_unlisted(path)
            return
        # A fresh TinyDB each time: a table caches its next document id.
        db = open_db(path)
        with _records_of(path):  # parse everything before memory changes
            loaded = [(doc.doc_id, Tps.from_doc(doc)) for doc in db.table("tps").all()]
        self._tps_dbs[kec] = db
        for code in self._tps_codes_by_kec.pop(kec, ()):
            del self.tps[code]
            del self._tps_doc_ids[code]
        codes = self._tps_codes_by_kec[kec] = set()
        for doc_id, tps in loaded:
            self.tps[tps.code] = tps
            self._tps_doc_ids[tps.code] = doc_id
            codes.add(tps.code)

    def _load_people_file(self, kec: str) -> None:
        read = self._read_people_file(kec)
        if read is not None:
            self._hold_people_file(kec, *read)

    def _read_people_file(self, kec: str) -> tuple[TinyDB, list[tuple[int, Person]]] | None:
        """A people file parsed, memory untouched; None for a kecamatan without one."""
        path = self._file("people", kec)
        if not journal.exists(path):
            self._require_unless_unlisted(path)
            return None
        # A fresh TinyDB each time: a table caches its next document id.
        db = open_db(path)
        with _records_of(path):  # parse everything before memory changes
            return db, [(doc.doc_id, Person.from_doc(doc)) for doc in db.table("people").all()]

    def _hold_people_file(self, kec: str, db: TinyDB, loaded: list[tuple[int, Person]]) -> None:
        self._people_dbs[kec] = db
        for nik in self._people_by_kec.pop(kec, {}):
            del self._people[nik]
            del self._person_doc_ids[nik]
        local = self._people_by_kec[kec] = {}
        for doc_id, person in loaded:
            self._people[person.nik] = person
            self._person_doc_ids[person.nik] = doc_id
            local[person.nik] = person

    # ---- the applicants of a deferred open -----------------------------------------------

    @property
    def people(self) -> dict[str, Person]:
        """Every applicant by NIK. After a deferred open, asking reads them first."""
        if self._people_pending:
            self.load_people()
        return self._people

    @property
    def people_ready(self) -> bool:
        """Whether the applicants are in memory (always, unless opened with defer_people and
        not read yet)."""
        return not self._people_pending

    def read_people(self) -> None:
        """Read the people files a deferred open left, without holding them yet (`load_people`
        does): callable from a worker thread while the screen shows the rest, since nothing
        the other threads see changes here. A damaged file raises as at opening (explained)."""
        with self._people_lock:
            if not self._people_pending or self._people_read is not None:
                return
            read: dict[str, tuple[TinyDB, list[tuple[int, Person]]]] = {}
            try:
                with long_lived():  # as in open(): tens of thousands of small objects
                    for kec in self.kecamatan_codes():
                        found = self._read_people_file(kec)
                        if found is not None:
                            read[kec] = found
            except DamagedFile as exc:
                raise self._explained(exc) from exc
            self._people_read = read

    def load_people(self) -> bool:
        """Hold the applicants a deferred open left: read now, or the read under way in another
        thread awaited. Call from the thread that owns this workspace (the interface's), then
        `refresh()` at a quiet moment: the people files were read after the others, so a batch
        another session applied in between is completed there, as by any poll. Returns whether
        they were held now (False: they already were)."""
        if not self._people_pending:
            return False
        self.read_people()
        with self._people_lock:
            if not self._people_pending:
                return False
            read, self._people_read = self._people_read or {}, None
            for kec, (db, loaded) in read.items():
                self._hold_people_file(kec, db, loaded)
            self._people_pending = False
            self.version += 1
        return True

    def _require_unless_unlisted(self, path: Path) -> None:
        """A kecamatan with no file yet has no TPS (or applicants); a listed file gone, or a
        file held in memory that vanished, is damage."""
        kind = path.parent.name
        held = self._tps_dbs if kind == "tps" else self._people_dbs
        if self._is_listed(path) or path.stem in held:
            self._require(path)
        refuse_link_as_damage(path)

    def _rebuild_placements(self) -> None:
        """The TPS changed: who sits where is worked out again when next asked (the first
        screen and a poll that reloaded a file do not ask)."""
        self.version += 1
        self._placements = None

    @property
    def placements(self) -> dict[str, Placement]:
        """NIK -> where that person sits."""
        placements = self._placements
        if placements is None:
            new = object.__new__
            placements = {}
            for tps in self.tps.values():
                code = tps.code
                for number, seat in tps.seats.items():
                    # A frozen dataclass's __init__ sets each field through object.__setattr__:
                    # a province has 18,000 seats.
                    placement = placements[seat.nik] = new(Placement)
                    placement.__dict__.update(tps_code=code, seat=number)
            self._placements = placements
        return placements

    # ---- staying in step with other sessions ---------------------------------------------

    def refresh(self) -> set[str]:
        """Reload every file another session replaced; return the kecamatan codes that changed.
        Never half a batch: looks again until no batch was applied while it read."""
        seen = self._look()
        return self._refresh_files() | self._steady(seen)

    def _look(self) -> bytes | None:
        """The write counter, with no journal waiting (one left by a killed writer is settled
        first): the start of a read of the files that must not see half a batch."""
        while True:
            seen = read_generation(self.root)
            if not journal.pending(self.root):
                return seen
            with journal.locked(self.root):
                pass  # a batch being applied now, or one cut short: settled under the lock

    def _steady(self, seen: bytes | None, tries: int = 5) -> set[str]:
        """After reading the files without the lock: if a batch may have been applied while they
        were read (a journal waits, or the counter moved since `seen`), read what changed again.
        A batch is applied between its journal appearing and the counter moving, so an
        unchanged counter with no journal means the files read belong together."""
        changed: set[str] = set()
        for _ in range(tries):
            if not journal.pending(self.root) and read_generation(self.root) == seen:
                return changed
            seen = self._look()
            changed |= self._refresh_files()
        with journal.locked(self.root):  # writers too busy to find a quiet moment: wait for one
            changed |= self._refresh_files()
        return changed

    def _refresh_files(self) -> set[str]:
        changed: set[str] = set()
        if users.file_signature(self.root) != self._users_signature:
            self._load_access()  # roles changed: screens see it through version
            self.version += 1
        if storage_of(self._main_db).changed_on_disk():
            self._load_main()
            changed.add("")
        for kec in self.kecamatan_codes():
            if self._changed(self._tps_dbs.get(kec), self._file("tps", kec)):
                self._load_tps_file(kec)
                changed.add(kec)
            if not self._people_pending and self._changed(self._people_dbs.get(kec), self._file("people", kec)):
                self._load_people_file(kec)
                changed.add(kec)
        if changed:
            self._rebuild_placements()
        return changed

    def _refresh_locked(self) -> None:
        """refresh(), skipped when the write counter shows that nobody wrote since our last
        look: then the cost of taking the lock does not grow with the number of files."""
        generation = read_generation(self.root)
        if generation != self._seen_generation:
            self._refresh_files()
            self._seen_generation = generation

    def _begin_write(self) -> None:
        """Before the first change is staged: from here on memory may be ahead of the disk. The
        write counter moves at the commit (store.journal), before the first file is written."""
        self._writing = True

    @staticmethod
    def _changed(db: TinyDB | None, path: Path) -> bool:
        return path.exists() if db is None else storage_of(db).changed_on_disk()

    @contextmanager
    def transaction(self) -> Iterator[Workspace]:
        """The one door to the disk: every change runs inside it.

        The outermost `with ws.transaction():` takes the workspace's one write lock, reloads
        whatever other sessions changed (so the checks inside see the disk as it is now) and
        admits the caller (`_admit`); every `put_*` inside it is logged in the audit log.
        Nested use joins the outer transaction: a service may call another service, and
        the lock is taken once. When the block fails, memory takes the disk's word again.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        with journal.locked(self.root):
            self._depth = 1
            self._transactions += 1
            try:
                try:
                    with journal.batch(self.root) as staged:
                        self._refresh_locked()
                        self._settle_log()
                        self._wrote = self._writing = False
                        self._admit()
                        yield self
                        self._list_new_files()
                        generation = staged.commit()  # all of it reaches the files, or none
                except BaseException as exc:
                    # Nothing staged reached the files, but memory may be ahead of the disk: take
                    # the disk's word. A refusal before any write leaves memory as refresh() made it.
                    if self._writing:
                        with suppress(OSError):  # a commit cut short by the disk: finish it now
                            journal.settle(self.root)  # (else the next opener does)
                        self._reload_everything()
                        with suppress(OSError, KppsError):  # else the next writer settles it
                            self._settle_log()
                    if isinstance(exc, DamagedFile):
                        raise self._explained(exc) from exc
                    raise
                if generation is not None:
                    self._seen_generation = generation
                    if USERS_FILE in staged.written():
                        self._users_signature = users.file_signature(self.root)
                if self._wrote and backups.due(self.root):
                    backups.copy_snapshot(self.root, "interval")
            finally:
                self._depth = 0

    # Kept while callers move to transaction(): the same thing under its old name.
    locked = transaction

    def _admit(self) -> None:
        """Who may write: the one place for the login and the permission check of a session.

        Called once per outermost transaction, holding the lock, after the reload (so a check
        sees the users and roles as they are on disk now). Raise a KppsError to refuse: nothing
        has been written yet. A check that depends on what is written goes in `_audit`, which
        every put_* passes through with its action and subject.

        Every login may open a transaction (a viewer's settles the log too); what it may
        change is checked by each put_* (`require`), which knows the region it writes."""
        self._settle_users_and_chain()

    def _settle_users_and_chain(self) -> None:
        """Under the lock: a workspace without users gets its first admin and its log an anchor
        (the digest of what the files hold now, sealing any older log); one with users must
        have its log, else the history was deleted. Both written once, before any change."""
        log = audit.log_path(self.root)
        if not self._first_admin:
            size = log.stat().st_size if log.exists() else None
            if not size:
                raise DamagedFile(log, "missing" if size is None else "empty")
            return
        members = users.first_admin(self.user)
        self._begin_write()
        anchor = replay.anchor_entry(self.root, self.user, self.session, {m.login: m.to_doc() for m in members.values()})
        audit.append(self.root, anchor)
        users.save(self.root, members)
        self._users_signature = users.file_signature(self.root)
        self._first_admin = False

    def seal_log(self) -> Path:
        """Set a damaged audit log aside and start a new chain anchored on the files as they
        are (an admin's decision after an inquiry); returns where the old log was kept."""
        self.require(AdminTask.SEAL)
        with journal.locked(self.root):
            self._refresh_locked()
            self._seen_generation = bump_generation(self.root)
            kept = audit.seal(self.root, replay.anchor_entry(self.root, self.user, self.session))
            if self._first_admin:
                users.save(self.root, self.access.members)
                self._users_signature = users.file_signature(self.root)
                self._first_admin = False
            return kept

    def require(self, task: AdminTask | None = None, region: str | None = None, full_nik: bool = False) -> None:
        """Refuse (Forbidden) what this login may not do: the one check every writer passes."""
        self.access.require(task, region, full_nik)

    def _settle_log(self) -> None:
        """Make the log agree with the files again after a writer was killed (or its write
        failed) between logging a change and writing it. Writers take turns, so only the last
        one can have: if the newest change in the log is in the files, every earlier one is.
        Otherwise each subject of that writer's last entries whose file still holds its state
        before the change gets an entry INTERRUPTED, from what the log said to what the files
        hold. Call holding the lock."""
        session: str | None = None
        last: dict[str, audit.AuditEntry] = {}
        for entry in audit.read_newest_first(self.root):
            if entry.action == audit.RESTORE:
                break  # the files came from a snapshot: older entries describe another state
            held = self._held(entry)
            if held is _NOT_A_CHANGE:
                continue
            if session is None:
                if entry.before == entry.after:
                    continue  # a write that changed nothing proves nothing
                if held == entry.after:
                    return  # the newest change reached the files
                session = entry.session
            elif entry.session != session:
                break
            last.setdefault(entry.subject, entry)
        for subject, entry in last.items():
            held = self._held(entry)
            # Only a write that never happened: the file still holds what it held before. A
            # file holding something else was edited outside the program; `kpps check` says so.
            if held != entry.after and held == entry.before and (held is None or isinstance(held, dict)):
                audit.append(
                    self.root,
                    audit.AuditEntry(audit.now_iso(), entry.user, entry.session, audit.INTERRUPTED, subject, entry.after, held),
                )

    def _held(self, entry: audit.AuditEntry) -> dict[str, Any] | None | object:
        """What the files hold for the subject of an entry, as the log writes it; _NOT_A_CHANGE
        for an entry that records no change of a TPS's seats or of a person."""
        shape = entry.after if entry.after is not None else entry.before
        if not isinstance(shape, dict):
            return _NOT_A_CHANGE
        if entry.subject == "election":
            return _as_logged(self.election.to_doc())
        if entry.subject.startswith(replay.USER_PREFIX):
            member = self.access.members.get(entry.subject.removeprefix(replay.USER_PREFIX))
            return member.to_doc() if member else None
        if entry.subject.isdigit() and shape.get("nik") == entry.subject:
            person = self._person_held(entry)
            return _as_logged(person.to_doc()) if person else None
        if not entry.subject.isdigit() and all(k.isdigit() and isinstance(v, str) for k, v in shape.items()):
            tps = self.tps.get(entry.subject)
            return _seat_map(tps) if tps else None
        return _NOT_A_CHANGE

    def _person_held(self, entry: audit.AuditEntry) -> Person | None:
        """The person an entry changed, as the files hold them. After a deferred open, read from
        the files of the kecamatan the entry names (before and after), not from all of them:
        the lock taken at opening settles the log without reading a province's applicants."""
        if not self._people_pending:
            return self._people.get(entry.subject)
        found = None
        desa = {doc.get("desa") for doc in (entry.before, entry.after) if isinstance(doc, dict)}
        for kec in sorted({".".join(d.split(".")[:3]) for d in desa if isinstance(d, str)}):
            if kec not in self._kecamatan_codes:
                continue
            read = self._read_people_file(kec)
            for _doc_id, person in read[1] if read is not None else ():
                if person.nik == entry.subject:
                    found = person  # a later file wins, as when every file is held
        return found

    def _reload_everything(self) -> None:
        """Memory as the files hold it (after a transaction that failed: what it staged is gone)."""
        self._load_main()
        for kec in list(self._tps_dbs):
            if not self._file("tps", kec).exists() and not self._is_listed(self._file("tps", kec)):
                del self._tps_dbs[kec]  # made by the failed transaction: never written
                for code in self._tps_codes_by_kec.pop(kec, ()):
                    del self.tps[code]
                    del self._tps_doc_ids[code]
            else:
                self._load_tps_file(kec)
        for kec in list(self._people_dbs):
            if not self._file("people", kec).exists() and not self._is_listed(self._file("people", kec)):
                del self._people_dbs[kec]
                for nik in self._people_by_kec.pop(kec, {}):
                    del self._people[nik]
                    del self._person_doc_ids[nik]
            else:
                self._load_people_file(kec)
        self._cards = None  # read again when next asked
        self._rebuild_placements()
        self._load_access()

    def _explained(self, exc: DamagedFile) -> KppsError:
        return self.explain_damage(exc) if self.explain_damage is not None else exc

    # ---- reading -------------------------------------------------------------------------

    def kecamatan_codes(self) -> list[str]:
        return list(self._kecamatan_codes)

    def desa_codes(self, kecamatan: str | None = None) -> list[str]:
        return sorted(
            c
            for c in self.regions
            if c.count(".") == 3 and (kecamatan is None or c.startswith(kecamatan + "."))
        )

    def people_of_kecamatan(self, kec: str) -> list[Person]:
        """Applicants domiciled in one kecamatan."""
        if self._people_pending:
            self.load_people()
        return list(self._people_by_kec.get(kec, {}).values())

    def region_name(self, code: str) -> str:
        region = self.regions.get(code)
        return region.name if region else code

    def tps_label(self, tps: Tps) -> str:
        return tps.label(self.region_name(tps.desa_code))

    def seat_holder(self, nik: str) -> SeatHolder | None:
        from kpps_tui.domain.rules import SeatHolder

        placement = self.placements.get(nik)
        if placement is None:
            return None
        return SeatHolder(placement.tps_code, self.tps_label(self.tps[placement.tps_code]), placement.seat)

    # ---- writing (call inside `transaction()`) -------------------------------------------

    def put_tps(self, tps: Tps, action: str) -> None:
        """Log the change in the audit log, then durably store the TPS (and its seats)."""
        from kpps_tui.domain.cards import left_seats, seat_change_reason

        old = self.tps.get(tps.code)
        if old is None:
            self.require(AdminTask.REGIONS)
        self.access.require_regions({tps.desa_code, old.desa_code if old else tps.desa_code})
        # The cards this change withdraws are known (their files read and checked) before
        # anything is written, and written first: a write killed in between can only leave a
        # card revoked too early, never a departed officer's card valid.
        book = self._book_if_any() if old is not None else None
        holders = {n: s.nik for n, s in tps.seats.items()}
        left = left_seats(book.of_tps(tps.code), holders) if book is not None else []
        self.version += 1
        self._begin_write()
        if left:
            stamp = audit.now_iso()
            self.put_cards(revoked=[r.revoked(stamp, seat_change_reason(action)) for r in left])
        self._audit(action, tps.code, _seat_map(old) if old is not None else None, _seat_map(tps))
        db = self._tps_db_for(tps.kecamatan_code)
        doc_id = self._tps_doc_ids.get(tps.code)
        if doc_id is None:
            doc_id = db.table("tps").insert(tps.to_doc())
        else:
            db.table("tps").upsert(Document(tps.to_doc(), doc_id=doc_id))
        self.tps[tps.code] = tps
        self._tps_doc_ids[tps.code] = doc_id
        self._tps_codes_by_kec.setdefault(tps.kecamatan_code, set()).add(tps.code)
        if old is not None:
            for seat in old.seats.values():
                self.placements.pop(seat.nik, None)
        for number, seat in tps.seats.items():
            self.placements[seat.nik] = Placement(tps.code, number)

    def put_election(self, election: Election, action: str = "settings") -> None:
        """Log the change, then durably store the election's parameters in the main file."""
        self.require(AdminTask.SETTINGS)
        self.version += 1
        self._begin_write()
        self._audit(action, "election", self.election.to_doc(), election.to_doc())
        self._main_db.table("election").upsert(Document(election.to_doc(), doc_id=1))
        self.election = election

    def _audit(self, action: str, subject: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        self._wrote = True
        entry = audit.AuditEntry(audit.now_iso(), self.user, self.session, action, subject, before, after)
        audit.append(self.root, entry)

    def put_person(self, person: Person, action: str) -> None:
        self.put_people([person], action)

    def put_people(self, people: list[Person], action: str) -> None:
        """Durably store applicants: one write per kecamatan file, however many change, each
        file's changes logged just before it is written."""
        from kpps_tui.domain.cards import outdated_for

        self.access.require_regions(
            {p.desa_code for p in people} | {old.desa_code for p in people if (old := self.people.get(p.nik))}
        )
        book = self._book_if_any()
        outdated = [
            (record, reason)
            for person in people
            if book is not None
            for record, reason in outdated_for(book.of_person(person.nik), person.name, person.neutrality.statement.state)
        ]
        self.version += 1
        self._begin_write()
        if outdated:  # before the people: a kill in between leaves a card revoked, never one valid
            stamp = audit.now_iso()
            self.put_cards(revoked=[record.revoked(stamp, reason) for record, reason in outdated])
        by_kec: dict[str, list[Person]] = {}
        for person in people:
            by_kec.setdefault(person.kecamatan_code, []).append(person)
        for kec, batch in sorted(by_kec.items()):
            self._wrote = True
            stamp = audit.now_iso()
            entries, docs = [], []
            for person in batch:
                old = self.people.get(person.nik)
                before = old.to_doc() if old else None
                docs.append(person.to_doc())  # once for the log and the file: 100,000 add up
                entries.append(audit.AuditEntry(stamp, self.user, self.session, action, person.nik, before, docs[-1]))
            audit.append(self.root, *entries)  # one flush for the whole file's changes
            self._drop_from_old_files(kec, batch)
            self._write_people(kec, batch, docs)
            for person in batch:
                self._people[person.nik] = person
                self._people_by_kec.setdefault(person.kecamatan_code, {})[person.nik] = person

    def _drop_from_old_files(self, kec: str, batch: list[Person]) -> None:
        """Take the people of `batch` who moved into kecamatan `kec` out of their old files: a
        document id is a place in one file, and the old one may be someone else's in this one.
        Both files are written in the same transaction, so a kill leaves the person in one."""
        leaving: dict[str, list[str]] = {}
        for person in batch:
            old = self.people.get(person.nik)
            if old is not None and old.kecamatan_code != kec:
                leaving.setdefault(old.kecamatan_code, []).append(person.nik)
        for old_kec, niks in sorted(leaving.items()):
            storage = storage_of(self._people_db_for(old_kec))
            data = storage.read()
            table = data.setdefault("people", {})
            for nik in niks:
                table.pop(str(self._person_doc_ids.pop(nik)), None)
                self._people_by_kec.get(old_kec, {}).pop(nik, None)
            storage.write(data)
            self._people_db_for(old_kec).clear_cache()

    def _write_people(self, kec: str, batch: list[Person], docs: list[dict[str, Any]]) -> None:
        db = self._people_db_for(kec)
        data = storage_of(db).read()
        table = data.setdefault("people", {})
        next_id = max((int(k) for k in table), default=0) + 1
        for person, doc in zip(batch, docs):
            doc_id = self._person_doc_ids.get(person.nik)
            if doc_id is None:
                doc_id, next_id = next_id, next_id + 1
            table[str(doc_id)] = doc
            self._person_doc_ids[person.nik] = doc_id
        storage_of(db).write(data)
        db.clear_cache()

    def put_users(self, members: dict[str, Member]) -> None:
        """Log each user whose role changed (subject user:LOGIN), then store them all."""
        self.require(AdminTask.USERS)
        self._begin_write()
        old = self.access.members
        stamp = audit.now_iso()
        entries = [
            audit.AuditEntry(
                stamp, self.user, self.session, "users", replay.USER_PREFIX + login,
                old[login].to_doc() if login in old else None,
                members[login].to_doc() if login in members else None,
            )
            for login in sorted(set(old) | set(members))
            if old.get(login) != members.get(login)
        ]
        if not entries:
            return
        self._wrote = True
        audit.append(self.root, *entries)
        users.save(self.root, members)
        self._users_signature = users.file_signature(self.root)
        self.access = Access(self.user, dict(members))
        self.version += 1

    def audit_event(self, action: str, subject: str, detail: dict[str, Any] | None = None) -> None:
        """Log something that changes no file but must be on record (a NIK revealed, a list
        with full NIKs written, the key exported). Call holding the lock."""
        self._wrote = True
        audit.append(self.root, audit.AuditEntry(audit.now_iso(), self.user, self.session, action, subject, None, detail))

    # ---- the card book and the signing key -------------------------------------------------

    def card_book(self) -> CardBook:
        """The issued cards, read when first asked (the first screen never pays for them) and
        brought up to date with the disk at each call; a listed card file that is gone or
        damaged stops here, before anything is written."""
        if self._cards is None:
            from kpps_tui.store.cards import CardBook

            self._cards = CardBook(self.root, self._require, lambda: set(self._listed or ()))
        elif self._depth and self._cards_read_in == self._transactions:
            return self._cards  # read under this lock already: no one else wrote since
        try:
            self._cards.refresh()
        except DamagedFile as exc:
            raise self._explained(exc) from exc
        self._cards_read_in = self._transactions if self._depth else -1
        return self._cards

    def _book_if_any(self) -> CardBook | None:
        """The card book, or None in a workspace that never issued a card (nothing to read)."""
        listed = any(rel == CARDS_FILE or rel.startswith(CARDS_DIR + "/") for rel in self._listed or ())
        if self._cards is None and not listed and not journal.exists(self.root / CARDS_FILE) and not (self.root / CARDS_DIR).exists():
            return None
        return self.card_book()

    def put_cards(
        self,
        issued: Iterable[CardRecord] = (),
        revoked: Iterable[CardRecord] = (),
        printed: Iterable[CardRecord] = (),
        meta: dict[str, Any] | None = None,
    ) -> None:
        """Log and durably store card records: new ones (with `meta`, the serial counter that
        handed them out), revocations and printing marks, each kind one log entry by serial.
        Revocations are written first. Call inside `transaction()`."""
        issued, revoked, printed = list(issued), list(revoked), list(printed)
        if not (issued or revoked or printed or meta):
            return
        book = self.card_book()
        self._begin_write()
        self.version += 1
        for action, records in (("card_revoke", revoked), ("card_issue", issued), ("card_print", printed)):
            if records:
                self.audit_event(action, "cards", {"serials": sorted(r.serial for r in records)})
        if revoked:
            book.write(revoked)
        if meta is not None:
            book.write_main(meta=meta)
        if issued or printed:
            book.write([*issued, *printed])

    def put_card_settings(self, settings: dict[str, Any], changed: Iterable[str]) -> None:
        """Log and store the printing choices. Call inside `transaction()`."""
        self.require(AdminTask.SETTINGS)
        book = self.card_book()
        self._begin_write()
        self.audit_event("card_settings", "cards", {"changed": sorted(changed)})
        book.write_main(settings=settings)

    def revoke_stale_cards(self) -> list[int]:
        """Revoke every active card whose seat no longer holds its officer (after a restore).
        Call inside `transaction()`; returns the serials."""
        from kpps_tui.domain.cards import left_seats, seat_change_reason

        book = self._book_if_any()
        if book is None:
            return []
        stamp = audit.now_iso()
        stale = [
            r.revoked(stamp, seat_change_reason(""))
            for code in sorted({r.tps for r in book.records.values() if r.active})
            for r in left_seats(book.of_tps(code), _holders(self.tps.get(code)))
        ]
        self.put_cards(revoked=stale)
        return [r.serial for r in stale]

    def signing_key(self, create: bool = False) -> Ed25519PrivateKey | None:
        """The card signing key; None when the workspace has none yet. With `create` (inside
        `transaction()`) a workspace that never issued a card makes it now. Once cards were
        issued a missing key is damage (MissingKey), never replaced."""
        # cryptography loads when a card is signed or checked, not when the workspace opens.
        from kpps_tui.store import keys

        path = keys.private_key_path(self.root)
        try:
            refuse_link_as_damage(path)
            key = keys.read_private_key(self.root)
            if key is not None:
                return key
            book = self._book_if_any()
            if self._is_listed(path) or (book is not None and book.ever_issued):
                raise MissingKey(path)
        except DamagedFile as exc:
            raise self._explained(exc) from exc
        if not create:
            return None
        self._begin_write()
        key = keys.write_new_private_key(self.root)
        self.audit_event("key_create", "keys", {"file": f"{KEY_DIR}/{PRIVATE_KEY_FILE}"})
        return key

    def _tps_db_for(self, kec: str) -> TinyDB:
        if kec not in self._tps_dbs:
            self._tps_dbs[kec] = self._new_db("tps", kec, "tps")
        return self._tps_dbs[kec]

    def _people_db_for(self, kec: str) -> TinyDB:
        if kec not in self._people_dbs:
            self._people_dbs[kec] = self._new_db("people", kec, "people")
        return self._people_dbs[kec]

    def _new_db(self, folder: str, kec: str, table: str) -> TinyDB:
        ensure_private_dir(self.root / folder)
        return open_db(self._file(folder, kec), initial={table: {}})

    # ---- creating ------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        root: Path,
        election: Election,
        regions: list[Region],
        tps: Iterable[Tps] = (),
        people: Iterable[Person] = (),
    ) -> Workspace:
        """Write a new workspace; refuses to touch a folder that already holds one."""
        root = Path(root)
        if (root / WORKSPACE_FILE).exists():
            raise WorkspaceError(N_("{path} already holds a workspace; nothing was changed."), path=str(root))
        ensure_private_dir(root)
        for folder in ("tps", "people"):
            ensure_private_dir(root / folder)
        for kec, docs in _group_docs(tps).items():
            open_db(root / "tps" / f"{kec}.json", initial={"tps": docs})
        for kec, docs in _group_docs(people).items():
            open_db(root / "people" / f"{kec}.json", initial={"people": docs})
        # The main file last: a folder without it is not yet a workspace.
        open_db(
            root / WORKSPACE_FILE,
            initial={
                "meta": {"1": {"schema_version": SCHEMA_VERSION, "kind": "kpps-tui workspace"}},
                "election": {"1": election.to_doc()},
                "regions": {str(i): {"code": r.code, "name": r.name} for i, r in enumerate(regions, 1)},
            },
        )
        ws = cls.open(root)
        with ws.locked():
            pass  # its creator becomes its admin, and the log starts with its anchor
        return ws


_NOT_A_CHANGE = object()


def _holders(tps: Tps | None) -> dict[int, str]:
    return {n: s.nik for n, s in tps.seats.items()} if tps is not None else {}


def _seat_map(tps: Tps) -> dict[str, str]:
    return {str(n): seat.nik for n, seat in sorted(tps.seats.items())}


def lost_its_main_file(root: Path) -> bool:
    """A folder without workspace.json that still holds a workspace's data or snapshots."""
    return any((root / folder).is_dir() for folder in ("tps", "people", BACKUP_DIR))


def _is_data_file(rel: str) -> bool:
    """A path a transaction wrote that present_data_files would list."""
    parts = rel.split("/")
    return (
        len(parts) <= 2
        and not any(p.startswith(".") for p in parts)
        and parts[0] not in NOT_LISTED
        and parts[0] not in (AUDIT_DIR, BACKUP_DIR, WORKSPACE_FILE)
    )


def refuse_link_as_damage(path: Path) -> None:
    try:
        refuse_link(path)
    except UnsafeFile as exc:
        raise DamagedFile(path, "a symbolic link or not a plain file") from exc


@contextmanager
def _records_of(path: Path) -> Iterator[None]:
    """A record without the fields we need makes the file damaged, not the program crash."""
    try:
        yield
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise DamagedFile(path, f"unexpected record: {exc!r}") from exc


def _as_logged(doc: dict[str, Any]) -> dict[str, Any]:
    """A record as the audit log holds it once written as JSON (dates as text, tuples as lists)."""
    logged: dict[str, Any] = json.loads(json.dumps(doc))
    return logged


def _group_docs(items: Iterable[Tps] | Iterable[Person]) -> dict[str, dict[str, dict[str, Any]]]:
    grouped: dict[str, dict[str, dict[str, Any]]] = {}
    for item in items:
        docs = grouped.setdefault(item.kecamatan_code, {})
        docs[str(len(docs) + 1)] = item.to_doc()
    return grouped
