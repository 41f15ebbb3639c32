"""The office's documents, made from the workspace: the two pengumuman, the lampiran of the SK,
the daftar hadir of the pelantikan and the daftar penerimaan honorarium.

`prepare` reads the workspace into a Paper (interchange/paper.py) for a TPS, desa, kecamatan or
all, and names what the office should decide about before signing: empty seats and warnings
whose written reason is owed. `write` lays it out as PDF, DOCX or XLSX, outside the workspace.
Public announcements show a masked NIK; the honorarium list, an internal paper for the tax
report, shows the full NIK, so writing it is recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum
from pathlib import Path

from kpps_tui.domain.applicants import Stage
from kpps_tui.domain.model import KETUA_SEAT, PaperSettings, Person, Tps, seat_title
from kpps_tui.domain.nik import mask_nik
from kpps_tui.domain.schedule import StageKey
from kpps_tui.domain.tax import pph21
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _, current_language
from kpps_tui.interchange.paper import Column, Kind, Paper, Part, Row, RowKind, Signature, Table, money_text
from kpps_tui.services.audit_log import EXPORT_FULL_NIK
from kpps_tui.services.finders import find_tps, match_regions
from kpps_tui.services.output_folders import folder_beside, unused_path
from kpps_tui.services.overrides import override_rows
from kpps_tui.store import audit
from kpps_tui.store.files import ensure_private_dir
from kpps_tui.store.outputs import refuse_inside_workspace, write_output
from kpps_tui.store.workspace import Workspace


def format_date(day: date) -> str:
    """The cards' '8 December 2024', imported when first used: cards.verify brings the
    signature library, which `kpps` (the interface) need not load to start."""
    from kpps_tui.cards.verify import format_date as written

    return written(day)

Progress = Callable[[int, int], None]


class DocumentRefused(KppsError):
    pass


class DocKind(str, Enum):
    PENELITIAN = "pengumuman-penelitian"
    PENETAPAN = "pengumuman-penetapan"
    SK = "sk"
    DAFTAR_HADIR = "daftar-hadir"
    HONORARIUM = "honorarium"

    @property
    def label(self) -> str:
        return _(_LABELS[self])

    @property
    def formats(self) -> tuple[str, ...]:
        return _FORMATS[self]


_LABELS = {
    DocKind.PENELITIAN: N_("Pengumuman hasil penelitian administrasi"),
    DocKind.PENETAPAN: N_("Pengumuman hasil seleksi (penetapan)"),
    DocKind.SK: N_("Lampiran SK pembentukan KPPS"),
    DocKind.DAFTAR_HADIR: N_("Daftar hadir pelantikan"),
    DocKind.HONORARIUM: N_("Daftar penerimaan honorarium"),
}
_FORMATS = {
    DocKind.PENELITIAN: (".pdf",),
    DocKind.PENETAPAN: (".pdf",),
    DocKind.SK: (".pdf", ".docx", ".xlsx"),
    DocKind.DAFTAR_HADIR: (".pdf",),
    DocKind.HONORARIUM: (".xlsx", ".pdf"),
}


# ---- what a document covers ------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    level: str  # "tps", "desa", "kecamatan", "kabupaten" (of a province workspace) or "all"
    code: str = ""

    def covers(self, code: str) -> bool:
        """A TPS code or desa code inside this scope."""
        if self.level == "all":
            return True
        if self.level == "tps":
            return code == self.code or self.code.startswith(code + "-")
        return code == self.code or code.startswith(self.code + ".") or code.startswith(self.code + "-")


def resolve_scope(ws: Workspace, tps: str | None = None, desa: str | None = None, kecamatan: str | None = None, everything: bool = False) -> Scope:
    """The scope from one of a TPS code, a desa or kecamatan (code or name), or all."""
    given = [x for x in (tps, desa, kecamatan) if x] + (["all"] if everything else [])
    if len(given) != 1:
        raise DocumentRefused(N_("Choose one scope: --tps TPS, --desa DESA, --kecamatan KECAMATAN or --all."))
    if everything:
        return Scope("all")
    if tps:
        return Scope("tps", find_tps(ws, tps).code)
    if desa:
        return Scope("desa", _region(ws, desa, ws.desa_codes(), N_("No desa/kelurahan matches {text}; `kpps tps list` shows their names.")))
    return Scope("kecamatan", _region(ws, kecamatan or "", ws.kecamatan_codes(), N_("No kecamatan matches {text}; `kpps tps list` shows their names.")))


def _region(ws: Workspace, text: str, codes: list[str], missing: str) -> str:
    found = match_regions(ws, text, codes)
    if len(found) == 1:
        return found[0]
    if found:
        raise DocumentRefused(
            N_("{text} names several places: {codes}; give the code."), text=text, codes=", ".join(found)
        )
    raise DocumentRefused(missing, text=text)


def scope_title(ws: Workspace, scope: Scope) -> str:
    if scope.level == "all":
        return ws.election.kpu_name
    if scope.level == "kabupaten":
        return ws.region_name(scope.code)
    if scope.level == "kecamatan":
        return _("Kecamatan {name}").format(name=ws.region_name(scope.code))
    if scope.level == "desa":
        return _place(ws, scope.code)
    tps = ws.tps[scope.code]
    return _("{tps}, Kecamatan {kecamatan}").format(tps=ws.tps_label(tps), kecamatan=ws.region_name(tps.kecamatan_code))


def _place(ws: Workspace, desa_code: str) -> str:
    """'Desa Raja, Kecamatan Arut Selatan' (or Kelurahan)."""
    region = ws.regions.get(desa_code)
    word = _("Kelurahan") if region is not None and region.is_kelurahan else _("Desa")
    return _("{word} {name}, Kecamatan {kecamatan}").format(
        word=word, name=ws.region_name(desa_code), kecamatan=ws.region_name(desa_code[:8])
    )


def _desa_word(ws: Workspace, desa_code: str) -> str:
    region = ws.regions.get(desa_code)
    word = _("Kelurahan") if region is not None and region.is_kelurahan else _("Desa")
    return f"{word} {ws.region_name(desa_code)}"


# ---- what the office should know before signing ----------------------------------------------


@dataclass(frozen=True)
class Gap:
    tps_code: str
    tps_label: str
    seat: int
    name: str  # empty for an empty seat
    warning: str = ""  # the warning whose written reason is owed

    @property
    def text(self) -> str:
        if not self.name:
            return _("{tps}: seat {seat} ({title}) is empty.").format(tps=self.tps_label, seat=self.seat, title=seat_title(self.seat))
        return _("{tps}, seat {seat}, {name}: no reason written yet for: {warning}").format(
            tps=self.tps_label, seat=self.seat, name=self.name, warning=self.warning
        )


def gaps(ws: Workspace, scope: Scope) -> list[Gap]:
    """Empty seats and warnings without a written reason, in the scope, by TPS and seat."""
    found = []
    for tps in _tps_in(ws, scope):
        label = ws.tps_label(tps)
        for seat in range(1, ws.election.seats_per_tps + 1):
            if seat not in tps.seats:
                found.append(Gap(tps.code, label, seat, ""))
    for row in override_rows(ws, unreasoned_only=True):
        if scope.covers(row.tps_code):
            found.append(Gap(row.tps_code, row.tps_label, row.seat, row.name, row.message))
    return sorted(found, key=lambda g: (g.tps_code, g.seat, g.name))


def gaps_summary(found: list[Gap]) -> str:
    """'Before signing, note 12 empty seats and 3 warnings without a written reason:'"""
    empty = sum(not g.name for g in found)
    return _("Before signing, note {empty} empty seats and {owed} warnings without a written reason:").format(
        empty=_thousands(empty), owed=_thousands(len(found) - empty)
    )


# ---- preparing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    kind: DocKind
    scope: Scope
    paper: Paper
    listed: int  # people in the document
    gaps: list[Gap] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what else the office should know
    full_nik: bool = False  # the document shows full NIKs (internal)


def prepare(ws: Workspace, kind: DocKind, scope: Scope, today: date, progress: Progress | None = None) -> Prepared:
    """The document for the scope, read from the workspace as it is now; writes nothing."""
    build = {
        DocKind.PENELITIAN: _penelitian,
        DocKind.PENETAPAN: _penetapan,
        DocKind.SK: _sk,
        DocKind.DAFTAR_HADIR: _daftar_hadir,
        DocKind.HONORARIUM: _honorarium,
    }[kind]
    if not _tps_in(ws, scope) and kind is not DocKind.PENELITIAN:
        raise DocumentRefused(N_("{scope} has no TPS; there is nothing to write."), scope=scope_title(ws, scope))
    prepared = build(_Context(ws, scope, today, progress))
    if kind is DocKind.PENELITIAN:  # applicants, not seats
        return prepared
    return replace(prepared, gaps=gaps(ws, scope))


@dataclass
class _Context:
    ws: Workspace
    scope: Scope
    today: date
    progress: Progress | None

    @property
    def papers(self) -> PaperSettings:
        return self.ws.election.papers

    def paper(self, parts: list[Part], title: str, landscape: bool = False) -> Paper:
        return Paper(
            letterhead=tuple(line.upper() for line in _office_lines(self.ws.election.kpu_name)),
            address=self.papers.letterhead_address,
            parts=tuple(parts),
            title=title,
            page_label=_("Page {page} of {pages}"),
            landscape=landscape,
            thousands=_separator(),
        )

    def place_date(self, day: date | None = None) -> str:
        when = day or self.papers.sign_date or self.today
        place = self.papers.sign_place or "." * 20
        return _("{place}, {date}").format(place=place, date=format_date(when))

    def kpu_signature(self, day: date | None = None) -> Signature:
        title = self.papers.signatory_title or _("Ketua {office}").format(office=self.ws.election.kpu_name)
        return Signature(self.place_date(day), (title + ",",), self.papers.signatory_name)

    def pps_signature(self, desa_code: str) -> Signature:
        return Signature(self.place_date(), (_("PPS {desa}").format(desa=_desa_word(self.ws, desa_code)), _("Ketua,")), "")

    def tick(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


def _office_lines(kpu_name: str) -> list[str]:
    """'KPU Kabupaten Kotawaringin Barat' as a letterhead: KOMISI PEMILIHAN UMUM over the rest."""
    if kpu_name.upper().startswith("KPU "):
        return [_("Komisi Pemilihan Umum"), kpu_name[4:]]
    return [kpu_name]


def _tps_in(ws: Workspace, scope: Scope) -> list[Tps]:
    return [ws.tps[code] for code in sorted(ws.tps) if scope.covers(code)]


def _desa_in(ws: Workspace, scope: Scope) -> list[str]:
    """The desa a per-desa document covers; a TPS scope gives its desa."""
    if scope.level == "tps":
        return [ws.tps[scope.code].desa_code]
    return [code for code in ws.desa_codes() if scope.covers(code)]


def _officers(ws: Workspace, tps: Tps) -> Iterator[tuple[int, Person]]:
    for seat, held in sorted(tps.seats.items()):
        person = ws.people.get(held.nik)
        if person is not None:
            yield seat, person


def jabatan(seat: int) -> str:
    """Ketua KPPS or Anggota KPPS, as the SK writes the position."""
    return _("Ketua KPPS") if seat == KETUA_SEAT else _("Anggota KPPS")


def _upper(*lines: str) -> tuple[str, ...]:
    return tuple(line.upper() for line in lines)


# ---- 1. pengumuman hasil penelitian administrasi --------------------------------------------------

_MS = frozenset({Stage.ELIGIBLE, Stage.APPOINTED, Stage.SWORN_IN})


def _penelitian(c: _Context) -> Prepared:
    ws = c.ws
    parts: list[Part] = []
    listed = waiting = 0
    desa_codes = _desa_in(ws, c.scope)
    by_desa: dict[str, list[Person]] = {}
    for kec in sorted({d[:8] for d in desa_codes}):
        for person in ws.people_of_kecamatan(kec):
            by_desa.setdefault(person.desa_code, []).append(person)
    for i, desa in enumerate(desa_codes, 1):
        rows: list[Row] = []
        for person in sorted(by_desa.get(desa, []), key=lambda p: (p.name.casefold(), p.nik)):
            stage = person.standing.stage
            if stage is Stage.APPLICANT:
                waiting += 1
                continue
            if stage not in _MS and stage is not Stage.NOT_ELIGIBLE:
                continue  # left before the review's result mattered
            eligible = stage in _MS
            remark = "" if eligible else "; ".join(r.message for r in person.standing.reasons)
            rows.append(Row((len(rows) + 1, person.name, mask_nik(person.nik), person.sex, "MS" if eligible else "TMS", remark)))
        listed += len(rows)
        start, until = (format_date(day) for day in _response_period(ws))
        place = _desa_word(ws, desa)
        parts.append(Part(
            sheet=ws.region_name(desa),
            title=_upper(_("Announcement"), _("On the result of the administrative review of KPPS applicants"), ws.election.name, _place(ws, desa)),
            intro=(_("After the administrative review of the applicants for KPPS membership, the PPS of {desa} announces the applicants who meet the requirements (Memenuhi Syarat, MS) and those who do not (Tidak Memenuhi Syarat, TMS):").format(desa=place),),
            table=Table(
                (Column(_("No."), 0.6, Kind.NUMBER), Column(_("Name"), 3.2), Column(_("NIK"), 2.0), Column(_("L/P"), 0.6, Kind.NUMBER),
                 Column(_("Result"), 0.9, Kind.NUMBER), Column(_("Remarks (TMS)"), 3.2)),
                tuple(rows),
            ),
            closing=(_("The public may give responses and input (tanggapan masyarakat) on these applicants from {start} to {until} at the PPS secretariat of {desa}.").format(start=start, until=until, desa=place),),
            signature=c.pps_signature(desa),
        ))
        c.tick(i, len(desa_codes))
    notes = []
    if waiting:
        notes.append(_("{count} applicants not yet reviewed (Pendaftar) are not listed.").format(count=_thousands(waiting)))
    return Prepared(DocKind.PENELITIAN, c.scope, c.paper(parts, DocKind.PENELITIAN.label), listed, [], notes)


def _response_period(ws: Workspace) -> tuple[date, date]:
    """The days of tanggapan masyarakat: a stage of the schedule (`kpps settings set
    stage.tanggapan_masyarakat START..END`)."""
    stage = next(s for s in ws.election.schedule if s.key is StageKey.PUBLIC_RESPONSE)
    return stage.start, stage.end


# ---- 2. pengumuman hasil seleksi / penetapan --------------------------------------------------------


def _penetapan(c: _Context) -> Prepared:
    ws = c.ws
    parts: list[Part] = []
    listed = 0
    desa_codes = _desa_in(ws, c.scope)
    for i, desa in enumerate(desa_codes, 1):
        rows: list[Row] = []
        for tps in _tps_in(ws, c.scope):
            if tps.desa_code != desa:
                continue
            rows.append(Row((ws.tps_label(tps),), RowKind.GROUP))
            for seat, person in _officers(ws, tps):
                rows.append(Row((seat, person.name, mask_nik(person.nik), person.sex, jabatan(seat))))
                listed += 1
        place = _desa_word(ws, desa)
        parts.append(Part(
            sheet=ws.region_name(desa),
            title=_upper(_("Announcement"), _("On the result of the selection of KPPS members"), ws.election.name, _place(ws, desa)),
            intro=(_("The following are chosen as members of the KPPS of each TPS in {desa}:").format(desa=place),),
            table=Table(
                (Column(_("No."), 0.6, Kind.NUMBER), Column(_("Name"), 3.6), Column(_("NIK"), 2.0), Column(_("L/P"), 0.6, Kind.NUMBER), Column(_("Position"), 1.8)),
                tuple(rows),
            ),
            signature=c.pps_signature(desa),
        ))
        c.tick(i, len(desa_codes))
    return Prepared(DocKind.PENETAPAN, c.scope, c.paper(parts, DocKind.PENETAPAN.label), listed)


# ---- 3. lampiran SK pembentukan KPPS -----------------------------------------------------------------


def _sk(c: _Context) -> Prepared:
    ws, papers = c.ws, c.papers
    rows: list[Row] = []
    listed = 0
    tps_list = _tps_in(ws, c.scope)
    for i, tps in enumerate(tps_list, 1):
        rows.append(Row((_("{tps}, Kecamatan {kecamatan}").format(tps=ws.tps_label(tps), kecamatan=ws.region_name(tps.kecamatan_code)),), RowKind.GROUP))
        for seat, person in _officers(ws, tps):
            rows.append(Row((seat, person.name, person.sex, jabatan(seat), _desa_word(ws, tps.desa_code))))
            listed += 1
        c.tick(i, len(tps_list))
    number = papers.sk_number or "." * 24
    day = format_date(papers.sk_date) if papers.sk_date else "." * 16
    part = Part(
        sheet=_("Lampiran SK"),
        title=_upper(
            _("Attachment to the decision of {office}").format(office=ws.election.kpu_name),
            _("Number {number}").format(number=number),
            _("Dated {date}").format(date=day),
            _("On the forming of the KPPS, {election}").format(election=ws.election.name),
            scope_title(ws, c.scope),
        ),
        intro=(_("Members of the Kelompok Penyelenggara Pemungutan Suara (KPPS) per TPS:"),),
        table=Table(
            (Column(_("No."), 0.6, Kind.NUMBER), Column(_("Name"), 3.6), Column(_("L/P"), 0.6, Kind.NUMBER), Column(_("Position"), 1.8), Column(_("Desa/Kelurahan"), 2.4)),
            tuple(rows),
        ),
        signature=c.kpu_signature(papers.sk_date),
    )
    notes = []
    if not papers.sk_number or not papers.sk_date:
        notes.append(_("The SK number or date is not set; the document leaves it blank (`kpps settings set sk_number TEXT`, `sk_date DATE`)."))
    return Prepared(DocKind.SK, c.scope, c.paper([part], DocKind.SK.label), listed, [], notes)


# ---- 4. daftar hadir pelantikan ------------------------------------------------------------------------


def _daftar_hadir(c: _Context) -> Prepared:
    ws = c.ws
    parts: list[Part] = []
    listed = 0
    desa_codes = _desa_in(ws, c.scope)
    for i, desa in enumerate(desa_codes, 1):
        rows: list[Row] = []
        for tps in _tps_in(ws, c.scope):
            if tps.desa_code != desa:
                continue
            for seat, person in _officers(ws, tps):
                number = len(rows) + 1
                rows.append(Row((number, person.name, f"TPS {tps.number:03d}", jabatan(seat), number)))
        listed += len(rows)
        parts.append(Part(
            sheet=ws.region_name(desa),
            title=_upper(_("Attendance list"), _("Swearing-in of the KPPS members"), ws.election.name, _place(ws, desa)),
            intro=(_("Day and date: {blank}    Place: {blank}").format(blank="." * 30),),
            table=Table(
                (Column(_("No."), 0.6, Kind.NUMBER), Column(_("Name"), 3.4), Column(_("TPS"), 1.0, Kind.NUMBER), Column(_("Position"), 1.6), Column(_("Signature"), 2.4, Kind.SIGN)),
                tuple(rows),
            ),
            signature=c.pps_signature(desa),
        ))
        c.tick(i, len(desa_codes))
    return Prepared(DocKind.DAFTAR_HADIR, c.scope, c.paper(parts, DocKind.DAFTAR_HADIR.label), listed)


# ---- 5. daftar penerimaan honorarium -----------------------------------------------------------------


@dataclass(frozen=True)
class Pay:
    gross: int
    tax: int

    @property
    def net(self) -> int:
        return self.gross - self.tax


def pay_of(ws: Workspace, seat: int, person: Person) -> Pay:
    papers = ws.election.papers
    gross = papers.honorarium(seat)
    return Pay(gross, pph21(gross, papers.tax_rates.percent(person.tax)))


def _honorarium(c: _Context) -> Prepared:
    ws, papers = c.ws, c.papers
    rows: list[Row] = []
    listed, unknown_tax = 0, 0
    tps_list = _tps_in(ws, c.scope)
    by_kec: dict[str, dict[str, list[Tps]]] = {}
    for tps in tps_list:
        by_kec.setdefault(tps.kecamatan_code, {}).setdefault(tps.desa_code, []).append(tps)
    sums = {"desa": [0, 0], "kec": [0, 0], "all": [0, 0]}
    done = 0
    for kec, desas in by_kec.items():
        for desa, desa_tps in desas.items():
            for tps in desa_tps:
                rows.append(Row((_("{tps}, Kecamatan {kecamatan}").format(tps=ws.tps_label(tps), kecamatan=ws.region_name(kec)),), RowKind.GROUP))
                for seat, person in _officers(ws, tps):
                    pay = pay_of(ws, seat, person)
                    unknown_tax += person.tax is None
                    listed += 1
                    status = person.tax.label if person.tax else _("not recorded")
                    percent = papers.tax_rates.percent(person.tax)
                    rows.append(Row((listed, person.name, person.nik, jabatan(seat), status, f"{_percent(percent)}%", pay.gross, pay.tax, pay.net, listed)))
                    for key in sums:
                        sums[key][0] += pay.gross
                        sums[key][1] += pay.tax
                done += 1
                c.tick(done, len(tps_list))
            rows.append(_total(_("Total {desa}").format(desa=_desa_word(ws, desa)), sums["desa"], 1))
            sums["desa"] = [0, 0]
        if c.scope.level in ("kecamatan", "kabupaten", "all"):
            rows.append(_total(_("Total Kecamatan {name}").format(name=ws.region_name(kec)), sums["kec"], 2))
        sums["kec"] = [0, 0]
    if c.scope.level in ("kabupaten", "all"):
        rows.append(_total(_("Total, all kecamatan"), sums["all"], 3))
    part = Part(
        sheet=_("Honorarium"),
        title=_upper(_("List of honorarium receipts"), _("KPPS members, {election}").format(election=ws.election.name), scope_title(ws, c.scope)),
        intro=(
            _("Honorarium per month: Ketua KPPS Rp{ketua}, Anggota KPPS Rp{anggota}. PPh 21 withheld: {npwp}% with an NPWP, {no_npwp}% without; civil servants by golongan (I {g1}%, II {g2}%, III {g3}%, IV {g4}%).").format(
                ketua=_thousands(papers.honorarium_ketua),
                anggota=_thousands(papers.honorarium_anggota),
                npwp=_percent(papers.pph21_npwp), no_npwp=_percent(papers.pph21_no_npwp),
                g1=_percent(papers.pph21_golongan_i), g2=_percent(papers.pph21_golongan_ii),
                g3=_percent(papers.pph21_golongan_iii), g4=_percent(papers.pph21_golongan_iv),
            ),
        ),
        table=Table(
            (
                Column(_("No."), 0.6, Kind.NUMBER), Column(_("Name"), 3.0), Column(_("NIK"), 2.0), Column(_("Position"), 1.5),
                Column(_("Tax status"), 1.4), Column(_("PPh 21"), 0.8, Kind.NUMBER),
                Column(_("Gross (Rp)"), 1.7, Kind.MONEY), Column(_("PPh 21 (Rp)"), 1.5, Kind.MONEY),
                Column(_("Net (Rp)"), 1.7, Kind.MONEY, difference_of=(6, 7)), Column(_("Signature"), 1.8, Kind.SIGN),
            ),
            tuple(rows),
        ),
        signature=c.kpu_signature(),
    )
    notes = []
    if unknown_tax:
        notes.append(_("{count} officers have no tax status recorded; their PPh 21 is withheld as without an NPWP (`kpps applicant edit NIK --set tax=npwp`).").format(count=_thousands(unknown_tax)))
    return Prepared(DocKind.HONORARIUM, c.scope, c.paper([part], DocKind.HONORARIUM.label, landscape=True), listed, [], notes, full_nik=True)


def _total(label: str, sums: list[int], level: int) -> Row:
    gross, tax = sums
    return Row((label, "", "", "", "", "", gross, tax, gross - tax, ""), RowKind.TOTAL, level)


def _thousands(number: int) -> str:
    """2,891 in English, 2.891 in Indonesian."""
    return money_text(number, _separator())


def _separator() -> str:
    return "." if current_language() == "id" else ","


def _percent(value: object) -> str:
    text = str(value)
    return text.replace(".", ",") if current_language() == "id" else text


# ---- writing ----------------------------------------------------------------------------------

FOLDER_SUFFIX = "-documents"


def documents_folder(ws: Workspace) -> Path:
    """Where the interface puts documents: beside the workspace folder, named after it, made
    private (they hold personal data); not inside it, so backups do not carry them."""
    folder = folder_beside(ws, FOLDER_SUFFIX)
    ensure_private_dir(folder)
    return folder


def suggested_path(ws: Workspace, kind: DocKind, scope: Scope, suffix: str, now: datetime) -> Path:
    """documents_folder/kpps-sk-desa-62.01.01.2001-20241105-143210.pdf, never an existing file."""
    what = scope.level if scope.level == "all" else f"{scope.level}-{scope.code}"
    stem = f"kpps-{kind.value}-{what}-{now.strftime('%Y%m%d-%H%M%S')}"
    return unused_path(documents_folder(ws), stem, suffix)



def check_output(ws: Workspace, kind: DocKind, path: Path) -> Path:
    """The file to write, or a refusal: a format the document has, outside any workspace."""
    path = Path(path).expanduser()
    suffix = path.suffix.lower()
    if suffix not in kind.formats:
        raise DocumentRefused(
            N_("The {document} is written as {formats}; choose a file name ending in one of them."),
            document=kind.label,
            formats=", ".join(kind.formats),
        )
    refuse_inside_workspace(path)
    return path


def write(ws: Workspace, prepared: Prepared, path: Path) -> Path:
    """Lay the document out by the file's suffix and write it atomically. A document with full
    NIKs is recorded in the audit log first (who wrote which, where)."""
    path = check_output(ws, prepared.kind, path)
    payload = render(prepared.paper, path.suffix.lower())
    if prepared.full_nik:
        with ws.transaction():
            audit.append(ws.root, audit.AuditEntry(
                audit.now_iso(), ws.user, ws.session, EXPORT_FULL_NIK, prepared.scope.code or "all", None,
                {"document": prepared.kind.value, "file": str(path.resolve()), "people": prepared.listed},
            ))
    write_output(path, payload)
    return path


def render(paper: Paper, suffix: str) -> bytes:
    if suffix == ".pdf":
        from kpps_tui.interchange.paper_pdf import paper_pdf_bytes  # reportlab only when asked

        return paper_pdf_bytes(paper)
    if suffix == ".docx":
        from kpps_tui.interchange.paper_docx import paper_docx_bytes

        return paper_docx_bytes(paper)
    from kpps_tui.interchange.paper_xlsx import paper_xlsx_bytes

    return paper_xlsx_bytes(paper)
