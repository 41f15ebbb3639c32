"""The particulars under a list (InfoBlock) take as many lines as they hold, up to max-height,
or the lines their height gives them."""

from __future__ import annotations

from textual.app import App, ComposeResult

from kpps_tui.tui.widgets.lines import InfoBlock


class _Particulars(App[None]):
    CSS = "InfoBlock { max-height: 3; } #fixed { height: 2; }"

    def compose(self) -> ComposeResult:
        yield InfoBlock("one", id="auto")
        yield InfoBlock("one", id="fixed")


async def test_the_particulars_grow_to_their_most_and_shrink_again():
    app = _Particulars()
    async with app.run_test(size=(40, 10)) as pilot:
        block, fixed = app.query_one("#auto", InfoBlock), app.query_one("#fixed", InfoBlock)
        await pilot.pause()
        assert block.size.height == 1
        for lines, height in ((2, 2), (5, 3), (4, 3), (1, 1), (3, 3)):
            block.update("\n".join(f"line {n}" for n in range(lines)))
            fixed.update("\n".join(f"line {n}" for n in range(lines)))
            await pilot.pause()
            assert block.size.height == height, (lines, block.size.height)
            assert fixed.size.height == 2 and fixed.render_line(0).text.startswith("line 0")
