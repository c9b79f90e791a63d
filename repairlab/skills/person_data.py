"""What the skills domain holds about a talent: their validations as timeline lines and in "download my data",
and what their erasure scrubs (what they wrote on skills they declared, the photos of their validations)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from repairlab.extensions import db
from repairlab.images import delete_row_photos_after_commit
from repairlab.people.models import User
from repairlab.people.registry import (
    TIMELINE_SOURCE_ROWS,
    TimelineEntry,
    erasure_hooks,
    personal_data_sources,
    plain_rows,
    timeline_sources,
)
from repairlab.skills.models import Skill, SkillValidation, ValidationKind


def timeline_entries(talent: User, viewer: User) -> list[TimelineEntry]:
    """Skills validated or declared (one query)."""
    rows = db.session.scalars(
        sa.select(SkillValidation)
        .options(joinedload(SkillValidation.skill))
        .where(SkillValidation.talent_id == talent.id)
        .order_by(SkillValidation.validated_on.desc())
        .limit(TIMELINE_SOURCE_ROWS)
    )
    return [
        TimelineEntry(
            v.validated_on,
            "skill",
            _("Skill"),
            _("Skill %(kind)s: %(skill)s", kind=v.kind.label.lower(), skill=v.skill.name),
            f"{v.level_label} — {v.status.label}",
            url_for("skills.passport", user_id=talent.id),
        )
        for v in rows
    ]


def personal_data(person: User) -> dict[str, list[dict[str, Any]]]:
    """The talent's skills: validated, declared, withdrawn."""
    return {
        "skills": plain_rows(
            sa.select(
                Skill.name.label("skill"),
                SkillValidation.level,
                SkillValidation.kind,
                SkillValidation.status,
                SkillValidation.validated_on,
                SkillValidation.note,
            )
            .join(Skill, Skill.id == SkillValidation.skill_id)
            .where(SkillValidation.talent_id == person.id)
            .order_by(SkillValidation.validated_on)
        )
    }


def scrub(person: User) -> None:
    """What the talent wrote on the skills they declared, and the photos of their validations (which may show
    them); the validations stay, with their levels and dates."""
    db.session.execute(
        sa.update(SkillValidation)
        .where(SkillValidation.talent_id == person.id, SkillValidation.kind == ValidationKind.DECLARED)
        .values(note="", evidence_url="")
    )
    delete_row_photos_after_commit(SkillValidation, SkillValidation.talent_id == person.id)
    db.session.execute(
        sa.update(SkillValidation)
        .where(SkillValidation.talent_id == person.id)
        .values(photo_key=None, photo_thumb_key=None)
    )


def register() -> None:
    """Register the timeline source, personal data source and erasure hook (called by init_app)."""
    timeline_sources.register("skills.validations", timeline_entries, order=30)
    personal_data_sources.register("skills.validations", personal_data, order=30)
    erasure_hooks.register("skills", scrub)
