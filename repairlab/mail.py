"""E-mail through the configured SMTP server (MAIL_SERVER), for reminders and notices; nothing is sent without it."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from email.message import EmailMessage

from flask import current_app

Mailer = Callable[[EmailMessage], None]


def smtp_mailer() -> Mailer | None:
    """Send through the configured SMTP server, or None when MAIL_SERVER is not set."""
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if not server:
        return None

    def send(message: EmailMessage) -> None:
        with smtplib.SMTP(server, int(config.get("MAIL_PORT") or 25), timeout=30) as smtp:
            if config.get("MAIL_USERNAME"):
                smtp.starttls()
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)

    return send


def sender() -> str:
    """The From address of RepairLab's e-mails."""
    return current_app.config.get("MAIL_FROM") or "repairlab@localhost"
