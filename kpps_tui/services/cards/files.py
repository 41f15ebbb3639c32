"""Where the card PDFs go and what they are called: a private folder beside the workspace,
names that say what a file holds and when it was made, never over a file already there.
The interface asks `next_pdf_path`; `kpps cards` writes where its -o says."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

from kpps_tui import clock
from kpps_tui.services.cards.issuing import Scope
from kpps_tui.services.output_folders import folder_beside, unused_path
from kpps_tui.store.files import ensure_private_dir
from kpps_tui.store.workspace import Workspace

FOLDER_SUFFIX = "-cards"


def cards_folder(ws: Workspace) -> Path:
    """The folder for the PDFs: beside the workspace folder, named after it
    (~/.local/share/kpps-tui/workspace-cards for the default workspace)."""
    return folder_beside(ws, FOLDER_SUFFIX)


def _slug(text: str) -> str:
    plain_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain_text).split()
    return "-".join(words)[:40]


def pdf_name(ws: Workspace, scope: Scope | None, now: datetime) -> str:
    """kpps-cards-desa-62.01.01.2001-sungai-cabang-20241105-143210.pdf, or kpps-calibration-….pdf"""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    if scope is None:
        return f"kpps-calibration-{stamp}.pdf"
    if scope.kind == "all":
        what = "all"
    elif scope.kind == "tps":
        what = f"tps-{scope.code}"
    else:
        what = "-".join(p for p in (scope.kind, scope.code, _slug(ws.region_name(scope.code))) if p)
    if scope.not_printed:
        what += "-new"
    return f"kpps-cards-{what}-{stamp}.pdf"


def ready_folder(folder: Path) -> None:
    """Make the PDF folder (private: the cards carry names and NIKs) if it is not there."""
    ensure_private_dir(folder)


def next_pdf_path(ws: Workspace, folder: Path, scope: Scope | None, now: datetime | None = None) -> Path:
    """The file the next PDF of `scope` (None: the calibration page) is written to: in `folder`,
    made if need be (OSError when it cannot be), named after the scope and the time (the clock's
    by default), never a file already there."""
    ready_folder(folder)
    name = pdf_name(ws, scope, now or clock.local_now())
    return unused_path(folder, name.removesuffix(".pdf"), ".pdf")
