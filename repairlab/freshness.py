"""Data versions, and what is computed from them: a result reused, by any worker on any host, until one of the
tables it was computed from changes.

Every committed write raises a counter per table it wrote to (`data_versions`), in the same transaction, just before
the commit: the ORM's flushes, Core statements and textual ones alike, from a page, a command or a test. The counter
lives in the database, so every gunicorn worker and every host sees the same one; nothing kept in a process can go
stale, because a result is only ever reused after reading the counters of the tables it read and finding them
unchanged.

`remember(key, compute)` runs `compute()` once, records the tables its queries read, and reuses its result while
those tables' counters are the ones read before it ran (one query to check). A result that depends on the time has
the clock's minute or day in its key (`clock.this_minute()`, `clock.today()`). Never key a result by less than what it
shows: a result that differs per person must have the person in its key.

PostgreSQL: the counters are raised in a sorted order by an upsert at commit time, so writers of the same table wait
for each other only for the length of a commit, and never deadlock on the counters.
"""

from __future__ import annotations

import functools
import re
import secrets
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.orm import Mapped, mapped_column

from repairlab.clock import this_minute
from repairlab.extensions import db

T = TypeVar("T")

EVERY_TABLE = "*"  # the counter of writes whose table is unknown (textual SQL, TRUNCATE): every result reads it
_ANY_TABLE = "*any"  # among the tables a result read: one that cannot be told, so the result depends on them all
_KEPT = 1024  # results kept per worker at most (least recently used go first)
_KEPT_BYTES = 4 * 1024 * 1024  # and at most this much memory (pages), so that a worker stays under 150 MB
_WRITE = re.compile(r"^\s*(INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)
_SCHEMA_CHANGE = re.compile(r"^\s*(TRUNCATE|ALTER|DROP|CREATE|REPLACE)\b", re.IGNORECASE)
_INFO_KEY = "repairlab_written_tables"
UNCOUNTED = "repairlab_uncounted"  # the execution option of a connection whose writes are not counted (Alembic's)

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
    sa.event.listen(engine, "before_cursor_execute", _before_cursor_execute)
    sa.event.listen(engine, "commit", _on_commit)
    sa.event.listen(engine, "rollback", _on_rollback)


def _written_table(statement: Any) -> tuple[str, bool] | None:
    """The table a statement writes to (EVERY_TABLE when it cannot be told) and whether it deletes; None for a read."""
    if isinstance(statement, sa.sql.dml.UpdateBase):
        table = getattr(statement, "table", None)
        return getattr(table, "name", None) or EVERY_TABLE, isinstance(statement, sa.Delete)
    if isinstance(statement, sa.TextClause):
        found = _WRITE.match(statement.text)
        if found:
            return found.group(2).lower(), found.group(1).upper().startswith("DELETE")
        if _SCHEMA_CHANGE.match(statement.text):
            return EVERY_TABLE, False
    return None


def _before_execute(conn, clauseelement, _multiparams, _params, _execution_options):
    written = _written_table(clauseelement)
    if written is None or written[0] == DataVersion.__tablename__:
        return
    table, deleting = written
    tables = conn.info.setdefault(_INFO_KEY, set())
    tables.add(table)
    if deleting:
        # The rows the database deletes or changes itself (ON DELETE CASCADE / SET NULL) are written too.
        tables.update(_cascades().get(table, ()))


@functools.cache
def _cascades() -> dict[str, frozenset[str]]:
    """For each table, the tables whose rows the database changes when one of its rows is deleted (transitively)."""
    direct: dict[str, set[str]] = {}
    for table in db.metadata.tables.values():
        for fk in table.foreign_keys:
            if (fk.ondelete or "").upper() in {"CASCADE", "SET NULL", "SET DEFAULT"}:
                direct.setdefault(fk.column.table.name, set()).add(table.name)
    out: dict[str, frozenset[str]] = {}
    for name in direct:
        seen, todo = set(), [name]
        while todo:
            for child in direct.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        out[name] = frozenset(seen)
    return out


_FROM = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+\"?(\w+)\"?", re.IGNORECASE)
_CTE = re.compile(
    r"(?:\bWITH(?:\s+RECURSIVE)?|,)\s+\"?(\w+)\"?(?:\s*\([^)]*\))?\s+AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?\(",
    re.IGNORECASE,
)


def _before_cursor_execute(_conn, _cursor, statement, _parameters, _context, _executemany):
    reading = _reading.get()
    if reading is not None:
        reading.update(_tables_read(statement))


def _tables_read(sql: str) -> set[str]:
    """The tables an SQL statement reads, by name, as the database receives it (the ORM's joined and select-in
    loads included); {_ANY_TABLE} when a name is neither a table of the schema nor one the statement
    defines (SQLite's text indexes, which triggers fill, or anything else that cannot be told)."""
    known = db.metadata.tables
    defined = {name.lower() for name in _CTE.findall(sql)}
    names: set[str] = set()
    for name in _FROM.findall(sql):
        if name == DataVersion.__tablename__:
            continue  # the check of a result used while computing this one (its tables are added by remember)
        if name in known:
            names.add(name)
        elif name.lower() not in defined:
            return {_ANY_TABLE}
    return names


_UPSERT = {
    "sqlite": "INSERT INTO data_versions (table_name, version) VALUES (?, 1) "
    "ON CONFLICT (table_name) DO UPDATE SET version = data_versions.version + 1",
    "postgresql": "INSERT INTO data_versions (table_name, version) VALUES (%s, 1) "
    "ON CONFLICT (table_name) DO UPDATE SET version = data_versions.version + 1",
}


def _on_commit(conn) -> None:
    written = conn.info.pop(_INFO_KEY, None)
    if not written or conn.get_execution_options().get(UNCOUNTED):
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
        self.sizes: dict[Hashable, int] = {}
        self.size = 0
        self.lock = threading.Lock()

    def keep(self, key: Hashable, entry: tuple) -> None:
        """Keep an entry (the caller holds the lock), then forget the least recently used beyond the bounds."""
        value = entry[2]
        # A page's size is known; figures are counted generously (an indicators page's tables: tens of kB), so that
        # results keyed by the minute, which the next minute leaves unused, cannot pile up.
        size = sys.getsizeof(value) if isinstance(value, str) else 64 * 1024
        self.size += size - self.sizes.get(key, 0)
        self.sizes[key] = size
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > _KEPT or (self.size > _KEPT_BYTES and len(self.entries) > 1):
            old, _ = self.entries.popitem(last=False)
            self.size -= self.sizes.pop(old)


def _nothing_written_yet() -> bool:
    """Whether this request's transaction has written nothing yet: a result read from uncommitted rows, which could
    still be rolled back, must not be kept."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        return False
    return _INFO_KEY not in session.connection().info


def remember(key: Hashable, compute: Callable[[], T], keep: Callable[[T], bool] = lambda _value: True) -> T:
    """compute(), or the result it gave for this key while none of the tables it read has changed since (a result
    `keep` refuses is given as it is, and computed again next time)."""
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
            _read_by_outer(tables)
            return value
    before = versions()  # read first: a write committed while computing makes the result look older, never newer
    token = _reading.set(set())
    try:
        value = compute()
        read = _reading.get()
    finally:
        _reading.reset(token)
    tables = None if _ANY_TABLE in read else frozenset(read)
    _read_by_outer(tables)
    if not keep(value) or not _nothing_written_yet():
        return value
    seen = before if tables is None else {n: v for n, v in before.items() if n in tables or n == EVERY_TABLE}
    with results.lock:
        results.keep(key, (tables, seen, value))
    return value


def _read_by_outer(tables: frozenset[str] | None) -> None:
    """A result used while computing another (the impact figures in the impact page): the other one read its
    tables too."""
    outer = _reading.get()
    if outer is not None:
        outer.update(tables if tables is not None else {_ANY_TABLE})


_CSRF_HOLE = "rl-csrf-" + secrets.token_hex(12)  # where each request's own CSRF token goes in a remembered page


def remembered_page(view: Callable | None = None, *, once: tuple[str, ...] = ()) -> Callable:
    """A GET page rendered once per person, address, language and minute, then served again, by any worker, while
    no table it read has changed. Each request gets its own CSRF token in the page.

    `once`: the session's keys that the view shows once then takes out (like a flash message, e.g. the board's
    project just moved): while one is there, the page is rendered and not kept.

    The key holds the signed-in person (a page is never served to anyone else), the whole URL with its query string,
    the language and the minute. The view runs with every object of the session expired, so that everything it
    shows (the viewer's own account included) is read by queries that `remember` records. A page with a message
    waiting to be shown (a flash), or any answer other than the page's HTML (a redirect, a refusal), is not kept.
    """

    if view is None:
        return functools.partial(remembered_page, once=once)
    shown_once = ("_flashes", *once)

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if (
            request.method != "GET"
            or any(key in session for key in shown_once)
            or not current_app.config.get("RESULTS_KEPT", True)
        ):
            return view(*args, **kwargs)
        minute = this_minute()
        viewer = current_user.get_id() if current_user.is_authenticated else None
        key = ("page", request.endpoint, request.url, viewer, str(get_locale()), minute)

        def render():
            db.session.expire_all()
            field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
            had = g.pop(field, None)
            setattr(g, field, _CSRF_HOLE)
            try:
                answer = view(*args, **kwargs)
            finally:
                g.pop(field, None)
                if had is not None:
                    setattr(g, field, had)
            if isinstance(answer, tuple) and len(answer) == 2 and answer[1] == 200:
                return answer[0]  # (page, 200)
            return answer

        # Only the page's HTML is kept; any other answer (a redirect, a refusal) is given as it is.
        return _filled(remember(key, render, keep=lambda answer: isinstance(answer, str)))

    return wrapped


def _filled(answer):
    """The view's answer, with this request's CSRF token where the page has its place."""
    if isinstance(answer, str):
        return answer.replace(_CSRF_HOLE, generate_csrf()) if _CSRF_HOLE in answer else answer
    if isinstance(answer, tuple) and answer and isinstance(answer[0], str):
        return (_filled(answer[0]), *answer[1:])
    if isinstance(answer, Response) and not answer.is_streamed and answer.mimetype == "text/html":
        answer.set_data(_filled(answer.get_data(as_text=True)))
    return answer
