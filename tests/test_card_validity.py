"""The ID cards' validity period: an election setting, shown as it is, and no new card after it.

The sample's election (Pilkada 2024, voting day 27 Nov) gives 7 Nov to 8 Dec 2024.
"""

from __future__ import annotations

from datetime import date

import pytest

from kpps_tui.services import cards
from kpps_tui.services.cards import CardsPeriodOver
from kpps_tui.services.settings import set_election_setting
from kpps_tui.store.workspace import Workspace

from cards_support import card_ready_tps

APPOINTED, VOTING, WORK_ENDS = date(2024, 11, 7), date(2024, 11, 27), date(2024, 12, 8)


def seats_of(ws: Workspace, code: str) -> list[cards.SeatCard]:
    return list(cards.select_cards(ws, cards.resolve_scope(ws, "tps", code)).seats)


def test_a_card_shows_the_real_period_and_none_is_issued_after_it(demo_ws, digests) -> None:
    ws = demo_ws
    tps = card_ready_tps(ws)
    early = cards.issue_cards(ws, seats_of(ws, tps.code)[:1], today=date(2024, 10, 1)).records[0]
    assert (early.valid_from, early.valid_until) == (APPOINTED.isoformat(), WORK_ENDS.isoformat())
    during = cards.issue_cards(ws, seats_of(ws, tps.code)[1:2], today=date(2024, 11, 20)).records[0]
    assert (during.valid_from, during.valid_until) == ("2024-11-20", WORK_ENDS.isoformat())

    before = digests(ws.root)
    with pytest.raises(CardsPeriodOver) as refused:
        cards.issue_cards(ws, seats_of(ws, tps.code), today=date(2024, 12, 20))
    assert "7 November 2024" in str(refused.value) and "8 December 2024" in str(refused.value)
    assert "--reprint" in str(refused.value)
    assert digests(ws.root) == before  # nothing issued, nothing revoked

    again = cards.issue_cards(ws, seats_of(ws, tps.code), today=date(2024, 12, 20), reprint=True)
    assert [r.serial for r in again.records] == [early.serial, during.serial]  # the records, as issued
    assert {r.valid_from for r in again.records} == {APPOINTED.isoformat(), "2024-11-20"}
    assert len(again.skipped) == len(tps.seats) - 2
    assert all(s.reason == "no card on record to reprint" for s in again.skipped)


def test_the_period_is_an_election_setting(demo_ws) -> None:
    ws = demo_ws
    assert ws.election.card_period == (APPOINTED, WORK_ENDS)
    set_election_setting(ws, "cards_valid_until", "31/12/2024")
    assert Workspace.open(ws.root).election.card_period == (APPOINTED, date(2024, 12, 31))
    tps = card_ready_tps(ws)
    issued = cards.issue_cards(ws, seats_of(ws, tps.code)[:1], today=date(2024, 12, 20)).records[0]
    assert issued.valid_until == "2024-12-31"


def test_kpps_settings_lists_and_changes_the_card_dates(demo_dir, kpps) -> None:
    code, out, _ = kpps("--data", demo_dir, "settings")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "2024-11-07" in lines["cards_valid_from"] and "2024-12-08" in lines["cards_valid_until"]
    code, out, _ = kpps("--data", demo_dir, "settings", "set", "cards_valid_until", "2027-01-31")
    assert code == 0 and "2027-01-31" in out
    code, _, err = kpps("--data", demo_dir, "settings", "set", "cards_valid_from", "2027-02-01")
    assert code == 1 and "2027-01-31" in err and "Traceback" not in err


def test_kpps_cards_after_the_period_refuses_and_reprints_when_asked(demo_dir, kpps, tmp_path) -> None:
    ws = Workspace.open(demo_dir)
    tps = card_ready_tps(ws)
    cards.issue_cards(ws, seats_of(ws, tps.code), today=date(2024, 11, 20))  # issued in time
    pdf = tmp_path / "c.pdf"
    code, out, err = kpps("--data", demo_dir, "cards", "--tps", tps.code, "-o", pdf)
    assert code == 1 and "8 December 2024" in err and "--reprint" in err
    assert not pdf.exists()
    code, out, err = kpps("--data", demo_dir, "cards", "--tps", tps.code, "-o", pdf, "--reprint")
    assert code == 0, err
    assert pdf.exists() and f"{len(tps.seats)} cards" in out and "which has passed" in out


def test_the_header_says_plainly_when_the_election_is_past(demo_ws) -> None:
    from kpps_tui.tui.app import election_title

    assert election_title(demo_ws, date(2024, 11, 13)) == "Pilkada Serentak 2024"  # the demo's own day
    assert election_title(demo_ws, date(2026, 12, 1)) == "Pilkada Serentak 2024 (past)"


def test_a_reprint_where_no_card_was_issued_writes_no_empty_sheet(demo_dir, kpps, tmp_path) -> None:
    tps = card_ready_tps(Workspace.open(demo_dir))
    pdf = tmp_path / "none.pdf"
    code, out, err = kpps("--data", demo_dir, "cards", "--tps", tps.code, "-o", pdf, "--reprint")
    assert code == 1 and "Traceback" not in err
    assert err.strip() == "None of these seats has a card to print (no card on record to reprint); no file was written."
    assert not pdf.exists()
