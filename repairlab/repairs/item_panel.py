"""The item page's "Used in repairs" section: the latest tickets a tool was used on or a part went into."""

from __future__ import annotations

import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.inventory.models import Item
from repairlab.inventory.registry import ItemPanel, item_panels
from repairlab.people.models import User
from repairlab.repairs.access import can_view
from repairlab.repairs.models import RepairPartUse, RepairTicket, RepairToolUse

MAX_SHOWN = 8

_uses = sa.union_all(
    sa.select(RepairToolUse.ticket_id, sa.literal(0).label("quantity")).where(
        RepairToolUse.item_id == sa.bindparam("item_id", type_=sa.Integer)
    ),
    sa.select(RepairPartUse.ticket_id, RepairPartUse.quantity).where(
        RepairPartUse.item_id == sa.bindparam("item_id", type_=sa.Integer)
    ),
).subquery()

_USED_IN = (
    sa.select(
        RepairTicket.id,
        RepairTicket.code,
        RepairTicket.event_date,
        RepairTicket.status,
        sa.func.sum(_uses.c.quantity).label("quantity"),
    )
    .join(_uses, _uses.c.ticket_id == RepairTicket.id)
    .group_by(RepairTicket.id, RepairTicket.code, RepairTicket.event_date, RepairTicket.status)
    .order_by(RepairTicket.event_date.desc(), RepairTicket.id.desc())
    .limit(MAX_SHOWN)
)


def used_in_context(item: Item, viewer: User | None) -> dict | None:
    """The lab's team of the territory sees the latest repairs the item served; nobody else. One query."""
    if not can_view(viewer, item.territory_id):
        return None
    rows = db.session.execute(_USED_IN, {"item_id": item.id}).all()
    return {"rows": rows} if rows else None


def register_item_panel() -> None:
    """Add the "Used in repairs" section to the item page."""
    item_panels.register("repairs.used_in", ItemPanel("repairs/item_panel.html", used_in_context), order=50)
