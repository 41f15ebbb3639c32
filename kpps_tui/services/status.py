"""The ringkasan (status) read model: figures per kabupaten/kota -> kecamatan -> desa, the
schedule against them, and the burn-up of seats filled and declarations verified per day.

Built once from the workspace in memory, then kept up to date piece by piece: `update(changed)`
recomputes only the kecamatan that `Workspace.refresh()` reported, reads only the audit-log
lines appended since the last look, and recounts cards only when the card folder changed.
The clock is never read here: every caller passes `today`.

Before the applicants of a deferred open are read (the interface's first screen), the board
counts the TPS alone and says so (`applicants_read`): the figures that need the applicants
(officers, declarations, women, applicants by stage) are not to be shown until then, and the
whole board is counted again once they are in.
"""

from __future__ import annotations

import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from kpps_tui.domain.declarations import DeclState
from kpps_tui.domain.model import Person, Tps
from kpps_tui.domain.schedule import StageKey, stage_of
from kpps_tui.domain.status import (
    Figures,
    Forecast,
    StageStatus,
    desa_figures,
    forecast,
    schedule_status,
    series,
    total,
)
from kpps_tui.i18n import N_, _
from kpps_tui.services.regions import kabupaten_code, kabupaten_name
from kpps_tui.store import audit
from kpps_tui.store.files import signature
from kpps_tui.store.layout import CARDS_DIR
from kpps_tui.store.workspace import Workspace


class Level(str, Enum):
    KABUPATEN = "kabupaten"
    KECAMATAN = "kecamatan"
    DESA = "desa"

    @property
    def label(self) -> str:
        return _(LEVEL_LABELS[self])

    @property
    def below(self) -> Level | None:
        order = list(Level)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None


LEVEL_LABELS = {Level.KABUPATEN: N_("Kab/Kota"), Level.KECAMATAN: N_("Kecamatan"), Level.DESA: N_("Desa/Kelurahan")}

VERIFIED = DeclState.VERIFIED.value


@dataclass(frozen=True)
class StatusRow:
    code: str
    name: str
    level: Level
    figures: Figures


def _day(stamp: str | None) -> date | None:
    try:
        return date.fromisoformat(stamp[:10]) if stamp else None
    except ValueError:
        return None


def _is_seat_map(doc: object) -> bool:
    return isinstance(doc, dict) and all(k.isdigit() and isinstance(v, str) for k, v in doc.items())


def _statement_state(doc: dict[str, Any] | None) -> str | None:
    if not doc:
        return None
    neutrality = doc.get("neutrality") or {}
    return (neutrality.get("surat_pernyataan") or {}).get("state")


class LogTally:
    """The audit log counted per desa and day: seats filled (net) and declarations verified.
    Reads only the lines appended since its last read; nothing here touches the workspace in
    memory, so a thread may count a long log while the interface draws."""

    def __init__(self) -> None:
        self.offset = 0
        self.start: date | None = None  # the first day the log (since a restore) covers
        self.seats: dict[str, Counter[date]] = defaultdict(Counter)
        self.verified: dict[str, Counter[date]] = defaultdict(Counter)

    def read(self, root: Path) -> set[str] | None:
        """Count the lines appended since the last read. The desa whose counts moved, or None
        when everything may have (the log replaced or restored, or its first day found)."""
        entries, offset = audit.read_since(root, self.offset)
        moved: set[str] | None = set()
        if offset < self.offset:  # the log was replaced: these entries are all of it
            self.seats.clear()
            self.verified.clear()
            self.start = None
            moved = None
        self.offset = offset
        for entry in entries:
            desa = self._count(entry)
            if desa is None:
                moved = None
            elif moved is not None and desa:
                moved.add(desa)
        return moved

    def _count(self, entry: audit.AuditEntry) -> str | None:
        """The desa this entry moved ("" for none), None when it moved every figure."""
        day = _day(entry.at)
        if day is None:
            return ""
        if entry.action == audit.RESTORE:
            # The files came from a snapshot: the days before are told by the stamps again.
            self.seats.clear()
            self.verified.clear()
            self.start = day
            return None
        subject = entry.subject
        desa = ""
        if subject.isdigit():
            before, after = _statement_state(entry.before), _statement_state(entry.after)
            change = (after == VERIFIED) - (before == VERIFIED)
            if change:
                doc = entry.after or entry.before or {}
                desa = doc.get("desa", "")
                self.verified[desa][day] += change
                if self._started(day):
                    return None
        elif _is_seat_map(entry.after) or _is_seat_map(entry.before):
            change = len(entry.after or {}) - len(entry.before or {})
            if change:
                desa = subject.split("-")[0]
                self.seats[desa][day] += change
            if self._started(day):
                return None
        return desa

    def _started(self, day: date) -> bool:
        """The log's first day found now (the stamps before it then end on that day)."""
        if self.start is None:
            self.start = day
            return True
        return False


class StatusBoard:
    """The figures of a workspace for the dashboard and `kpps status`, kept up to date."""

    def __init__(self, ws: Workspace, today: date) -> None:
        self.ws = ws
        self.today = today
        self.desa: dict[str, Figures] = {}
        self.kecamatan: dict[str, Figures] = {}
        self.kabupaten: dict[str, Figures] = {}
        self.whole = Figures()
        self._cards: dict[str, int] = {}  # TPS code -> valid printed cards of its officers
        self._cards_signature: object = None
        # From the audit log, per desa: the net change of each day. A workspace opened for the
        # interface without its applicants (defer_people) has its log counted with them, after
        # the first paint (take_log): a campaign's log of tens of thousands of lines took
        # longer to count than the rest of the first screen.
        self._log = LogTally()
        self.log_read = False
        # Before the log begins, the days stamped on the seats and declarations: per kecamatan,
        # per desa, per ISO day. Counted when first asked for, again after the kecamatan changed.
        self._stamps: dict[str, tuple[dict[str, Counter[str]], dict[str, Counter[str]]]] = {}
        self._election = ws.election
        self._fingerprints: dict[str, int] = {}
        # Day-by-day changes of a region, asked for by every forecast and chart: kept until the
        # log, the stamps or the figures of a kecamatan inside it move (_forget).
        self._memo: dict[tuple[str, int], Counter[date]] = {}
        self._desa_of = self._desa_index()
        self.applicants_read = ws.people_ready  # the figures count the applicants too
        if ws.people_ready:
            self._read_log()
        self._count_cards()
        self._recompute(set(ws.kecamatan_codes()))

    # ---- keeping up ------------------------------------------------------------------------

    def update(self, changed: Iterable[str] | None = (), today: date | None = None) -> set[str]:
        """Bring the figures up to date after `Workspace.refresh()` returned `changed` (kecamatan
        codes; "" for the main file). With `changed` None, find the kecamatan whose TPS or
        applicants are other objects than last time (this session's own writes). Returns the
        kecamatan whose figures were recomputed."""
        every = set(self.ws.kecamatan_codes())
        todo = self._moved_kecamatan() if changed is None else set(changed)
        if "" in todo or self.ws.election != self._election:
            todo = set(every)  # seats per TPS or the share of women may have changed
            self._desa_of = self._desa_index()
        if today is not None and today != self.today:
            self.today = today
            self._cards_signature = None  # validity runs out with the days
            todo = set(every)
        if self.ws.people_ready != self.applicants_read:
            todo = set(every)  # an officer may live in another kecamatan than their seat
        if self.log_read or self.ws.people_ready:
            self._read_log()
        todo |= self._count_cards()
        todo &= every
        if todo:
            self._recompute(todo)
        return todo

    def _desa_index(self) -> dict[str, list[str]]:
        by_kec: dict[str, list[str]] = defaultdict(list)
        for code in sorted(self.ws.regions):
            if code.count(".") == 3:
                by_kec[code.rsplit(".", 1)[0]].append(code)
        return by_kec

    def _fingerprint(self, kec: str, tps: Iterable[Tps]) -> int:
        """Changes with every TPS or applicant of the kecamatan replaced in memory."""
        return hash((frozenset(id(t) for t in tps), frozenset(id(p) for p in self._people_of(kec))))

    def _people_of(self, kec: str) -> list[Person]:
        """The applicants of a kecamatan; none while a deferred open has not read them."""
        return self.ws.people_of_kecamatan(kec) if self.ws.people_ready else []

    def _moved_kecamatan(self) -> set[str]:
        tps_by_kec: dict[str, list[Tps]] = defaultdict(list)
        kec_of_desa = {desa: kec for kec, codes in self._desa_of.items() for desa in codes}
        for t in self.ws.tps.values():
            tps_by_kec[kec_of_desa.get(t.desa_code, "")].append(t)
        return {
            kec
            for kec in self.ws.kecamatan_codes()
            if self._fingerprints.get(kec) != self._fingerprint(kec, tps_by_kec.get(kec, ()))
        }

    def _recompute(self, kecamatan: set[str]) -> None:
        ws = self.ws
        self.applicants_read = ws.people_ready
        people = ws.people if self.applicants_read else {}
        tps_by_desa: dict[str, list[Tps]] = defaultdict(list)
        people_by_desa: dict[str, list[Person]] = defaultdict(list)
        wanted = {desa for kec in kecamatan for desa in self._desa_of.get(kec, ())}
        for t in ws.tps.values():
            if t.desa_code in wanted:
                tps_by_desa[t.desa_code].append(t)
        for kec in kecamatan:
            for person in self._people_of(kec):
                people_by_desa[person.desa_code].append(person)
        for kec in kecamatan:
            for desa in self._desa_of.get(kec, ()):
                self.desa[desa] = desa_figures(
                    tps_by_desa.get(desa, ()), people, people_by_desa.get(desa, ()), ws.election, self._cards
                )
            self._stamps.pop(kec, None)
            self._forget(kec)
            self.kecamatan[kec] = total(self.desa[d] for d in self._desa_of.get(kec, ()))
            self._fingerprints[kec] = self._fingerprint(kec, (t for d in self._desa_of.get(kec, ()) for t in tps_by_desa.get(d, ())))
        for kab in {kabupaten_code(kec) for kec in kecamatan}:
            self.kabupaten[kab] = total(f for kec, f in self.kecamatan.items() if kec.startswith(kab + "."))
        self.kabupaten = dict(sorted(self.kabupaten.items()))
        self.whole = total(self.kabupaten.values())
        self._election = ws.election

    def _stamps_of(self, kecamatan: Iterable[str]) -> list[tuple[dict[str, Counter[str]], dict[str, Counter[str]]]]:
        kecamatan = list(kecamatan)
        if any(kec not in self._stamps for kec in kecamatan):
            # Every kecamatan not counted yet, in one pass over the TPS: the next row asks too.
            missing = [kec for kec in self.ws.kecamatan_codes() if kec not in self._stamps]
            kec_of_desa = {desa: kec for kec in missing for desa in self._desa_of.get(kec, ())}
            tps_by_kec: dict[str, list[Tps]] = defaultdict(list)
            for t in self.ws.tps.values():
                kec = kec_of_desa.get(t.desa_code)
                if kec is not None:
                    tps_by_kec[kec].append(t)
            for kec in missing:
                self._stamps[kec] = self._count_stamps(tps_by_kec.get(kec, ()), self._people_of(kec))
        return [self._stamps[kec] for kec in kecamatan]

    def _count_stamps(
        self, tps: Iterable[Tps], people: Iterable[Person]
    ) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
        """Seats taken and declarations verified before the log begins, by the day stamped on
        them (ISO day strings: compared as text, parsed only for the few days that occur)."""
        start = self._log.start.isoformat() if self._log.start else "9999"
        seats: dict[str, Counter[str]] = defaultdict(Counter)
        for t in tps:
            days = seats[t.desa_code]
            for seat in t.seats.values():
                day = seat.assigned_at[:10]
                if day and day < start:
                    days[day] += 1
        verified: dict[str, Counter[str]] = defaultdict(Counter)
        for person in people:
            statement = person.neutrality.statement
            if statement.state is DeclState.VERIFIED and statement.decided_on is not None:
                day = statement.decided_on.isoformat()
                if day < start:
                    verified[person.desa_code][day] += 1
        return seats, verified

    # ---- the audit log ---------------------------------------------------------------------

    def _read_log(self) -> None:
        """Count the log lines appended since the last read (all of them the first time)."""
        start = self._log.start
        moved = self._log.read(self.ws.root)
        self.log_read = True
        if self._log.start != start:
            self._stamps.clear()  # the stamps count only before the log
        if moved is None:
            self._memo.clear()
        else:
            for desa in moved:
                self._forget(desa)

    def take_log(self, tally: LogTally) -> None:
        """The log counted in another thread (LogTally.read), taken if this board has not read
        it yet; the lines appended since are read here."""
        if not self.log_read:
            self._log = tally
            self._stamps.clear()
            self._memo.clear()
        self._read_log()

    def _forget(self, region: str) -> None:
        """Drop the remembered changes of every region that holds `region` or lies inside it."""
        if not self._memo:
            return
        inner = region + "."
        for key in [k for k in self._memo if not k[0] or k[0] == region or region.startswith(k[0] + ".") or k[0].startswith(inner)]:
            del self._memo[key]

    # ---- cards -------------------------------------------------------------------------------

    def _count_cards(self) -> set[str]:
        """Recount valid printed cards when the card folder changed; the kecamatan whose count moved."""
        now = signature(self.ws.root / CARDS_DIR)
        if now == self._cards_signature:
            return set()
        self._cards_signature = now
        counts: Counter[str] = Counter()
        if now is not None:
            today = self.today.isoformat()
            tps = self.ws.tps
            for record in self.ws.card_book().records.values():
                if record.revoked_at or not record.printed_at or record.valid_until < today:
                    continue
                holder = tps.get(record.tps)
                seat = holder.seats.get(record.seat) if holder else None
                if seat is not None and seat.nik == record.nik:
                    counts[record.tps] += 1
        old, self._cards = self._cards, dict(counts)
        moved = {code for code in set(old) | set(counts) if old.get(code) != counts.get(code)}
        return {".".join(code.split(".")[:3]) for code in moved}

    # ---- reading -----------------------------------------------------------------------------

    def top_level(self) -> Level:
        """Kabupaten/kota first when the workspace holds several, else its kecamatan."""
        return Level.KABUPATEN if len(self.kabupaten) > 1 else Level.KECAMATAN

    def name(self, code: str) -> str:
        if not code:
            return self.ws.election.kpu_name
        if code.count(".") == 1:
            return kabupaten_name(self.ws, code)
        return self.ws.region_name(code)

    def figures(self, code: str) -> Figures:
        """Figures of a region by code; "" is the whole workspace."""
        if not code:
            return self.whole
        table = {1: self.kabupaten, 2: self.kecamatan, 3: self.desa}[code.count(".")]
        return table.get(code, Figures())

    def rows(self, level: Level, parent: str = "") -> list[StatusRow]:
        table = {Level.KABUPATEN: self.kabupaten, Level.KECAMATAN: self.kecamatan, Level.DESA: self.desa}[level]
        prefix = parent + "." if parent else ""
        return [
            StatusRow(code, self.name(code), level, figures)
            for code, figures in sorted(table.items())
            if code.startswith(prefix)
        ]

    def schedule(self, code: str = "") -> list[StageStatus]:
        return schedule_status(self.ws.election, self.figures(code), self.today)

    def appointment_day(self) -> date:
        election = self.ws.election
        return stage_of(election.schedule, StageKey.APPOINTMENT, election.voting_day).start

    def seat_changes(self, code: str = "") -> Counter[date]:
        """Net seats filled per day in a region, from the log and before it from the stamps."""
        return self._changes(code, 0)

    def verified_changes(self, code: str = "") -> Counter[date]:
        return self._changes(code, 1)

    def _changes(self, code: str, which: int) -> Counter[date]:
        """(A copy of) the remembered changes, else counted now (the log read first if it was
        not yet: asked for before the applicants arrived)."""
        if not self.log_read:
            self._read_log()
        log = self._log.verified if which else self._log.seats
        found = self._memo.get((code, which))
        if found is None:
            found = self._memo[code, which] = self._count_changes(code, log, which)
        return Counter(found)

    def _count_changes(self, code: str, log: dict[str, Counter[date]], which: int) -> Counter[date]:
        def inside(desa: str) -> bool:
            return not code or desa == code or desa.startswith(code + ".")

        result: Counter[date] = Counter()
        for desa, days in log.items():
            if inside(desa):
                result.update(days)
        kecamatan = [k for k in self.ws.kecamatan_codes() if inside(k) or code.startswith(k + ".")]
        stamped: Counter[str] = Counter()
        for counts in self._stamps_of(kecamatan):
            for desa, iso_days in counts[which].items():
                if inside(desa):
                    stamped.update(iso_days)
        for day, count in stamped.items():
            parsed = _day(day)
            if parsed is not None:
                result[parsed] += count
        return result

    def burnup(self, code: str = "", days: int = 30) -> BurnUp:
        figures = self.figures(code)
        first = self.today - timedelta(days=days - 1)
        seat_days = self.seat_changes(code)
        return BurnUp(
            code=code,
            seats=figures.seats,
            filled=series(figures.seats_filled, seat_days, first, self.today),
            verified=series(figures.verified, self.verified_changes(code), first, self.today),
            forecast=forecast(code, figures, seat_days, self.today, self.ws.election),
        )

    def forecast(self, code: str) -> Forecast:
        return forecast(code, self.figures(code), self.seat_changes(code), self.today, self.ws.election)


_boards: weakref.WeakKeyDictionary[Workspace, tuple[StatusBoard, int]] = weakref.WeakKeyDictionary()


def count_log(ws: Workspace) -> LogTally:
    """The workspace's audit log counted (in a thread: nothing in memory is touched), for
    `take_log` on the thread that owns the workspace."""
    tally = LogTally()
    tally.read(ws.root)
    return tally


def take_log(ws: Workspace, tally: LogTally) -> None:
    """The log counted by `count_log`, handed to the workspace's kept board (if it has one and
    has not read the log itself meanwhile)."""
    kept = _boards.get(ws)
    if kept is not None:
        kept[0].take_log(tally)


def board_for(ws: Workspace, today: date) -> StatusBoard:
    """The board of this workspace, kept from one opening of the ringkasan to the next and
    brought up to date: built once (a province's figures take a few hundred ms), then only
    the kecamatan whose TPS or applicants changed in memory are counted again (none when
    Workspace.version has not moved), and the log lines appended meanwhile are read."""
    kept = _boards.get(ws)
    if kept is None:
        board = StatusBoard(ws, today)
    else:
        board, version = kept
        board.update(None if ws.version != version else (), today=today)
    _boards[ws] = (board, ws.version)
    return board


@dataclass(frozen=True)
class BurnUp:
    code: str
    seats: int  # seats needed: the top of the chart
    filled: list[tuple[date, int]]
    verified: list[tuple[date, int]]
    forecast: Forecast


# ---- `kpps status --json` ------------------------------------------------------------------


def row_json(row: StatusRow) -> dict[str, object]:
    f = row.figures
    return {
        "code": row.code,
        "name": row.name,
        "tps": f.tps,
        "tps_full": f.tps_full,
        "seats": f.seats,
        "seats_filled": f.seats_filled,
        "women_seated": f.women_seated,
        "tps_short_of_women": f.tps_short_of_women,
        "declarations": dict(f.declarations),
        "cards_valid": f.cards_valid,
        "paw_open": f.paw_open,
        "applicants": dict(f.applicants),
    }


def stage_json(status: StageStatus) -> dict[str, object]:
    return {
        "key": status.key.value,
        "name": status.stage.label,
        "start": status.stage.start.isoformat(),
        "end": status.stage.end.isoformat(),
        "status": status.timing.value,
        "waiting": status.waiting.value if status.waiting else None,
        "outstanding_desa": status.outstanding,
    }


def forecast_json(fc: Forecast) -> dict[str, object]:
    return {
        "code": fc.code,
        "date": fc.done_on.isoformat() if fc.done_on else None,
        "seats_open": fc.remaining,
        "per_day": round(fc.per_day, 2),
        "before_penetapan": fc.in_time,
    }


def status_report(board: StatusBoard, level: Level) -> dict[str, object]:
    rows = board.rows(level)
    return {
        "today": board.today.isoformat(),
        "by": level.value,
        "rows": [row_json(r) for r in rows],
        "total": row_json(StatusRow("", board.name(""), level, board.whole)),
        "schedule": [stage_json(s) for s in board.schedule()],
        "forecast": [forecast_json(board.forecast(r.code)) for r in rows],
    }
