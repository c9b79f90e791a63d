"""Rate limiting per token (Flask-Limiter), counted where every app server sees the same numbers.

RATELIMIT_STORAGE_URI chooses the storage: redis://... (or any storage of the `limits` package) when set; otherwise
`repairlab+db://`, fixed windows counted in the application's own database, so that several gunicorn workers and
hosts share one count without another service. Never a process's memory: each worker would count on its own.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import current_app, g
from flask_limiter import Limiter
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite

from repairlab.api.models import ApiRateCounter
from repairlab.api.web import is_api_request
from repairlab.extensions import db

DATABASE_STORAGE = "repairlab+db://"
_TABLE = ApiRateCounter.__table__


class DatabaseStorage(Storage):
    """A `limits` storage in the application's database: one row per key and window, counted by one atomic UPSERT
    (INSERT ... ON CONFLICT DO UPDATE ... RETURNING, on SQLite and PostgreSQL alike) in its own short transaction,
    so that a refused request, rolled back, still counts."""

    STORAGE_SCHEME = ["repairlab+db"]  # noqa: RUF012  (the `limits` registry reads this class attribute)

    @property
    def base_exceptions(self):
        """What a failing database raises."""
        return sa.exc.SQLAlchemyError

    @staticmethod
    def _engine() -> sa.Engine:
        return db.engine

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count `amount` more hits of the key; a window that has expired starts again from `amount`."""
        now = time.time()
        engine = self._engine()
        insert = (postgresql if engine.dialect.name == "postgresql" else sqlite).insert(_TABLE)
        stmt = insert.values(key=key, count=amount, expires_at=now + expiry)
        expired = _TABLE.c.expires_at <= now
        stmt = stmt.on_conflict_do_update(
            index_elements=[_TABLE.c.key],
            set_={
                "count": sa.case((expired, stmt.excluded.count), else_=_TABLE.c.count + stmt.excluded.count),
                "expires_at": sa.case((expired, stmt.excluded.expires_at), else_=_TABLE.c.expires_at),
            },
        ).returning(_TABLE.c.count)
        with engine.begin() as conn:
            return int(conn.execute(stmt).scalar_one())

    def _row(self, key: str):
        with self._engine().connect() as conn:
            return conn.execute(sa.select(_TABLE.c.count, _TABLE.c.expires_at).where(_TABLE.c.key == key)).first()

    def get(self, key: str) -> int:
        """The hits of the key's current window (0 once it has expired)."""
        row = self._row(key)
        return int(row.count) if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        """When the key's current window ends (epoch seconds)."""
        row = self._row(key)
        return float(row.expires_at) if row is not None and row.expires_at > time.time() else time.time()

    def check(self) -> bool:
        """Whether the database answers."""
        try:
            with self._engine().connect() as conn:
                conn.execute(sa.select(1))
        except sa.exc.SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every window."""
        with self._engine().begin() as conn:
            return conn.execute(sa.delete(_TABLE)).rowcount

    def clear(self, key: str) -> None:
        """Forget the key's window."""
        with self._engine().begin() as conn:
            conn.execute(sa.delete(_TABLE).where(_TABLE.c.key == key))

    def purge(self) -> int:
        """Remove the windows that have expired (rows of tokens no longer used)."""
        with self._engine().begin() as conn:
            return conn.execute(sa.delete(_TABLE).where(_TABLE.c.expires_at <= time.time())).rowcount


def token_key() -> str:
    """The rate limiter's key: the request's token."""
    token = g.get("api_token")
    return f"token:{token.id}" if token is not None else "anonymous"


def api_rate_limit() -> str:
    """The limit of one token, e.g. "300 per minute" (API_RATE_LIMIT)."""
    return current_app.config["API_RATE_LIMIT"]


limiter = Limiter(key_func=token_key, headers_enabled=True, strategy="fixed-window")


@limiter.request_filter
def _not_the_api() -> bool:
    """Only the API's operations are limited: the web's pages (the scan path first) skip the limiter at once."""
    return not is_api_request()


def limit_blueprint(blueprint) -> None:
    """One budget per token across every operation of the API."""
    limiter.shared_limit(api_rate_limit, scope="api", key_func=token_key)(blueprint)
