"""Erasing a talent on request (GDPR): their identity, contact details and the free text they wrote go; what they
did (loans, validations, path, exit) stays as anonymous records, so that every indicator is unchanged."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.audit.services import record
from repairlab.errors import Conflict, PermissionDenied
from repairlab.extensions import db
from repairlab.people.models import Role, User
from repairlab.people.registry import erasure_hooks

# The domain of erased accounts' e-mail addresses: reserved (RFC 2606), so that no mail can ever reach anyone.
ERASED_EMAIL_DOMAIN = "erased.invalid"


def erased_name(user_id: int) -> str:
    """The name an erased talent keeps: only their number, the same in every language."""
    return f"Talent #{user_id}"


def can_erase(actor: User, person: User) -> bool:
    """Whether this actor may erase this person: administrators, a talent's account, not already erased."""
    return actor.role == Role.ADMIN and person.role == Role.PARTICIPANT and person.erased_at is None


def erase_person(actor: User, person: User) -> User:
    """Erase a talent's identity, contact details and free text; keep their records anonymously.

    Each domain scrubs its own tables through the erasure hooks; past audit entries about the account lose the
    values they held; the log keeps one entry saying that an erasure happened, with no value.
    """
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator may erase a person."))
    if person.role != Role.PARTICIPANT:
        raise PermissionDenied(_("Only a talent's account can be erased here."))
    if person.erased_at is not None:
        raise Conflict(_("This person has already been erased."))
    for hook in erasure_hooks:
        hook(person)
    name, old_name = erased_name(person.id), person.full_name
    person.full_name = name
    person.email = f"erased-{person.id}@{ERASED_EMAIL_DOMAIN}"
    person.phone = ""
    # No password can match a random string that is not a hash, and every session ends.
    person.password_hash = "!" + secrets.token_hex(16)
    person.session_token = secrets.token_hex(16)
    person.active = False
    person.erased_at = clock.utcnow()
    # The log no longer holds the erased values: past entries about the account keep what happened, not what it was.
    db.session.execute(
        sa.update(AuditEntry)
        .where(AuditEntry.object_type == User.__tablename__, AuditEntry.object_id == str(person.id))
        .values(object_label=name, before=None, after=None)
    )
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.actor_id == person.id).values(actor_label=name))
    # Other entries named them in their label (a loan, a step of their path): the name gives way to the number.
    db.session.execute(
        sa.update(AuditEntry)
        .where(AuditEntry.object_label.contains(old_name, autoescape=True))
        .values(object_label=sa.func.replace(AuditEntry.object_label, old_name, name))
    )
    db.session.flush()
    record(actor, "erase", person, label=name)
    return person
