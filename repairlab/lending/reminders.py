"""Overdue reminders: an in-app notice for the talent, and an e-mail when SMTP is configured; run daily."""

from __future__ import annotations

import logging
import smtplib
from datetime import date, timedelta
from email.message import EmailMessage

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from repairlab import clock
from repairlab.audit.services import record
from repairlab.extensions import db
from repairlab.lending.models import Loan, Reminder
from repairlab.mail import Mailer, smtp_mailer
from repairlab.people.models import User

log = logging.getLogger(__name__)

OVERDUE = "overdue"
IN_APP = "in_app"
EMAIL = "email"
NOTICE_ROWS = 20


def overdue_loans(on: date) -> list[Loan]:
    """Open loans whose due date is before the given day, with item and borrower (one query)."""
    return list(
        db.session.scalars(
            sa.select(Loan)
            .where(Loan.returned_at.is_(None), Loan.due_at <= clock.end_of_day(on - timedelta(days=1)))
            .options(joinedload(Loan.item), joinedload(Loan.borrower))
            .order_by(Loan.borrower_id, Loan.due_at, Loan.id)
        )
    )


def _claim(loan: Loan, on: date, channel: str) -> bool:
    """Insert the reminder row; False when it exists (the unique constraint decides, even for two runs at once)."""
    try:
        with db.session.begin_nested():
            db.session.add(Reminder(loan_id=loan.id, kind=OVERDUE, sent_on=on, channel=channel))
    except sa.exc.IntegrityError:
        return False
    return True


def _audit(loan: Loan, on: date, channel: str) -> None:
    record(
        None,
        "remind",
        loan,
        after={"kind": OVERDUE, "channel": channel, "sent_on": on},
        territory_id=loan.territory_id,
        label=f"{loan.item.code} {loan.item.name}",
    )


def reminder_email(user: User, loans: list[Loan], on: date) -> EmailMessage:
    """The reminder e-mail, in the talent's language."""
    with force_locale(user.locale or "fr"):
        subject = ngettext("Reminder: %(num)d tool to bring back", "Reminder: %(num)d tools to bring back", len(loans))
        lines = [_("Hello %(name)s,", name=user.full_name), "", _("These tools were due back at the lab:")]
        for loan in loans:
            due = format_date(loan.due_at.astimezone(clock.LAB_TZ).date(), "d MMMM yyyy")
            lines.append(f"- {loan.item.code} {loan.item.name}: " + _("due %(date)s", date=due))
        lines += ["", _("Please bring them back, or talk to the lab team if you need more time."), "", "RepairLab"]
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config.get("MAIL_FROM") or "repairlab@localhost"
    message["To"] = user.email
    message.set_content("\n".join(lines))
    return message


def send_reminders(on: date | None = None, mailer: Mailer | None = None) -> dict[str, int]:
    """Remind every talent with an overdue loan, once per loan, day and channel; commit; return the counts."""
    on = on or clock.today()
    mailer = mailer or smtp_mailer()
    counts = {"overdue": 0, IN_APP: 0, EMAIL: 0, "email_failed": 0}
    by_user: dict[int, list[Loan]] = {}
    for loan in overdue_loans(on):
        counts["overdue"] += 1
        if _claim(loan, on, IN_APP):
            _audit(loan, on, IN_APP)
            counts[IN_APP] += 1
        if mailer is not None and loan.borrower.email and loan.borrower.active:
            by_user.setdefault(loan.borrower_id, []).append(loan)
    db.session.commit()
    for loans in by_user.values():
        claimed = [loan for loan in loans if _claim(loan, on, EMAIL)]
        if not claimed:
            continue
        user_id = claimed[0].borrower_id
        try:
            mailer(reminder_email(claimed[0].borrower, claimed, on))
        except (OSError, smtplib.SMTPException) as error:
            # Not sent: drop the claims so that the next run tries again (never log credentials). An explicit
            # delete, because SQLite's driver may already have released the savepoints for good.
            db.session.rollback()
            db.session.execute(
                sa.delete(Reminder).where(
                    Reminder.loan_id.in_([loan.id for loan in claimed]),
                    Reminder.kind == OVERDUE,
                    Reminder.sent_on == on,
                    Reminder.channel == EMAIL,
                )
            )
            db.session.commit()
            log.warning("reminder e-mail to user %s failed: %s", user_id, type(error).__name__)
            counts["email_failed"] += len(claimed)
            continue
        for loan in claimed:
            _audit(loan, on, EMAIL)
        db.session.commit()
        counts[EMAIL] += len(claimed)
    return counts


def reminded_late_loans(user: User) -> list[Loan]:
    """A talent's open loans that an in-app reminder was sent about, soonest due first (one query)."""
    reminded = sa.exists().where(Reminder.loan_id == Loan.id, Reminder.channel == IN_APP)
    return list(
        db.session.scalars(
            sa.select(Loan)
            .where(Loan.borrower_id == user.id, Loan.returned_at.is_(None), reminded)
            .options(joinedload(Loan.item))
            .order_by(Loan.due_at, Loan.id)
            .limit(NOTICE_ROWS)
        )
    )


def late_notice_context(user: User) -> dict | None:
    """The talent's home panel "You have N late loans", or None when there is nothing to say."""
    loans = reminded_late_loans(user)
    if not loans:
        return None
    return {"loans": loans}


@click.command("send-reminders")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Day (default: today).")
@with_appcontext
def send_reminders_command(on) -> None:
    """Send today's overdue reminders (in-app, and e-mail when MAIL_SERVER is set); safe to run twice."""
    counts = send_reminders(on.date() if on else None)
    click.echo(
        f"overdue loans: {counts['overdue']}; in-app reminders: {counts[IN_APP]}; "
        f"e-mails: {counts[EMAIL]}; e-mails failed: {counts['email_failed']}"
    )
