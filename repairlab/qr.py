"""QR codes (byte mode, level M): the symbol as rows of bits, as runs of dark modules for vector drawing, and as a
PNG. Pure functions, independent of Flask; label sheets and member cards both draw their codes from here."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from typing import NamedTuple

from PIL import Image
from qrcode.base import rs_blocks
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import pattern_position

# Quiet zone in modules, required by ISO/IEC 18004; it is kept inside a label so that a label
# stuck next to another one, or on a dark surface, still scans.
QUIET_ZONE = 4
# Level M restores ~15 % of damaged codewords, enough for workshop dirt, while keeping modules
# large on the 25.4 mm labels; the design asks for "M or better".
_ECL = ERROR_CORRECT_M

# --------------------------------------------------------------------------------------------
# The qrcode package evaluates its eight mask patterns in pure Python (about 3.4 ms a code), which
# alone would blow the 0.3 s budget of a 240-label sheet. This encoder produces the same symbol
# as qrcode (byte mode, level M, same mask choice: the tests compare both module by module) but
# keeps each row and column as an integer bit mask, so placing data and scoring the masks are a
# few big-int and string operations. qrcode still supplies the block and alignment tables.
# --------------------------------------------------------------------------------------------

_GF_EXP = [0] * 512
_GF_LOG = [0] * 256
_value = 1
for _i in range(255):
    _GF_EXP[_i] = _value
    _GF_LOG[_value] = _i
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D  # the QR field polynomial x^8 + x^4 + x^3 + x^2 + 1
for _i in range(255, 512):
    # Doubling the table lets products index EXP[log a + log b] without a modulo.
    _GF_EXP[_i] = _GF_EXP[_i - 255]
del _i, _value

_BYTE_BITS = tuple(format(b, "08b") for b in range(256))
# Finder-like 1:1:3:1:1 sequences with 4 light modules on one side (penalty rule N3).
_FINDER_LIKE = ("10111010000", "00001011101")
_DARK_RUNS = re.compile(r"1+")


class _Template(NamedTuple):
    """Everything about a QR version that does not depend on the data (cached per version)."""

    size: int
    order: tuple[tuple[int, int, int, int], ...]  # data cells: (row, col, row bit, col bit)
    func_rows: tuple[int, ...]  # function patterns with format/version areas left light
    mask_rows: tuple[tuple[int, ...], ...]  # per mask: mask bits on data cells only
    fixed_rows: tuple[int, ...]  # dark module and version information
    format_rows: tuple[tuple[int, ...], ...]  # per mask: format information
    # The same, as one integer holding every row then every column (see _lines_int).
    func_lines: int
    mask_lines: tuple[int, ...]
    line_bits: int  # 1 on every module bit, 0 on the separators
    rows_bits: int  # the rows part of line_bits


def _bch(data: int, generator: int, shift: int) -> int:
    """Append the BCH remainder of ``data`` for ``generator`` (format and version information)."""
    value = data << shift
    top = generator.bit_length()
    while value.bit_length() >= top:
        value ^= generator << (value.bit_length() - top)
    return (data << shift) | value


def _lines_int(rows: Sequence[int], cols: Sequence[int], n: int) -> int:
    """Pack rows then columns into one integer, line i at bit i * (n + 1), a 0 bit between lines.

    Scoring a mask then takes a few dozen big-integer operations on the whole symbol instead of
    a loop per line; the 0 separators stop runs and patterns from crossing from line to line.
    """
    fmt = f"0{n + 1}b"  # the leading 0 of each field is the separator
    return int("".join([format(x, fmt) for x in reversed(cols)] + [format(x, fmt) for x in reversed(rows)]), 2)


def _mask_bit(pattern: int, i: int, j: int) -> bool:
    """The eight QR data masks of ISO/IEC 18004, i = row and j = column."""
    if pattern == 0:
        return (i + j) % 2 == 0
    if pattern == 1:
        return i % 2 == 0
    if pattern == 2:
        return j % 3 == 0
    if pattern == 3:
        return (i + j) % 3 == 0
    if pattern == 4:
        return (i // 2 + j // 3) % 2 == 0
    if pattern == 5:
        return (i * j) % 2 + (i * j) % 3 == 0
    if pattern == 6:
        return ((i * j) % 2 + (i * j) % 3) % 2 == 0
    return ((i * j) % 3 + (i + j) % 2) % 2 == 0


@functools.lru_cache(maxsize=40)
def _template(version: int) -> _Template:
    """Build the function patterns, data-cell order and masks of one QR version."""
    n = 17 + 4 * version
    grid: list[list[bool | None]] = [[None] * n for _ in range(n)]

    # Finder patterns with their separators.
    for top, left in ((0, 0), (n - 7, 0), (0, n - 7)):
        for r in range(-1, 8):
            for c in range(-1, 8):
                if 0 <= top + r < n and 0 <= left + c < n:
                    grid[top + r][left + c] = (
                        (0 <= r <= 6 and c in (0, 6)) or (0 <= c <= 6 and r in (0, 6)) or (2 <= r <= 4 and 2 <= c <= 4)
                    )
    # Alignment patterns, except where they would overlap a finder.
    centres = pattern_position(version)
    for row in centres:
        for col in centres:
            if grid[row][col] is not None:
                continue
            for r in range(-2, 3):
                for c in range(-2, 3):
                    grid[row + r][col + c] = max(abs(r), abs(c)) != 1
    # Timing patterns.
    for i in range(8, n - 8):
        if grid[i][6] is None:
            grid[i][6] = i % 2 == 0
        if grid[6][i] is None:
            grid[6][i] = i % 2 == 0

    # Format information: two copies of 15 bits, reserved light here, filled per mask below.
    format_cells: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for i in range(15):
        vertical = (i, 8) if i < 6 else (i + 1, 8) if i < 8 else (n - 15 + i, 8)
        horizontal = (8, n - i - 1) if i < 8 else (8, 15 - i) if i < 9 else (8, 14 - i)
        format_cells.append((vertical, horizontal))
        for r, c in (vertical, horizontal):
            grid[r][c] = False
    grid[n - 8][8] = False  # the "dark module", set in fixed_rows
    version_bits = _bch(version, 0x1F25, 12) if version >= 7 else 0
    version_cells: list[tuple[int, int]] = []
    if version >= 7:
        for i in range(18):
            for r, c in ((i // 3, i % 3 + n - 11), (i % 3 + n - 11, i // 3)):
                grid[r][c] = False
                if (version_bits >> i) & 1:
                    version_cells.append((r, c))

    # Data cells in placement order: two-column strips, right to left, snaking up and down,
    # skipping the vertical timing column.
    order: list[tuple[int, int, int, int]] = []
    row, step = n - 1, -1
    for strip in range(n - 1, 0, -2):
        right = strip - 1 if strip <= 6 else strip  # column 6 is the timing pattern
        while 0 <= row < n:
            for c in (right, right - 1):
                if grid[row][c] is None:
                    order.append((row, c, 1 << (n - 1 - c), 1 << (n - 1 - row)))  # noqa: PERF401  (zigzag walk)
            row += step
        row -= step
        step = -step

    # Bit masks use the most significant bit for index 0, so format(x, "0nb") reads in order.
    def rows_cols(cells: Sequence[tuple[int, int]]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        rows, cols = [0] * n, [0] * n
        for r, c in cells:
            rows[r] |= 1 << (n - 1 - c)
            cols[c] |= 1 << (n - 1 - r)
        return tuple(rows), tuple(cols)

    func_rows, func_cols = rows_cols([(r, c) for r in range(n) for c in range(n) if grid[r][c]])
    mask_rows, mask_cols = zip(
        *(rows_cols([(r, c) for r, c, _, _ in order if _mask_bit(k, r, c)]) for k in range(8)),
        strict=True,
    )
    full = (1 << n) - 1
    fixed_rows, _ = rows_cols([(n - 8, 8), *version_cells])
    format_rows = []
    for k in range(8):
        bits = _bch((_ECL << 3) | k, 0x537, 10) ^ 0x5412
        format_rows.append(rows_cols([cell for i in range(15) if (bits >> i) & 1 for cell in format_cells[i]])[0])
    return _Template(
        size=n,
        order=tuple(order),
        func_rows=func_rows,
        mask_rows=tuple(mask_rows),
        fixed_rows=fixed_rows,
        format_rows=tuple(format_rows),
        func_lines=_lines_int(func_rows, func_cols, n),
        mask_lines=tuple(_lines_int(mr, mc, n) for mr, mc in zip(mask_rows, mask_cols, strict=True)),
        line_bits=_lines_int([full] * n, [full] * n, n),
        rows_bits=_lines_int([full] * n, [0] * n, n),
    )


@functools.cache
def _rs_generator(degree: int) -> tuple[int, ...]:
    """Logarithms of the Reed-Solomon generator coefficients (leading 1 omitted)."""
    poly = [1]
    for i in range(degree):
        product = [*poly, 0]
        for j, coef in enumerate(poly):
            if coef:
                product[j + 1] ^= _GF_EXP[_GF_LOG[coef] + i]
        poly = product
    return tuple(_GF_LOG[c] for c in poly[1:])


def _rs_remainder(data: Sequence[int], generator: tuple[int, ...]) -> list[int]:
    """Error-correction codewords of one block (polynomial division over GF(256))."""
    ec = [0] * len(generator)
    for byte in data:
        factor = byte ^ ec[0]
        ec = [*ec[1:], 0]
        if factor:
            lf = _GF_LOG[factor]
            ec = [e ^ _GF_EXP[lf + g] for e, g in zip(ec, generator, strict=True)]
    return ec


@functools.lru_cache(maxsize=40)
def _capacity_bytes(version: int) -> int:
    """Data codewords of a version at level M."""
    return sum(block.data_count for block in rs_blocks(version, _ECL))


def _codewords(data: bytes) -> tuple[int, list[int]]:
    """Choose the smallest version that holds ``data`` in byte mode; return it with its codewords."""
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        capacity = _capacity_bytes(version)
        if 4 + count_bits + 8 * len(data) <= 8 * capacity:
            break
    else:
        raise ValueError(f"URL too long for a QR code ({len(data)} bytes)")
    bits = "0100" + format(len(data), f"0{count_bits}b") + "".join(_BYTE_BITS[b] for b in data)
    bits += "0" * min(4, 8 * capacity - len(bits))  # terminator
    bits += "0" * (-len(bits) % 8)
    payload = list(int(bits, 2).to_bytes(len(bits) // 8, "big"))
    payload += [0xEC, 0x11] * ((capacity - len(payload)) // 2 + 1)
    payload = payload[:capacity]

    blocks, ecs = [], []
    offset = 0
    for block in rs_blocks(version, _ECL):
        chunk = payload[offset : offset + block.data_count]
        offset += block.data_count
        blocks.append(chunk)
        ecs.append(_rs_remainder(chunk, _rs_generator(block.total_count - block.data_count)))
    # Interleave: first codeword of every block, then the second, and so on.
    out = [b[i] for i in range(max(map(len, blocks))) for b in blocks if i < len(b)]
    out += [e[i] for i in range(max(map(len, ecs))) for e in ecs if i < len(e)]
    return version, out


def _penalty(dark: int, t: _Template) -> int:
    """Mask penalty of a symbol packed by _lines_int, scored exactly as qrcode.util.lost_point."""
    n, slot = t.size, t.size + 1
    light = ~dark & t.line_bits
    dark_at = [dark >> k for k in range(11)]
    light_at = [light >> k for k in range(11)]
    score = 0
    for shifted in (dark_at, light_at):
        # N1: a run of L >= 5 scores L - 2 = (its L - 4 windows of five) + 2.
        windows = shifted[0] & shifted[1] & shifted[2] & shifted[3] & shifted[4]
        score += windows.bit_count() + 2 * (windows & ~(windows >> 1)).bit_count()
    for pattern in _FINDER_LIKE:  # N3; the two patterns mirror each other, so bit order is moot
        found = -1
        for k, bit in enumerate(pattern):
            found &= dark_at[k] if bit == "1" else light_at[k]
        score += 40 * found.bit_count()
    dark_rows, light_rows = dark & t.rows_bits, light & t.rows_bits
    dark_pairs = dark_rows & (dark_rows >> slot)  # N2: same colour in this row and the next
    light_pairs = light_rows & (light_rows >> slot)
    score += 3 * ((dark_pairs & (dark_pairs >> 1)).bit_count() + (light_pairs & (light_pairs >> 1)).bit_count())
    percent = float(dark_rows.bit_count()) / (n * n)
    return score + int(abs(percent * 100 - 50) / 5) * 10  # N4: balance of dark and light


def qr_rows(url: str) -> tuple[int, tuple[int, ...]]:
    """Encode ``url`` and return (size in modules without quiet zone, rows as bit masks)."""
    if not isinstance(url, str) or not url:
        raise ValueError("A label needs a non-empty URL to encode")
    version, codewords = _codewords(url.encode("utf-8"))
    t = _template(version)
    n = t.size
    data_rows, data_cols = [0] * n, [0] * n
    # Cells left over after the last codeword (0 to 7 "remainder bits") stay light before masking.
    bits = "".join([_BYTE_BITS[b] for b in codewords])
    for bit, (r, c, row_bit, col_bit) in zip(bits, t.order, strict=False):
        if bit == "1":
            data_rows[r] |= row_bit
            data_cols[c] |= col_bit
    data_lines = _lines_int(data_rows, data_cols, n)
    best, best_score = 0, -1
    for k in range(8):
        # Like qrcode, score each mask with the format and version areas still light.
        score = _penalty(t.func_lines | (data_lines ^ t.mask_lines[k]), t)
        if best_score < 0 or score < best_score:
            best, best_score = k, score
    rows = tuple(
        f | x | fm | (d ^ m)
        for f, x, fm, d, m in zip(
            t.func_rows, t.fixed_rows, t.format_rows[best], data_rows, t.mask_rows[best], strict=True
        )
    )
    return n, rows


def qr_matrix(url: str) -> list[list[bool]]:
    """QR code of ``url`` (level M) as rows of booleans, True = dark, with the 4-module quiet zone."""
    n, rows = qr_rows(url)
    width = n + 2 * QUIET_ZONE
    quiet_rows = [[False] * width for _ in range(QUIET_ZONE)]
    side = [False] * QUIET_ZONE
    body = [side + [bit == "1" for bit in format(x, f"0{n}b")] + side for x in rows]
    return quiet_rows + body + [[False] * width for _ in range(QUIET_ZONE)]


def dark_runs(n: int, rows: Sequence[int]) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules as (row, column, length), quiet zone included in indices."""
    fmt = f"0{n}b"
    return [
        (r + QUIET_ZONE, m.start() + QUIET_ZONE, m.end() - m.start())
        for r, x in enumerate(rows)
        for m in _DARK_RUNS.finditer(format(x, fmt))
    ]


def _module_pixels(n: int, rows: Sequence[int]) -> list[int]:
    """Pixels of the QR with its quiet zone, one per module, 0 = black, for a mode "1" image."""
    modules = n + 2 * QUIET_ZONE
    quiet = [1] * (modules * QUIET_ZONE)
    side = [1] * QUIET_ZONE
    pixels = list(quiet)
    for x in rows:
        pixels += side
        pixels += [0 if bit == "1" else 1 for bit in format(x, f"0{n}b")]
        pixels += side
    return pixels + quiet


def module_image(n: int, rows: Sequence[int]) -> Image.Image:
    """The symbol of qr_rows() with its quiet zone as a black-and-white image, one pixel per module."""
    modules = n + 2 * QUIET_ZONE
    image = Image.new("1", (modules, modules), 1)
    image.putdata(_module_pixels(n, rows))
    return image


def qr_png(data: str, module_px: int = 12) -> bytes:
    """A PNG of the QR code of ``data``: whole-pixel modules and the quiet zone, sharp when printed."""
    image = module_image(*qr_rows(data))
    image = image.resize((image.width * module_px, image.height * module_px), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
