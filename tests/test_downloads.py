"""Every download (CSV, PDF, PNG, SVG, JPEG, JSON) read to its last byte through a real HTTP server.

The Flask test client drains a streamed body inside the request's context, so a body that only breaks once the view
has returned (a closed database session, a popped context) looks fine there; these tests read what a browser gets.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import sqlalchemy as sa
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from repairlab.inventory import csv_io
from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemKind
from repairlab.lending.models import MemberCard
from repairlab.people.models import Role
from repairlab.skills import catalogue, validations
from tests.inventory import imaging


def _make_items(db, lab, names, **fields):
    items = [
        inventory.create_item(None, lab, inventory.ItemFields(name=n, kind=ItemKind.TOOL, **fields)) for n in names
    ]
    db.session.commit()
    return items


def test_the_inventory_export_streams_every_row(db, make_lab, make_user, live_client):
    lab = make_lab("Atelier Roubaix")
    items = _make_items(db, lab, [f"Perceuse {n:03}" for n in range(1, 1201)], brand="Bosch")
    visitor = live_client(make_user(Role.LAB_MANAGER))
    response = visitor.get("/inventory/export.csv?status=all")
    assert response.status == 200 and response.headers.get_content_type() == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.text
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(rows[0]) == csv_io.COLUMNS
    assert sorted(r["code"] for r in rows) == sorted(i.code for i in items)
    assert {r["name"] for r in rows} == {i.name for i in items} and {r["brand"] for r in rows} == {"Bosch"}


def _qr_texts(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png))
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def test_a_label_sheet_pdf_holds_every_label(db, make_lab, make_user, live_client):
    items = _make_items(db, make_lab(), [f"Fer à souder {n}" for n in range(1, 26)])
    visitor = live_client(make_user(Role.LAB_MANAGER))
    first, last = items[0].code, items[-1].code
    response = visitor.get(f"/labels/sheet.pdf?from={first}&to={last}&layout=a4-3x7")
    assert response.status == 200 and response.headers.get_content_type() == "application/pdf"
    assert int(response.headers["Content-Length"]) == len(response.body)
    reader = PdfReader(io.BytesIO(response.body))
    assert len(reader.pages) == 2  # 21 labels a sheet, then 4
    text = "".join(page.extract_text() for page in reader.pages)
    assert all(item.code in text for item in items) and "Fer à souder 25" in text


def test_one_label_as_png_and_svg(db, make_lab, make_user, live_client):
    [item] = _make_items(db, make_lab(), ["Multimètre"])
    visitor = live_client(make_user(Role.LAB_MANAGER))
    png = visitor.get(f"/labels/{item.code}.png")
    assert png.status == 200 and png.headers.get_content_type() == "image/png"
    assert _qr_texts(png.body) == [f"https://repairlab.test/q/{item.code}"]
    svg = visitor.get(f"/labels/{item.code}.svg")
    assert svg.status == 200 and svg.headers.get_content_type() == "image/svg+xml"
    texts = "".join(ET.fromstring(svg.body).itertext())
    assert item.code in texts and "Multimètre" in texts


def test_member_cards_as_png(db, talent, make_user, live_client):
    own = live_client(talent).get("/lending/card.png")
    assert own.status == 200 and own.headers.get_content_type() == "image/png"
    [url] = _qr_texts(own.body)
    card = db.session.scalar(sa.select(MemberCard).where(MemberCard.user_id == talent.id))
    assert url == f"https://repairlab.test/m/{card.token}"
    staff = live_client(make_user(Role.LAB_MANAGER)).get(f"/lending/cards/{talent.id}/card.png")
    assert staff.status == 200 and _qr_texts(staff.body) == [url]


def test_an_open_badge_credential_as_json(db, talent, make_user, live_client):
    admin = make_user(Role.ADMIN)
    domain = catalogue.create_domain(admin, name="Électronique")
    skill = catalogue.create_skill(admin, domain=domain, name="Soudure à l'étain")
    validation = validations.validate_skill(make_user(Role.MENTOR), talent, skill, level=2)
    db.session.commit()
    response = live_client().get(f"/v/{validation.token}.json")
    assert response.status == 200 and response.headers.get_content_type() == "application/ld+json"
    doc = json.loads(response.body)
    assert doc["id"] == f"https://repairlab.test/v/{validation.token}"
    assert "Soudure à l'étain" in doc["credentialSubject"]["achievement"]["name"]
    assert talent.full_name not in response.text


def test_an_item_photo_and_its_thumbnail_as_jpeg(db, make_lab, make_user, live_client):
    [item] = _make_items(db, make_lab(), ["Grille-pain"])
    photo = inventory.add_photo(make_user(Role.LAB_MANAGER), item, io.BytesIO(imaging.jpeg_bytes((1200, 900))))
    db.session.commit()
    for variant, size in (("full", (1200, 900)), ("thumb", (400, 300))):
        response = live_client().get(f"/inventory/photos/{photo.id}/{variant}")
        assert response.status == 200 and response.headers.get_content_type() == "image/jpeg"
        assert int(response.headers["Content-Length"]) == len(response.body)
        with Image.open(io.BytesIO(response.body)) as image:
            image.load()  # the whole image decodes: nothing cut off
            assert image.size == size


def test_the_health_check_as_json(live_client):
    response = live_client().get("/healthz")
    assert response.status == 200 and json.loads(response.body) == {"status": "ok", "database": "ok"}
