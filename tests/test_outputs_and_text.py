"""What leaves the program: `-o` paths, control characters in names, masked NIKs, and the age
of an exported revocation list. One test per defect; each failed before its fix."""

from __future__ import annotations

import csv
import io
import json
import os
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tinydb import TinyDB

from kpps_tui.domain.nik import make_nik, mask_nik
from kpps_tui.services.settings import set_election_setting
from kpps_tui.store import audit
from kpps_tui.store.workspace import Workspace

from cards_support import card_ready_tps

Kpps = Callable[..., tuple[int, str, str]]
Digests = Callable[[Path], dict[str, str]]

ESC_NAME = "Siti\x1b[2K\x1b[1GGenuine and valid\x00\x9b31m"


def nik(serial: int) -> str:
    return make_nik("62.01.01", date(1990, 12, 5), "P", serial)


# ---- -o paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize("inside", ["workspace.json", "audit/log.jsonl", "keys/card-signing-key.pem", "tps/new.json"])
def test_an_output_inside_the_workspace_is_refused(
    kpps: Kpps, demo_dir: Path, digests: Digests, inside: str
) -> None:
    before = digests(demo_dir)
    code, out, err = kpps("--data", demo_dir, "keys", "export-public", demo_dir / inside)
    assert code == 1 and "is inside the workspace" in err
    after = digests(demo_dir)
    assert {k: v for k, v in after.items() if k in before} == before and not (demo_dir / "tps" / "new.json").exists()


def test_an_output_through_a_link_to_a_file_is_refused_and_the_file_kept(kpps: Kpps, demo_dir: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.csv"
    victim.write_bytes(b"precious\n")
    link = tmp_path / "list.csv"
    link.symlink_to(victim)
    code, out, err = kpps("--data", demo_dir, "export", "applicants", "-o", link)
    assert code == 1 and f"is a symbolic link to {victim}" in err
    assert victim.read_bytes() == b"precious\n" and link.is_symlink()


def test_an_output_into_a_link_to_the_workspace_is_refused(kpps: Kpps, demo_dir: Path, tmp_path: Path, digests: Digests) -> None:
    before = digests(demo_dir)
    (tmp_path / "out").symlink_to(demo_dir)
    code, _out, err = kpps("--data", demo_dir, "export", "applicants", "-o", tmp_path / "out" / "tps.csv")
    assert code == 1 and "is inside the workspace" in err and digests(demo_dir) == before


def test_an_output_to_a_pipe_is_written_into_it_not_replaced(kpps: Kpps, demo_dir: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    received = bytearray()
    reader_fd = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # first, so the writer's open succeeds

    def read_all() -> None:
        os.set_blocking(reader_fd, True)
        while chunk := os.read(reader_fd, 1 << 16):
            received.extend(chunk)

    # A blocking read returns at once while no writer has the pipe open: wait for the first one.
    writer_seen = threading.Event()

    def read_when_written() -> None:
        import select

        select.select([reader_fd], [], [], 60)
        writer_seen.set()
        read_all()

    thread = threading.Thread(target=read_when_written, daemon=True)
    thread.start()
    code, out, err = kpps("--data", demo_dir, "export", "applicants", "-o", pipe)
    thread.join(timeout=60)
    os.close(reader_fd)
    assert code == 0, err
    assert pipe.is_fifo()
    rows = list(csv.reader(io.StringIO(received.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(Workspace.open(demo_dir).people)


# ---- control characters ---------------------------------------------------------------------------


def test_control_characters_in_an_imported_name_are_stripped(kpps: Kpps, demo_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    others = "".join(f"{nik(9510 + i)},Dewi Lestari Wulandari {i},Candi\n" for i in range(20))
    path.write_text(f"NIK,Nama,Desa\n{nik(9501)},{ESC_NAME},Candi\n{others}", encoding="utf-8")
    code, out, err = kpps("--data", demo_dir, "import", "applicants", path)
    assert code == 0, err
    name = Workspace.open(demo_dir).people[nik(9501)].name
    assert name == "Siti [2K [1GGenuine and valid 31m"
    assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in out + err)


def test_the_applicant_form_strips_control_characters(demo_ws: Workspace) -> None:
    from kpps_tui.services import applicants

    person = applicants.add_applicant(demo_ws, {"nik": nik(9502), "name": "Rina\x1b]0;owned\x07", "desa": "Candi"})
    assert person.name == "Rina ]0;owned"


def stored_with_escape(root: Path) -> str:
    """A person whose name holds ESC in the file (written by another tool): their NIK."""
    ws = Workspace.open(root)
    person = next(p for p in sorted(ws.people.values(), key=lambda p: p.nik) if p.kecamatan_code == "62.01.01")
    db = TinyDB(root / "people" / "62.01.01.json")
    table = db.table("people")
    doc_id = next(d.doc_id for d in table.all() if d["nik"] == person.nik)
    table.update({"name": ESC_NAME}, doc_ids=[doc_id])
    db.close()
    return person.nik


def test_a_stored_name_with_control_characters_is_printed_escaped(kpps: Kpps, demo_dir: Path) -> None:
    who = stored_with_escape(demo_dir)
    code, out, err = kpps("--data", demo_dir, "applicant", "show", who)
    assert code == 0, err
    assert "\x1b" not in out and "\x00" not in out and "\x9b" not in out
    assert "Siti\\x1b[2K\\x1b[1GGenuine and valid\\x00\\x9b31m" in out


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_stored_name_with_control_characters_exports_escaped(kpps: Kpps, demo_dir: Path, tmp_path: Path, suffix: str) -> None:
    stored_with_escape(demo_dir)
    out_path = tmp_path / f"list{suffix}"
    code, _out, err = kpps("--data", demo_dir, "export", "applicants", "-o", out_path)
    assert code == 0, err
    if suffix == ".xlsx":
        text = "".join(str(c) for row in load_workbook(out_path, read_only=True).active.iter_rows(values_only=True) for c in row)
    else:
        text = out_path.read_text(encoding="utf-8-sig")
    assert "Siti\\x1b[2K" in text and "\x1b" not in text


# ---- masked NIKs ----------------------------------------------------------------------------------


def test_the_log_masks_the_nik_of_someone_no_longer_in_the_workspace(kpps: Kpps, demo_dir: Path) -> None:
    gone = nik(9601)
    ws = Workspace.open(demo_dir)
    tps = next(t for t in sorted(ws.tps.values(), key=lambda t: t.code) if not t.seats)
    entry = audit.AuditEntry(audit.now_iso(), "someone", "s-1", "assign", tps.code, {}, {"1": gone})
    audit.append(demo_dir, entry)
    for extra in ([], ["--csv"]):
        code, out, err = kpps("--data", demo_dir, "log", "--tps", tps.code, *extra)
        assert code == 0, err
        assert gone not in out and mask_nik(gone) in out


def test_the_overrides_csv_masks_niks_unless_asked_and_then_records_it(kpps: Kpps, demo_dir: Path) -> None:
    code, out, err = kpps("--data", demo_dir, "overrides", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows, err
    assert all("*" in r["nik"] for r in rows)
    code, out, err = kpps("--data", demo_dir, "overrides", "--csv", "--full-nik")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert all(r["nik"].isdigit() and len(r["nik"]) == 16 for r in rows)
    last = list(audit.read(demo_dir))[-1]
    assert (last.action, last.subject) == ("export_full_nik", "kpps overrides --csv")


# ---- the public key file --------------------------------------------------------------------------


def test_an_offline_verdict_says_how_old_the_revocation_list_is(kpps: Kpps, tmp_path: Path) -> None:
    from kpps_tui.services import cards
    from kpps_tui.services.setup import init_from_sample

    today = date.today()
    ws = init_from_sample(tmp_path / "ws", "demo")
    set_election_setting(ws, "cards_valid_until", (today + timedelta(days=30)).isoformat())
    set_election_setting(ws, "cards_valid_from", (today - timedelta(days=30)).isoformat())
    tps = card_ready_tps(ws)
    assert kpps("--data", ws.root, "cards", "--tps", tps.code, "-o", tmp_path / "c.pdf")[0] == 0
    record = max(cards.book_of(ws).records.values(), key=lambda r: r.serial)
    text = cards.card_faces(ws, [record])[0].qr_text
    assert kpps("--data", ws.root, "keys", "export-public", tmp_path / "kpu.json")[0] == 0
    exported = json.loads((tmp_path / "kpu.json").read_text())["exported_at"]
    assert exported[:10] == today.isoformat()
    later = (today + timedelta(days=3)).isoformat()
    code, out, err = kpps("--data", tmp_path / "none", "verify", "--public-key", tmp_path / "kpu.json", "--date", later, text)
    assert code == 0, err
    assert out.startswith("Genuine and valid") and "(3 days old)" in out and "list of withdrawn cards is from" in out
