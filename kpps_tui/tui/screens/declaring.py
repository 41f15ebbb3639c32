"""Changing neutrality declarations from a screen: one place for the keys and what they do.

The declarations screen and the TPS screen both mix in `DeclarationActions` and add
`declaration_bindings(...)` to their BINDINGS. The screen says whom the keys act on
(`declaration_targets`) and redraws in `after_declaration`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text

from kpps_tui import clock
from kpps_tui.domain.dates import DateError, parse_date
from kpps_tui.domain.declarations import DeclKind, DeclState, PartyLetter, first_step, state_change_refusal
from kpps_tui.domain.model import Person
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services import declarations
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.dialogs import Field, FormPrompt, ReportModal, ask_reason
from kpps_tui.tui.text import Tones, fmt_date, fmt_int

if TYPE_CHECKING:  # what the screens this is mixed into provide (notify, app, workspace, kpps)
    from kpps_tui.tui.screens.base import KppsScreen

    _Screen = KppsScreen[Any]
else:
    _Screen = object

# Short words for a narrow column (the TPS screen at 80 columns); the full word is DeclState.label.
_SHORT_STATES = {
    DeclState.NOT_HANDED_IN: N_("Not in"),
    DeclState.HANDED_IN: N_("Handed in"),
    DeclState.VERIFIED: N_("Verif."),
    DeclState.REJECTED: N_("Rejected"),
}

# The order of the counts and of the state filter: the work still to do first.
STATE_ORDER = (DeclState.NOT_HANDED_IN, DeclState.HANDED_IN, DeclState.REJECTED, DeclState.VERIFIED)

SIPOL_WORD = "SIPOL"  # the system's name: the same in every language


# The key that moves a declaration to each state (declaration_bindings), for "press h first".
STATE_KEYS = {
    DeclState.HANDED_IN: "h",
    DeclState.VERIFIED: "v",
    DeclState.REJECTED: "x",
    DeclState.NOT_HANDED_IN: "b",
}


def short_state(state: DeclState) -> str:
    return _(_SHORT_STATES[state])


def state_tone(state: DeclState, tones: Tones) -> Style:
    """Colour repeats the word: verified green, rejected red, handed in yellow, not in plain."""
    return {
        DeclState.VERIFIED: tones.good,
        DeclState.REJECTED: tones.bad,
        DeclState.HANDED_IN: tones.warn,
        DeclState.NOT_HANDED_IN: Style(),
    }[state]


def declaration_bindings(place: str, *, show: bool = True) -> list:
    """The keys that change the declaration of the person (or people) a screen points at."""
    return [
        bind("h", "declare('diserahkan')", N_("Handed in"), id=f"{place}.decl_handed_in", show=show),
        bind("v", "declare('terverifikasi')", N_("Verify"), id=f"{place}.decl_verify", show=show),
        bind("x", "declare('ditolak')", N_("Reject"), id=f"{place}.decl_reject", show=show),
        bind("b", "declare('belum')", N_("Not handed in"), id=f"{place}.decl_not_in", show=False),
        bind("c", "clear_sipol", N_("Clear the SIPOL flag"), id=f"{place}.clear_sipol", show=False),
        bind("f", "party_letter", N_("Party letter (former member)"), id=f"{place}.party_letter", show=False),
    ]


def describe_declaration(person: Person, kind: DeclKind, tones: Tones) -> Text:
    """'Surat Pernyataan: Handed in 12-11-2024' with who decided and why, in one line."""
    decl = person.neutrality.declaration(kind)
    text = Text(end="")
    text.append(f"{kind.label}: ")
    text.append(decl.state.label, state_tone(decl.state, tones) + tones.strong)
    if decl.state is DeclState.HANDED_IN and decl.received_on:
        text.append(" " + fmt_date(decl.received_on))
    if decl.state in (DeclState.VERIFIED, DeclState.REJECTED) and decl.decided_on:
        text.append(" " + _("{date} by {user}").format(date=fmt_date(decl.decided_on), user=decl.decided_by or "?"))
    if decl.reason:
        text.append(" · " + _("reason: {reason}").format(reason=decl.reason))
    return text


def describe_neutrality(person: Person, tones: Tones) -> Text:
    """The SIPOL flag and the party letter, when there is something to say; else empty."""
    neutrality = person.neutrality
    text = Text(end="")
    flag = neutrality.sipol
    if flag is not None and flag.active:
        party = f" ({flag.party})" if flag.party else ""
        text.append(SIPOL_WORD, tones.bad + tones.strong)
        text.append(" " + _("listed{party} on {list}; c clears the flag with a reason.").format(party=party, list=flag.list_name))
    elif flag is not None:
        text.append(_("SIPOL flag cleared by {user}: {reason}").format(user=flag.cleared_by, reason=flag.cleared_reason))
    if neutrality.former_party_member:
        if text.plain:
            text.append(" · ")
        letter = neutrality.party_letter
        if letter is None:
            text.append(_("Former party member: no party letter yet (f records it)."), tones.warn)
        else:
            text.append(
                _("Former party member: letter from {party} dated {date}.").format(party=letter.party, date=fmt_date(letter.dated))
            )
    return text


class DeclarationActions(_Screen):
    """Mixin for a screen: h, v, x, b change the declaration state; c clears a SIPOL flag;
    f records a former member's party letter."""

    declaration_kind: DeclKind = DeclKind.STATEMENT

    # ---- what the screen provides ------------------------------------------------------

    def declaration_targets(self) -> list[Person]:
        """The people the keys act on: the ones marked, else the highlighted one."""
        return []

    def after_declaration(self, changed: list[str], walk: bool = True) -> None:
        """Redraw once the NIKs in `changed` were changed (and saved). `walk`: a state changed,
        so a list may move on to the next person (not after a flag or a letter: verifying comes next)."""

    # ---- actions -----------------------------------------------------------------------

    def _targets_or_say(self) -> list[Person]:
        people = self.declaration_targets()
        if not people:
            self.notify(_("Nobody is chosen: move the cursor to a person first."), severity="warning", markup=False)
        return people

    def action_declare(self, state_value: str) -> None:
        state = DeclState(state_value)
        people = self._targets_or_say()
        if not people:
            return
        kind = self.declaration_kind
        # Checked before a reason is asked for: nobody types one for a change that is refused.
        refused = {p.nik: sentence for p in people if (sentence := self._refusal_with_key(p, state))}
        if len(refused) == len(people):
            self._say_refused(people, refused, state)
            return
        if state is DeclState.REJECTED:
            able = [p for p in people if p.nik not in refused]
            if len(able) == 1:
                sentence = _("Reject the {kind} of {name}.").format(kind=kind.label, name=able[0].name)
            else:
                sentence = _("Reject the {kind} of {count} people.").format(kind=kind.label, count=fmt_int(len(able)))
            if refused:
                sentence += " " + _("{count} others cannot be rejected now; they are listed afterwards.").format(
                    count=fmt_int(len(refused))
                )

            def chosen(values: dict[str, str] | None) -> None:
                if values is not None:
                    self._set_state(people, state, values["reason"])

            self.app.push_screen(ask_reason(_("Reject"), sentence), callback=chosen)
            return
        self._set_state(people, state, "")

    def _refusal_with_key(self, person: Person, state: DeclState) -> str | None:
        """Why `person`'s declaration may not go to `state` now, with the key that comes first."""
        kind = self.declaration_kind
        refusal = state_change_refusal(person.neutrality, kind, state, person.name)
        if refusal is None:
            return None
        first = first_step(person.neutrality.declaration(kind).state, state)
        if first is None:
            return str(refusal)
        return str(refusal) + " " + _("Press {key} first.").format(key=STATE_KEYS[first])

    def _say_refused(self, people: list[Person], refused: dict[str, str], state: DeclState) -> None:
        if len(people) == 1:
            self.notify(refused[people[0].nik], title=_("Not changed"), severity="error", markup=False, timeout=10)
            return
        summary = _("{kind}: none of the {count} can be changed to {state} now.").format(
            kind=self.declaration_kind.label, count=fmt_int(len(people)), state=state.label
        )
        lines = [refused[p.nik] for p in people]
        self.app.push_screen(ReportModal(_("{count} not changed").format(count=fmt_int(len(people))), summary, lines))

    def _set_state(self, people: list[Person], state: DeclState, reason: str) -> None:
        ws = self.workspace
        kind = self.declaration_kind
        if len(people) == 1:
            person = people[0]
            ok, _changed = self.kpps.run_service(declarations.set_state, ws, person.nik, state, kind, reason)
            if ok:
                self.notify(
                    _("{name}: {kind} is now {state}.").format(name=person.name, kind=kind.label, state=state.label),
                    markup=False,
                )
            self.after_declaration([person.nik] if ok else [])
            return
        ok, result = self.kpps.run_service(
            declarations.set_state_many, ws, [p.nik for p in people], state, kind, reason
        )
        if not ok or result is None:
            self.after_declaration([])
            return
        summary = _("{kind}: {changed} of {count} changed to {state}.").format(
            kind=kind.label, changed=fmt_int(len(result.changed)), count=fmt_int(len(people)), state=state.label
        )
        if result.refused:
            lines = [
                _("{name}: not changed. {reason}").format(name=person.name, reason=reason)
                for person, reason in result.refused
            ]
            title = _("{count} not changed").format(count=fmt_int(len(result.refused)))
            self.app.push_screen(ReportModal(title, summary, lines))
        else:
            self.notify(summary, markup=False)
        self.after_declaration([p.nik for p in result.changed])

    def action_clear_sipol(self) -> None:
        people = self._targets_or_say()
        if not people:
            return
        if len(people) > 1:
            self.notify(
                _("A SIPOL flag is cleared one person at a time, each with its evidence."), severity="warning", markup=False
            )
            return
        person = people[0]
        if not person.neutrality.sipol_listed:
            message = str(KppsError(N_("{name} has no SIPOL flag to clear."), name=person.name))
            self.notify(message, markup=False)
            return
        flag = person.neutrality.sipol
        sentence = _(
            "{name} is listed in SIPOL ({list}). Say why the flag is cleared and note the evidence, "
            "e.g. listed without consent, party letter of resignation."
        ).format(name=person.name, list=(flag.list_name if flag else "") or "-")

        def chosen(values: dict[str, str] | None) -> None:
            if values is None:
                return
            ok, _person = self.kpps.run_service(declarations.clear_sipol_flag, self.workspace, person.nik, values["reason"])
            if ok:
                self.notify(_("SIPOL flag of {name} cleared.").format(name=person.name), markup=False)
            self.after_declaration([person.nik] if ok else [], walk=False)

        self.app.push_screen(ask_reason(_("Clear the SIPOL flag"), sentence), callback=chosen)

    def action_party_letter(self) -> None:
        people = self._targets_or_say()
        if not people:
            return
        if len(people) > 1:
            self.notify(_("A party letter is recorded for one person at a time."), severity="warning", markup=False)
            return
        person = people[0]
        letter = person.neutrality.party_letter
        sentence = _(
            "{name} was a member of a political party and has been out for at least 5 years: "
            "record the party's letter that says so."
        ).format(name=person.name)

        def check(values: dict[str, str]) -> str | None:
            try:
                dated = parse_date(values["dated"])
            except DateError as exc:
                return str(exc)
            if dated > clock.today():
                return _("The letter's date is in the future.")
            return None

        def chosen(values: dict[str, str] | None) -> None:
            if values is None:
                return
            new = PartyLetter(values["party"], parse_date(values["dated"]))
            ok, _person = self.kpps.run_service(declarations.set_former_party_member, self.workspace, person.nik, True, new)
            if ok:
                self.notify(_("Party letter of {name} recorded.").format(name=person.name), markup=False)
            self.after_declaration([person.nik] if ok else [], walk=False)

        fields = [
            Field("party", _("Party"), letter.party if letter else ""),
            Field("dated", _("Date of the letter"), fmt_date(letter.dated) if letter else "", placeholder="27-11-2019"),
        ]
        form = FormPrompt(_("Party letter (former member)"), sentence, fields, required=["party", "dated"], validate=check)
        self.app.push_screen(form, callback=chosen)
