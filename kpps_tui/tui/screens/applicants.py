"""The applicant pool: every applicant, filters, counts at the top, masked NIKs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from operator import attrgetter

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Header, Input, Select, Static

from kpps_tui.domain.applicants import Stage, sex_label
from kpps_tui.i18n import N_, _
from kpps_tui.services.applicants import (
    ELIGIBILITY,
    ApplicantFilter,
    ApplicantPool,
    ApplicantRow,
    applicant_rows,
    filter_pool,
)
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.applicant_form import ApplicantForm
from kpps_tui.tui.screens.base import KppsScreen
from kpps_tui.tui.screens.import_preview import ImportPreview
from kpps_tui.tui.screens.reveal import NikReveal, reveal_binding
from kpps_tui.tui.text import Tones, chosen, desa_options, fmt_int, plain
from kpps_tui.tui.widgets.lines import InfoBlock
from kpps_tui.tui.widgets.search_input import SearchInput, walk_bindings
from kpps_tui.tui.widgets.virtual_table import Column, VirtualTable
from kpps_tui.tui.widgets.footer import KppsFooter

# The stage in a narrow column; the full word is in the filter and the detail.
SHORT_STAGE = {
    Stage.APPLICANT: N_("Pendaftar"),
    Stage.ELIGIBLE: N_("MS"),
    Stage.NOT_ELIGIBLE: N_("TMS"),
    Stage.APPOINTED: N_("Ditetapkan"),
    Stage.SWORN_IN: N_("Dilantik"),
    Stage.RESIGNED: N_("Mundur"),
    Stage.DISMISSED: N_("Diberhentikan"),
    Stage.DIED: N_("Meninggal"),
}


class ApplicantTable(VirtualTable[ApplicantRow]):
    """The applicants shown, drawn a screen at a time: a province has 48,000 of them."""

    COLUMNS = (
        Column("name", N_("Name"), width=14, weight=3, most=34),
        Column("nik", N_("NIK"), width=16),
        Column("sex", N_("L/P"), width=3),
        Column("age", N_("Age"), width=4),
        Column("desa", N_("Desa"), width=10, weight=1, most=24, needs=100),
        Column("stage", N_("Stage"), width=3, most=13),
        Column("eligibility", N_("Eligibility"), width=8, weight=1, most=24),
    )
    BINDINGS = [bind("enter", "select_cursor", N_("Edit"), id="applicants.open", show=False)]
    MEASURED = 200  # the first screens set the widths: measuring thousands would slow each key

    def __init__(self, reveal: NikReveal, **kwargs) -> None:
        super().__init__(**kwargs)
        self.reveal = reveal
        self.tones = Tones()

    ROW_KEY = attrgetter("person.nik")  # what row_key says, in C

    def row_key(self, row: ApplicantRow) -> str:
        return row.person.nik

    def row_cells(self, row: ApplicantRow) -> dict[str, Text]:
        tones = self.tones
        tone = {"refused": tones.bad, "warnings": tones.warn}.get(row.eligibility, tones.good)
        return {
            "name": plain(row.person.name),
            "nik": plain(self.reveal.show(row.person.nik)),
            "sex": plain(row.person.sex),
            "age": plain(str(row.age)),
            "desa": plain(row.desa),
            "stage": plain(_(SHORT_STAGE[row.stage])),
            "eligibility": plain(row.eligibility_label, tone),
        }

    def content_needs(self, rows: Sequence[ApplicantRow]) -> dict[str, int]:
        """The first MEASURED applicants measured as plain strings (no cell is drawn for it)."""
        first = rows[: self.MEASURED]
        return {
            "name": max((cell_len(r.person.name) for r in first), default=0),
            "nik": 16,
            "sex": 1,
            "age": max((len(str(r.age)) for r in first), default=0),
            "desa": max((cell_len(d) for d in {r.desa for r in first}), default=0),
            "stage": max((cell_len(_(SHORT_STAGE[s])) for s in {r.stage for r in first}), default=0),
            "eligibility": max((cell_len(e) for e in {r.eligibility_label for r in first}), default=0),
        }


class ApplicantSearch(SearchInput):
    """The search box (part of a name or of a NIK); the arrows move in the table."""

    BINDINGS = walk_bindings("applicants.search_", N_("Next person"), N_("Previous person"), pages=False)


class ApplicantsScreen(KppsScreen[None]):
    """The whole applicant pool of the workspace."""
    WRITES = frozenset({"add", "import_file"})  # hidden from a viewer (KppsScreen)

    HELP = N_(
        "Every applicant, by desa and name. Filter by kecamatan, desa, stage, sex and eligibility, or type "
        "part of a name or NIK after /. n adds an applicant, Enter or e edits the highlighted one (with "
        "the papers checklist), m imports applicants from a CSV or XLSX file."
    )

    BINDINGS = [
        bind("n", "add", N_("Add"), id="applicants.add"),
        bind("e", "edit", N_("Edit"), id="applicants.edit"),
        bind("m", "import_file", N_("Import"), id="applicants.import"),
        bind("slash", "focus_search", N_("Search"), id="applicants.search", show=False),
        reveal_binding("applicants"),
        bind("escape", "back", N_("Back"), id="applicants.back"),
    ]
    DEFAULT_CSS = """
    ApplicantsScreen .ap-filters {
        height: 1;
    }
    ApplicantsScreen .ap-filters Select {
        width: 1fr;
        margin-right: 1;
    }
    ApplicantsScreen .ap-filters Input {
        width: 1fr;
    }
    ApplicantsScreen #ap-counts {
        height: 2;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        padding: 0 1;
        background: $boost;
    }
    /* Always three lines (the person, then findings and reasons): the list above keeps its
       height as the cursor moves, and a move lays nothing out again. */
    ApplicantsScreen #ap-detail {
        height: 3;
    }
    """

    def __init__(self, workspace, **kwargs) -> None:
        super().__init__(workspace, **kwargs)
        self.filter = ApplicantFilter()
        self.rows: list[ApplicantRow] = []
        self.shown: Sequence[ApplicantRow] = []
        self.pool = ApplicantPool([], [], b"")  # self.rows with their search texts and tallies
        self.shown_pool = self.pool  # self.shown likewise
        self.reveal = NikReveal(self, lambda _nik: self._redraw_revealed())

    def compose(self) -> ComposeResult:
        ws = self.workspace
        yield Header()
        with Horizontal(classes="ap-filters"):
            yield Select(
                [(ws.region_name(k), k) for k in ws.kecamatan_codes()], prompt=_("All kecamatan"), compact=True, id="ap-kecamatan"
            )
            yield Select(desa_options(self.workspace, None), prompt=_("All desa"), compact=True, id="ap-desa")
            search = ApplicantSearch(placeholder=_("Name, NIK"), compact=True, id="ap-search", typed=self._search_typed)
            search.cursor_blink = self.kpps.cursor_blink
            yield search
        with Horizontal(classes="ap-filters"):
            yield Select([(s.label, s.value) for s in Stage], prompt=_("Any stage"), compact=True, id="ap-stage")
            yield Select([(sex_label("L"), "L"), (sex_label("P"), "P")], prompt=_("Any sex"), compact=True, id="ap-sex")
            yield Select(
                [(_(label), key) for key, label in ELIGIBILITY.items()], prompt=_("Any eligibility"), compact=True, id="ap-elig"
            )
        yield Static(id="ap-counts")
        yield ApplicantTable(self.reveal, id="ap-table", highlighted=self._row_highlighted)
        yield InfoBlock(id="ap-detail")
        yield KppsFooter()

    def on_mount(self) -> None:
        self.title = _("Applicants")
        self.reload()
        self.query_one(ApplicantTable).focus()

    # ---- drawing -----------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        self.rows = applicant_rows(self.workspace)
        self.pool = ApplicantPool.of(self.rows)
        self._redraw(keep)

    def _redraw(self, keep: str | None = None, narrower: bool = False) -> None:
        """`narrower`: the filter only lets fewer through (a character typed further in the
        search): the rows shown are filtered, not the whole pool."""
        self.shown_pool = filter_pool(self.shown_pool if narrower else self.pool, self.filter)
        self.shown = self.shown_pool.rows
        self.query_one(ApplicantTable).set_rows(self.shown, keep=keep, narrower=narrower)
        self._show_counts(Tones())
        self._show_detail()

    def _redraw_revealed(self) -> None:
        """The NIK column and the detail, after a reveal or its end."""
        self.query_one(ApplicantTable).redraw()
        self._show_detail()

    def _show_counts(self, tones: Tones) -> None:
        counts = self.shown_pool.counts()
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        if len(self.shown) != len(self.rows):
            line.append(
                _("{shown} of {total} applicants").format(shown=fmt_int(len(self.shown)), total=fmt_int(len(self.rows))),
                tones.strong,
            )
        else:
            line.append(_("{count} applicants").format(count=fmt_int(len(self.rows))), tones.strong)
        line.append(" · " + _("{count} women").format(count=fmt_int(counts.women)))
        line.append(" · MS " + fmt_int(counts.by_stage.get(Stage.ELIGIBLE, 0)))
        line.append(" · TMS " + fmt_int(counts.by_stage.get(Stage.NOT_ELIGIBLE, 0)))
        refused = counts.by_eligibility.get("refused", 0)
        warned = counts.by_eligibility.get("warnings", 0)
        line.append("\n")
        line.append(_("{count} not eligible").format(count=fmt_int(refused)), tones.bad if refused else "")
        line.append(" · ")
        line.append(_("{count} with warnings").format(count=fmt_int(warned)), tones.warn if warned else "")
        line.append(" · " + _("{count} seated").format(count=fmt_int(counts.seated)))
        self.query_one("#ap-counts", Static).update(line, layout=False)  # always two lines: nothing else moves

    def highlighted(self) -> ApplicantRow | None:
        return self.query_one(ApplicantTable).cursor_data()

    def _show_detail(self) -> None:
        detail = self.query_one("#ap-detail", InfoBlock)
        row = self.highlighted()
        if row is None:
            detail.update(_("No applicant matches. Clear the filters to see everyone, or press n to add one."))
            return
        tones = Tones()
        text = Text(end="")
        text.append(row.person.name, tones.strong)
        text.append(f" · {row.stage.label} · {row.desa}, {row.kecamatan}")
        if row.seat is not None:
            tps = self.workspace.tps.get(row.seat.tps_code)
            where = self.workspace.tps_label(tps) if tps else row.seat.tps_code
            text.append(" · " + _("seat {seat} of {tps}").format(seat=row.seat.seat, tps=where))
        for finding in row.findings:
            text.append("\n")
            text.append(finding.message, tones.bad if finding.is_hard else tones.warn)
        for override in row.overrides:
            text.append("\n")
            text.append(_("Overridden: {reason}").format(reason=override.reason), tones.muted)
        detail.update(text)

    def _row_highlighted(self, row: object = None) -> None:
        row = self.highlighted()
        self.reveal.cursor_on(row.person.nik if row else None)
        self._show_detail()

    # ---- filters -----------------------------------------------------------------------

    def _set_filter(self, **changes) -> None:
        changed = replace(self.filter, **changes)
        if changed != self.filter:
            narrower = changed.narrows(self.filter)
            self.filter = changed
            self._redraw(narrower=narrower)

    @staticmethod
    def _value(event: Select.Changed) -> str | None:
        return chosen(event.value)

    @on(Select.Changed, "#ap-kecamatan")
    def _kecamatan_chosen(self, event: Select.Changed) -> None:
        kecamatan = self._value(event)
        if kecamatan == self.filter.kecamatan:
            return
        self.query_one("#ap-desa", Select).set_options(desa_options(self.workspace, kecamatan))
        self._set_filter(kecamatan=kecamatan, desa=None)

    @on(Select.Changed, "#ap-desa")
    def _desa_chosen(self, event: Select.Changed) -> None:
        self._set_filter(desa=self._value(event))

    @on(Select.Changed, "#ap-stage")
    def _stage_chosen(self, event: Select.Changed) -> None:
        value = self._value(event)
        self._set_filter(stage=Stage(value) if value else None)

    @on(Select.Changed, "#ap-sex")
    def _sex_chosen(self, event: Select.Changed) -> None:
        self._set_filter(sex=self._value(event))

    @on(Select.Changed, "#ap-elig")
    def _eligibility_chosen(self, event: Select.Changed) -> None:
        self._set_filter(eligibility=self._value(event))

    def _search_typed(self, text: str) -> None:
        self._set_filter(text=text)

    @on(Input.Submitted, "#ap-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.query_one(ApplicantTable).focus()

    def action_focus_search(self) -> None:
        self.query_one(ApplicantSearch).focus_now()

    def action_table_cursor(self, direction: str) -> None:
        getattr(self.query_one(ApplicantTable), f"action_cursor_{direction}")()

    def action_reveal_nik(self) -> None:
        row = self.highlighted()
        self.reveal.reveal(row.person.nik if row else None)

    # ---- changing ----------------------------------------------------------------------

    def action_add(self) -> None:
        self.app.push_screen(ApplicantForm(self.workspace), callback=self._saved)

    def action_edit(self) -> None:
        row = self.highlighted()
        if row is None:
            self.app.bell()
            return
        self.app.push_screen(ApplicantForm(self.workspace, row.person.nik), callback=self._saved)

    @on(VirtualTable.RowSelected, "#ap-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.action_edit()

    def _saved(self, nik: str | None) -> None:
        self.reload(keep=nik)

    def action_import_file(self) -> None:
        self.app.push_screen(ImportPreview(self.workspace), callback=lambda _done: self.reload())

    def action_back(self) -> None:
        self.dismiss(None)
