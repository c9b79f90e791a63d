"""The skills catalogue: domains and skills, shared by every territory and edited by administrators."""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab.audit.services import PROGRAMME_WIDE, record, snapshot
from repairlab.database import flush_or_conflict
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.skills.access import can_edit_catalogue
from repairlab.skills.models import Skill, SkillDomain
from repairlab.text import clean_name, clean_text

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
ESCO_SKILL_RE = re.compile(
    r"^https?://data\.europa\.eu/esco/skill/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
MAX_NAME = 120
MAX_TEXT = 2000
MAX_MEANING = 500  # what a level means for this skill
MAX_VALIDITY_MONTHS = 120


def normalise_name(name: str) -> str:
    """The key that makes two names duplicates: spaces collapsed, case and accents ignored."""
    text = " ".join((name or "").split()).casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def check_skill(skill: Skill | None) -> Skill:
    """The skill chosen on a form, refused when none was (or an unknown one) or when it is no longer used."""
    if skill is None:
        raise ValidationError(_("Choose a skill."), field="skill_id")
    if not skill.active:
        raise ValidationError(_("This skill is no longer used. Choose another one."), field="skill_id")
    return skill


def _check_catalogue_editor(actor: User) -> None:
    if not can_edit_catalogue(actor):
        raise PermissionDenied(_("The skills catalogue is shared by every territory: only administrators change it."))


def create_domain(actor: User, *, name: str, description: str = "", position: int = 0) -> SkillDomain:
    """Add a domain to the catalogue; its name must be new (case and accents ignored)."""
    _check_catalogue_editor(actor)
    domain = SkillDomain()
    _fill_domain(domain, name, description, position)
    flush_or_conflict(_("A domain with this name already exists."), "name", new=domain)
    record(actor, "create", domain, after=snapshot(domain, DOMAIN_FIELDS), territory_id=PROGRAMME_WIDE)
    return domain


def update_domain(actor: User, domain: SkillDomain, *, name: str, description: str, position: int) -> SkillDomain:
    """Rename or describe a domain."""
    _check_catalogue_editor(actor)
    before = snapshot(domain, DOMAIN_FIELDS)
    _fill_domain(domain, name, description, position)
    flush_or_conflict(_("A domain with this name already exists."), "name")
    record(actor, "update", domain, before=before, after=snapshot(domain, DOMAIN_FIELDS), territory_id=PROGRAMME_WIDE)
    return domain


def _fill_domain(domain: SkillDomain, name: str, description: str, position: int | None) -> None:
    name = clean_name(name, limit=MAX_NAME, required=_("Enter a name."))
    key = normalise_name(name)
    clash = db.session.scalar(sa.select(SkillDomain.id).where(SkillDomain.name_key == key))
    if clash is not None and clash != domain.id:
        raise Conflict(_("A domain with this name already exists."), field="name")
    if position is None or not -1000 <= position <= 1000:
        raise ValidationError(_("The order must be a number from -1000 to 1000."), field="position")
    domain.name, domain.name_key = name, key
    domain.description = clean_text(description, field="description", limit=MAX_TEXT)
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
    name = clean_name(name, limit=MAX_NAME, required=_("Enter a name."))
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
    skill.domain_id = domain.id
    if not is_new:  # a new skill joins its domain's list once it is in the session (flush_or_conflict adds it)
        skill.domain = domain
    skill.name, skill.name_key = name, key
    skill.description = clean_text(description, field="description", limit=MAX_TEXT)
    fields = ("discovered_means", "practised_means", "autonomous_means", "can_teach_means")
    for attr, text in zip(fields, meanings, strict=True):
        setattr(skill, attr, clean_text(text, field=attr, limit=MAX_MEANING))
    skill.esco_uri = clean_esco_uri(esco_uri)
    skill.is_safety, skill.validity_months, skill.active = bool(is_safety), validity_months, bool(active)
    flush_or_conflict(_("This domain already has a skill with this name."), "name", new=skill if is_new else None)
    record(
        actor,
        "create" if is_new else "update",
        skill,
        before=before,
        after=snapshot(skill, SKILL_FIELDS),
        territory_id=PROGRAMME_WIDE,
    )
    return skill
