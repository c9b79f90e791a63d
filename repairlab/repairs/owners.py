"""The owner of a repaired object: the e-mail telling them it is ready (in their language, when MAIL_SERVER is set),
and their contact details erased a while after the object went back, keeping the repair record."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from repairlab.audit.services import record
from repairlab.clock import utcnow
from repairlab.errors import Conflict, PermissionDenied
from repairlab.extensions import db
from repairlab.mail import Mailer, sender, smtp_mailer
from repairlab.people.models import User
from repairlab.repairs.access import can_repair, is_desk
from repairlab.repairs.categories import category_label
from repairlab.repairs.models import CLOSED_STATUSES, RepairTicket, TicketStatus

log = logging.getLogger(__name__)


def object_name(ticket: RepairTicket) -> str:
    """The object in words: its category, brand and model."""
    return " ".join(p for p in (category_label(ticket.category), ticket.brand, ticket.model) if p)


def ready_email(ticket: RepairTicket) -> EmailMessage:
    """The "ready to collect" e-mail, in the owner's language, with the lab's address and opening hours."""
    lab = ticket.lab
    with force_locale(ticket.owner_locale or "fr"):
        name = object_name(ticket)
        greeting = _("Hello %(name)s,", name=ticket.owner_first_name) if ticket.owner_first_name else _("Hello,")
        lines = [
            greeting,
            "",
            _(
                "Your object (%(object)s, ticket %(code)s) is ready to collect at %(lab)s.",
                object=name,
                code=ticket.code,
                lab=lab.name,
            ),
        ]
        if lab.address:
            lines.append(_("Address: %(address)s", address=lab.address))
        if lab.opening_hours:
            lines.append(_("Opening hours: %(hours)s", hours=lab.opening_hours))
        lines += [
            "",
            _("See where your repair stands: %(url)s", url=f"{current_app.config['PUBLIC_BASE_URL']}/q/{ticket.code}"),
            "",
            "RepairLab",
        ]
        subject = _("Your object is ready to collect (%(code)s)", code=ticket.code)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender()
    message["To"] = ticket.owner_email
    message.set_content("\n".join(lines))
    return message


def can_notify(ticket: RepairTicket, mailer: Mailer | None = None) -> bool:
    """Whether the owner can be told by e-mail now: ready, an address kept, and a mail server configured."""
    return (
        ticket.status == TicketStatus.READY
        and bool(ticket.owner_email)
        and (mailer is not None or bool(current_app.config.get("MAIL_SERVER")))
    )


def notify_ready(actor: User | None, ticket: RepairTicket, mailer: Mailer | None = None) -> bool:
    """Tell the owner by e-mail that their object is ready; record when; False when it could not be sent.

    Called after the status change is committed (an e-mail cannot be taken back); the caller commits again."""
    if actor is not None and not can_repair(actor, ticket.territory_id):
        raise PermissionDenied(_("Only the lab's team works on its repairs."))
    mailer = mailer or smtp_mailer()
    if mailer is None or not can_notify(ticket, mailer):
        return False
    try:
        mailer(ready_email(ticket))
    except (OSError, smtplib.SMTPException) as error:
        log.warning("ready e-mail for ticket %s failed: %s", ticket.id, type(error).__name__)
        return False
    ticket.owner_notified_at = utcnow()
    record(actor, "repair.notify", ticket, after={"owner_notified_at": ticket.owner_notified_at}, label=ticket.code)
    return True


def erase_owner(actor: User | None, ticket: RepairTicket) -> RepairTicket:
    """Erase the owner's first name and contact details; the repair record stays."""
    if actor is not None and not is_desk(actor, ticket.territory_id):
        raise PermissionDenied(_("Only a lab manager of this territory erases an owner's details."))
    if ticket.owner_erased_at is not None and not (ticket.owner_first_name or ticket.owner_email or ticket.owner_phone):
        raise Conflict(_("The owner's details are already erased."))
    ticket.owner_first_name = ticket.owner_email = ticket.owner_phone = ""
    ticket.owner_consent_at = None
    ticket.owner_erased_at = utcnow()
    record(actor, "repair.erase_owner", ticket, after={"owner": False}, label=ticket.code)
    return ticket


def purge_owners(now=None) -> int:
    """Erase the owners' details of tickets closed more than REPAIR_OWNER_RETENTION_DAYS ago; return how many."""
    now = now or utcnow()
    days = int(current_app.config.get("REPAIR_OWNER_RETENTION_DAYS", 90))
    has_owner = sa.or_(
        RepairTicket.owner_first_name != "", RepairTicket.owner_email != "", RepairTicket.owner_phone != ""
    )
    stmt = sa.select(RepairTicket).where(
        RepairTicket.status.in_(CLOSED_STATUSES),
        RepairTicket.closed_at <= now - timedelta(days=days),
        has_owner,
    )
    count = 0
    for ticket in db.session.scalars(stmt.limit(10_000)):
        erase_owner(None, ticket)
        count += 1
    return count


@click.command("purge-repair-owners")
@with_appcontext
def purge_repair_owners_command() -> None:
    """Erase repair owners' contact details REPAIR_OWNER_RETENTION_DAYS (default 90) after the object's return;
    run it daily (with send-reminders)."""
    count = purge_owners()
    db.session.commit()
    click.echo(f"owners' details erased: {count}")
