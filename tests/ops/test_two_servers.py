"""Two gunicorn servers (make serve's config, two ports) on one PostgreSQL database and one storage folder behave
as one: a loan made through the first is seen through the second, which refuses a second loan of the same tool with
the page's own words; a photo uploaded through the first is served by the second.

PostgreSQL only (TEST_DATABASE_URL, or CI_POSTGRES_URL, which .ci/run sets for its SQLite run too): skipped without
one locally, a failure on CI (CI=true), where it must run.
"""

from __future__ import annotations

import http.client
import io
import os
import re
import uuid

import pytest
import sqlalchemy as sa

from repairlab import create_app
from repairlab.extensions import db as _db
from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemKind, ItemPhoto
from repairlab.lending.models import Loan
from repairlab.people import services as people
from repairlab.people.models import Role
from repairlab.repairs.reference import ensure_reference_data
from tests.conftest import TEST_PASSWORD, fresh_postgres_database
from tests.inventory import imaging
from tests.live import LiveClient
from tests.ops.conftest import instance_config
from tests.ops.servers import Gunicorn

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("CI_POSTGRES_URL")
    if url:
        return url
    reason = "two servers share one PostgreSQL database: set TEST_DATABASE_URL (or CI_POSTGRES_URL)"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason} (CI=true: this test cannot be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def shared(tmp_path, worker_id):
    """A PostgreSQL database of its own, with a lab, two talents and a tool; and the storage folder of both servers."""
    name = f"ops_two_servers_{worker_id}"
    base = _postgres_url()
    url = fresh_postgres_database(name, base_url=base)
    app = create_app(instance_config(url, tmp_path / "storage"), instance_path=str(tmp_path / "setup"))
    with app.app_context():
        _db.create_all()
        ensure_reference_data()
        territory = people.create_territory(None, code="RBX", name="Roubaix-Lille")
        lab = people.create_lab(None, territory=territory, name="Atelier Roubaix")
        talents = [
            people.create_user(
                None,
                email=f"{first.lower()}@example.org",
                full_name=f"{first} Petit",
                password=TEST_PASSWORD,
                role=Role.PARTICIPANT,
                territory=territory,
            )
            for first in ("Zoe", "Mehdi")
        ]
        people.create_user(
            None,
            email="lina@example.org",
            full_name="Lina Gestionnaire",
            password=TEST_PASSWORD,
            role=Role.LAB_MANAGER,
            territory=territory,
        )
        tool = inventory.create_item(None, lab, inventory.ItemFields(name="Perceuse-visseuse", kind=ItemKind.TOOL))
        _db.session.commit()
        ids = {"tool": tool.id, "zoe": talents[0].id, "mehdi": talents[1].id}
        _db.session.remove()
    yield url, tmp_path / "storage", ids, app
    with app.app_context():
        _db.engine.dispose()
    fresh_postgres_database(name, drop=True, base_url=base)


def _csrf(page) -> str:
    return _CSRF.search(page.text).group(1)


def _upload(visitor: LiveClient, path: str, csrf_token: str, photo: bytes) -> int:
    """POST a photo as a multipart form, as a browser does; return the status."""
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf_token}\r\n'.encode())
    body.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="photo.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
    )
    body.write(photo + f"\r\n--{boundary}--\r\n".encode())
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Cookie": "; ".join(f"{k}={v}" for k, v in visitor.cookies.items()),
    }
    conn = http.client.HTTPConnection(visitor.host, visitor.port, timeout=30)
    try:
        conn.request("POST", path, body=body.getvalue(), headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_a_loan_made_through_one_server_is_seen_and_respected_by_the_other(shared, tmp_path):
    url, storage, ids, app = shared
    item_page = f"/inventory/items/{ids['tool']}"
    borrow = f"/lending/items/{ids['tool']}/borrow"
    first = Gunicorn(database_url=url, storage=storage, instance=tmp_path / "first")
    second = Gunicorn(database_url=url, storage=storage, instance=tmp_path / "second")
    try:
        with first.wait_until_listening(), second.wait_until_listening():
            # The desk of the second server, read twice (the second time served again, repairlab/freshness.py).
            desk = LiveClient(second.base_url)
            desk.log_in("lina@example.org", TEST_PASSWORD)
            for _ in range(2):
                assert "Perceuse-visseuse" not in desk.get("/lending/desk").text.split("<main", 1)[1]
            zoe = LiveClient(first.base_url)
            zoe.log_in("zoe@example.org", TEST_PASSWORD)
            page = zoe.get(item_page)
            assert "Perceuse-visseuse" in page.text
            response = zoe.post(borrow, {"kind": "in_lab", "csrf_token": _csrf(page)})
            assert response.status == 302
            assert "Emprunté\u00a0: à rendre au plus tard le" in zoe.get(item_page).text
            # The loan shows at once on the other server's desk: its page was checked against the shared database.
            assert "Perceuse-visseuse" in desk.get("/lending/desk").text.split("<main", 1)[1]

            mehdi = LiveClient(second.base_url)
            mehdi.log_in("mehdi@example.org", TEST_PASSWORD)
            page = mehdi.get(item_page)
            assert "Prêté jusqu’au" in page.text and f'action="{borrow}"' not in page.text
            token = _csrf(mehdi.get("/account"))
            response = mehdi.post(borrow, {"kind": "in_lab", "csrf_token": token})
            assert response.status == 302
            refused = mehdi.get(item_page).text
            assert "Cet outil n’est pas disponible\u00a0: il est «\u00a0prêté\u00a0»." in refused

            # One storage folder: a photo stored through the first server is served by the second.
            lina = LiveClient(first.base_url)
            lina.log_in("lina@example.org", TEST_PASSWORD)
            photo_url = f"/inventory/items/{ids['tool']}/photos"
            assert _upload(lina, photo_url, _csrf(lina.get(item_page)), imaging.jpeg_bytes((320, 240))) == 302
            with app.app_context():
                photo_id = _db.session.scalar(sa.select(ItemPhoto.id))
                _db.session.remove()
            served = LiveClient(second.base_url).get(f"/inventory/photos/{photo_id}/full")
            assert served.status == 200 and served.headers.get_content_type() == "image/jpeg"
            [stored] = [p for p in storage.rglob("*.jpg") if not p.name.endswith("_t.jpg")]
            assert served.body == stored.read_bytes()
    finally:
        first.stop()
        second.stop()
    with app.app_context():
        loans = _db.session.execute(sa.select(Loan.borrower_id, Loan.returned_at)).all()
        _db.session.remove()
    assert loans == [(ids["zoe"], None)]
    # Each server logged its part of it.
    for server, user in ((first, ids["zoe"]), (second, ids["mehdi"])):
        [line] = [r for r in server.records() if r.get("route") == "/lending/items/<int:item_id>/borrow"]
        assert (line["status"], line["user_id"]) == (302, user)
