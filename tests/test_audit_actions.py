"""Every action the audit log can hold is shown in words of the user's language, on the screen
and in `kpps log`: the code is searched for every action it writes."""

from __future__ import annotations

import ast
from pathlib import Path

from kpps_tui.services import assignments, audit_log
from kpps_tui.store import audit

PACKAGE = Path(audit_log.__file__).resolve().parent.parent
WRITERS = {"put_tps": 1, "put_person": 1, "put_people": 1, "put_election": 1, "audit_event": 0}


def written_actions() -> set[str]:
    """The action of every put_*(..., "action") call in the package (positional or action=)."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            index = WRITERS.get(node.func.attr)
            if index is None:
                continue
            args = [a for a in node.args[index : index + 1]] + [k.value for k in node.keywords if k.arg == "action"]
            for arg in args:
                if isinstance(arg, ast.IfExp):
                    found.update(v.value for v in (arg.body, arg.orelse) if isinstance(v, ast.Constant))
                elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def test_every_written_action_has_words() -> None:
    actions = written_actions() | {"settings", audit_log.REVEAL_NIK, audit_log.EXPORT_FULL_NIK, audit.RESTORE, audit.INTERRUPTED, audit.ANCHOR, audit_log.USERS}
    assert {"assign", "declaration", "add_applicant", "edit_applicant"} <= actions  # the search works
    missing = sorted(a for a in actions if a not in audit_log.ACTION_LABELS)
    assert not missing, f"actions without words: {missing}"  # tests/test_i18n.py: each is translated


def test_kpps_log_names_actions_in_words(demo_ws, pick, kpps) -> None:
    p = pick(demo_ws)
    tps = p.tps_with_empty_seats()
    nik = p.free_people(tps)[0].nik
    assignments.assign(demo_ws, tps.code, p.empty_seats(tps)[0], nik)
    audit_log.reveal_nik(demo_ws, nik)
    code, out, _ = kpps("--data", demo_ws.root, "log", lang="id")
    assert code == 0
    assert "Tetapkan" in out and "NIK dibuka" in out
    assert "assign" not in out and "reveal_nik" not in out
