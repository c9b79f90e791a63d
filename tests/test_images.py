"""Photo checks (repairlab/images.py): only real images, bounded in bytes and pixels, re-encoded without metadata."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from PIL import Image
from werkzeug.exceptions import NotFound

from repairlab import images
from repairlab.errors import ValidationError
from tests.inventory import imaging


def _stored_files(app) -> list[Path]:
    root = Path(app.config["STORAGE_PATH"]) / "images"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _save(data: bytes):
    return images.save_image(io.BytesIO(data))


def _refused(app, data: bytes) -> str:
    """Check that the data is refused, naming the photo field and writing nothing; return the English message."""
    before = _stored_files(app)
    with force_locale("en"), pytest.raises(ValidationError) as error:
        _save(data)
    assert error.value.field == "photo"
    assert _stored_files(app) == before  # nothing written
    return str(error.value)


def test_a_jpeg_is_re_encoded_without_exif_or_gps(app, db):
    original = imaging.jpeg_bytes((640, 480), gps=True)
    assert imaging.GPS_IFD in Image.open(io.BytesIO(original)).getexif()  # the test file does carry GPS
    stored = _save(original)
    with Image.open(images._path_for(stored.key)) as image:
        assert image.format == "JPEG" and image.size == (640, 480)
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert b"PhoneMaker" not in images._path_for(stored.key).read_bytes()


@pytest.mark.parametrize("fmt", ["JPEG", "GIF", "PNG"])
def test_comments_and_text_in_the_upload_do_not_survive_re_encoding(app, db, fmt):
    """A comment (JPEG COM, GIF comment, PNG text) can hold a name or an address: the public photo has none."""
    secret = "Chez Mme Martin, 12 rue des Lilas"
    out = io.BytesIO()
    image = Image.new("RGB", (300, 200), "orange")
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        text = PngInfo()
        text.add_text("comment", secret)
        image.save(out, fmt, pnginfo=text)
    else:
        image.save(out, fmt, comment=secret.encode())
    assert secret.encode() in out.getvalue()  # the test file does carry it
    stored = _save(out.getvalue())
    for key in (stored.key, stored.thumb_key):
        data = images._path_for(key).read_bytes()
        assert b"Lilas" not in data
        with Image.open(io.BytesIO(data)) as saved:
            assert "comment" not in saved.info


def test_a_thumbnail_is_made_no_larger_than_400_pixels(app, db):
    stored = _save(imaging.jpeg_bytes((1200, 800)))
    with Image.open(images._path_for(stored.thumb_key)) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= images.THUMB_SIDE
        assert thumb.size == (400, 267)
        assert dict(thumb.getexif()) == {}


def test_a_large_photo_is_scaled_down_for_storage(app, db):
    stored = _save(imaging.jpeg_bytes((4000, 3000)))
    assert (stored.width, stored.height) == (2000, 1500)


def test_the_phones_orientation_is_applied(app, db):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "blue").save(out, "JPEG", exif=exif)
    stored = _save(out.getvalue())
    assert (stored.width, stored.height) == (40, 60)


@pytest.mark.parametrize("data", [imaging.png_bytes(), imaging.png_bytes(mode="P")], ids=["rgba", "palette"])
def test_a_png_is_stored_as_jpeg(app, db, data):
    stored = _save(data)
    with Image.open(images._path_for(stored.key)) as image:
        assert image.format == "JPEG" and image.mode == "RGB"


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_gif_and_webp_are_accepted(app, db, fmt):
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "green").save(out, fmt)
    assert _save(out.getvalue()).width == 30


def test_keys_are_random_and_distinct(app, db):
    a, b = _save(imaging.jpeg_bytes()), _save(imaging.jpeg_bytes())
    assert a.key != b.key and a.thumb_key == a.key.replace(".jpg", "_t.jpg")
    assert images.KEY_RE.match(a.key) and images.KEY_RE.match(a.thumb_key)


def test_a_text_file_named_jpg_is_refused(app, db):
    assert _refused(app, b"Ceci n'est pas une photo.\n" * 20) == (
        "This file is not a photo we can read. Send a JPEG or PNG image."
    )


def test_an_empty_file_is_refused(app, db):
    assert _refused(app, b"") == "The file is empty."


def test_a_decompression_bomb_is_refused_with_the_pixel_message(app, db):
    data = imaging.bomb_png(20000)
    assert len(data) < 100_000  # tiny on disk…
    assert _refused(app, data) == "The photo has too many pixels. Send a smaller photo."


def test_more_pixels_than_our_limit_is_refused_even_below_pillows(app, db):
    # 7000 x 7000 = 49 Mpx: below Pillow's own bomb threshold (89 Mpx), above ours (40 Mpx).
    assert _refused(app, imaging.bomb_png(7000)) == "The photo has too many pixels. Send a smaller photo."


def test_a_file_over_10_mb_is_refused(app, db):
    assert _refused(app, imaging.too_big_bytes()) == ("The photo is too large (more than 10 MB). Take a smaller one.")


def test_a_truncated_image_is_refused(app, db):
    _refused(app, imaging.truncated_jpeg())


def test_a_corrupt_png_is_refused(app, db):
    data = bytearray(imaging.png_bytes((50, 50), mode="RGB"))
    data[60:80] = b"\xff" * 20
    _refused(app, bytes(data))


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "PPM"])
def test_other_image_formats_are_refused(app, db, fmt):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, fmt)
    assert _refused(app, out.getvalue()) == "Only JPEG, PNG, WebP or GIF photos are accepted."


def test_a_pdf_is_refused(app, db):
    _refused(app, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")


@pytest.mark.parametrize(
    "key", ["../../etc/passwd", "..%2f..%2fsecret", "abc.jpg", "0" * 32 + ".png", "", "0" * 32 + ".jpg/../x"]
)
def test_keys_that_were_not_generated_are_not_found(app, key):
    with app.test_request_context(), pytest.raises(NotFound):
        images.send_image(key)


def test_a_missing_file_is_not_found(app):
    with app.test_request_context(), pytest.raises(NotFound):
        images.send_image("0" * 32 + ".jpg")


def test_delete_image_removes_the_file_and_tolerates_a_missing_one(app, db):
    stored = _save(imaging.jpeg_bytes())
    images.delete_image(stored.key)
    assert not images._path_for(stored.key).exists() and images._path_for(stored.thumb_key).exists()
    images.delete_image(stored.key)


def test_a_photo_saved_in_a_transaction_that_rolls_back_leaves_no_file(app, db):
    stored = _save(imaging.jpeg_bytes())
    db.session.execute(sa.text("SELECT 1"))  # the transaction the photo belongs to
    db.session.rollback()
    assert not images._path_for(stored.key).exists() and not images._path_for(stored.thumb_key).exists()


def test_a_photo_saved_in_a_committed_transaction_stays(app, db):
    stored = _save(imaging.jpeg_bytes())
    db.session.execute(sa.text("SELECT 1"))
    db.session.commit()
    db.session.rollback()
    assert images._path_for(stored.key).exists() and images._path_for(stored.thumb_key).exists()


def test_an_image_removed_in_a_transaction_that_rolls_back_stays(app, db):
    stored = _save(imaging.jpeg_bytes())
    db.session.execute(sa.text("SELECT 1"))
    db.session.commit()
    images.delete_image_after_commit(stored.key, stored.thumb_key)
    db.session.execute(sa.text("SELECT 1"))
    db.session.rollback()
    assert images._path_for(stored.key).exists() and images._path_for(stored.thumb_key).exists()
    images.delete_image_after_commit(stored.key, stored.thumb_key)
    db.session.execute(sa.text("SELECT 1"))
    db.session.commit()
    assert not images._path_for(stored.key).exists() and not images._path_for(stored.thumb_key).exists()


def test_a_savepoint_released_does_not_keep_a_photo_whose_transaction_rolls_back(app, db):
    stored = _save(imaging.jpeg_bytes())
    db.session.execute(sa.text("SELECT 1"))
    with db.session.begin_nested():  # a service's savepoint (issuing a code, claiming a slot...)
        db.session.execute(sa.text("SELECT 1"))
    db.session.rollback()
    assert not images._path_for(stored.key).exists() and not images._path_for(stored.thumb_key).exists()


def test_a_savepoint_released_does_not_delete_an_image_before_the_transaction_commits(app, db):
    stored = _save(imaging.jpeg_bytes())
    db.session.execute(sa.text("SELECT 1"))
    db.session.commit()
    images.delete_image_after_commit(stored.key, stored.thumb_key)
    with db.session.begin_nested():
        db.session.execute(sa.text("SELECT 1"))
    assert images._path_for(stored.key).exists()
    db.session.rollback()
    assert images._path_for(stored.key).exists() and images._path_for(stored.thumb_key).exists()
