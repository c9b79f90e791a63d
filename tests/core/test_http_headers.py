"""Transport and cache headers: HSTS when the public address is HTTPS, no-store on every signed-in page."""

from __future__ import annotations

import io

from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemKind
from repairlab.people.models import Role
from tests.inventory import imaging


def test_hsts_when_the_public_address_is_https(client):
    assert client.get("/login").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_no_hsts_when_the_public_address_is_plain_http(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "http://192.168.1.20:5000")
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_signed_in_pages_and_downloads_are_never_stored(client, login, talent, make_user):
    login(talent)
    for path in ("/", "/account", "/lending/card", "/lending/card.png"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "private, no-store", path
    staff = make_user(Role.LAB_MANAGER)
    login(staff)
    response = client.get(f"/lending/cards/{talent.id}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"


def test_anonymous_pages_and_static_files_stay_cacheable(client, login, talent):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    login(talent)
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")


def test_a_public_item_photo_stays_cacheable_even_signed_in(db, client, login, make_lab, make_user):
    manager = make_user(Role.LAB_MANAGER)
    item = inventory.create_item(None, make_lab(), inventory.ItemFields(name="Grille-pain", kind=ItemKind.TOOL))
    photo = inventory.add_photo(manager, item, io.BytesIO(imaging.jpeg_bytes()))
    db.session.commit()
    login(manager)
    response = client.get(f"/inventory/photos/{photo.id}/thumb")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=86400"
