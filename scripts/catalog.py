"""Keep the gettext catalogs in step with the code (a developer's tool; needs Babel).

    python scripts/catalog.py update    # add new source strings to every .po
    python scripts/catalog.py prune     # the same, and drop strings the code no longer has
    python scripts/catalog.py compile   # write the .mo files the program loads
    python scripts/catalog.py missing   # list strings still without a translation

Source strings are English; kpps_tui/locale/<lang>/LC_MESSAGES/kpps.po holds the translations.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kpps_tui"
LOCALE = PACKAGE / "locale"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python")]
TRANSLATED = ("id", "en")


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "kpps.po"


def source_strings() -> dict[str, list[tuple[str, int]]]:
    """Every string the code marks for translation, with where it stands."""
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PACKAGE, METHODS, keywords=KEYWORDS, comment_tags=()
    ):
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault(msgid, []).append((f"kpps_tui/{filename}", lineno))
    return found


# A fixed creation date and no line numbers: the .po files change only when a message does,
# so branches that add different strings merge without conflicts.
CREATION_DATE = datetime(2026, 11, 28, tzinfo=timezone.utc)


def new_catalog(lang: str) -> Catalog:
    return Catalog(
        locale=lang,
        domain="kpps",
        project="kpps-tui",
        version="0.1",
        copyright_holder="the kpps-tui developers",
        fuzzy=False,
        creation_date=CREATION_DATE,
        revision_date=CREATION_DATE,
    )


def read_catalog(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return new_catalog(lang)
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain="kpps")


def update(prune: bool = False) -> None:
    """Add new source strings; keep translations of vanished ones unless `prune` (several
    people edit at once: a string gone from one working tree may still be in another's)."""
    strings = source_strings()
    for lang in TRANSLATED:
        old = read_catalog(lang)
        new = new_catalog(lang)
        for msgid, places in sorted(strings.items()):
            previous = old.get(msgid)
            translation = previous.string if previous else ""
            if lang == "en" and not translation:
                translation = msgid  # the source language: its catalog only repeats it
            new.add(msgid, translation, locations=places)
        if not prune:
            for message in old:
                if message.id and message.string and message.id not in strings:
                    new.add(message.id, message.string)
        po_path(lang).parent.mkdir(parents=True, exist_ok=True)
        with po_path(lang).open("wb") as f:
            write_po(f, new, width=100, omit_header=False, sort_output=True, include_lineno=False)


def compile_all() -> None:
    for lang in TRANSLATED:
        catalog = read_catalog(lang)
        with po_path(lang).with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)


def missing(lang: str) -> list[str]:
    catalog = read_catalog(lang)
    return [m.id for m in catalog if m.id and not m.string]


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "missing"
    if command in ("update", "prune"):
        update(prune=command == "prune")
    elif command == "compile":
        compile_all()
    elif command == "missing":
        gaps = [f"{lang}: {msgid}" for lang in TRANSLATED for msgid in missing(lang)]
        print("\n".join(gaps) or "every string is translated")
        return 1 if gaps else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
