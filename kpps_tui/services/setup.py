"""Where workspaces live, and making one from the bundled Kotawaringin Barat sample."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from platformdirs import user_data_path

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_
from kpps_tui.store.files import FILE_MODE, copy_private, ensure_private_dir
from kpps_tui.store.layout import WORKSPACE_FILE
from kpps_tui.store.workspace import Workspace

SAMPLE_VARIANTS = ("demo", "full")
APP_NAME = "kpps-tui"


def holds_workspace(path: Path) -> bool:
    """Whether the folder holds a workspace (its main file is written last, so it marks one)."""
    return (path / WORKSPACE_FILE).exists()


def default_data_dir() -> Path:
    """KPPS_DATA if set, else the user's data folder (e.g. ~/.local/share/kpps-tui/workspace)."""
    env = os.environ.get("KPPS_DATA")
    if env:
        return Path(env).expanduser()
    return user_data_path(APP_NAME) / "workspace"


def default_demo_dir() -> Path:
    return user_data_path(APP_NAME) / "demo"


def sample_source(variant: str) -> Path:
    from importlib import resources  # only to make a workspace: `kpps --data DIR` starts without it

    if variant not in SAMPLE_VARIANTS:
        raise KppsError(N_("Unknown sample {name}; choose demo or full."), name=variant)
    return Path(str(resources.files("kpps_tui.sample_data") / variant))


def init_from_sample(dest: Path, variant: str = "demo") -> Workspace:
    """Copy the bundled sample into `dest` (private modes); refuse to overwrite a workspace."""
    dest = Path(dest)
    if (dest / WORKSPACE_FILE).exists():
        raise KppsError(N_("{path} already holds a workspace; nothing was changed."), path=str(dest))
    source = sample_source(variant)
    ensure_private_dir(dest)
    for src in sorted(source.rglob("*.json")):
        if src.name == WORKSPACE_FILE:
            continue  # copied last: until it exists the folder is not a workspace
        copy_private(src, dest / src.relative_to(source))
    copy_private(source / WORKSPACE_FILE, dest / WORKSPACE_FILE)
    return _made_by_me(Workspace.open(dest))


def _made_by_me(ws: Workspace) -> Workspace:
    """Whoever creates a workspace is its admin: the users file and the log's anchor are
    written now, so the first command after `kpps init` changes nothing it does not say.
    From then on a listed file gone is damage."""
    with ws.transaction():
        pass
    ws.list_files()
    return ws


DEMO_MARK = ".kpps-demo"


def open_or_create_demo(dest: Path, reset: bool = False, defer_people: bool = False) -> Workspace:
    """The demo workspace: made from the sample on first use, kept between runs
    (`defer_people`: see Workspace.open).

    `reset` deletes only a folder this function made (it carries DEMO_MARK), so a mistaken
    `kpps demo --reset --data` on a real workspace cannot wipe it.
    """
    dest = Path(dest)
    if reset and (dest / WORKSPACE_FILE).exists():
        if not (dest / DEMO_MARK).exists():
            raise KppsError(
                N_("{path} holds a workspace that `kpps demo` did not make, so --reset will not delete it. Nothing was changed."),
                path=str(dest),
            )
        shutil.rmtree(dest)
    if (dest / WORKSPACE_FILE).exists():
        return Workspace.open(dest, defer_people=defer_people)
    ensure_private_dir(dest)
    os.close(os.open(dest / DEMO_MARK, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    return init_from_sample(dest, "demo")


def generate_province(dest: Path) -> Workspace:
    """A synthetic Kalimantan Tengah workspace (the same deterministic generator as the sample)."""
    from kpps_tui.sample_data.generate import generate_province as generate  # only when asked

    dest = Path(dest)
    if (dest / WORKSPACE_FILE).exists():
        raise KppsError(N_("{path} already holds a workspace; nothing was changed."), path=str(dest))
    generate(dest)
    return _made_by_me(Workspace.open(dest))
