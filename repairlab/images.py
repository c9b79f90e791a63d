"""Photo uploads: only real images, bounded in bytes and pixels, re-encoded without metadata, with a thumbnail."""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import abort, current_app, send_file
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from repairlab.errors import ValidationError
from repairlab.extensions import db

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # about 7,700 x 5,200: any phone camera, not a decompression bomb
MAX_SIDE = 2000  # stored size: enough for a workshop photo on any screen
THUMB_SIDE = 400
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
KEY_RE = re.compile(r"^[0-9a-f]{32}(_t)?\.jpg$")


@dataclass(frozen=True)
class StoredImage:
    """A saved photo: its storage key (and the thumbnail's), with its size in pixels."""

    key: str
    thumb_key: str
    width: int
    height: int


def _root() -> Path:
    return Path(current_app.config["STORAGE_PATH"]) / "images"


def _path_for(key: str) -> Path:
    # Keys are generated here (hex + fixed suffix); anything else is refused, so no path traversal.
    if not key or not KEY_RE.match(key):
        abort(404)
    return _root() / key[:2] / key


def save_image(stream) -> StoredImage:
    """Check, re-encode and store an uploaded image; raise ValidationError with a clear message otherwise."""
    data = stream.read(MAX_IMAGE_BYTES + 1)
    if not data:
        raise ValidationError(_("The file is empty."), field="photo")
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The photo is too large (more than %(mb)d MB). Take a smaller one.", mb=MAX_IMAGE_BYTES // 1024 // 1024),
            field="photo",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                if fmt not in ALLOWED_FORMATS:
                    raise ValidationError(_("Only JPEG, PNG, WebP or GIF photos are accepted."), field="photo")
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError(_("The photo has too many pixels. Send a smaller photo."), field="photo")
                probe.verify()
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()
                # Keep the orientation the phone meant, then drop EXIF by re-encoding.
                image = ImageOps.exif_transpose(opened).convert("RGB")
                # convert() copies the source's info (JPEG and GIF comments, PNG text...), and Pillow writes its
                # "comment" back into the JPEG it saves: the stored photo starts with none of it.
                image.info = {}
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The photo has too many pixels. Send a smaller photo."), field="photo")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("This file is not a photo we can read. Send a JPEG or PNG image."), field="photo")

    image.thumbnail((MAX_SIDE, MAX_SIDE))
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    token = secrets.token_hex(16)
    key, thumb_key = f"{token}.jpg", f"{token}_t.jpg"
    written: list[Path] = []
    try:
        for k, img in ((key, image), (thumb_key, thumb)):
            path = _path_for(k)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            written += [tmp, path]
            # A fresh save writes no EXIF, GPS or other metadata.
            img.save(tmp, "JPEG", quality=85, optimize=True)
            os.replace(tmp, path)
    except OSError as error:
        # A full disk, a read-only or missing storage folder: the photo and its thumbnail go (whole or not at all),
        # and the person is told, with nothing recorded (the caller's transaction is rolled back).
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        current_app.logger.error("A photo could not be stored in %s: %s", _root(), error)
        raise ValidationError(
            _(
                "The photo could not be stored: the server's storage is full or cannot be written to. Nothing was "
                "saved. Try again later, and tell the administrator if it happens again."
            ),
            field="photo",
        ) from None
    # The files exist before the row that points to them: if the transaction does not commit, they go.
    db.session.info.setdefault(_UNCOMMITTED, []).extend(_path_for(k) for k in (key, thumb_key))
    return StoredImage(key=key, thumb_key=thumb_key, width=image.width, height=image.height)


_UNCOMMITTED = "repairlab.images.uncommitted"
_TO_DELETE = "repairlab.images.to_delete"


def delete_image_after_commit(*keys: str) -> None:
    """Remove stored images once the transaction that stops pointing at them commits (kept if it does not)."""
    db.session.info.setdefault(_TO_DELETE, []).extend(_path_for(k) for k in keys)


def delete_row_photos_after_commit(model, *where) -> None:
    """Delete the stored photo files (`photo_key`, `photo_thumb_key`) of the rows of `model` matching `where`, once
    the transaction commits: call it before the rows stop pointing at them."""
    rows = db.session.execute(
        sa.select(model.photo_key, model.photo_thumb_key).where(*where, model.photo_key.is_not(None))
    ).all()
    keys = [key for row in rows for key in row if key]
    if keys:
        delete_image_after_commit(*keys)


@sa.event.listens_for(Session, "after_commit")
def _keep_committed_images(session: Session) -> None:
    # Fired for a released savepoint too: only the outermost transaction's commit makes the change permanent.
    if session.in_nested_transaction():
        return
    session.info.pop(_UNCOMMITTED, None)
    for path in session.info.pop(_TO_DELETE, ()):
        path.unlink(missing_ok=True)


@sa.event.listens_for(Session, "after_transaction_end")
def _drop_uncommitted_images(session: Session, transaction) -> None:
    """A rolled-back (or abandoned) transaction leaves no orphan photo files behind, and deletes none."""
    if transaction.parent is not None:  # a savepoint: the outer transaction decides
        return
    session.info.pop(_TO_DELETE, None)
    for path in session.info.pop(_UNCOMMITTED, ()):
        path.unlink(missing_ok=True)


def send_image(key: str, *, public: bool = False):
    """Serve a stored image (the caller has checked that the viewer may see it).

    A public photo (an item's, shown to anyone who scans its label) may be cached anywhere for a day; any other may
    show a person and is never stored by a browser's or a proxy's cache.
    """
    path = _path_for(key)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=86400 if public else 0)
    response.headers["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response


def read_image(key: str) -> bytes:
    """A stored image's bytes (an export of photos); FileNotFoundError when it is gone."""
    return _path_for(key).read_bytes()


def delete_image(key: str) -> None:
    """Remove a stored image file if present (the database row is the caller's)."""
    path = _path_for(key)
    path.unlink(missing_ok=True)
