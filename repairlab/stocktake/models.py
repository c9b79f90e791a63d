"""Stock-take models: one count of a place, and the items scanned during it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import UTCDateTime, db, str_enum
from repairlab.inventory.models import Item, Location
from repairlab.people.models import User


class StockTakeStatus(StrEnum):
    """Where a stock-take stands."""

    OPEN = "open"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """Translated name."""
        return str(STOCKTAKE_STATUS_LABELS[self])


STOCKTAKE_STATUS_LABELS = {
    StockTakeStatus.OPEN: _l("In progress"),
    StockTakeStatus.CONFIRMED: _l("Confirmed"),
    StockTakeStatus.CANCELLED: _l("Cancelled"),
}

OPEN_STOCKTAKE = sa.text("status = 'open'")


class StockTake(db.Model):
    """A count of everything in one place; at most one open per place, enforced by a partial unique index."""

    __tablename__ = "stock_takes"
    __table_args__ = (
        sa.Index(
            "uq_stock_takes_location_id_open",
            "location_id",
            unique=True,
            sqlite_where=OPEN_STOCKTAKE,
            postgresql_where=OPEN_STOCKTAKE,
        ),
        sa.Index("ix_stock_takes_location_id_started_at", "location_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id", ondelete="RESTRICT"))
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="RESTRICT"), index=True)
    started_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[StockTakeStatus] = mapped_column(
        str_enum(StockTakeStatus, "stock_take_status"), default=StockTakeStatus.OPEN
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    # Frozen at confirmation (None while open): "missing" depends on where items were then, and they move on
    # afterwards, so these are a historical snapshot, not derivable state.
    found_count: Mapped[int | None]
    missing_count: Mapped[int | None]
    unexpected_count: Mapped[int | None]

    location: Mapped[Location] = relationship()
    started_by: Mapped[User] = relationship(foreign_keys=[started_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    scans: Mapped[list[StockTakeScan]] = relationship(
        back_populates="stock_take", cascade="all, delete-orphan", order_by="StockTakeScan.scanned_at"
    )

    def __str__(self) -> str:
        return f"stock-take {self.id}"


class StockTakeScan(db.Model):
    """One item seen during a stock-take; scanning it twice is harmless (unique per stock-take)."""

    __tablename__ = "stock_take_scans"
    __table_args__ = (sa.UniqueConstraint("stock_take_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stock_take_id: Mapped[int] = mapped_column(sa.ForeignKey("stock_takes.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="RESTRICT"), index=True)
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    stock_take: Mapped[StockTake] = relationship(back_populates="scans")
    item: Mapped[Item] = relationship()
