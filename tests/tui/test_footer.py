"""The footer: the keys of what has the focus as one line, whole keys only, the command palette's
key at the right; it follows the screen and the focus, and a click on a key presses it."""

from __future__ import annotations

from kpps_tui.tui.screens.help import HelpScreen
from kpps_tui.tui.screens.seat_choice import SeatChoice
from kpps_tui.tui.screens.tps_detail import TpsScreen
from kpps_tui.tui.widgets.footer import FooterItem, KppsFooter, fit_footer

from .conftest import make_app, run


def _item(key: str, words: str) -> FooterItem:
    return FooterItem(key, key, words, True)


def test_the_keys_that_fit_are_shown_whole_and_the_palette_stays_at_the_right():
    keys = [_item("a", "Assign"), _item("u", "Unassign"), _item("m", "Move")]  # 8, 10 and 6 cells
    palette = _item("^p", "Actions")  # 10 cells, with the rule and a cell after: 12
    line = fit_footer(keys, palette, 40)
    assert [(x, item.key) for x, item in line.keys] == [(0, "a"), (9, "u"), (20, "m")]
    assert line.palette == (29, palette)
    narrow = fit_footer(keys, palette, 32)  # "m Move" would end in the palette's cells
    assert [item.key for _x, item in narrow.keys] == ["a", "u"] and narrow.palette == (21, palette)
    tiny = fit_footer(keys, palette, 11)  # not even the palette's key: the first key alone
    assert [item.key for _x, item in tiny.keys] == ["a"] and tiny.palette is None


def _bottom_line(app) -> str:
    return "".join(segment.text for segment in app.screen._compositor.render_strips()[-1])


async def test_the_footer_follows_the_screen_and_a_click_presses_its_key(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        code = next(code for code, tps in sorted(workspace.tps.items()) if tps.seats)
        await app.push_screen(TpsScreen(workspace, code))
        await pilot.pause()
        footer = app.screen.query_one(KppsFooter)
        shown = {item.key: (x, item) for x, item in footer.shown().keys}
        assert {"s", "u", "question_mark"} <= set(shown), sorted(shown)
        assert not footer.children  # one widget draws the line
        bottom = _bottom_line(app)
        for x, item in shown.values():
            assert bottom[x:].startswith(f"{item.key_display} {item.description}"), (bottom, item)
        assert footer.shown().palette is not None and bottom.rstrip().endswith(footer.shown().palette[1].description)

        x, _swap = shown["s"]
        await pilot.click(KppsFooter, offset=(x + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, SeatChoice)
        choice_keys = {item.key for _x, item in app.screen.query_one(KppsFooter).shown().keys}
        assert "escape" in choice_keys and "s" not in choice_keys
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TpsScreen) and _bottom_line(app) == bottom

        for _ in range(3):  # the help and back: the footer of the screen under it is as before
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
        assert _bottom_line(app) == bottom
