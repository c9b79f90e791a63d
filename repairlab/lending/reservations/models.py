"""Reservation models: an item reserved for a range of days, and the days it holds."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import UTCDateTime, db, str_enum
from repairlab.inventory.models import Item
from repairlab.people.models import User


class ReservationStatus(StrEnum):
    """A reservation holds its days while active or fulfilled (lent to its holder); a cancelled one frees them."""

    ACTIVE = "active"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """Translated name."""
        return str(RESERVATION_STATUS_LABELS[self])


RESERVATION_STATUS_LABELS = {
    ReservationStatus.ACTIVE: _l("Reserved"),
    ReservationStatus.FULFILLED: _l("Picked up"),
    ReservationStatus.CANCELLED: _l("Cancelled"),
}


HOLDING = (ReservationStatus.ACTIVE, ReservationStatus.FULFILLED)


class Reservation(db.Model):
    """An item reserved for a range of days, for a talent or for a lab event (no borrower)."""

    __tablename__ = "reservations"
    __table_args__ = (
        sa.CheckConstraint("starts_on <= ends_on", name="dates_ordered"),
        sa.Index("ix_reservations_item_id_ends_on", "item_id", "ends_on"),
        sa.Index("ix_reservations_borrower_id_ends_on", "borrower_id", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"))
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"), index=True)
    borrower_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    reserved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    purpose: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[ReservationStatus] = mapped_column(
        str_enum(ReservationStatus, "reservation_status"), default=ReservationStatus.ACTIVE
    )
    loan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("loans.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    item: Mapped[Item] = relationship()
    borrower: Mapped[User | None] = relationship(foreign_keys=[borrower_id])
    reserved_by: Mapped[User | None] = relationship(foreign_keys=[reserved_by_id])

    @property
    def is_event(self) -> bool:
        """Reserved for a lab event rather than for a person."""
        return self.borrower_id is None

    @property
    def is_active(self) -> bool:
        """Whether it still waits to be picked up."""
        return self.status == ReservationStatus.ACTIVE

    @property
    def is_fulfilled(self) -> bool:
        """Whether it was picked up (lent to its holder)."""
        return self.status == ReservationStatus.FULFILLED

    @property
    def days(self) -> int:
        """How many days it covers."""
        return (self.ends_on - self.starts_on).days + 1

    def __str__(self) -> str:
        return (
            f"{self.item.code} {self.starts_on.isoformat()}…{self.ends_on.isoformat()}" if self.item else "reservation"
        )


class ReservationDay(db.Model):
    """One reserved day of an item: the unique key is the database's rule that two reservations never overlap."""

    __tablename__ = "reservation_days"
    __table_args__ = (sa.PrimaryKeyConstraint("item_id", "day"),)

    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(sa.Date, index=True)
    reservation_id: Mapped[int] = mapped_column(sa.ForeignKey("reservations.id", ondelete="CASCADE"), index=True)
