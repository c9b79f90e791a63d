"""What the repairs views share: loading a ticket or an event the viewer may see, the choices of the forms."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from repairlab.auth import territory_scope
from repairlab.extensions import db
from repairlab.inventory.views.common import lab_choices, labs_in_scope
from repairlab.people.models import Role, User
from repairlab.repairs.access import can_view
from repairlab.repairs.categories import active_categories, category_label, needs_estimate
from repairlab.repairs.models import RepairEvent, RepairEventStaff, RepairTicket

__all__ = ["category_choices", "event_or_404", "lab_choices", "labs_in_scope", "people_of", "ticket_or_404"]


def event_or_404(event_id: int) -> RepairEvent:
    """The event, if the viewer sees its territory (else 404: other territories' events are not known)."""
    event = db.session.get(
        RepairEvent,
        event_id,
        options=[joinedload(RepairEvent.lab), selectinload(RepairEvent.staff).joinedload(RepairEventStaff.user)],
    )
    if event is None or not can_view(current_user, event.territory_id):
        abort(404)
    return event


def ticket_or_404(ticket_id: int) -> RepairTicket:
    """The ticket, if the viewer sees its territory (else 404)."""
    ticket = db.session.get(RepairTicket, ticket_id)
    if ticket is None or not can_view(current_user, ticket.territory_id):
        abort(404)
    return ticket


def category_choices() -> list[tuple[int | str, str]]:
    """The categories of intake: powered ones first, then unpowered, each by its name in the reader's language."""
    return [("", "—")] + [
        (c.id, _("%(name)s (weight to estimate)", name=category_label(c)) if needs_estimate(c) else category_label(c))
        for c in active_categories()
    ]


def people_of(territory_ids: list[int], *roles: Role) -> list[User]:
    """Active people of these territories with these roles, by name."""
    scope = territory_scope(current_user)
    stmt = sa.select(User).where(User.active.is_(True), User.role.in_(roles), User.territory_id.in_(territory_ids))
    if scope is not None:
        stmt = stmt.where(User.territory_id == scope)
    return list(db.session.scalars(stmt.order_by(User.full_name)))
