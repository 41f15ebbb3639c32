"""Every rule of PKPU 8/2022 the check knows, hard and soft, and the stages of an applicant."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpps_tui.domain.applicants import (
    REQUIRED_DOCUMENTS,
    ApplicantRefused,
    Document,
    Documents,
    HealthCertificate,
    PublicResponse,
    Stage,
    Standing,
    change_stage,
    normalize_education,
    read_nik_so_far,
    read_sex,
    typed_reason,
)
from kpps_tui.domain.declarations import Neutrality, PartyLetter, SipolFlag
from kpps_tui.domain.model import Election, Person, Seat, Tps
from kpps_tui.domain.nik import PROVINCE_CODES, make_nik, parse_nik
from kpps_tui.domain.rules import check_applicant, check_assignment, check_person_for_tps, refusals, warnings
from kpps_tui.domain.settings import SettingRefused, change_setting

DAY = date(2024, 11, 27)
ELECTION = Election("Pilkada 2024", "KPU Kabupaten Kotawaringin Barat", DAY)
DESA = "62.01.02.1005"
TPS = Tps("62.01.02.1005-001", DESA, 1)
PAPERS = Documents.on({d: date(2024, 9, 20) for d in REQUIRED_DOCUMENTS})
HEALTHY = HealthCertificate(date(2024, 9, 18), "Puskesmas Arut Selatan")


def person(nik_serial=1, sex="P", birth=date(1990, 5, 1), **changes) -> Person:
    base = dict(education="SMA/SMK", documents=PAPERS, health=HEALTHY)
    base.update(changes)
    nik = make_nik("62.01.02", birth, sex, nik_serial)
    return Person(nik, f"Orang {nik_serial}", sex, birth, DESA, **base)


def codes(findings):
    return sorted(f.code for f in findings)


def test_a_complete_file_has_no_finding():
    assert check_applicant(person(), ELECTION) == []


# ---- hard ----------------------------------------------------------------------------------------


def test_tms_and_leaving_are_hard():
    tms = person(standing=Standing(Stage.NOT_ELIGIBLE, (typed_reason("Ijazah palsu"),)))
    found = check_applicant(tms, ELECTION)
    assert codes(refusals(found)) == ["tms"] and "Ijazah palsu" in found[0].message
    gone = person(standing=Standing(Stage.RESIGNED, left_reason="Pindah kerja"))
    assert codes(refusals(check_applicant(gone, ELECTION))) == ["left"]


def test_a_former_party_member_needs_the_letter_five_years_before_voting_day():
    no_letter = person(neutrality=Neutrality(former_party_member=True))
    assert codes(refusals(check_applicant(no_letter, ELECTION))) == ["party_letter_missing"]
    recent = Neutrality(former_party_member=True, party_letter=PartyLetter("Partai X", date(2019, 11, 28)))
    found = check_applicant(person(neutrality=recent), ELECTION)
    assert codes(refusals(found)) == ["party_letter_recent"] and "2019-11-28" in found[0].message
    exactly_five = Neutrality(former_party_member=True, party_letter=PartyLetter("Partai X", date(2019, 11, 27)))
    assert check_applicant(person(neutrality=exactly_five), ELECTION) == []


def test_sipol_and_under_age_stay_hard():
    listed = person(neutrality=Neutrality(sipol=SipolFlag("Partai X")))
    assert codes(refusals(check_applicant(listed, ELECTION))) == ["sipol_listed"]
    young = person(birth=date(2007, 11, 28))
    assert codes(refusals(check_applicant(young, ELECTION))) == ["too_young"]


# ---- soft ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"education": "SMP"}, "education_below_sma"),
        ({"education": "SD"}, "education_below_sma"),
        ({"education": ""}, "education_unknown"),
        ({"health": None}, "health_missing"),
        ({"health": HealthCertificate(date(2024, 9, 18), "RSUD", blood_sugar=False)}, "health_not_normal"),
        ({"documents": PAPERS.marked(Document.DIPLOMA, False)}, "documents_missing"),
        ({"birth": date(1960, 1, 1)}, "over_preferred_age"),
    ],
)
def test_each_soft_rule_warns_and_never_refuses(changes, code):
    found = check_applicant(person(**changes), ELECTION)
    assert codes(found) == [code] and refusals(found) == []


def test_the_missing_papers_are_named_in_the_active_language():
    found = check_applicant(person(documents=PAPERS.marked(Document.DIPLOMA, False).marked(Document.PHOTO, False)), ELECTION)
    assert "Fotokopi Ijazah, Pas Foto" in found[0].message


def test_a_former_member_also_owes_the_party_letter_as_a_paper():
    letter = Neutrality(former_party_member=True, party_letter=PartyLetter("Partai X", date(2015, 1, 1)))
    assert check_applicant(person(neutrality=letter), ELECTION) == []  # the letter itself counts


def test_women_share_warns_the_man_who_makes_30_percent_unreachable():
    men = [person(n, "L") for n in range(1, 5)]
    tps = Tps(TPS.code, DESA, 1, seats={n: Seat(p.nik) for n, p in enumerate(men, 1)})
    fifth_man = person(9, "L")
    found = check_person_for_tps(fifth_man, tps, ELECTION, None, men)
    assert codes(found) == ["women_share"] and "at most 2 women" in found[0].message
    assert check_person_for_tps(person(10, "P"), tps, ELECTION, None, men) == []
    assert check_person_for_tps(person(11, "L"), tps, ELECTION, None, men[:3]) == []
    assert check_person_for_tps(fifth_man, tps, ELECTION, None) == []  # without officers: not checked


def test_the_women_share_follows_the_setting():
    half = change_setting(ELECTION, "women_percent", "50")
    men = [person(n, "L") for n in range(1, 4)]
    assert codes(check_person_for_tps(person(9, "L"), TPS, half, None, men)) == ["women_share"]


def test_check_assignment_adds_the_seat_rules_to_the_person_rules():
    taken = Tps(TPS.code, DESA, 1, seats={2: Seat("6201020101900001")})
    found = check_assignment(person(education="SMP"), taken, 2, ELECTION, "x", None, [])
    assert codes(refusals(found)) == ["seat_taken"] and codes(warnings(found)) == ["education_below_sma"]


# ---- stages --------------------------------------------------------------------------------------


def stage(standing, new, **kw):
    return change_stage(standing, new, name="Siti", on=date(2024, 10, 2), by="k1", **kw)


def test_the_road_from_pendaftar_to_dilantik():
    ms = stage(Standing(), Stage.ELIGIBLE)
    appointed = stage(ms, Stage.APPOINTED, sk_number="12/PP/2024", sk_date=date(2024, 11, 7), seated=True)
    assert (appointed.stage, appointed.sk_number) == (Stage.APPOINTED, "12/PP/2024")
    sworn = change_stage(appointed, Stage.SWORN_IN, name="Siti", on=date(2024, 11, 7), by="k1")
    assert sworn.stage is Stage.SWORN_IN and sworn.sworn_on == date(2024, 11, 7)


@pytest.mark.parametrize(
    ("kw", "says"),
    [
        ({"seated": True}, "SK number and date"),
        ({"sk_number": "12", "sk_date": date(2024, 11, 7)}, "holds no seat"),
        ({"sk_number": "12", "sk_date": date(2024, 11, 7), "seated": True, "open_responses": 1}, "unresolved public response"),
    ],
)
def test_appointment_needs_sk_seat_and_settled_responses(kw, says):
    with pytest.raises(ApplicantRefused) as refused:
        stage(Standing(Stage.ELIGIBLE), Stage.APPOINTED, **kw)
    assert says in str(refused.value)


def test_tms_needs_a_reason_and_skipping_or_leaving_twice_is_refused():
    with pytest.raises(ApplicantRefused, match="Say why"):
        stage(Standing(), Stage.NOT_ELIGIBLE)
    with pytest.raises(ApplicantRefused, match="cannot go from"):
        stage(Standing(), Stage.SWORN_IN)
    with pytest.raises(ApplicantRefused, match="Say why"):
        stage(Standing(Stage.APPOINTED), Stage.DIED)
    gone = stage(Standing(Stage.APPOINTED), Stage.DIED, reasons=(typed_reason("Sakit"),))
    assert gone.left_reason == "Sakit"
    with pytest.raises(ApplicantRefused, match="has left"):
        stage(gone, Stage.ELIGIBLE)


def test_standing_round_trips_and_old_documents_read():
    full = Standing(Stage.APPOINTED, (typed_reason("x"),), date(2024, 10, 2), "k", "12/PP", date(2024, 11, 7))
    assert Standing.from_doc(full.to_doc()) == full
    old_doc = person().to_doc()
    for key in ("standing", "documents", "health", "earlier_service", "notes", "responses"):
        del old_doc[key]
    old = Person.from_doc(old_doc)
    assert old.standing.stage is Stage.APPLICANT and old.health is None and old.documents == Documents()
    response = PublicResponse("Diduga tim kampanye", date(2024, 10, 1), "k")
    again = Person.from_doc(person(responses=(response,)).to_doc())
    assert again.responses == (response,)


# ---- small readers -------------------------------------------------------------------------------


def test_education_words_are_read_as_levels():
    assert [normalize_education(t) for t in ("SMK", "s.1", "Paket C", "MTs", "", "kursus")] == [
        "SMA/SMK", "S1", "SMA/SMK", "SMP", "", None,
    ]


def test_sex_words():
    assert [read_sex(t) for t in ("L", "Perempuan", "laki-laki", "W", "x")] == ["L", "P", "L", "P", None]


def test_settings_are_validated():
    with pytest.raises(SettingRefused):
        change_setting(ELECTION, "min_age", "tujuh belas")
    with pytest.raises(SettingRefused):
        change_setting(ELECTION, "preferred_max_age", "16")
    with pytest.raises(SettingRefused):
        change_setting(ELECTION, "colour", "red")
    assert change_setting(ELECTION, "voting_day", "09/12/2026").voting_day == date(2026, 12, 9)


# ---- the NIK as it is typed --------------------------------------------------------------------------

niks = st.builds(
    make_nik,
    st.sampled_from(["62.01.02", "33.74.05", "11.01.01", "97.01.01"]),
    st.dates(date(1925, 1, 1), date(2007, 11, 27)),
    st.sampled_from(["L", "P"]),
    st.integers(1, 9999),
)


@given(niks)
def test_no_prefix_of_a_real_nik_is_called_wrong(nik):
    for end in range(len(nik) + 1):
        assert read_nik_so_far(nik[:end], DAY).error is None, nik[:end]
    assert read_nik_so_far(nik, DAY).info == parse_nik(nik, DAY)


@given(st.text(alphabet="0123456789 abc-", max_size=20))
def test_any_text_gets_an_answer_that_agrees_with_the_parser(text):
    reading = read_nik_so_far(text, DAY)
    digits = text.strip().replace(" ", "")
    if len(digits) == 16 and digits.isdigit():
        try:
            info = parse_nik(digits, DAY)
        except ValueError:
            assert reading.error
        else:
            assert reading.info == info and reading.error is None
    if reading.info is None and digits and not digits.isdigit():
        assert reading.error


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("62010245129000", None),
        ("6201023212", "day of birth"),
        ("6201021513", "month of birth"),
        ("99", "not a province code"),
        ("62010a", "digits only"),
        ("62010245129000121", "16 digits"),
        ("6201023002900012", "not a real date"),
        ("6201024512900000", "0000"),
    ],
)
def test_errors_show_as_soon_as_the_digits_show_them(text, says):
    error = read_nik_so_far(text, DAY).error
    assert (error is None) if says is None else (says in error)


def test_provinces_are_the_kemendagri_list():
    assert 62 in PROVINCE_CODES and 10 not in PROVINCE_CODES
