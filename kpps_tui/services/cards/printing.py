"""Cards on paper: what each card shows (signed), the A4 PDF of a scope, one card previewed in
the terminal, and the print command.

The sheet itself is cards.sheet.render_pdf, a pure function of the faces to the PDF's bytes;
this module decides the faces and writes the bytes where the user asked. reportlab and
cryptography load inside the functions that use them, so that opening the interface does not
pay for them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kpps_tui import clock
from kpps_tui.cards import codes
from kpps_tui.cards.cancel import Cancelled as Cancelled  # what a cancelled job raises
from kpps_tui.domain.cards import CardRecord
from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_, _, fmt_count
from kpps_tui.services.cards.issuing import LeftOut, Scope, SeatCard, issue_cards, record_printed, select_cards
from kpps_tui.services.cards.settings import card_settings, sheet_options
from kpps_tui.store.outputs import write_output
from kpps_tui.store.workspace import Workspace

if TYPE_CHECKING:
    from kpps_tui.cards.payload import CardPayload
    from kpps_tui.cards.qr import QrMatrix as QrMatrix
    from kpps_tui.cards.sheet import CardFace as CardFace
    from kpps_tui.cards.sheet import SheetOptions


def card_payload(record: CardRecord) -> CardPayload:
    from kpps_tui.cards.payload import CardPayload

    return CardPayload(
        serial=record.serial,
        election_day=date.fromisoformat(record.election_day),
        tps_code=record.tps,
        seat=record.seat,
        name=record.name,
        valid_until=date.fromisoformat(record.valid_until),
    )


def card_faces(ws: Workspace, records: Sequence[CardRecord]) -> list[CardFace]:
    """What each card shows, with its signed QR text (signing is deterministic: a reprint
    of the same record gives the same code)."""
    from kpps_tui.cards.payload import sign
    from kpps_tui.cards.sheet import CardFace

    if not records:
        return []
    key = ws.signing_key()
    if key is None:
        raise KppsError(N_("This workspace has no card signing key yet; issue the cards first."))
    faces = []
    for record in records:
        tps = ws.tps.get(record.tps)
        desa_code = tps.desa_code if tps else record.tps.rpartition("-")[0]
        faces.append(
            CardFace(
                serial=record.serial,
                code=codes.display(record.code),
                qr_text=sign(card_payload(record), key),
                kpu_name=ws.election.kpu_name,
                election=ws.election.name,
                seat=record.seat,
                name=record.name,
                tps_code=record.tps,
                tps_number=int(record.tps.rpartition("-")[2]),
                desa=ws.region_name(desa_code),
                kecamatan=ws.region_name(".".join(desa_code.split(".")[:3])),
                valid_from=date.fromisoformat(record.valid_from),
                valid_until=date.fromisoformat(record.valid_until),
            )
        )
    return faces


def write_pdf(
    path: Path,
    faces: Sequence[CardFace],
    options: SheetOptions,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Lay the cards out (cards.sheet.render_pdf) and write the PDF durably, a private file
    since it holds names; returns the number of pages."""
    from kpps_tui.cards.sheet import render_pdf

    data, pages = render_pdf(faces, options, progress, cancelled)
    write_output(Path(path), data)
    return pages


@dataclass(frozen=True)
class Generated:
    path: Path
    cards: int
    pages: int
    left_out: tuple[LeftOut, ...]
    already_printed: int
    serials: tuple[int, ...] = field(default=(), repr=False)
    expired_on: date | None = None  # set when the cards' validity already ended

    def summary(self) -> str:
        text = _("{cards} cards on {pages} pages written to {path}.").format(
            cards=fmt_count(self.cards), pages=fmt_count(self.pages), path=self.path
        )
        if self.left_out:
            text += " " + _("{n} seats left out.").format(n=fmt_count(len(self.left_out)))
        if self.already_printed:
            text += " " + _("{n} cards were printed before and skipped.").format(n=fmt_count(self.already_printed))
        if self.expired_on:
            from kpps_tui.cards.verify import format_date

            text += " " + _("Warning: these cards were valid only until {day}, which has passed.").format(
                day=format_date(self.expired_on)
            )
        return text


def generate_cards(
    ws: Workspace,
    scope: Scope,
    out_path: Path,
    options: SheetOptions | None = None,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    reprint: bool = False,
) -> Generated:
    """Issue the cards of `scope`, write them as an A4 PDF and record them as printed.

    Runs in a worker in the TUI: `progress(done, total)` is called as pages are laid out and
    `cancelled()` is asked between cards (Cancelled is raised, no file written, nothing
    recorded as printed; the serials issued so far stay valid for the next run).
    """
    today = today or clock.today()
    options = options or sheet_options(ws)
    selection = select_cards(ws, scope)
    issued = issue_cards(ws, selection.seats, today, reprint=reprint)
    faces = card_faces(ws, issued.records)
    if not faces:  # a reprint where none was issued: an empty sheet helps no one
        reason = issued.skipped[0].reason if issued.skipped else ""
        raise KppsError(N_("None of these seats has a card to print ({reason}); no file was written."), reason=reason)
    pages = write_pdf(Path(out_path), faces, options, progress=progress, cancelled=cancelled)
    serials = tuple(r.serial for r in issued.records)
    record_printed(ws, serials)
    until = ws.election.card_period[1]
    return Generated(
        Path(out_path),
        len(faces),
        pages,
        selection.left_out + issued.skipped,
        selection.already_printed,
        serials,
        until if faces and today > until else None,
    )


def calibration_pdf(ws: Workspace, out_path: Path, options: SheetOptions | None = None) -> int:
    options = replace(options or sheet_options(ws), calibration=True)
    return write_pdf(Path(out_path), [], options)


def preview_card(
    ws: Workspace, tps_code: str, seat: int, today: date | None = None, quiet: int = 2
) -> tuple[CardFace, list[str]]:
    """Issue (or reuse) the card of one seat and return (face, QR lines for the terminal); after
    the cards' period only the card on record, never a new one."""
    from kpps_tui.cards.preview import qr_lines

    tps = ws.tps.get(tps_code)
    holder = tps.seats.get(seat) if tps else None
    if tps is None or holder is None:
        raise KppsError(N_("Seat {seat} of {tps} is empty: there is no card to show."), seat=seat, tps=tps_code)
    person = ws.people.get(holder.nik)
    issued = issue_cards(ws, [SeatCard(tps_code, seat, holder.nik, person.name if person else "")], today, reprint=True)
    if not issued.records:
        raise KppsError(N_("No card for this seat: {reason}"), reason=issued.skipped[0].reason)
    face = card_faces(ws, issued.records)[0]
    return face, qr_lines(face.qr_text, quiet=quiet)


def qr_matrix(text: str) -> QrMatrix:
    """The modules of a card's QR code, for a screen to draw."""
    from kpps_tui.cards.qr import matrix

    return matrix(text)


# ---- getting the PDF onto paper ------------------------------------------------------------


def print_command(ws: Workspace) -> list[str] | None:
    """The configured print command as an argument list, or None when it is not installed
    here (e.g. no `lp` on the server): then show the path and the scp line instead."""
    import shlex
    import shutil

    words = shlex.split(str(card_settings(ws).get("print_command") or ""))
    if not words or shutil.which(words[0]) is None:
        return None
    return words


def send_to_printer(ws: Workspace, path: Path, timeout: float = 120) -> str:
    """Run the print command on the PDF (its path is the last argument); returns what the
    command said (lp prints the job id). Raises KppsError when it fails."""
    import subprocess

    words = print_command(ws)
    if words is None:
        raise KppsError(
            N_("The print command {command} is not available here; fetch the PDF and print it elsewhere."),
            command=card_settings(ws).get("print_command") or "-",
        )
    try:
        done = subprocess.run(
            [*words, str(Path(path).resolve())],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise KppsError(N_("Printing failed: {reason}"), reason=str(exc)) from exc
    if done.returncode != 0:
        raise KppsError(
            N_("Printing failed: {reason}"), reason=(done.stderr or done.stdout).strip() or f"exit {done.returncode}"
        )
    return done.stdout.strip()


def fetch_hint(path: Path) -> str:
    """An scp line that copies the PDF from this server to the user's own computer."""
    import getpass
    import os
    import shlex
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    connection = os.environ.get("SSH_CONNECTION", "").split()
    host = connection[2] if len(connection) >= 3 else socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    where = f"{user}@{host}" if user else host
    return f"scp {shlex.quote(where + ':' + str(Path(path).resolve()))} ."
