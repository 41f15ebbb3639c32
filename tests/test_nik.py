"""The NIK parser: every way a NIK can be wrong gets its own sentence."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpps_tui.domain.nik import FEMALE, MALE, NikError, age_on, make_nik, mask_nik, parse_nik

VOTING_DAY = date(2024, 11, 27)


def test_reads_region_birth_date_sex_and_serial():
    info = parse_nik("6201024512900012", VOTING_DAY)
    assert info.region_code == "62.01.02"
    assert info.birth_date == date(1990, 12, 5)
    assert info.sex == FEMALE
    assert info.serial == 12


def test_men_have_the_day_as_is():
    info = parse_nik("6201010507020001", VOTING_DAY)
    assert (info.birth_date, info.sex) == (date(2002, 7, 5), MALE)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "empty"),
        ("62010245129000", "16 digits"),
        ("62010245129000123", "16 digits"),
        ("62010A4512900012", "digits only"),
        ("9901024512900012", "province code"),
        ("6201023202900012", "not a real date"),  # 32 February
        ("6201027202900012", "not a real date"),  # day 72 - 40 = 32
        ("6201024513900012", "not a real date"),  # month 13
        ("6201024512900000", "0000"),
    ],
)
def test_each_bad_nik_is_refused_with_its_reason(raw, words):
    with pytest.raises(NikError) as caught:
        parse_nik(raw, VOTING_DAY)
    assert words in str(caught.value)


def test_29_february_1900_was_no_date_but_2000_was():
    assert parse_nik("6201012902000001", VOTING_DAY).birth_date == date(2000, 2, 29)


def test_century_gives_a_plausible_age():
    assert parse_nik("6201010101500001", VOTING_DAY).birth_date.year == 1950
    assert parse_nik("6201010101070001", VOTING_DAY).birth_date.year == 2007


def test_age_counts_whole_years_up_to_the_birthday():
    assert age_on(date(2007, 11, 27), VOTING_DAY) == 17
    assert age_on(date(2007, 11, 28), VOTING_DAY) == 16


def test_mask_keeps_the_region_and_serial_only():
    assert mask_nik("6201024512900012") == "6201********0012"


@given(
    birth=st.dates(min_value=date(1925, 1, 1), max_value=date(2007, 11, 27)),
    sex=st.sampled_from([MALE, FEMALE]),
    serial=st.integers(min_value=1, max_value=9999),
    region=st.sampled_from(["62.01.02", "11.01.01", "94.71.05", "33.74.12"]),
)
def test_any_nik_made_from_facts_reads_back_the_same_facts(birth, sex, serial, region):
    info = parse_nik(make_nik(region, birth, sex, serial), VOTING_DAY)
    assert (info.region_code, info.birth_date, info.sex, info.serial) == (region, birth, sex, serial)


@given(st.text(max_size=20))
def test_the_parser_never_fails_other_than_with_a_sentence(raw):
    try:
        parse_nik(raw, VOTING_DAY)
    except NikError as exc:
        assert str(exc)
