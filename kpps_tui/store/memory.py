"""Objects made by the ten thousand that live as long as the workspace: the TPS, the applicants
and the rows built on them.

The cyclic collector would walk them again and again while they are made, and at every later
pass; they are made without it, then frozen out of its passes. The collector is left as it
was found: off while the program starts (kpps_tui/launch.py), on otherwise.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    was_collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_collecting:
            gc.enable()
    gc.freeze()
