"""Adding or editing one applicant: the fields, the NIK checked while typed, the papers."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static

from kpps_tui.domain.applicants import (
    EDUCATION_LEVELS,
    HEALTH_CHECK_LABELS,
    REQUIRED_DOCUMENTS,
    Document,
    HealthCertificate,
    sex_label,
)
from kpps_tui.domain.dates import read_date
from kpps_tui.domain.model import Person
from kpps_tui.domain.tax import TAX_STATUSES
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services.applicants import (
    NikCheck,
    add_applicant,
    check_nik,
    papers_of,
    set_document,
    set_health,
    update_applicant,
)
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.base import KppsModal
from kpps_tui.tui.screens.dialogs import ConfirmModal
from kpps_tui.tui.text import Tones
from kpps_tui.tui.widgets.tick_box import TickBox
from kpps_tui.tui.widgets.footer import KppsFooter

# (field key, label) of the text boxes, in the order shown
TEXT_FIELDS = (
    ("name", N_("Name")),
    ("birth_place", N_("Place of birth")),
    ("birth_date", N_("Date of birth")),
    ("address", N_("Address")),
    ("rt", N_("RT")),
    ("rw", N_("RW")),
    ("phone", N_("Phone")),
    ("earlier_service", N_("Earlier KPPS service")),
    ("notes", N_("Notes")),
)


class FieldProblem(KppsError):
    """A sentence about one box of the form: `field` is the box's key (its id without "af-")."""

    def __init__(self, field: str, error: KppsError) -> None:
        super().__init__(error.template, **error.params)
        self.field = field


def field_of_error(error: KppsError) -> str | None:
    """The box a sentence of the applicant services is about, when it names one."""
    named = str(error.params.get("field", "")).lower()
    if named:
        return named
    template = error.template
    for words, key in (
        ("NIK is empty", "nik"),
        ("name of NIK", "name"),
        ("is not a sex", "sex"),
        ("the sex given", "sex"),
        ("the date given", "birth_date"),
        ("desa/kelurahan", "desa"),
        ("phone number", "phone"),
        ("education level", "education"),
        ("tax", "tax"),
    ):
        if words in template:
            return key
    return None


class ApplicantForm(KppsModal[str | None]):
    """Dismisses with the NIK of the saved applicant, or None when cancelled."""

    HELP = N_(
        "The NIK is checked while you type: 16 digits, a known province, a real date of birth (women "
        "add 40 to the day) and a serial that is not 0000. Sex and date of birth are read from it; a "
        "different one typed is shown and refused. A NIK already in the workspace is refused: Ctrl+O "
        "opens that applicant. Tick each paper received, with the day. Ctrl+S saves, Escape cancels."
    )
    BINDINGS = [
        *KppsModal.BINDINGS,
        bind("ctrl+s", "save", N_("Save"), id="applicant_form.save"),
        bind("ctrl+o", "open_existing", N_("Open the existing applicant"), id="applicant_form.open_existing"),
        bind("escape", "cancel", N_("Cancel"), id="applicant_form.cancel"),
    ]
    DEFAULT_CSS = """
    ApplicantForm {
        align: center middle;
    }
    ApplicantForm > VerticalScroll {
        width: 78;
        max-width: 100%;
        height: 1fr;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    ApplicantForm .af-row {
        height: 1;
    }
    ApplicantForm .af-row Label {
        width: 22;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ApplicantForm .af-row Input, ApplicantForm .af-row Select {
        width: 1fr;
    }
    ApplicantForm .af-row Checkbox {
        width: 40;
    }
    ApplicantForm #af-nik-check, ApplicantForm #af-error {
        height: auto;
    }
    ApplicantForm .af-heading {
        text-style: bold;
        margin-top: 1;
    }
    /* The box being typed in shows by its label in reverse, in colour or not (NO_COLOR). */
    ApplicantForm .af-row.-focused > Label {
        text-style: reverse bold;
        color: $text;
    }
    ApplicantForm .af-problem {
        height: auto;
        padding-left: 22;
        text-style: bold;
    }
    ApplicantForm #af-error {
        padding-left: 0;
    }
    """

    def __init__(self, workspace, nik: str | None = None) -> None:
        super().__init__(workspace)
        self.nik = nik  # the applicant being edited, None for a new one
        self.check: NikCheck | None = None

    @property
    def person(self) -> Person | None:
        return self.workspace.people.get(self.nik) if self.nik else None

    # ---- building ----------------------------------------------------------------------

    def _row(self, label: str, widget) -> Horizontal:
        return Horizontal(Label(Text(label)), widget, classes="af-row")

    def _box(self, key: str, value: str) -> Input:
        box = Input(value, compact=True, id=f"af-{key}")
        box.cursor_blink = self.kpps.cursor_blink
        return box

    def compose(self) -> ComposeResult:
        ws = self.workspace
        person = self.person
        with VerticalScroll():
            title = _("Edit applicant {name}").format(name=person.name) if person else _("New applicant")
            yield Static(Text(title, style="bold"), id="af-title")
            yield Static("", id="af-error", classes="af-problem")
            nik = self._box("nik", person.nik if person else "")
            nik.disabled = person is not None  # a NIK cannot be changed
            yield self._row(_("NIK"), nik)
            yield Static("", id="af-nik-check")
            values = self._values_of(person)
            for key, label in TEXT_FIELDS[:1]:
                yield self._row(_(label), self._box(key, values[key]))
            yield self._row(
                _("Sex"),
                Select([(sex_label("L"), "L"), (sex_label("P"), "P")], value=values["sex"] or Select.NULL,
                       prompt=_("From the NIK"), compact=True, id="af-sex"),
            )
            for key, label in TEXT_FIELDS[1:]:
                box = self._box(key, values[key])
                if key == "birth_date":
                    box.placeholder = _("day/month/year, or from the NIK")
                yield self._row(_(label), box)
            desa = [(f"{ws.region_name(d)} ({ws.region_name(d.rsplit('.', 1)[0])})", d) for d in ws.desa_codes()]
            desa.sort(key=lambda o: o[0].casefold())
            yield self._row(
                _("Desa of domicile"),
                Select(desa, value=values["desa"] or Select.NULL, prompt=_("Choose a desa"), compact=True, id="af-desa"),
            )
            yield self._row(
                _("Education"),
                Select([(e, e) for e in self._education_levels(person)], value=values["education"] or Select.NULL,
                       prompt=_("Not known"), compact=True, id="af-education"),
            )
            yield self._row(
                _("Tax status (PPh 21)"),
                Select([(t.label, t.code) for t in TAX_STATUSES], value=values["tax"] or Select.NULL,
                       prompt=_("not recorded"), compact=True, id="af-tax"),
            )
            health = person.health if person else None
            yield Static(Text(_("Health certificate")), classes="af-heading")
            yield self._row(_("Issued by"), self._box("health-issuer", health.issuer if health else ""))
            issued = self._box("health-date", health.issued_on.isoformat() if health and health.issued_on else "")
            issued.placeholder = _("day/month/year")
            yield self._row(_("Issued on"), issued)
            for code, label in HEALTH_CHECK_LABELS.items():
                normal = getattr(health, code) if health else True
                check = TickBox(_("{check} normal").format(check=_(label)), normal, compact=True, id=f"af-health-{code}")
                yield Horizontal(check, classes="af-row")
            yield Static(Text(_("Papers received")), classes="af-heading")
            for doc, received, on, editable in self._papers(person):
                paper = TickBox(doc.label, received, compact=True, id=f"af-doc-{doc.value}", disabled=not editable)
                day = self._box(f"day-{doc.value}", on.isoformat() if on else "")
                day.placeholder = _("day received")
                day.disabled = not editable
                yield Horizontal(paper, day, classes="af-row")
            yield Static(Text(_("Ctrl+S saves, Escape cancels."), style="dim"))
        yield KppsFooter()

    @staticmethod
    def _values_of(person: Person | None) -> dict[str, str]:
        if person is None:
            return {key: "" for key, _label in TEXT_FIELDS} | {"sex": "", "desa": "", "education": "", "tax": ""}
        return {
            "name": person.name,
            "birth_place": person.birth_place,
            "birth_date": person.birth_date.isoformat() if person.birth_date else "",
            "address": person.address,
            "rt": person.rt,
            "rw": person.rw,
            "phone": person.phone,
            "earlier_service": person.earlier_service,
            "notes": person.notes,
            "sex": person.sex,
            "desa": person.desa_code,
            "education": person.education,
            "tax": person.tax.code if person.tax else "",
        }

    @staticmethod
    def _education_levels(person: Person | None) -> list[str]:
        """The levels to choose from; an older wording already on file stays choosable."""
        levels = list(EDUCATION_LEVELS)
        if person is not None and person.education and person.education not in levels:
            levels.append(person.education)
        return levels

    @staticmethod
    def _papers(person: Person | None) -> list[tuple[Document, bool, date | None, bool]]:
        if person is None:
            return [(doc, False, None, True) for doc in REQUIRED_DOCUMENTS]
        return [(p.document, p.received, p.on, p.editable) for p in papers_of(person)]

    def on_mount(self) -> None:
        self.title = _("Applicant")
        first = "#af-name" if self.nik else "#af-nik"
        self.query_one(first, Input).focus()
        self._check_nik()
        self.query_one("#af-error").display = False
        self._as_opened = self._form_state()

    def on_descendant_focus(self, event) -> None:
        """Mark the row of the box being typed in (its label turns to reverse)."""
        for row in self.query(".af-row.-focused"):
            row.remove_class("-focused")
        parent = event.widget.parent
        if parent is not None and parent.has_class("af-row"):
            parent.add_class("-focused")

    def _form_state(self) -> dict[str, object]:
        """What every box holds now, to tell whether anything was typed since the form opened."""
        state: dict[str, object] = {}
        for widget in self.query("Input, Select, Checkbox"):
            if widget.id:
                state[widget.id] = getattr(widget, "value", None)
        return state

    # ---- the NIK, as typed -------------------------------------------------------------

    def _typed(self, key: str) -> str:
        widget = self.query_one(f"#af-{key}")
        if isinstance(widget, Select):
            return "" if widget.value == Select.NULL else str(widget.value)
        return self.query_one(f"#af-{key}", Input).value.strip()

    def _check_nik(self) -> None:
        text = self._typed("nik")
        sex = self._typed("sex") or None
        try:
            born = read_date(self._typed("birth_date")) if self._typed("birth_date") else None
        except KppsError:
            born = None
        self.check = check_nik(self.workspace, text, sex, born, editing=self.nik)
        tones = Tones()
        bad = bool(self.check.error or self.check.existing or self.check.mismatches)
        style = tones.bad if bad else tones.muted if self.check.info is None else tones.good
        self.query_one("#af-nik-check", Static).update(Text(self.check.message, style=style))

    @on(Input.Changed, "#af-nik")
    @on(Input.Changed, "#af-birth_date")
    @on(Select.Changed, "#af-sex")
    def _nik_related_changed(self, event) -> None:
        self._check_nik()

    @on(Input.Submitted)
    def _next_box(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    async def action_open_existing(self) -> None:
        existing = self.check.existing if self.check else None
        if existing is None:
            self.app.bell()
            return
        self.nik = existing.nik
        await self.recompose()
        self.on_mount()

    # ---- saving ------------------------------------------------------------------------

    def _fields(self) -> dict[str, object]:
        fields: dict[str, object] = {}
        if self.nik is None:
            fields["nik"] = self._typed("nik").replace(" ", "")
        for key, _label in TEXT_FIELDS:
            value = self._typed(key)
            if value or self.nik is not None:
                fields[key] = value
        for key in ("sex", "desa", "education", "tax"):
            value = self._typed(key)
            if value or (self.nik is not None and key in ("education", "tax")):
                fields[key] = value
        if fields.get("birth_date"):
            fields["birth_date"] = self._date_in("birth_date")
        elif "birth_date" in fields:
            del fields["birth_date"]  # read from the NIK
        return fields

    def _papers_typed(self) -> list[tuple[Document, bool, date | None]]:
        found = []
        for doc, _received, _on, editable in self._papers(self.person):
            if not editable:
                continue
            ticked = self.query_one(f"#af-doc-{doc.value}", Checkbox).value
            text = self._typed(f"day-{doc.value}")
            found.append((doc, ticked, self._date_in(f"day-{doc.value}") if ticked and text else None))
        return found

    def _health_typed(self) -> HealthCertificate | None:
        """The certificate as filled in; None when no issuer is named (no certificate)."""
        issuer = self._typed("health-issuer")
        if not issuer:
            return None
        day = self._typed("health-date")
        checks = {code: self.query_one(f"#af-health-{code}", Checkbox).value for code in HEALTH_CHECK_LABELS}
        return HealthCertificate(self._date_in("health-date") if day else None, issuer, **checks)

    def _date_in(self, key: str) -> date:
        try:
            return read_date(self._typed(key))
        except KppsError as exc:
            raise FieldProblem(key, exc) from exc

    def _required(self) -> None:
        """The boxes a new applicant cannot be saved without, top to bottom."""
        if self.nik is None and self.check is not None and not self.check.ok:
            if self.check.message:
                raise FieldProblem("nik", KppsError("{sentence}", sentence=self.check.message))
            raise FieldProblem("nik", KppsError(N_("Type the NIK: 16 digits.")))
        if self.check is not None and self.check.mismatches:
            sex_only = check_nik(self.workspace, self._typed("nik"), self._typed("sex") or None, None, editing=self.nik)
            key = "sex" if sex_only.mismatches else "birth_date"
            raise FieldProblem(key, KppsError("{sentence}", sentence=" ".join(self.check.mismatches)))
        if not self._typed("name"):
            raise FieldProblem("name", KppsError(N_("Type the name.")))
        if self.nik is None and not self._typed("desa"):
            raise FieldProblem("desa", KppsError(N_("Choose the desa of domicile.")))

    def say(self, sentence: str, field: str | None = None) -> None:
        """The sentence where the user looks: under the box it is about (focused, scrolled into
        view), else under the form's title."""
        for old in self.query(".af-problem"):
            if old.id != "af-error":
                old.remove()
        error = self.query_one("#af-error", Static)
        text = Text(sentence, style=Tones().bad)
        target: Widget | None = None
        if field is not None:
            found = self.query(f"#af-{field}")
            target = found.first() if found else None
        if target is None or field == "nik":
            error.update(text)
            error.display = field != "nik"  # the NIK's own line under it says it already
            if field == "nik":
                self._check_nik()
                if self.check is None or not self.check.message:  # an empty box says nothing itself
                    self.query_one("#af-nik-check", Static).update(text)
            if target is not None:
                target.focus()
            self.query_one(VerticalScroll).scroll_home(animate=False)
            return
        error.display = False
        row = target.parent if isinstance(target.parent, Horizontal) and target.parent.has_class("af-row") else target
        problem = Static(text, classes="af-problem")
        self.query_one(VerticalScroll).mount(problem, after=row)
        target.focus()
        self.call_after_refresh(problem.scroll_visible, animate=False)

    def action_save(self) -> None:
        ws = self.workspace
        try:
            self._required()
            fields = self._fields()
            papers = self._papers_typed()
            health = self._health_typed()
            if self.nik is None:
                person = add_applicant(ws, fields)
            else:
                person = update_applicant(ws, self.nik, fields)
            if health != person.health:
                person = set_health(ws, person.nik, health)
            for doc, received, on in papers:
                if person.documents.has(doc) != received or (received and on and person.documents.received_on(doc) != on):
                    person = set_document(ws, person.nik, doc, received, on)
        except FieldProblem as exc:
            self.say(str(exc), exc.field)
            return
        except KppsError as exc:
            self.say(str(exc), field_of_error(exc))
            return
        except OSError as exc:
            self.say(_("The change could not be saved: {error}").format(error=exc.strerror or exc))
            return
        self.notify(_("Saved {name}.").format(name=person.name), markup=False)
        self.dismiss(person.nik)

    def action_cancel(self) -> None:
        if self._form_state() == self._as_opened:
            self.dismiss(None)
            return

        def answered(discard: bool | str | None) -> None:
            if discard is True:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal(
                _("Discard what was typed?"),
                _("The changes in this form are not saved. Enter discards them; Escape goes back to the form."),
                _("Discard"),
                _("Back to the form"),
            ),
            answered,
        )
