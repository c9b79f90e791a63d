"""The database rules every domain shares: one transaction per request, refusals made clear, rows locked.

The transaction boundary: a service changes rows and flushes, never commits; the view (or the command) that called
it commits once at the end, or rolls back when a DomainError says no. A service that needs the database to settle a
race (a unique constraint, a row lock) uses the two helpers below, so that a refusal undoes only its own step and
leaves the caller's earlier work in the transaction.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

from repairlab.errors import Conflict
from repairlab.extensions import db


def _sqlite_from_hint(_compiler, _table, text: str | None) -> str | None:
    """SQLite's table hints ("INDEXED BY ix_…", "NOT INDEXED"), written right after the table's name as SQLite reads
    them: SQLAlchemy's SQLite compiler drops every hint given with `select().with_hint(table, text, "sqlite")`."""
    return text


SQLiteCompiler.get_from_hint_text = _sqlite_from_hint


def flush_or_conflict(message: str, field: str | None = None, *, new: object | None = None) -> None:
    """Flush in a savepoint (adding `new` first); a unique constraint hit by a simultaneous change becomes a
    Conflict with `message`, and only the savepoint is rolled back.

    The database settles two simultaneous writes (a double click on "Save"): the second is told, not a crash.
    """
    try:
        with db.session.begin_nested():
            if new is not None:
                db.session.add(new)
            db.session.flush()
    except sa.exc.IntegrityError:
        raise Conflict(message, field=field) from None


def lock_row(column, row_id: int) -> None:
    """Lock one row until the transaction ends; `column` is a plain column of its model, e.g. User.locale, used only
    on SQLite.

    SQLite has no row locks: there a no-op write of that column takes the database's single write lock at once, so
    the checks that follow read every committed change and no other writer can slip in before the commit. (Not of
    the primary key: that would make SQLite look for the row's children in every table that refers to it.)

    PostgreSQL: FOR NO KEY UPDATE, which lockers wait for but foreign-key checks do not. With FOR UPDATE, a
    reservation for a talent (item locked, then a row referring to the talent) and that talent's loan of the item
    (talent locked, then the item) at the same instant would deadlock.
    """
    col = column.property.columns[0]
    table = col.table
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            sa.text(f'UPDATE {table.name} SET "{col.name}" = "{col.name}" WHERE id = :id'), {"id": row_id}
        )
    else:
        db.session.execute(sa.select(table.c.id).where(table.c.id == row_id).with_for_update(key_share=True))
