"""Data versions and remembered results (repairlab/freshness.py): a committed write to a table raises its counter,
whatever way it was written; a result is reused only while the tables it read are unchanged, by any worker."""

from __future__ import annotations

import sqlalchemy as sa

from repairlab import create_app
from repairlab.freshness import EVERY_TABLE, remember, versions
from repairlab.people.models import Lab, Territory
from tests.ops.conftest import instance_config


def _counter(db, table: str) -> int:
    return versions({table}).get(table, 0)


def test_a_committed_orm_write_raises_its_tables_counter_and_a_rollback_does_not(db, territory):
    before = _counter(db, "labs")
    territories = _counter(db, "territories")
    db.session.add(Lab(name="Atelier du Nord", territory_id=territory.id))
    db.session.commit()
    assert _counter(db, "labs") == before + 1
    assert _counter(db, "territories") == territories  # a table not written keeps its counter

    db.session.add(Lab(name="Atelier annulé", territory_id=territory.id))
    db.session.flush()
    db.session.rollback()
    assert _counter(db, "labs") == before + 1


def test_core_and_textual_writes_are_counted_too(db, territory):
    before = _counter(db, "territories")
    db.session.execute(sa.update(Territory).where(Territory.id == territory.id).values(name="Roubaix"))
    db.session.commit()
    assert _counter(db, "territories") == before + 1
    db.session.execute(sa.text("UPDATE territories SET name = 'Lille' WHERE id = :id"), {"id": territory.id})
    db.session.commit()
    assert _counter(db, "territories") == before + 2
    # A write whose table cannot be told raises the counter every result checks.
    every = _counter(db, EVERY_TABLE)
    db.session.execute(sa.text("CREATE TEMPORARY TABLE scratch (x INTEGER)"))
    db.session.commit()
    assert _counter(db, EVERY_TABLE) == every + 1


def _names() -> list[str]:
    from repairlab.extensions import db

    return list(db.session.scalars(sa.select(Lab.name).order_by(Lab.name)))


def test_a_result_is_reused_until_a_table_it_read_changes(app, db, territory, make_lab, make_user):
    make_lab("Atelier A")
    calls = []

    def compute():
        calls.append(1)
        return _names()

    assert remember(("labs", 1), compute) == ["Atelier A"]
    assert remember(("labs", 1), compute) == ["Atelier A"]
    assert len(calls) == 1
    make_user("mentor")  # another table: the result stands
    assert remember(("labs", 1), compute) == ["Atelier A"]
    assert len(calls) == 1
    make_lab("Atelier B")
    assert remember(("labs", 1), compute) == ["Atelier A", "Atelier B"]
    assert len(calls) == 2
    lab = db.session.scalar(sa.select(Lab).where(Lab.name == "Atelier A"))
    lab.name = "Atelier C"
    db.session.commit()
    assert remember(("labs", 1), compute) == ["Atelier B", "Atelier C"]
    assert len(calls) == 3


def test_a_result_read_from_uncommitted_rows_is_not_kept(app, db, territory, make_lab):
    make_lab("Atelier A")
    calls = []

    def compute():
        calls.append(1)
        return _names()

    db.session.add(Lab(name="Atelier provisoire", territory_id=territory.id))
    assert remember(("labs", 2), compute) == ["Atelier A", "Atelier provisoire"]
    db.session.rollback()
    assert remember(("labs", 2), compute) == ["Atelier A"]
    assert len(calls) == 2


def test_textual_queries_are_read_as_the_database_receives_them(app, db, territory, make_lab, make_user):
    make_lab("Atelier A")
    calls = []

    def count_labs():
        calls.append(1)
        sql = "WITH named AS (SELECT id FROM labs) SELECT count(*) FROM named"
        return db.session.execute(sa.text(sql)).scalar_one()

    assert remember(("count", 1), count_labs) == 1
    make_user("mentor")
    assert remember(("count", 1), count_labs) == 1
    assert len(calls) == 1
    make_lab("Atelier B")
    assert remember(("count", 1), count_labs) == 2
    assert len(calls) == 2

    # A name outside the schema (the engine's catalogue here): the result depends on every table.
    catalogue = "sqlite_master" if db.engine.dialect.name == "sqlite" else "pg_class"

    def count_catalogue():
        calls.append(1)
        return db.session.execute(sa.text(f"SELECT count(*) > 0 FROM {catalogue}")).scalar_one()

    assert remember(("catalogue", 1), count_catalogue)
    make_user("mentor")
    assert remember(("catalogue", 1), count_catalogue)
    assert len(calls) == 4


def test_another_worker_on_the_same_database_sees_the_change_at_once(app, db, territory, make_lab, tmp_path):
    """Two apps on one database stand for two gunicorn workers or two hosts: what one writes, the other's remembered
    result shows at the next read."""
    make_lab("Atelier A")
    other = create_app(instance_config(app.config["DATABASE_URL"], tmp_path / "storage"), instance_path=str(tmp_path))
    calls = []

    def compute():
        calls.append(1)
        return _names()

    assert remember(("labs", 3), compute) == ["Atelier A"]
    with other.app_context():
        from repairlab.extensions import db as other_db

        other_db.session.add(Lab(name="Atelier B", territory_id=territory.id))
        other_db.session.commit()
        other_db.session.remove()
        other_db.engine.dispose()
    db.session.rollback()  # end this test's read transaction, as a new request would
    assert remember(("labs", 3), compute) == ["Atelier A", "Atelier B"]
    assert len(calls) == 2


def test_rows_the_database_deletes_itself_count_as_written(db):
    """ON DELETE CASCADE: deleting a guide deletes its versions and their steps; those tables' counters rise too."""
    from repairlab.freshness import _cascades

    assert {"guide_versions", "guide_steps"} <= _cascades()["guides"]
    before = versions()
    db.session.execute(sa.text("DELETE FROM guides WHERE id = -1"))
    db.session.commit()
    after = versions()
    for table in ("guides", "guide_versions", "guide_steps"):
        assert after.get(table, 0) == before.get(table, 0) + 1


def test_a_result_used_while_computing_another_makes_the_other_depend_on_its_tables(app, db, make_lab):
    make_lab("Atelier A")
    calls = []

    def inner():
        return _names()

    def outer():
        calls.append(1)
        return [*remember(("inner", 1), inner), "fin"]

    remember(("inner", 1), inner)  # the inner result is kept first: the outer one then runs no query of labs
    assert remember(("outer", 1), outer) == ["Atelier A", "fin"]
    make_lab("Atelier B")
    assert remember(("outer", 1), outer) == ["Atelier A", "Atelier B", "fin"]
    assert len(calls) == 2


def test_the_results_kept_stay_within_their_memory_bound(app, db, make_lab):
    """A worker keeps at most a few MB of pages: the least recently used go first."""
    from flask import current_app

    from repairlab import freshness

    make_lab("Atelier A")
    page = "é" * 200_000  # a large page (two bytes a character)
    for n in range(60):
        remember(("big", n), lambda: page + _names()[0])
    results = current_app.extensions["freshness"]
    assert results.size <= freshness._KEPT_BYTES
    assert ("big", 59) in results.entries and ("big", 0) not in results.entries
    assert results.size == sum(results.sizes.values())


def test_writes_are_counted_after_the_migrations_ran_in_the_same_process(tmp_path):
    """Alembic's own writes are not counted; the app's writes on the same pooled connection afterwards are."""
    from flask_migrate import upgrade

    from repairlab.extensions import db as database
    from repairlab.people.models import Territory as T

    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app(instance_config(url, tmp_path / "storage"), instance_path=str(tmp_path))
    with app.app_context():
        upgrade()
        before = versions({"territories"}).get("territories", 0)
        database.session.add(T(code="MIG", name="Migrée"))
        database.session.commit()
        assert versions({"territories"}).get("territories", 0) == before + 1
        database.session.remove()
        database.engine.dispose()
