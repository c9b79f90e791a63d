"""The API's own tables: personal API tokens, and the rate limiter's counters shared by every app server."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import UTCDateTime, db
from repairlab.people.models import User

# What a token may do: read only, or read and write.
SCOPES = ("read", "read write")


class ApiToken(db.Model):
    """A personal API token: it acts as its user (role, territory), within its scopes, until it expires or is
    revoked. Only the SHA-256 of the secret is kept, and a short prefix that tells the owner which token it is."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        sa.CheckConstraint("scopes IN ('read', 'read write')", name="scopes_known"),
        sa.CheckConstraint("expires_at > created_at", name="expires_after_creation"),
        sa.CheckConstraint("length(token_hash) = 64", name="hash_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    # The first characters of the secret, shown in lists ("rl_a1B2c3…").
    prefix: Mapped[str] = mapped_column(sa.String(12))
    # Hex SHA-256 of the whole secret: a request's token is looked up by it.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scopes: Mapped[str] = mapped_column(sa.String(20), default="read")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def territory_id(self) -> int | None:
        """The owner's territory: where an audit entry about the token applies."""
        return self.user.territory_id

    @property
    def can_write(self) -> bool:
        """Whether the token may change anything."""
        return "write" in self.scopes.split()

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiRateCounter(db.Model):
    """One fixed window of the API's rate limiter: how many requests a key made, until when (epoch seconds).

    In the database, so that every gunicorn worker and every host count together; one UPSERT per request
    (repairlab/api/limits.py)."""

    __tablename__ = "api_rate_counters"

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[float] = mapped_column(sa.Float, index=True)
