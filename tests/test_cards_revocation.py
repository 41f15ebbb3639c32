"""A card never outlives what it vouches for: the seat change, the new name or the rejected
declaration that withdraws it lands with its revocation; a damaged card file or a lost signing
key stops the change before anything is written, with the way back (issue 11, defects 2, 4, 5).

Each test failed on the main branch before the card book moved under store/ (73fc84d)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from tinydb import TinyDB

from kpps_tui.cards.verify import Status
from kpps_tui.domain.declarations import DeclState
from kpps_tui.services import assignments, cards, declarations
from kpps_tui.services.applicants.commands import update_applicant
from kpps_tui.services.recovery import WorkspaceDamaged, open_workspace
from kpps_tui.store import backups
from kpps_tui.store.audit import log_path
from kpps_tui.store.keys import private_key_path
from kpps_tui.store.workspace import Workspace

from cards_support import card_ready_tps

DURING_WORK = date(2024, 11, 20)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def carded(demo_dir: Path) -> tuple[Workspace, str]:
    """The demo with the cards of one full TPS issued (seats 1 to 3), opened as the CLI and the
    interface open it (services.recovery)."""
    ws = open_workspace(demo_dir)
    tps = card_ready_tps(ws)
    for seat in (1, 2, 3):
        cards.preview_card(ws, tps.code, seat, today=DURING_WORK)
    return ws, tps.code


def active_card(ws: Workspace, tps: str, seat: int):
    found = ws.card_book().active_for_seat(tps, seat)
    assert len(found) == 1
    return found[0]


def seats_on_disk(root: Path, tps_code: str) -> dict[str, object]:
    kec = ".".join(tps_code.split(".")[:3])
    db = TinyDB(root / "tps" / f"{kec}.json")
    try:
        return next(d["seats"] for d in db.table("tps").all() if d["code"] == tps_code)
    finally:
        db.close()


# ---- defect 4: a damaged card file stops a seat change before anything changes ------------------


@pytest.mark.parametrize("change", ["unassign", "move", "swap"])
def test_a_damaged_card_file_stops_the_seat_change_before_anything_is_written(carded, change) -> None:
    ws, tps = carded
    if change == "move":
        assignments.unassign(ws, tps, 7)  # a free seat to move to (seat 7 has no card)
    backups.take_snapshot(ws.root, "manual")
    kec = ".".join(tps.split(".")[:3])
    (ws.root / "cards" / f"{kec}.json").write_bytes(b'{"cards": {"1": {"serial": 1, "co')
    seats, log = seats_on_disk(ws.root, tps), log_path(ws.root).read_bytes()
    with pytest.raises(WorkspaceDamaged) as refused:
        if change == "unassign":
            assignments.unassign(ws, tps, 2)
        elif change == "move":
            assignments.move(ws, tps, 2, 7)
        else:
            assignments.swap(ws, tps, 2, 3)
    message = str(refused.value)
    assert f"cards/{kec}.json is damaged" in message and "restore it with: kpps --data" in message
    assert message.count(". ") <= 3 and "Traceback" not in message
    assert seats_on_disk(ws.root, tps) == seats  # the seat was not freed
    assert log_path(ws.root).read_bytes() == log  # nor logged
    assert 2 in ws.tps[tps].seats


def test_kpps_check_and_unassign_report_a_damaged_card_file_with_the_restore_hint(carded, kpps) -> None:
    ws, tps = carded
    snap = backups.take_snapshot(ws.root, "manual")
    kec = ".".join(tps.split(".")[:3])
    (ws.root / "cards" / f"{kec}.json").write_bytes(b"garbage")
    for command in (["check"], ["unassign", tps, "2"]):
        code, out, err = kpps("--data", ws.root, *command)
        assert code == 1 and "sound" not in out
        assert f"restore it with: kpps --data {ws.root} restore {snap.name}" in err
    assert "2" in seats_on_disk(ws.root, tps)


def test_a_card_file_the_list_does_not_name_yet_is_listed_when_first_seen_and_then_guarded(carded, kpps) -> None:
    """A workspace whose card files were made before they were listed (an older version)."""
    ws, tps = carded
    main = json.loads((ws.root / "workspace.json").read_text())
    main["files"]["1"]["paths"] = [p for p in main["files"]["1"]["paths"] if not p.startswith(("cards", "keys"))]
    (ws.root / "workspace.json").write_text(json.dumps(main))
    assert kpps("--data", ws.root, "tps", "list")[0] == 0  # opening lists them
    listed = json.loads((ws.root / "workspace.json").read_text())["files"]["1"]["paths"]
    kec = ".".join(tps.split(".")[:3])
    assert {"cards.json", f"cards/{kec}.json", "keys/card-signing-key.pem"} <= set(listed)
    (ws.root / "cards" / f"{kec}.json").unlink()
    code, _out, err = kpps("--data", ws.root, "unassign", tps, "2")
    assert code == 1 and f"cards/{kec}.json is damaged (missing)" in err


# ---- defect 5: a lost signing key is damage, never replaced ----------------------------------------


def test_a_deleted_signing_key_stops_the_next_issue_and_names_the_snapshot_holding_it(carded, kpps) -> None:
    ws, tps = carded
    snap = backups.take_snapshot(ws.root, "manual")
    key = private_key_path(ws.root)
    key.unlink()
    with pytest.raises(WorkspaceDamaged) as refused:
        cards.preview_card(ws, tps, 4, today=DURING_WORK)
    assert "card signing key" in str(refused.value) and f"restore {snap.name}" in str(refused.value)
    assert not key.exists()  # no new key: the printed cards would all read as forged
    code, _out, err = kpps("--data", ws.root, "cards", "--tps", tps, "-o", ws.root.parent / "c.pdf")
    assert code == 1 and f"The newest snapshot holding the key is {snap.name}" in err
    assert not key.exists() and not (ws.root.parent / "c.pdf").exists()


def test_a_deleted_key_is_damage_even_where_the_file_list_never_named_it(carded) -> None:
    ws, tps = carded
    main = json.loads((ws.root / "workspace.json").read_text())
    main["files"]["1"]["paths"] = [p for p in main["files"]["1"]["paths"] if not p.startswith("keys")]
    (ws.root / "workspace.json").write_text(json.dumps(main))
    private_key_path(ws.root).unlink()
    with pytest.raises(WorkspaceDamaged) as refused:
        cards.export_public_key(open_workspace(ws.root), ws.root.parent / "public.json")
    assert "cards were signed with it" in str(refused.value)
    assert not private_key_path(ws.root).exists()


def test_a_workspace_that_never_issued_a_card_makes_its_key_on_the_first_issue(demo_dir: Path) -> None:
    ws = open_workspace(demo_dir)
    assert ws.signing_key() is None
    tps = card_ready_tps(ws)
    cards.preview_card(ws, tps.code, 1, today=DURING_WORK)
    assert private_key_path(demo_dir).is_file()
    made = [json.loads(line) for line in log_path(demo_dir).read_text().splitlines() if '"key_create"' in line]
    assert len(made) == 1


# ---- revocations that land with the change that calls for them -----------------------------------


def logged_revocations(root: Path) -> list[int]:
    serials: list[int] = []
    for line in log_path(root).read_text().splitlines():
        entry = json.loads(line)
        if entry.get("action") == "card_revoke":
            serials += entry["after"]["serials"]
    return serials


def test_a_rejected_declaration_revokes_the_officers_card_and_logs_it(carded) -> None:
    ws, tps = carded
    card = active_card(ws, tps, 2)
    declarations.set_state(ws, card.nik, DeclState.REJECTED, reason="tanda tangan palsu")
    record = Workspace.open(ws.root).card_book().records[card.serial]
    assert not record.active and record.revoke_reason == "declaration_rejected"
    assert card.serial in logged_revocations(ws.root)
    verdict = cards.verify_code(card.code, ws=Workspace.open(ws.root))
    assert verdict.status is Status.REVOKED
    assert active_card(ws, tps, 3).active  # the others keep theirs


def test_a_new_name_revokes_the_card_that_prints_the_old_one(carded) -> None:
    ws, tps = carded
    card = active_card(ws, tps, 3)
    update_applicant(ws, card.nik, {"name": card.name + " Putri"})
    record = Workspace.open(ws.root).card_book().records[card.serial]
    assert not record.active and record.revoke_reason == "details_changed"


@pytest.mark.parametrize(("change", "seats", "reason"), [("unassign", (2,), "unassigned"), ("swap", (2, 3), "swapped")])
def test_a_seat_change_revokes_in_its_own_transaction(carded, change, seats, reason) -> None:
    ws, tps = carded
    before = [active_card(ws, tps, s) for s in seats]
    with ws.transaction():
        if change == "unassign":
            assignments.unassign(ws, tps, 2)
        else:
            assignments.swap(ws, tps, 2, 3)
        # inside the transaction, before its commit: the revocation is staged with the seat
        assert all(not ws.card_book().records[c.serial].active for c in before)
    records = Workspace.open(ws.root).card_book().records
    assert [records[c.serial].revoke_reason for c in before] == [reason] * len(seats)


# ---- defect 2: a kill between the seat write and the revocation -----------------------------------

CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from kpps_tui.store import files, journal, storage
    from kpps_tui.services import assignments
    from kpps_tui.services.recovery import open_workspace

    root, tps, seat = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    real = files.atomic_write_bytes
    written = []

    def dying_write(path, payload):
        rel = Path(path).relative_to(root).as_posix() if Path(path).is_relative_to(root) else ""
        if rel.startswith(("tps/", "cards/")):
            if written:  # the exact point between the seat write and the revocation
                os._exit(9)
            written.append(rel)
        real(path, payload)

    for module in (files, journal, storage):
        module.atomic_write_bytes = dying_write
    ws = open_workspace(root)
    assignments.unassign(ws, tps, seat)
    print("both written: the kill point was never reached", written)
    """
)


def test_a_kill_between_the_seat_write_and_the_revocation_leaves_no_valid_card_for_who_left(carded, run_kpps) -> None:
    ws, tps = carded
    card = active_card(ws, tps, 2)
    qr_text = cards.card_faces(ws, [card])[0].qr_text
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(ws.root), tps, "2"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 9, done.stdout + done.stderr
    # A fresh process: the next opener settles what the killed one left. An offline checker
    # knows only the revocations in the public key file exported now.
    public = ws.root.parent / "public.json"
    assert run_kpps("--data", ws.root, "keys", "export-public", public).returncode == 0
    offline = run_kpps("--lang", "en", "--data", ws.root.parent / "elsewhere", "verify", "--public-key", public, "--date", "2024-11-20", qr_text)
    assert "Revoked" in offline.stdout, offline.stdout + offline.stderr
    fresh = Workspace.open(ws.root)
    for record in fresh.card_book().records.values():
        if record.active:
            holder = fresh.tps[record.tps].seats.get(record.seat)
            assert holder is not None and holder.nik == record.nik, record
    assert run_kpps("--lang", "en", "--data", ws.root, "check").returncode == 0


def test_kpps_check_reads_a_damaged_card_file_the_list_does_not_name(carded, kpps) -> None:
    ws, tps = carded
    main = json.loads((ws.root / "workspace.json").read_text())
    main["files"]["1"]["paths"] = [p for p in main["files"]["1"]["paths"] if not p.startswith("cards")]
    (ws.root / "workspace.json").write_text(json.dumps(main))
    kec = ".".join(tps.split(".")[:3])
    (ws.root / "cards" / f"{kec}.json").write_bytes(b"[]")
    code, out, err = kpps("--data", ws.root, "check")
    assert code == 1 and "sound" not in out and f"cards/{kec}.json is damaged" in err


RESTORE_CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from kpps_tui.store import files, journal, storage
    from kpps_tui.services import recovery

    root, name, where = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    if where == "before-revocation":  # the restore's seats are staged; the revocation is next
        def dying_open(folder):
            os._exit(9)

        recovery.Workspace.open = dying_open
    else:  # between two of the batch's files on disk
        real, written = files.atomic_write_bytes, []

        def dying_write(path, payload):
            rel = Path(path).relative_to(root).as_posix() if Path(path).is_relative_to(root) else ""
            if rel.startswith(("tps/", "cards/", "people/")):
                if written:
                    os._exit(9)
                written.append(rel)
            real(path, payload)

        for module in (files, journal, storage):
            module.atomic_write_bytes = dying_write
    recovery.restore(root, name)
    print("restored: the kill point was never reached")
    """
)


@pytest.mark.parametrize("where", ["before-revocation", "between-files"])
def test_a_kill_in_a_restore_leaves_no_valid_card_for_who_left(demo_dir: Path, run_kpps, where) -> None:
    """A snapshot where seat 2 held someone else: restoring it withdraws the card of the
    officer on seat 2 now, in the restore's own batch, wherever the process dies."""
    from cards_support import verify_declarations

    ws = open_workspace(demo_dir)
    tps = card_ready_tps(ws)
    before = ws.tps[tps.code].seats[2].nik
    snap = backups.take_snapshot(demo_dir, "manual")
    assignments.unassign(ws, tps.code, 2)
    newcomer = next(p.nik for p in ws.people.values() if p.nik not in ws.placements and p.desa_code == tps.desa_code)
    verify_declarations(ws, [newcomer])
    assignments.assign(ws, tps.code, 2, newcomer, strict_overrides=False)
    cards.preview_card(ws, tps.code, 2, today=DURING_WORK)
    card = active_card(ws, tps.code, 2)
    qr_text = cards.card_faces(ws, [card])[0].qr_text
    done = subprocess.run(
        [sys.executable, "-c", RESTORE_CHILD, str(demo_dir), snap.name, where],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 9, done.stdout + done.stderr
    fresh = Workspace.open(demo_dir)  # the next opener settles what the killed one left
    for record in fresh.card_book().records.values():
        if record.active:
            holder = fresh.tps[record.tps].seats.get(record.seat)
            assert holder is not None and holder.nik == record.nik, record
    public = demo_dir.parent / "public.json"
    assert run_kpps("--data", demo_dir, "keys", "export-public", public).returncode == 0
    offline = run_kpps("--lang", "en", "--data", demo_dir.parent / "elsewhere", "verify", "--public-key", public, "--date", "2024-11-20", qr_text)
    restored = fresh.tps[tps.code].seats[2].nik == before
    assert restored == (where == "between-files")  # a batch cut short on disk is rolled forward
    assert ("Revoked" in offline.stdout) == restored, offline.stdout + offline.stderr
    assert run_kpps("--lang", "en", "--data", demo_dir, "check").returncode == 0
