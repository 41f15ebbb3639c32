"""What a command prints goes through `visible`: a name holding ESC, NUL or a C1 character
(from a file written before import stripped them, or by hand) is printed as `\\x1b...`, so it
can never move the cursor and overwrite a verdict on the screen."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from kpps_tui.domain.text import visible


class VisibleText:
    """A text stream that writes control characters as escapes. A carriage return that
    begins a write is kept: a progress line redraws itself with it (`print("\\r" + text)`)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        lead = "\r" if text.startswith("\r") else ""
        self._stream.write(lead + _keep_line_ends(text[len(lead):]))
        return len(text)

    def __getattr__(self, name: str) -> object:  # flush, isatty, fileno, encoding, buffer...
        return getattr(self._stream, name)


def _keep_line_ends(text: str) -> str:
    """CSV rows end in CR LF: keep those pairs, escape any other carriage return."""
    return "\r\n".join(visible(part) for part in text.split("\r\n"))


@contextmanager
def visible_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr escape control characters while the block runs."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = VisibleText(out), VisibleText(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
