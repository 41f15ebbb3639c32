"""The `kpps` program: the cyclic collector is off while it loads.

Loading makes objects by the hundred thousand that live as long as the program (modules,
classes, the workspace, Textual's): on the demo the collector walked them about a hundred
times before the first screen was drawn, a fifth of the time it took (issue 16). A command
turns it on once its arguments are read (cli.main); the interface once its first screen is
drawn, what it made until then frozen out of later passes (tui/collector.py).
"""

from __future__ import annotations

import gc


def main() -> int:
    gc.disable()
    from kpps_tui.cli import main as run  # everything else loads from here

    return run()
