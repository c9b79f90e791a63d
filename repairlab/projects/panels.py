"""Navigation links and home panels of the projects domain (talents: my projects; mentors: projects to look at)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from repairlab.extensions import db
from repairlab.pages import HomePanel, NavItem, home_panels, nav
from repairlab.people.models import Role, User
from repairlab.projects.models import MemberRole, Project, ProjectMember, ProjectStatus

HOME_PROJECTS = 5
# Bounded: the panel looks at the mentor's active projects, at most this many.
ATTENTION_SCAN = 200


def my_projects_context(user: User) -> dict | None:
    """A talent's projects with their next milestone (three queries); hidden when they have none."""
    from repairlab.projects.access import visible_projects
    from repairlab.projects.summary import summaries

    projects = list(
        db.session.scalars(
            visible_projects(user).options(joinedload(Project.stage)).order_by(Project.name).limit(HOME_PROJECTS)
        )
    )
    if not projects:
        return None
    return {"projects": projects, "facts": summaries(projects)}


def attention_context(user: User) -> dict:
    """A mentor's active projects with an overdue milestone or no recent session (bounded queries)."""
    from repairlab.projects.summary import summaries

    followed = sa.select(ProjectMember.project_id).where(
        ProjectMember.user_id == user.id, ProjectMember.role == MemberRole.MENTOR
    )
    projects = list(
        db.session.scalars(
            sa.select(Project)
            .options(joinedload(Project.stage))
            .where(
                Project.id.in_(followed),
                Project.territory_id == user.territory_id,
                Project.status == ProjectStatus.ACTIVE,
            )
            .order_by(Project.name)
            .limit(ATTENTION_SCAN)
        )
    )
    facts = summaries(projects)
    needing = [p for p in projects if facts[p.id].overdue_milestones or facts[p.id].session_stale]
    return {
        "projects": needing[:HOME_PROJECTS],
        "more": max(0, len(needing) - HOME_PROJECTS),
        "facts": facts,
        "followed": len(projects),
    }


def register_panels() -> None:
    """Add the projects and board links to the navigation, and the projects panels to the home page."""
    nav.register(
        "projects.index",
        NavItem(
            _l("Projects"),
            frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN}),
            group=_l("Projects"),
        ),
        order=30,
    )
    nav.register(
        "projects.board",
        NavItem(
            _l("Project board"),
            frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN}),
            group=_l("Projects"),
        ),
        order=31,
    )
    home_panels.register(
        "projects.mine",
        HomePanel(frozenset({Role.PARTICIPANT}), "projects/panels/mine.html", my_projects_context),
        order=20,
    )
    home_panels.register(
        "projects.attention",
        HomePanel(frozenset({Role.MENTOR}), "projects/panels/attention.html", attention_context),
        order=10,
    )
