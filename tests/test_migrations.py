"""The database built by the migrations matches the models: no pending autogenerate diff."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from repairlab import create_app
from repairlab.extensions import db
from tests.conftest import fresh_postgres_database


@pytest.fixture
def empty_database_url(tmp_path, worker_id):
    if os.environ.get("TEST_DATABASE_URL"):
        yield fresh_postgres_database(f"migrations_{worker_id}")
        fresh_postgres_database(f"migrations_{worker_id}", drop=True)
    else:
        yield f"sqlite:///{tmp_path}/migrated.sqlite3"


def test_migrations_match_the_models(empty_database_url, tmp_path):
    application = create_app(
        {
            "REPAIRLAB_ENV": "testing",
            "SECRET_KEY": "x",
            "DATABASE_URL": empty_database_url,
            "STORAGE_PATH": str(tmp_path),
        }
    )
    with application.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"the models differ from the migrations; run `flask db migrate`: {diff}"
