"""Repairs as evidence of skills: the skills a category exercises (admins edit them), and the repairs a talent
worked on, shown on their skills passport and to whoever validates their skills."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab.audit.services import PROGRAMME_WIDE, record
from repairlab.errors import PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.repairs.access import can_edit_categories, can_view
from repairlab.repairs.categories import category_label
from repairlab.repairs.models import CategorySkill, Outcome, RepairCategory, RepairTicket, RepairWork
from repairlab.skills.models import Skill

EVIDENCE_ROWS = 30


def set_category_skills(actor: User, category: RepairCategory, skill_ids: list[int]) -> RepairCategory:
    """The skills that repairing objects of this category exercises (administrators)."""
    if not can_edit_categories(actor):
        raise PermissionDenied(_("Only administrators change the repair categories."))
    wanted = set(skill_ids)
    skills = list(db.session.scalars(sa.select(Skill).where(Skill.id.in_(wanted)))) if wanted else []
    if len(skills) != len(wanted):
        raise ValidationError(_("Choose skills of the catalogue."), field="skills")
    before = sorted(s.name for s in category.skills)
    category.skills = sorted(skills, key=lambda s: s.name)
    db.session.flush()
    record(
        actor,
        "repair_category.skills",
        category,
        before={"skills": before},
        after={"skills": sorted(s.name for s in skills)},
        territory_id=PROGRAMME_WIDE,
        label=category.name,
    )
    return category


@dataclass(frozen=True)
class RepairEvidence:
    """One repair a talent worked on: what, when, their time, the outcome and the skills it exercised."""

    ticket_id: int
    code: str
    object_name: str
    day: date
    minutes: int
    outcome: Outcome | None
    skills: tuple[str, ...]
    skill_ids: tuple[int, ...]
    visible: bool  # whether the viewer may open the ticket


def repairs_worked_on(talent: User, viewer: User, limit: int = EVIDENCE_ROWS) -> list[RepairEvidence]:
    """The talent's latest repairs (their minutes summed per ticket), newest first; three queries."""
    minutes = sa.func.sum(RepairWork.minutes).label("minutes")
    rows = db.session.execute(
        sa.select(
            RepairTicket.id,
            RepairTicket.code,
            RepairTicket.territory_id,
            RepairTicket.brand,
            RepairTicket.model,
            RepairTicket.event_date,
            RepairTicket.outcome,
            RepairTicket.category_id,
            minutes,
        )
        .join(RepairWork, RepairWork.ticket_id == RepairTicket.id)
        .where(RepairWork.talent_id == talent.id)
        .group_by(RepairTicket.id)
        .order_by(RepairTicket.event_date.desc(), RepairTicket.id.desc())
        .limit(limit)
    ).all()
    if not rows:
        return []
    category_ids = {row.category_id for row in rows}
    names = dict(
        db.session.execute(
            sa.select(RepairCategory.id, RepairCategory.name).where(RepairCategory.id.in_(category_ids))
        ).all()
    )
    skills: dict[int, list[tuple[int, str]]] = {}
    for category_id, skill_id, name in db.session.execute(
        sa.select(CategorySkill.category_id, Skill.id, Skill.name)
        .join(Skill, Skill.id == CategorySkill.skill_id)
        .where(CategorySkill.category_id.in_(category_ids))
        .order_by(Skill.name)
    ):
        skills.setdefault(category_id, []).append((skill_id, name))
    return [
        RepairEvidence(
            ticket_id=row.id,
            code=row.code or "",
            object_name=" ".join(p for p in (category_label(names[row.category_id]), row.brand, row.model) if p),
            day=row.event_date,
            minutes=int(row.minutes or 0),
            outcome=row.outcome,
            skills=tuple(name for _id, name in skills.get(row.category_id, [])),
            skill_ids=tuple(skill_id for skill_id, _name in skills.get(row.category_id, [])),
            visible=can_view(viewer, row.territory_id),
        )
        for row in rows
    ]


def passport_context(talent: User, viewer: User) -> dict | None:
    """The passport's "Repairs" section (the passport's own rule says who sees it), or None when there are none."""
    repairs = repairs_worked_on(talent, viewer)
    if not repairs:
        return None
    return {"repairs": repairs}
