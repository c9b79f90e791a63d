"""Home-page panels of the skills domain: a talent's latest skills; the declarations waiting in a territory."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from repairlab import clock
from repairlab.extensions import db
from repairlab.pages import HomePanel, home_panels
from repairlab.people.models import Role, User
from repairlab.skills.models import SkillValidation, ValidationKind, ValidationStatus

RECENT = 5
WAITING = 8


def my_skills_context(user: User) -> dict:
    """A talent: their latest validated skills and how many they hold and have declared (two queries)."""
    latest = db.session.scalars(
        sa.select(SkillValidation)
        .where(
            SkillValidation.talent_id == user.id,
            SkillValidation.status == ValidationStatus.ACTIVE,
            SkillValidation.kind == ValidationKind.VALIDATED,
        )
        .options(joinedload(SkillValidation.skill))
        .order_by(SkillValidation.validated_on.desc(), SkillValidation.id.desc())
        .limit(RECENT)
    ).all()
    counts = dict(
        db.session.execute(
            sa.select(SkillValidation.kind, sa.func.count(SkillValidation.id))
            .where(SkillValidation.talent_id == user.id, SkillValidation.status == ValidationStatus.ACTIVE)
            .group_by(SkillValidation.kind)
        ).all()
    )
    return {
        "latest": latest,
        "validated": counts.get(ValidationKind.VALIDATED, 0),
        "declared": counts.get(ValidationKind.DECLARED, 0),
        "on": clock.today(),
    }


def territory_skills_context(user: User) -> dict | None:
    """Mentors and lab managers: declarations waiting for a validation, and the latest validations (two queries)."""
    if user.territory_id is None:
        return None
    validated = aliased(SkillValidation)
    # A declaration waits when no current validation of the same skill reaches its level.
    covered = (
        sa.select(validated.id)
        .where(
            validated.talent_id == SkillValidation.talent_id,
            validated.skill_id == SkillValidation.skill_id,
            validated.kind == ValidationKind.VALIDATED,
            validated.status == ValidationStatus.ACTIVE,
            validated.level >= SkillValidation.level,
        )
        .exists()
    )
    waiting = db.session.scalars(
        sa.select(SkillValidation)
        .join(User, User.id == SkillValidation.talent_id)
        .where(
            User.territory_id == user.territory_id,
            User.active.is_(True),
            SkillValidation.kind == ValidationKind.DECLARED,
            SkillValidation.status == ValidationStatus.ACTIVE,
            ~covered,
        )
        .options(joinedload(SkillValidation.talent), joinedload(SkillValidation.skill))
        .order_by(SkillValidation.validated_on, SkillValidation.id)
        .limit(WAITING)
    ).all()
    recent = db.session.scalars(
        sa.select(SkillValidation)
        .where(SkillValidation.territory_id == user.territory_id, SkillValidation.kind == ValidationKind.VALIDATED)
        .options(
            joinedload(SkillValidation.talent), joinedload(SkillValidation.skill), joinedload(SkillValidation.validator)
        )
        .order_by(SkillValidation.created_at.desc(), SkillValidation.id.desc())
        .limit(RECENT)
    ).all()
    return {"waiting": waiting, "recent": recent}


def register_panels() -> None:
    """Register the skills domain's home panels."""
    home_panels.register(
        "skills.mine", HomePanel(frozenset({Role.PARTICIPANT}), "skills/panels/mine.html", my_skills_context), order=30
    )
    home_panels.register(
        "skills.territory",
        HomePanel(frozenset({Role.MENTOR, Role.LAB_MANAGER}), "skills/panels/territory.html", territory_skills_context),
        order=30,
    )
