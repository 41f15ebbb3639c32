"""Text is never cut without a sign, and columns share the width by need (issue 10, item 3):
a column whose content is short gives its room to one that would be cut; a header, a count
line, a label, a choice and the scp line read whole or end with "…"."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Select

from kpps_tui.i18n import _
from kpps_tui.services import cards as svc
from kpps_tui.services.users import whoami
from kpps_tui.tui.screens.applicants import ApplicantsScreen, ApplicantTable
from kpps_tui.tui.screens.card_printing import CardsScreen
from kpps_tui.tui.screens.declarations import DeclarationsScreen
from kpps_tui.tui.screens.import_preview import ImportPreview
from kpps_tui.tui.screens.picker import CandidatePicker, CandidateTable
from kpps_tui.tui.screens.tps_detail import SeatTable, TpsScreen
from kpps_tui.tui.screens.tps_list import TpsTable
from kpps_tui.tui.widgets.columns import Column, share_width
from kpps_tui.tui.widgets.footer import KppsFooter
from kpps_tui.tui.widgets.virtual_table import VirtualTable

from .conftest import BOTH_LANGUAGES, make_app, run

UI_LANGUAGES = BOTH_LANGUAGES


def test_a_column_with_short_content_gives_its_room_to_one_that_needs_it():
    columns = [Column("name", "Name", 10, weight=3), Column("desa", "Desa/Kelurahan", 5, short="Desa", weight=1)]
    # 30 cells, two gaps: the desa needs 5 (its short label and "Candi"), the name 22.
    widths = dict((c.key, w) for c, w in share_width(columns, 30, 1, {"name": 22, "desa": 5}, ({"name": 4, "desa": 4}, {"name": 4, "desa": 14})))
    assert widths["name"] == 22 and widths["desa"] == 6
    # With room, the whole label comes before a share by weight.
    wide = dict((c.key, w) for c, w in share_width(columns, 60, 1, {"name": 22, "desa": 5}, ({"name": 4, "desa": 4}, {"name": 4, "desa": 14})))
    assert wide["desa"] >= 14 and wide["name"] >= 22
    # Short of room, each gets a share of what it lacks, never less than its least width.
    tight = dict((c.key, w) for c, w in share_width(columns, 20, 1, {"name": 30, "desa": 20}, None))
    assert tight["name"] + tight["desa"] == 18 and tight["name"] > tight["desa"] >= 5


def _table_is_fair(table: VirtualTable) -> None:
    """No column is cut while another has room it does not need."""
    widths = {column.key: width for column, width in table.shown_columns()}
    labels = dict(zip(widths, table.column_labels()))
    specs = {c.key: c for c in table.COLUMNS}
    needs = {key: cell_len(_(specs[key].short or specs[key].label)) for key in widths}
    for i in range(table.row_count):
        for key, cell in zip(widths, table.get_row_at(i)):
            needs[key] = max(needs[key], cell.cell_len)
    least = {c.key: c.width for c in table.COLUMNS}
    sort_marks = 2
    cut = [k for k in widths if widths[k] < needs[k]]
    idle = [k for k in widths if widths[k] > max(needs[k], least[k]) + sort_marks]
    assert not (cut and idle), (cut, idle, widths, needs, labels)
    for key, label in labels.items():
        assert cell_len(label) <= widths[key] or label.endswith("…"), (key, label, widths[key])


async def test_the_seat_table_gives_names_the_room_the_other_columns_leave(workspace):
    tps = next(t for t in sorted(workspace.tps.values(), key=lambda t: t.code) if t.filled == 7)
    app = make_app(workspace)
    async with run(app) as pilot:
        await app.push_screen(TpsScreen(workspace, tps.code))
        await pilot.pause()
        table = app.screen.query_one(SeatTable)
        _table_is_fair(table)
        labels = table.column_labels()
        assert _("Desa/Kelurahan") in labels or _("Desa") in labels  # whole, or the short word


async def test_the_picker_gives_names_the_room_of_empty_columns(workspace):
    tps = next(t for t in sorted(workspace.tps.values(), key=lambda t: t.code) if t.filled < 7)
    seat = next(n for n in range(1, 8) if n not in tps.seats)
    app = make_app(workspace)
    async with run(app) as pilot:
        await app.push_screen(CandidatePicker(workspace, tps.code, seat))
        await pilot.pause()
        _table_is_fair(app.screen.query_one(CandidateTable))


async def test_the_applicants_table_and_count_lines_read_whole(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ApplicantsScreen)
        _table_is_fair(app.screen.query_one(ApplicantTable))
        counts = app.screen.query_one("#ap-counts")
        room = counts.content_region.width
        lines = counts.render().plain.split("\n")
        assert len(lines) == counts.content_region.height
        assert all(cell_len(line) <= room for line in lines), lines
        assert _("{count} seated").format(count="") in lines[-1]


async def test_the_tps_list_headers_are_whole_at_80_columns(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.pause()
        table = app.screen.query_one(TpsTable)
        header = table.render_line(0).text
        for label in table.column_labels():
            assert label in header and not label.endswith("…"), (label, header)
        assert _("Desa/Kelurahan") in header


async def test_the_header_keeps_the_login_and_role_whole(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DeclarationsScreen)
        title = app.screen.query_one("HeaderTitle")
        shown = title.render()
        text = getattr(shown, "plain", str(shown))
        assert text.endswith(whoami(workspace).label), text
        assert cell_len(text) <= title.content_region.width


async def test_a_long_choice_in_a_select_ends_with_an_ellipsis(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.pause()
        select = app.screen.query_one("#desa", Select) if app.screen.query("#desa") else app.screen.query(Select)[1]
        options = select._options  # (label, value) as given
        longest = max((o for o in options if o[1] != Select.NULL), key=lambda o: cell_len(str(o[0])))
        select.value = longest[1]
        await pilot.pause()
        label = select.query_one("SelectCurrent #label")
        line = label.render_line(0).text.rstrip()
        assert cell_len(str(longest[0])) > label.content_region.width
        assert line.endswith("…") and label.content_region.height == 1


async def test_the_import_labels_read_whole(workspace):
    app = make_app(workspace)
    async with run(app) as pilot:
        await app.push_screen(ImportPreview(workspace))
        await pilot.pause()
        for label in app.screen.query(".ip-row Label"):
            text = str(label.render())
            assert cell_len(text) <= label.content_region.width, text


async def test_after_the_pdf_the_scp_line_is_one_piece_and_the_footer_keeps_esc_and_help(workspace, tmp_path):
    from datetime import date

    from cards_support import card_ready_tps

    tps = card_ready_tps(workspace)
    svc.update_card_settings(workspace, print_command="")
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = CardsScreen(workspace, "tps", tps.code, today=date(2024, 11, 20), folder=tmp_path / "out")
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press("g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.pdf is not None
        result = screen.query_one("#cards-result")
        lines = result.render().plain.split("\n")
        hint = svc.fetch_hint(screen.pdf)
        start = next(i for i, line in enumerate(lines) if line.startswith("scp "))
        assert lines[start] != "scp" and "".join(lines[start:]) == hint
        assert all(cell_len(line) <= result.content_region.width for line in lines[start:]), (lines, result.content_region)
        footer = app.screen.query_one(KppsFooter)
        line = footer.shown()
        width = app.size.width
        assert all(x + item.width <= width for x, item in line.keys), line
        bottom = "".join(segment.text for segment in app.screen._compositor.render_strips()[-1])
        assert all(f"{item.key_display} {item.description}" in bottom for _x, item in line.keys), (bottom, line)
        shown = {item.key for _x, item in line.keys}
        assert {"escape", "question_mark"} <= shown or {"escape", "f1"} & shown, shown
