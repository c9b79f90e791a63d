"""Maintenance models: what was done on an item, and what is planned."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import UTCDateTime, db
from repairlab.inventory.models import Item
from repairlab.people.models import User


class MaintenancePlan(db.Model):
    """Maintenance planned on an item for a due date, once or every N days."""

    __tablename__ = "maintenance_plans"
    __table_args__ = (
        sa.CheckConstraint("every_days IS NULL OR every_days > 0", name="every_days_positive"),
        sa.Index("ix_maintenance_plans_territory_id_due_on", "territory_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"), index=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    what: Mapped[str] = mapped_column(sa.String(200))
    due_on: Mapped[date | None] = mapped_column(sa.Date)  # None: closed (done, not recurring)
    every_days: Mapped[int | None] = mapped_column(sa.Integer)
    last_done_on: Mapped[date | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[Item] = relationship()

    def __str__(self) -> str:
        return self.what


class MaintenanceRecord(db.Model):
    """Maintenance done on an item: what, by whom, when, at what cost, with which parts."""

    __tablename__ = "maintenance_records"
    __table_args__ = (
        sa.CheckConstraint("cost >= 0", name="cost_not_negative"),
        sa.Index("ix_maintenance_records_item_id_done_on", "item_id", "done_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"))
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("maintenance_plans.id", ondelete="SET NULL"), index=True)
    done_on: Mapped[date] = mapped_column(sa.Date)
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    cost: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2), default=Decimal(0))
    parts: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[Item] = relationship()
    done_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return self.description[:60]
