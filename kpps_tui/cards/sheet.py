"""A4 sheets of ten ID-1 cards (85.6 x 54 mm, 2 columns x 5 rows), as a PDF.

Geometry (millimetres, from the top-left corner of the paper, before calibration offsets):
the cards touch each other, so one straight cut separates two of them; the grid is centred,
19.4 mm from the left and right edges and 13.5 mm from the top and bottom. Cut marks (or a
dashed border around each card) guide the cut; x/y offsets move everything on the page, to
make up for a printer that does not print where it is told (+x to the right, +y down).
The optional back page holds the same cards mirrored left to right, so that a sheet printed
on both sides (flipped on the long edge) puts each card's back behind its front.

Text uses Bitstream Vera Sans, the TrueType font shipped inside reportlab itself, embedded
in the PDF: it covers Latin-1 and Latin Extended letters used in names (é, ñ, ç, š, ...),
apostrophes and dashes; a letter it lacks is printed without its accent rather than as a box.

QR codes are drawn as vectors: each row's runs of dark modules become one rectangle, and a
code is one filled path, with a quiet zone of four modules.
"""

from __future__ import annotations

import atexit
import io
import itertools
import os
import sys
import threading
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from kpps_tui.cards.cancel import Cancelled as Cancelled  # raised between pages
from kpps_tui.cards.qr import path_ops
from kpps_tui.cards.verify import format_date
from kpps_tui.domain.model import seat_title
from kpps_tui import i18n
from kpps_tui.i18n import N_, _
from kpps_tui.interchange.pdf import FONT, FONT_BOLD, register_fonts

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext

MM = 72 / 25.4  # PDF points per millimetre
PT = 25.4 / 72  # millimetres per point (font sizes are given in points)

PAGE_W, PAGE_H = 210.0, 297.0
CARD_W, CARD_H = 85.6, 54.0
COLS, ROWS = 2, 5
PER_PAGE = COLS * ROWS
GRID_LEFT = (PAGE_W - COLS * CARD_W) / 2  # 19.4
GRID_TOP = (PAGE_H - ROWS * CARD_H) / 2  # 13.5, from the top edge
QUIET_MODULES = 4

# Inside a card (origin at its bottom-left corner).
SAFE = 3.0  # nothing important closer to the cut than this
BAND_H = 10.0
QR_BOX = 30.0  # QR code with its quiet zone
QR_X = CARD_W - 1.5 - QR_BOX
QR_Y = CARD_H - BAND_H - 0.5 - QR_BOX
TEXT_X = SAFE
TEXT_W = QR_X - 1.0 - TEXT_X
PHOTO = (SAFE, 4.0, 18.0, 24.0)  # x, y, width, height (3:4)
INFO_X = PHOTO[0] + PHOTO[2] + 2.5
INFO_W = QR_X - 1.0 - INFO_X
INFO_TOPS = tuple(PHOTO[1] + PHOTO[3] - i * PHOTO[3] / 4 for i in range(4))  # label rows
NAME_TOP = CARD_H - BAND_H - 6.2
NAME_BOTTOM = PHOTO[1] + PHOTO[3] + 1.0
NAME_MAX_PT = 12.0
NAME_MAX_LINES = 3
LEADING = 1.12

BAND_RGB = (0.58, 0.09, 0.11)
GREY = 0.35

CUT_STYLES = ("marks", "border")


@dataclass(frozen=True)
class CardFace:
    """Everything printed on one card, already decided by services.cards.printing."""

    serial: int
    code: str  # short code as printed, e.g. 7KQ-2MX-P9D
    qr_text: str
    kpu_name: str
    election: str
    seat: int
    name: str
    tps_code: str
    tps_number: int
    desa: str
    kecamatan: str
    valid_from: date
    valid_until: date

    @property
    def role(self) -> str:
        return seat_title(self.seat)


@dataclass(frozen=True)
class SheetOptions:
    cut: str = "marks"  # "marks" or "border"
    offset_x_mm: float = 0.0  # + moves the print to the right
    offset_y_mm: float = 0.0  # + moves the print down
    back: bool = False  # add a mirrored back page after each sheet (duplex, long edge)
    calibration: bool = False  # start with the calibration test page

    def __post_init__(self) -> None:
        if self.cut not in CUT_STYLES:
            raise ValueError(f"cut must be one of {CUT_STYLES}")


# ---- geometry -----------------------------------------------------------------------------


def card_origin(index: int, back: bool = False) -> tuple[float, float]:
    """Bottom-left corner (mm, PDF orientation: y up) of the card at `index` on its page,
    without calibration offsets. On a back page the columns are mirrored."""
    row, col = divmod(index % PER_PAGE, COLS)
    if back:
        col = COLS - 1 - col
    return GRID_LEFT + col * CARD_W, PAGE_H - GRID_TOP - (row + 1) * CARD_H


def card_box_on_paper(index: int, options: SheetOptions, back: bool = False) -> tuple[float, float, float, float]:
    """Where a card lands, measured as a person does: (left, top, width, height) in mm from
    the paper's top-left corner, with the offsets applied."""
    x, y = card_origin(index, back)
    return (x + options.offset_x_mm, PAGE_H - (y + CARD_H) + options.offset_y_mm, CARD_W, CARD_H)


# ---- fonts and fitting --------------------------------------------------------------------


def printable(text: str) -> str:
    """`text` with every character the font lacks replaced by the same letter with fewer
    accents (ễ -> ê -> e), so a name never shows an empty box."""
    covered = register_fonts()
    if all(ord(ch) in covered for ch in text):
        return text
    out = []
    for ch in unicodedata.normalize("NFC", text):
        out.append(ch if ord(ch) in covered else _nearest_covered(ch, covered))
    return "".join(out)


def _nearest_covered(ch: str, covered: frozenset[int]) -> str:
    for form in ("NFD", "NFKD"):
        parts = unicodedata.normalize(form, ch)
        for keep in range(len(parts), 0, -1):
            candidate = unicodedata.normalize("NFC", parts[:keep])
            if all(ord(c) in covered for c in candidate):
                return candidate
    return "?"


def width_mm(text: str, font: str, size_pt: float) -> float:
    return pdfmetrics.stringWidth(text, font, size_pt) * PT


def fit_size(text: str, font: str, max_pt: float, width: float) -> float:
    """The largest size up to `max_pt` at which `text` is at most `width` mm wide."""
    natural = width_mm(text, font, 1.0)
    return max_pt if natural <= 0 else min(max_pt, width / natural)


def fit_lines(
    text: str, font: str, max_pt: float, width: float, height: float, max_lines: int = NAME_MAX_LINES
) -> tuple[float, list[str]]:
    """Break `text` at spaces into 1..max_lines lines and pick the break that allows the
    largest font size with every line within `width` and all lines within `height` (mm).
    Nothing is ever cut: a long word only makes the text smaller."""
    words = text.split()
    if not words:
        return max_pt, [""]
    best: tuple[float, list[str]] | None = None
    for count in range(1, min(max_lines, len(words)) + 1):
        lines = _balanced(words, count, font)
        widest = max(width_mm(line, font, 1.0) for line in lines)
        size = min(max_pt, width / widest, height / (count * LEADING * PT))
        # A further line must win clearly: one line reads better than two.
        if best is None or size > best[0] * 1.25:
            best = (size, lines)
    assert best is not None  # words is not empty, so the loop ran
    return best


def _balanced(words: list[str], count: int, font: str) -> list[str]:
    if count == 1:
        return [" ".join(words)]
    best_lines: list[str] = []
    best_width = float("inf")
    for cuts in itertools.combinations(range(1, len(words)), count - 1):
        bounds = (0, *cuts, len(words))
        lines = [" ".join(words[a:b]) for a, b in itertools.pairwise(bounds)]
        widest = max(width_mm(line, font, 1.0) for line in lines)
        if widest < best_width:
            best_width, best_lines = widest, lines
    return best_lines


def short_date(day: date) -> str:
    return _(N_("{day} {month} {year}")).format(day=day.day, month=_(MONTHS_SHORT[day.month - 1]), year=day.year)


MONTHS_SHORT = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)

DUTIES = {
    1: N_("Chairs the KPPS: leads the voting and the count at the TPS, and signs the ballots."),
    2: N_("At the chair's table: reads out notices and hands out the ballots."),
    3: N_("At the chair's table: reads out notices and hands out the ballots."),
    4: N_("At the entrance: checks voters' fingers for ink, finds them in the DPT and keeps the attendance list."),
    5: N_("At the entrance: checks voters' fingers for ink, finds them in the DPT and keeps the attendance list."),
    6: N_("At the ballot box: guides voters to put each folded ballot in the right box."),
    7: N_("At the exit: marks each voter's finger with ink."),
}


# ---- QR drawing ---------------------------------------------------------------------------

QrDrawer = Callable[[Canvas, str, float, float, float], None]


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code of `text` in the square (x, y, size) mm, quiet zone included, as one
    filled path of rectangles over runs of dark modules, in integer module coordinates."""
    modules, ops = path_ops(text)
    unit = size / (modules + 2 * QUIET_MODULES)
    canvas.saveState()
    canvas.transform(unit, 0, 0, unit, x + QUIET_MODULES * unit, y + QUIET_MODULES * unit)
    canvas.addLiteral("0 g\n" + ops + "f")
    canvas.restoreState()


# ---- the document -------------------------------------------------------------------------


def render_pdf(
    faces: Sequence[CardFace],
    options: SheetOptions = SheetOptions(),
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    qr_drawer: QrDrawer = draw_qr,
    workers: int | None = None,
) -> tuple[bytes, int]:
    """The PDF of these cards, and its number of pages.

    From PARALLEL_FROM cards on (and `workers` unset), the sheets are laid out on every core:
    see render_pdf_parallel. `workers=1` always lays them out in this process."""
    if workers is None:
        workers = default_workers(len(faces)) if qr_drawer is draw_qr else 1
    if workers > 1 and len(faces) > PER_PAGE:
        return render_pdf_parallel(faces, options, workers, progress, cancelled)
    with _fast_streams():
        return _render(faces, options, progress, cancelled, qr_drawer)


@contextmanager
def _fast_streams() -> Iterator[None]:
    """Binary streams: reportlab's ASCII85 wrapping of compressed streams runs in pure Python
    and costs more than everything else; PDF readers and printers need no such wrapping. And
    the fastest zlib level: the page streams (numbers of QR rectangles and text) compress
    about as well at level 1, three times sooner than at reportlab's default 6."""
    register_fonts()
    previous_a85, previous_flate = rl_config.useA85, pdfdoc.PDFZCompress
    rl_config.useA85 = 0
    pdfdoc.PDFZCompress = _FAST_FLATE
    try:
        yield
    finally:
        rl_config.useA85, pdfdoc.PDFZCompress = previous_a85, previous_flate


class _FastFlate(pdfdoc.PDFStreamFilterZCompress):
    def encode(self, text: str | bytes) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)


_FAST_FLATE = _FastFlate()


def _render(
    faces: Sequence[CardFace],
    options: SheetOptions,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
    qr_drawer: QrDrawer,
    first_sheet: int = 1,
    total_sheets: int | None = None,
) -> tuple[bytes, int]:
    """The cards on sheets numbered from `first_sheet` of `total_sheets` (default: these)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_W * MM, PAGE_H * MM), invariant=1, pageCompression=1)
    canvas.setTitle(_("KPPS officer ID cards"))
    canvas.setCreator("kpps-tui")
    sheet = _Sheet(canvas, options, faces, qr_drawer)
    pages = 0
    if options.calibration:
        sheet.calibration_page()
        pages += 1
    sheets = [faces[i : i + PER_PAGE] for i in range(0, len(faces), PER_PAGE)]
    total = total_sheets or len(sheets)
    for number, batch in enumerate(sheets, first_sheet):
        if cancelled is not None and cancelled():
            raise Cancelled()
        sheet.front_page(batch, number, total)
        pages += 1
        if options.back:
            sheet.back_page(batch, number, total)
            pages += 1
        if progress is not None:
            progress(min((number - first_sheet + 1) * PER_PAGE, len(faces)), len(faces))
    if pages == 0:
        sheet.empty_page()
        pages = 1
    canvas.save()
    return out.getvalue(), pages


# ---- every core -------------------------------------------------------------------------------

PARALLEL_FROM = 500  # cards: below this, starting a second process costs more than it saves
PIECE_SHEETS = 15  # sheets (150 cards) per piece laid out at a time


def default_workers(cards: int) -> int:
    """Processes that lay out `cards` cards: every core from PARALLEL_FROM cards on."""
    return min(os.cpu_count() or 1, 4) if cards >= PARALLEL_FROM else 1


def render_pdf_parallel(
    faces: Sequence[CardFace],
    options: SheetOptions,
    workers: int,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[bytes, int]:
    """The same PDF as render_pdf's (the same pages, numbers and QR codes), laid out in pieces
    of PIECE_SHEETS sheets on `workers` cores and joined into one document with PDFium.

    This process lays out pieces itself (from the end) while `workers - 1` worker processes
    take them from the start; the workers are started once per session from a clean server
    process (never forked from a program that runs threads, as the interface does). Progress
    is reported as pieces are done; `cancelled()` is asked between pieces (Cancelled raised,
    the pieces still running are dropped). A pure function of its arguments: nothing is
    written, the workspace is not read."""
    register_fonts()
    language = i18n.current_language()
    step = PIECE_SHEETS * PER_PAGE
    starts = list(range(0, len(faces), step))
    total_sheets = -(-len(faces) // PER_PAGE)
    pieces: dict[int, tuple[bytes, int]] = {}
    todo = list(range(len(starts)))

    def job(i: int) -> tuple[list[CardFace], SheetOptions, int, int, str]:
        chunk_options = options if i == 0 else _without_calibration(options)
        return list(faces[starts[i] : starts[i] + step]), chunk_options, starts[i] // PER_PAGE + 1, total_sheets, language

    def report() -> None:
        if progress is not None:
            progress(min(len(faces), sum(min(step, len(faces) - starts[i]) for i in pieces)), len(faces))

    try:
        pool: ProcessPoolExecutor | None = _worker_pool(workers - 1)
    except (OSError, ValueError):  # no processes may be started here: all in this process
        pool = None
    running: dict[Future[tuple[bytes, int]], int] = {}
    try:
        while todo or running:
            if cancelled is not None and cancelled():
                raise Cancelled()
            try:
                while pool is not None and todo and len(running) < workers - 1:
                    i = todo.pop(0)
                    running[pool.submit(_render_piece, *job(i))] = i
                finished, _pending = wait(running, timeout=0, return_when=FIRST_COMPLETED)
                for future in finished:
                    pieces[running[future]] = future.result()
                    del running[future]
                    report()
            except (BrokenProcessPool, OSError, ValueError):
                # No worker processes here (or they died): the pieces left are laid out in
                # this process, more slowly but the same.
                _drop_pool()
                pool = None
                todo.extend(running.values())
                todo.sort()
                running.clear()
            if todo:  # this process takes the last piece left
                i = todo.pop()
                pieces[i] = _render_piece(*job(i))
                report()
            elif running:
                wait(running, timeout=0.1, return_when=FIRST_COMPLETED)
    finally:
        for future in running:
            future.cancel()
    return join_pdfs([pieces[i][0] for i in range(len(starts))]), sum(pages for _data, pages in pieces.values())


def _without_calibration(options: SheetOptions) -> SheetOptions:
    from dataclasses import replace

    return replace(options, calibration=False)


def _render_piece(
    faces: list[CardFace], options: SheetOptions, first_sheet: int, total_sheets: int, language: str
) -> tuple[bytes, int]:
    """(In a worker, or here.) One piece of the document, in the language of the caller."""
    if i18n.current_language() != language:
        i18n.set_language(language)
    with _fast_streams():
        return _render(faces, options, None, None, draw_qr, first_sheet, total_sheets)


def join_pdfs(documents: Sequence[bytes]) -> bytes:
    """One PDF of the pages of these, in order (PDFium keeps every page's resources). The
    pages of the others are added to the first document, so the joined one keeps its title,
    creator and dates, as the PDF laid out in one process has them; a new document would
    carry PDFium's own instead, none of ours."""
    import pypdfium2 as pdfium  # loaded by the first large print job

    if len(documents) == 1:
        return documents[0]
    joined = pdfium.PdfDocument(documents[0])
    try:
        for data in documents[1:]:
            piece = pdfium.PdfDocument(data)
            try:
                joined.import_pages(piece)
            finally:
                piece.close()
        out = io.BytesIO()
        joined.save(out)
    finally:
        joined.close()
    return out.getvalue()


_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()


def _drop_pool() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


def _worker_pool(size: int) -> ProcessPoolExecutor:
    """Worker processes kept for the session. Forked from this process when it runs no other
    thread (the command line: they start at once, with everything loaded); else (the
    interface runs threads, and a fork copies their locks) forked from a server process that
    loads this module and reportlab once."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size != size:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
                context: BaseContext = multiprocessing.get_context("fork")
            else:
                server = multiprocessing.get_context("forkserver")
                server.set_forkserver_preload(["kpps_tui.cards.sheet"])
                _start_helpers_with_real_stderr()
                context = server
            _pool, _pool_size = ProcessPoolExecutor(max_workers=size, mp_context=context), size
            atexit.register(_pool.shutdown, wait=False, cancel_futures=True)
        return _pool


def _start_helpers_with_real_stderr() -> None:
    """Start multiprocessing's resource tracker and fork server now, handing them the real
    standard error: the interface (and its tests) replace sys.stderr by a capture whose
    fileno() is no file, which the tracker would pass on as a file to keep and fail."""
    from multiprocessing import forkserver, resource_tracker

    captured = sys.stderr
    if sys.__stderr__ is not None:
        sys.stderr = sys.__stderr__
    try:
        resource_tracker.ensure_running()
        forkserver.ensure_running()
    finally:
        sys.stderr = captured


class _Sheet:
    def __init__(self, canvas: Canvas, options: SheetOptions, faces: Sequence[CardFace], qr_drawer: QrDrawer) -> None:
        self.c = canvas
        self.options = options
        self.qr_drawer = qr_drawer
        self._forms: set[str] = set()
        first = faces[0] if faces else None
        self.kpu_name = printable(first.kpu_name) if first else ""
        self.election = printable(first.election) if first else ""

    # -- pages --

    def _begin(self) -> None:
        c = self.c
        c.saveState()
        c.translate(self.options.offset_x_mm * MM, -self.options.offset_y_mm * MM)
        c.scale(MM, MM)

    def _end(self) -> None:
        self.c.restoreState()
        self.c.showPage()

    def front_page(self, batch: Sequence[CardFace], number: int, total: int) -> None:
        self._begin()
        self._front_form()
        for index, face in enumerate(batch):
            x, y = card_origin(index)
            self._front(face, x, y)
        self._cut_guides(len(batch), back=False)
        self._margins(batch, number, total, back=False)
        self._end()

    def back_page(self, batch: Sequence[CardFace], number: int, total: int) -> None:
        self._begin()
        self._back_form()
        for index, face in enumerate(batch):
            x, y = card_origin(index, back=True)
            self._back(face, x, y)
        self._cut_guides(len(batch), back=True)
        self._margins(batch, number, total, back=True)
        self._end()

    def empty_page(self) -> None:
        self._begin()
        self.c.setFont(FONT, 10 * PT)
        self.c.drawString(GRID_LEFT, PAGE_H - GRID_TOP - 10, _("No cards to print."))
        self._end()

    # -- the card front --

    def _front_form(self) -> None:
        """What every front shows alike, drawn once and placed ten times a page."""
        if "front" in self._forms:
            return
        c = self.c
        c.beginForm("front", 0, 0, CARD_W, CARD_H)
        self._band(_("KPPS officer ID card"))
        c.setStrokeGray(GREY)
        c.setLineWidth(0.2)
        x, y, w, h = PHOTO
        c.rect(x, y, w, h, stroke=1, fill=0)
        c.setFillGray(0.6)
        c.setFont(FONT, 6 * PT)
        c.drawCentredString(x + w / 2, y + h / 2 - 0.8, _("Photo"))
        c.setFillGray(GREY)
        c.setFont(FONT, 5 * PT)
        for label, top in self._info_rows():
            c.drawString(INFO_X, top - 1.8, label)
        c.endForm()
        self._forms.add("front")

    @staticmethod
    def _info_rows() -> list[tuple[str, float]]:
        labels = [_("TPS"), _("Desa/Kelurahan"), _("Kecamatan"), _("Valid")]
        return list(zip(labels, INFO_TOPS))

    def _band(self, subtitle: str) -> None:
        c = self.c
        c.setFillColorRGB(*BAND_RGB)
        c.rect(0, CARD_H - BAND_H, CARD_W, BAND_H, stroke=0, fill=1)
        c.setFillGray(1)
        title = self.kpu_name.upper()
        size = fit_size(title, FONT_BOLD, 8, CARD_W - 2 * SAFE)
        c.setFont(FONT_BOLD, size * PT)
        c.drawString(SAFE, CARD_H - 4.4, title)
        line = f"{self.election} \u00b7 {subtitle}"
        size = fit_size(line, FONT, 6.5, CARD_W - 2 * SAFE)
        c.setFont(FONT, size * PT)
        c.drawString(SAFE, CARD_H - 8.2, line)

    def _front(self, face: CardFace, x: float, y: float) -> None:
        c = self.c
        c.saveState()
        c.translate(x, y)
        c.doForm("front")
        # All of a card's own text in one text object: far fewer operators than a drawString
        # each, which matters at 2,891 cards.
        t = c.beginText()

        def put(font: str, size_pt: float, left: float, baseline: float, text: str) -> None:
            t.setFont(font, size_pt * PT)
            t.setTextOrigin(left, baseline)
            t.textOut(text)

        role = printable(face.role.upper())
        t.setFillColorRGB(*BAND_RGB)
        put(FONT_BOLD, fit_size(role, FONT_BOLD, 8, TEXT_W), TEXT_X, CARD_H - BAND_H - 3.6, role)
        t.setFillGray(0)
        size, lines = fit_lines(printable(face.name), FONT_BOLD, NAME_MAX_PT, TEXT_W, NAME_TOP - NAME_BOTTOM)
        baseline = NAME_TOP - 0.76 * size * PT
        for line in lines:
            put(FONT_BOLD, size, TEXT_X, baseline, line)
            baseline -= LEADING * size * PT
        values = [
            (f"{face.tps_number:03d}", FONT_BOLD, 9),
            (printable(face.desa), FONT, 7),
            (printable(face.kecamatan), FONT, 7),
            (f"{short_date(face.valid_from)} \u2013 {short_date(face.valid_until)}", FONT, 7),
        ]
        for top, (value, font, max_pt) in zip(INFO_TOPS, values):
            put(font, fit_size(value, font, max_pt, INFO_W), INFO_X, top - 4.6, value)
        center = QR_X + QR_BOX / 2
        size = fit_size(face.code, FONT_BOLD, 9, QR_BOX - 2)
        put(FONT_BOLD, size, center - width_mm(face.code, FONT_BOLD, size) / 2, QR_Y - 2.9, face.code)
        t.setFillGray(GREY)
        serial = _("Card no. {serial}").format(serial=face.serial)
        put(FONT, 5, center - width_mm(serial, FONT, 5) / 2, QR_Y - 5.3, serial)
        c.drawText(t)
        self.qr_drawer(c, face.qr_text, QR_X, QR_Y, QR_BOX)
        c.restoreState()

    # -- the card back --

    def _back_form(self) -> None:
        if "back" in self._forms:
            return
        c = self.c
        c.beginForm("back", 0, 0, CARD_W, CARD_H)
        self._band(_("KPPS officer ID card"))
        c.endForm()
        self._forms.add("back")

    def _back(self, face: CardFace, x: float, y: float) -> None:
        c = self.c
        c.saveState()
        c.translate(x, y)
        c.doForm("back")
        width = CARD_W - 2 * SAFE
        top = CARD_H - BAND_H - 3.6
        c.setFillColorRGB(*BAND_RGB)
        heading = _("Duties of the {role}").format(role=face.role)
        c.setFont(FONT_BOLD, fit_size(heading, FONT_BOLD, 7.5, width) * PT)
        c.drawString(SAFE, top, heading)
        c.setFillGray(0)
        duty = _(DUTIES.get(face.seat, DUTIES[2]))
        top = self._paragraph(duty, SAFE, top - 3.2, width, 7, 9.0)
        c.setFillColorRGB(*BAND_RGB)
        heading = _("How to check this card")
        c.setFont(FONT_BOLD, fit_size(heading, FONT_BOLD, 7.5, width) * PT)
        c.drawString(SAFE, top - 1.6, heading)
        c.setFillGray(0)
        how = _(
            "Scan the QR code and check it with kpps verify and the public key of {kpu}: it tells "
            "whether the card is genuine, revoked or expired, without a network. Or type the code "
            "{code}. Valid until {until}. If found, please return it to {kpu}."
        ).format(kpu=self.kpu_name, code=face.code, until=format_date(face.valid_until))
        self._paragraph(printable(how), SAFE, top - 4.8, width, 6.5, top - 4.8 - SAFE + 1.5)
        c.restoreState()

    def _paragraph(self, text: str, x: float, top: float, width: float, max_pt: float, height: float) -> float:
        """Wrap `text` into (x, top, width, height), shrinking it until it fits; returns the
        y below the last line."""
        c = self.c
        size = max_pt
        while True:
            lines = simpleSplit(text, FONT, size * PT, width)
            needed = len(lines) * LEADING * size * PT
            if needed <= height or size <= 3:
                break
            size *= 0.92
        c.setFont(FONT, size * PT)
        baseline = top - 0.76 * size * PT
        last = baseline
        for line in lines:
            c.drawString(x, baseline, line)
            last = baseline
            baseline -= LEADING * size * PT
        return last - 0.3 * size * PT

    # -- around the cards --

    def _cut_guides(self, count: int, back: bool) -> None:
        c = self.c
        c.saveState()
        c.setLineWidth(0.2)
        if self.options.cut == "border":
            c.setStrokeGray(0.45)
            c.setDash([2, 1.5])
            for index in range(count):
                x, y = card_origin(index, back)
                c.rect(x, y, CARD_W, CARD_H, stroke=1, fill=0)
        else:
            c.setStrokeGray(0)
            gap, length = 1.0, 3.0
            left, right = GRID_LEFT, GRID_LEFT + COLS * CARD_W
            bottom, top = GRID_TOP, PAGE_H - GRID_TOP
            for col in range(COLS + 1):
                gx = GRID_LEFT + col * CARD_W
                c.line(gx, top + gap, gx, top + gap + length)
                c.line(gx, bottom - gap, gx, bottom - gap - length)
            for row in range(ROWS + 1):
                gy = PAGE_H - GRID_TOP - row * CARD_H
                c.line(left - gap, gy, left - gap - length, gy)
                c.line(right + gap, gy, right + gap + length, gy)
        c.restoreState()

    def _margins(self, batch: Sequence[CardFace], number: int, total: int, back: bool) -> None:
        c = self.c
        width = PAGE_W - 2 * 12
        side = _("back") if back else _("front")
        head = _(
            "Print at 100% (actual size): no \u201cfit to page\u201d, no scaling. Sheet {n} of {total}, {side}."
        ).format(n=number, total=total, side=side)
        c.setFillGray(0)
        c.setFont(FONT, fit_size(head, FONT, 7, width) * PT)
        c.drawCentredString(PAGE_W / 2, PAGE_H - 7.0, head)
        tps_list = _describe_tps(batch)
        foot = _("This sheet holds: {tps}").format(tps=tps_list)
        c.setFont(FONT, fit_size(printable(foot), FONT, 7, width) * PT)
        c.drawCentredString(PAGE_W / 2, 6.2, printable(foot))

    # -- calibration --

    def calibration_page(self) -> None:
        c = self.c
        o = self.options
        self._begin()
        c.setLineWidth(0.2)
        c.setStrokeGray(0.45)
        c.setDash([2, 1.5])
        for index in (0, 1, PER_PAGE - 2, PER_PAGE - 1):  # the rows between hold the instructions
            x, y = card_origin(index)
            c.rect(x, y, CARD_W, CARD_H, stroke=1, fill=0)
        c.setDash([])
        c.setStrokeGray(0)
        # Corner A: the top-left corner of the first card, with lines running to the paper's edges.
        ax, ay = GRID_LEFT, PAGE_H - GRID_TOP
        c.line(0, ay, ax + 10, ay)
        c.line(ax, PAGE_H, ax, ay - 10)
        c.setFont(FONT_BOLD, 9 * PT)
        c.drawString(ax + 1.5, ay - 4.5, "A")
        # A 100 mm ruler with a tick each millimetre, inside the first card row's width.
        rx, ry = GRID_LEFT + 10, PAGE_H - GRID_TOP - 30
        c.setLineWidth(0.15)
        c.line(rx, ry, rx + 100, ry)
        c.setFont(FONT, 6 * PT)
        for mm in range(101):
            tick = 4 if mm % 10 == 0 else 2.5 if mm % 5 == 0 else 1.5
            c.line(rx + mm, ry, rx + mm, ry + tick)
            if mm % 10 == 0:
                c.drawCentredString(rx + mm, ry + 5, str(mm))
        # The same ruler upright, to check the other direction.
        vx, vy = GRID_LEFT + 2 * CARD_W - 8, PAGE_H - GRID_TOP - CARD_H - 20
        c.line(vx, vy, vx, vy - 100)
        for mm in range(101):
            tick = 4 if mm % 10 == 0 else 2.5 if mm % 5 == 0 else 1.5
            c.line(vx, vy - mm, vx - tick, vy - mm)
            if mm % 10 == 0:
                c.drawRightString(vx - 5, vy - mm - 0.7, str(mm))
        c.setFont(FONT_BOLD, 12 * PT)
        text_x = GRID_LEFT + 6
        top = PAGE_H - GRID_TOP - CARD_H - 12
        c.drawString(text_x, top, _("Calibration page for KPPS ID cards"))
        steps = [
            _("1. Print this page at 100% (actual size), without \u201cfit to page\u201d."),
            _("2. Measure the ruler: it must be exactly 100 mm long. If it is not, the printer scales the page: turn scaling off."),
            _(
                "3. Measure from the left edge of the paper to the vertical line through corner A, and from "
                "the top edge to the horizontal line: they should be {x} mm and {y} mm."
            ).format(x=f"{GRID_LEFT + o.offset_x_mm:.1f}", y=f"{GRID_TOP + o.offset_y_mm:.1f}"),
            _(
                "4. If the print sits too far right, give a negative x offset of the difference (1.5 mm too "
                "far right: --offset-x -1.5); if it sits too low, a negative y offset. Then print this page again."
            ),
            _("5. The dashed frames are the cards (85.6 x 54 mm each): check one with a ruler, or lay a bank card on it."),
            _("Offsets in use: x {x} mm, y {y} mm.").format(x=f"{o.offset_x_mm:+.1f}", y=f"{o.offset_y_mm:+.1f}"),
        ]
        y = top - 6
        for step in steps:
            y = self._paragraph(step, text_x, y, 2 * CARD_W - 36, 8, 20) - 2.5
        self._end()


def _describe_tps(batch: Sequence[CardFace]) -> str:
    groups: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for face in batch:
        groups.setdefault(face.tps_code, []).append(face.seat)
        names[face.tps_code] = _("TPS {number} {desa} (Kec. {kecamatan})").format(
            number=f"{face.tps_number:03d}", desa=face.desa, kecamatan=face.kecamatan
        )
    parts = []
    for code, seats in groups.items():
        seats_text = _seat_ranges(sorted(seats))
        parts.append(_("{tps}, seats {seats}").format(tps=names[code], seats=seats_text))
    return "; ".join(parts)


def _seat_ranges(seats: list[int]) -> str:
    ranges = []
    for _key, group in itertools.groupby(enumerate(seats), lambda p: p[1] - p[0]):
        run = [s for _i, s in group]
        ranges.append(str(run[0]) if len(run) == 1 else f"{run[0]}\u2013{run[-1]}")
    return ", ".join(ranges)
