"""Lending: loans of tools to talents, the member cards that identify talents at the desk, reminders and the labs'
lending policies."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import UTCDateTime, db, str_enum
from repairlab.inventory.models import Category, Condition, Item
from repairlab.people.models import Lab, User


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
        # The desk reads the open loans of a territory by due date: a small partial index, whatever the history.
        sa.Index(
            "ix_loans_open_territory_id_due_at", "territory_id", "due_at", sqlite_where=OPEN, postgresql_where=OPEN
        ),
        sa.Index("ix_loans_open_due_at", "due_at", sqlite_where=OPEN, postgresql_where=OPEN),
        # The indicators count a selection's loans from this index alone, not from the wide rows (reporting).
        sa.Index(
            "ix_loans_borrower_id_figures", "borrower_id", "started_at", "kind", "due_at", "returned_at", "item_id"
        ),
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


class LendingPolicy(db.Model):
    """How a lab lends a category (and the categories under it): by talents themselves or at the desk only, and
    the default and longest take-home durations. The nearest policy up the category tree wins."""

    __tablename__ = "lending_policies"
    __table_args__ = (
        sa.UniqueConstraint("lab_id", "category_id"),
        sa.CheckConstraint("default_days BETWEEN 1 AND 365", name="default_days_range"),
        sa.CheckConstraint("max_days BETWEEN 1 AND 365", name="max_days_range"),
        sa.CheckConstraint("default_days <= max_days", name="default_within_max"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lab_id: Mapped[int] = mapped_column(sa.ForeignKey("labs.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id", ondelete="CASCADE"), index=True)
    self_service: Mapped[bool] = mapped_column(default=True)
    default_days: Mapped[int]
    max_days: Mapped[int]
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lab: Mapped[Lab] = relationship()
    category: Mapped[Category] = relationship()

    @property
    def territory_id(self) -> int:
        """The lab's territory (for the audit log)."""
        return self.lab.territory_id

    def __str__(self) -> str:
        return f"{self.lab.name}: {self.category.path}" if self.lab and self.category else f"policy {self.id}"
