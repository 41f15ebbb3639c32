"""Seating a person over the rule check's warnings: a written reason per warning, kept with the seat."""

from __future__ import annotations

from tinydb import Query, TinyDB

from kpps_tui.services.browse import candidates
from kpps_tui.tui.screens.dialogs import FormPrompt
from kpps_tui.tui.screens.picker import CandidatePicker, PickerInput
from kpps_tui.tui.screens.tps_detail import TpsScreen
from kpps_tui.i18n import _

from .conftest import BOTH_LANGUAGES, make_app, run
from .support import screen_text

UI_LANGUAGES = BOTH_LANGUAGES  # the English interface is exercised too


def _warned_candidate(ws):
    """A TPS with an empty seat and an applicant for it with warnings only."""
    for tps in ws.tps.values():
        empty = [n for n in range(1, ws.election.seats_per_tps + 1) if n not in tps.seats]
        if not empty:
            continue
        for c in candidates(ws, tps, ""):
            if c.findings and c.eligible:
                return tps.code, empty[0], c
    raise AssertionError("no warned candidate in the sample")


def _seat_on_disk(ws_path, code: str, seat: int) -> dict:
    kecamatan = ".".join(code.split(".")[:3])
    with TinyDB(ws_path / "tps" / f"{kecamatan}.json", access_mode="r") as db:
        doc = db.table("tps").get(Query().code == code)
    return doc["seats"][str(seat)]


def _seat_on_disk_or_none(ws_path, code: str, seat: int) -> dict | None:
    kecamatan = ".".join(code.split(".")[:3])
    with TinyDB(ws_path / "tps" / f"{kecamatan}.json", access_mode="r") as db:
        doc = db.table("tps").get(Query().code == code)
    return doc["seats"].get(str(seat))


async def test_an_override_reason_is_stored_on_the_seat_and_shown(workspace, ws_path):
    code, seat, candidate = _warned_candidate(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        app.push_screen(TpsScreen(workspace, code, seat=seat))
        await pilot.pause()
        app.push_screen(CandidatePicker(workspace, code, seat))
        await pilot.pause()
        app.screen.query_one(PickerInput).value = candidate.person.nik
        await pilot.pause()
        assert app.screen.highlighted().person.nik == candidate.person.nik
        await pilot.press("ctrl+o")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormPrompt)
        soft = [f for f in candidate.findings if not f.is_hard]
        assert len(form.fields) == len(soft)
        for index, finding in enumerate(soft):
            form.query_one(f"#field-{finding.code}").value = f"alasan {index}: tidak ada pendaftar lain di desa"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)
        assert _("Reason: {reason}").format(reason="alasan 0: tidak ada pendaftar lain di desa") in screen_text(app)
    stored = _seat_on_disk(ws_path, code, seat)
    assert stored["nik"] == candidate.person.nik
    assert "alasan 0: tidak ada pendaftar lain di desa" in str(stored)


async def _open_on(pilot, workspace, code, seat, nik):
    app = pilot.app
    app.push_screen(TpsScreen(workspace, code, seat=seat))
    await pilot.pause()
    app.push_screen(CandidatePicker(workspace, code, seat))
    await pilot.pause()
    app.screen.query_one(PickerInput).value = nik
    await pilot.pause()
    assert app.screen.highlighted().person.nik == nik
    return app.screen


async def test_enter_on_someone_with_warnings_asks_once_showing_them(workspace, ws_path):
    from kpps_tui.tui.screens.dialogs import ConfirmModal

    from .conftest import notifications

    code, seat, candidate = _warned_candidate(workspace)
    soft = [f for f in candidate.findings if not f.is_hard]
    app = make_app(workspace)
    async with run(app) as pilot:
        picker = await _open_on(pilot, workspace, code, seat, candidate.person.nik)
        await pilot.press("enter")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmModal)
        shown = screen_text(app)
        assert all(f.message in shown for f in soft)
        await pilot.press("escape")  # back to the list: nothing written
        await pilot.pause()
        assert app.screen is picker
        assert _seat_on_disk_or_none(ws_path, code, seat) is None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")  # seat anyway
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)
        said = [text for _severity, text in notifications(app)]
        assert len(said) == 1 and candidate.person.name in said[0]  # asked once: no second warning after
    assert _seat_on_disk(ws_path, code, seat)["nik"] == candidate.person.nik


async def test_the_question_over_warnings_leads_to_the_reasons_with_ctrl_o(workspace):
    code, seat, candidate = _warned_candidate(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        await _open_on(pilot, workspace, code, seat, candidate.person.nik)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, FormPrompt)


async def test_the_write_runs_in_a_worker_and_the_picker_answers_meanwhile(workspace, ws_path, monkeypatch):
    import threading

    from kpps_tui.tui.app import WRITE_GROUP

    from .conftest import settle_writes

    tps = next(t for t in sorted(workspace.tps.values(), key=lambda t: t.code) if 0 < t.filled < 6)
    seat = min(set(range(1, 8)) - set(tps.seats))
    person = next(c.person for c in candidates(workspace, tps, "") if c.eligible and not c.findings)
    app = make_app(workspace)
    release, started = threading.Event(), threading.Event()
    real_run = app.history.run

    def slow_run(ws, step):
        started.set()
        assert threading.current_thread() is not threading.main_thread()
        release.wait(10)
        return real_run(ws, step)

    monkeypatch.setattr(app.history, "run", slow_run)
    async with run(app) as pilot:
        picker = await _open_on(pilot, workspace, code := tps.code, seat, person.nik)
        picker.query_one(PickerInput).value = ""
        await pilot._pilot.pause()
        await pilot._pilot.press("enter")  # the raw pilot: do not wait for the write
        assert started.wait(5)
        before = picker.query_one("#candidates").cursor_row
        await pilot._pilot.press("down")  # the screen answers while the write waits
        assert picker.query_one("#candidates").cursor_row == before + 1
        assert [w for w in app.workers if w.group == WRITE_GROUP and not w.is_finished]
        release.set()
        assert await settle_writes(app)
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen)
    assert _seat_on_disk(ws_path, code, seat)["nik"] == person.nik


def _clean_candidate(ws):
    """A TPS with an empty seat and an applicant for it without any finding."""
    for tps in sorted(ws.tps.values(), key=lambda t: t.code):
        empty = [n for n in range(1, ws.election.seats_per_tps + 1) if n not in tps.seats]
        found = next((c for c in candidates(ws, tps, "") if not c.findings), None) if empty else None
        if found is not None:
            return tps.code, empty[0], found
    raise AssertionError("no candidate without findings in the sample")


async def test_the_screens_say_saving_while_another_session_holds_the_write(workspace, ws_path):
    """The write runs in a worker: Enter in the picker and u on the TPS screen answer at once
    ("Saving…") while another session's transaction keeps the lock, and land once it ends."""
    import asyncio
    import threading

    from kpps_tui.store.workspace import Workspace

    code, seat, candidate = _clean_candidate(workspace)
    other = Workspace.open(ws_path)
    held, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with other.transaction():
            held.set()
            release.wait(20)

    async def while_held(pilot, key: str) -> str:
        holder = threading.Thread(target=hold_the_lock)
        holder.start()
        assert held.wait(10)
        await pilot.press(key)
        for _step in range(20):  # not pilot.pause(): it awaits the write, which waits for the lock
            await asyncio.sleep(0.02)
        shown = screen_text(pilot.app)
        release.set()
        holder.join(10)
        held.clear(), release.clear()
        await pilot.pause()
        await pilot.pause()
        return shown

    app = make_app(workspace)
    async with run(app) as pilot:
        picker = await _open_on(pilot, workspace, code, seat, candidate.person.nik)
        shown = await while_held(pilot, "enter")
        assert _("Saving: {name} on seat {seat}…").format(name=candidate.person.name, seat=seat) in shown
        assert not picker.is_attached and isinstance(app.screen, TpsScreen)
        assert _seat_on_disk(ws_path, code, seat)["nik"] == candidate.person.nik
        shown = await while_held(pilot, "u")
        assert _("Saving: {name} leaves seat {seat}…").format(name=candidate.person.name, seat=seat) in shown
        assert _seat_on_disk_or_none(ws_path, code, seat) is None
        assert _("Saving:").split(":")[0] not in screen_text(app)


async def test_the_write_starts_once_the_screen_has_drawn_its_answer(workspace, ws_path):
    """Enter in the picker: the frame saying "Saving…" is drawn before the write's thread starts
    (the two would share the interpreter lock, and the frame wait for the write). Each frame
    here takes 20 ms to hand over, as to a slow terminal: a thread started with the key would
    begin in the middle of it."""
    import time

    code, seat, candidate = _clean_candidate(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        await _open_on(pilot, workspace, code, seat, candidate.person.nik)
        frames: list[tuple[float, str]] = []
        display = app._display  # the app's frames, each with the time it was handed over

        def timed_display(screen, update) -> None:
            time.sleep(0.02)
            display(screen, update)
            if update is not None:
                frames.append((time.perf_counter(), screen_text(app)))

        app._display = timed_display
        run_service = app.history.run
        started: list[float] = []

        def timed_run(*args):
            started.append(time.perf_counter())
            return run_service(*args)

        app.history.run = timed_run
        await pilot.press("enter")
        await pilot.pause()
        saying = _("Saving: {name} on seat {seat}…").format(name=candidate.person.name, seat=seat)
        assert len(started) == 1 and _seat_on_disk(ws_path, code, seat)["nik"] == candidate.person.nik
        answered = [when for when, text in frames if saying in text]
        assert answered and answered[0] < started[0], (answered, started)
