"""Skills that tools and categories require, and whether a person may use an item (checked item by item)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab.audit.services import record, snapshot
from repairlab.auth import can_access_territory, has_role
from repairlab.database import flush_or_conflict
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.inventory.models import PATH_SEPARATOR, Category, Item, SkillRequirement
from repairlab.inventory.queries import category_and_ancestors
from repairlab.inventory.services import can_change_categories
from repairlab.people.models import Role, User
from repairlab.skills.catalogue import check_skill
from repairlab.skills.levels import check_level
from repairlab.skills.models import Skill, SkillLevel, SkillValidation, ValidationStatus
from repairlab.skills.queries import HOLDING_COLUMNS
from repairlab.skills.usage import Requirement, UsageDecision, may_use

# Who sets requirements: lab managers (the items of their territory) and admins. Categories are shared by every
# territory: what a category requires is a safety rule for every lab, so only admins change it.
EDITOR_ROLES = (Role.LAB_MANAGER, Role.ADMIN)
REQUIREMENT_FIELDS = ("item_id", "category_id", "skill_id", "min_level")


# --- Permissions (one place; views call these) -----------------------------------------------------


def can_edit_item_requirements(user: User | None, item: Item) -> bool:
    """Lab managers of the item's territory and administrators."""
    return has_role(user, *EDITOR_ROLES) and can_access_territory(user, item.territory_id)


def _check_editor(actor: User, item: Item | None, category: Category | None) -> None:
    if item is not None and not can_edit_item_requirements(actor, item):
        raise PermissionDenied(
            _("Only the lab managers of its territory and administrators change the skills a tool requires.")
        )
    # Categories are shared by every territory: their requirements bind every lab (the rule of any category change).
    if category is not None and not can_change_categories(actor):
        raise PermissionDenied(
            _(
                "Categories are shared by every territory: only administrators change the skills a category "
                "requires. You can require a skill on each tool of your lab."
            )
        )


# --- Reading: what an item needs ---------------------------------------------------------------------


@dataclass(frozen=True)
class RequiredSkill:
    """One requirement ready to show: the skill, the level in words, and the category it comes from, if any."""

    id: int
    skill_id: int
    skill_name: str
    is_safety: bool
    min_level: int
    level_meaning: str  # what the level means for this skill
    category_id: int | None = None  # None: the item's own requirement
    category_path: str | None = None

    @property
    def inherited(self) -> bool:
        """Whether it comes from a category rather than the item itself."""
        return self.category_id is not None

    @property
    def level_label(self) -> str:
        """The level in words, e.g. "practised with help"."""
        return SkillLevel(self.min_level).label


@dataclass(frozen=True)
class ItemRequirements:
    """What an item requires: one line per skill at the highest level asked, and the item's own requirements."""

    item_name: str
    effective: list[RequiredSkill] = field(default_factory=list)  # what counts, one per skill
    own: list[RequiredSkill] = field(default_factory=list)  # set on the item itself (those a manager may remove)
    # Read with the requirements for the page's viewer (item_requirements(item, holder=...)): their active
    # validation records of the skills required, so that their verdict needs no query of its own.
    holder_id: int | None = field(default=None, repr=False, compare=False)
    holdings: list[tuple] = field(default_factory=list, repr=False, compare=False)

    def requirements(self, *, with_sources: bool = True) -> list[Requirement]:
        """The skills domain's requirements; each source names the item or the category it comes from."""
        return [
            Requirement(
                skill_id=r.skill_id, min_level=r.min_level, source=_source(r, self.item_name) if with_sources else ""
            )
            for r in self.effective
        ]


def _source(required: RequiredSkill, item_name: str) -> str:
    if required.inherited:
        return _("Category %(path)s", path=required.category_path)
    return item_name


def _requirements_statement() -> sa.Select:
    # Plain Core on the tables (no ORM entities): rows that are only read, without the ORM's per-statement work.
    req, skill, category = SkillRequirement.__table__, Skill.__table__, Category.__table__
    held = SkillValidation.__table__.alias("held")
    return (
        sa.select(
            req.c.id,
            req.c.skill_id,
            req.c.min_level,
            req.c.category_id,
            category.c.path,
            skill.c.name,
            skill.c.is_safety,
            skill.c.discovered_means,
            skill.c.practised_means,
            skill.c.autonomous_means,
            skill.c.can_teach_means,
            *(held.c[name] for name in HOLDING_COLUMNS),
        )
        .select_from(req)
        .join(skill, skill.c.id == req.c.skill_id)
        .outerjoin(category, category.c.id == req.c.category_id)
        .outerjoin(
            held,
            sa.and_(
                held.c.skill_id == req.c.skill_id,
                held.c.talent_id == sa.bindparam("holder_id", type_=sa.Integer),
                # Written out, not bound: SQLite prepares a statement again on every run when a bound value
                # decides whether a partial index (here the current records') may be used.
                held.c.status == sa.literal_column(f"'{ValidationStatus.ACTIVE.value}'"),
            ),
        )
        .where(
            sa.or_(
                req.c.item_id == sa.bindparam("item_id", type_=sa.Integer),
                req.c.category_id.in_(category_and_ancestors(sa.bindparam("category_id", type_=sa.Integer))),
            )
        )
    )


# Built once with bound parameters: the item page runs it on every scan, and building (and hashing) this
# statement cost more than running it. A NULL item or category id simply matches nothing; so does a NULL holder id
# (the holder's active validation records of each skill required come with its requirement).
_REQUIREMENTS = _requirements_statement()
_MEANS = {
    SkillLevel.DISCOVERED: 7,
    SkillLevel.PRACTISED: 8,
    SkillLevel.AUTONOMOUS: 9,
    SkillLevel.CAN_TEACH: 10,
}
# The holder's validation record (HOLDING_COLUMNS) closes each row; its id is the row's last column.
_HOLDING = slice(11, 11 + len(HOLDING_COLUMNS))


def _read(
    *, item_id: int | None, category_id: int | None, holder_id: int | None = None
) -> tuple[list[RequiredSkill], list[tuple]]:
    """Requirements of an item and of its category and every ancestor category, with the holder's active
    validation records of the skills required, in one query."""
    if item_id is None and category_id is None:
        return [], []
    found: dict[int, RequiredSkill] = {}
    holdings: dict[int, tuple] = {}
    params = {"item_id": item_id, "category_id": category_id, "holder_id": holder_id}
    for row in db.session.execute(_REQUIREMENTS, params):
        if row[0] not in found:
            found[row[0]] = _required(row)
        holding = tuple(row[_HOLDING])
        if holding[-1] is not None:
            holdings[holding[-1]] = holding
    return list(found.values()), list(holdings.values())


def _rows(*, item_id: int | None, category_id: int | None) -> list[RequiredSkill]:
    """Requirements of an item and of its category and every ancestor category, in one query."""
    return _read(item_id=item_id, category_id=category_id)[0]


def _required(row) -> RequiredSkill:
    level = SkillLevel(row[2])
    return RequiredSkill(
        id=row[0],
        skill_id=row[1],
        skill_name=row[5],
        is_safety=row[6],
        min_level=row[2],
        # What the level means for this skill (Skill.level_meaning), the programme's meaning when none is written.
        level_meaning=row[_MEANS[level]] or level.meaning,
        category_id=row[3],
        category_path=row[4],
    )


def _by_name(rows: list[RequiredSkill]) -> list[RequiredSkill]:
    return sorted(rows, key=lambda r: (r.skill_name.casefold(), r.category_path or "", r.id))


def _effective(rows: list[RequiredSkill]) -> list[RequiredSkill]:
    """One requirement per skill, at the highest level asked; at the same level the most specific one says why."""
    most_specific_first = sorted(
        rows, key=lambda r: (r.inherited, -(r.category_path or "").count(PATH_SEPARATOR), r.id)
    )
    best: dict[int, RequiredSkill] = {}
    for row in most_specific_first:
        if row.skill_id not in best or row.min_level > best[row.skill_id].min_level:
            best[row.skill_id] = row
    return _by_name(list(best.values()))


def item_requirements(item: Item, *, holder: User | None = None) -> ItemRequirements:
    """What an item requires, its own and inherited from its category and every ancestor category (one query);
    with a holder, their validation records of those skills come in the same query, for verdict_on_page()."""
    holder_id = holder.id if holder is not None else None
    rows, holdings = _read(item_id=item.id, category_id=item.category_id, holder_id=holder_id)
    return ItemRequirements(
        item_name=item.name,
        effective=_effective(rows),
        own=_by_name([r for r in rows if not r.inherited]),
        holder_id=holder_id,
        holdings=holdings,
    )


def category_requirements(category: Category) -> tuple[list[RequiredSkill], list[RequiredSkill]]:
    """A category's own requirements and those it inherits from the categories above it (one query)."""
    rows = _rows(item_id=None, category_id=category.id)
    own = [r for r in rows if r.category_id == category.id]
    return _by_name(own), _effective([r for r in rows if r.category_id != category.id])


def may_use_item(user: User, item: Item, on: date | None = None) -> UsageDecision:
    """May this person use this item? Every requirement checked and explained; roles are not considered
    (whether staff are exempt is lending's rule). One query, whatever the number of requirements: the person's
    validation records of the skills required come with the requirements."""
    required = item_requirements(item, holder=user)
    names = {r.skill_id: r.skill_name for r in required.effective}
    return may_use(user, required.requirements(), on=on, skill_names=names, holdings=required.holdings)


def verdict_on_page(user: User, requirements: ItemRequirements, on: date | None = None) -> UsageDecision:
    """The decision shown on the item's own page: the reasons without their source, which the list above gives.
    No query when the requirements were read with this user as holder; one otherwise."""
    wanted = requirements.requirements(with_sources=False)
    if requirements.holder_id != user.id:
        return may_use(user, wanted, on=on)
    names = {r.skill_id: r.skill_name for r in requirements.effective}
    return may_use(user, wanted, on=on, skill_names=names, holdings=requirements.holdings)


# --- Changing requirements ---------------------------------------------------------------------------


def _target_label(item: Item | None, category: Category | None) -> str:
    return f"{item.code} {item.name}" if item is not None else category.path


def add_requirement(
    actor: User,
    *,
    item: Item | None = None,
    category: Category | None = None,
    skill: Skill | None,
    min_level: int | None,
) -> SkillRequirement:
    """Require a skill at a minimum level for a tool, or for every item of a category and its sub-categories."""
    if (item is None) == (category is None):
        raise ValidationError(_("A skill is required either by one tool or by one category."))
    _check_editor(actor, item, category)
    skill = check_skill(skill)
    level = check_level(min_level, field="min_level")
    target = SkillRequirement.item_id == item.id if item is not None else SkillRequirement.category_id == category.id
    existing = db.session.scalar(
        sa.select(SkillRequirement.min_level).where(target, SkillRequirement.skill_id == skill.id)
    )
    if existing is not None:
        raise Conflict(
            _(
                "“%(skill)s” is already required here, at level %(num)d. Remove it first to change the level.",
                skill=skill.name,
                num=existing,
            ),
            field="skill_id",
        )
    label = f"{_target_label(item, category)}: {skill.name} ≥ {level}"
    already = _("“%(skill)s” is already required here. Reload the page to see it.", skill=skill.name)
    requirement = SkillRequirement(item=item, category=category, skill=skill, min_level=level)
    db.session.add(requirement)
    # Someone adding the same skill at the same moment: the unique constraint has the last word.
    flush_or_conflict(already, "skill_id")
    record(
        actor,
        "create",
        requirement,
        after={**snapshot(requirement, REQUIREMENT_FIELDS), "skill": skill.name},
        label=label,
    )
    return requirement


def remove_requirement(actor: User, requirement: SkillRequirement) -> None:
    """Stop requiring a skill (for a tool, or for a category)."""
    _check_editor(actor, requirement.item, requirement.category)
    record(
        actor,
        "delete",
        requirement,
        before={**snapshot(requirement, REQUIREMENT_FIELDS), "skill": requirement.skill.name},
        label=f"{_target_label(requirement.item, requirement.category)}: {requirement.skill.name} "
        f"≥ {requirement.min_level}",
    )
    db.session.delete(requirement)
    db.session.flush()
