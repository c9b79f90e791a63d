"""Fixtures: an app on SQLite (or PostgreSQL when TEST_DATABASE_URL is set), a clean database per test,
a client, and make_* factories."""

from __future__ import annotations

import itertools
import os
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url
from werkzeug.serving import WSGIRequestHandler, make_server

from repairlab import create_app
from repairlab.extensions import db as _db
from repairlab.people import services as people
from repairlab.people.models import Cohort, Lab, Role, Territory, Track, User
from repairlab.repairs.reference import ensure_reference_data
from tests.live import LiveClient

TEST_PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def pytest_addoption(parser):
    """`--clock=2026-12-31T23:30+01:00` (or TEST_CLOCK): run the whole suite as if it started at that instant."""
    parser.addoption("--clock", default=os.environ.get("TEST_CLOCK", ""), help="ISO instant the suite starts at")


def pytest_configure(config):
    """Keep every app the suite builds (and every command it runs) out of the repository's instance/ folder: its
    own temporary one instead. Move the clock of the whole run when --clock is given (it then ticks on)."""
    os.environ["REPAIRLAB_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="repairlab-test-instance-")
    at = config.getoption("--clock")
    if at:
        instant = datetime.fromisoformat(at)
        if instant.tzinfo is None:
            raise pytest.UsageError("--clock needs a time zone, e.g. 2026-12-31T23:30+01:00")
        time_machine.travel(instant.astimezone(UTC), tick=True).start()  # the server in UTC, as most are


def fresh_postgres_database(suffix: str, *, drop: bool = False, base_url: str | None = None) -> str:
    """Create afresh (or only drop) a PostgreSQL database named after TEST_DATABASE_URL's (or base_url's); return its
    URL."""
    base_url = base_url or os.environ["TEST_DATABASE_URL"]
    base = make_url(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{base.database}_{suffix}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not drop:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _postgres_url(worker: str) -> str:
    """One PostgreSQL database per xdist worker."""
    return fresh_postgres_database(worker)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id: str) -> str:
    """The test database of this worker."""
    if os.environ.get("TEST_DATABASE_URL"):
        return _postgres_url(worker_id)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in a fresh app context, as in production.

    Without this, requests would reuse the test's app context: its `g` (the logged-in user cached by
    Flask-Login) and its database session would leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory):
    """The application, configured for tests, with the schema created once per worker."""
    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        instance_path=str(instance),
        test_config={
            "REPAIRLAB_ENV": "testing",
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "DATABASE_URL": database_url,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashes: tests create many users
            "PUBLIC_BASE_URL": "https://repairlab.test",
            "STORAGE_PATH": str(instance / "storage"),
            "SERVER_NAME": None,
        },
    )
    application.test_client_class = IsolatedClient
    with application.app_context():
        _db.create_all()
        ensure_reference_data()
        _db.session.commit()
    yield application
    with application.app_context():
        _db.engine.dispose()


def _clear_tables() -> None:
    """Delete every row, children first; sequences restart on PostgreSQL."""
    _db.session.rollback()
    # Reference tables (the ORDS categories, the impact constants) keep the rows the migration gives them.
    tables = [t for t in reversed(_db.metadata.sorted_tables) if not t.info.get("reference_data")]
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        with _db.engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return
    with _db.engine.connect() as conn:
        # Self-referencing tables (nested places, categories) cannot be emptied row by row with checks on.
        # (pysqlite sends no BEGIN for a PRAGMA, so it takes effect; commit() only ends SQLAlchemy's autobegin.)
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        try:
            for table in tables:
                conn.execute(table.delete())
            conn.commit()
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


@pytest.fixture(autouse=True)
def db(app) -> Iterator:
    """The database session inside an app context; every table is emptied after the test."""
    with app.app_context():
        yield _db
        _db.session.remove()
        _clear_tables()


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def csrf_enabled(app, monkeypatch):
    """Turn CSRF protection back on (it is off in tests unless a test asks for it)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


class _QuietHandler(WSGIRequestHandler):
    """Do not log every request; errors are still logged."""

    def log_request(self, code="-", size="-"):
        pass


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The test app served by Werkzeug on 127.0.0.1 and a free port, in a daemon thread; yields its base URL.

    Requests run in their own app context and database session, so they see what the factories committed. Used by
    the browser tests and by every test of a download, whose body must stream to the end through a real server.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def live_client(live_server):
    """Open a real HTTP visitor of the live server, logged in when given a user: live_client(manager)."""

    def open_client(user: User | None = None, password: str = TEST_PASSWORD) -> LiveClient:
        visitor = LiveClient(live_server)
        if user is not None:
            visitor.log_in(user.email, password)
        return visitor

    return open_client


# --- Factories ------------------------------------------------------------------------------------


@pytest.fixture
def make_territory(db):
    """Create a territory: make_territory("RBX", "Roubaix-Lille")."""

    def make(code: str | None = None, name: str | None = None) -> Territory:
        n = next(_counter)
        territory = people.create_territory(None, code=code or _letters(n), name=name or f"Territoire {n}")
        db.session.commit()
        return territory

    return make


def _letters(n: int) -> str:
    """A unique 3-letter territory code for a number."""
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "T" + letters[(n // len(letters)) % len(letters)] + letters[n % len(letters)]


@pytest.fixture
def territory(make_territory) -> Territory:
    """A default territory."""
    return make_territory("RBX", "Roubaix-Lille")


@pytest.fixture
def make_lab(db, territory):
    """Create a lab."""

    def make(name: str | None = None, territory_: Territory | None = None) -> Lab:
        lab = people.create_lab(None, territory=territory_ or territory, name=name or f"Atelier {next(_counter)}")
        db.session.commit()
        return lab

    return make


@pytest.fixture
def make_cohort(db, territory):
    """Create a cohort."""

    def make(name: str | None = None, territory_: Territory | None = None, target: int = 100) -> Cohort:
        cohort = people.create_cohort(
            None,
            territory=territory_ or territory,
            name=name or f"Promotion {next(_counter)}",
            start_date=date(2026, 1, 5),
            end_date=date(2026, 12, 18),
            target_talents=target,
        )
        db.session.commit()
        return cohort

    return make


@pytest.fixture
def make_user(db, territory):
    """Create an account: make_user(Role.MENTOR), make_user("admin", email=...)."""

    def make(
        role: Role | str = Role.PARTICIPANT,
        *,
        territory_: Territory | None = None,
        email: str | None = None,
        name: str | None = None,
        password: str = TEST_PASSWORD,
        active: bool = True,
        **extra,
    ) -> User:
        role = Role(role)
        terr = None if not role.needs_territory else (territory_ or territory)
        n = next(_counter)
        user = people.create_user(
            None,
            email=email or f"user{n}@example.org",
            full_name=name or f"Personne {n}",
            password=password,
            role=role,
            territory=terr,
            **extra,
        )
        user.active = active
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    """Log a user in on the test client, without going through the form."""

    def do(user: User, test_client=None):
        c = test_client or client
        # The token as the database holds it now: a logout in an earlier request replaced it.
        token = _db.session.scalar(sa.select(User.session_token).where(User.id == user.id))
        with c.session_transaction() as sess:
            sess["_user_id"] = f"{user.id}:{token}"
            sess["_fresh"] = True
        return c

    return do


@pytest.fixture
def admin(make_user) -> User:
    """An administrator."""
    return make_user(Role.ADMIN, name="Ada Admin", email="admin@example.org")


@pytest.fixture
def talent(make_user, make_cohort) -> User:
    """A talent in a cohort."""
    return make_user(Role.PARTICIPANT, cohort=make_cohort(), track=Track.EMPLOYMENT)


@pytest.fixture
def still_clock():
    """The clock stopped at the test's start: two renders compared (served again or not) fall in the same minute,
    whatever the hour the suite runs at."""
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def fresh_renders(app, monkeypatch):
    """Every page is rendered from the database, none served again (repairlab/freshness.py): for tests that count
    a render's queries, or change a constant of the code rather than the data."""
    monkeypatch.setitem(app.config, "RESULTS_KEPT", False)


@pytest.fixture
def query_counter(db):
    """Count the SQL statements run inside a `with query_counter() as count:` block (count.value)."""
    from contextlib import contextmanager

    class Count:
        value = 0
        statements: list[str]

    @contextmanager
    def counting():
        count = Count()
        count.statements = []

        def on_execute(conn, cursor, statement, parameters, context, executemany):
            count.value += 1
            count.statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", on_execute)
        try:
            yield count
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", on_execute)

    return counting
