"""Read-side queries of skills that other domains call: the catalogue for a select box, whom to ask for a
validation, and what people currently hold (the rows the "may use" rule and matching read)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from repairlab import clock
from repairlab.extensions import db
from repairlab.pagination import contains
from repairlab.people.models import Role, User
from repairlab.skills.models import Skill, SkillDomain, SkillValidation, ValidationKind, ValidationStatus


def catalogue_choices(include_inactive: bool = False) -> dict[str, list[tuple[int, str]]]:
    """Skills grouped by domain name, for a select box with option groups (one query)."""
    stmt = (
        sa.select(Skill.id, Skill.name, Skill.is_safety, SkillDomain.name)
        .join(SkillDomain, SkillDomain.id == Skill.domain_id)
        .order_by(SkillDomain.position, SkillDomain.name, Skill.name)
    )
    if not include_inactive:
        stmt = stmt.where(Skill.active.is_(True))
    groups: dict[str, list[tuple[int, str]]] = {}
    for skill_id, name, is_safety, domain_name in db.session.execute(stmt):
        label = _("%(name)s (safety)", name=name) if is_safety else name
        groups.setdefault(domain_name, []).append((skill_id, label))
    return groups


def catalogue_query(*, q: str = "", domain_id: int | None = None, include_inactive: bool = False) -> sa.Select:
    """The catalogue's skills with their domain, by domain then name: the catalogue page's list and the API's."""
    stmt = (
        sa.select(Skill)
        .join(SkillDomain, SkillDomain.id == Skill.domain_id)
        .options(joinedload(Skill.domain))
        .order_by(SkillDomain.position, SkillDomain.name, Skill.name, Skill.id)
    )
    if not include_inactive:
        stmt = stmt.where(Skill.active.is_(True))
    if domain_id:
        stmt = stmt.where(Skill.domain_id == domain_id)
    if q:
        stmt = stmt.where(sa.or_(contains(Skill.name, q), contains(Skill.description, q)))
    return stmt


# How many people the item page names when a talent must have a skill validated: enough to find one in the lab.
VALIDATORS_NAMED = 6


def validators_for(talent: User, *, limit: int = VALIDATORS_NAMED) -> list[User]:
    """Whom a talent can ask to validate a skill, in person: the active lab managers and mentors of their territory,
    lab managers first, by name (one query; none without a territory). Administrators, who run the programme
    from afar, are not named."""
    if talent.territory_id is None:
        return []
    lab_managers_first = sa.case((User.role == Role.LAB_MANAGER, 0), else_=1)
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.territory_id == talent.territory_id,
                User.role.in_((Role.LAB_MANAGER, Role.MENTOR)),
                User.active.is_(True),
                User.id != talent.id,
            )
            .order_by(lab_managers_first, User.full_name, User.id)
            .limit(limit)
        )
    )


# --- What people hold: read by the "may use" rule, matching and projects ---------------------------------


@dataclass(frozen=True)
class HeldSkill:
    """What a person currently holds of one skill: the validated record in force and any declaration."""

    user_id: int
    skill_id: int
    validated_level: int | None = None  # the current validation's level, even when expired
    validated_on: date | None = None
    expires_on: date | None = None
    expired: bool = False
    declared_level: int | None = None
    validation_id: int | None = None

    @property
    def level(self) -> int | None:
        """The validated level that counts today: None when there is none or it has expired."""
        return None if self.expired else self.validated_level


def held_from_rows(rows: Iterable, on: date) -> dict[tuple[int, int], HeldSkill]:
    """Holdings keyed by (user id, skill id) from rows of the HOLDING_COLUMNS, as they stand on a day."""
    parts: dict[tuple[int, int], dict] = {}
    for talent_id, skill_id, kind, level, validated_on, expires_on, record_id in rows:
        entry = parts.setdefault((talent_id, skill_id), {"user_id": talent_id, "skill_id": skill_id})
        if kind == ValidationKind.VALIDATED:
            entry.update(
                validated_level=level,
                validated_on=validated_on,
                expires_on=expires_on,
                expired=expires_on is not None and on >= expires_on,
                validation_id=record_id,
            )
        else:
            entry["declared_level"] = level
    return {key: HeldSkill(**values) for key, values in parts.items()}


# The shape of a holding row, as may_use(holdings=...) and held_from_rows() read it: these SkillValidation
# columns, in this order. A caller that reads the rows itself (inventory's requirements) selects them from here.
HOLDING_COLUMNS = ("talent_id", "skill_id", "kind", "level", "validated_on", "expires_on", "id")


def current_rows_stmt() -> sa.Select:
    """The statement of every current (active) validation and declaration, as rows of the HOLDING_COLUMNS."""
    return sa.select(*(getattr(SkillValidation, name) for name in HOLDING_COLUMNS)).where(
        SkillValidation.status == ValidationStatus.ACTIVE
    )


def validated_on_day(on: date) -> sa.ColumnElement[bool]:
    """SQL: a SkillValidation row that counts on that day: active, validated (not declared), not expired (a
    validation is valid until, not including, its expires_on: SkillValidation.expired_on says the same)."""
    return sa.and_(
        SkillValidation.status == ValidationStatus.ACTIVE,
        SkillValidation.kind == ValidationKind.VALIDATED,
        sa.or_(SkillValidation.expires_on.is_(None), SkillValidation.expires_on > on),
    )


def current_levels(
    user_ids: Sequence[int], skill_ids: Sequence[int] | None = None, *, on: date | None = None
) -> dict[tuple[int, int], HeldSkill]:
    """Current holdings keyed by (user id, skill id), in one query; pairs with no record are absent."""
    if not user_ids:
        return {}
    stmt = current_rows_stmt().where(SkillValidation.talent_id.in_(sorted(set(user_ids))))
    if skill_ids is not None:
        if not skill_ids:
            return {}
        stmt = stmt.where(SkillValidation.skill_id.in_(sorted(set(skill_ids))))
    return held_from_rows(db.session.execute(stmt), on or clock.today())


_SKILL_COLUMNS = frozenset(column.key for column in sa.inspect(Skill).column_attrs)


def skills_by_id(skill_ids: Iterable[int]) -> dict[int, Skill]:
    """The skills of these ids that exist, by id (one query at most)."""
    ids = sorted(set(skill_ids))
    if not ids:
        return {}
    # Callers often loaded the skills already (the item page joins them to its requirements): reuse them.
    found = {}
    for skill_id in ids:
        loaded = db.session.identity_map.get(db.session.identity_key(Skill, skill_id))
        # Only fully loaded ones: an expired skill would reload itself, one query each.
        if loaded is not None and not (sa.inspect(loaded).unloaded & _SKILL_COLUMNS):
            found[skill_id] = loaded
    missing = [i for i in ids if i not in found]
    if missing:
        found.update({s.id: s for s in db.session.scalars(sa.select(Skill).where(Skill.id.in_(missing)))})
    return found
