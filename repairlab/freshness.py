"""Data versions, and what is computed from them: a result reused, by any worker on any host, until one of the
tables it was computed from changes.

Every committed write raises a counter per table it wrote to (`data_versions`), in the same transaction, just before
the commit: the ORM's flushes, Core statements and textual ones alike, from a page, a command or a test. The counter
lives in the database, so every gunicorn worker and every host sees the same one; nothing kept in a process can go
stale, because a result is only ever reused after reading the counters of the tables it read and finding them
unchanged.

`remember(key, compute)` runs `compute()` once, records the tables its queries read, and reuses its result while
those tables' counters are the ones read before it ran (one query to check). A result that depends on the time is
keyed by the clock's minute too (`per_minute`). Never key a result by less than what it shows: a result that differs
per person must have the person in its key.

PostgreSQL: the counters are raised in a sorted order by an upsert at commit time, so writers of the same table wait
for each other only for the length of a commit, and never deadlock on the counters.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import visitors

from repairlab.extensions import db

T = TypeVar("T")

EVERY_TABLE = "*"  # the counter of writes whose table is unknown (textual SQL, TRUNCATE): every result reads it
_KEPT = 512  # results kept per worker (least recently used go first)
_WRITE = re.compile(r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)
_INFO_KEY = "repairlab_written_tables"
UNCOUNTED = "repairlab_uncounted"  # a connection whose writes are not counted (Alembic's, see migrations/env.py)

# The tables read by the queries of the result being computed (None: no result is being computed).
_reading: ContextVar[set[str] | None] = ContextVar("repairlab_reading", default=None)


class DataVersion(db.Model):
    """How many committed transactions have written to a table."""

    __tablename__ = "data_versions"
    # Never emptied between tests: the counters only ever grow, so a result computed before cannot match again.
    __table_args__ = ({"info": {"reference_data": True}},)

    table_name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)


def init_app(app: Flask) -> None:
    """Count every committed write of this app's engine; keep this app's results."""
    app.extensions["freshness"] = _Results()
    with app.app_context():
        engine = db.engine
    if sa.event.contains(engine, "before_execute", _before_execute):
        return
    sa.event.listen(engine, "before_execute", _before_execute)
    sa.event.listen(engine, "commit", _on_commit)
    sa.event.listen(engine, "rollback", _on_rollback)


def _written_table(statement: Any) -> str | None:
    """The table a statement writes to; EVERY_TABLE when it writes to one that cannot be told; None for a read."""
    if isinstance(statement, sa.sql.dml.UpdateBase):
        table = getattr(statement, "table", None)
        return getattr(table, "name", None) or EVERY_TABLE
    if isinstance(statement, sa.TextClause):
        text = statement.text
        found = _WRITE.match(text)
        if found:
            return found.group(1).lower()
        if re.match(r"^\s*(TRUNCATE|ALTER|DROP|CREATE|REPLACE)\b", text, re.IGNORECASE):
            return EVERY_TABLE
    return None


def _before_execute(conn, clauseelement, _multiparams, _params, _execution_options):
    written = _written_table(clauseelement)
    if written is not None:
        if written != DataVersion.__tablename__:
            conn.info.setdefault(_INFO_KEY, set()).add(written)
        return
    reading = _reading.get()
    if reading is None:
        return
    reading.update(_tables_read(clauseelement))


def _tables_read(statement: Any) -> set[str]:
    """The tables a query reads, by name; {EVERY_TABLE + "all"} when that cannot be told for sure (textual SQL, or a
    table outside the schema such as SQLite's text indexes, which triggers fill)."""
    every = {EVERY_TABLE + "all"}
    if not isinstance(statement, sa.sql.ClauseElement):
        return every
    known = db.metadata.tables
    names: set[str] = set()
    for element in visitors.iterate(statement):
        if isinstance(element, sa.TextClause):
            return every
        if isinstance(element, sa.TableClause):
            if element.name not in known:
                return every
            names.add(element.name)
    return names or every


_UPSERT = {
    "sqlite": "INSERT INTO data_versions (table_name, version) VALUES (?, 1) "
    "ON CONFLICT (table_name) DO UPDATE SET version = data_versions.version + 1",
    "postgresql": "INSERT INTO data_versions (table_name, version) VALUES (%s, 1) "
    "ON CONFLICT (table_name) DO UPDATE SET version = data_versions.version + 1",
}


def _on_commit(conn) -> None:
    written = conn.info.pop(_INFO_KEY, None)
    if not written or conn.info.get(UNCOUNTED):
        return
    # Through the driver's own cursor, in the transaction being committed (SQLAlchemy is committing it already).
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        sql = _UPSERT[conn.dialect.name]
        for name in sorted(written):
            cursor.execute(sql, (name,))
    finally:
        cursor.close()


def _on_rollback(conn) -> None:
    conn.info.pop(_INFO_KEY, None)


def versions(names: set[str] | None = None) -> dict[str, int]:
    """The counters of these tables (of every table written to once, without names)."""
    query = sa.select(DataVersion.table_name, DataVersion.version)
    if names is not None:
        query = query.where(DataVersion.table_name.in_(sorted(names | {EVERY_TABLE})))
    return dict(db.session.execute(query).tuples().all())


class _Results:
    """Results with the counters they were computed at, least recently used first."""

    def __init__(self) -> None:
        self.entries: OrderedDict[Hashable, tuple[frozenset[str] | None, dict[str, int], Any]] = OrderedDict()
        self.lock = threading.Lock()


def _unwritten_in_transaction() -> bool:
    """Whether this request's transaction has written nothing yet: a result read from uncommitted rows, which could
    still be rolled back, must not be kept."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        return False
    return _INFO_KEY not in session.connection().info


def remember(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or the result it gave for this key while none of the tables it read has changed since."""
    if not current_app.config.get("RESULTS_KEPT", True):
        return compute()
    results: _Results = current_app.extensions["freshness"]
    with results.lock:
        found = results.entries.get(key)
    if found is not None:
        tables, seen, value = found
        if versions(set(tables) if tables is not None else None) == seen:
            with results.lock:
                if key in results.entries:
                    results.entries.move_to_end(key)
            return value
    before = versions()  # read first: a write committed while computing makes the result look older, never newer
    token = _reading.set(set())
    try:
        value = compute()
        read = _reading.get()
    finally:
        _reading.reset(token)
    if not _unwritten_in_transaction():
        return value
    tables = None if EVERY_TABLE + "all" in read else frozenset(read)
    seen = before if tables is None else {n: v for n, v in before.items() if n in tables or n == EVERY_TABLE}
    with results.lock:
        results.entries[key] = (tables, seen, value)
        results.entries.move_to_end(key)
        while len(results.entries) > _KEPT:
            results.entries.popitem(last=False)
    return value
