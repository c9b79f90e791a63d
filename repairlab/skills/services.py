"""Use cases of the skills passport: the catalogue, validations and declarations, "may use" checks and matching.

The public API for later domains (inventory, lending, projects) is `Requirement`, `may_use`,
`current_levels` and `matching`: they take plain ids and levels and never import those domains.
"""

from __future__ import annotations

import calendar
import re
import secrets
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from typing import IO
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from repairlab import clock, dates
from repairlab.audit.services import PROGRAMME_WIDE, record, snapshot
from repairlab.auth import STAFF_ROLES, can_access_territory
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import LabelledEnum, db, enum_labels, utcnow
from repairlab.images import delete_image, save_image
from repairlab.people.models import Role, User
from repairlab.skills.models import (
    MAX_LEVEL,
    MIN_LEVEL,
    Skill,
    SkillDomain,
    SkillLevel,
    SkillValidation,
    ValidationKind,
    ValidationStatus,
)

# Who validates and withdraws skills (of their own territory; admins everywhere).
VALIDATOR_ROLES = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
# Who edits the programme-wide catalogue: a skill (its safety flag and validity above all) and its domain are
# shared by every territory, so only admins change them.
CATALOGUE_ROLES = frozenset({Role.ADMIN})

DOMAIN_FIELDS = ("name", "description", "position")
SKILL_FIELDS = (
    "domain_id",
    "name",
    "description",
    "discovered_means",
    "practised_means",
    "autonomous_means",
    "can_teach_means",
    "esco_uri",
    "is_safety",
    "validity_months",
    "active",
)
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
ESCO_SKILL_RE = re.compile(
    r"^https?://data\.europa\.eu/esco/skill/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
MAX_NAME = 120
MAX_TEXT = 2000
MAX_REASON = 500
MAX_URL = 500
MAX_VALIDITY_MONTHS = 120


def add_months(start: date, months: int) -> date:
    """The same day some months later (the month's last day when it is shorter)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def normalise_name(name: str) -> str:
    """The key that makes two names duplicates: spaces collapsed, case and accents ignored."""
    text = " ".join((name or "").split()).casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def level_label(level: int) -> str:
    """A level in words, e.g. "practised with help"."""
    return SkillLevel(level).label


def check_level(level: object, field: str = "level") -> int:
    """Return the level as an int, or refuse anything outside the scale."""
    if isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValidationError(_("Choose a level from 1 (discovered) to 4 (can teach)."), field=field)
    return int(level)


# --- Permissions (one place; views call these) -----------------------------------------------------


def can_edit_catalogue(user: User) -> bool:
    """Whether the user may change the catalogue (shared by every territory: admins only)."""
    return user.role in CATALOGUE_ROLES


def can_see_passport(viewer: User, talent: User) -> bool:
    """The talent themself, and mentors, lab managers and admins who may see the talent's territory."""
    if viewer.id == talent.id:
        return True
    return viewer.role in STAFF_ROLES and can_access_territory(viewer, talent.territory_id)


def can_validate(actor: User, talent: User) -> bool:
    """Whether the actor may validate (and withdraw) this talent's skills."""
    return (
        actor.role in VALIDATOR_ROLES
        and actor.id != talent.id
        and talent.role == Role.PARTICIPANT
        and (actor.role == Role.ADMIN or (actor.territory_id is not None and actor.territory_id == talent.territory_id))
    )


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


def can_withdraw(actor: User, validation: SkillValidation) -> bool:
    """Staff who may validate the talent's skills withdraw anything; a talent withdraws only their declarations."""
    if validation.kind == ValidationKind.DECLARED and actor.id == validation.talent_id:
        return True
    return can_validate(actor, validation.talent)


# --- Catalogue ------------------------------------------------------------------------------------


def _check_catalogue_editor(actor: User) -> None:
    if not can_edit_catalogue(actor):
        raise PermissionDenied(_("The skills catalogue is shared by every territory: only administrators change it."))


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Enter a name."), field="name")
    if len(name) > MAX_NAME:
        raise ValidationError(_("The name is too long (%(num)d characters at most).", num=MAX_NAME), field="name")
    return name


def _clean_text(text: str, field: str, limit: int = MAX_TEXT) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise ValidationError(_("This text is too long (%(num)d characters at most).", num=limit), field=field)
    return text


def create_domain(actor: User, *, name: str, description: str = "", position: int = 0) -> SkillDomain:
    """Add a domain to the catalogue; its name must be new (case and accents ignored)."""
    _check_catalogue_editor(actor)
    domain = SkillDomain()
    _fill_domain(domain, name, description, position)
    db.session.add(domain)
    _flush_or_conflict(_("A domain with this name already exists."), "name")
    record(actor, "create", domain, after=snapshot(domain, DOMAIN_FIELDS), territory_id=PROGRAMME_WIDE)
    return domain


def update_domain(actor: User, domain: SkillDomain, *, name: str, description: str, position: int) -> SkillDomain:
    """Rename or describe a domain."""
    _check_catalogue_editor(actor)
    before = snapshot(domain, DOMAIN_FIELDS)
    _fill_domain(domain, name, description, position)
    _flush_or_conflict(_("A domain with this name already exists."), "name")
    record(actor, "update", domain, before=before, after=snapshot(domain, DOMAIN_FIELDS), territory_id=PROGRAMME_WIDE)
    return domain


def _fill_domain(domain: SkillDomain, name: str, description: str, position: int | None) -> None:
    name = _clean_name(name)
    key = normalise_name(name)
    clash = db.session.scalar(sa.select(SkillDomain.id).where(SkillDomain.name_key == key))
    if clash is not None and clash != domain.id:
        raise Conflict(_("A domain with this name already exists."), field="name")
    if position is None or not -1000 <= position <= 1000:
        raise ValidationError(_("The order must be a number from -1000 to 1000."), field="position")
    domain.name, domain.name_key = name, key
    domain.description = _clean_text(description, "description")
    domain.position = position


def clean_esco_uri(uri: str) -> str:
    """Return an ESCO skill URI in its canonical http:// form, "" for none, or refuse anything else."""
    uri = (uri or "").strip()
    if not uri:
        return ""
    match = ESCO_SKILL_RE.match(uri.lower())
    if match is None:
        raise ValidationError(
            _(
                "An ESCO link looks like http://data.europa.eu/esco/skill/ followed by a long code. Copy it from the "
                "ESCO site, or leave it empty."
            ),
            field="esco_uri",
        )
    return f"http://data.europa.eu/esco/skill/{match.group(1)}"


def create_skill(
    actor: User,
    *,
    domain: SkillDomain | None,
    name: str,
    description: str = "",
    discovered_means: str = "",
    practised_means: str = "",
    autonomous_means: str = "",
    can_teach_means: str = "",
    esco_uri: str = "",
    is_safety: bool = False,
    validity_months: int | None = None,
    active: bool = True,
) -> Skill:
    """Add a skill to a domain; its name must be new in the domain (case and accents ignored)."""
    return _save_skill(
        actor,
        Skill(),
        domain,
        name=name,
        description=description,
        meanings=(discovered_means, practised_means, autonomous_means, can_teach_means),
        esco_uri=esco_uri,
        is_safety=is_safety,
        validity_months=validity_months,
        active=active,
    )


def update_skill(
    actor: User,
    skill: Skill,
    *,
    domain: SkillDomain | None,
    name: str,
    description: str,
    discovered_means: str = "",
    practised_means: str = "",
    autonomous_means: str = "",
    can_teach_means: str = "",
    esco_uri: str = "",
    is_safety: bool = False,
    validity_months: int | None = None,
    active: bool = True,
) -> Skill:
    """Change a skill. Validations already given keep the expiry date they were given."""
    return _save_skill(
        actor,
        skill,
        domain,
        name=name,
        description=description,
        meanings=(discovered_means, practised_means, autonomous_means, can_teach_means),
        esco_uri=esco_uri,
        is_safety=is_safety,
        validity_months=validity_months,
        active=active,
    )


def _save_skill(
    actor: User,
    skill: Skill,
    domain: SkillDomain | None,
    *,
    name: str,
    description: str,
    meanings: tuple[str, ...],
    esco_uri: str,
    is_safety: bool,
    validity_months: int | None,
    active: bool,
) -> Skill:
    """Check and write a new or existing skill, flush it and record it in the audit log."""
    _check_catalogue_editor(actor)
    is_new = skill.id is None
    before = None if is_new else snapshot(skill, SKILL_FIELDS)
    if domain is None:
        raise ValidationError(_("Choose a domain."), field="domain_id")
    name = _clean_name(name)
    key = normalise_name(name)
    clash = db.session.scalar(sa.select(Skill.id).where(Skill.domain_id == domain.id, Skill.name_key == key))
    if clash is not None and clash != skill.id:
        raise Conflict(_("This domain already has a skill with this name."), field="name")
    if validity_months is not None:
        if not is_safety:
            raise ValidationError(
                _('Only safety skills expire. Tick "Safety skill" or leave the period empty.'), field="validity_months"
            )
        if not 1 <= validity_months <= MAX_VALIDITY_MONTHS:
            raise ValidationError(
                _("The validity must be from 1 to %(num)d months.", num=MAX_VALIDITY_MONTHS), field="validity_months"
            )
    skill.domain, skill.domain_id = domain, domain.id
    skill.name, skill.name_key = name, key
    skill.description = _clean_text(description, "description")
    fields = ("discovered_means", "practised_means", "autonomous_means", "can_teach_means")
    for attr, text in zip(fields, meanings, strict=True):
        setattr(skill, attr, _clean_text(text, attr, 500))
    skill.esco_uri = clean_esco_uri(esco_uri)
    skill.is_safety, skill.validity_months, skill.active = bool(is_safety), validity_months, bool(active)
    if is_new:
        db.session.add(skill)
    _flush_or_conflict(_("This domain already has a skill with this name."), "name")
    record(
        actor,
        "create" if is_new else "update",
        skill,
        before=before,
        after=snapshot(skill, SKILL_FIELDS),
        territory_id=PROGRAMME_WIDE,
    )
    return skill


def _flush_or_conflict(message: str, field: str) -> None:
    """Flush; a unique constraint hit by someone else at the same moment becomes a clear Conflict."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(message, field=field)


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


# --- Validations and declarations ------------------------------------------------------------------


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


def check_skill(skill: Skill | None) -> Skill:
    """The skill chosen on a form, refused when none was (or an unknown one) or when it is no longer used."""
    if skill is None:
        raise ValidationError(_("Choose a skill."), field="skill_id")
    if not skill.active:
        raise ValidationError(_("This skill is no longer used. Choose another one."), field="skill_id")
    return skill


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
    note = _clean_text(note, "note")
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
    try:
        db.session.flush()  # the old records first: the partial unique index allows one current record
        db.session.add(new)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        if stored is not None:
            delete_image(stored.key)
            delete_image(stored.thumb_key)
        raise Conflict(_("Someone else has just changed this skill for this talent. Reload the page and try again."))
    for previous in old:
        previous.superseded_by_id = new.id


def declare_skill(talent: User, skill: Skill | None, *, level: int, note: str = "") -> SkillValidation:
    """A talent says they hold a skill at a level; shown as declared, it never counts as validated."""
    if talent.role != Role.PARTICIPANT:
        raise PermissionDenied(_("Only talents declare their own skills."))
    skill = check_skill(skill)
    level = check_level(level)
    note = _clean_text(note, "note")
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
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Say why you withdraw it."), field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationError(_("The reason is too long (%(num)d characters at most).", num=MAX_REASON), field="reason")
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
            _flush_or_conflict(
                _("Someone else has just changed this skill for this talent. Reload the page and try again."), "reason"
            )
            record(actor, "update", previous, before=before, after=snapshot(previous, ("status", "superseded_by_id")))
    return validation


# --- Reading a passport -------------------------------------------------------------------------------


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


# --- What people hold: the API for inventory, lending and projects ------------------------------------


@dataclass(frozen=True)
class Requirement:
    """A skill needed at a minimum level; source names what needs it, for the message (a tool, a category)."""

    skill_id: int
    min_level: int
    source: str = ""


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


def _held_from_rows(rows: Iterable, on: date) -> dict[tuple[int, int], HeldSkill]:
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


# The shape of a holding row, as may_use(holdings=...) and _held_from_rows() read it: these SkillValidation
# columns, in this order. A caller that reads the rows itself (inventory's requirements) selects them from here.
HOLDING_COLUMNS = ("talent_id", "skill_id", "kind", "level", "validated_on", "expires_on", "id")


def _current_rows_stmt():
    return sa.select(*(getattr(SkillValidation, name) for name in HOLDING_COLUMNS)).where(
        SkillValidation.status == ValidationStatus.ACTIVE
    )


def current_levels(
    user_ids: Sequence[int], skill_ids: Sequence[int] | None = None, *, on: date | None = None
) -> dict[tuple[int, int], HeldSkill]:
    """Current holdings keyed by (user id, skill id), in one query; pairs with no record are absent."""
    if not user_ids:
        return {}
    stmt = _current_rows_stmt().where(SkillValidation.talent_id.in_(sorted(set(user_ids))))
    if skill_ids is not None:
        if not skill_ids:
            return {}
        stmt = stmt.where(SkillValidation.skill_id.in_(sorted(set(skill_ids))))
    return _held_from_rows(db.session.execute(stmt), on or clock.today())


_SKILL_COLUMNS = frozenset(column.key for column in sa.inspect(Skill).column_attrs)


def _load_skills(requirements: Sequence[Requirement]) -> dict[int, Skill]:
    for req in requirements:
        check_level(req.min_level, field="min_level")
    ids = sorted({req.skill_id for req in requirements})
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


@dataclass(frozen=True)
class UsageReason:
    """One requirement checked for one person, with a plain-words message."""

    skill_id: int
    skill_name: str
    required_level: int
    held_level: int | None  # the validated level in force (None: none, or expired)
    expired_on: date | None
    declared_only: bool  # only the talent's own declaration supports it
    met: bool
    message: str
    source: str = ""


@dataclass(frozen=True)
class UsageDecision:
    """Whether a person may use something, with the unmet requirements (reasons) and every check (items)."""

    allowed: bool
    reasons: list[UsageReason]
    items: list[UsageReason] = field(default_factory=list)


def _usage_item(req: Requirement, skill_name: str | None, held: HeldSkill | None) -> UsageReason:
    name = skill_name if skill_name is not None else f"#{req.skill_id}"
    required = req.min_level
    level = held.level if held else None
    expired_on = held.expires_on if held and held.expired else None
    declared_only = bool(held and held.declared_level is not None and level is None and expired_on is None)
    values = {"skill": name, "required": required, "required_label": level_label(required)}
    if skill_name is None:
        met, message = (
            False,
            _("A required skill is no longer in the catalogue (number %(id)d). Ask a lab manager.", id=req.skill_id),
        )
    elif level is not None and level >= required:
        met, message = (
            True,
            _(
                "You have “%(skill)s” at level %(held)d (%(held_label)s); level %(required)d is needed.",
                held=level,
                held_label=level_label(level),
                **values,
            ),
        )
    elif expired_on is not None:
        met, message = (
            False,
            _(
                "Your qualification “%(skill)s” expired on %(date)s. Ask a lab manager to check it again.",
                skill=name,
                date=format_date(expired_on, "long"),
            ),
        )
    elif level is not None:
        met, message = (
            False,
            _(
                "You need “%(skill)s” at level %(required)d (%(required_label)s); you have level "
                "%(held)d (%(held_label)s).",
                held=level,
                held_label=level_label(level),
                **values,
            ),
        )
    elif declared_only:
        met, message = (
            False,
            _(
                "You need “%(skill)s” at level %(required)d (%(required_label)s); you declared it, "
                "but a mentor or lab manager has not validated it yet.",
                **values,
            ),
        )
    else:
        met, message = (
            False,
            _("You need “%(skill)s” at level %(required)d (%(required_label)s); you do not have it yet.", **values),
        )
    if req.source:
        message = _("%(source)s: %(message)s", source=req.source, message=message)
    return UsageReason(
        skill_id=req.skill_id,
        skill_name=name,
        required_level=required,
        held_level=level,
        expired_on=expired_on,
        declared_only=declared_only,
        met=met,
        message=message,
        source=req.source,
    )


def may_use(
    user: User,
    requirements: Sequence[Requirement],
    *,
    on: date | None = None,
    skill_names: dict[int, str] | None = None,
    holdings: Iterable | None = None,
) -> UsageDecision:
    """May this person use a thing that needs these skills? Each requirement is checked and explained.

    Only validated, unexpired skills count; a declared skill never does. Roles are not considered:
    whether staff are exempt is the caller's rule. Two queries, whatever the number of requirements; none when
    the caller read them already: skill_names (skill id -> name, of every required skill that exists) and
    holdings (this person's active validation records of those skills, as rows of the HOLDING_COLUMNS).
    """
    on = on or clock.today()
    for req in requirements:
        check_level(req.min_level, field="min_level")
    if skill_names is None:
        skill_names = {skill_id: skill.name for skill_id, skill in _load_skills(requirements).items()}
    if holdings is not None:
        held = _held_from_rows((row for row in holdings if row[0] == user.id), on)
    else:
        held = current_levels([user.id], list(skill_names), on=on) if skill_names else {}
    items = [_usage_item(req, skill_names.get(req.skill_id), held.get((user.id, req.skill_id))) for req in requirements]
    reasons = [item for item in items if not item.met]
    return UsageDecision(allowed=not reasons, reasons=reasons, items=items)


class MatchStatus(LabelledEnum):
    """How one person stands against one required skill."""

    MET = "met"  # validated at the level or above
    MET_DECLARED = "met_declared"  # only declared at the level
    LOWER = "lower"  # held (validated or declared) below the level
    MISSING = "missing"  # not held (or the validation expired)


MATCH_STATUS_LABELS = enum_labels(
    MatchStatus,
    {
        MatchStatus.MET: _l("Validated at this level"),
        MatchStatus.MET_DECLARED: _l("Declared at this level, not validated"),
        MatchStatus.LOWER: _l("Lower level"),
        MatchStatus.MISSING: _l("Missing"),
    },
)


class MatchTier(IntEnum):
    """How a person stands against the whole set: every skill at level, some lower, some missing."""

    COMPLETE = 0
    LOWER = 1
    MISSING = 2

    @property
    def label(self) -> str:
        """The tier in words."""
        return str(MATCH_TIER_LABELS[self])


MATCH_TIER_LABELS = {
    MatchTier.COMPLETE: _l("Has every skill at the level"),
    MatchTier.LOWER: _l("Has every skill, some at a lower level"),
    MatchTier.MISSING: _l("Misses some skills"),
}


@dataclass(frozen=True)
class SkillMatch:
    """One required skill for one person."""

    requirement: Requirement
    skill_name: str
    status: MatchStatus
    level: int | None  # the level that supports the status (validated or declared)
    validated: bool  # whether that level is a validated one
    expired_on: date | None = None

    @property
    def shortfall(self) -> int:
        """How many levels are missing."""
        return max(0, self.requirement.min_level - (self.level or 0))


@dataclass(frozen=True)
class PersonMatch:
    """One person of the territory against the required skills."""

    user: User
    tier: MatchTier
    items: list[SkillMatch]

    @property
    def declared_count(self) -> int:
        """Requirements met only by the person's own declaration."""
        return sum(1 for i in self.items if i.status == MatchStatus.MET_DECLARED)

    @property
    def sort_key(self) -> tuple:
        """Complete before lower before missing; validated before declared; then smallest gap, strongest, name."""
        return (
            self.tier,
            self.declared_count,
            sum(1 for i in self.items if i.status == MatchStatus.MISSING),
            sum(i.shortfall for i in self.items),
            -sum(i.level or 0 for i in self.items if i.validated),
            self.user.full_name.casefold(),
            self.user.id,
        )


@dataclass(frozen=True)
class TeamCoverage:
    """For one required skill: the team members who hold it validated at the level, and the best level held."""

    requirement: Requirement
    skill_name: str
    holders: list[int]  # user ids, validated at the level
    declared_holders: list[int]  # user ids, declared at the level only
    best_level: int | None  # best validated level in force in the team

    @property
    def covered(self) -> bool:
        """Whether someone in the team holds it, validated, at the level."""
        return bool(self.holders)


@dataclass(frozen=True)
class MatchResult:
    """The people of a territory ranked against required skills, and a team's coverage."""

    requirements: list[Requirement]
    skill_names: dict[int, str]
    people: list[PersonMatch]
    team: list[TeamCoverage]

    @property
    def team_gaps(self) -> list[TeamCoverage]:
        """Required skills that nobody in the team holds, validated, at the level."""
        return [t for t in self.team if not t.covered]


def _merge(requirements: Sequence[Requirement]) -> list[Requirement]:
    """One requirement per skill, at the highest level asked, in the order given."""
    merged: dict[int, Requirement] = {}
    for req in requirements:
        check_level(req.min_level, field="min_level")
        if req.skill_id not in merged or req.min_level > merged[req.skill_id].min_level:
            merged[req.skill_id] = req
    return list(merged.values())


def _skill_match(req: Requirement, name: str, held: HeldSkill | None) -> SkillMatch:
    if held is None:
        return SkillMatch(req, name, MatchStatus.MISSING, None, False)
    validated, declared = held.level, held.declared_level
    if validated is not None and validated >= req.min_level:
        return SkillMatch(req, name, MatchStatus.MET, validated, True)
    if declared is not None and declared >= req.min_level:
        return SkillMatch(req, name, MatchStatus.MET_DECLARED, declared, False)
    if validated is not None or declared is not None:
        best_is_validated = (validated or 0) >= (declared or 0)
        return SkillMatch(req, name, MatchStatus.LOWER, validated if best_is_validated else declared, best_is_validated)
    return SkillMatch(req, name, MatchStatus.MISSING, None, False, expired_on=held.expires_on if held.expired else None)


def team_talent_ids(territory_id: int, ids: Iterable[int], *, limit: int = 50) -> list[int]:
    """Keep only active talents of the territory: the team form must not reveal anyone else's skills."""
    ids = sorted(set(ids))[:limit]
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(User.id).where(
                User.id.in_(ids),
                User.territory_id == territory_id,
                User.role == Role.PARTICIPANT,
                User.active.is_(True),
            )
        )
    )


def matching(
    territory_id: int,
    requirements: Sequence[Requirement],
    *,
    team_user_ids: Sequence[int] = (),
    on: date | None = None,
) -> MatchResult:
    """The active talents of a territory who hold any of the required skills, best first, and the team's gaps.

    A bounded number of queries (four), whatever the size of the territory.
    """
    on = on or clock.today()
    reqs = _merge(requirements)
    skills = _load_skills(reqs)
    reqs = [r for r in reqs if r.skill_id in skills]
    names = {sid: s.name for sid, s in skills.items()}
    if not reqs:
        return MatchResult(reqs, names, [], [])
    rows = db.session.execute(
        _current_rows_stmt()
        .join(User, User.id == SkillValidation.talent_id)
        .where(
            User.territory_id == territory_id,
            User.role == Role.PARTICIPANT,
            User.active.is_(True),
            SkillValidation.skill_id.in_([r.skill_id for r in reqs]),
        )
    ).all()
    held = _held_from_rows(rows, on)
    user_ids = sorted({uid for uid, _sid in held})
    users = db.session.scalars(sa.select(User).where(User.id.in_(user_ids))).all() if user_ids else []
    people = []
    for user in users:
        items = [_skill_match(r, names[r.skill_id], held.get((user.id, r.skill_id))) for r in reqs]
        if all(i.status == MatchStatus.MISSING for i in items):
            continue  # only an expired validation: listed nowhere, as if missing
        if all(i.status in (MatchStatus.MET, MatchStatus.MET_DECLARED) for i in items):
            tier = MatchTier.COMPLETE
        elif any(i.status == MatchStatus.MISSING for i in items):
            tier = MatchTier.MISSING
        else:
            tier = MatchTier.LOWER
        people.append(PersonMatch(user, tier, items))
    people.sort(key=lambda p: p.sort_key)
    return MatchResult(reqs, names, people, _team_coverage(reqs, names, team_user_ids, on))


def _team_coverage(
    reqs: list[Requirement], names: dict[int, str], team_user_ids: Sequence[int], on: date
) -> list[TeamCoverage]:
    team = sorted(set(team_user_ids))
    held = current_levels(team, [r.skill_id for r in reqs], on=on) if team else {}
    out = []
    for req in reqs:
        holders, declared, best = [], [], None
        for uid in team:
            h = held.get((uid, req.skill_id))
            if h is None:
                continue
            if h.level is not None:
                best = max(best or 0, h.level)
                if h.level >= req.min_level:
                    holders.append(uid)
                    continue
            if h.declared_level is not None and h.declared_level >= req.min_level:
                declared.append(uid)
        out.append(TeamCoverage(req, names[req.skill_id], holders, declared, best))
    return out
