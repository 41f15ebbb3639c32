"""The rule check: one place that returns findings, hard ones refuse, soft ones warn."""

from datetime import date

from kpps_tui.domain.applicants import REQUIRED_DOCUMENTS, Documents, HealthCertificate
from kpps_tui.domain.model import Election, Person, Seat, Tps
from kpps_tui.domain.rules import SeatHolder, check_assignment, refusals, warnings

ELECTION = Election("Pilkada 2024", "KPU Kabupaten Kotawaringin Barat", date(2024, 11, 27))
DESA = "62.01.02.1005"
TPS = Tps("62.01.02.1005-001", DESA, 1)


def person(birth=date(1990, 5, 1), desa=DESA, name="Siti Rahayu"):
    """An applicant whose file is complete: SMA, a normal health certificate, every paper."""
    papers = Documents.on({d: date(2024, 9, 20) for d in REQUIRED_DOCUMENTS})
    health = HealthCertificate(date(2024, 9, 18), "Puskesmas Arut Selatan")
    return Person("6201024105900001", name, "P", birth, desa, education="SMA/SMK", documents=papers, health=health)


def codes(findings):
    return sorted(f.code for f in findings)


def test_an_adult_from_the_desa_on_a_free_seat_raises_nothing():
    assert check_assignment(person(), TPS, 1, ELECTION, "TPS 001 Madurejo", None) == []


def test_under_17_on_voting_day_is_refused_and_17_exactly_is_not():
    young = person(birth=date(2007, 11, 28))
    assert codes(refusals(check_assignment(young, TPS, 2, ELECTION, "x", None))) == ["too_young"]
    just = person(birth=date(2007, 11, 27))
    assert check_assignment(just, TPS, 2, ELECTION, "x", None) == []


def test_over_55_and_outside_the_desa_only_warn():
    found = check_assignment(person(birth=date(1960, 1, 1), desa="62.01.02.1006"), TPS, 3, ELECTION, "x", None)
    assert refusals(found) == []
    assert codes(warnings(found)) == ["outside_desa", "over_preferred_age"]
    assert "64" in next(f.message for f in found if f.code == "over_preferred_age")


def test_a_person_already_seated_elsewhere_is_refused_naming_the_tps():
    holder = SeatHolder("62.01.01.1011-002", "TPS 002 Candi", 4)
    found = check_assignment(person(), TPS, 1, ELECTION, "x", holder)
    assert codes(found) == ["seated_elsewhere"]
    assert "TPS 002 Candi" in found[0].message


def test_seat_numbers_outside_1_to_7_and_taken_seats_and_full_tps_are_refused():
    assert codes(check_assignment(person(), TPS, 8, ELECTION, "x", None)) == ["no_such_seat"]
    taken = Tps(TPS.code, DESA, 1, seats={2: Seat("6201020101900001")})
    assert codes(check_assignment(person(), taken, 2, ELECTION, "x", None)) == ["seat_taken"]
    full = Tps(TPS.code, DESA, 1, seats={n: Seat(f"62010201019000{n:02d}") for n in range(1, 8)})
    assert codes(check_assignment(person(), full, 3, ELECTION, "x", None)) == ["seat_taken", "tps_full"]


def test_the_election_settings_drive_the_ages():
    strict = Election("x", "y", date(2024, 11, 27), min_age=21, preferred_max_age=50)
    found = check_assignment(person(birth=date(2005, 1, 1)), TPS, 1, strict, "x", None)
    assert codes(found) == ["too_young"]
