"""Deterministic generator of the Kotawaringin Barat sample workspaces, and of a province.

    python sample_data/generate.py               # rewrites sample_data/demo and sample_data/full
    python sample_data/generate.py --province DIR  # a Kalimantan Tengah workspace (not shipped)

Regions and TPS counts are the public facts in wilayah_kalteng.csv and kobar_tps_2024.csv;
every person is synthetic. Same seed, same files: tests regenerate and compare byte for byte.
    demo: two weeks before the appointment, about 60% of seats filled, some TPS full, some empty;
          declarations in every state, a few applicants listed in SIPOL.
    full: the demo state with every remaining seat filled and every declaration verified.
Both: every applicant with papers (most complete), a health certificate (most normal), a stage
(MS or TMS from the rule check, a few TMS for a typed reason), a few public responses; seats
keep the warnings that stood when filled, most with a written reason; in the demo a few seats
freed by a member who resigned wait for a replacement (PAW). In the full sample every officer
is Ditetapkan and Dilantik.
"""

from __future__ import annotations

import csv
import random
import shutil
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kpps_tui.domain.applicants import (
    REQUIRED_DOCUMENTS,
    Documents,
    HealthCertificate,
    PublicResponse,
    Stage,
    Standing,
    Reason,
    typed_reason,
)
from kpps_tui.domain.declarations import Declaration, DeclState, PartyLetter, SipolFlag
from kpps_tui.domain.model import Election, Override, Person, Region, Seat, Tps, Vacancy, tps_code
from kpps_tui.domain.nik import FEMALE, MALE, make_nik
from kpps_tui.domain.rules import check_person_for_tps, check_requirements, warnings
from kpps_tui.store.workspace import Workspace

HERE = Path(__file__).resolve().parent
SEED = 20241127
KABUPATEN = "62.01"
DPT_TOTAL = 201_834
PROVINCE = "62"
PROVINCE_TPS = 4_446
PROVINCE_DPT = 1_960_053
MAX_VOTERS = 600
APPLICANTS_PER_SEAT = 1.556  # about 4,500 applicants for 2,891 seats

PROVINCE_ELECTION = Election(
    name="Pilkada Serentak 2024",
    kpu_name="KPU Provinsi Kalimantan Tengah",
    voting_day=date(2024, 11, 27),
)

ELECTION = Election(
    name="Pilkada Serentak 2024",
    kpu_name="KPU Kabupaten Kotawaringin Barat",
    voting_day=date(2024, 11, 27),
)

MALE_NAMES = [
    "Ahmad", "Budi", "Muhammad", "Rahmat", "Agus", "Hendra", "Rudi", "Slamet", "Joko", "Yusuf",
    "Fajar", "Rizky", "Dedi", "Bambang", "Supriadi", "Arif", "Hasan", "Ilham", "Imam", "Syahrul",
    "Wahyu", "Teguh", "Gusti", "Andi", "Eko", "Herman", "Darmawan", "Firmansyah", "Nanang", "Taufik",
    "Abdul", "Sugianto", "Yohanes", "Markus", "Petrus", "Ketut", "Made", "Antonius", "Usman", "Junaidi",
]
FEMALE_NAMES = [
    "Siti", "Nur", "Dewi", "Sri", "Rina", "Fitri", "Aisyah", "Rahmawati", "Yuliani", "Wulan",
    "Indah", "Ratna", "Ayu", "Lestari", "Nurhayati", "Maria", "Kartika", "Eka", "Herlina", "Juliana",
    "Fatimah", "Suryani", "Ani", "Rosita", "Mega", "Novita", "Putri", "Nadia", "Yanti", "Melati",
    "Agustina", "Elisabeth", "Komang", "Halimah", "Zahra", "Diah", "Kristina", "Nining", "Wati", "Salmah",
]
FAMILY_NAMES = [
    "Saputra", "Hidayat", "Santoso", "Wijaya", "Pratama", "Setiawan", "Kurniawan", "Nugroho",
    "Rahman", "Hakim", "Syahputra", "Susanto", "Gunawan", "Lubis", "Siregar", "Harahap", "Utomo",
    "Purnomo", "Effendi", "Ramadhan", "Anwar", "Maulana", "Sihombing", "Simanjuntak", "Tarigan",
    "Noor", "Arsyad", "Fauzi", "Iskandar", "Haryanto", "Wibowo", "Permana", "Rusdi", "Mahmud",
    "Husin", "Siahaan", "Matondang", "Rangkuti", "Situmorang", "Daulay", "Zulkarnain",
]
FEMALE_FAMILY_NAMES = ["Ningsih", "Sari", "Handayani", "Anggraini", "Puspita", "Rahayu", "Safitri", "Wulandari"]
STREETS = [
    "Pangeran Antasari", "Ahmad Yani", "Sudirman", "Hasanudin", "Iskandar", "Pakunegara",
    "Diponegoro", "Kawitan", "Malijo", "Padat Karya", "Rangga Santrek", "Sutan Syahrir",
    "Cilik Riwut", "Udan Said", "Abdul Aziz", "Bhayangkara", "Jalan Poros", "Trans Kalimantan",
]
BIRTH_PLACES = [
    "Pangkalan Bun", "Kumai", "Kotawaringin", "Pangkalan Lada", "Sampit", "Palangka Raya",
    "Banjarmasin", "Semarang", "Surabaya", "Nanga Bulik", "Sukamara", "Kuala Pembuang",
]
EDUCATION = [("SD", 4), ("SMP", 8), ("SMA/SMK", 58), ("D3", 8), ("S1", 20), ("S2", 2)]
FOREIGN_NIK_REGIONS = ["33.74.05", "35.78.12", "63.71.03", "62.71.02", "62.02.01", "61.71.04"]


def read_regions(csv_path: Path, kabupaten: str) -> list[Region]:
    with csv_path.open(newline="", encoding="utf-8") as f:
        return [
            Region(row["kode"], row["nama"])
            for row in csv.DictReader(f)
            if row["kode"] == kabupaten or row["kode"].startswith(kabupaten + ".")
        ]


def read_tps_counts(csv_path: Path) -> dict[str, int]:
    with csv_path.open(newline="", encoding="utf-8") as f:
        return {row["kode_kecamatan"]: int(row["tps"]) for row in csv.DictReader(f)}


def spread_tps(desa: list[Region], total: int) -> dict[str, int]:
    """Give every desa one TPS, the rest by weight (kelurahan are towns: more voters)."""
    counts = {d.code: 1 for d in desa}
    weights = {d.code: 4 if d.is_kelurahan else 1 for d in desa}
    remaining = total - len(desa)
    weight_sum = sum(weights.values())
    shares = {c: remaining * w / weight_sum for c, w in weights.items()}
    for code, share in shares.items():
        counts[code] += int(share)
    leftover = total - sum(counts.values())
    by_fraction = sorted(shares, key=lambda c: (-(shares[c] % 1), c))
    for code in by_fraction[:leftover]:
        counts[code] += 1
    return counts


def build_tps(rng: random.Random, regions: list[Region], per_kecamatan: dict[str, int], dpt_total: int) -> list[Tps]:
    desa_by_kec: dict[str, list[Region]] = {}
    for r in regions:
        if r.code.count(".") == 3:
            desa_by_kec.setdefault(r.kecamatan_code, []).append(r)
    tps_list = []
    for kec, total in sorted(per_kecamatan.items()):
        for desa_code, count in sorted(spread_tps(desa_by_kec[kec], total).items()):
            for number in range(1, count + 1):
                street = rng.choice(STREETS)
                address = f"Jl. {street} RT {rng.randint(1, 15):03d}"
                tps_list.append(Tps(tps_code(desa_code, number), desa_code, number, address, rng.randint(380, MAX_VOTERS)))
    return _scale_voters(tps_list, dpt_total)


def _scale_voters(tps_list: list[Tps], dpt_total: int) -> list[Tps]:
    """Scale the drawn voter counts so they add up to the DPT, never over 600 per TPS."""
    factor = dpt_total / sum(t.voters for t in tps_list)
    voters = [min(MAX_VOTERS, round(t.voters * factor)) for t in tps_list]
    i = 0
    while sum(voters) != dpt_total:
        step = 1 if sum(voters) < dpt_total else -1
        if 0 < voters[i] + step <= MAX_VOTERS:
            voters[i] += step
        i = (i + 1) % len(voters)
    return [replace(t, voters=v) for t, v in zip(tps_list, voters)]


def _birth_date(rng: random.Random, voting_day: date) -> date:
    """Mostly 17-55 on voting day; about 5% too young and 13% over 55."""
    roll = rng.random()
    if roll < 0.05:
        age = 16
    elif roll < 0.18:
        age = rng.randint(56, 68)
    else:
        age = int(rng.triangular(17, 55, 30))
    latest = voting_day.replace(year=voting_day.year - age)
    return latest - timedelta(days=rng.randint(0, 364))


def build_people(rng: random.Random, tps_list: list[Tps], regions: list[Region], per_kecamatan: dict[str, int], voting_day: date) -> list[Person]:
    """Applicants of each kecamatan, living in its desa in proportion to their TPS."""
    weight: dict[str, int] = {}
    for t in tps_list:
        weight[t.desa_code] = weight.get(t.desa_code, 0) + 1
    kecamatan = sorted(per_kecamatan)
    serials: dict[str, int] = {}
    people = []
    for kec in kecamatan:
        desa = sorted(c for c in weight if c.startswith(kec + "."))
        wanted = round(per_kecamatan[kec] * 7 * APPLICANTS_PER_SEAT)
        for desa_code in rng.choices(desa, weights=[weight[d] for d in desa], k=wanted):
            people.append(_person(rng, desa_code, kecamatan, voting_day, serials))
    return people


def _person(rng: random.Random, desa_code: str, kecamatan: list[str], voting_day: date, serials: dict[str, int]) -> Person:
    sex = rng.choice((MALE, FEMALE))
    given = rng.choice(MALE_NAMES if sex == MALE else FEMALE_NAMES)
    family = FAMILY_NAMES if sex == MALE else FAMILY_NAMES + FEMALE_FAMILY_NAMES
    name = f"{given} {rng.choice(family)}"
    if rng.random() < 0.25:
        name = f"{given} {rng.choice(FAMILY_NAMES)} {rng.choice(family)}"
    birth = _birth_date(rng, voting_day)
    # The NIK shows where it was first issued, not where the person lives now.
    roll = rng.random()
    if roll < 0.85:
        nik_region = ".".join(desa_code.split(".")[:3])
    elif roll < 0.95:
        nik_region = rng.choice(kecamatan)
    else:
        nik_region = rng.choice(FOREIGN_NIK_REGIONS)
    key = f"{nik_region}/{birth.isoformat()}/{sex}"
    serials[key] = serials.get(key, rng.randint(0, 40)) + 1
    nik = make_nik(nik_region, birth, sex, serials[key])
    return Person(
        nik=nik,
        name=name,
        sex=sex,
        birth_date=birth,
        desa_code=desa_code,
        birth_place=rng.choice(BIRTH_PLACES),
        address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 150)}",
        rt=f"{rng.randint(1, 15):03d}",
        rw=f"{rng.randint(1, 6):03d}",
        phone="08" + rng.choice(["11", "12", "13", "21", "52", "53", "57", "77"]) + f"{rng.randint(0, 99_999_999):08d}",
        education=rng.choices([e for e, _ in EDUCATION], weights=[w for _, w in EDUCATION])[0],
    )


def fill_seats(rng: random.Random, tps_list: list[Tps], people: list[Person], targets: dict[str, int], voting_day: date, min_age: int) -> list[Tps]:
    """Seat eligible applicants up to each TPS's target: same desa first, then the kecamatan."""
    seated = seated_niks(tps_list)
    eligible = [p for p in people if p.age_on(voting_day) >= min_age and not p.neutrality.sipol_listed]
    by_desa: dict[str, list[Person]] = {}
    by_kec: dict[str, list[Person]] = {}
    for p in eligible:
        by_desa.setdefault(p.desa_code, []).append(p)
        by_kec.setdefault(p.kecamatan_code, []).append(p)
    result = []
    for tps in tps_list:
        seats = dict(tps.seats)
        free = [n for n in range(1, 8) if n not in seats]
        need = max(0, targets[tps.code] - len(seats))
        pool = [p for p in by_desa.get(tps.desa_code, []) if p.nik not in seated]
        rng.shuffle(pool)
        pool.sort(key=lambda p: p.age_on(voting_day) > 55)  # prefer members of 55 or under
        rest = [p for p in by_kec[tps.kecamatan_code] if p.nik not in seated and p.desa_code != tps.desa_code]
        rng.shuffle(rest)
        for number, person in zip(free[:need], pool + rest):
            seated.add(person.nik)
            day = date(2024, 10, 1) + timedelta(days=rng.randint(0, 20))
            stamp = f"{day.isoformat()}T{rng.randint(1, 9):02d}:{rng.randint(0, 59):02d}:00+00:00"
            seats[number] = Seat(person.nik, stamp, rng.choice(["koordinator1", "koordinator2", "koordinator3"]))
        result.append(replace(tps, seats=seats))
    return result


PARTIES = ["Partai Amanat Rakyat", "Partai Bintang Nusantara", "Partai Karya Bangsa", "Partai Suara Desa"]
REJECTIONS = ["Tanda tangan tidak ada", "Belum bermaterai", "Nama tidak sesuai KTP"]


def flag_some_in_sipol(rng: random.Random, people: list[Person]) -> list[Person]:
    """About 1% listed in SIPOL (a third of them since cleared), 1% former members with a letter."""
    result = []
    for person in people:
        roll = rng.random()
        neutrality = person.neutrality
        if roll < 0.01:
            cleared = "Terdaftar tanpa persetujuan; surat pernyataan partai ada" if rng.random() < 0.33 else ""
            flag = SipolFlag(rng.choice(PARTIES), "SIPOL 2024-09-20", cleared, "koordinator1" if cleared else "")
            neutrality = replace(neutrality, sipol=flag)
        elif roll < 0.02:
            letter = PartyLetter(rng.choice(PARTIES), date(2018, rng.randint(1, 12), rng.randint(1, 28)))
            neutrality = replace(neutrality, former_party_member=True, party_letter=letter)
        result.append(replace(person, neutrality=neutrality))
    return result


def declare(rng: random.Random, people: list[Person], seated: set[str], all_verified: bool) -> list[Person]:
    """Declarations of seated officers: every state in the demo, all verified in the full sample."""
    states = [DeclState.VERIFIED, DeclState.HANDED_IN, DeclState.NOT_HANDED_IN, DeclState.REJECTED]
    result = []
    for person in people:
        if person.nik in seated:
            state = DeclState.VERIFIED if all_verified else rng.choices(states, weights=[45, 25, 25, 5])[0]
            received = date(2024, 10, 1) + timedelta(days=rng.randint(0, 25))
            decl = _declaration(state, received, rng)
            pact = _declaration(DeclState.VERIFIED if all_verified else rng.choice(states[:3]), received, rng)
            person = replace(person, neutrality=replace(person.neutrality, statement=decl, integrity_pact=pact))
        result.append(person)
    return result


def _declaration(state: DeclState, received: date, rng: random.Random) -> Declaration:
    if state is DeclState.NOT_HANDED_IN:
        return Declaration()
    if state is DeclState.HANDED_IN:
        return Declaration(state, received_on=received)
    reason = rng.choice(REJECTIONS) if state is DeclState.REJECTED else ""
    return Declaration(state, received, "koordinator1", received + timedelta(days=rng.randint(1, 5)), reason)


def seated_niks(tps_list: list[Tps]) -> set[str]:
    return {seat.nik for t in tps_list for seat in t.seats.values()}


def demo_targets(rng: random.Random, tps_list: list[Tps]) -> dict[str, int]:
    """About 60% of seats: 30% of TPS full, 12% empty, the rest part-filled."""
    targets = {}
    for t in tps_list:
        roll = rng.random()
        targets[t.code] = 7 if roll < 0.30 else 0 if roll < 0.42 else rng.randint(1, 6)
    return targets


ISSUERS = [
    "Puskesmas Arut Selatan", "Puskesmas Kumai", "Puskesmas Kotawaringin Lama", "RSUD Sultan Imanuddin",
    "Klinik Pratama Pangkalan Bun", "Puskesmas Pangkalan Lada", "Puskesmas Arut Utara",
]
SERVICE = ["Pemilu 2024", "Pemilu 2019, Pemilu 2024", "Pilkada 2020", "Pemilu 2019"]
TYPED_TMS = ["Tidak hadir saat klarifikasi berkas", "Berdomisili di luar wilayah kerja menurut KTP-el"]
RESPONSES = [
    ("Yang bersangkutan diduga anggota tim kampanye salah satu pasangan calon.", "Diklarifikasi; tidak terbukti."),
    ("Warga melaporkan yang bersangkutan sering berpindah domisili.", "KTP-el dan surat domisili sesuai."),
    ("Diduga masih pengurus partai di tingkat kecamatan.", "Surat keterangan partai diterima; tidak terbukti."),
]
OVERRIDE_REASONS = {
    "over_preferred_age": "Pendaftar berusia di bawah 56 tahun di desa ini tidak mencukupi",
    "outside_desa": "Kekurangan pendaftar dari desa setempat",
    "education_below_sma": "Pendaftar berijazah SMA di desa ini tidak mencukupi",
    "women_share": "Pendaftar perempuan di desa ini tidak mencukupi",
    "health_not_normal": "Dokter menyatakan mampu bertugas; kontrol rutin",
}
SK_NUMBER = "1214/PP.04.1-Kpt/6201/KPU-Kab/XI/2024"
APPOINTED = date(2024, 11, 7)  # penetapan and pelantikan (Kep. KPU 475/2024)
DECIDED = date(2024, 10, 2)  # end of the pengumuman hasil penelitian administrasi


def add_files(rng: random.Random, people: list[Person], selected: set[str]) -> list[Person]:
    """Papers, health certificates, earlier service and a few public responses for everyone.
    The `selected` (those who get a seat) handed in every paper and a health certificate."""
    result = []
    for person in people:
        docs = list(REQUIRED_DOCUMENTS)
        chosen = person.nik in selected
        if not chosen and rng.random() < 0.15:
            for missing in rng.sample(docs, rng.randint(1, 2)):
                docs.remove(missing)
        received = {d: date(2024, 9, 17) + timedelta(days=rng.randint(0, 11)) for d in docs}
        roll = rng.random()
        health = None
        if chosen or roll >= 0.08:
            checks = [True, True, True]
            if roll < (0.02 if chosen else 0.12):
                checks[rng.randrange(3)] = False
            health = HealthCertificate(date(2024, 9, 10) + timedelta(days=rng.randint(0, 17)), rng.choice(ISSUERS), *checks)
        service = rng.choice(SERVICE) if rng.random() < 0.25 else ""
        responses = ()
        if rng.random() < 0.006:
            text, resolution = rng.choice(RESPONSES)
            on = date(2024, 9, 30) + timedelta(days=rng.randint(0, 5))
            resolved = rng.random() < 0.6
            responses = (
                PublicResponse(text, on, "koordinator2", on + timedelta(days=2) if resolved else None, "koordinator1" if resolved else "", resolution if resolved else ""),
            )
        result.append(replace(person, documents=Documents.on(received), health=health, earlier_service=service, responses=responses))
    return result


def assess(rng: random.Random, people: list[Person], never_seated: set[str], election: Election) -> list[Person]:
    """MS or TMS as the rule check says (and a few TMS for a typed reason, among people who are
    never seated)."""
    result = []
    for person in people:
        hard = [f for f in check_requirements(person, election) if f.is_hard]
        if hard:
            reasons = tuple(Reason(f.code, f.template, dict(f.params)) for f in hard)
            standing = Standing(Stage.NOT_ELIGIBLE, reasons, DECIDED, "koordinator1")
        elif person.nik in never_seated and rng.random() < 0.01:
            standing = Standing(Stage.NOT_ELIGIBLE, (typed_reason(rng.choice(TYPED_TMS)),), DECIDED, "koordinator1")
        else:
            standing = Standing(Stage.ELIGIBLE, (), DECIDED, "koordinator1")
        result.append(replace(person, standing=standing))
    return result


def appoint(people: list[Person], seated: set[str]) -> list[Person]:
    """The full sample is after 7 November: every officer appointed and sworn in, every public
    response about them settled."""
    result = []
    for person in people:
        if person.nik in seated:
            responses = tuple(
                r if r.resolved else replace(r, resolved_on=date(2024, 10, 6), resolved_by="koordinator1", resolution="Diklarifikasi; tidak terbukti.")
                for r in person.responses
            )
            standing = replace(person.standing, stage=Stage.SWORN_IN, sk_number=SK_NUMBER, sk_date=APPOINTED, sworn_on=APPOINTED)
            person = replace(person, standing=standing, responses=responses)
        result.append(person)
    return result


def record_overrides(rng: random.Random, tps_list: list[Tps], people: list[Person], election: Election, all_reasoned: bool) -> list[Tps]:
    """Each seat keeps the warnings that stood when it was filled (seats taken in number order),
    with a written reason for most of them."""
    by_nik = {p.nik: p for p in people}
    result = []
    for tps in tps_list:
        seats = {}
        for number, seat in sorted(tps.seats.items()):
            person = by_nik[seat.nik]
            before = [by_nik[s.nik] for n, s in sorted(tps.seats.items()) if n < number]
            stood = warnings(check_person_for_tps(person, tps, election, None, before))
            overrides = []
            for f in stood:
                reason = OVERRIDE_REASONS.get(f.code, "")
                if reason and not all_reasoned and rng.random() < 0.3:
                    reason = ""
                overrides.append(Override(f.code, f.template, dict(f.params), reason, seat.assigned_by, seat.assigned_at))
            seats[number] = replace(seat, overrides=tuple(overrides))
        result.append(replace(tps, seats=seats))
    return result


def resign_some(rng: random.Random, tps_list: list[Tps], people: list[Person], never_seated: set[str]) -> tuple[list[Tps], list[Person]]:
    """A few members who resigned before the appointment: their seats (empty in the demo) wait
    for a replacement."""
    candidates = [t for t in tps_list if 0 < t.filled < 7]
    chosen = {t.code for t in rng.sample(candidates, 3)}
    eligible = sorted(p.nik for p in people if p.nik in never_seated and p.standing.stage is Stage.ELIGIBLE)
    leaving: dict[str, tuple[str, int]] = {}
    result = []
    for tps in tps_list:
        if tps.code in chosen:
            seat = max(n for n in range(1, 8) if n not in tps.seats)
            nik = rng.choice([n for n in eligible if n not in leaving])
            leaving[nik] = (tps.code, seat)
            on = date(2024, 10, 10) + timedelta(days=rng.randint(0, 8))
            person = next(p for p in people if p.nik == nik)
            tps = replace(tps, paw={seat: Vacancy(nik, person.name, Stage.RESIGNED.value, "Diterima bekerja di luar daerah", on.isoformat())})
        result.append(tps)
    changed = []
    for person in people:
        if person.nik in leaving:
            code, seat = leaving[person.nik]
            vacancy = next(t for t in result if t.code == code).paw[seat]
            standing = replace(
                person.standing, stage=Stage.RESIGNED, left_on=date.fromisoformat(vacancy.on), left_reason=vacancy.reason, left_seat=f"{code}/{seat}"
            )
            person = replace(person, standing=standing)
        changed.append(person)
    return result, changed


def generate(out_dir: Path = HERE, seed: int = SEED) -> None:
    rng = random.Random(seed)
    regions = read_regions(HERE / "wilayah_kalteng.csv", KABUPATEN)
    per_kecamatan = read_tps_counts(HERE / "kobar_tps_2024.csv")
    tps_list = build_tps(rng, regions, per_kecamatan, DPT_TOTAL)
    people = build_people(rng, tps_list, regions, per_kecamatan, ELECTION.voting_day)
    # Papers draw from their own stream, so adding them left the seating as it was.
    papers = random.Random(seed + 1)
    people = flag_some_in_sipol(papers, people)
    demo = fill_seats(rng, tps_list, people, demo_targets(rng, tps_list), ELECTION.voting_day, ELECTION.min_age)
    full = fill_seats(rng, demo, people, {t.code: 7 for t in demo}, ELECTION.voting_day, ELECTION.min_age)
    # Applicants' files too: stages, health, public responses, overrides and PAW.
    files = random.Random(seed + 3)
    people = add_files(files, people, seated_niks(full))
    never_seated = {p.nik for p in people} - seated_niks(full)
    people = assess(files, people, never_seated, ELECTION)
    demo, demo_people = resign_some(files, demo, people, never_seated)
    full_people = appoint(people, seated_niks(full))
    variants = (("demo", demo, demo_people, False), ("full", full, full_people, True))
    for variant, seated, persons, complete in variants:
        target = out_dir / variant
        shutil.rmtree(target, ignore_errors=True)
        declared = declare(random.Random(seed + 2), persons, seated_niks(seated), complete)
        seated = record_overrides(random.Random(seed + 4), seated, declared, ELECTION, complete)
        Workspace.create(target, ELECTION, regions, seated, declared)
        (target / ".lock").unlink(missing_ok=True)


def province_tps_counts(regions: list[Region], kobar_counts: dict[str, int]) -> dict[str, int]:
    """TPS per kecamatan for the whole province: Kotawaringin Barat as it was, the rest spread
    over their desa (every desa at least one) so the province has 4,446 in all."""
    others = [r for r in regions if r.code.count(".") == 3 and not r.code.startswith(KABUPATEN + ".")]
    per_desa = spread_tps(others, PROVINCE_TPS - sum(kobar_counts.values()))
    counts = dict(kobar_counts)
    for desa_code, n in per_desa.items():
        kec = ".".join(desa_code.split(".")[:3])
        counts[kec] = counts.get(kec, 0) + n
    return counts


def generate_province(target: Path, seed: int = SEED) -> None:
    """All of Kalimantan Tengah: 14 kab/kota, 4,446 TPS, about 50,000 applicants, 60% seated,
    every applicant with papers and a stage, a few seats waiting for a replacement (PAW)."""
    rng = random.Random(seed)
    regions = read_regions(HERE / "wilayah_kalteng.csv", PROVINCE)
    regions = [r for r in regions if r.code != PROVINCE]
    per_kecamatan = province_tps_counts(regions, read_tps_counts(HERE / "kobar_tps_2024.csv"))
    tps_list = build_tps(rng, regions, per_kecamatan, PROVINCE_DPT)
    people = build_people(rng, tps_list, regions, per_kecamatan, PROVINCE_ELECTION.voting_day)
    people = flag_some_in_sipol(random.Random(seed + 1), people)
    seated = fill_seats(rng, tps_list, people, demo_targets(rng, tps_list), PROVINCE_ELECTION.voting_day, PROVINCE_ELECTION.min_age)
    # Files and stages as in the demo (most MS, some TMS, a few who left), so that the empty
    # seats have a pool a proposal can draw on.
    files = random.Random(seed + 3)
    people = add_files(files, people, seated_niks(seated))
    never_seated = {p.nik for p in people} - seated_niks(seated)
    people = assess(files, people, never_seated, PROVINCE_ELECTION)
    seated, people = resign_some(files, seated, people, never_seated)
    declared = declare(random.Random(seed + 2), people, seated_niks(seated), all_verified=False)
    seated = record_overrides(random.Random(seed + 4), seated, declared, PROVINCE_ELECTION, all_reasoned=False)
    Workspace.create(target, PROVINCE_ELECTION, regions, seated, declared)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--province":
        generate_province(Path(sys.argv[2]))
    else:
        generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
