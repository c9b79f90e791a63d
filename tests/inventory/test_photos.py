"""Item photos through the item page: real images only, stored without metadata, public like the item summary."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from repairlab import images
from repairlab.audit.models import AuditEntry
from repairlab.inventory.models import ItemPhoto
from tests.inventory import imaging
from tests.inventory.conftest import english


def _files(app) -> list[Path]:
    root = Path(app.config["STORAGE_PATH"]) / "images"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _photos(db) -> list[ItemPhoto]:
    return list(db.session.scalars(sa.select(ItemPhoto).order_by(ItemPhoto.id)))


@pytest.fixture
def as_manager(client, login, manager):
    login(manager)
    return english(client)


@pytest.fixture
def item(make_item):
    return make_item("Perceuse")


def _upload(client, item, data: bytes, filename: str = "photo.jpg"):
    return client.post(
        f"/inventory/items/{item.id}/photos",
        data={"photo": imaging.upload(data, filename)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_a_phone_photo_is_stored_without_gps_with_a_thumbnail(as_manager, app, db, item, manager):
    html = _upload(as_manager, item, imaging.jpeg_bytes((800, 600), gps=True)).get_data(as_text=True)
    assert "Photo added." in html
    [photo] = _photos(db)
    assert photo.item_id == item.id
    stored = images._path_for(photo.key)
    with Image.open(stored) as image:
        assert image.format == "JPEG" and dict(image.getexif()) == {}
    assert b"PhoneMaker" not in stored.read_bytes()
    with Image.open(images._path_for(photo.thumb_key)) as thumb:
        assert max(thumb.size) <= 400
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "add_photo")).all()
    assert entry.actor_id == manager.id and entry.after == {"photo": photo.key}


def test_the_photo_shows_on_the_item_page_and_anyone_can_open_it(as_manager, client, app, db, item):
    _upload(as_manager, item, imaging.jpeg_bytes())
    [photo] = _photos(db)
    assert f"/inventory/photos/{photo.id}/thumb" in as_manager.get(f"/inventory/items/{item.id}").get_data(as_text=True)
    visitor = app.test_client()
    for variant in ("thumb", "full"):
        response = visitor.get(f"/inventory/photos/{photo.id}/{variant}")
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert Image.open(io.BytesIO(response.data)).format == "JPEG"
    assert visitor.get(f"/inventory/photos/{photo.id}/original").status_code == 404
    assert visitor.get("/inventory/photos/999999/full").status_code == 404


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"Just some text, renamed .jpg\n" * 10, "photo.jpg", "This file is not a photo we can read."),
        (b"%PDF-1.4 not a photo", "scan.jpg", "This file is not a photo we can read."),
        (imaging.bomb_png(), "bomb.png", "The photo has too many pixels. Send a smaller photo."),
        (imaging.too_big_bytes(), "huge.jpg", "The photo is too large (more than 10 MB)."),
        (imaging.truncated_jpeg(), "cut.jpg", "This file is not a photo we can read."),
        (b"", "empty.jpg", "The file is empty."),
    ],
    ids=["text", "pdf", "bomb", "too-big", "truncated", "empty"],
)
def test_bad_files_are_refused_with_a_message_and_nothing_is_written(
    as_manager, app, db, item, data, filename, message
):
    before = _files(app)
    response = _upload(as_manager, item, data, filename)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert _photos(db) == [] and _files(app) == before
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "add_photo")) is None


def test_a_post_without_a_file_is_refused(as_manager, db, item):
    html = as_manager.post(f"/inventory/items/{item.id}/photos", data={}, follow_redirects=True).get_data(as_text=True)
    assert "This field is required." in html and _photos(db) == []


def test_a_request_over_the_upload_limit_gets_a_clear_413(as_manager, db, item):
    response = as_manager.post(
        f"/inventory/items/{item.id}/photos",
        data={"photo": imaging.upload(b"\0" * (17 * 1024 * 1024))},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and _photos(db) == []


def test_remove_a_photo(as_manager, app, db, item, manager):
    _upload(as_manager, item, imaging.jpeg_bytes())
    [photo] = _photos(db)
    key, thumb = photo.key, photo.thumb_key
    html = as_manager.post(f"/inventory/photos/{photo.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "Photo removed." in html
    db.session.expire_all()
    assert _photos(db) == []
    assert not images._path_for(key).exists() and not images._path_for(thumb).exists()
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "remove_photo")).all()
    assert entry.before == {"photo": key} and entry.actor_id == manager.id


def test_a_talent_cannot_add_or_remove_photos(client, login, talent, app, db, item):
    before = _files(app)
    login(talent)
    assert (
        client.post(
            f"/inventory/items/{item.id}/photos",
            data={"photo": imaging.upload(imaging.jpeg_bytes())},
            content_type="multipart/form-data",
        ).status_code
        == 403
    )
    assert _photos(db) == [] and _files(app) == before


def test_another_territorys_manager_cannot_touch_our_photos(client, login, other_manager, as_manager, app, db, item):
    _upload(as_manager, item, imaging.jpeg_bytes())
    [photo] = _photos(db)
    before = _files(app)
    login(other_manager)
    assert (
        client.post(
            f"/inventory/items/{item.id}/photos",
            data={"photo": imaging.upload(imaging.jpeg_bytes())},
            content_type="multipart/form-data",
        ).status_code
        == 404
    )
    assert client.post(f"/inventory/photos/{photo.id}/delete").status_code == 404
    assert len(_photos(db)) == 1 and _files(app) == before
