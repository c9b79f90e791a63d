"""The database built by the migrations matches the models: no pending autogenerate diff."""

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from repairlab import create_app
from repairlab.extensions import db


@pytest.fixture
def empty_database_url(tmp_path, worker_id):
    if os.environ.get("TEST_DATABASE_URL"):
        base = make_url(os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
        name = f"{base.database}_migrations_{worker_id}"
        admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        yield f"sqlite:///{tmp_path}/migrated.sqlite3"


def test_migrations_match_the_models(empty_database_url, tmp_path):
    application = create_app({"REPAIRLAB_ENV": "testing", "SECRET_KEY": "x", "DATABASE_URL": empty_database_url,
                              "STORAGE_PATH": str(tmp_path)})
    with application.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"the models differ from the migrations; run `flask db migrate`: {diff}"
