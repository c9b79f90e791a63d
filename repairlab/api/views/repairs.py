"""Repair tickets: the list (the web list's filters and text search), a ticket, intake at the desk and the ticket's
status, through the repairs domain's queries, services and access rules."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from werkzeug.datastructures import MultiDict

from repairlab.api.problems import refusals, refuse
from repairlab.api.schemas import (
    TicketDetailOut,
    TicketListArgs,
    TicketNew,
    TicketPage,
    TicketStatusChange,
    capped_body,
)
from repairlab.api.web import allow, change
from repairlab.auth import can_access_territory, territory_scope
from repairlab.clock import utcnow
from repairlab.extensions import db
from repairlab.pagination import paginate_ids
from repairlab.people.models import Lab
from repairlab.repairs import owners, queries, tickets
from repairlab.repairs.access import DESK_ROLES, REPAIR_ROLES, can_view, sees_owner
from repairlab.repairs.models import RepairEvent, RepairTicket

repair_tickets = Blueprint(
    "repair_tickets", __name__, url_prefix="/api/v1/repair-tickets", description="Repair tickets of the labs."
)


def _ticket_body(ticket: RepairTicket) -> RepairTicket:
    """The ticket with what this reader may do next, and its owner for the desk only."""
    ticket.next_statuses = tickets.next_statuses(current_user, ticket)
    ticket.owner = ticket if sees_owner(current_user, ticket.territory_id) else None
    return ticket


def _ticket(ticket_id: int) -> RepairTicket:
    """A ticket of the reader's territory (no public scan view here: anything else is 404)."""
    ticket = db.session.get(RepairTicket, ticket_id)
    if ticket is None or not can_view(current_user, ticket.territory_id):
        raise refuse(404)
    return ticket


@repair_tickets.route("")
class TicketList(MethodView):
    """The tickets of the reader's territory (every territory for administrators)."""

    @refusals(repair_tickets, 403, 422)
    @repair_tickets.arguments(TicketListArgs, location="query")
    @repair_tickets.response(200, TicketPage)
    def get(self, args):
        """List tickets, latest first, with the web list's filters; a search (code, brand, model, the lab's
        category) goes through the tickets' text index and lists its newest matches, the ticket of a typed code
        first."""
        allow(*REPAIR_ROLES)
        query = {("from" if key == "from_" else key): str(value) for key, value in args.items()}
        filters = queries.TicketFilters.from_args(MultiDict(query))
        config = current_app.config
        listing = queries.ticket_ids(
            territory_scope(current_user), filters, utcnow(), config["REPAIR_STALE_DAYS"], config["SEARCH_CAP"]
        )
        return capped_body(paginate_ids(listing, queries.tickets_by_id, per_page=args["per_page"]))

    @refusals(repair_tickets, 403, 404, 409, 422)
    @repair_tickets.arguments(TicketNew)
    @repair_tickets.response(201, TicketDetailOut)
    def post(self, data):
        """Take an object in at the desk (lab managers, administrators), with the intake form's rules: the
        ticket gets the territory's next code; the owner's details are kept only with their consent."""
        allow(*DESK_ROLES)
        lab = db.session.get(Lab, data.pop("lab_id"))
        if lab is None or not can_access_territory(current_user, lab.territory_id):
            raise refuse(422, _("Choose a lab."), field="lab_id")
        event_id = data.pop("event_id", None)
        event = db.session.get(RepairEvent, event_id) if event_id else None
        if event_id and (event is None or event.territory_id != lab.territory_id):
            raise refuse(422, _("Choose an event of this lab that is not cancelled."), field="event_id")
        fields = tickets.IntakeFields(**data)
        return _ticket_body(change(lambda: tickets.take_in(current_user, lab, fields, event=event)))


@repair_tickets.route("/<int:ticket_id>")
class TicketResource(MethodView):
    """One ticket."""

    @refusals(repair_tickets, 403, 404)
    @repair_tickets.response(200, TicketDetailOut)
    def get(self, ticket_id: int):
        """A ticket of the reader's territory, with the statuses they may move it to (the owner: the desk's)."""
        allow(*REPAIR_ROLES)
        return _ticket_body(_ticket(ticket_id))


@repair_tickets.route("/<int:ticket_id>/status")
class TicketStatusResource(MethodView):
    """A ticket's status."""

    @refusals(repair_tickets, 403, 404, 409, 422)
    @repair_tickets.arguments(TicketStatusChange)
    @repair_tickets.response(200, TicketDetailOut)
    def post(self, data, ticket_id: int):
        """Move a ticket to another status (received → diagnosed → in repair → ready → returned, or abandoned),
        with the ticket page's rules: ready and closed need an outcome, only the desk closes. At "ready" the owner
        is told by e-mail when possible, as from the page."""
        allow(*REPAIR_ROLES)
        ticket = _ticket(ticket_id)
        change(lambda: tickets.change_status(current_user, ticket, data["status"]))
        if owners.can_notify(ticket) and ticket.owner_notified_at is None:
            if owners.notify_ready(current_user, ticket):
                db.session.commit()
            else:
                db.session.rollback()
        return _ticket_body(ticket)
