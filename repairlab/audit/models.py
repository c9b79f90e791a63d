"""The audit log entry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.audit.labels import action_label
from repairlab.clock import utcnow
from repairlab.extensions import UTCDateTime, db


class AuditEntry(db.Model):
    """One change: who (or which command) did it, to what object, before and after."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        sa.Index("ix_audit_entries_object", "object_type", "object_id"),
        sa.Index("ix_audit_entries_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Kept apart from actor_id so the entry stays readable if the actor is erased.
    actor_label: Mapped[str] = mapped_column(sa.String(120), default="")
    action: Mapped[str] = mapped_column(sa.String(40))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[str] = mapped_column(sa.String(40))
    object_label: Mapped[str] = mapped_column(sa.String(200), default="")
    territory_id: Mapped[int | None] = mapped_column(sa.ForeignKey("territories.id", ondelete="SET NULL"), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    # The audit log sits below the people domain: it knows its users and territories only as the rows its entries
    # point to (the ORM finds the classes by name), never by importing them.
    actor: Mapped[User | None] = relationship("User")  # noqa: F821
    # None: a change to a setting shared by every territory (or to the programme itself).
    territory: Mapped[Territory | None] = relationship("Territory")  # noqa: F821

    @property
    def action_label(self) -> str:
        """The action in the user's language (domains may record actions not listed here)."""
        return action_label(self.action)

    @property
    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        """Return (field, before, after) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
