"""`make serve`'s gunicorn (deploy/gunicorn.conf.py) in production mode on the suite's database: every line it logs is
JSON, one per request with its id, user id, route, status and duration, and none holds personal data; the request id
comes back in a header; without SECRET_KEY it refuses to start, and says why."""

from __future__ import annotations

import http.client
import json

from repairlab.inventory import services as inventory
from repairlab.inventory.models import ItemKind
from repairlab.people.models import Role
from tests.conftest import TEST_PASSWORD
from tests.live import LiveClient
from tests.ops.servers import Gunicorn


def test_gunicorn_in_production_logs_one_json_line_per_request_without_personal_data(
    db, database_url, tmp_path, make_user, make_lab
):
    lab = make_lab("Atelier Roubaix")
    talent = make_user(Role.PARTICIPANT, name="Zoé Emprunteuse", email="zoe.private@example.org")
    tool = inventory.create_item(None, lab, inventory.ItemFields(name="Perceuse-visseuse", kind=ItemKind.TOOL))
    db.session.commit()
    with Gunicorn(database_url=database_url, storage=tmp_path / "storage", instance=tmp_path / "instance") as server:
        visitor = LiveClient(server.base_url)
        visitor.log_in(talent.email, TEST_PASSWORD)
        page = visitor.get(f"/inventory/items/{tool.id}?q=zoe.private")
        assert page.status == 200 and "Perceuse-visseuse" in page.text
        assert len(page.headers["X-Request-ID"]) == 32
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", "/healthz", headers={"X-Request-ID": "lb-probe-0001"})
        health = conn.getresponse()
        assert health.status == 200 and health.headers["X-Request-ID"] == "lb-probe-0001"
        conn.close()
    records = server.records()  # every line parses as JSON
    assert any(r["logger"] == "gunicorn.error" and "Listening at" in r["message"] for r in records)
    requests = {(r["method"], r["route"]): r for r in records if r.get("event") == "request"}
    login = requests["POST", "/login"]
    assert login["status"] == 302 and login["user_id"] == talent.id
    item = requests["GET", "/inventory/items/<int:item_id>"]
    assert item["status"] == 200 and item["user_id"] == talent.id and item["duration_ms"] > 0
    assert item["request_id"] == page.headers["X-Request-ID"]
    assert requests["GET", "/healthz"]["request_id"] == "lb-probe-0001"
    assert requests["GET", "/healthz"]["user_id"] is None
    everything = "\n".join(server.lines)
    for private in ("zoe.private", "Zoé", "Emprunteuse", "?q=", TEST_PASSWORD):
        assert private not in everything, private


def test_gunicorn_in_production_refuses_to_start_without_a_secret_key(database_url, tmp_path):
    server = Gunicorn(
        database_url=database_url, storage=tmp_path / "storage", instance=tmp_path / "instance", SECRET_KEY=""
    )
    try:
        server.wait_for_line("SECRET_KEY is not set")
        assert server.process.wait(timeout=60) != 0
    finally:
        server.stop()
    # gunicorn logs the worker's exception (as JSON, with its traceback), then prints its message again, as is.
    plain = [line for line in server.lines if not line.startswith("{")]
    assert len(plain) == 1 and plain[0].startswith("SECRET_KEY is not set. RepairLab refuses to start in production")
    records = [json.loads(line) for line in server.lines if line not in plain]
    [failure] = [r for r in records if "SECRET_KEY is not set" in r.get("traceback", "")]
    assert failure["level"] == "ERROR" and failure["error"] == "ConfigError"
    assert failure["message"] == "Exception in worker process"
