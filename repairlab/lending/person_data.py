"""What lending holds about a talent: their loans as timeline lines, their loans and reservations in "download my
data", and what their erasure scrubs (the purposes they wrote, their member card)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from repairlab.clock import lab_day, utcnow
from repairlab.extensions import db
from repairlab.inventory.models import Item
from repairlab.lending.models import Loan, MemberCard
from repairlab.lending.reservations.models import Reservation
from repairlab.people.models import User
from repairlab.people.registry import (
    TIMELINE_SOURCE_ROWS,
    TimelineEntry,
    erasure_hooks,
    personal_data_sources,
    plain_rows,
    timeline_sources,
)


def timeline_entries(talent: User, viewer: User) -> list[TimelineEntry]:
    """Tools borrowed (one query)."""
    loans = db.session.scalars(
        sa.select(Loan)
        .options(joinedload(Loan.item))
        .where(Loan.borrower_id == talent.id)
        .order_by(Loan.started_at.desc())
        .limit(TIMELINE_SOURCE_ROWS)
    )
    out = []
    for loan in loans:
        detail = (
            _("Returned on %(day)s", day=format_date(lab_day(loan.returned_at)))
            if loan.returned_at
            else _("Not returned yet")
        )
        out.append(
            TimelineEntry(
                lab_day(loan.started_at),
                "loan",
                _("Loan"),
                _("Borrowed: %(item)s", item=f"{loan.item.code} {loan.item.name}"),
                detail,
            )
        )
    return out


def personal_data(person: User) -> dict[str, list[dict[str, Any]]]:
    """The talent's loans and reservations."""
    return {
        "loans": plain_rows(
            sa.select(
                Item.code.label("item"),
                Item.name.label("item_name"),
                Loan.kind,
                Loan.started_at,
                Loan.due_at,
                Loan.returned_at,
            )
            .join(Item, Item.id == Loan.item_id)
            .where(Loan.borrower_id == person.id)
            .order_by(Loan.started_at)
        ),
        "reservations": plain_rows(
            sa.select(
                Item.code.label("item"),
                Reservation.starts_on,
                Reservation.ends_on,
                Reservation.purpose,
                Reservation.status,
                Reservation.created_at,
            )
            .join(Item, Item.id == Reservation.item_id)
            .where(sa.or_(Reservation.borrower_id == person.id, Reservation.reserved_by_id == person.id))
            .order_by(Reservation.starts_on)
        ),
    }


def scrub(person: User) -> None:
    """The purposes the talent wrote on reservations, and their member card (revoked: it no longer finds them)."""
    db.session.execute(sa.update(Reservation).where(Reservation.reserved_by_id == person.id).values(purpose=""))
    db.session.execute(
        sa.update(MemberCard)
        .where(MemberCard.user_id == person.id, MemberCard.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def register() -> None:
    """Register the timeline source, personal data source and erasure hook (called by init_app)."""
    timeline_sources.register("lending.loans", timeline_entries, order=40)
    personal_data_sources.register("lending.loans", personal_data, order=40)
    erasure_hooks.register("lending", scrub)
