"""Image files for upload tests, built with Pillow in memory (small and fast)."""

from __future__ import annotations

import io

from PIL import Image

GPS_IFD = 34853  # the EXIF tag that holds GPS coordinates


def jpeg_bytes(size: tuple[int, int] = (64, 48), color: str = "orange", *, gps: bool = False) -> bytes:
    """A real JPEG; with gps=True it carries EXIF with a camera make and GPS coordinates."""
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[GPS_IFD] = {1: "N", 2: (50.0, 41.0, 30.0), 3: "E", 4: (3.0, 10.0, 5.0)}
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (40, 30), mode: str = "RGBA") -> bytes:
    """A real PNG."""
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def bomb_png(side: int = 20000) -> bytes:
    """A PNG whose header claims side x side pixels: tiny on disk, huge once decoded."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG", optimize=True)
    return out.getvalue()


def too_big_bytes() -> bytes:
    """A JPEG padded past the 10 MB photo limit (but under the request limit)."""
    return jpeg_bytes() + b"\0" * (10 * 1024 * 1024 + 1)


def truncated_jpeg() -> bytes:
    """The first half of a real JPEG."""
    data = jpeg_bytes((300, 200))
    return data[: len(data) // 2]


def upload(data: bytes, filename: str = "photo.jpg"):
    """A file field value for the test client."""
    return (io.BytesIO(data), filename)
