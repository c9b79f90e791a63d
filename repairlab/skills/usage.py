"""The "may use" rule: may a person use a thing that needs some skills at some levels? Inventory (risky tools),
lending, projects, and later repairs and the programme call it; it takes plain ids and levels and imports no domain
that uses it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from repairlab import clock
from repairlab.people.models import User
from repairlab.skills.levels import check_level, level_label
from repairlab.skills.queries import HeldSkill, current_levels, held_from_rows, skills_by_id


@dataclass(frozen=True)
class Requirement:
    """A skill needed at a minimum level; source names what needs it, for the message (a tool, a category)."""

    skill_id: int
    min_level: int
    source: str = ""


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
        skills = skills_by_id(req.skill_id for req in requirements)
        skill_names = {skill_id: skill.name for skill_id, skill in skills.items()}
    if holdings is not None:
        held = held_from_rows((row for row in holdings if row[0] == user.id), on)
    else:
        held = current_levels([user.id], list(skill_names), on=on) if skill_names else {}
    items = [_usage_item(req, skill_names.get(req.skill_id), held.get((user.id, req.skill_id))) for req in requirements]
    reasons = [item for item in items if not item.met]
    return UsageDecision(allowed=not reasons, reasons=reasons, items=items)
