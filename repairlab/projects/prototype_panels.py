"""The "used by" panel of the item page: the prototypes (and their projects) that use an item."""

from __future__ import annotations

import sqlalchemy as sa

from repairlab.auth import can_access_territory
from repairlab.extensions import db
from repairlab.inventory.models import Item
from repairlab.inventory.registry import ItemPanel, item_panels
from repairlab.people.models import Role, User
from repairlab.projects.access import READERS
from repairlab.projects.models import MemberRole, Project, ProjectMember, Prototype, PrototypeItem

# A tool used by more prototypes than this shows the first ones and a count.
MAX_SHOWN = 20


# Built once with bound parameters: the item page runs it on every scan, and building (and hashing) the statement
# cost more than running it.
_MINE = (
    sa.select(ProjectMember.id)
    .where(
        ProjectMember.project_id == Project.id,
        ProjectMember.user_id == sa.bindparam("viewer_id", type_=sa.Integer),
        ProjectMember.role == MemberRole.TEAM,
    )
    .exists()
)
_USED_BY = (
    sa.select(
        Prototype.id,
        Prototype.name,
        Project.id,
        Project.code,
        Project.name,
        _MINE.label("mine"),
        sa.func.count().over().label("total"),
    )
    .join(PrototypeItem, PrototypeItem.prototype_id == Prototype.id)
    .join(Project, Project.id == Prototype.project_id)
    .where(
        PrototypeItem.item_id == sa.bindparam("item_id", type_=sa.Integer),
        Project.territory_id == sa.bindparam("territory_id", type_=sa.Integer),
    )
    .order_by(_MINE.desc(), Project.name, Prototype.name, Prototype.id)
    .limit(MAX_SHOWN)
)


def used_by_context(item: Item, viewer: User | None) -> dict | None:
    """Staff of the territory see every prototype using the item; a talent sees their own team's prototypes by
    name and only a count of the others; anonymous visitors and other roles see nothing. One query."""
    if viewer is None or not getattr(viewer, "is_authenticated", False) or not viewer.active:
        return None
    if not can_access_territory(viewer, item.territory_id):
        return None
    staff = viewer.role in READERS
    if not staff and viewer.role != Role.PARTICIPANT:
        return None
    rows = db.session.execute(
        _USED_BY, {"viewer_id": viewer.id, "item_id": item.id, "territory_id": item.territory_id}
    ).all()
    if not rows:
        return None
    total = rows[0].total
    shown = [
        {"prototype_id": r[0], "prototype": r[1], "project_id": r[2], "code": r[3], "project": r[4], "mine": r.mine}
        for r in rows
        if staff or r.mine
    ]
    if not staff and not shown and viewer.role == Role.PARTICIPANT:
        # Other teams' projects stay private: only how many prototypes use this tool.
        return {"rows": [], "others": total, "item": item}
    return {"rows": shown, "others": total - len(shown), "item": item}


def register_panels() -> None:
    """Add the "used by" section to the item page."""
    item_panels.register(
        "projects.prototypes", ItemPanel("projects/prototype_item_panel.html", used_by_context), order=40
    )
