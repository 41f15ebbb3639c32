"""The ID cards screen and the verify screen, at 80x24 in the language of the TUI tests.

The PDF is made by the screen's worker and opened with pypdfium2; the preview's QR code is
read back from the screen itself (each cell's glyph and colours drawn to an image) by zxing-cpp.
Dates are fixed inside the cards' validity (voting day 27 November 2024, valid to 8 December).
"""

from __future__ import annotations

import shlex
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from cards_support import card_ready_tps, verify_declarations
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image, ImageDraw
from textual.widgets import Input, Select

from kpps_tui.cards import codes
from kpps_tui.store.keys import private_key_path
from kpps_tui.store.layout import KEY_DIR
from kpps_tui.cards.verify import Status, format_date
from kpps_tui.domain.declarations import DeclState
from kpps_tui.domain.model import seat_title
from kpps_tui.i18n import _
from kpps_tui.services import cards as svc
from kpps_tui.services.assignments import unassign
from kpps_tui.store.files import atomic_write_bytes, ensure_private_dir, exclusive_lock
from kpps_tui.store.layout import LOCK_FILE
from kpps_tui.tui.screens.card_preview import CardPreviewScreen
from kpps_tui.tui.screens.card_printing import CardsScreen, LeftOutTable
from kpps_tui.tui.screens.sheet_options import SheetOptionsForm
from kpps_tui.tui.screens.verify import VerifyScreen
from kpps_tui.tui.widgets.footer import KppsFooter
from kpps_tui.tui.widgets.qr_view import FULL, LOWER, UPPER, QrView

from .conftest import errors, make_app, run

DURING_WORK = date(2024, 11, 20)


# ---- helpers ------------------------------------------------------------------------------


async def push(pilot, screen):
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def finish_jobs(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text_of(screen, selector: str) -> str:
    rendered = screen.query_one(selector).render()
    return getattr(rendered, "plain", str(rendered))


def rows_of(table) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def page_count(path: Path) -> int:
    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def no_print_command(ws) -> None:
    """Whatever this machine has installed, the screen offers the scp line."""
    svc.update_card_settings(ws, print_command="")


def screen_image(app, cell: int = 6) -> Image.Image:
    """The screen as a camera would see it: each character cell `cell` pixels wide and two
    `cell`-pixel halves high, the half-block glyphs in their foreground colour on their
    background colour (other characters as their background)."""
    strips = app.screen._compositor.render_strips()
    image = Image.new("L", (app.size.width * cell, len(strips) * 2 * cell), 0)
    draw = ImageDraw.Draw(image)

    def grey(color, default: int) -> int:
        if color is None:
            return default
        r, g, b = color.get_truecolor()
        return int(0.299 * r + 0.587 * g + 0.114 * b)

    for y, strip in enumerate(strips):
        x = 0
        for segment in strip:
            style = segment.style
            fg, bg = grey(style.color if style else None, 255), grey(style.bgcolor if style else None, 0)
            if style is not None and style.reverse:
                fg, bg = bg, fg
            for ch in segment.text:
                top, bottom = {UPPER: (fg, bg), LOWER: (bg, fg), FULL: (fg, fg)}.get(ch, (bg, bg))
                left = x * cell
                draw.rectangle([left, y * 2 * cell, left + cell - 1, y * 2 * cell + cell - 1], fill=top)
                draw.rectangle([left, y * 2 * cell + cell, left + cell - 1, (y + 1) * 2 * cell - 1], fill=bottom)
                x += 1
    return image


def fixed_cards(ws, tps_code: str) -> None:
    """Make the cards of one TPS the same on every run: a fixed signing key and fixed short
    codes (a real key is random, and so are the first three characters of a code)."""
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    ensure_private_dir(ws.root / KEY_DIR)
    atomic_write_bytes(private_key_path(ws.root), pem)
    selection = svc.select_cards(ws, svc.Scope("tps", tps_code))
    issued = svc.issue_cards(ws, selection.seats, today=DURING_WORK, user="koordinator1")
    with ws.locked():
        stamp = "2024-11-20T01:00:00+00:00"
        ws.card_book().write([replace(r, code=codes.make_code(r.serial, "KPS"), issued_at=stamp) for r in issued.records])


# ---- choosing, counting, the PDF ------------------------------------------------------------


async def test_one_tps_counts_its_cards_and_the_worker_writes_a_private_pdf(workspace, tmp_path):
    tps = card_ready_tps(workspace)
    no_print_command(workspace)
    folder = tmp_path / "out"
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await push(pilot, CardsScreen(workspace, "tps", tps.code, today=DURING_WORK, folder=folder))
        assert screen.query_one("#cards-tps", Select).value == tps.code
        summary = text_of(screen, "#cards-summary")
        assert _("{n} cards to print").format(n=7) in summary
        assert _("Nobody is left out.") in summary
        await pilot.press("g")
        await finish_jobs(pilot)
        assert errors(app) == []
        pdf = screen.pdf
        assert pdf is not None and pdf.parent == folder and pdf.exists()
        assert page_count(pdf) == 1  # seven cards: one sheet of ten, front only
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600  # it holds names
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        result = text_of(screen, "#cards-result")
        assert svc.fetch_hint(pdf) in result.replace("\n", "")  # folded at the line's end, never at a space
        await pilot.press("y")
        assert app.clipboard == str(pdf)
        await pilot.press("c")
        assert app.clipboard == svc.fetch_hint(pdf)
    printed = svc.select_cards(workspace, svc.Scope("tps", tps.code, not_printed=True))
    assert (printed.count, printed.already_printed) == (0, 7)


async def test_the_cards_screens_judge_by_the_interfaces_day(workspace, tmp_path):
    """`kpps demo --today 20/11/2024`: the header, the cards and the check all go by that day
    (the machine's date is years after the cards' period)."""
    tps = card_ready_tps(workspace)
    app = make_app(workspace, today=lambda: DURING_WORK)
    async with run(app) as pilot:
        screen = await push(pilot, CardsScreen(workspace, "tps", tps.code, folder=tmp_path / "out"))
        assert _("(over: g reprints the cards on record)") not in text_of(screen, "#cards-summary")
        await pilot.press("g")
        await finish_jobs(pilot)
        assert errors(app) == [] and screen.pdf is not None
        records = [r for r in svc.book_of(workspace).records.values() if r.tps == tps.code and r.active]
        assert len(records) == 7 and {r.valid_from for r in records} == {DURING_WORK.isoformat()}
        await pilot.press("escape")
        checking = await push(pilot, VerifyScreen(workspace))
        checking.check(codes.display(records[0].code))
        assert checking.verdict.status is Status.VALID


async def test_p_hands_the_pdf_to_the_print_command(workspace, tmp_path):
    tps = card_ready_tps(workspace)
    printed = tmp_path / "printer-got.pdf"
    # The configured command gets the PDF's path as its last argument, as `lp` would.
    script = 'cp "$0" ' + shlex.quote(str(printed))
    svc.update_card_settings(workspace, print_command="sh -c " + shlex.quote(script))
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await push(pilot, CardsScreen(workspace, "tps", tps.code, today=DURING_WORK, folder=tmp_path / "out"))
        await pilot.press("g")
        await finish_jobs(pilot)
        assert screen.printer is not None
        await pilot.press("p")
        await finish_jobs(pilot)
        assert errors(app) == []
        assert printed.read_bytes() == screen.pdf.read_bytes()
        assert _("Sent to the printer: {name}.").format(name=screen.pdf.name) in text_of(screen, "#cards-result")


async def test_while_the_pdf_is_made_the_footer_reads_whole_with_cancel_in_it(workspace, tmp_path):
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await push(pilot, CardsScreen(workspace, today=DURING_WORK, folder=tmp_path / "out"))
        with exclusive_lock(workspace.root / LOCK_FILE):  # the job waits: it is running while we look
            await pilot.press("g")
            await pilot.pause()
            assert screen.job == "cards"
            keys = {item.key: item for _x, item in app.screen.query_one(KppsFooter).shown().keys}
            bottom = "".join(segment.text for segment in app.screen._compositor.render_strips()[-1])
            assert "x" in keys and "g" not in keys, sorted(keys)  # g would only say "wait"
            for key in keys.values():
                assert f"{key.key_display} {key.description}" in bottom, (bottom, key.description)
            await pilot.press("x")
        await finish_jobs(pilot)
        keys = {item.key for _x, item in app.screen.query_one(KppsFooter).shown().keys}
        assert "g" in keys and "x" not in keys


async def test_cancelling_all_writes_no_file_and_marks_nothing_printed(workspace, tmp_path):
    folder = tmp_path / "out"
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await push(pilot, CardsScreen(workspace, today=DURING_WORK, folder=folder))
        assert screen.scope.kind == "all" and screen.selection.count > 100
        # Another session holds the workspace lock: the job waits for it to issue the cards,
        # and the screen goes on answering keys meanwhile.
        with exclusive_lock(workspace.root / LOCK_FILE):
            await pilot.press("g")
            assert screen.job == "cards"
            await pilot.press("x")
            assert screen.job == "cards" and text_of(screen, "#cards-job-status") == _("Cancelling…")
        await finish_jobs(pilot)
        assert screen.job is None and screen.pdf is None
        assert list(folder.glob("*")) == []
        assert _("Cancelled: no PDF was written and no card is marked as printed.") in text_of(screen, "#cards-result")
    assert svc.select_cards(workspace, svc.Scope("all", not_printed=True)).already_printed == 0


async def test_left_out_seats_say_why_in_words(workspace, tmp_path, pick):
    ws = workspace
    tps = pick(ws).partly_filled_tps()
    seated = sorted(tps.seats.items())
    unverified_seat, holder = seated[0]
    verify_declarations(ws, [s.nik for _n, s in seated[1:]])
    state = ws.people[holder.nik].neutrality.statement.state
    assert state is not DeclState.VERIFIED
    empty = pick(ws).empty_seats(tps)
    app = make_app(ws)
    async with run(app) as pilot:
        screen = await push(pilot, CardsScreen(ws, "tps", tps.code, today=DURING_WORK, folder=tmp_path / "out"))
        rows = {row[1]: row for row in rows_of(screen.query_one(LeftOutTable))}
        assert set(rows) == {seat_title(n) for n in [*empty, unverified_seat]}
        for seat in empty:
            assert rows[seat_title(seat)][3] == _("seat empty")
        reason = _("Surat Pernyataan {state}").format(state=state.label)
        assert reason.startswith(rows[seat_title(unverified_seat)][3].rstrip("…"))
        assert ws.people[holder.nik].name in text_of(screen, "#cards-left-detail")  # the highlighted row in full
        summary = text_of(screen, "#cards-summary")
        assert _("{n} cards to print").format(n=len(seated) - 1) in summary
        assert reason in summary and _("seat empty") in summary


async def test_every_seat_left_out_is_listed_and_the_line_below_follows_the_cursor(workspace, tmp_path):
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await push(pilot, CardsScreen(workspace, today=DURING_WORK, folder=tmp_path / "out"))
        left_out = screen.selection.left_out
        table = screen.query_one(LeftOutTable)
        assert table.row_count == len(left_out) > 200  # every TPS: more than a screen, all of them
        assert text_of(screen, "#cards-left-detail") == left_out[0].describe()
        table.focus()
        await pilot.press("end")
        await pilot.pause()
        assert text_of(screen, "#cards-left-detail") == left_out[-1].describe()
        await pilot.press("up")
        await pilot.pause()
        assert text_of(screen, "#cards-left-detail") == left_out[-2].describe()


async def test_the_choices_narrow_from_kecamatan_to_desa_to_tps(workspace, tmp_path):
    ws = workspace
    tps = min(ws.tps.values(), key=lambda t: t.code)
    app = make_app(ws)
    async with run(app) as pilot:
        screen = await push(pilot, CardsScreen(ws, today=DURING_WORK, folder=tmp_path / "out"))
        screen.query_one("#cards-desa", Select).value = tps.desa_code
        await pilot.pause()
        assert screen.query_one("#cards-kecamatan", Select).value == tps.kecamatan_code  # follows the desa
        assert screen.scope == svc.Scope("desa", tps.desa_code)
        screen.query_one("#cards-tps", Select).value = tps.code
        await pilot.pause()
        assert screen.scope == svc.Scope("tps", tps.code)
        screen.query_one("#cards-printed", Select).value = "new"
        await pilot.pause()
        assert screen.scope == svc.Scope("tps", tps.code, not_printed=True)
        screen.query_one("#cards-kecamatan", Select).clear()
        await pilot.pause()
        assert screen.scope == svc.Scope("all", "", not_printed=True)
        assert screen.query_one("#cards-tps", Select).disabled


async def test_sheet_options_are_saved_and_a_calibration_page_is_written(workspace, tmp_path):
    folder = tmp_path / "out"
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await push(pilot, CardsScreen(workspace, today=DURING_WORK, folder=folder))
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SheetOptionsForm)
        form.query_one("#sheet-cut", Select).value = "border"
        form.query_one("#sheet-x", Input).value = "abc"
        await pilot.press("ctrl+s")
        assert app.screen is form  # not a number: the form says so and stays
        form.query_one("#sheet-x", Input).value = "1,5"  # a decimal comma, as Indonesians write it
        form.query_one("#sheet-y", Input).value = "-2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        settings = svc.card_settings(workspace)
        assert (settings["cut"], settings["offset_x_mm"], settings["offset_y_mm"]) == ("border", 1.5, -2.0)
        await pilot.press("t")
        await finish_jobs(pilot)
        assert screen.pdf is not None and screen.pdf.name.startswith("kpps-calibration-")
        assert page_count(screen.pdf) == 1


# ---- the preview ------------------------------------------------------------------------------


async def test_the_preview_shows_a_code_a_camera_reads_from_the_screen(workspace, tmp_path):
    tps = card_ready_tps(workspace)
    app = make_app(workspace)
    async with run(app) as pilot:
        await push(pilot, CardsScreen(workspace, "tps", tps.code, today=DURING_WORK, folder=tmp_path / "out"))
        await pilot.press("v")
        await pilot.pause()
        preview = app.screen
        assert isinstance(preview, CardPreviewScreen)
        assert preview.query_one(QrView).fits
        face = preview.face
        assert face.name == workspace.people[tps.seats[1].nik].name
        # Dark modules on a light ground only: an inverted code would not be read.
        found = zxingcpp.read_barcodes(screen_image(app), formats=zxingcpp.BarcodeFormat.QRCode, try_invert=False)
        assert [f.text for f in found] == [face.qr_text]
        assert svc.verify_code(found[0].text, ws=workspace, today=DURING_WORK).status is Status.VALID
        await pilot.press("right")
        await pilot.pause()
        assert preview.face.seat == 2
        assert zxingcpp.read_barcodes(screen_image(app), try_invert=False)[0].text == preview.face.qr_text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CardsScreen)


# ---- verifying --------------------------------------------------------------------------------


async def test_verify_a_short_code_then_revoked_after_unassign_and_garbage_is_damaged(workspace):
    ws = workspace
    tps = card_ready_tps(ws)
    issued = svc.issue_cards(ws, svc.select_cards(ws, svc.Scope("tps", tps.code)).seats, today=DURING_WORK)
    card = next(r for r in issued.records if r.seat == 3)
    app = make_app(ws)
    async with run(app) as pilot:
        screen = await push(pilot, VerifyScreen(ws, today=DURING_WORK))
        await pilot.press(*codes.display(card.code).lower().replace("-", " ").replace(" ", ""), "enter")
        await pilot.pause()
        assert screen.verdict.status is Status.VALID
        assert Status.VALID.label.upper() in text_of(screen, "#verify-word")
        assert ws.people[card.nik].name in text_of(screen, "#verify-sentence")
        assert screen.query_one(Input).value == ""  # ready for the next card

        unassign(ws, tps.code, card.seat)
        screen.query_one(Input).value = codes.display(card.code)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.verdict.status is Status.REVOKED
        assert Status.REVOKED.label.upper() in text_of(screen, "#verify-word")
        assert text_of(screen, "#verify-sentence").startswith(screen.verdict.message)

        screen.query_one(Input).value = "KPPS:this-is-not-a-card"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.verdict.status is Status.DAMAGED
        assert Status.DAMAGED.label.upper() in text_of(screen, "#verify-word")
        history = text_of(screen, "#verify-history")
        assert Status.VALID.label in history and Status.REVOKED.label in history


async def test_verify_the_pasted_text_of_a_qr_code(workspace):
    ws = workspace
    tps = card_ready_tps(ws)
    face, _lines = svc.preview_card(ws, tps.code, 1, today=DURING_WORK)
    app = make_app(ws)
    async with run(app) as pilot:
        screen = await push(pilot, VerifyScreen(ws, today=DURING_WORK))
        screen.query_one(Input).value = face.qr_text
        await pilot.press("enter")
        await pilot.pause()
        assert screen.verdict.status is Status.VALID
        forged = face.qr_text[:-3] + ("A" if face.qr_text[-3] != "A" else "B") + face.qr_text[-2:]
        screen.query_one(Input).value = forged
        await pilot.press("enter")
        await pilot.pause()
        assert screen.verdict.status in (Status.FORGED, Status.DAMAGED)
        assert screen.verdict.status.label.upper() in text_of(screen, "#verify-word")


# ---- keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [CardsScreen, CardPreviewScreen, SheetOptionsForm, VerifyScreen])
def test_every_binding_has_an_id_and_a_description(cls):
    for binding in cls.BINDINGS:
        assert binding.id and binding.id.startswith("kpps."), binding
        assert binding.description, binding


async def test_k_opens_the_cards_of_the_tps_on_screen_and_i_the_verify_screen(workspace):
    from kpps_tui.tui.screens.tps_detail import TpsScreen

    tps = next(iter(workspace.tps.values()))
    app = make_app(workspace)
    async with run(app) as pilot:
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, CardsScreen)
        await pilot.press("escape")
        await pilot.app.push_screen(TpsScreen(workspace, tps.code))
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, CardsScreen)
        assert app.screen.query_one("#cards-tps", Select).value == tps.code
        await pilot.press("escape")
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, VerifyScreen)


# ---- after the cards' period ----------------------------------------------------------------

AFTER_WORK = date(2024, 12, 20)


async def test_after_the_period_g_asks_and_reprints_only_the_cards_on_record(workspace, tmp_path):
    from kpps_tui.tui.screens.dialogs import ConfirmModal

    tps = card_ready_tps(workspace)
    no_print_command(workspace)
    selection = svc.select_cards(workspace, svc.Scope("tps", tps.code))
    issued = svc.issue_cards(workspace, selection.seats[:3], today=DURING_WORK).records
    folder = tmp_path / "out"
    app = make_app(workspace)
    async with run(app) as pilot:
        screen = await push(pilot, CardsScreen(workspace, "tps", tps.code, today=AFTER_WORK, folder=folder))
        summary = text_of(screen, "#cards-summary")
        period = _("Cards valid {start} – {until}").format(
            start=format_date(date(2024, 11, 7)), until=format_date(date(2024, 12, 8))
        )
        assert period in summary and _("(over: g reprints the cards on record)") in summary
        await pilot.press("g")
        assert isinstance(app.screen, ConfirmModal)
        assert format_date(date(2024, 12, 8)) in app.screen.sentence
        await pilot.press("escape")  # cancelled: nothing made
        await finish_jobs(pilot)
        assert app.screen is screen and screen.pdf is None and not folder.exists()
        await pilot.press("g", "enter")
        await finish_jobs(pilot)
        assert errors(app) == []
        assert screen.pdf is not None and page_count(screen.pdf) == 1
    book = svc.book_of(workspace)
    assert sorted(r.serial for r in book.records.values() if r.active) == sorted(r.serial for r in issued)
    assert all(book.records[r.serial].printed_at for r in issued)
