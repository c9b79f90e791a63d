"""Fixtures of the operations tests: separate instances (their own database and storage folder) beside the suite's."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from repairlab import create_app
from repairlab.extensions import db as _db
from tests.conftest import TEST_PASSWORD, IsolatedClient, fresh_postgres_database

_names = itertools.count(1)


@dataclass
class Instance:
    """One RepairLab installation: its app, database and storage folder."""

    app: Flask
    url: str
    storage: Path

    def tables(self) -> list[str]:
        """The tables of its database (none in a new one)."""
        engine = sa.create_engine(self.url)
        try:
            return sorted(sa.inspect(engine).get_table_names())
        finally:
            engine.dispose()

    def stored_files(self) -> dict[str, bytes]:
        """Every file of its storage folder, by path relative to it."""
        if not self.storage.is_dir():
            return {}
        return {p.relative_to(self.storage).as_posix(): p.read_bytes() for p in self.storage.rglob("*") if p.is_file()}

    def run(self, *args: str):
        """Run a `flask --app app` command of this instance; return click's result."""
        # In its own app context: the command would otherwise run in the suite's, pushed by the `db` fixture.
        with self.app.app_context():
            return self.app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


def instance_config(url: str, storage: Path) -> dict:
    return {
        "REPAIRLAB_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "STORAGE_PATH": str(storage),
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="module")
def new_instance(tmp_path_factory, worker_id) -> Iterator:
    """new_instance(): an installation on a new, empty database (a file, or a PostgreSQL database of its own when
    TEST_DATABASE_URL is set) with an empty storage folder; dropped at the end of the module."""
    tmp_path = tmp_path_factory.mktemp("instances")
    made: list[tuple[Instance, str | None]] = []

    def make() -> Instance:
        n = next(_names)
        folder = tmp_path / f"instance{n}"
        folder.mkdir()
        pg_name = None
        if os.environ.get("TEST_DATABASE_URL"):
            pg_name = f"ops_{worker_id}_{n}"
            url = fresh_postgres_database(pg_name)
        else:
            url = f"sqlite:///{folder}/repairlab.sqlite3"
        app = create_app(instance_config(url, folder / "storage"), instance_path=str(folder))
        app.test_client_class = IsolatedClient
        instance = Instance(app, url, folder / "storage")
        made.append((instance, pg_name))
        return instance

    yield make
    for instance, pg_name in made:
        with instance.app.app_context():
            _db.engine.dispose()
        if pg_name:
            fresh_postgres_database(pg_name, drop=True)


def log_in(instance: Instance, user_id: int):
    """A test client of the instance, logged in as the user (without the form)."""
    client = instance.app.test_client()
    with instance.app.app_context():
        token = _db.session.scalar(sa.text("SELECT session_token FROM users WHERE id = :id"), {"id": user_id})
    with client.session_transaction() as sess:
        sess["_user_id"] = f"{user_id}:{token}"
        sess["_fresh"] = True
    return client


__all__ = ["TEST_PASSWORD", "Instance", "instance_config", "log_in"]
