"""Overdue reminders: in-app notice, e-mail through SMTP when configured, idempotent daily command."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import ClassVar

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from flask_babel import force_locale, ngettext

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.lending import reminders
from repairlab.lending.models import Reminder
from tests.inventory.conftest import english


class FakeSMTP:
    """Records what would have been sent."""

    sent: ClassVar[list] = []
    logins: ClassVar[list] = []

    def __init__(self, host, port=25, timeout=None):
        self.host, self.port = host, port

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        FakeSMTP.logins.append(user)

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(monkeypatch, app):
    FakeSMTP.sent, FakeSMTP.logins = [], []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setitem(app.config, "MAIL_FROM", "labo@example.org")
    return FakeSMTP


@pytest.fixture
def late_loan(db, tool, talent, lend):
    """A take-home loan of the talent, due three days ago."""
    loan = lend(talent, tool, talent, kind="take_home")
    loan.due_at = clock.end_of_day(clock.today() - timedelta(days=3))
    db.session.commit()
    return loan


def _subject(locale):
    """The subject as the catalogue of that language says it ("Rappel : 1 outil à rapporter" in French)."""
    with force_locale(locale):
        return ngettext("Reminder: %(num)d tool to bring back", "Reminder: %(num)d tools to bring back", 1)


def _due_words(loan, locale):
    return format_date(loan.due_at.astimezone(clock.LAB_TZ).date(), "d MMMM yyyy", locale=locale)


def _reminders(channel=None):
    stmt = sa.select(sa.func.count(Reminder.id))
    if channel:
        stmt = stmt.where(Reminder.channel == channel)
    return db_scalar(stmt)


def db_scalar(stmt):
    from repairlab.extensions import db

    return db.session.scalar(stmt)


def test_an_overdue_loan_gets_one_in_app_reminder_a_day_and_no_email_without_smtp(db, app, late_loan, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    calls = []
    monkeypatch.setattr(smtplib, "SMTP", lambda *a, **k: calls.append(a))
    assert reminders.send_reminders(clock.today())["in_app"] == 1
    assert reminders.send_reminders(clock.today())["in_app"] == 0
    assert _reminders("in_app") == 1 and _reminders("email") == 0 and calls == []
    assert db_scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "remind")) == "remind"


def test_a_loan_not_yet_late_gets_no_reminder(db, tool, talent, lend):
    lend(talent, tool, talent, kind="in_lab")
    assert reminders.send_reminders(clock.today())["overdue"] == 0
    assert _reminders() == 0


def test_email_goes_through_smtp_in_the_talents_language_once_a_day(db, late_loan, talent, smtp):
    talent.locale = "fr"
    db.session.commit()
    counts = reminders.send_reminders(clock.today())
    assert counts["email"] == 1 and counts["in_app"] == 1
    [message] = smtp.sent
    assert message["Subject"] == _subject("fr") and message["To"] == talent.email
    assert _due_words(late_loan, "fr") in message.get_content()  # French month name, whatever the catalogue
    assert message["From"] == "labo@example.org" and late_loan.item.code in message.get_content()
    assert reminders.send_reminders(clock.today())["email"] == 0
    assert len(smtp.sent) == 1


def test_email_in_english_for_an_english_speaking_talent(db, late_loan, talent, smtp):
    talent.locale = "en"
    db.session.commit()
    reminders.send_reminders(clock.today())
    assert smtp.sent[0]["Subject"] == "Reminder: 1 tool to bring back"
    assert _due_words(late_loan, "en") in smtp.sent[0].get_content()


def test_a_failed_email_is_tried_again_next_run(db, late_loan, smtp, monkeypatch):
    def broken(self, message):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(FakeSMTP, "send_message", broken)
    assert reminders.send_reminders(clock.today())["email_failed"] == 1
    assert _reminders("email") == 0 and _reminders("in_app") == 1
    monkeypatch.undo()


def test_a_new_day_sends_a_new_reminder(db, late_loan, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    today = clock.today()
    reminders.send_reminders(today)
    assert reminders.send_reminders(today + timedelta(days=1))["in_app"] == 1
    assert _reminders("in_app") == 2


def test_the_command_prints_counts_and_is_idempotent(db, app, late_loan, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    runner = app.test_cli_runner()
    day = clock.today().isoformat()
    first = runner.invoke(args=["send-reminders", "--date", day])
    assert first.exit_code == 0 and "in-app reminders: 1" in first.output
    second = runner.invoke(args=["send-reminders", "--date", day])
    assert second.exit_code == 0 and "in-app reminders: 0" in second.output
    assert _reminders() == 1


def test_the_talent_sees_the_late_notice_on_home_and_my_loans(db, app, client, login, late_loan, talent, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    english(login(talent))
    assert "late loan" not in client.get("/").get_data(as_text=True)
    reminders.send_reminders(clock.today())
    home = client.get("/").get_data(as_text=True)
    assert "You have 1 late loan" in home and late_loan.item.code in home
    assert "You have 1 late loan" in client.get("/lending/my-loans").get_data(as_text=True)
