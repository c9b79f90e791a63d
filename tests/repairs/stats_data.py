"""Hand-made repair tickets for the read-side tests (lists, queries, impact pages): rows written straight into the
tables, with the impact figures the Fixometer gives (repairs/impact.py), so that the figures can be checked by hand
from the ORDS table."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from itertools import count

import sqlalchemy as sa

from repairlab.clock import utcnow
from repairlab.extensions import db
from repairlab.repairs import impact as fixometer
from repairlab.repairs.models import (
    Barrier,
    Outcome,
    RepairCategory,
    RepairEvent,
    RepairTicket,
    RepairWork,
    TicketStatus,
)

_codes = count(1)


def category(name: str) -> RepairCategory:
    """A reference category by its ORDS name."""
    return db.session.scalar(sa.select(RepairCategory).where(RepairCategory.name == name))


def event(lab, day: date, title: str = "Repair Café") -> RepairEvent:
    """A repair event at a lab."""
    found = RepairEvent(
        territory_id=lab.territory_id, lab_id=lab.id, title=title, day=day, starts_at=time(14), ends_at=time(18)
    )
    db.session.add(found)
    db.session.flush()
    return found


def ticket(
    lab,
    category_name: str,
    outcome: Outcome | None = None,
    *,
    day: date = date(2026, 11, 14),
    status: TicketStatus | None = None,
    event_: RepairEvent | None = None,
    estimate: str | None = None,
    brand: str = "",
    model: str = "",
    lab_category: str = "",
    talents: tuple = (),
    changed_at: datetime | None = None,
) -> RepairTicket:
    """A ticket of a lab; closed (returned) when it has an outcome, unless a status is given; its impact stored."""
    cat = category(category_name)
    if status is None:
        status = TicketStatus.RETURNED if outcome is not None else TicketStatus.RECEIVED
    estimate_kg = Decimal(estimate) if estimate else None
    figures = fixometer.for_category(cat.ords_id, fixed=outcome == Outcome.FIXED, estimate_kg=estimate_kg).rounded()
    n = next(_codes)
    t = RepairTicket(
        code=f"R{lab.territory_id}-{n:04d}",
        territory_id=lab.territory_id,
        lab_id=lab.id,
        event_id=event_.id if event_ else None,
        event_date=event_.day if event_ else day,
        category_id=cat.id,
        brand=brand,
        model=model,
        lab_category=lab_category,
        estimated_weight_kg=estimate_kg,
        status=status,
        outcome=outcome,
        barrier=Barrier.TOO_WORN_OUT if outcome == Outcome.END_OF_LIFE else None,
        closed_at=utcnow() if status in (TicketStatus.RETURNED, TicketStatus.ABANDONED) else None,
        status_changed_at=changed_at or utcnow(),
        waste_prevented_kg=figures.waste_kg if figures.counted else None,
        co2e_prevented_kg=figures.co2e_kg if figures.counted else None,
    )
    db.session.add(t)
    db.session.flush()
    for talent, minutes in talents:
        db.session.add(RepairWork(ticket_id=t.id, talent_id=talent.id, minutes=minutes))
    db.session.flush()
    return t
