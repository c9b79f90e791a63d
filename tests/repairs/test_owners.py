"""The owner: the "ready" e-mail in their language (only with a mail server), and their details erased a while after
the object went back, the repair record kept."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import ClassVar

import pytest
import sqlalchemy as sa
import time_machine
from flask import g

from repairlab.clock import utcnow
from repairlab.errors import PermissionDenied
from repairlab.repairs import owners, tickets
from repairlab.repairs.models import Outcome, RepairTicket, TicketStatus


class FakeSMTP:
    """Records the messages instead of sending them."""

    sent: ClassVar[list] = []

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(monkeypatch, app):
    """A mail server that keeps what it is sent."""
    FakeSMTP.sent = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setitem(app.config, "MAIL_FROM", "labo@example.org")
    return FakeSMTP


@pytest.fixture
def owned(make_ticket, lab, db):
    """A toaster whose owner left their first name and e-mail address, in English."""
    lab.opening_hours = "Tuesday, 2 pm to 6 pm"
    db.session.commit()
    return make_ticket(
        brand="Moulinex",
        owner_first_name="Nadia",
        owner_email="nadia@example.org",
        owner_phone="06 12 34 56 78",
        owner_consent=True,
        owner_locale="en",
    )


def _ready(db, ticket, actor):
    tickets.set_outcome(actor, ticket, Outcome.FIXED)
    tickets.change_status(actor, ticket, TicketStatus.READY)
    db.session.commit()


def test_the_ready_email_is_in_the_owners_language_with_the_opening_hours(db, smtp, owned, manager):
    _ready(db, owned, manager)
    assert owners.notify_ready(manager, owned) is True
    db.session.commit()
    [message] = smtp.sent
    assert message["To"] == "nadia@example.org" and message["From"] == "labo@example.org"
    assert message["Subject"] == f"Your object is ready to collect ({owned.code})"
    body = message.get_content()
    assert "Hello Nadia," in body and "Tuesday, 2 pm to 6 pm" in body and f"/q/{owned.code}" in body
    assert owned.owner_notified_at is not None


def test_a_french_owner_gets_it_in_french(db, smtp, make_ticket, manager):
    ticket = make_ticket(owner_email="luc@example.org", owner_consent=True, owner_locale="fr")
    _ready(db, ticket, manager)
    owners.notify_ready(manager, ticket)
    assert smtp.sent[0]["Subject"] == f"Votre objet est prêt à récupérer ({ticket.code})"


def test_no_mail_server_no_email(db, app, owned, manager, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    _ready(db, owned, manager)
    assert owners.can_notify(owned) is False
    assert owners.notify_ready(manager, owned) is False
    assert owned.owner_notified_at is None


def test_moving_to_ready_tells_the_owner_once(db, smtp, client, login, owned, manager):
    tickets.set_outcome(manager, owned, Outcome.FIXED)
    db.session.commit()
    login(manager)
    client.post(f"/repairs/tickets/{owned.id}/status", data={"status": "diagnosed"})
    assert smtp.sent == []
    client.post(f"/repairs/tickets/{owned.id}/status", data={"status": "ready"})
    client.post(f"/repairs/tickets/{owned.id}/status", data={"status": "in_repair"})
    client.post(f"/repairs/tickets/{owned.id}/status", data={"status": "ready"})
    assert len(smtp.sent) == 1
    db.session.expire_all()
    assert db.session.get(RepairTicket, owned.id).owner_notified_at is not None


def test_a_failed_email_says_so_and_records_nothing(db, app, owned, manager, monkeypatch):
    def down(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(smtplib, "SMTP", down)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    _ready(db, owned, manager)
    assert owners.notify_ready(manager, owned) is False
    assert owned.owner_notified_at is None


def test_owners_details_are_erased_after_the_retention_keeping_the_repair(db, app, owned, manager, make_ticket):
    g.lang = "en"
    anonymous = make_ticket()
    _ready(db, owned, manager)
    tickets.change_status(manager, owned, TicketStatus.RETURNED)
    still_here = make_ticket(owner_first_name="Luc", owner_consent=True)
    db.session.commit()
    with time_machine.travel(utcnow() + timedelta(days=89), tick=False):
        assert owners.purge_owners() == 0
    with time_machine.travel(utcnow() + timedelta(days=91), tick=False):
        runner = app.test_cli_runner()
        result = runner.invoke(args=["purge-repair-owners"])
    assert "owners' details erased: 1" in result.output
    db.session.expire_all()
    erased = db.session.get(RepairTicket, owned.id)
    assert (erased.owner_first_name, erased.owner_email, erased.owner_phone) == ("", "", "")
    assert erased.owner_erased_at is not None and erased.owner_consent_at is None
    assert erased.outcome == Outcome.FIXED and erased.brand == "Moulinex" and erased.code == owned.code
    assert db.session.get(RepairTicket, still_here.id).owner_first_name == "Luc"  # still in the lab
    assert db.session.get(RepairTicket, anonymous.id).owner_erased_at is None


def test_the_retention_is_configurable(db, app, owned, manager, monkeypatch):
    monkeypatch.setitem(app.config, "REPAIR_OWNER_RETENTION_DAYS", 7)
    _ready(db, owned, manager)
    tickets.change_status(manager, owned, TicketStatus.RETURNED)
    db.session.commit()
    with time_machine.travel(utcnow() + timedelta(days=8), tick=False):
        assert owners.purge_owners() == 1


def test_the_desk_erases_an_owner_at_once_and_nobody_else(db, owned, manager, make_talent, other_manager):
    for user in (make_talent(), other_manager):
        with pytest.raises(PermissionDenied):
            owners.erase_owner(user, owned)
    owners.erase_owner(manager, owned)
    db.session.commit()
    assert db.session.scalar(sa.select(RepairTicket.owner_email).where(RepairTicket.id == owned.id)) == ""
