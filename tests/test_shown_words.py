"""Words that came from libraries or raw codes are shown in the user's language: argparse's
help and errors, a damaged card's verdict, the sex of a person, counts with thousands."""

from __future__ import annotations

from datetime import date

from cards_support import card_ready_tps

from kpps_tui import i18n
from kpps_tui.domain.applicants import sex_label
from kpps_tui.services import cards


def test_argparse_speaks_indonesian(kpps) -> None:
    code, out, _ = kpps("tps", "--help", lang="id")
    assert code == 0
    assert "opsi:" in out and "tampilkan bantuan ini lalu keluar" in out and "pemakaian:" in out
    assert "options:" not in out and "show this help message" not in out
    code, _, err = kpps("tps", "list", "--sort", "nowhere", lang="id")
    assert code == 2 and "pilihan tidak sah" in err and "invalid choice" not in err


def test_a_damaged_card_is_explained_in_indonesian(kpps, demo_ws) -> None:
    tps = card_ready_tps(demo_ws)
    seats = cards.select_cards(demo_ws, cards.Scope("tps", tps.code)).seats
    cards.issue_cards(demo_ws, seats[:1], today=date(2024, 11, 20))  # the workspace has a key now
    code, out, _ = kpps("--data", demo_ws.root, "verify", "KPPS:000", lang="id")
    assert code == 6
    assert "terlalu pendek" in out and "too short" not in out


def test_sex_in_english_and_indonesian() -> None:
    assert (sex_label("L"), sex_label("P")) == ("Male", "Female")
    i18n.set_language("id")
    assert (sex_label("L"), sex_label("P")) == ("Laki-laki", "Perempuan")


def test_card_counts_have_thousands_separators(demo_ws) -> None:
    i18n.set_language("id")
    selection = cards.select_cards(demo_ws, cards.Scope("all"))
    assert len(selection.left_out) > 999
    assert f"{len(selection.left_out):,}".replace(",", ".") + " kursi" in selection.summary()
