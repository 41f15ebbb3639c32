"""argparse's own words ("usage:", "options:", its error sentences) in the user's language.

argparse looks its words up through the module-level names `_` and `ngettext` each time it
writes; pointing them at our catalogs translates them. The N_() list below puts the words a
user meets into the catalogs (argparse's own msgids, unchanged).
"""

from __future__ import annotations

import argparse

from kpps_tui import i18n
from kpps_tui.i18n import N_

ARGPARSE_WORDS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
)


def speak_the_users_language() -> None:
    """From now on argparse writes in the language in force (call after set_language)."""
    setattr(argparse, "_", i18n._)  # noqa: B010  (argparse has no public name for it)
    setattr(argparse, "ngettext", i18n.ngettext)  # noqa: B010
