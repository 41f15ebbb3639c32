"""Where the interface puts the files it writes for the user when no one names them (the ID
cards' PDFs, the office's documents): a folder beside the workspace folder, named after it, so
backups do not carry them and a restore does not delete them; and a name not taken yet."""

from __future__ import annotations

from pathlib import Path

from kpps_tui.store.workspace import Workspace


def folder_beside(ws: Workspace, suffix: str) -> Path:
    """~/.local/share/kpps-tui/workspace<suffix> for the default workspace (not made here)."""
    root = Path(ws.root).resolve()
    return root.parent / f"{root.name}{suffix}"


def unused_path(folder: Path, stem: str, suffix: str) -> Path:
    """`folder/stem+suffix`, or with -2, -3 … after the stem when that file is there already."""
    path, number = folder / f"{stem}{suffix}", 2
    while path.exists():
        path, number = folder / f"{stem}-{number}{suffix}", number + 1
    return path
