"""The applicant services on a real copy of the demo sample: the form's NIK check, adding and
editing, stages, leaving with PAW, public responses, papers, health, overrides and settings."""

import json
from collections import Counter
from datetime import date

import pytest

from kpps_tui.domain.applicants import ApplicantRefused, Document, HealthCertificate, Stage
from kpps_tui.domain.nik import make_nik
from kpps_tui.domain.settings import SettingRefused
from kpps_tui.errors import KppsError
from kpps_tui.services import applicants, assignments, overrides, settings
from kpps_tui.services.history import Assign, History, Unassign
from kpps_tui.store import audit
from kpps_tui.store.workspace import Workspace

DESA = "62.01.01.1011"  # Candi, in Kumai


def new_nik(ws, sex="P", birth=date(1990, 12, 5)):
    serial = 9000
    while (nik := make_nik("62.01.01", birth, sex, serial)) in ws.people:
        serial += 1
    return nik


def fields(ws, **changes):
    base = {
        "nik": new_nik(ws),
        "name": "Siti  Rahmawati",
        "sex": "P",
        "birth_date": "05/12/1990",
        "birth_place": "Pangkalan Bun",
        "address": "Jl. Ahmad Yani No. 3",
        "rt": "4",
        "rw": "2",
        "desa": "Candi",
        "phone": "0812-3456-7890",
        "education": "SMK",
    }
    base.update(changes)
    return base


def log_entries(root):
    return list(audit.read(root))


# ---- the form ----------------------------------------------------------------------------------


def test_check_nik_reads_sex_and_birth_date_and_shows_mismatches(demo_ws):
    nik = new_nik(demo_ws)
    found = applicants.check_nik(demo_ws, nik, sex="L", birth_date=date(1990, 12, 6))
    assert found.sex == "P" and found.birth_date == date(1990, 12, 5)
    assert len(found.mismatches) == 2 and found.ok
    assert "Female" in found.message and "1990-12-05" in found.message
    half = applicants.check_nik(demo_ws, nik[:9])
    assert half.error is None and half.info is None and half.message == "9 of 16 digits"


def test_check_nik_refuses_a_nik_already_here_and_offers_that_person(demo_ws):
    someone = next(iter(demo_ws.people.values()))
    found = applicants.check_nik(demo_ws, someone.nik)
    assert found.existing == someone and not found.ok and someone.name in found.message
    assert applicants.check_nik(demo_ws, someone.nik, editing=someone.nik).existing is None


def test_add_applicant_validates_and_stores_with_history_and_audit(demo_dir, demo_ws):
    person = applicants.add_applicant(demo_ws, fields(demo_ws))
    assert (person.name, person.rt, person.phone, person.education) == ("Siti Rahmawati", "004", "081234567890", "SMA/SMK")
    assert person.desa_code == DESA and person.standing.stage is Stage.APPLICANT
    again = Workspace.open(demo_dir).people[person.nik]
    assert again == person and again.history[-1]["action"] == "added"
    assert log_entries(demo_dir)[-1].subject == person.nik


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"nik": "620101451290001"}, "16 digits"),
        ({"nik": "62010145129000AB"}, "digits only"),
        ({"nik": "6201013213900001"}, "not a real date"),
        ({"name": "  "}, "name"),
        ({"sex": "L"}, "check both"),
        ({"birth_date": "06/12/1990"}, "check both"),
        ({"birth_date": "kemarin"}, "not a date"),
        ({"desa": "Atlantis"}, "No desa/kelurahan Atlantis"),
        ({"education": "kursus"}, "not an education level"),
        ({"rt": "12a"}, "RT"),
        ({"phone": "12"}, "phone number"),
        ({"hobby": "x"}, "Unknown applicant field"),
    ],
)
def test_add_applicant_refuses_bad_fields_with_a_sentence(demo_dir, demo_ws, digests, changes, says):
    before = digests(demo_dir)
    with pytest.raises(KppsError) as refused:
        applicants.add_applicant(demo_ws, fields(demo_ws, **changes))
    assert says in str(refused.value)
    assert digests(demo_dir) == before


def test_add_refuses_an_existing_nik_naming_the_person(demo_ws):
    someone = next(iter(demo_ws.people.values()))
    with pytest.raises(KppsError, match=someone.name):
        applicants.add_applicant(demo_ws, fields(demo_ws, nik=someone.nik))


def test_sex_and_birth_date_left_empty_come_from_the_nik(demo_ws):
    person = applicants.add_applicant(demo_ws, fields(demo_ws, sex="", birth_date=""))
    assert (person.sex, person.birth_date) == ("P", date(1990, 12, 5))


def test_update_changes_only_what_differs_and_nothing_for_no_change(demo_dir, demo_ws):
    person = applicants.add_applicant(demo_ws, fields(demo_ws))
    lines = len(log_entries(demo_dir))
    same = applicants.update_applicant(demo_ws, person.nik, {"name": "Siti Rahmawati", "rt": "004"})
    assert same == person and len(log_entries(demo_dir)) == lines
    changed = applicants.update_applicant(demo_ws, person.nik, {"phone": "", "notes": "Bisa Bimtek hari Sabtu"})
    assert (changed.phone, changed.notes) == ("", "Bisa Bimtek hari Sabtu")
    assert changed.history[-1]["fields"] == ["notes", "phone"]


def test_moving_to_another_kecamatan_is_refused_for_now(demo_ws):
    person = applicants.add_applicant(demo_ws, fields(demo_ws))
    other = next(c for c in demo_ws.desa_codes() if not c.startswith("62.01.01."))
    with pytest.raises(KppsError, match="another kecamatan"):
        applicants.update_applicant(demo_ws, person.nik, {"desa": other})


# ---- stages ------------------------------------------------------------------------------------


def test_assess_turns_the_rule_check_into_ms_or_tms(demo_ws):
    ok = applicants.add_applicant(demo_ws, fields(demo_ws))
    young = applicants.add_applicant(demo_ws, fields(demo_ws, nik=new_nik(demo_ws, "L", date(2008, 1, 2)), sex="L", birth_date=""))
    result = applicants.assess_many(demo_ws)
    assert {p.nik: p.standing.stage for p in result.changed} == {ok.nik: Stage.ELIGIBLE, young.nik: Stage.NOT_ELIGIBLE}
    tms = demo_ws.people[young.nik].standing
    assert [r.code for r in tms.reasons] == ["too_young"] and "16 on voting day" in tms.reasons[0].message
    assert applicants.assess_many(demo_ws, [ok.nik, young.nik]).changed == []


def test_typed_tms_reason_and_appointment_with_sk(demo_ws, pick):
    tps = pick(demo_ws).tps_with_empty_seats()
    person = pick(demo_ws).free_people(tps)[0]
    tms = applicants.set_stage(demo_ws, person.nik, Stage.NOT_ELIGIBLE, ["Tidak hadir klarifikasi"])
    assert tms.standing.reasons[0].message == "Tidak hadir klarifikasi"
    with pytest.raises(assignments.Refused, match="TMS"):
        assignments.assign(demo_ws, tps.code, pick(demo_ws).empty_seats(tps)[0], person.nik)
    applicants.set_stage(demo_ws, person.nik, Stage.ELIGIBLE, ["Hadir susulan"])
    seat = pick(demo_ws).empty_seats(tps)[0]
    assignments.assign(demo_ws, tps.code, seat, person.nik)
    with pytest.raises(ApplicantRefused, match="SK number"):
        applicants.set_stage(demo_ws, person.nik, Stage.APPOINTED)
    applicants.add_response(demo_ws, person.nik, "Diduga anggota tim kampanye")
    with pytest.raises(ApplicantRefused, match="unresolved public response"):
        applicants.set_stage(demo_ws, person.nik, Stage.APPOINTED, sk_number="12/PP", sk_date=date(2024, 11, 7))
    applicants.resolve_response(demo_ws, person.nik, 0, "Tidak terbukti")
    appointed = applicants.set_stage(demo_ws, person.nik, Stage.APPOINTED, sk_number="12/PP", sk_date=date(2024, 11, 7))
    assert appointed.standing.stage is Stage.APPOINTED
    sworn = applicants.set_stage(demo_ws, person.nik, Stage.SWORN_IN, on=date(2024, 11, 7))
    kinds = [h["kind"] for h in sworn.history]
    assert kinds.count("stage") == 4 and kinds.count("response") == 2


def test_leaving_frees_the_seat_marks_it_for_paw_and_filling_it_clears_the_mark(demo_dir, demo_ws, pick):
    nik, code, seat = pick(demo_ws).seated()
    with pytest.raises(ApplicantRefused, match="Say why"):
        applicants.leave(demo_ws, nik, Stage.RESIGNED, " ")
    left = applicants.leave(demo_ws, nik, Stage.RESIGNED, "Diterima kerja di Sampit", on=date(2024, 11, 12))
    assert left.freed == (code, seat)
    fresh = Workspace.open(demo_dir)
    assert seat not in fresh.tps[code].seats and fresh.tps[code].paw[seat].reason == "Diterima kerja di Sampit"
    assert fresh.people[nik].standing.left_seat == f"{code}/{seat}"
    assert any(w.tps_code == code and w.seat == seat for w in applicants.seats_waiting_for_replacement(fresh))
    with pytest.raises(assignments.Refused, match="has left"):
        assignments.assign(demo_ws, code, seat, nik)
    tps = demo_ws.tps[code]
    replacement = next(c.person for c in assignments_candidates(demo_ws, tps) if c.eligible)
    assignments.assign(demo_ws, code, seat, replacement.nik)
    assert Workspace.open(demo_dir).tps[code].paw == {}


def assignments_candidates(ws, tps):
    from kpps_tui.services.browse import candidates

    return candidates(ws, tps)


# ---- papers and health -------------------------------------------------------------------------


def test_papers_checklist_and_health_certificate(demo_ws):
    person = applicants.add_applicant(demo_ws, fields(demo_ws))
    papers = applicants.papers_of(person)
    assert [p.document for p in papers] == list(Document)[:7] and not any(p.received for p in papers)
    for doc in list(Document)[:7]:
        person = applicants.set_document(demo_ws, person.nik, doc, True, date(2024, 9, 20))
    assert all(p.received and p.on == date(2024, 9, 20) for p in applicants.papers_of(person))
    with pytest.raises(KppsError, match="neutrality papers"):
        applicants.set_document(demo_ws, person.nik, Document.PARTY_LETTER, True)
    codes = [f.code for f in applicants.applicant_detail(demo_ws, person.nik).findings]
    assert codes == ["health_missing"]
    applicants.set_health(demo_ws, person.nik, HealthCertificate(date(2024, 9, 18), "Puskesmas Kumai", cholesterol=False))
    detail = applicants.applicant_detail(demo_ws, person.nik)
    assert [f.code for f in detail.findings] == ["health_not_normal"] and "cholesterol" in detail.findings[0].message
    with pytest.raises(KppsError, match="issued"):
        applicants.set_health(demo_ws, person.nik, HealthCertificate(date(2024, 9, 18), " "))


# ---- overrides ---------------------------------------------------------------------------------


def test_a_warning_stands_on_the_seat_with_or_without_a_reason(demo_dir, demo_ws, pick):
    tps = pick(demo_ws).tps_with_empty_seats(2)
    elder = pick(demo_ws).over_55_elsewhere(tps)
    seat = pick(demo_ws).empty_seats(tps)[0]
    with pytest.raises(KppsError, match="written reason"):
        assignments.assign(demo_ws, tps.code, seat, elder.nik, overrides={"over_preferred_age": " "})
    with pytest.raises(KppsError, match="No warning women_share"):
        assignments.assign(demo_ws, tps.code, seat, elder.nik, overrides={"women_share": "x"})
    found = assignments.assign(demo_ws, tps.code, seat, elder.nik, overrides={"over_preferred_age": "Tidak ada pendaftar lain"})
    assert {f.code for f in found} == {"over_preferred_age", "outside_desa"}
    stored = Workspace.open(demo_dir).tps[tps.code].seats[seat]
    assert stored.override("over_preferred_age").reason == "Tidak ada pendaftar lain"
    assert stored.override("outside_desa").reason == "" and not stored.override("outside_desa").justified
    rows = [r for r in overrides.override_rows(demo_ws, tps.code) if r.seat == seat]
    assert {(r.code, r.reason) for r in rows} == {("over_preferred_age", "Tidak ada pendaftar lain"), ("outside_desa", "")}
    assignments.justify(demo_ws, tps.code, seat, "outside_desa", "Desa tetangga, 300 m")
    assert overrides.override_rows(demo_ws, tps.code, unreasoned_only=True) == [
        r for r in overrides.override_rows(demo_ws, tps.code, unreasoned_only=True) if r.seat != seat
    ]
    detail = applicants.applicant_detail(demo_ws, elder.nik)
    assert {o.code: o.reason for o in detail.overrides}["outside_desa"] == "Desa tetangga, 300 m"


def test_undo_keeps_the_reasons_when_it_reassigns_through_history(demo_ws, pick):
    tps = pick(demo_ws).tps_with_empty_seats()
    elder = pick(demo_ws).over_55_elsewhere(tps)
    seat = pick(demo_ws).empty_seats(tps)[0]
    history = History()
    step = Assign(tps.code, seat, elder.nik, (("over_preferred_age", "Tidak ada yang lain"),))
    history.run(demo_ws, step)
    history.undo(demo_ws)
    history.redo(demo_ws)
    assert demo_ws.tps[tps.code].seats[seat].override("over_preferred_age").reason == "Tidak ada yang lain"
    history.run(demo_ws, Unassign(tps.code, seat, elder.nik))
    history.undo(demo_ws)  # seated again: with the reason written before
    assert demo_ws.tps[tps.code].seats[seat].override("over_preferred_age").reason == "Tidak ada yang lain"


# ---- settings ----------------------------------------------------------------------------------


def test_settings_change_is_stored_logged_and_seen_by_the_rules(demo_dir, demo_ws):
    settings.set_election_setting(demo_ws, "preferred_max_age", "60")
    fresh = Workspace.open(demo_dir)
    assert fresh.election.preferred_max_age == 60
    entry = log_entries(demo_dir)[-1]
    assert (entry.action, entry.subject, entry.before["preferred_max_age"], entry.after["preferred_max_age"]) == (
        "settings", "election", 55, 60,
    )
    doc = json.loads((demo_dir / "workspace.json").read_text())
    assert doc["election"]["1"]["preferred_max_age"] == 60
    rows = {r.key: r.value for r in settings.election_settings(fresh)}
    assert rows["preferred_max_age"] == "60" and rows["women_percent"] == "30"


def test_settings_the_workspace_contradicts_are_refused(demo_ws, demo_dir, digests):
    before = digests(demo_dir)
    with pytest.raises(SettingRefused, match="seat 7"):
        settings.set_election_setting(demo_ws, "seats_per_tps", "5")
    with pytest.raises(SettingRefused, match="voters"):
        settings.set_election_setting(demo_ws, "max_voters", "300")
    assert digests(demo_dir) == before


# ---- the applicant list ------------------------------------------------------------------------


def test_applicant_rows_filter_and_count(demo_ws):
    rows = applicants.applicant_rows(demo_ws)
    assert len(rows) == len(demo_ws.people)
    tms = applicants.filter_applicants(rows, applicants.ApplicantFilter(stage=Stage.NOT_ELIGIBLE))
    assert tms and all(r.eligibility == "refused" for r in tms)
    women_in_kumai = applicants.filter_applicants(rows, applicants.ApplicantFilter(kecamatan="62.01.01", sex="P"))
    counts = applicants.count_applicants(women_in_kumai)
    assert counts.women == counts.total > 0
    one = rows[0].person
    assert applicants.filter_applicants(rows, applicants.ApplicantFilter(text=one.nik[-6:]))[0].person.nik.endswith(one.nik[-6:])
    seated = next(r for r in rows if r.seat is not None and r.overrides)
    assert seated.overrides[0].message


def test_a_search_typed_further_filters_what_was_shown_to_the_same_rows(demo_ws):
    rows = applicants.applicant_rows(demo_ws)
    F = applicants.ApplicantFilter
    name = next(r.person.name for r in rows if " " in r.person.name)
    nik = rows[7].person.nik
    steps = [F(sex="P"), F(sex="P", text="a"), F(sex="P", text=" aN"), F(sex="P", text=name[:4].upper())]
    steps += [F(text=nik[:4]), F(text=nik[:4] + " " + nik[4:8]), F(text=nik[:10])]
    for before, after in zip(steps, steps[1:]):
        shown = applicants.filter_applicants(rows, before)
        if after.narrows(before):
            assert applicants.filter_applicants(shown, after) == applicants.filter_applicants(rows, after)
    assert F(sex="P", text="an").narrows(F(sex="P", text="a"))
    assert not F(sex="L", text="an").narrows(F(sex="P", text="a"))  # another choice
    assert not F(text="a").narrows(F(text="an"))  # a character taken back
    assert not F(text="ba").narrows(F(text="a"))
    counts = applicants.count_applicants(rows)
    assert counts.women == sum(r.person.sex == "P" for r in rows)
    assert counts.seated == sum(r.seat is not None for r in rows)
    assert counts.by_eligibility == dict(Counter(r.eligibility for r in rows))
    assert counts.by_stage == dict(Counter(r.stage for r in rows))


def test_the_pool_filtered_again_and_again_shows_and_counts_what_one_filter_would(demo_ws):
    """The screen's path: each key filters the pool the last key left (its rows named by their
    places in the whole list), and counts what it shows from the rows' tallies."""
    rows = applicants.applicant_rows(demo_ws)
    F = applicants.ApplicantFilter
    pool = applicants.ApplicantPool.of(rows)
    shown = pool
    for flt in [F(sex="P"), F(sex="P", text="a"), F(sex="P", text="an"), F(sex="P", text="ani")]:
        shown = applicants.filter_pool(shown, flt)
        alone = [r for r in rows if flt.matches(r)]
        assert list(shown.rows) == alone and len(shown.rows) == len(alone)
        assert shown.rows[:3] == alone[:3] and (not alone or shown.rows[-1] == alone[-1])
        assert shown.counts() == applicants.count_applicants(alone)
    assert alone, "the last filter still lets someone through"
    assert applicants.filter_pool(pool, F()).counts() == applicants.count_applicants(rows)
