"""Roles in the services, the hash-chained log and the damage a cut or deleted log is (issues
15 and 11.7), on real workspaces with the login that runs the tests (the accounts of an office
are in test_roles_unix.py)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from kpps_tui.domain.roles import Forbidden
from kpps_tui.services import assignments, integrity, users
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store import audit
from kpps_tui.store.layout import USERS_FILE
from kpps_tui.store.workspace import Workspace

from conftest import Pick


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init_from_sample(tmp_path / "ws", "demo")


def one_sentence(kpps, root: Path, *args: str) -> str:
    code, out, err = kpps("--data", str(root), *args)
    assert code == 1, out + err
    assert err.strip() and "\n" not in err.strip() and "Traceback" not in err, err
    return err.strip()


def test_the_creator_is_admin_and_a_coordinator_is_held_to_her_scope(ws: Workspace) -> None:
    me = ws.user
    assert users.whoami(ws).role.value == "admin"
    kec_a, kec_b = ws.kecamatan_codes()[:2]
    users.add_user(ws, "keeper", "admin")  # so that this login may stop being one
    users.add_user(ws, me, "coordinator", kecamatan=[kec_a])
    pick = Pick(ws)
    inside = pick.tps_with_empty_seats(1, kecamatan=kec_a)
    assignments.assign(ws, inside.code, pick.empty_seats(inside)[0], pick.free_people(inside)[0].nik)
    outside = pick.tps_with_empty_seats(1, kecamatan=kec_b)
    before = (ws.root / "tps" / f"{kec_b}.json").read_bytes()
    with pytest.raises(Forbidden, match=f"coordinates {kec_a} only"):
        assignments.assign(ws, outside.code, pick.empty_seats(outside)[0], pick.free_people(outside)[0].nik)
    assert (ws.root / "tps" / f"{kec_b}.json").read_bytes() == before
    assert users.refusal(ws, region=outside.desa_code) is not None and users.refusal(ws, region=inside.desa_code) is None
    with pytest.raises(Forbidden, match="Only an admin"):
        users.add_user(ws, "someone", "viewer")
    logged = [e for e in audit.read(ws.root) if e.action == "users"]
    assert [e.subject for e in logged] == ["user:keeper", f"user:{me}"] and all(e.user == me for e in logged)


def test_users_commands_list_refuse_the_last_admin_and_unknown_regions(ws: Workspace, kpps) -> None:
    root = str(ws.root)
    code, out, _err = kpps("--data", root, "users", "add", "siti", "--role", "coordinator", "--kecamatan", ws.kecamatan_codes()[0])
    assert code == 0 and "siti" in out
    code, out, _err = kpps("--data", root, "users", "list")
    assert code == 0 and "siti" in out and "coordinator" in out and "Private to its owner" in out
    assert "no kecamatan 99.99" in one_sentence(kpps, ws.root, "users", "add", "x", "--role", "coordinator", "--kecamatan", "99.99")
    assert "last admin" in one_sentence(kpps, ws.root, "users", "remove", ws.user)
    code, out, _err = kpps("--data", root, "users", "remove", "siti")
    assert code == 0
    code, out, err = kpps("--data", root, "log")
    assert code == 0 and "Traceback" not in err and "user:siti" in out


def test_a_login_without_a_role_is_told_whom_to_ask(ws: Workspace) -> None:
    users.add_user(ws, "keeper", "admin")
    data = json.loads((ws.root / USERS_FILE).read_text())
    data["users"] = {k: v for k, v in data["users"].items() if v["login"] != ws.user}
    (ws.root / USERS_FILE).write_text(json.dumps(data))  # as if another admin removed this login
    with pytest.raises(Forbidden, match="has no role in this workspace; ask its admin \\(keeper\\)"):
        Workspace.open(ws.root)


def test_an_old_log_is_sealed_by_the_anchor_of_the_first_open(tmp_path: Path) -> None:
    ws = init_from_sample(tmp_path / "ws", "demo")
    pick = Pick(ws)
    tps = pick.tps_with_empty_seats(1)
    assignments.assign(ws, tps.code, pick.empty_seats(tps)[0], pick.free_people(tps)[0].nik)
    # Make it a workspace of before roles: no users file, a log of unchained lines.
    log = audit.log_path(ws.root)
    old = [json.loads(line) for line in log.read_text().splitlines()][1:]
    log.write_text("".join(json.dumps({k: v for k, v in e.items() if k != "prev"}) + "\n" for e in old))
    (ws.root / USERS_FILE).unlink()
    main = json.loads((ws.root / "workspace.json").read_text())
    main["files"]["1"]["paths"].remove(USERS_FILE)  # listed files are damage when gone
    (ws.root / "workspace.json").write_text(json.dumps(main))
    again = Workspace.open(ws.root)
    with again.transaction():
        pass  # the owner's first open: admin, and an anchor after the old lines
    assert users.whoami(again).role.value == "admin"
    assert audit.verify_chain(ws.root, expected=True) is None
    assert integrity.history_problems(again) == []
    text = log.read_text()
    log.write_text(text.replace('"assign"', '"assigX"', 1))  # an old line changed afterwards
    assert audit.verify_chain(ws.root, expected=True).line == 2  # the anchor no longer seals it


@pytest.mark.parametrize("damage", ["delete", "empty", "truncate", "garble"])
def test_a_damaged_audit_log_stops_every_command_and_check_with_one_sentence(ws: Workspace, kpps, damage: str) -> None:
    pick = Pick(ws)
    for skip in range(3):
        tps = pick.tps_with_empty_seats(1, skip=skip)
        assignments.assign(ws, tps.code, pick.empty_seats(tps)[0], pick.free_people(tps)[0].nik)
    log = audit.log_path(ws.root)
    data = log.read_bytes()
    if damage == "delete":
        log.unlink()
    elif damage == "empty":
        log.write_bytes(b"")
    elif damage == "truncate":
        log.write_bytes(data[: len(data) - 40])
    else:
        middle = len(data) // 2
        log.write_bytes(data[:middle] + b"#garbage#" + data[middle + 9:])
    tps_before = {p.name: p.read_bytes() for p in (ws.root / "tps").iterdir()}
    for command in (["check"], ["tps", "list"], ["assign", tps.code, "7", "6201010101010001"]):
        sentence = one_sentence(kpps, ws.root, *command)
        assert "audit" in sentence and "seal-log" in sentence, sentence
    assert {p.name: p.read_bytes() for p in (ws.root / "tps").iterdir()} == tps_before
    code, out, _err = kpps("--data", str(ws.root), "seal-log")
    assert code == 0, out
    code, out, _err = kpps("--data", str(ws.root), "check")
    assert code == 0 and "sound" in out, out


def test_check_names_a_person_edited_by_hand(ws: Workspace, kpps) -> None:
    person = sorted(ws.people.values(), key=lambda p: p.nik)[0]
    path = ws.root / "people" / f"{person.kecamatan_code}.json"
    path.write_text(path.read_text().replace(json.dumps(person.name), json.dumps(person.name + " X"), 1))
    code, out, _err = kpps("--data", str(ws.root), "check")
    assert code == 1
    assert f"in people/{person.kecamatan_code}.json differs from what the audit log's anchor recorded" in out
    assert person.nik not in out  # named by its masked NIK


def test_a_group_shared_workspace_accepts_exactly_its_modes(tmp_path: Path, kpps) -> None:
    group = next((g for g in ("kpps", "users", "staff", "root") if _group_exists(g)), None)
    if group is None or os.geteuid() != 0 and group not in _my_groups():
        pytest.skip("no group this login may give files to")
    root = tmp_path / "ws"
    code, out, err = kpps("--data", str(root), "init", "--sample", "--group", group)
    assert code == 0, err
    assert stat.S_IMODE(root.stat().st_mode) == 0o2770
    assert all(stat.S_IMODE(p.stat().st_mode) == (0o2770 if p.is_dir() else 0o660) for p in root.rglob("*"))
    code, out, _err = kpps("--data", str(root), "check")
    assert code == 0, out
    loose = root / "tps" / sorted(os.listdir(root / "tps"))[0]
    os.chmod(loose, 0o664)
    code, out, _err = kpps("--data", str(root), "check")
    assert code == 1 and f"{loose} has mode 664" in out
    assert "There is no group nosuchgroupkpps" in one_sentence(kpps, tmp_path / "other", "init", "--sample", "--group", "nosuchgroupkpps")
    assert not (tmp_path / "other").exists()


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def _my_groups() -> set[str]:
    import grp

    return {grp.getgrgid(g).gr_name for g in os.getgroups()}
