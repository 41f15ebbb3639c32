"""What the first screen loads: the interface and the parser of `kpps` without a command leave
the heavy libraries and the screens not shown first to their first use (issue 16; the time is
measured by benchmarks/bench_startup.py, never here)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kpps_tui.cli import build_parser, interface_parser, opens_interface

# Libraries and screens the ringkasan does not need (the TPS list too loads when first opened).
NOT_BEFORE_FIRST_USE = (
    "reportlab",
    "qrcode",
    "openpyxl",
    "docx",
    "ortools",
    "numpy",
    "PIL",
    "cryptography",
    "zxingcpp",
    "pypdfium2",
    "importlib.resources",  # the bundled sample, for a new workspace
    "kpps_tui.cards.sheet",
    "kpps_tui.domain.cards",
    "kpps_tui.domain.rules",
    "kpps_tui.services.browse",  # the TPS views, and the palette's TPS search
    "kpps_tui.services.history",  # the seat changes and their undo
    "kpps_tui.store.cards",
    "kpps_tui.domain.staffing_solver",
    "kpps_tui.domain.staffing",
    "kpps_tui.services.proposals",
    "kpps_tui.interchange.pdf",
    "kpps_tui.tui.screens.applicants",
    "kpps_tui.tui.screens.audit_log",
    "kpps_tui.tui.screens.card_preview",
    "kpps_tui.tui.screens.card_printing",
    "kpps_tui.tui.screens.sheet_options",
    "kpps_tui.tui.screens.declarations",
    "kpps_tui.tui.screens.tps_detail",
    "kpps_tui.tui.screens.tps_list",
    "kpps_tui.tui.screens.verify",
    "kpps_tui.commands.applicants",
    "kpps_tui.commands.propose",
)

PROBE = """
import json, sys
{imports}
print(json.dumps(sorted(m for m in {names!r} if m in sys.modules)))
"""


def loaded_after(*statements: str) -> list[str]:
    code = PROBE.format(imports="\n".join(statements), names=NOT_BEFORE_FIRST_USE)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


def test_the_interface_loads_no_library_or_screen_it_does_not_show_first():
    assert loaded_after("import kpps_tui.tui.app") == []


def test_kpps_without_a_command_builds_only_the_interface_parser():
    statements = (
        "import kpps_tui.cli as cli",
        "import kpps_tui.tui.app",
        "assert cli.opens_interface(['--data', 'x'])",
        "cli.interface_parser().parse_args(['--data', 'x'])",
    )
    assert loaded_after(*statements) == []


@pytest.mark.parametrize(
    ("argv", "interface"),
    [
        ([], True),
        (["--data", "ws"], True),
        (["--data=ws", "--lang", "en", "--today", "24/10/2024"], True),
        (["--lang", "en", "--data"], True),  # the missing value is reported by the parser
        (["tps", "list"], False),
        (["--data", "ws", "demo"], False),
        (["--help"], False),
        (["--version"], False),
        (["--datum", "ws"], False),
    ],
)
def test_which_argument_lists_open_the_interface(argv, interface):
    assert opens_interface(argv) is interface


def test_the_interface_parser_reads_its_options_as_the_full_parser_does():
    argv = ["--data", "ws", "--lang", "en", "--today", "24/10/2024"]
    fast, full = interface_parser().parse_args(argv), build_parser().parse_args(argv)
    assert vars(fast) == vars(full)
