"""Translation of user-facing text through gettext catalogs.

Source strings are English; the Indonesian catalog is the default language. Messages are
translated when they are shown, so a language chosen at start-up applies everywhere.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "kpps"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(lang: str | None = None) -> str:
    """Activate `lang` (or KPPS_LANG, or Indonesian) and return the language in force."""
    global _translations, _language
    lang = (lang or os.environ.get("KPPS_LANG") or DEFAULT_LANGUAGE).lower()
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    if lang == "en":
        _translations = gettext.NullTranslations()
    else:
        _translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
    _language = lang
    return lang


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def fmt_count(number: int) -> str:
    """A count with the thousands separator of the language in force: 1.727 or 1,727."""
    text = f"{number:,}"
    return text.replace(",", ".") if _language == "id" else text


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message
