"""Keys that arrive in one read of the terminal (a fast typist, a paste): the characters typed
right after "/" or after a TPS number's first digit are the search box's, not keys of the list
(the app had sent them on to the widget focused before the box took the focus)."""

from __future__ import annotations

from textual import events

from kpps_tui.tui.screens.applicants import ApplicantsScreen, ApplicantTable
from kpps_tui.tui.screens.tps_list import TpsSearch, TpsTable

from .conftest import make_app, run

KEY_NAMES = {"/": "slash"}


def typed_at_once(app, text: str) -> None:
    """Every key of `text` posted before any is handled, as one terminal read delivers them."""
    for character in text:
        app.post_message(events.Key(KEY_NAMES.get(character, character), character))


async def test_a_search_typed_at_once_after_the_slash_filters_and_opens_no_form(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ApplicantsScreen)
        app.screen.query_one(ApplicantTable).focus()
        await pilot.pause()
        typed_at_once(app, "/ani")  # `n` is the pool's key for a new applicant
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ApplicantsScreen)  # not the ApplicantForm `n` opens
        assert app.screen.query_one("#ap-search").value == "ani"


async def test_a_tps_number_typed_at_once_on_the_table_is_searched_whole(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        app.screen.query_one(TpsTable).focus()
        await pilot.pause()
        typed_at_once(app, "12")
        await pilot.pause()
        await pilot.pause()
        search = app.screen.query_one(TpsSearch)
        assert search.has_focus and search.value == "12"
        assert app.screen.shown and all("12" in f"{r.number:03d}" for r in app.screen.shown)


async def test_a_tps_number_typed_slowly_on_the_table_is_searched_whole(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        app.screen.query_one(TpsTable).focus()
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.query_one(TpsSearch).value == "12"  # the first digit was selected and replaced
