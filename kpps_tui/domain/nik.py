"""NIK (Nomor Induk Kependudukan): 16 digits PP KK CC DDMMYY SSSS.

Digits 7-12 are the birth date, with 40 added to the day for women. The year has two digits:
we pick the century that gives an age between 17 and 100 on the reference day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_

# Kemendagri province codes (two digits), the ones a NIK can start with.
PROVINCE_CODES = frozenset(
    {
        11, 12, 13, 14, 15, 16, 17, 18, 19, 21,
        31, 32, 33, 34, 35, 36,
        51, 52, 53,
        61, 62, 63, 64, 65,
        71, 72, 73, 74, 75, 76,
        81, 82,
        91, 92, 93, 94, 95, 96, 97,
    }
)

MALE = "L"
FEMALE = "P"


class NikError(KppsError, ValueError):
    """A NIK that cannot be right."""


@dataclass(frozen=True)
class NikInfo:
    nik: str
    region_code: str  # PP.KK.CC where the NIK was first issued (not the domicile)
    birth_date: date
    sex: str  # "L" or "P"
    serial: int


def parse_nik(raw: str, reference_day: date) -> NikInfo:
    """Read a NIK, or raise NikError saying what is wrong with it."""
    nik = raw.strip().replace(" ", "")
    if not nik:
        raise NikError(N_("The NIK is empty."))
    if not nik.isascii() or not nik.isdigit():
        raise NikError(N_("A NIK has digits only; {nik} has other characters."), nik=nik)
    if len(nik) != 16:
        raise NikError(
            N_("A NIK has 16 digits; {nik} has {count}."), nik=nik, count=len(nik)
        )
    province = int(nik[0:2])
    if province not in PROVINCE_CODES:
        raise NikError(N_("{code} is not a province code, so {nik} is not a NIK."), code=nik[0:2], nik=nik)
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = MALE
    if day > 40:
        day -= 40
        sex = FEMALE
    birth = _birth_date(day, month, year2, reference_day)
    if birth is None:
        raise NikError(
            N_("The birth date in NIK {nik} ({digits}) is not a real date."), nik=nik, digits=nik[6:12]
        )
    serial = int(nik[12:16])
    if serial == 0:
        raise NikError(N_("The last four digits of a NIK start at 0001; {nik} ends in 0000."), nik=nik)
    return NikInfo(nik, f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}", birth, sex, serial)


def _birth_date(day: int, month: int, year2: int, reference_day: date) -> date | None:
    """The birth date whose century gives an age of 17 to 100 on the reference day, if any."""
    candidates = []
    for century in (1900, 2000):
        try:
            candidates.append(date(century + year2, month, day))
        except ValueError:
            continue  # 29 February exists in 2000 but not in 1900
    if not candidates:
        return None
    plausible = [d for d in candidates if 17 <= age_on(d, reference_day) <= 100]
    if plausible:
        return plausible[0]
    past = [d for d in candidates if d <= reference_day]
    return max(past) if past else None


def age_on(birth: date, day: date) -> int:
    """Whole years of age on `day`."""
    before_birthday = (day.month, day.day) < (birth.month, birth.day)
    return day.year - birth.year - before_birthday


def make_nik(region_code: str, birth: date, sex: str, serial: int) -> str:
    """Compose a NIK (used by the sample generator and tests)."""
    pp, kk, cc = region_code.split(".")[:3]
    day = birth.day + (40 if sex == FEMALE else 0)
    return f"{pp}{kk}{cc}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def mask_nik(nik: str) -> str:
    """6201********0012: enough to tell people apart on screen, not enough to misuse."""
    if len(nik) < 10:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]
