"""Neutrality declarations: every state change, refusals, bulk changes, SIPOL lists."""

from datetime import date

import pytest

from kpps_tui.domain.declarations import (
    DeclarationRefused,
    DeclKind,
    DeclState,
    Neutrality,
    PartyLetter,
    change_state,
)
from kpps_tui.i18n import set_language
from kpps_tui.services import assignments
from kpps_tui.services import declarations as decl
from kpps_tui.services.browse import candidates
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store.workspace import Workspace

DAY = date(2024, 10, 10)


@pytest.fixture
def ws(tmp_path):
    set_language("en")
    return init_from_sample(tmp_path / "ws", "demo")


def officer_in(ws, state):
    return next(o.person for o in decl.officers(ws) if o.state is state and not o.person.neutrality.former_party_member)


def reread(ws, nik):
    return Workspace.open(ws.root).people[nik]


def test_the_normal_path_hand_in_then_verify_is_stored_with_history(ws):
    nik = officer_in(ws, DeclState.NOT_HANDED_IN).nik
    decl.set_state(ws, nik, DeclState.HANDED_IN, on=DAY)
    decl.set_state(ws, nik, DeclState.VERIFIED, on=DAY)
    person = reread(ws, nik)
    statement = person.neutrality.statement
    assert (statement.state, statement.received_on, statement.decided_by) == (DeclState.VERIFIED, DAY, ws.user)
    assert [(h["from"], h["to"]) for h in person.history[-2:]] == [("belum", "diserahkan"), ("diserahkan", "terverifikasi")]


def test_rejection_needs_a_reason_and_can_be_handed_in_again(ws):
    nik = officer_in(ws, DeclState.HANDED_IN).nik
    with pytest.raises(DeclarationRefused, match="why"):
        decl.set_state(ws, nik, DeclState.REJECTED)
    decl.set_state(ws, nik, DeclState.REJECTED, reason="Belum bermaterai")
    assert reread(ws, nik).neutrality.statement.reason == "Belum bermaterai"
    decl.set_state(ws, nik, DeclState.HANDED_IN)
    assert reread(ws, nik).neutrality.statement.state is DeclState.HANDED_IN


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (DeclState.NOT_HANDED_IN, DeclState.VERIFIED),
        (DeclState.NOT_HANDED_IN, DeclState.REJECTED),
        (DeclState.REJECTED, DeclState.VERIFIED),
        (DeclState.VERIFIED, DeclState.VERIFIED),
    ],
)
def test_skipping_a_step_is_refused_and_changes_nothing(ws, start, to):
    person = officer_in(ws, start)
    with pytest.raises(DeclarationRefused):
        decl.set_state(ws, person.nik, to, reason="x")
    assert reread(ws, person.nik).neutrality == person.neutrality


def test_the_integrity_pact_is_tracked_on_its_own(ws):
    person = officer_in(ws, DeclState.VERIFIED)
    pact_before = person.neutrality.integrity_pact.state
    target = DeclState.HANDED_IN if pact_before is not DeclState.HANDED_IN else DeclState.VERIFIED
    decl.set_state(ws, person.nik, target, kind=DeclKind.INTEGRITY_PACT)
    after = reread(ws, person.nik).neutrality
    assert after.integrity_pact.state is target and after.statement.state is DeclState.VERIFIED


def test_a_former_member_needs_the_party_letter_before_verification():
    start = Neutrality(former_party_member=True)
    handed = change_state(start, DeclKind.STATEMENT, DeclState.HANDED_IN, name="A", on=DAY, by="k")
    with pytest.raises(DeclarationRefused, match="letter"):
        change_state(handed, DeclKind.STATEMENT, DeclState.VERIFIED, name="A", on=DAY, by="k")
    with_letter = Neutrality(former_party_member=True, party_letter=PartyLetter("Partai X", date(2018, 1, 1)))
    handed = change_state(with_letter, DeclKind.STATEMENT, DeclState.HANDED_IN, name="A", on=DAY, by="k")
    assert change_state(handed, DeclKind.STATEMENT, DeclState.VERIFIED, name="A", on=DAY, by="k").statement.state is DeclState.VERIFIED


def test_bulk_change_of_a_tps_changes_who_may_and_lists_who_may_not(ws):
    tps = next(t for t in ws.tps.values() if t.filled == 7 and len({ws.people[s.nik].neutrality.statement.state for s in t.seats.values()}) > 1)
    niks = decl.officers_of_tps(ws, tps.code)
    may = [n for n in niks if ws.people[n].neutrality.statement.state is DeclState.HANDED_IN and not ws.people[n].neutrality.former_party_member]
    result = decl.set_state_many(ws, niks, DeclState.VERIFIED)
    assert {p.nik for p in result.changed} >= set(may)
    assert len(result.changed) + len(result.refused) == 7
    assert all(reason for _, reason in result.refused)
    fresh = Workspace.open(ws.root)
    assert all(fresh.people[p.nik].neutrality.statement.state is DeclState.VERIFIED for p in result.changed)


def test_sipol_import_flags_blocks_and_a_newer_list_clears(ws):
    officer = officer_in(ws, DeclState.HANDED_IN)
    applicant = next(c.person for t in ws.tps.values() if t.filled < 7 for c in candidates(ws, t) if c.eligible)
    first = decl.import_sipol(ws, {officer.nik: "Partai X", applicant.nik: "", "6201010101900999": "Partai Y"}, "SIPOL 1")
    assert {p.nik for p in first.flagged} == {officer.nik, applicant.nik}
    assert first.unknown == ["6201010101900999"]
    with pytest.raises(DeclarationRefused, match="SIPOL"):
        decl.set_state(ws, officer.nik, DeclState.VERIFIED)
    free = next(t for t in ws.tps.values() if t.filled < 7)
    seat = next(n for n in range(1, 8) if n not in free.seats)
    with pytest.raises(assignments.Refused, match="SIPOL"):
        assignments.assign(ws, free.code, seat, applicant.nik)
    again = decl.import_sipol(ws, {officer.nik: "Partai X"}, "SIPOL 2")
    assert [p.nik for p in again.still_listed if p.nik == officer.nik] == [officer.nik]
    assert [p.nik for p in again.dropped] == [applicant.nik]
    assert not reread(ws, applicant.nik).neutrality.sipol_listed
    assert reread(ws, officer.nik).neutrality.sipol_listed


def test_clearing_a_flag_needs_a_reason_and_then_verification_goes_through(ws):
    officer = officer_in(ws, DeclState.HANDED_IN)
    decl.import_sipol(ws, {officer.nik: "Partai X"}, "SIPOL 1")
    with pytest.raises(Exception, match="why"):
        decl.clear_sipol_flag(ws, officer.nik, "  ")
    decl.clear_sipol_flag(ws, officer.nik, "Listed without consent; letter from the party on file")
    decl.set_state(ws, officer.nik, DeclState.VERIFIED)
    again = decl.import_sipol(ws, {officer.nik: "Partai X"}, "SIPOL 2")
    assert officer.nik in [p.nik for p in again.still_listed]
    assert not reread(ws, officer.nik).neutrality.sipol_listed  # a cleared flag stays cleared


def test_only_verified_officers_may_get_a_card(ws):
    assert decl.card_refusal(ws, officer_in(ws, DeclState.VERIFIED).nik) is None
    assert "Not handed in" in decl.card_refusal(ws, officer_in(ws, DeclState.NOT_HANDED_IN).nik)


def test_counts_per_kecamatan_add_up_to_the_seated_officers(ws):
    counts = decl.counts_by(ws, "kecamatan")
    assert set(counts) == set(ws.kecamatan_codes())
    assert sum(sum(c.values()) for c in counts.values()) == len(ws.placements)
    assert all(len(c) >= 1 for c in counts.values())
