"""The program's one clock: every "now" and "today" outside the domain is read here.

The domain never reads a clock (a `today` is passed in). Services, the store and the screens
ask this module, so a test can set the time for all of them at once with `fixed(...)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone

_fixed: datetime | None = None  # set by fixed(): the time every caller sees


def now() -> datetime:
    """The current time in UTC, timezone-aware."""
    return _fixed if _fixed is not None else datetime.now(timezone.utc)


def local_now() -> datetime:
    """The current wall-clock time of this machine, without a timezone (for names and headers)."""
    return now().astimezone().replace(tzinfo=None)


def today() -> date:
    """The calendar day on this machine."""
    return local_now().date()


def stamp(timespec: str = "milliseconds") -> str:
    """The current UTC time as ISO 8601 text, as records and the audit log store it."""
    return now().isoformat(timespec=timespec)


@contextmanager
def fixed(at: datetime) -> Iterator[None]:
    """Within the block, every caller sees the time `at` (timezone-aware)."""
    global _fixed
    if at.tzinfo is None:
        raise ValueError("a fixed time needs a timezone")
    before, _fixed = _fixed, at
    try:
        yield
    finally:
        _fixed = before
