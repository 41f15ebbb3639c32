"""The short code printed under a card's QR code, for a person to type.

Nine characters from an alphabet without look-alikes (no 0/O, 1/I/L, and no U, as in
Crockford's base32): three random ones (so a code cannot be guessed from its neighbour's),
five that carry the card serial, spread over the range by a multiplication and shifted by
the random ones (so that neighbouring cards do not look alike), and a check character (Luhn mod 30) that catches every single mistyped
character and most swapped neighbours. Printed in groups of three: ``7KQ-2MX-P9D``.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
BASE = len(ALPHABET)
SERIAL_CHARS = 5
TAG_CHARS = 3
LENGTH = SERIAL_CHARS + TAG_CHARS + 1
MAX_SERIAL = BASE**SERIAL_CHARS - 1
_SPREAD = 15_018_007  # coprime to 30 (about 0.618 of 30^5): n -> n * _SPREAD mod 30^5 permutes
_UNSPREAD = pow(_SPREAD, -1, BASE**SERIAL_CHARS)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def make_code(serial: int, tag: str | None = None) -> str:
    """A new short code for `serial` (random tag unless one is given), without separators."""
    if not 0 < serial <= MAX_SERIAL:
        raise ValueError(f"serial {serial} out of range")
    tag = tag or "".join(secrets.choice(ALPHABET) for _ in range(TAG_CHARS))
    shifts = [_VALUE[ch] for ch in tag]
    digits = []
    n = serial * _SPREAD % BASE**SERIAL_CHARS
    for _ in range(SERIAL_CHARS):
        n, d = divmod(n, BASE)
        digits.append(d)
    digits.reverse()
    body = tag + "".join(ALPHABET[(d + shifts[i % TAG_CHARS]) % BASE] for i, d in enumerate(digits))
    return body + check_char(body)


def check_char(body: str) -> str:
    """Luhn mod N over the alphabet: doubles every other value from the right."""
    total = 0
    factor = 2
    for ch in reversed(body):
        addend = factor * _VALUE[ch]
        total += addend // BASE + addend % BASE
        factor = 1 if factor == 2 else 2
    return ALPHABET[(BASE - total % BASE) % BASE]


def normalize(text: str) -> str:
    """Upper case without spaces or dashes; look-alikes are not guessed, the check catches them."""
    return "".join(ch for ch in text.upper() if ch not in " -_\t")


def looks_like_code(text: str) -> bool:
    code = normalize(text)
    return len(code) == LENGTH and all(ch in _VALUE for ch in code)


def is_valid(text: str) -> bool:
    code = normalize(text)
    return looks_like_code(code) and check_char(code[:-1]) == code[-1]


def serial_of(text: str) -> int:
    code = normalize(text)
    shifts = [_VALUE[ch] for ch in code[:TAG_CHARS]]
    n = 0
    for i, ch in enumerate(code[TAG_CHARS : TAG_CHARS + SERIAL_CHARS]):
        n = n * BASE + (_VALUE[ch] - shifts[i % TAG_CHARS]) % BASE
    return n * _UNSPREAD % BASE**SERIAL_CHARS


def display(code: str) -> str:
    code = normalize(code)
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))
