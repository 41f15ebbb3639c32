"""The pieces of a card code: the QR matrix, the short code, the signed payload, the
terminal preview. Each is checked against an independent party (qrcode itself, a real QR
decoder, cryptography's verification) rather than against itself."""

from __future__ import annotations

from datetime import date

import pytest
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kpps_tui.cards import codes, payload, qr
from kpps_tui.cards.preview import FULL, LOWER, UPPER, qr_lines, qr_size

ALNUM = st.text(alphabet=qr.ALPHANUMERIC, min_size=1, max_size=320)


def grid_from_ops(size: int, ops: str) -> list[list[bool]]:
    grid = [[False] * size for _ in range(size)]
    for op in ops.strip().splitlines():
        x, y, w, h, name = op.split()
        assert (h, name) == ("1", "re")
        for col in range(int(x), int(x) + int(w)):
            assert not grid[size - 1 - int(y)][col], "rectangles overlap"
            grid[size - 1 - int(y)][col] = True
    return grid


@settings(max_examples=60, deadline=None)
@given(ALNUM)
def test_fast_matrix_is_module_for_module_the_one_qrcode_builds(text):
    fast = qr.matrix(text)
    assert fast.modules() == qr.reference_matrix(text)
    size, ops = qr.path_ops(text)
    assert size == fast.size
    assert grid_from_ops(size, ops) == fast.modules()


def test_a_long_card_text_still_fits_and_stays_level_m():
    text = "KPPS:" + "A1 " * 100
    assert qr.matrix(text).version == qr.version_for(len(text))
    assert qr.ERROR_CORRECTION == qr.constants.ERROR_CORRECT_M
    with pytest.raises(ValueError):
        qr.matrix("lower case is not alphanumeric")


@given(st.integers(min_value=1, max_value=codes.MAX_SERIAL))
def test_short_code_carries_its_serial_and_avoids_look_alikes(serial):
    code = codes.make_code(serial)
    assert len(code) == codes.LENGTH
    assert codes.is_valid(code) and codes.is_valid(codes.display(code).lower())
    assert codes.serial_of(codes.display(code)) == serial
    assert not set(code) & set("01OILU")


def test_every_single_mistyped_character_is_caught():
    code = codes.make_code(4321, tag="K7Q")
    for i in range(len(code)):
        for ch in codes.ALPHABET:
            if ch != code[i]:
                assert not codes.is_valid(code[:i] + ch + code[i + 1 :])


def test_neighbouring_serials_do_not_look_alike():
    a, b = codes.make_code(100, tag="ABC"), codes.make_code(101, tag="ABC")
    assert sum(x != y for x, y in zip(a[3:8], b[3:8])) >= 2


CARD = payload.CardPayload(
    serial=1234,
    election_day=date(2024, 11, 27),
    tps_code="62.01.02.2005-013",
    seat=1,
    name="Ni Luh Putu Ayu Wulandari",
    valid_until=date(2024, 12, 8),
)


def test_payload_round_trip_and_signature():
    key = Ed25519PrivateKey.generate()
    text = payload.sign(CARD, key)
    assert text.startswith(payload.PREFIX)
    assert set(text) <= set(qr.ALPHANUMERIC)
    decoded = payload.decode(text)
    assert decoded.card == CARD
    assert decoded.signed_by(key.public_key())
    assert not decoded.signed_by(Ed25519PrivateKey.generate().public_key())
    assert len(decoded.body) == 18 + len(CARD.name.encode())
    assert qr.matrix(text).version <= 7


@given(st.text(min_size=1, max_size=60).filter(lambda s: len(s.encode()) <= 255))
def test_any_name_survives_the_payload(name):
    card = payload.CardPayload(1, date(2024, 11, 27), "62.01.01.1001-001", 7, name, date(2024, 12, 8))
    assert payload.decode(payload.to_text(payload.encode_body(card), bytes(64))).card.name == name


@pytest.mark.parametrize(
    "text",
    ["", "hello", "KPPS:", "KPPS:AB", "KPPS:::::", "KPPS:" + "A" * 40, "KPPS:ab%%"],
)
def test_unreadable_texts_are_damaged(text):
    with pytest.raises(payload.Damaged):
        payload.decode(text)


def test_version_and_length_are_checked():
    key = Ed25519PrivateKey.generate()
    body = bytearray(payload.encode_body(CARD))
    body[0] = 9
    with pytest.raises(payload.Damaged, match="unknown card format"):
        payload.decode(payload.to_text(bytes(body), key.sign(bytes(body))))
    text = payload.sign(CARD, key)
    raw = payload.base45.b45decode(text[len(payload.PREFIX) :])
    with pytest.raises(payload.Damaged, match="length"):
        payload.decode(payload.PREFIX + payload.base45.b45encode(raw[:-1]).decode())


def lines_to_image(lines: list[str], lit_is_white: bool, px: int = 4) -> Image.Image:
    """Draw half-block lines as a terminal would: glyph cells in the foreground colour."""
    fg, bg = (255, 0) if lit_is_white else (0, 255)
    width, height = len(lines[0]), len(lines) * 2
    image = Image.new("L", ((width + 4) * px, (height + 4) * px), bg)
    for row, line in enumerate(lines):
        for col, ch in enumerate(line):
            top = ch in (UPPER, FULL)
            bottom = ch in (LOWER, FULL)
            for half, on in ((0, top), (1, bottom)):
                colour = fg if on else bg
                x0, y0 = (col + 2) * px, (row * 2 + half + 2) * px
                image.paste(colour, (x0, y0, x0 + px, y0 + px))
    return image


@pytest.mark.parametrize("light_glyphs", [True, False])
def test_terminal_preview_scans(light_glyphs):
    text = payload.sign(CARD, Ed25519PrivateKey.generate())
    lines = qr_lines(text, quiet=2, light_glyphs=light_glyphs)
    assert (len(lines[0]), len(lines)) == qr_size(text, quiet=2)
    assert all(len(line) == len(lines[0]) for line in lines)
    # Light glyphs on a dark terminal, dark glyphs on a light one: a normal QR code either way.
    image = lines_to_image(lines, lit_is_white=light_glyphs)
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, try_invert=False)
    assert [b.text for b in found] == [text]
