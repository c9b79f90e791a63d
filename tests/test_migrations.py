"""The database built by the migrations matches the models: no pending autogenerate diff, and the same search
index (the DDL the models attach to their tables, which Alembic does not compare) as create_all() builds."""

import os

import pytest
import sqlalchemy as sa
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


def _include_name(name, type_, parent_names):
    # The same filter as migrations/env.py: the text index of item search is compared below, apart.
    return name not in db.metadata.info.get("unmanaged_names", ())


def unmanaged_schema(conn) -> dict[str, str]:
    """The definition of each schema object the models create by DDL of their own, by name."""
    names = sorted(db.metadata.info.get("unmanaged_names", ()))
    if conn.dialect.name == "sqlite":
        rows = conn.execute(
            sa.text("SELECT name, sql FROM sqlite_master WHERE name IN :names OR tbl_name IN :names").bindparams(
                sa.bindparam("names", expanding=True)
            ),
            {"names": names},
        )
    else:
        rows = conn.execute(
            sa.text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN :names "
                "UNION ALL SELECT extname, extname FROM pg_extension WHERE extname = 'pg_trgm'"
            ).bindparams(sa.bindparam("names", expanding=True)),
            {"names": names},
        )
    return dict(rows.tuples().all())


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
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": _include_name})
            diff = compare_metadata(context, db.metadata)
            migrated = unmanaged_schema(conn)
        db.engine.dispose()
    assert diff == [], f"the models differ from the migrations; run `flask db migrate`: {diff}"
    with db.engine.connect() as conn:  # the test database, built by create_all()
        created = unmanaged_schema(conn)
    assert len(created) >= 2, created  # the index and pg_trgm, or the FTS5 table, its own tables and triggers
    assert migrated == created, sorted(set(migrated.items()) ^ set(created.items()))
