"""Officer ID cards: the signed QR payload, the QR matrix, the A4 sheet, the terminal preview.

The use cases (issue, print, revoke, verify) are in kpps_tui.services.cards.
"""
