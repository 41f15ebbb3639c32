"""Officer ID cards, by use case: settings (printing choices, the period), issuing (whom, and
giving the cards), printing (faces, the PDF, the preview, the printer), files (where the
interface puts the PDFs, what they are called) and verifying.

The TUI's cards screen and `kpps cards` / `kpps verify` / `kpps keys` call these:

    select_cards(ws, scope)            how many cards, who is left out and why
    generate_cards(ws, scope, path)    issue + lay out the PDF + record it as printed
    next_pdf_path(ws, folder, scope)   where the interface writes that PDF, and its name
    preview_card(ws, tps, seat)        one card's face and its QR as terminal lines
    verify_code(text, ws=..., key=...) the verdict for a QR text or a short code
    export_public_key(ws, path)        the file the verifiers need
    revoke_card / revoke_stale_cards

Cryptography and the PDF library load inside the functions that use them, so importing this
package stays cheap.
"""

from kpps_tui.services.cards.issuing import (
    SCOPE_KINDS,
    Issued,
    LeftOut,
    Scope,
    SeatCard,
    Selection,
    book_of,
    card_gate,
    issue_cards,
    record_printed,
    resolve_scope,
    revoke_card,
    revoke_stale_cards,
    select_cards,
)
from kpps_tui.services.cards.files import cards_folder, next_pdf_path, pdf_name
from kpps_tui.services.cards.printing import (
    Cancelled,
    Generated,
    calibration_pdf,
    card_faces,
    card_payload,
    fetch_hint,
    generate_cards,
    preview_card,
    print_command,
    qr_matrix,
    send_to_printer,
    write_pdf,
)
from kpps_tui.services.cards.settings import (
    DEFAULT_SETTINGS,
    CardsPeriodOver,
    card_settings,
    sheet_options,
    update_card_settings,
    validity,
)
from kpps_tui.services.cards.verifying import (
    Status,
    Verdict,
    export_public_key,
    format_date,
    read_public_key,
    read_qr_texts,
    revoked_count,
    verify_code,
    workspace_key,
)

__all__ = [
    "DEFAULT_SETTINGS",
    "SCOPE_KINDS",
    "Cancelled",
    "CardsPeriodOver",
    "Generated",
    "Issued",
    "LeftOut",
    "Scope",
    "SeatCard",
    "Selection",
    "Status",
    "Verdict",
    "book_of",
    "calibration_pdf",
    "card_faces",
    "card_gate",
    "card_payload",
    "card_settings",
    "cards_folder",
    "export_public_key",
    "fetch_hint",
    "format_date",
    "generate_cards",
    "issue_cards",
    "next_pdf_path",
    "pdf_name",
    "preview_card",
    "print_command",
    "qr_matrix",
    "read_public_key",
    "read_qr_texts",
    "record_printed",
    "resolve_scope",
    "revoke_card",
    "revoke_stale_cards",
    "revoked_count",
    "select_cards",
    "send_to_printer",
    "sheet_options",
    "update_card_settings",
    "validity",
    "verify_code",
    "workspace_key",
]
