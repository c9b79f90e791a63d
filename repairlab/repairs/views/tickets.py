"""Repair tickets: intake at the desk, the ticket's page (the public scan view for anyone else), the repair."""

from __future__ import annotations

from flask import abort

from repairlab.extensions import db
from repairlab.repairs import bp
from repairlab.repairs.models import RepairTicket


@bp.route("/tickets/<int:ticket_id>")
def ticket(ticket_id: int):
    """The ticket's page; anyone else (anonymous included) sees the public scan view."""
    found = db.session.get(RepairTicket, ticket_id)
    if found is None:
        abort(404)
    return found.code or ""
