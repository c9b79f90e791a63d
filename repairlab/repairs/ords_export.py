"""Export repair tickets as an ORDS v0.3 records file (and the unpowered summary that goes with it).

A ticket of the lab's desk is written with a pseudonymous id (a keyed hash of its database id, never its code), the
programme as `data_provider`, FRA as `country` and its lab as `group_identifier`; its problem text without e-mail
addresses or phone numbers. A partner's record imported earlier is written with its own id, provider, group and
country, so that export -> import -> export gives the same file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from repairlab.dates import parse_day
from repairlab.extensions import db
from repairlab.people.models import Lab
from repairlab.repairs import ords
from repairlab.repairs.models import Outcome, RepairCategory, RepairTicket, TicketSource
from repairlab.repairs.ords_import import id_secret

BATCH = 1000  # tickets read from the database at a time while the file streams
COUNTRY = "FRA"

STATUSES = {
    Outcome.FIXED: ords.FIXED,
    Outcome.REPAIRABLE: ords.REPAIRABLE,
    Outcome.END_OF_LIFE: ords.END_OF_LIFE,
    Outcome.UNKNOWN: ords.UNKNOWN,
    None: ords.UNKNOWN,  # an open ticket: nothing is known of the outcome yet
}


@dataclass(frozen=True)
class ExportFilters:
    """Which tickets an export holds (the ticket list's filters that make sense for ORDS)."""

    territory_id: int | None = None
    lab_id: int | None = None
    event_id: int | None = None
    source: TicketSource | None = None
    outcome: Outcome | None = None
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args) -> ExportFilters:
        """From a query string; a malformed value is no filter."""

        def number(name: str) -> int | None:
            value = args.get(name, "")
            # isascii: "²".isdigit() is true, but int("²") fails
            return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None

        def member(enum_cls, name: str):
            try:
                return enum_cls(args.get(name, ""))
            except ValueError:
                return None

        return cls(
            territory_id=number("territory"),
            lab_id=number("lab"),
            event_id=number("event"),
            source=member(TicketSource, "source"),
            outcome=member(Outcome, "outcome"),
            date_from=parse_day(args.get("from")),
            date_to=parse_day(args.get("to")),
        )


def _filtered(stmt: sa.Select, scope: int | None, filters: ExportFilters) -> sa.Select:
    conditions = [
        (scope, RepairTicket.territory_id),
        (filters.territory_id, RepairTicket.territory_id),
        (filters.lab_id, RepairTicket.lab_id),
        (filters.event_id, RepairTicket.event_id),
        (filters.source, RepairTicket.source),
        (filters.outcome, RepairTicket.outcome),
    ]
    for value, column in conditions:
        if value is not None:
            stmt = stmt.where(column == value)
    if filters.date_from is not None:
        stmt = stmt.where(RepairTicket.event_date >= filters.date_from)
    if filters.date_to is not None:
        stmt = stmt.where(RepairTicket.event_date <= filters.date_to)
    return stmt


def ticket_query(scope: int | None, filters: ExportFilters) -> sa.Select:
    """The powered tickets to export, with their category and lab, in a stable order (day, then as entered).

    `scope`: the territory the user is limited to (None: all, reference data included)."""
    stmt = (
        sa.select(RepairTicket, RepairCategory.name, RepairCategory.ords_id, Lab.name)
        .join(RepairCategory, RepairTicket.category_id == RepairCategory.id)
        .outerjoin(Lab, RepairTicket.lab_id == Lab.id)
        .where(RepairCategory.ords_id.is_not(None))
        .order_by(RepairTicket.event_date, RepairTicket.id)
    )
    return _filtered(stmt, scope, filters)


def _problem(ticket: RepairTicket) -> str:
    """ORDS's problem is "the fault and solution": the owner's words, then the diagnosis and what was done."""
    parts = [ticket.problem, ticket.diagnosis, ticket.work_done]
    return ords.scrub("\n".join(p for p in parts if p))


@dataclass(frozen=True)
class Naming:
    """How this installation names its own tickets in an ORDS file (read from the config once per export)."""

    provider: str
    prefix: str
    secret: str

    @classmethod
    def from_config(cls) -> Naming:
        """The naming of the running app's config."""
        config = current_app.config
        return cls(config["ORDS_DATA_PROVIDER"], config["ORDS_ID_PREFIX"], id_secret())


def to_record(
    ticket: RepairTicket, category: str, ords_id: int | None, lab_name: str | None, naming: Naming
) -> ords.Record:
    """One ticket as an ORDS record."""
    imported = ticket.source is not TicketSource.DESK
    return ords.Record(
        id=ticket.external_id if imported else ords.pseudonymous_id(naming.secret, ticket.id, naming.prefix),
        data_provider=ticket.data_provider if imported else naming.provider,
        country=ticket.country if imported else COUNTRY,
        event_date=ticket.event_date,
        status=STATUSES[ticket.outcome],
        category=category,
        category_id=ords_id,
        partner_product_category=ticket.lab_category,
        brand=ticket.brand,
        year_of_manufacture=ticket.year_of_manufacture,
        product_age=ticket.product_age,
        barrier=ticket.barrier.value if ticket.barrier else None,
        group_identifier=ticket.group_identifier if imported else (lab_name or ""),
        problem=_problem(ticket),
    )


def records(session: Session, stmt: sa.Select, naming: Naming) -> Iterator[ords.Record]:
    """The tickets a statement of `ticket_query` selects, as records, read in batches."""
    rows = session.execute(stmt.execution_options(yield_per=BATCH))
    for ticket, category, ords_id, lab_name in rows:
        yield to_record(ticket, category, ords_id, lab_name, naming)


def export_stream(stmt: sa.Select) -> Iterator[str]:
    """The ORDS file for a statement, streamed by a session that lives as long as the stream (the request's is
    closed by the time a streamed body is sent; see inventory's csv_io.export_stream). The generator needs no app
    context: what it needs of the config is read now."""
    naming = Naming.from_config()
    engine = db.engine

    def lines() -> Iterator[str]:
        with Session(engine) as session:
            yield from ords.write(records(session, stmt, naming))

    return lines()


def write_file(stmt: sa.Select, out) -> int:
    """Write the ORDS file for a statement to an open text file; return the number of records."""
    count = -1  # the header is the first line
    for line in ords.write(records(db.session, stmt, Naming.from_config())):
        out.write(line)
        count += 1
    return count


def unpowered_summary(scope: int | None, filters: ExportFilters) -> str:
    """The unpowered summary file of the selected tickets (which have no place in the records file): how many of
    each unpowered category per provider and repair status."""
    provider = current_app.config["ORDS_DATA_PROVIDER"]
    # The provider: the partner's for an imported record, the programme's for a ticket of the desk.
    provider_column = sa.case((RepairTicket.source == TicketSource.DESK, provider), else_=RepairTicket.data_provider)
    stmt = (
        sa.select(provider_column, RepairCategory.name, RepairTicket.outcome, sa.func.count())
        .join(RepairCategory, RepairTicket.category_id == RepairCategory.id)
        .where(RepairCategory.ords_id.is_(None))
        .group_by(provider_column, RepairCategory.name, RepairTicket.outcome)
    )
    totals: Counter[tuple[str, str, str]] = Counter()
    for provider_name, category, outcome, total in db.session.execute(_filtered(stmt, scope, filters)):
        totals[provider_name, category, STATUSES[outcome]] += total  # no outcome yet counts as Unknown
    return ords.write_unpowered_summary((*key, total) for key, total in totals.items())
