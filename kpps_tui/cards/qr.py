"""QR matrices for card codes, fast enough to print every card of a kabupaten in seconds.

The `qrcode` library builds a correct matrix but spends about 8 ms per code (1 ms with a fixed
mask): Reed-Solomon through a recursive polynomial class, and module placement one cell at a
time. For 2,891 cards that alone would take longer than the whole print job may. This module
uses qrcode's own tables and its matrix layout (function patterns, format and version
information, placement order, learnt once per version from qrcode itself) and does the
per-code work in a few C-level steps: bit packing in one integer, Reed-Solomon on integers
with a table per byte value, and the matrix as one string picked out of the data bits by a
precomputed `operator.itemgetter`. tests/test_cards_qr.py proves the result equals qrcode's
matrix module for module.

Only alphanumeric-mode text is supported (digits, A-Z, space and $%*+-./:), which is what
base45 produces; error correction is level M; the mask is fixed (any mask is valid to a
decoder: choosing the "best" one costs eight full matrix builds and buys little on data that
is random already, as a signature is).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from operator import add, itemgetter

from qrcode import LUT, constants, util
from qrcode import base as qrbase
from qrcode.main import QRCode

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALNUM_VALUE = {ch: i for i, ch in enumerate(ALPHANUMERIC)}
ERROR_CORRECTION = constants.ERROR_CORRECT_M
MASK = 0
MAX_VERSION = 40
_PAD = (0xEC, 0x11)


class QrTooLong(ValueError):
    pass


@dataclass(frozen=True)
class QrMatrix:
    """A QR symbol without its quiet zone: `rows[r]` has bit c set when module (r, c) is dark."""

    version: int
    size: int
    rows: tuple[int, ...]

    def dark(self, row: int, col: int) -> bool:
        return bool(self.rows[row] >> col & 1)

    def modules(self) -> list[list[bool]]:
        return [[bool(bits >> c & 1) for c in range(self.size)] for bits in self.rows]


def version_for(length: int) -> int:
    """The smallest version that holds `length` alphanumeric characters at level M."""
    for version in range(1, MAX_VERSION + 1):
        if _data_bits_needed(length, version) <= _capacity_bits(version):
            return version
    raise QrTooLong(f"{length} characters do not fit in a QR code")


def _data_bits_needed(length: int, version: int) -> int:
    count_bits = util.length_in_bits(util.MODE_ALPHA_NUM, version)
    return 4 + count_bits + 11 * (length // 2) + 6 * (length % 2)


@lru_cache(maxsize=None)
def _blocks(version: int) -> tuple[tuple[int, int], ...]:
    """(data codewords, error-correction codewords) of each Reed-Solomon block."""
    return tuple((b.data_count, b.total_count - b.data_count) for b in qrbase.rs_blocks(version, ERROR_CORRECTION))


def _capacity_bits(version: int) -> int:
    return 8 * sum(d for d, _ in _blocks(version))


def _bottom_up(text: str) -> tuple[_Layout, str]:
    """The matrix as one string of '0'/'1', bottom row first, each row padded with '0' to
    `stride` (a multiple of 8) so that every byte of its integer is 8 modules of one row."""
    version = version_for(len(text))
    layout = _layout(version)
    bits = format(int.from_bytes(_codewords(text, version), "big"), f"0{layout.data_bits}b")
    source = bits + bits.translate(_FLIP) + "01"
    return layout, "".join(layout.pick(source))


_FLIP = str.maketrans("01", "10")


def matrix(text: str) -> QrMatrix:
    """The QR matrix of an alphanumeric `text` at level M (no quiet zone)."""
    layout, flat = _bottom_up(text)
    size, stride = layout.size, layout.stride
    rows = [int(flat[i * stride : i * stride + size][::-1], 2) for i in range(size)]
    rows.reverse()
    return QrMatrix(layout.version, size, tuple(rows))


def path_ops(text: str) -> tuple[int, str]:
    """(size, PDF path operators): `x y w 1 re` for each horizontal run of dark modules
    within each 8-module stretch of a row, in module units with the origin at the
    bottom-left module (quiet zone not included).

    Each byte of the matrix is looked up in a table of ready-made operator strings keyed by
    (its position, its value), filled as values turn up; so a code costs a few hundred
    lookups, not a Python step per module or per run. A run that crosses a byte boundary is
    drawn as two touching rectangles of the same path, which fill as one shape.
    """
    layout, flat = _bottom_up(text)
    data = int(flat, 2).to_bytes(len(flat) // 8, "big")
    table = _chunk_table(layout.version)
    return layout.size, "".join(map(table.__getitem__, map(add, range(0, 256 * len(data), 256), data)))


class _ChunkOps(dict):
    """(byte index * 256 + byte value) -> the operators drawing that byte's dark runs."""

    def __init__(self, bytes_per_row: int) -> None:
        super().__init__()
        self.bytes_per_row = bytes_per_row

    def __missing__(self, key: int) -> str:
        index, value = divmod(key, 256)
        row, chunk = divmod(index, self.bytes_per_row)
        ops = []
        bit = 0
        while bit < 8:
            if value & (0x80 >> bit):
                start = bit
                while bit < 8 and value & (0x80 >> bit):
                    bit += 1
                ops.append(f"{chunk * 8 + start} {row} {bit - start} 1 re\n")
            else:
                bit += 1
        text = "".join(ops)
        self[key] = text
        return text


@lru_cache(maxsize=None)
def _chunk_table(version: int) -> _ChunkOps:
    return _ChunkOps(_layout(version).stride // 8)


def _codewords(text: str, version: int) -> bytes:
    """The final sequence of codewords: data and error correction, interleaved by block."""
    try:
        values = [_ALNUM_VALUE[ch] for ch in text]
    except KeyError as exc:
        raise ValueError(f"{exc.args[0]!r} cannot be encoded in alphanumeric mode") from exc
    capacity = _capacity_bits(version)
    count_bits = util.length_in_bits(util.MODE_ALPHA_NUM, version)
    acc = util.MODE_ALPHA_NUM << count_bits | len(values)
    nbits = 4 + count_bits
    pairs = len(values) // 2
    for i in range(0, 2 * pairs, 2):
        acc = acc << 11 | values[i] * 45 + values[i + 1]
    nbits += 11 * pairs
    if len(values) % 2:
        acc = acc << 6 | values[-1]
        nbits += 6
    terminator = min(4, capacity - nbits)
    acc <<= terminator
    nbits += terminator
    if nbits % 8:
        acc <<= 8 - nbits % 8
        nbits += 8 - nbits % 8
    fill = capacity // 8 - nbits // 8
    data = acc.to_bytes(nbits // 8, "big") + (_PAD_BYTES * (fill // 2 + 1))[:fill]
    parts = []
    ecs = []
    offset = 0
    for data_count, ec_count in _blocks(version):
        block = data[offset : offset + data_count]
        offset += data_count
        parts.append(block)
        ecs.append(_rs_remainder(block, ec_count))
    return bytes(_interleave(version)(b"".join(parts) + b"".join(ecs)))


_PAD_BYTES = bytes(_PAD)


def _rs_remainder(block: bytes, ec_count: int) -> bytes:
    """Reed-Solomon: the remainder of block(x) * x^n divided by the generator, with the
    running remainder held in one integer (its top byte is the next factor)."""
    table = _rs_table(ec_count)
    shift = 8 * (ec_count - 1)
    keep = (1 << 8 * ec_count) - 1
    rem = 0
    for byte in block:
        rem = (rem << 8 & keep) ^ table[(rem >> shift) ^ byte]
    return rem.to_bytes(ec_count, "big")


@lru_cache(maxsize=None)
def _rs_table(ec_count: int) -> tuple[int, ...]:
    """For each byte value f: f times the generator polynomial (its leading 1 dropped), as
    one big-endian integer."""
    generator = LUT.rsPoly_LUT[ec_count][1:]
    exp, log = qrbase.EXP_TABLE, qrbase.LOG_TABLE
    rows = [0]
    for f in range(1, 256):
        row = bytes(exp[(log[f] + log[g]) % 255] if g else 0 for g in generator)
        rows.append(int.from_bytes(row, "big"))
    return tuple(rows)


@lru_cache(maxsize=None)
def _interleave(version: int) -> itemgetter:
    """Picks the codewords out of (data blocks..., ec blocks...) in transmission order."""
    blocks = _blocks(version)
    data_at, ec_at = [], []
    offset = 0
    for d, _e in blocks:
        data_at.append(range(offset, offset + d))
        offset += d
    for _d, e in blocks:
        ec_at.append(range(offset, offset + e))
        offset += e
    order: list[int] = []
    for group in (data_at, ec_at):
        for i in range(max(len(r) for r in group)):
            order.extend(r[i] for r in group if i < len(r))
    return itemgetter(*order)


@dataclass(frozen=True)
class _Layout:
    version: int
    size: int
    stride: int  # characters per row in the flat string: size rounded up to a multiple of 8
    data_bits: int
    pick: itemgetter  # source string -> the flat matrix string's characters


@lru_cache(maxsize=None)
def _layout(version: int) -> _Layout:
    """Where each module's value comes from, learnt from qrcode.

    The cells that differ between all-zero and all-one data are the data cells; they are
    visited in qrcode's own placement order (two-column zig-zag from the bottom right,
    skipping the vertical timing column). Every other cell keeps its value from the all-zero
    build. The source string is bits + flipped bits + "01": a data cell under a dark mask
    takes its flipped bit, a fixed cell takes the "0" or the "1".
    """
    total = sum(d + e for d, e in _blocks(version))
    zero = _qrcode_modules(version, [0] * total)
    ones = _qrcode_modules(version, [0xFF] * total)
    size = len(zero)
    cells: list[tuple[int, int]] = []
    row, step = size - 1, -1
    for col in range(size - 1, 0, -2):
        if col <= 6:
            col -= 1
        while 0 <= row < size:
            for c in (col, col - 1):
                if zero[row][c] != ones[row][c]:
                    cells.append((row, c))
            row += step
        row -= step
        step = -step
    n = total * 8
    if len(cells) != n:
        raise AssertionError("unexpected QR layout")
    masked = util.mask_func(MASK)
    source_of = {}
    for i, (r, c) in enumerate(cells):
        source_of[r, c] = n + i if masked(r, c) else i
    light, dark = 2 * n, 2 * n + 1
    stride = (size + 7) // 8 * 8
    order = []
    for r in range(size - 1, -1, -1):
        for c in range(size):
            order.append(source_of.get((r, c), dark if zero[r][c] else light))
        order.extend([light] * (stride - size))
    return _Layout(version, size, stride, n, itemgetter(*order))


def _qrcode_modules(version: int, codewords: list[int]) -> list[list[bool]]:
    qr = QRCode(version=version, error_correction=ERROR_CORRECTION, border=0, mask_pattern=MASK)
    qr.data_cache = codewords
    qr.makeImpl(False, MASK)
    return qr.modules


def reference_matrix(text: str) -> list[list[bool]]:
    """The same symbol built by qrcode alone (slow; for tests and comparisons)."""
    qr = QRCode(
        version=version_for(len(text)), error_correction=ERROR_CORRECTION, border=0, mask_pattern=MASK
    )
    qr.add_data(util.QRData(text, mode=util.MODE_ALPHA_NUM, check_data=True), optimize=0)
    qr.make(fit=True)
    return [list(row) for row in qr.modules]
