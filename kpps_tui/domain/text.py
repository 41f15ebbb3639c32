"""Text from outside (imported lists, typed forms, hand-edited files) made safe to store and show.

A terminal obeys control characters: ESC starts a sequence that can move the cursor and
overwrite what was printed (a revoked card's verdict overwritten by "Genuine"), NUL and the C1
range can do the same on some terminals, and the bidirectional overrides reorder what is shown.
They never belong in a name, so they are stripped where text comes in, and shown escaped
(``\\x1b``) wherever stored text goes out, in case a file holds them anyway.
"""

from __future__ import annotations

import re

# C0 (tab and newline included: a cell or a name is one line), DEL, C1, and the Unicode
# bidirectional embeddings, overrides and isolates.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# For whole messages and tables: newline and tab keep their meaning there.
_CONTROLS_IN_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """The text with every control character replaced by a space, trimmed."""
    return _CONTROLS.sub(" ", text).strip()


def has_controls(text: str) -> bool:
    return _CONTROLS.search(text) is not None


def visible(text: str) -> str:
    """The text with every control character but newline and tab written as an escape, so
    that printing it can never move the cursor or change the colours (``\\x1b[2J`` shows as
    those characters)."""
    return _CONTROLS_IN_LINES.sub(_escape, text)


def visible_field(text: str) -> str:
    """One field (a cell, a name) with every control character escaped, newline and tab too."""
    return _CONTROLS.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
