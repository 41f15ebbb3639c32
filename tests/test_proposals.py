"""Usulan: proposals obey every hard rule, prefer what the issue orders, and accept safely."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpps_tui.domain.applicants import REQUIRED_DOCUMENTS, Documents, HealthCertificate, Stage, Standing
from kpps_tui.domain.declarations import SipolFlag
from kpps_tui.domain.model import Election, Person, Region, Seat, Tps, tps_code
from kpps_tui.domain.nik import FEMALE, MALE, make_nik
from kpps_tui.domain.rules import check_assignment, refusals
from kpps_tui.domain.staffing import LEVELS, SEATABLE_STAGES, Objective, Problem, greedy, solution_objective
from kpps_tui.domain.staffing_solver import solve
from kpps_tui.services import assignments, browse, proposals
from kpps_tui.services.history import History
from kpps_tui.services.proposals import Scope
from kpps_tui.store.workspace import Workspace

ELECTION = Election("Pilkada Serentak 2024", "KPU Kabupaten Contoh", date(2024, 11, 27))
KEC_A, KEC_B = "62.01.01", "62.01.02"
DESA = {"62.01.01.2001": "Sulung", "62.01.01.2002": "Kumpai", "62.01.02.2001": "Riam"}
REGIONS = [Region("62.01", "KAB. CONTOH"), Region(KEC_A, "Arut"), Region(KEC_B, "Kumai")] + [
    Region(code, name) for code, name in DESA.items()
]
PAPERS = Documents.on({d: date(2024, 9, 20) for d in REQUIRED_DOCUMENTS})
HEALTHY = HealthCertificate(date(2024, 9, 12), "Puskesmas", True, True, True)


def person(desa: str, serial: int, sex: str = FEMALE, age: int = 30, stage: Stage = Stage.ELIGIBLE, **extra) -> Person:
    born = ELECTION.voting_day.replace(year=ELECTION.voting_day.year - age) - timedelta(days=serial % 300)
    fields = dict(
        nik=make_nik(desa, born, sex, serial),
        name=f"{'Siti' if sex == FEMALE else 'Budi'} {serial:03d}",
        sex=sex,
        birth_date=born,
        desa_code=desa,
        education="SMA/SMK",
        standing=Standing(stage),
        documents=PAPERS,
        health=HEALTHY,
    )
    fields.update(extra)
    return Person(**fields)


def workspace(root: Path, tps: list[Tps], people: list[Person]) -> Workspace:
    return Workspace.create(root, ELECTION, REGIONS, tps, people)


def empty_tps(desa: str, number: int = 1, seats: dict[int, Seat] | None = None) -> Tps:
    return Tps(tps_code(desa, number), desa, number, seats=seats or {})


def seated_women(ws: Workspace, code: str) -> int:
    return sum(ws.people[s.nik].sex == FEMALE for s in ws.tps[code].seats.values())


# ---- hard rules never broken, on random workspaces --------------------------------------------

people_strategy = st.lists(
    st.tuples(
        st.sampled_from(sorted(DESA)),
        st.sampled_from([MALE, FEMALE]),
        st.integers(15, 70),  # some too young, some over the preferred age
        st.sampled_from(list(Stage)),
        st.booleans(),  # listed in SIPOL
        st.booleans(),  # papers complete
    ),
    min_size=0,
    max_size=40,
)
tps_strategy = st.lists(st.tuples(st.sampled_from(sorted(DESA)), st.integers(0, 7)), min_size=1, max_size=6)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people_strategy, tps_strategy, st.booleans())
def test_no_hard_rule_is_ever_broken(drawn_people, drawn_tps, allow_other):
    people = []
    for i, (desa, sex, age, stage, sipol, papers) in enumerate(drawn_people, 1):
        extra = {}
        if sipol:
            extra["neutrality"] = replace(person(desa, i).neutrality, sipol=SipolFlag("Partai X", "SIPOL"))
        if not papers:
            extra["documents"] = Documents()
        people.append(person(desa, i, sex, age, stage, **extra))
    tps_list, used, numbers = [], iter(people), {}
    for desa, filled in drawn_tps:
        numbers[desa] = numbers.get(desa, 0) + 1
        seats = {}
        for seat in range(1, filled + 1):
            sitting = next(used, None)
            if sitting is not None:
                seats[seat] = Seat(sitting.nik)
        tps_list.append(empty_tps(desa, numbers[desa], seats))
    with tempfile.TemporaryDirectory() as folder:
        ws = workspace(Path(folder) / "ws", tps_list, people)
        proposal = proposals.propose(ws, Scope("all"), allow_other_kecamatan=allow_other)
        assert proposal.optimal and proposal.objective == proposal.bound
        niks = [s.nik for s in proposal.seats]
        assert len(niks) == len(set(niks)), "an applicant proposed twice"
        by_tps: dict[str, list] = {}
        for s in proposal.seats:
            by_tps.setdefault(s.tps_code, []).append(s)
        for code, seats in by_tps.items():
            tps = ws.tps[code]
            for s in sorted(seats, key=lambda s: s.seat):
                p = ws.people[s.nik]
                assert p.standing.stage in SEATABLE_STAGES
                assert s.nik not in ws.placements
                found = check_assignment(p, tps, s.seat, ELECTION, ws.tps_label(tps), None, assignments.officers_of(ws, tps))
                assert not refusals(found), found
                if not allow_other:
                    assert p.kecamatan_code == tps.kecamatan_code
                tps = replace(tps, seats={**tps.seats, s.seat: Seat(s.nik)})
        # Everything the proposal sets out to do, it does at least as well as the baseline.
        greedy_objective = proposals.greedy_figures(ws, Scope("all"))[1]
        if not allow_other:
            assert _lexicographic(proposal.objective) <= _lexicographic(greedy_objective)
        accepted = proposals.accept_many(ws, list(proposal.tps))
        assert not any(a.refused for a in accepted)
        assert sum(len(a.seated) for a in accepted) == len(proposal.seats)


def _lexicographic(o: Objective) -> tuple[int, ...]:
    return (-o.seats_filled, o.women_missing, o.residence, o.warnings, o.unsuitability)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(sorted(DESA)[:2]), st.booleans(), st.integers(0, 3), st.integers(0, 40)), max_size=30),
    st.lists(st.tuples(st.sampled_from(sorted(DESA)[:2]), st.integers(1, 7), st.integers(0, 3)), min_size=1, max_size=5),
)
def test_the_solver_is_never_beaten_by_the_baseline(drawn, drawn_tps):
    """On the pure problem: objective equals the proved bound, and no worse than greedy, level by level."""
    from kpps_tui.domain.staffing import Applicant, OpenTps

    applicants = tuple(
        Applicant(f"{i:016d}", f"A{i}", female, desa, ("w",) * warned, suit) for i, (desa, female, warned, suit) in enumerate(drawn)
    )
    tps = tuple(
        OpenTps(f"{desa}-{i:03d}", desa, tuple(range(8 - free, 8)), min(free, missing)) for i, (desa, free, missing) in enumerate(drawn_tps)
    )
    problem = Problem(KEC_A, tps, applicants)
    solution = solve(problem)
    assert solution.optimal and solution.objective == solution.bound
    assert solution.objective == solution_objective(problem, solution.chosen)
    assert _lexicographic(solution.objective) <= _lexicographic(solution_objective(problem, greedy(problem)))
    for code, niks in solution.chosen.items():
        assert len(niks) <= len(next(t for t in tps if t.code == code).free_seats)


# ---- what the proposal prefers --------------------------------------------------------------------


def test_a_desa_with_too_few_women_takes_women_of_the_kecamatan(tmp_path):
    sulung, kumpai = "62.01.01.2001", "62.01.01.2002"
    people = [person(sulung, i, MALE) for i in range(1, 9)] + [person(sulung, 20, FEMALE)]
    people += [person(kumpai, 30 + i, FEMALE) for i in range(3)]
    ws = workspace(tmp_path / "ws", [empty_tps(sulung)], people)
    proposal = proposals.propose(ws, Scope("tps", tps_code(sulung, 1)))
    women = [s for s in proposal.seats if ws.people[s.nik].sex == FEMALE]
    assert len(proposal.seats) == 7 and len(women) == 3
    outside = [s for s in proposal.seats if ws.people[s.nik].desa_code != sulung]
    assert len(outside) == 2 and all(any(f.code == "outside_desa" for f in s.warnings) for s in outside)
    assert "same kecamatan" in " ".join(outside[0].reasons)
    assert proposal.tps_short_of_women == 0 and proposal.objective.women_missing == 0


def test_too_few_women_anywhere_fills_the_seats_and_says_the_tps_is_short(tmp_path):
    sulung = "62.01.01.2001"
    people = [person(sulung, i, MALE) for i in range(1, 9)] + [person(sulung, 20, FEMALE)]
    ws = workspace(tmp_path / "ws", [empty_tps(sulung)], people)
    proposal = proposals.propose(ws, Scope("all"))
    assert len(proposal.seats) == 7 and proposal.tps_short_of_women == 1
    assert proposal.objective.women_missing == 2 == proposal.bound.women_missing
    assert proposal.outside_desa == 0


def test_a_tps_with_no_eligible_resident(tmp_path):
    sulung, kumpai, riam = "62.01.01.2001", "62.01.01.2002", "62.01.02.2001"
    people = [person(sulung, 1, age=16), person(sulung, 2, stage=Stage.NOT_ELIGIBLE)]  # nobody eligible at home
    people += [person(kumpai, 10 + i, FEMALE if i % 2 else MALE) for i in range(3)]
    people += [person(riam, 40 + i) for i in range(6)]
    ws = workspace(tmp_path / "ws", [empty_tps(sulung)], people)
    code = tps_code(sulung, 1)
    proposal = proposals.propose(ws, Scope("tps", code))
    assert {ws.people[s.nik].desa_code for s in proposal.seats} == {kumpai}
    assert len(proposal.seats) == 3 and len(proposal.left_empty) == 4
    assert "Kecamatan Arut" in proposal.left_empty[0].why and "Desa Sulung" in proposal.left_empty[0].why
    wider = proposals.propose(ws, Scope("tps", code), allow_other_kecamatan=True)
    assert len(wider.seats) == 7 and not wider.left_empty
    assert sum(ws.people[s.nik].desa_code == riam for s in wider.seats) == 4
    assert wider.objective.residence == 3 * 1 + 4 * 2


def test_someone_seated_elsewhere_tms_pendaftar_or_gone_is_never_proposed(demo_ws):
    proposal = proposals.propose(demo_ws, Scope("all"))
    assert len(proposal.seats) > 1000
    for s in proposal.seats:
        p = demo_ws.people[s.nik]
        assert s.nik not in demo_ws.placements
        assert p.standing.stage in SEATABLE_STAGES and not p.standing.stage.has_left
    left = {p.nik for p in demo_ws.people.values() if p.standing.stage.has_left or p.standing.stage is Stage.NOT_ELIGIBLE}
    assert left and not left & {s.nik for s in proposal.seats}
    assert not left & {n for t in proposal.tps for n in t.reserves}


def test_seat_one_goes_to_the_most_suitable(tmp_path):
    sulung = "62.01.01.2001"
    people = [person(sulung, i, FEMALE if i < 4 else MALE) for i in range(1, 8)]
    veteran = person(sulung, 99, MALE, age=44, earlier_service="Pemilu 2019, Pemilu 2024", education="S1")
    ws = workspace(tmp_path / "ws", [empty_tps(sulung)], [*people, veteran])
    proposal = proposals.propose(ws, Scope("all"))
    ketua = next(s for s in proposal.seats if s.seat == 1)
    assert ketua.nik == veteran.nik
    assert "KPPS Pemilu 2019, Pemilu 2024" in ketua.reasons and "S1" in ketua.reasons


def test_the_same_workspace_gives_the_same_proposal(demo_dir):
    from kpps_tui.commands.propose import proposal_json

    first = proposal_json(proposals.propose(Workspace.open(demo_dir), Scope("all")))
    again = proposal_json(proposals.propose(Workspace.open(demo_dir), Scope("all"), parallel=True))
    for result in (first, again):
        result["summary"].pop("seconds")
    assert first == again


# ---- accepting -----------------------------------------------------------------------------------


def test_a_race_at_accept_time_refuses_only_what_was_taken_naming_who(demo_dir):
    ours = Workspace.open(demo_dir)
    proposal = proposals.propose(ours, Scope("all"))
    target = next(t for t in proposal.tps if len(t.seats) >= 3)
    other = next(t for t in proposal.tps if t.tps_code != target.tps_code and len(t.seats) >= 2)
    theirs = Workspace.open(demo_dir)
    theirs.user = "koordinator9"
    taken_seat, moved_person = target.seats[0], target.seats[1]
    # Another session fills one proposed seat with someone else, and seats a proposed person elsewhere.
    stranger = next(s.nik for s in other.seats)
    assignments.assign(theirs, target.tps_code, taken_seat.seat, stranger, user="koordinator9")
    free = next(n for n in range(1, 8) if n not in theirs.tps[other.tps_code].seats and n != other.seats[0].seat)
    assignments.assign(theirs, other.tps_code, free, moved_person.nik, user="koordinator9")

    accepted = proposals.accept(ours, target)
    assert len(accepted.refused) == 2
    text = " ".join(accepted.refused)
    assert theirs.people[stranger].name in text and "koordinator9" in text
    assert moved_person.name in text
    assert len(accepted.seated) == len(target.seats) - 2
    again = Workspace.open(demo_dir)
    for seat, nik in accepted.seated:
        held = again.tps[target.tps_code].seats[seat]
        assert held.nik == nik
        assert all(o.justified for o in held.overrides)
    assert again.tps[target.tps_code].reserves == target.reserves


def test_undo_of_an_acceptance_is_one_step(demo_dir):
    ws = Workspace.open(demo_dir)
    proposal = proposals.propose(ws, Scope("all"))
    target = next(t for t in proposal.tps if len(t.seats) >= 2)
    before = dict(ws.tps[target.tps_code].seats)
    history = History()
    accepted = proposals.accept(ws, target)
    history.record(accepted.step)
    assert len(Workspace.open(demo_dir).tps[target.tps_code].seats) == len(before) + len(target.seats)
    assert not proposals.undone(ws, accepted)
    history.undo(ws)
    assert Workspace.open(demo_dir).tps[target.tps_code].seats.keys() == before.keys()
    assert proposals.undone(ws, accepted)  # free again: the review may show it again
    order = {t.tps_code: i for i, t in enumerate(proposal.tps)}
    assert proposal.without(target.tps_code).with_back([target], order) == proposal
    history.redo(ws)
    assert len(Workspace.open(demo_dir).tps[target.tps_code].seats) == len(before) + len(target.seats)
    assert not proposals.undone(ws, accepted)


def test_reserves_come_first_in_the_picker_once_accepted(demo_dir):
    ws = Workspace.open(demo_dir)
    proposal = proposals.propose(ws, Scope("all"), reserves_per_tps=2)
    target = next(t for t in proposal.tps if t.seats and len(t.reserves) == 2)
    proposals.accept(ws, target)
    tps = ws.tps[target.tps_code]
    seat, nik = next(iter(sorted(tps.seats.items())))
    assignments.unassign(ws, tps.code, seat)  # a freed seat
    listed = [c.person.nik for c in browse.candidates(ws, ws.tps[tps.code])]
    assert listed[:2] == list(target.reserves)


# ---- the command -----------------------------------------------------------------------------------


def test_propose_json_has_the_shape_of_the_issue_and_apply_writes_it(kpps, demo_dir):
    code, out, _err = kpps("--data", demo_dir, "propose", "--kecamatan", "62.01.01", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"seats", "reserves", "left_empty", "summary"}
    assert set(data["seats"][0]) == {"tps", "seat", "nik", "name", "warnings", "reasons"}
    assert set(data["summary"]) == {
        "empty_seats", "proposed", "warnings", "tps_short_of_women", "outside_desa", "objective", "bound", "seconds"
    }
    assert set(data["summary"]["objective"]) == set(LEVELS) and data["summary"]["objective"] == data["summary"]["bound"]
    assert all(isinstance(v, list) for v in data["reserves"].values())
    code, applied, err = kpps("--data", demo_dir, "propose", "--kecamatan", "62.01.01", "--json", "--apply")
    assert code == 0, err
    assert json.loads(applied)["seats"] == data["seats"]
    ws = Workspace.open(demo_dir)
    for s in data["seats"]:
        assert ws.tps[s["tps"]].seats[s["seat"]].nik == s["nik"]
    code, out, _err = kpps("--data", demo_dir, "propose", "--kecamatan", "62.01.01", "--json")
    assert json.loads(out)["summary"]["proposed"] == 0


def test_apply_exits_7_partly_when_another_process_takes_a_seat_between_proposal_and_apply(demo_dir):
    """A real race with a real child process. The child prints its proposal before it applies
    it; its JSON (over 300 KB) is far more than a pipe holds (64 KB), so once its first byte is
    here the child has proposed and is stuck printing. The test then takes the workspace's lock,
    reads the rest (the child goes on to wait for the lock), fills one proposed seat as another
    user and lets go: the child's apply must find that seat taken."""
    child = subprocess.Popen(
        [sys.executable, "-m", "kpps_tui.cli", "--lang", "en", "--data", str(demo_dir), "propose", "--all", "--json", "--apply"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    try:
        first = os.read(child.stdout.fileno(), 1)
        theirs = Workspace.open(demo_dir)
        with theirs.transaction():
            lines = [first + child.stdout.readline()]
            while lines[-1] not in (b"}\n", b""):  # the last line (or the end); the child then waits for the lock
                lines.append(child.stdout.readline())
            printed = b"".join(lines)
            assert len(printed) > 4 * 65536  # else the child could have applied before the lock was taken
            proposed = json.loads(printed)["seats"]
            target = proposed[0]
            chosen = {s["nik"] for s in proposed}
            stranger = next(p for p in proposals.pool_of(theirs, theirs.people.values()) if p.nik not in chosen)
            assignments.assign(theirs, target["tps"], target["seat"], stranger.nik, user="koordinator9")
        code = child.wait(timeout=300)
        err = child.stderr.read().decode()
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
        child.stderr.close()
    assert code == 7, err  # partly: the rest were seated
    assert "Traceback" not in err
    assert theirs.people[stranger.nik].name in err and "koordinator9" in err
    assert f"Applied: {len(proposed) - 1:,} of {len(proposed):,} proposed officers seated, 1 refused." in err
    after = Workspace.open(demo_dir)
    assert after.tps[target["tps"]].seats[target["seat"]].nik == stranger.nik
    for s in proposed[1:]:
        assert after.tps[s["tps"]].seats[s["seat"]].nik == s["nik"]


def test_propose_in_indonesian_speaks_indonesian(kpps, demo_dir):
    code, out, _err = kpps("--data", demo_dir, "propose", "--desa", "Candi", lang="id")
    assert code == 0
    assert "warga Kelurahan Candi" in out and "kursi kosong diusulkan" in out
