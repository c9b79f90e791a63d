"""Lending: loans of tools to talents, and the member cards that identify talents at the desk."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.extensions import UTCDateTime, db, str_enum, utcnow
from repairlab.inventory.models import Condition, Item
from repairlab.people.models import User


class LoanKind(StrEnum):
    """How long a tool is lent: for the day in the lab, or to take home until a due date."""

    IN_LAB = "in_lab"
    TAKE_HOME = "take_home"

    @property
    def label(self) -> str:
        """Translated name."""
        return str(LOAN_KIND_LABELS[self])


LOAN_KIND_LABELS = {
    LoanKind.IN_LAB: _l("Use it in the lab today"),
    LoanKind.TAKE_HOME: _l("Take it home"),
}

OPEN = sa.text("returned_at IS NULL")


class Loan(db.Model):
    """One item lent to one talent; at most one open loan per item, enforced by a partial unique index."""

    __tablename__ = "loans"
    __table_args__ = (
        # The database rule: an item has at most one open loan, whatever two people do at the same instant.
        sa.Index("uq_loans_item_id_open", "item_id", unique=True, sqlite_where=OPEN, postgresql_where=OPEN),
        sa.Index("ix_loans_borrower_id_returned_at", "borrower_id", "returned_at"),
        sa.Index("ix_loans_territory_id_returned_at", "territory_id", "returned_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="RESTRICT"), index=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"))
    borrower_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    lent_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[LoanKind] = mapped_column(str_enum(LoanKind, "loan_kind"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    return_condition: Mapped[Condition | None] = mapped_column(str_enum(Condition, "loan_return_condition"))
    return_note: Mapped[str] = mapped_column(sa.Text, default="")
    override_reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[Item] = relationship()
    borrower: Mapped[User] = relationship(foreign_keys=[borrower_id])
    lent_by: Mapped[User] = relationship(foreign_keys=[lent_by_id])
    returned_to: Mapped[User | None] = relationship(foreign_keys=[returned_to_id])

    @property
    def is_open(self) -> bool:
        """Whether the item is still out."""
        return self.returned_at is None

    def __str__(self) -> str:
        return f"{self.item.code} {self.item.name}" if self.item else f"loan {self.id}"


class MemberCard(db.Model):
    """A talent's member card: an opaque token printed as a QR code, never a name."""

    __tablename__ = "member_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(sa.String(20), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def __str__(self) -> str:
        return self.token


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
    cost: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2), default=Decimal("0"))
    parts: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[Item] = relationship()
    done_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return self.description[:60]


class Reminder(db.Model):
    """A reminder sent about a loan; unique per loan, kind, day and channel, so a second run sends nothing."""

    __tablename__ = "reminders"
    __table_args__ = (sa.UniqueConstraint("loan_id", "kind", "sent_on", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(sa.ForeignKey("loans.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20), default="overdue")
    sent_on: Mapped[date] = mapped_column(sa.Date, index=True)
    channel: Mapped[str] = mapped_column(sa.String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    loan: Mapped[Loan] = relationship()
