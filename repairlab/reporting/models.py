"""Reporting's one table: the log of research exports (who, when, with which filters)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repairlab.clock import utcnow
from repairlab.extensions import UTCDateTime, db
from repairlab.people.models import User


class ResearchExport(db.Model):
    """One research export taken, from the web page or the command line; never changed or deleted."""

    __tablename__ = "research_exports"
    __table_args__ = (sa.CheckConstraint("source IN ('web', 'cli')", name="source_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Who downloaded it (None from the command line, run by whoever holds the server).
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    source: Mapped[str] = mapped_column(sa.String(10))
    # The filters as "name=value" pairs joined by "&" (territory, cohort, period, track, dates, months).
    filters: Mapped[str] = mapped_column(sa.String(500), default="")
    months_only: Mapped[bool] = mapped_column(default=False)
    tables: Mapped[int] = mapped_column(default=0)
    rows: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User | None] = relationship()
