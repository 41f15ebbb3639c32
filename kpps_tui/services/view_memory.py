"""What a coordinator last chose on a list (its sort and filters), so a restart opens it as
it was left. Kept per login and workspace in the user's own state folder, outside the
workspace: it is a preference, not data, so a damaged or unwritable file is forgotten, never
damage and never a reason to stop."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from platformdirs import user_state_path

from kpps_tui.services.setup import APP_NAME
from kpps_tui.store.files import atomic_write_bytes


def _memory_file() -> Path:
    return user_state_path(APP_NAME) / "views.json"


def _all() -> dict[str, Any]:
    try:
        data = json.loads(_memory_file().read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered(root: Path, view: str) -> dict[str, Any]:
    """The choices last kept for `view` of the workspace at `root` ({} when none); the caller
    checks each value, since the workspace may have changed meanwhile."""
    kept = _all().get(str(Path(root).resolve()), {})
    choices = kept.get(view) if isinstance(kept, dict) else None
    return dict(choices) if isinstance(choices, dict) else {}


def remember(root: Path, view: str, choices: dict[str, Any]) -> None:
    data = _all()
    key = str(Path(root).resolve())
    found = data.get(key)
    views: dict[str, Any] = found if isinstance(found, dict) else {}
    if views.get(view) == choices:
        return
    data[key] = {**views, view: choices}
    path = _memory_file()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
    except OSError:
        pass  # a preference not kept costs a few keys next time; never the coordinator's work
