"""Erasure hooks: what each domain scrubs when a talent is erased on request (registered in init_app). The rows
stay, anonymous: only the free text the talent wrote, their photos and their member card go."""

from __future__ import annotations

import sqlalchemy as sa

from repairlab.clock import utcnow
from repairlab.extensions import db
from repairlab.images import delete_image_after_commit
from repairlab.inventory.models import ProblemReport
from repairlab.lending.models import MemberCard
from repairlab.lending.reservations.models import Reservation
from repairlab.people.models import User
from repairlab.programme.models import PathEvent
from repairlab.skills.models import SkillValidation, ValidationKind

# What a scrubbed free text reads: the rows keep a sign that something was there.
ERASED_TEXT = "—"


def _forget_photos(model, *where) -> None:
    """Delete the stored photo files of the rows (once the erasure commits) before their keys are cleared."""
    rows = db.session.execute(
        sa.select(model.photo_key, model.photo_thumb_key).where(*where, model.photo_key.is_not(None))
    ).all()
    keys = [key for row in rows for key in row if key]
    if keys:
        delete_image_after_commit(*keys)


def scrub_programme(person: User) -> None:
    """The staff's notes on the talent's path steps."""
    db.session.execute(sa.update(PathEvent).where(PathEvent.talent_id == person.id).values(note=""))


def scrub_inventory(person: User) -> None:
    """The problem reports the talent wrote: their words and photo; the report (and its item's history) stays."""
    _forget_photos(ProblemReport, ProblemReport.reporter_id == person.id)
    db.session.execute(
        sa.update(ProblemReport)
        .where(ProblemReport.reporter_id == person.id)
        .values(description=ERASED_TEXT, photo_key=None, photo_thumb_key=None)
    )


def scrub_lending(person: User) -> None:
    """The purposes the talent wrote on reservations, and their member card (revoked: it no longer finds them)."""
    db.session.execute(sa.update(Reservation).where(Reservation.reserved_by_id == person.id).values(purpose=""))
    db.session.execute(
        sa.update(MemberCard)
        .where(MemberCard.user_id == person.id, MemberCard.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def scrub_skills(person: User) -> None:
    """What the talent wrote on the skills they declared, and the photos of their validations (which may show
    them); the validations stay, with their levels and dates."""
    db.session.execute(
        sa.update(SkillValidation)
        .where(SkillValidation.talent_id == person.id, SkillValidation.kind == ValidationKind.DECLARED)
        .values(note="", evidence_url="")
    )
    _forget_photos(SkillValidation, SkillValidation.talent_id == person.id)
    db.session.execute(
        sa.update(SkillValidation)
        .where(SkillValidation.talent_id == person.id)
        .values(photo_key=None, photo_thumb_key=None)
    )


HOOKS = {
    "programme": scrub_programme,
    "inventory": scrub_inventory,
    "lending": scrub_lending,
    "skills": scrub_skills,
}
