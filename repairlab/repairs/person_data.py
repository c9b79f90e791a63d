"""What the repairs domain holds about a talent: the tickets they worked on, as timeline lines (one per ticket,
with their minutes and the outcome) and in "download my data". A talent writes no free text on a ticket (the
problem and the diagnosis are the lab's words), so their erasure scrubs nothing here."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from repairlab.clock import lab_day
from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.people.registry import (
    TIMELINE_SOURCE_ROWS,
    TimelineEntry,
    personal_data_sources,
    plain_rows,
    timeline_sources,
)
from repairlab.repairs.access import can_view
from repairlab.repairs.categories import category_label
from repairlab.repairs.models import RepairCategory, RepairTicket, RepairWork


def _work_per_ticket(talent: User) -> sa.Select:
    """The talent's minutes per ticket, and when they first worked on it."""
    return (
        sa.select(
            RepairWork.ticket_id,
            sa.func.sum(RepairWork.minutes).label("minutes"),
            sa.func.min(RepairWork.recorded_at).label("first_at"),
        )
        .where(RepairWork.talent_id == talent.id)
        .group_by(RepairWork.ticket_id)
    )


def timeline_entries(talent: User, viewer: User) -> list[TimelineEntry]:
    """The tickets the talent worked on (one query)."""
    work = _work_per_ticket(talent).subquery()
    rows = db.session.execute(
        sa.select(RepairTicket, RepairCategory.name.label("category"), work.c.minutes, work.c.first_at)
        .join(work, work.c.ticket_id == RepairTicket.id)
        .join(RepairCategory, RepairCategory.id == RepairTicket.category_id)
        .order_by(work.c.first_at.desc())
        .limit(TIMELINE_SOURCE_ROWS)
    ).all()
    out = []
    for ticket, category, minutes, first_at in rows:
        thing = " ".join(p for p in (ticket.brand, ticket.model) if p) or category_label(category)
        time = ngettext("%(num)d minute", "%(num)d minutes", minutes)
        outcome = ticket.outcome.label if ticket.outcome else ticket.status.label
        out.append(
            TimelineEntry(
                lab_day(first_at),
                "repair",
                _("Repair"),
                _("Worked on %(ticket)s", ticket=f"{ticket} {thing}"),
                f"{time} — {outcome}",
                url_for("repairs.ticket", ticket_id=ticket.id) if can_view(viewer, ticket.territory_id) else None,
            )
        )
    return out


def personal_data(person: User) -> dict[str, list[dict[str, Any]]]:
    """The tickets the talent worked on, with their minutes (never the owner)."""
    work = _work_per_ticket(person).subquery()
    return {
        "repairs": plain_rows(
            sa.select(
                RepairTicket.code.label("ticket"),
                RepairCategory.name.label("category"),
                RepairTicket.brand,
                RepairTicket.model,
                RepairTicket.outcome,
                work.c.minutes,
                work.c.first_at.label("worked_from"),
            )
            .join(work, work.c.ticket_id == RepairTicket.id)
            .join(RepairCategory, RepairCategory.id == RepairTicket.category_id)
            .order_by(work.c.first_at)
        )
    }


def register() -> None:
    """Register the timeline source and personal data source (called by init_app)."""
    timeline_sources.register("repairs.work", timeline_entries, order=45)
    personal_data_sources.register("repairs.work", personal_data, order=45)
