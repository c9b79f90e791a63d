"""A talent's skills passport changes: a mentor or lab manager validates a skill, a talent declares one, either
is withdrawn."""

from __future__ import annotations

import calendar
import secrets
from datetime import date
from typing import IO
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from repairlab import clock, dates
from repairlab.audit.services import record, snapshot
from repairlab.clock import utcnow
from repairlab.database import flush_or_conflict
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.images import delete_image, save_image
from repairlab.people.models import Role, User
from repairlab.skills.access import VALIDATOR_ROLES, can_validate, can_withdraw
from repairlab.skills.catalogue import check_skill
from repairlab.skills.levels import check_level, level_label
from repairlab.skills.models import Skill, SkillValidation, ValidationKind, ValidationStatus
from repairlab.text import clean_text

VALIDATION_FIELDS = (
    "talent_id",
    "skill_id",
    "territory_id",
    "level",
    "kind",
    "status",
    "validated_on",
    "validator_id",
    "note",
    "photo_key",
    "evidence_url",
    "expires_on",
    "superseded_by_id",
    "withdrawn_by_id",
    "withdraw_reason",
)
MAX_NOTE = 2000
MAX_REASON = 500
MAX_URL = 500


def _raced() -> str:
    return _("Someone else has just changed this skill for this talent. Reload the page and try again.")


def add_months(start: date, months: int) -> date:
    """The same day some months later (the month's last day when it is shorter)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _current(talent_id: int, skill_id: int, kind: ValidationKind) -> SkillValidation | None:
    return db.session.scalar(
        sa.select(SkillValidation).where(
            SkillValidation.talent_id == talent_id,
            SkillValidation.skill_id == skill_id,
            SkillValidation.kind == kind,
            SkillValidation.status == ValidationStatus.ACTIVE,
        )
    )


def clean_evidence_url(url: str) -> str:
    """An evidence link: a web address (http/https) or a page of this site (/repairs/12); "" for none."""
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > MAX_URL:
        raise ValidationError(
            _("The link is too long (%(num)d characters at most).", num=MAX_URL), field="evidence_url"
        )
    parts = urlsplit(url)
    local = url.startswith("/") and not url.startswith("//") and "\\" not in url
    web = parts.scheme in ("http", "https") and bool(parts.netloc)
    if not (local or web) or any(c.isspace() for c in url):
        raise ValidationError(
            _("The link must start with https:// (or be a page of RepairLab, such as /repairs/12)."),
            field="evidence_url",
        )
    return url


def _check_talent(talent: User) -> None:
    if talent.role != Role.PARTICIPANT:
        raise ValidationError(_("Only talents have a skills passport."))


def _supersede(old: SkillValidation, actor: User | None) -> None:
    before = snapshot(old, ("status",))
    old.status = ValidationStatus.SUPERSEDED
    old.superseded_at = utcnow()
    record(actor, "update", old, before=before, after=snapshot(old, ("status",)))


def validate_skill(
    actor: User,
    talent: User,
    skill: Skill | None,
    *,
    level: int,
    validated_on: date | None = None,
    note: str = "",
    photo: IO[bytes] | None = None,
    evidence_url: str = "",
) -> SkillValidation:
    """Validate a talent's skill at a level; the current validation (and declaration) of it is kept as history."""
    if actor.id == talent.id:
        raise PermissionDenied(_("You cannot validate your own skills."))
    _check_talent(talent)
    if actor.role not in VALIDATOR_ROLES:
        raise PermissionDenied(_("Only mentors, lab managers and administrators validate skills."))
    if not can_validate(actor, talent):
        raise PermissionDenied(_("You can only validate the skills of talents of your territory."))
    skill = check_skill(skill)
    level = check_level(level)
    now = clock.today()
    validated_on = validated_on or now
    if validated_on > now:
        raise ValidationError(_("The date cannot be in the future."), field="validated_on")
    dates.check_day(validated_on, "validated_on")
    note = clean_text(note, field="note", limit=MAX_NOTE)
    evidence_url = clean_evidence_url(evidence_url)
    current = _current(talent.id, skill.id, ValidationKind.VALIDATED)
    if current is not None and validated_on < current.validated_on:
        raise ValidationError(
            _(
                "This skill was last validated on %(date)s. The new date must be that day or later.",
                date=format_date(current.validated_on, "long"),
            ),
            field="validated_on",
        )
    declaration = _current(talent.id, skill.id, ValidationKind.DECLARED)

    # The photo is stored last, once every rule has said yes.
    stored = save_image(photo) if photo is not None else None
    expires_on = None
    if skill.is_safety and skill.validity_months:
        expires_on = add_months(validated_on, skill.validity_months)
    old = [v for v in (current, declaration) if v is not None]
    for previous in old:
        _supersede(previous, actor)
    validation = SkillValidation(
        talent_id=talent.id,
        skill_id=skill.id,
        territory_id=talent.territory_id,
        level=level,
        kind=ValidationKind.VALIDATED,
        status=ValidationStatus.ACTIVE,
        validated_on=validated_on,
        validator_id=actor.id,
        note=note,
        evidence_url=evidence_url,
        expires_on=expires_on,
        photo_key=stored.key if stored else None,
        photo_thumb_key=stored.thumb_key if stored else None,
        token=secrets.token_urlsafe(24),
    )
    validation.skill = skill
    _insert_current(validation, old, stored)
    record(actor, "create", validation, after=snapshot(validation, VALIDATION_FIELDS))
    return validation


def _insert_current(new: SkillValidation, old: list[SkillValidation], stored=None) -> None:
    """Insert the new current record after the old ones left the "current" slot; the database has the last word."""
    db.session.flush()  # the old records first: the partial unique index allows one current record
    try:
        flush_or_conflict(_raced(), new=new)
    except Conflict:
        if stored is not None:
            delete_image(stored.key)
            delete_image(stored.thumb_key)
        raise
    for previous in old:
        previous.superseded_by_id = new.id


def declare_skill(talent: User, skill: Skill | None, *, level: int, note: str = "") -> SkillValidation:
    """A talent says they hold a skill at a level; shown as declared, it never counts as validated."""
    if talent.role != Role.PARTICIPANT:
        raise PermissionDenied(_("Only talents declare their own skills."))
    skill = check_skill(skill)
    level = check_level(level)
    note = clean_text(note, field="note", limit=MAX_NOTE)
    now = clock.today()
    validated = _current(talent.id, skill.id, ValidationKind.VALIDATED)
    if validated is not None and not validated.is_expired(now) and validated.level >= level:
        raise Conflict(
            _(
                "“%(skill)s” is already validated for you at level %(num)d (%(label)s).",
                skill=skill.name,
                num=validated.level,
                label=level_label(validated.level),
            ),
            field="level",
        )
    current = _current(talent.id, skill.id, ValidationKind.DECLARED)
    if current is not None and current.level == level:
        raise Conflict(_("You have already declared this skill at this level."), field="level")
    old = [current] if current is not None else []
    for previous in old:
        _supersede(previous, talent)
    declaration = SkillValidation(
        talent_id=talent.id,
        skill_id=skill.id,
        territory_id=talent.territory_id,
        level=level,
        kind=ValidationKind.DECLARED,
        status=ValidationStatus.ACTIVE,
        validated_on=now,
        note=note,
    )
    declaration.skill = skill
    _insert_current(declaration, old)
    record(talent, "create", declaration, after=snapshot(declaration, VALIDATION_FIELDS))
    return declaration


def withdraw_validation(actor: User, validation: SkillValidation, *, reason: str) -> SkillValidation:
    """Withdraw a validation (or declaration) with a reason; withdrawing the current one brings back the one it
    replaced, so a wrong level entered by mistake can be undone."""
    if not can_withdraw(actor, validation):
        raise PermissionDenied(_("You may not withdraw this."))
    if validation.status == ValidationStatus.WITHDRAWN:
        raise Conflict(_("This has already been withdrawn."))
    reason = clean_text(reason, field="reason", limit=MAX_REASON, required=_("Say why you withdraw it."))
    was_current = validation.status == ValidationStatus.ACTIVE
    before = snapshot(validation, ("status", "withdrawn_by_id", "withdraw_reason"))
    validation.status = ValidationStatus.WITHDRAWN
    validation.withdrawn_at = utcnow()
    validation.withdrawn_by_id = actor.id
    validation.withdraw_reason = reason
    db.session.flush()
    record(
        actor,
        "update",
        validation,
        before=before,
        after=snapshot(validation, ("status", "withdrawn_by_id", "withdraw_reason")),
    )
    if was_current:
        previous = db.session.scalar(
            sa.select(SkillValidation)
            .where(
                SkillValidation.superseded_by_id == validation.id,
                SkillValidation.kind == validation.kind,
                SkillValidation.status == ValidationStatus.SUPERSEDED,
            )
            .order_by(SkillValidation.id.desc())
            .limit(1)
        )
        if previous is not None:
            before = snapshot(previous, ("status", "superseded_by_id"))
            previous.status = ValidationStatus.ACTIVE
            previous.superseded_by_id = None
            previous.superseded_at = None
            flush_or_conflict(_raced(), "reason")
            record(actor, "update", previous, before=before, after=snapshot(previous, ("status", "superseded_by_id")))
    return validation
