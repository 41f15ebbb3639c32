"""One officer's ID card on the screen: its signed QR code, dark on light so a phone reads it
from the terminal, and what the card says; the arrows step through the cards of the choice."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _
from kpps_tui.services.cards import SeatCard, format_date, preview_card
from kpps_tui.services.workspace import Workspace
from kpps_tui.tui.keys import bind
from kpps_tui.tui.screens.base import KppsScreen
from kpps_tui.tui.text import Tones
from kpps_tui.tui.widgets.qr_view import QrView

if TYPE_CHECKING:
    from kpps_tui.services.cards.printing import CardFace


class CardPreviewScreen(KppsScreen[None]):
    """One card at a time: its QR code, dark on light, and what the card says."""

    HELP = N_(
        "The QR code on the left is the card's own, signed code: point a phone's camera at it, or "
        "a QR reader, to see what a PPS, Bawaslu or police officer will read. The arrows show the "
        "other cards of the choice. Looking at a card issues it (it is the same card that is "
        "printed later)."
    )
    BINDINGS = [
        bind("right,n,pagedown", "step(1)", N_("Next card"), id="preview.next"),
        bind("left,p,pageup", "step(-1)", N_("Previous card"), id="preview.previous"),
        bind("escape,q", "back", N_("Back"), id="preview.back"),
    ]
    DEFAULT_CSS = """
    CardPreviewScreen > Horizontal {
        height: 100%;
    }
    CardPreviewScreen #preview-face {
        width: 1fr;
        height: 100%;
        padding: 1 1 0 2;
    }
    """

    def __init__(
        self, workspace: Workspace, seats: list[SeatCard], index: int = 0, *, today: date | None = None
    ) -> None:
        super().__init__(workspace)
        self.seats = seats
        self.index = index
        self.today = today
        self.face: CardFace | None = None
        self.problem = ""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield QrView(id="preview-qr")
            with VerticalScroll(id="preview-face"):
                yield Static(id="preview-text")

    def on_mount(self) -> None:
        self.title = _("Card preview")
        self.reload()

    def on_resize(self) -> None:
        # Four modules of quiet zone each side, as the QR standard asks, when there is room;
        # two at 80 columns, where the light ground above and below adds to them.
        self.query_one(QrView).side = 4 if self.size.width >= 100 else 2
        self.query_one(QrView).refresh(layout=True)
        self._show_face()

    def reload(self) -> None:
        if not self.is_mounted or not self.seats:
            return
        seat = self.seats[self.index]
        try:
            self.face, _lines = preview_card(self.workspace, seat.tps_code, seat.seat, today=self.today)
            self.problem = ""
        except KppsError as exc:
            self.face, self.problem = None, str(exc)
        self.query_one(QrView).show_code(self.face.qr_text if self.face else "")
        self._show_face()

    def _show_face(self) -> None:
        if not self.is_mounted:
            return
        tones = Tones()
        face = self.face
        text = Text(end="")
        if face is None:
            text.append(self.problem, tones.bad)
        else:
            text.append(face.kpu_name + "\n", tones.muted)
            text.append(face.election + "\n\n", tones.muted)
            text.append(face.role.upper() + "\n", tones.strong)
            text.append(face.name + "\n", tones.strong)
            text.append(f"TPS {face.tps_number:03d}\n")
            text.append(_("Desa/Kelurahan {name}").format(name=face.desa) + "\n")
            text.append(_("Kecamatan {name}").format(name=face.kecamatan) + "\n")
            text.append(
                _("Valid {start} to {until}").format(
                    start=format_date(face.valid_from), until=format_date(face.valid_until)
                )
                + "\n\n"
            )
            text.append(_("Code {code}").format(code=face.code) + "\n", tones.strong)
            text.append(_("Card no. {serial}").format(serial=face.serial) + "\n")
        text.append("\n")
        text.append(_("Card {n} of {total}").format(n=self.index + 1, total=len(self.seats)) + "\n")
        qr = self.query_one(QrView)
        if qr.qr is not None and not qr.fits:
            text.append(
                _("The code needs {rows} lines to be scanned: make the terminal taller.").format(rows=qr.rows_needed)
                + "\n",
                tones.warn,
            )
        elif face is not None:
            text.append(_("Scan the code from the screen with a phone to try it.") + "\n", tones.muted)
        text.append(_("← → other cards · Esc back"), tones.muted)
        self.query_one("#preview-text", Static).update(text)

    def action_step(self, delta: int) -> None:
        if not self.seats:
            return
        self.index = (self.index + delta) % len(self.seats)
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)
