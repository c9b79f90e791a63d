"""Production serving: request ids, one JSON log line per request without personal data, the 500 page's reference,
the 503 page while the database does not answer (and the recovery without a restart), the 413 page through a real
server, and the proxy headers."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil

import pytest
import sqlalchemy as sa
from flask import request

from repairlab import create_app
from repairlab.extensions import db as _db
from repairlab.logs import JsonFormatter
from repairlab.people import services as people
from repairlab.people.models import Role
from repairlab.repairs.reference import ensure_reference_data
from tests.conftest import TEST_PASSWORD, IsolatedClient, fresh_postgres_database
from tests.ops.conftest import instance_config

HEX_ID = re.compile(r"[0-9a-f]{32}")


def test_every_response_carries_a_request_id_a_sane_given_one_kept(client):
    made = client.get("/login").headers["X-Request-ID"]
    assert HEX_ID.fullmatch(made)
    assert client.get("/login").headers["X-Request-ID"] != made
    given = "edge-7f3a.42:1"
    assert client.get("/login", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given
    for insane in ("has space", "x" * 200, "<script>", "-leading-dash", "é"):
        answered = client.get("/login", headers={"X-Request-ID": insane}).headers["X-Request-ID"]
        assert HEX_ID.fullmatch(answered), insane


def _json_lines(caplog, logger: str) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records if record.name == logger]


def test_one_json_line_per_request_with_the_route_never_the_path_nor_personal_data(
    client, login, make_user, make_lab, caplog
):
    talent = make_user(Role.PARTICIPANT, name="Zoé Emprunteuse", email="zoe.private@example.org")
    make_lab("Atelier Roubaix")
    login(talent)
    with caplog.at_level(logging.INFO, logger="repairlab.requests"):
        response = client.get("/people/search-me/no?q=zoe.private@example.org")  # no such route: 404
        account = client.get("/account?tab=zoe.private", headers={"X-Request-ID": "from-the-proxy-1"})
    assert account.status_code == 200
    missing, seen = _json_lines(caplog, "repairlab.requests")
    assert seen == {
        "time": seen["time"],
        "level": "INFO",
        "logger": "repairlab.requests",
        "message": "GET /account 200",
        "event": "request",
        "method": "GET",
        "route": "/account",
        "endpoint": "people.account",
        "status": 200,
        "duration_ms": seen["duration_ms"],
        "user_id": talent.id,
        "request_id": "from-the-proxy-1",
    }
    assert isinstance(seen["duration_ms"], float) and seen["duration_ms"] >= 0
    assert (missing["status"], missing["route"], missing["request_id"]) == (
        404,
        None,
        response.headers["X-Request-ID"],
    )
    text = caplog.text + json.dumps([missing, seen])
    assert "zoe.private" not in text and "Zoé" not in text and "search-me" not in text


def test_a_route_with_an_id_is_logged_as_declared(client, login, admin, caplog):
    login(admin)
    with caplog.at_level(logging.INFO, logger="repairlab.requests"):
        client.get(f"/people/{admin.id}")
    [line] = _json_lines(caplog, "repairlab.requests")
    assert line["route"] == "/people/<int:user_id>" and line["user_id"] == admin.id


@pytest.fixture
def crashing_app(database_url, tmp_path):
    application = create_app(
        {
            "REPAIRLAB_ENV": "testing",
            "SECRET_KEY": "x",
            "DATABASE_URL": database_url,
            "STORAGE_PATH": str(tmp_path),
            "TRUST_PROXY_HEADERS": True,
        }
    )
    application.test_client_class = IsolatedClient

    @application.route("/boom/<token>")
    def boom(token):
        raise RuntimeError("unexpected")

    @application.route("/whoami")
    def whoami():
        return f"{request.remote_addr} {request.scheme}"

    return application


def test_the_500_page_shows_the_request_id_logged_with_the_traceback(crashing_app, caplog):
    with caplog.at_level(logging.INFO):
        response = crashing_app.test_client().get("/boom/secret-token", headers={"X-Request-ID": "ticket-500-a"})
    assert response.status_code == 500 and response.headers["X-Request-ID"] == "ticket-500-a"
    html = response.get_data(as_text=True)
    assert "Une erreur inattendue" in html and "Référence de cette erreur\u00a0: ticket-500-a" in html
    assert "Traceback" not in html
    [error] = _json_lines(caplog, "repairlab")
    assert error["level"] == "ERROR" and error["request_id"] == "ticket-500-a"
    assert error["message"] == "Unhandled error on GET /boom/<token>" and error["error"] == "RuntimeError"
    assert error["traceback"].startswith("Traceback") and "RuntimeError: unexpected" in error["traceback"]
    assert "secret-token" not in caplog.text
    [line] = _json_lines(caplog, "repairlab.requests")
    assert (line["status"], line["request_id"]) == (500, "ticket-500-a")
    # As JSON for a client that asks for it; a page that is not a server error shows no reference.
    data = crashing_app.test_client().get("/boom/x", headers={"Accept": "application/json"}).get_json()
    assert HEX_ID.fullmatch(data["request_id"])
    assert "Référence" not in crashing_app.test_client().get("/no/such/page").get_data(as_text=True)


def test_proxy_headers_are_read_only_when_trusted(crashing_app, database_url, tmp_path):
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    trusted = crashing_app.test_client().get("/whoami", headers=forwarded)
    assert trusted.get_data(as_text=True) == "203.0.113.9 https"
    crashing_app.config["TRUST_PROXY_HEADERS"] = False
    plain = create_app({"REPAIRLAB_ENV": "testing", "SECRET_KEY": "x", "DATABASE_URL": database_url})
    plain.add_url_rule("/whoami", view_func=lambda: f"{request.remote_addr} {request.scheme}")
    assert plain.test_client().get("/whoami", headers=forwarded).get_data(as_text=True) == "127.0.0.1 http"


# --- The database does not answer ---------------------------------------------------------------------------------


class Outage:
    """An app on a database of its own, which the test can make unreachable and bring back."""

    def __init__(self, tmp_path, worker_id):
        self.pg_name = None
        if os.environ.get("TEST_DATABASE_URL"):
            self.pg_name = f"ops_outage_{worker_id}"
            self.url = fresh_postgres_database(self.pg_name)
        else:
            self.folder = tmp_path / "database"
            self.folder.mkdir()
            self.url = f"sqlite:///{self.folder}/repairlab.sqlite3"
        self.app = create_app(instance_config(self.url, tmp_path / "storage"), instance_path=str(tmp_path))
        self.app.test_client_class = IsolatedClient
        with self.app.app_context():
            _db.create_all()
            ensure_reference_data()
            territory = people.create_territory(None, code="RBX", name="Roubaix-Lille")
            manager = people.create_user(
                None,
                email="lina@example.org",
                full_name="Lina Gestionnaire",
                password=TEST_PASSWORD,
                role=Role.LAB_MANAGER,
                territory=territory,
            )
            people.create_lab(manager, territory=territory, name="Atelier Roubaix")
            _db.session.commit()
            self.user_id, self.token = manager.id, manager.session_token
            _db.session.remove()
            # As a server that has just started: no connection open yet (SQLite's would keep a moved file open).
            _db.engine.dispose()

    def client(self):
        client = self.app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = f"{self.user_id}:{self.token}"
        return client

    def _admin(self):
        base = os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
        return sa.create_engine(sa.engine.make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")

    def cut(self) -> None:
        """The database stops answering: its file's folder moved away, or the server refusing its connections."""
        if self.pg_name is None:
            self.folder.rename(self.folder.with_name("database-away"))
            return
        name = sa.engine.make_url(self.url).database
        admin = self._admin()
        with admin.connect() as conn:
            conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(
                sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
        admin.dispose()

    def restore(self) -> None:
        if self.pg_name is None:
            self.folder.with_name("database-away").rename(self.folder)
            return
        admin = self._admin()
        with admin.connect() as conn:
            conn.execute(sa.text(f'ALTER DATABASE "{sa.engine.make_url(self.url).database}" ALLOW_CONNECTIONS true'))
        admin.dispose()

    def close(self) -> None:
        with self.app.app_context():
            _db.engine.dispose()
        if self.pg_name:
            fresh_postgres_database(self.pg_name, drop=True)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def outage(tmp_path, worker_id):
    made = Outage(tmp_path, worker_id)
    yield made
    made.close()


PAGES = ("/", "/inventory/", "/lending/desk", "/people", "/repairs/tickets", "/guides/", "/account", "/no/such/page")


def test_while_the_database_does_not_answer_every_page_says_so_in_french_then_all_recovers(outage):
    client = outage.client()
    if outage.pg_name:  # PostgreSQL: the app serves, its pool holds connections, then the server refuses them
        assert client.get("/").status_code == 200
    outage.cut()
    for path in PAGES:
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 503, (path, response.status_code)
        assert '<html lang="fr">' in html and "Indisponible pour le moment" in html, path
        assert "ne parvient pas à joindre sa base de données" in html, path
        assert response.headers["Retry-After"] == "30" and "Référence de cette erreur" in html
        assert "Lina" not in html  # shown as signed out: the account could not be loaded
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json() == {"status": "error", "database": "unreachable"}
    # The JSON API answers with a problem document, in the same words.
    api = client.get("/api/v1/items", headers={"Authorization": "Bearer rl_abcdefabcdefabcdef"})
    assert api.status_code == 503 and api.headers["Content-Type"] == "application/problem+json"
    assert api.get_json()["title"] == "Indisponible pour le moment" and api.headers["Retry-After"] == "30"

    outage.restore()
    assert client.get("/healthz").status_code == 200
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == (404 if path == "/no/such/page" else 200), (path, response.status_code)
    assert "Lina" in client.get("/").get_data(as_text=True)


def test_a_body_over_the_limit_gets_the_413_page_through_a_real_server(app, live_client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    response = live_client().post("/login", {"email": "someone@example.org", "password": "x" * 8000})
    assert response.status == 413
    assert "Fichier trop volumineux" in response.text and '<html lang="fr">' in response.text
    assert HEX_ID.fullmatch(response.headers["X-Request-ID"])


def test_in_production_a_database_error_never_shows_the_values_of_its_statement(tmp_path):
    application = create_app(
        {"REPAIRLAB_ENV": "production", "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3"},
        instance_path=str(tmp_path),
    )
    with application.app_context():
        with pytest.raises(sa.exc.OperationalError) as raised:
            _db.session.execute(sa.text("SELECT * FROM no_such_table WHERE email = :e"), {"e": "zoe@example.org"})
        _db.session.remove()
        _db.engine.dispose()
    assert "no_such_table" in str(raised.value) and "zoe@example.org" not in str(raised.value)
