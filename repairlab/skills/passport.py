"""Reading a talent's skills passport, and the public status of a validation (verification page, badges)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from repairlab import clock
from repairlab.extensions import LabelledEnum, db, enum_labels
from repairlab.people.models import User
from repairlab.skills.models import Skill, SkillDomain, SkillValidation, ValidationKind, ValidationStatus


@dataclass(frozen=True)
class Passport:
    """What a talent's passport shows, loaded in one query."""

    talent: User
    on: date
    validated: list[tuple[SkillDomain, list[SkillValidation]]]  # current validations, grouped by domain
    declared: list[SkillValidation]  # current declarations (never counted as validated)
    timeline: list[SkillValidation]  # every record, newest first
    validated_levels: dict[int, int]  # skill id -> current validated level (expired included)


def passport(talent: User, *, on: date | None = None) -> Passport:
    """A talent's passport: current validated skills by domain, declarations, and the full history."""
    on = on or clock.today()
    records = db.session.scalars(
        sa.select(SkillValidation)
        .where(SkillValidation.talent_id == talent.id)
        .options(
            joinedload(SkillValidation.skill).joinedload(Skill.domain),
            joinedload(SkillValidation.validator),
            joinedload(SkillValidation.withdrawn_by),
            joinedload(SkillValidation.territory),
        )
        .order_by(SkillValidation.validated_on.desc(), SkillValidation.id.desc())
    ).all()
    by_domain: dict[int, list[SkillValidation]] = defaultdict(list)
    domains: dict[int, SkillDomain] = {}
    declared, levels = [], {}
    for v in records:
        if v.status != ValidationStatus.ACTIVE:
            continue
        if v.kind == ValidationKind.VALIDATED:
            by_domain[v.skill.domain_id].append(v)
            domains[v.skill.domain_id] = v.skill.domain
            levels[v.skill_id] = v.level
        else:
            declared.append(v)
    ordered = sorted(domains.values(), key=lambda d: (d.position, d.name.casefold()))
    validated = [(d, sorted(by_domain[d.id], key=lambda v: v.skill.name.casefold())) for d in ordered]
    declared.sort(key=lambda v: v.skill.name.casefold())
    return Passport(
        talent=talent, on=on, validated=validated, declared=declared, timeline=list(records), validated_levels=levels
    )


class PublicStatus(LabelledEnum):
    """What the public verification page says about a validation."""

    VALID = "valid"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    SUPERSEDED_HIGHER = "superseded_higher"
    SUPERSEDED = "superseded"

    @property
    def is_good(self) -> bool:
        """Whether the skill was reached and the credential still stands."""
        return self in (PublicStatus.VALID, PublicStatus.SUPERSEDED_HIGHER)


PUBLIC_STATUS_LABELS = enum_labels(
    PublicStatus,
    {
        PublicStatus.VALID: _l("Valid"),
        PublicStatus.EXPIRED: _l("Expired"),
        PublicStatus.WITHDRAWN: _l("Withdrawn"),
        PublicStatus.SUPERSEDED_HIGHER: _l("Valid: a higher level has since been validated"),
        PublicStatus.SUPERSEDED: _l("Replaced by a newer assessment"),
    },
)


def get_by_token(token: str) -> SkillValidation | None:
    """The validated record behind a public verification link, or None (declarations have no link)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        sa.select(SkillValidation)
        .where(SkillValidation.token == token, SkillValidation.kind == ValidationKind.VALIDATED)
        .options(
            joinedload(SkillValidation.skill).joinedload(Skill.domain),
            joinedload(SkillValidation.territory),
            joinedload(SkillValidation.superseded_by),
        )
    )


def public_status(validation: SkillValidation, *, on: date | None = None) -> PublicStatus:
    """The status of a validation as the verification page and the badge state it."""
    on = on or clock.today()
    if validation.status == ValidationStatus.WITHDRAWN:
        return PublicStatus.WITHDRAWN
    if validation.status == ValidationStatus.SUPERSEDED:
        newer = validation.superseded_by
        if newer is not None and newer.level > validation.level and newer.status != ValidationStatus.WITHDRAWN:
            return PublicStatus.SUPERSEDED_HIGHER
        return PublicStatus.SUPERSEDED
    if validation.is_expired(on):
        return PublicStatus.EXPIRED
    return PublicStatus.VALID
