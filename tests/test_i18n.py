"""Both languages are complete for every string the code shows, and the .mo files are current."""

import re
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

from kpps_tui import i18n
from kpps_tui.domain.model import seat_title

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import catalog  # noqa: E402

PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@pytest.fixture(scope="module")
def source():
    return catalog.source_strings()


@pytest.mark.parametrize("lang", catalog.TRANSLATED)
def test_every_source_string_is_translated(source, lang):
    po = catalog.read_catalog(lang)
    missing = [m for m in source if not (po.get(m) and po.get(m).string)]
    assert missing == [], f"run `python scripts/catalog.py update` and translate: {missing}"


@pytest.mark.parametrize("lang", catalog.TRANSLATED)
def test_translations_keep_every_placeholder(lang):
    for message in catalog.read_catalog(lang):
        if message.id and message.string:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), message.id


@pytest.mark.parametrize("lang", catalog.TRANSLATED)
def test_compiled_catalog_matches_the_po_file(lang):
    po = {m.id: m.string for m in catalog.read_catalog(lang) if m.id and m.string}
    with catalog.po_path(lang).with_suffix(".mo").open("rb") as f:
        mo = {m.id: m.string for m in read_mo(f) if m.id}
    assert mo == po, "run `python scripts/catalog.py compile`"


def test_indonesian_is_the_default_and_english_on_request(monkeypatch):
    monkeypatch.delenv("KPPS_LANG", raising=False)
    try:
        assert i18n.set_language() == "id"
        assert i18n._("Not full") == "Belum penuh"
        assert seat_title(3) == "Anggota KPPS 3"
        i18n.set_language("en")
        assert i18n._("Not full") == "Not full"
    finally:
        i18n.set_language("en")


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        i18n.set_language("fr")
