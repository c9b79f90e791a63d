"""The QR encoder: the same symbol as the qrcode package, with its quiet zone, as bits and as a PNG."""

from __future__ import annotations

import io

import pytest
import qrcode
from PIL import Image
from qrcode.util import MODE_8BIT_BYTE, QRData

from repairlab.qr import qr_matrix, qr_png

BASE = "https://repairlab.example.org/q/"


@pytest.mark.parametrize("length", [1, 12, 40, 90, 130, 200, 300])
def test_qr_matrix_is_identical_to_qrcode_level_m(length):
    # Versions 1 to 15: 8- and 16-bit length fields, with and without version information.
    url = "https://x.io/" + ("Aé-z0" * 80)[:length]
    reference = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    reference.add_data(QRData(url.encode("utf-8"), mode=MODE_8BIT_BYTE))
    reference.make(fit=True)

    assert qr_matrix(url) == reference.get_matrix()


def test_qr_matrix_keeps_a_four_module_quiet_zone():
    matrix = qr_matrix(BASE + "RBX-0042")
    size = len(matrix)

    assert all(len(row) == size for row in matrix)
    border = [matrix[r][c] for r in range(size) for c in range(size) if min(r, c) < 4 or max(r, c) >= size - 4]
    assert not any(border)
    assert matrix[4][4] and matrix[4][size - 5] and matrix[size - 5][4]  # finder corners


def test_qr_matrix_rejects_empty_and_oversized_urls():
    with pytest.raises(ValueError, match="non-empty URL"):
        qr_matrix("")
    with pytest.raises(ValueError, match="too long"):
        qr_matrix(BASE + "x" * 3000)


def test_the_png_draws_the_same_symbol_with_whole_pixel_modules():
    url = "https://repairlab.example.org/m/K7QX2M9P"
    matrix = qr_matrix(url)
    with Image.open(io.BytesIO(qr_png(url, module_px=3))) as image:
        assert image.size == (3 * len(matrix), 3 * len(matrix))
        pixels = image.convert("L").load()
        drawn = [[pixels[3 * c + 1, 3 * r + 1] == 0 for c in range(len(matrix))] for r in range(len(matrix))]
    assert drawn == matrix
