"""Fixtures for the TUI tests: a fresh copy of the demo sample per test, the UI language, helpers.

Every test runs once per language in UI_LANGUAGES: Indonesian, and English too in a module that
sets its own `UI_LANGUAGES = BOTH_LANGUAGES` (the snapshots and the picker's flow: the English
interface stays exercised without running every test twice on two cores). The tests build the
words they expect with `_()` and the services' own sentences, so they hold in any language. Each
language has its own snapshot files, e.g. test_tps_list[en-80x24].svg.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._toast import Toast
from tinydb import Query, TinyDB

from kpps_tui.i18n import current_language, set_language
from kpps_tui.services.setup import init_from_sample
from kpps_tui.store.workspace import Workspace
from kpps_tui.tui.app import KppsApp

UI_LANGUAGES = ["id"]
BOTH_LANGUAGES = ["id", "en"]
SIZE = (80, 24)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "ui_language" in metafunc.fixturenames:
        languages = getattr(metafunc.module, "UI_LANGUAGES", UI_LANGUAGES)
        metafunc.parametrize("ui_language", languages, indirect=True)


@pytest.fixture(autouse=True)
def ui_language(request):
    previous = current_language()
    set_language(request.param)
    yield request.param
    set_language(previous)


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    init_from_sample(path, "demo")
    return path


@pytest.fixture
def workspace(ws_path: Path) -> Workspace:
    return Workspace.open(ws_path)


def make_app(workspace: Workspace, **kwargs) -> KppsApp:
    """The app as a coordinator gets it, with the cursor blink off for stable screenshots.
    It opens on the TPS list (one key from the ringkasan) unless `start="dashboard"`."""
    kwargs.setdefault("start", "tps")
    return KppsApp(workspace, cursor_blink=False, **kwargs)


def run(app: KppsApp, size: tuple[int, int] = SIZE) -> _Run:
    """`app.run_test` at 80x24 by default, with notifications shown as they are to a user;
    the pilot's `pause()` awaits the seat changes written in worker threads."""
    return _Run(app, size)


def seats_on_disk(ws_path: Path, code: str) -> dict[int, str]:
    """Seat number -> NIK of one TPS, read from its file with stock TinyDB."""
    kecamatan = ".".join(code.split(".")[:3])
    with TinyDB(ws_path / "tps" / f"{kecamatan}.json", access_mode="r") as db:
        doc = db.table("tps").get(Query().code == code)
    assert doc is not None, code
    return {int(n): seat["nik"] for n, seat in doc["seats"].items()}


def notifications(app) -> list[tuple[str, str]]:
    """(severity, text) of the notifications shown on the current screen, oldest first."""
    found = []
    for toast in app.screen.query(Toast):
        severity = next(s for s in ("error", "warning", "information") if toast.has_class(f"-{s}"))
        found.append((severity, toast.render().plain))
    return found


def errors(app) -> list[str]:
    return [text for severity, text in notifications(app) if severity == "error"]


class _Pilot:
    """The test's pilot: `pause()` also awaits the seat changes being written in worker
    threads (and lets what they tell the screen arrive), so a test reads the result it caused
    without sleeping."""

    def __init__(self, pilot) -> None:
        self._pilot = pilot

    def __getattr__(self, name):
        return getattr(self._pilot, name)

    async def pause(self, delay: float | None = None) -> None:
        await self._pilot.pause(delay)
        if await settle_writes(self._pilot.app):
            await self._pilot.pause()


async def settle_writes(app) -> bool:
    """Await the app's seat-writing workers; whether there were any."""
    from kpps_tui.tui.app import WRITE_GROUP

    writing = [w for w in app.workers if w.group == WRITE_GROUP and not w.is_finished]
    if writing:
        await app.workers.wait_for_complete(writing)
    return bool(writing)


class _Run:
    """`app.run_test(...)` whose pilot is a `_Pilot`."""

    def __init__(self, app: KppsApp, size: tuple[int, int]) -> None:
        self._context = app.run_test(size=size, notifications=True)

    async def __aenter__(self) -> _Pilot:
        return _Pilot(await self._context.__aenter__())

    async def __aexit__(self, *exc):
        return await self._context.__aexit__(*exc)
