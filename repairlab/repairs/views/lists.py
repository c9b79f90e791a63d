"""The list of repair tickets: filters, search, pagination and the CSV export of the filtered list."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import timedelta

from flask import Flask, Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import Session

from repairlab.auth import roles_required, territory_scope
from repairlab.clock import today, utcnow
from repairlab.extensions import db
from repairlab.freshness import remembered_page
from repairlab.pagination import paginate_ids
from repairlab.repairs import bp, queries
from repairlab.repairs.access import REPAIR_ROLES, SUPERVISOR_ROLES
from repairlab.repairs.categories import category_label
from repairlab.repairs.models import Outcome, RepairTicket, TicketStatus
from repairlab.text import guard_cell

EXPORT_BATCH = 500
EXPORT_COLUMNS = (
    "code",
    "event_date",
    "lab",
    "event",
    "category",
    "lab_category",
    "brand",
    "model",
    "status",
    "outcome",
    "barrier",
    "waste_prevented_kg",
    "co2e_prevented_kg",
)


def init_app(app: Flask) -> None:
    """The list's link in the navigation (under Repairs)."""
    from repairlab.pages import NavItem, nav

    nav.register(
        "repairs.ticket_list",
        NavItem(_l("Repair tickets"), frozenset(REPAIR_ROLES), group=_l("Repairs")),
        order=17,
    )


def _query(filters: queries.TicketFilters):
    return queries.ticket_query(
        territory_scope(current_user), filters, utcnow(), current_app.config["REPAIR_STALE_DAYS"]
    ).options(*queries.LIST_LOADS)


@bp.route("/tickets")
@roles_required(*REPAIR_ROLES)
@remembered_page
def ticket_list():
    """The tickets of the user's territory (every territory for administrators), filtered and searched."""
    filters = queries.TicketFilters.from_args(request.args)
    config = current_app.config
    listing = queries.ticket_ids(
        territory_scope(current_user), filters, utcnow(), config["REPAIR_STALE_DAYS"], config["SEARCH_CAP"]
    )
    return render_template(
        "repairs/list.html",
        page=paginate_ids(listing, queries.tickets_by_id),
        filters=filters,
        choices=queries.list_choices(territory_scope(current_user), today() - timedelta(days=365), filters.talent_id),
        statuses=list(TicketStatus),
        outcomes=list(Outcome),
        can_export=current_user.role in SUPERVISOR_ROLES,
        stale_days=current_app.config["REPAIR_STALE_DAYS"],
        category_label=category_label,
    )


@bp.route("/tickets.csv")
@roles_required(*SUPERVISOR_ROLES)
def ticket_export():
    """The filtered list as CSV (no owner's data; streamed, so a large list uses little memory)."""
    stmt = _query(queries.TicketFilters.from_args(request.args))
    engine = db.engine  # the streamed body runs after the view has returned: its own session, its own app context

    def body() -> Iterator[str]:
        with Session(engine) as session:
            yield from export_rows(session.scalars(stmt.execution_options(yield_per=EXPORT_BATCH)))

    return Response(
        body(), mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=repair-tickets.csv"}
    )


def export_rows(tickets: Iterable[RepairTicket]) -> Iterator[str]:
    """CSV lines, the header first; status and outcome in their stable English codes, categories by ORDS name."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([guard_cell(c) for c in cells])
        return buffer.getvalue()

    yield "\ufeff" + line(EXPORT_COLUMNS)  # the byte order mark: spreadsheets then read UTF-8
    for t in tickets:
        yield line(
            (
                t.code or "",
                t.event_date.isoformat(),
                t.lab.name if t.lab else "",
                t.event.title if t.event else "",
                t.category.name,
                t.lab_category,
                t.brand,
                t.model,
                t.status.value,
                t.outcome.value if t.outcome else "",
                t.barrier.value if t.barrier else "",
                "" if t.waste_prevented_kg is None else str(t.waste_prevented_kg),
                "" if t.co2e_prevented_kg is None else str(t.co2e_prevented_kg),
            )
        )
