"""Repair tickets: intake at the desk, the status machine, the talents' work, parts and tools, the outcome."""

from __future__ import annotations

import sqlalchemy as sa

from repairlab.extensions import db
from repairlab.repairs.categories import category_label
from repairlab.repairs.models import RepairCategory, RepairTicket

# The target type of a ticket's code (inventory's codes table): /q/<code> opens the ticket.
TICKET_TARGET = "repair_ticket"


def ticket_names(ids: list[int]) -> dict[int, str]:
    """The short name printed on each ticket's label (brand and model, else the category), in one query."""
    rows = db.session.execute(
        sa.select(RepairTicket.id, RepairTicket.brand, RepairTicket.model, RepairCategory.name)
        .join(RepairCategory, RepairCategory.id == RepairTicket.category_id)
        .where(RepairTicket.id.in_(ids))
    ).all()
    return {row.id: " ".join(p for p in (row.brand, row.model) if p) or category_label(row.name) for row in rows}
