"""Error pages in the user's language, CSRF refusals, security headers and the health check."""

import pytest
import sqlalchemy as sa

from repairlab import create_app
from repairlab.config import ConfigError
from repairlab.extensions import db as _db
from repairlab.people.models import Territory


@pytest.fixture
def crashing_app(database_url, tmp_path):
    """A separate app with routes that fail on purpose."""
    application = create_app(
        {
            "REPAIRLAB_ENV": "testing",
            "SECRET_KEY": "x",
            "DATABASE_URL": database_url,
            "WTF_CSRF_ENABLED": False,
            "MAX_CONTENT_LENGTH": 1024,
            "STORAGE_PATH": str(tmp_path),
        }
    )

    @application.route("/boom")
    def boom():
        raise RuntimeError("unexpected")

    @application.route("/upload", methods=["POST"])
    def upload():
        from flask import request

        return str(len(request.files))

    return application


def test_unknown_page_is_a_friendly_404_in_french(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="fr">' in html and "Page introuvable" in html


def test_error_page_in_english_after_switching(client):
    client.post("/language", data={"lang": "en"})
    response = client.get("/no/such/page")
    assert "Page not found" in response.get_data(as_text=True)


def test_forbidden_page(client, login, make_user):
    login(make_user())
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Accès refusé" in response.get_data(as_text=True)


def test_unexpected_error_gives_a_500_page_not_a_traceback(crashing_app):
    response = crashing_app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Traceback" not in html and "RuntimeError" not in html
    assert "Une erreur inattendue" in html


def test_too_large_upload_gives_413(crashing_app):
    response = crashing_app.test_client().post("/upload", data={"f": (__import__("io").BytesIO(b"x" * 5000), "a.bin")})
    assert response.status_code == 413
    assert "trop volumineux" in response.get_data(as_text=True)


def test_bad_request_gives_400_page(client, csrf_enabled):
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "Rechargez la page" in response.get_data(as_text=True)


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, login, admin, csrf_enabled, db):
    login(admin)
    response = client.post("/admin/territories/new", data={"code": "LIL", "name": "Lille"})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(Territory).where(Territory.code == "LIL")) is None


def test_post_with_csrf_token_goes_through(client, login, admin, csrf_enabled, db):
    login(admin)
    html = client.get("/admin/territories/new").get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/admin/territories/new", data={"code": "LIL", "name": "Lille", "csrf_token": token})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Territory).where(Territory.code == "LIL")).name == "Lille"


def test_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_the_database_is_unreachable(tmp_path):
    application = create_app(
        {"REPAIRLAB_ENV": "testing", "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"}
    )
    response = application.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] != "ok"


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"REPAIRLAB_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"})


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="REPAIRLAB_ENV"):
        create_app({"REPAIRLAB_ENV": "staging", "SECRET_KEY": "x"})


def test_configuration_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://labs.example.org/")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite3")
    application = create_app({"REPAIRLAB_ENV": "production"})
    assert application.config["SECRET_KEY"] == "from-env"
    assert application.config["PUBLIC_BASE_URL"] == "https://labs.example.org"
    assert application.config["SESSION_COOKIE_SECURE"] is True


def test_postgres_urls_use_psycopg3(monkeypatch):
    from repairlab.config import _normalise_db_url

    assert _normalise_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _normalise_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_sqlite_has_foreign_keys_and_wal(app, db):
    if _db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite-only pragmas")
    with _db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
