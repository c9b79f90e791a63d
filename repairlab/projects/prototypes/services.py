"""Prototypes: the use cases of a project's prototypes (versions, photos, items used, skills needed, matching)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import format_currency
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from repairlab import images
from repairlab.audit.services import record
from repairlab.database import flush_or_conflict
from repairlab.errors import Conflict, NotFound, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.inventory.codes import code_readings
from repairlab.inventory.models import Item
from repairlab.inventory.queries import ItemFilters, item_ids
from repairlab.people.models import User
from repairlab.projects import access
from repairlab.projects.models import MemberRole, Project, ProjectMember
from repairlab.projects.prototypes.models import (
    Prototype,
    PrototypeItem,
    PrototypePhoto,
    PrototypeSkill,
    PrototypeStatus,
    PrototypeVersion,
)
from repairlab.skills.levels import check_level
from repairlab.skills.matching import MatchStatus, matching
from repairlab.skills.models import Skill
from repairlab.skills.usage import Requirement
from repairlab.text import clean_name, clean_text

MAX_NAME = 120
_SPACES = re.compile(r"\s+")  # also the no-break spaces of French numbers (1 234,50)
MAX_TEXT = 5000
MAX_NOTE = 200
# Materials of a workshop prototype: a few euros to a few thousand; more is a typing mistake.
MAX_COST = Decimal(100000)
MAX_PHOTOS = 12  # per version
MAX_SEARCH = 20
NUMBER_RETRIES = 5
HELPERS_SHOWN = 5  # people of the territory named per missing skill (staff only)


# --- Permissions ------------------------------------------------------------------------------------


def _check_edit(actor: User, project: Project) -> None:
    if not access.can_edit(actor, project):
        raise PermissionDenied(_("Only the project's team and mentors can change its prototypes."))


# --- Prototypes -------------------------------------------------------------------------------------


def _check_unique_name(project_id: int, name: str, exclude_id: int | None = None) -> None:
    """Names are unique per project whatever the case ("Lampe" and "lampe" are the same prototype).

    The project's row is locked first (PostgreSQL), so that two people naming prototypes at once are checked one
    after the other; the database's unique (project, name) backs up the exact-case duplicate.
    """
    db.session.execute(sa.select(Project.id).where(Project.id == project_id).with_for_update())
    stmt = sa.select(Prototype.id, Prototype.name).where(Prototype.project_id == project_id)
    key = name.casefold()
    for other_id, other_name in db.session.execute(stmt):
        if other_id != exclude_id and other_name.casefold() == key:
            raise Conflict(
                _("This project already has a prototype called “%(name)s”. Choose another name.", name=other_name),
                field="name",
            )


def create_prototype(actor: User, project: Project, *, name: str, description: str = "") -> Prototype:
    """Add a prototype to a project; its name is unique in the project, whatever the case."""
    _check_edit(actor, project)
    name = clean_name(name, limit=MAX_NAME, required=_("Give the prototype a name."))
    description = clean_text(description, field="description", limit=MAX_TEXT)
    _check_unique_name(project.id, name)
    prototype = Prototype(project_id=project.id, name=name, description=description, created_by_id=actor.id)
    prototype.project = project
    db.session.add(prototype)
    flush_or_conflict(_("This project already has a prototype called “%(name)s”.", name=name), "name")
    record(actor, "prototype.create", prototype, after={"name": name}, territory_id=project.territory_id)
    return prototype


def update_prototype(actor: User, prototype: Prototype, *, name: str, description: str) -> Prototype:
    """Rename a prototype or change its description."""
    project = prototype.project
    _check_edit(actor, project)
    name = clean_name(name, limit=MAX_NAME, required=_("Give the prototype a name."))
    description = clean_text(description, field="description", limit=MAX_TEXT)
    _check_unique_name(project.id, name, exclude_id=prototype.id)
    before = {"name": prototype.name, "description": prototype.description}
    prototype.name, prototype.description = name, description
    flush_or_conflict(_("This project already has a prototype called “%(name)s”.", name=name), "name")
    record(
        actor,
        "prototype.update",
        prototype,
        before=before,
        after={"name": name, "description": description},
        territory_id=project.territory_id,
    )
    return prototype


# --- Versions ---------------------------------------------------------------------------------------


def clean_cost(value: object) -> Decimal | None:
    """A cost of materials in euros: empty, or 0 to MAX_COST with at most two decimals."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        cost = (
            value if isinstance(value, Decimal) else Decimal(_SPACES.sub("", str(value)).rstrip("€").replace(",", "."))
        )
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Write the cost as a number of euros, e.g. 12.50."), field="materials_cost") from None
    if not cost.is_finite():
        raise ValidationError(_("Write the cost as a number of euros, e.g. 12.50."), field="materials_cost")
    if cost < 0:
        raise ValidationError(_("A cost cannot be negative."), field="materials_cost")
    if cost > MAX_COST:
        raise ValidationError(
            _("That cost looks wrong: %(max)s € at most.", max=f"{MAX_COST:,.0f}".replace(",", " ")),
            field="materials_cost",
        )
    # A third decimal is a typing mistake (12.505): refused rather than silently rounded (checked once the amount is
    # known to be small: quantize() fails on a huge exponent).
    if cost != cost.quantize(Decimal("0.01")):
        raise ValidationError(_("Write the cost as a number of euros, e.g. 12.50."), field="materials_cost")
    return cost.quantize(Decimal("0.01"))


def _clean_status(status: object) -> PrototypeStatus:
    try:
        return PrototypeStatus(status)
    except ValueError:
        raise ValidationError(_("Choose a status."), field="status") from None


@dataclass(frozen=True)
class VersionFields:
    """What a version says: what changed, where it stands, what the tests taught, what it cost."""

    description: str = ""
    status: PrototypeStatus | str = PrototypeStatus.DESIGN
    feedback: str = ""
    materials_cost: Decimal | str | None = None


def _clean_version(fields: VersionFields) -> dict:
    values = {
        "description": clean_text(fields.description, field="description", limit=MAX_TEXT),
        "status": _clean_status(fields.status),
        "feedback": clean_text(fields.feedback, field="feedback", limit=MAX_TEXT),
        "materials_cost": clean_cost(fields.materials_cost),
    }
    if not values["description"]:
        raise ValidationError(_("Say in a few words what this version is or what changed."), field="description")
    return values


def _version_after(values: dict) -> dict:
    return {
        "status": values["status"].value,
        "description": values["description"],
        "feedback": values["feedback"],
        "materials_cost": str(values["materials_cost"]) if values["materials_cost"] is not None else None,
    }


def add_version(actor: User, prototype: Prototype, fields: VersionFields, photo_stream=None) -> PrototypeVersion:
    """Add the next version (previous number + 1), optionally with a first photo.

    Two people adding a version at once both succeed with different numbers: the database's unique
    (prototype, number) refuses a duplicate and the insert is retried with the next number.
    """
    project = prototype.project
    _check_edit(actor, project)
    values = _clean_version(fields)
    stored = images.save_image(photo_stream) if photo_stream is not None else None
    try:
        version = _insert_version(actor, prototype, values)
        if stored is not None:
            db.session.add(PrototypePhoto(version_id=version.id, key=stored.key, thumb_key=stored.thumb_key))
            db.session.flush()
    except Exception:
        if stored is not None:
            images.delete_image(stored.key)
            images.delete_image(stored.thumb_key)
        raise
    after = _version_after(values) | {"number": version.number}
    if stored is not None:
        after["photo"] = stored.key
    record(
        actor,
        "prototype.version_add",
        prototype,
        after=after,
        territory_id=project.territory_id,
    )
    return version


def _insert_version(actor: User, prototype: Prototype, values: dict) -> PrototypeVersion:
    for _attempt in range(NUMBER_RETRIES):
        last = db.session.scalar(
            sa.select(sa.func.max(PrototypeVersion.number)).where(PrototypeVersion.prototype_id == prototype.id)
        )
        version = PrototypeVersion(prototype_id=prototype.id, number=(last or 0) + 1, created_by_id=actor.id, **values)
        try:
            with db.session.begin_nested():
                db.session.add(version)
                db.session.flush()
        except sa.exc.IntegrityError:
            continue  # someone else took that number just now: take the next one
        return version
    raise Conflict(_("Someone else is adding versions at the same time. Try again."))


def update_version(actor: User, version: PrototypeVersion, fields: VersionFields) -> PrototypeVersion:
    """Change a version's description, status, test feedback or cost."""
    prototype = version.prototype
    project = prototype.project
    _check_edit(actor, project)
    values = _clean_version(fields)
    before = _version_after(
        {
            "status": version.status,
            "description": version.description,
            "feedback": version.feedback,
            "materials_cost": version.materials_cost,
        }
    )
    for key, value in values.items():
        setattr(version, key, value)
    db.session.flush()
    record(
        actor,
        "prototype.version_update",
        prototype,
        before=before | {"number": version.number},
        after=_version_after(values) | {"number": version.number},
        territory_id=project.territory_id,
    )
    return version


# --- Photos -----------------------------------------------------------------------------------------


def add_version_photo(actor: User, version: PrototypeVersion, stream) -> PrototypePhoto:
    """Attach a checked, re-encoded photo to a version (like item photos: no metadata kept)."""
    prototype = version.prototype
    project = prototype.project
    _check_edit(actor, project)
    count = db.session.scalar(
        sa.select(sa.func.count(PrototypePhoto.id)).where(PrototypePhoto.version_id == version.id)
    )
    if count >= MAX_PHOTOS:
        raise ValidationError(
            _("This version already has %(num)d photos. Remove one first.", num=MAX_PHOTOS), field="photo"
        )
    stored = images.save_image(stream)
    photo = PrototypePhoto(version_id=version.id, key=stored.key, thumb_key=stored.thumb_key)
    db.session.add(photo)
    db.session.flush()
    record(
        actor,
        "prototype.photo_add",
        prototype,
        after={"version": version.number, "photo": stored.key},
        territory_id=project.territory_id,
    )
    return photo


def remove_version_photo(actor: User, photo: PrototypePhoto) -> None:
    """Remove a photo; the files go once the database change is made."""
    version = photo.version
    prototype = version.prototype
    project = prototype.project
    _check_edit(actor, project)
    record(
        actor,
        "prototype.photo_remove",
        prototype,
        before={"version": version.number, "photo": photo.key},
        territory_id=project.territory_id,
    )
    db.session.delete(photo)
    db.session.flush()
    images.delete_image_after_commit(photo.key, photo.thumb_key)


# --- Inventory items used ---------------------------------------------------------------------------


def find_item(project: Project, text: str) -> Item:
    """The item of the project's territory with this typed or scanned code (a whole label URL works too)."""
    readings = code_readings(text)
    if not readings:
        raise ValidationError(_("Type or scan the code on the item's label, e.g. RBX-0042."), field="code")
    found = {
        item.code: item
        for item in db.session.scalars(
            sa.select(Item).where(Item.code.in_(readings), Item.territory_id == project.territory_id)
        )
    }
    item = next((found[r] for r in readings if r in found), None)
    if item is None:
        raise NotFound(
            _("No item of this territory has the code %(code)s.", code=readings[0]),
            field="code",
        )
    return item


def search_items(project: Project, text: str, limit: int = MAX_SEARCH) -> list[Item]:
    """Items of the project's territory in use that the inventory's search finds for the text (name, code, brand,
    model, serial number; accents and case ignored; through its text index), in its order (two queries)."""
    text = " ".join((text or "").split())[:80]
    if len(text) < 2:
        return []
    listing = item_ids(project.territory_id, ItemFilters(q=text))
    ids = [row[0] for row in db.session.execute(listing.stmt.limit(limit))]
    found = db.session.scalars(sa.select(Item).options(joinedload(Item.lab)).where(Item.id.in_(ids)))
    by_id = {item.id: item for item in found}
    return [by_id[i] for i in ids]


def link_item(actor: User, prototype: Prototype, item: Item | None, note: str = "") -> PrototypeItem:
    """Record that the prototype uses an inventory item of the same territory."""
    project = prototype.project
    _check_edit(actor, project)
    if item is None or item.territory_id != project.territory_id:
        raise NotFound(_("This item is not in the project's territory."), field="code")
    note = clean_text(note, field="note", limit=MAX_NOTE)
    exists = db.session.scalar(
        sa.select(PrototypeItem.id).where(PrototypeItem.prototype_id == prototype.id, PrototypeItem.item_id == item.id)
    )
    message = _("%(code)s %(name)s is already in the list.", code=item.code, name=item.name)
    if exists is not None:
        raise Conflict(message, field="code")
    link = PrototypeItem(prototype_id=prototype.id, item_id=item.id, note=note)
    link.item = item
    db.session.add(link)
    flush_or_conflict(message, "code")
    record(
        actor,
        "prototype.item_link",
        prototype,
        after={"item": item.code, "note": note},
        territory_id=project.territory_id,
    )
    return link


def unlink_item(actor: User, link: PrototypeItem) -> None:
    """Remove an item from the prototype's list (the item itself is untouched)."""
    prototype = link.prototype
    project = prototype.project
    _check_edit(actor, project)
    record(
        actor,
        "prototype.item_unlink",
        prototype,
        before={"item": link.item.code, "note": link.note},
        territory_id=project.territory_id,
    )
    db.session.delete(link)
    db.session.flush()


# --- Skills needed ----------------------------------------------------------------------------------


def add_skill(actor: User, prototype: Prototype, skill: Skill | None, min_level: object) -> PrototypeSkill:
    """Say that the prototype needs a skill of the catalogue at a minimum level (1-4), once per skill."""
    project = prototype.project
    _check_edit(actor, project)
    if skill is None or not skill.active:
        raise ValidationError(_("Choose a skill from the catalogue."), field="skill_id")
    level = check_level(min_level, field="min_level")
    message = _("“%(skill)s” is already needed. Change its level instead.", skill=skill.name)
    exists = db.session.scalar(
        sa.select(PrototypeSkill.id).where(
            PrototypeSkill.prototype_id == prototype.id, PrototypeSkill.skill_id == skill.id
        )
    )
    if exists is not None:
        raise Conflict(message, field="skill_id")
    need = PrototypeSkill(prototype_id=prototype.id, skill_id=skill.id, min_level=level)
    need.skill = skill
    db.session.add(need)
    flush_or_conflict(message, "skill_id")
    record(
        actor,
        "prototype.skill_add",
        prototype,
        after={"skill": skill.name, "min_level": level},
        territory_id=project.territory_id,
    )
    return need


def set_skill_level(actor: User, need: PrototypeSkill, min_level: object) -> PrototypeSkill:
    """Change the level a prototype needs of a skill."""
    prototype = need.prototype
    project = prototype.project
    _check_edit(actor, project)
    level = check_level(min_level, field="min_level")
    before = {"skill": need.skill.name, "min_level": need.min_level}
    need.min_level = level
    db.session.flush()
    record(
        actor,
        "prototype.skill_level",
        prototype,
        before=before,
        after={"skill": need.skill.name, "min_level": level},
        territory_id=project.territory_id,
    )
    return need


def remove_skill(actor: User, need: PrototypeSkill) -> None:
    """The prototype no longer needs this skill."""
    prototype = need.prototype
    project = prototype.project
    _check_edit(actor, project)
    record(
        actor,
        "prototype.skill_remove",
        prototype,
        before={"skill": need.skill.name, "min_level": need.min_level},
        territory_id=project.territory_id,
    )
    db.session.delete(need)
    db.session.flush()


# --- Reading ----------------------------------------------------------------------------------------


def load_prototype(prototype_id: int) -> Prototype | None:
    """A prototype with everything its page shows, in a bounded number of queries."""
    stmt = (
        sa.select(Prototype)
        .where(Prototype.id == prototype_id)
        .options(
            joinedload(Prototype.project).joinedload(Project.territory),
            joinedload(Prototype.project).selectinload(Project.members).joinedload(ProjectMember.user),
            selectinload(Prototype.versions).selectinload(PrototypeVersion.photos),
            selectinload(Prototype.items).joinedload(PrototypeItem.item),
            selectinload(Prototype.skills).joinedload(PrototypeSkill.skill),
        )
    )
    return db.session.scalars(stmt).unique().one_or_none()


def money(value: Decimal | None) -> str:
    """A cost in euros in the user's language ("12,50 €")."""
    return format_currency(value, "EUR") if value is not None else "—"


def team_of(project: Project) -> list[User]:
    """The talents of the project's team (members must be loaded)."""
    return [m.user for m in project.members if m.role == MemberRole.TEAM]


@dataclass(frozen=True)
class SkillNeedView:
    """One skill a prototype needs: who in the team has it, and who else in the territory could help."""

    need: PrototypeSkill
    team_holders: list[User]  # validated at the level
    team_declared: list[User]  # declared at the level, not validated
    best_team_level: int | None
    helpers: list[User]  # other talents of the territory with it at the level (shown to staff only)
    helper_count: int
    helper_ids: frozenset[int] = frozenset()  # for a distinct count across skills, never displayed

    @property
    def covered(self) -> bool:
        """Whether someone in the team holds it, validated, at the level."""
        return bool(self.team_holders)


@dataclass(frozen=True)
class PrototypeMatching:
    """The matching of a prototype's skills against its team and its territory."""

    needs: list[SkillNeedView]
    show_names: bool  # staff see the names of people who could help; talents only a count

    @property
    def gaps(self) -> list[SkillNeedView]:
        """Skills nobody in the team holds, validated, at the level."""
        return [n for n in self.needs if not n.covered]

    @property
    def helper_total(self) -> int:
        """Distinct people of the territory (outside the team) who could help with at least one gap."""
        return len(frozenset().union(*(n.helper_ids for n in self.gaps)))


def prototype_matching(prototype: Prototype, viewer: User) -> PrototypeMatching:
    """Per needed skill: the team members who hold it, the gaps, and others of the territory who could help.

    A bounded number of queries (the skills matching: four at most), whatever the number of skills or people.
    """
    project = prototype.project
    needs: Sequence[PrototypeSkill] = sorted(prototype.skills, key=lambda n: n.skill.name.casefold())
    show_names = access.sees_helper_names(viewer)
    if not needs:
        return PrototypeMatching([], show_names)
    team = team_of(project)
    team_ids = {u.id for u in team}
    by_id = {u.id: u for u in team}
    result = matching(
        project.territory_id,
        [Requirement(n.skill_id, n.min_level, source=prototype.name) for n in needs],
        team_user_ids=sorted(team_ids),
    )
    coverage = {t.requirement.skill_id: t for t in result.team}
    helpers: dict[int, list[User]] = {}
    for person in result.people:  # best first
        if person.user.id in team_ids:
            continue
        for match in person.items:
            if match.status in (MatchStatus.MET, MatchStatus.MET_DECLARED):
                helpers.setdefault(match.requirement.skill_id, []).append(person.user)
    out = []
    for need in needs:
        cov = coverage.get(need.skill_id)
        found = helpers.get(need.skill_id, [])
        out.append(
            SkillNeedView(
                need=need,
                team_holders=[by_id[i] for i in cov.holders] if cov else [],
                team_declared=[by_id[i] for i in cov.declared_holders] if cov else [],
                best_team_level=cov.best_level if cov else None,
                helpers=found[:HELPERS_SHOWN] if show_names else [],
                helper_count=len(found),
                helper_ids=frozenset(u.id for u in found),
            )
        )
    return PrototypeMatching(out, show_names)
