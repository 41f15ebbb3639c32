"""Helpers for the tests of the declarations, audit log, undo and NIK screens: files on disk."""

from __future__ import annotations

import json
from pathlib import Path

from tinydb import Query, TinyDB

from kpps_tui.store.audit import log_path
from kpps_tui.store.workspace import Workspace


def person_on_disk(ws_path: Path, nik: str) -> dict:
    """The person's document, read from the people files with stock TinyDB."""
    for path in sorted((ws_path / "people").glob("*.json")):
        with TinyDB(path, access_mode="r") as db:
            doc = db.table("people").get(Query().nik == nik)
        if doc is not None:
            return dict(doc)
    raise AssertionError(f"{nik} is in no people file")


def statement_on_disk(ws_path: Path, nik: str) -> dict:
    return person_on_disk(ws_path, nik)["neutrality"]["surat_pernyataan"]


def log_lines(ws_path: Path) -> list[dict]:
    """Every whole line of the audit log, read as JSON (as any program would)."""
    path = log_path(ws_path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="ascii").splitlines() if line.strip()]


def other_session(ws_path: Path, user: str = "sari") -> Workspace:
    """Another coordinator's session on the same folder."""
    ws = Workspace.open(ws_path)
    ws.user = user
    return ws


def cells(table) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def screen_text(app) -> str:
    """Everything the Static-like widgets of the current screen show, as plain text."""
    parts = []
    for widget in app.screen.query("Static"):
        rendered = widget.render()
        parts.append(getattr(rendered, "plain", str(rendered)))
    return "\n".join(parts)
