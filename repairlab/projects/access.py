"""Who may see and change a project: one place for the projects domain's permission rules."""

from __future__ import annotations

import sqlalchemy as sa

from repairlab.auth import can_access_territory
from repairlab.extensions import db
from repairlab.people.models import Role, User
from repairlab.projects.models import MemberRole, Project, ProjectMember

# Roles that follow every project of their territory (admins: of every territory).
FOLLOWERS = frozenset({Role.MENTOR, Role.ADMIN})
# Roles that may open the projects of their territory read-only.
READERS = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})


def member_role(user: User, project: Project) -> MemberRole | None:
    """The user's role in the project's team or mentors, or None (one query unless members are loaded)."""
    if "members" in sa.inspect(project).dict:
        return next((m.role for m in project.members if m.user_id == user.id), None)
    return db.session.scalar(
        sa.select(ProjectMember.role).where(ProjectMember.project_id == project.id, ProjectMember.user_id == user.id)
    )


def is_team_member(user: User, project: Project) -> bool:
    """Whether the user is a talent of the project's team."""
    return user.role == Role.PARTICIPANT and member_role(user, project) == MemberRole.TEAM


def can_view(user: User, project: Project) -> bool:
    """Staff of the territory and admins see every project of it; a talent sees only their team's projects."""
    if not user.is_authenticated or not user.active:
        return False
    if user.role in READERS:
        return can_access_territory(user, project.territory_id)
    if user.role == Role.PARTICIPANT:
        return user.territory_id == project.territory_id and is_team_member(user, project)
    return False  # researchers use the pseudonymised indicators, never project pages


def can_follow(user: User, project: Project) -> bool:
    """Mentors of the territory and admins: move stages, record sessions, manage team and mentors."""
    return user.role in FOLLOWERS and can_access_territory(user, project.territory_id)


def can_edit(user: User, project: Project) -> bool:
    """Followers, and the project's own team: edit the description, figures, milestones and prototypes."""
    return can_follow(user, project) or (
        user.role == Role.PARTICIPANT and user.territory_id == project.territory_id and is_team_member(user, project)
    )


def can_see_private_notes(user: User, project: Project) -> bool:
    """Sessions marked private are for mentors (and admins) only, never the team nor lab managers."""
    return can_follow(user, project)


def visible_projects(user: User) -> sa.Select:
    """A select of the projects the user may see, to be filtered and ordered by the caller."""
    stmt = sa.select(Project)
    if user.role == Role.ADMIN:
        return stmt
    if user.role in READERS:
        return stmt.where(Project.territory_id == user.territory_id)
    if user.role == Role.PARTICIPANT:
        team = sa.select(ProjectMember.project_id).where(
            ProjectMember.user_id == user.id, ProjectMember.role == MemberRole.TEAM
        )
        return stmt.where(Project.territory_id == user.territory_id, Project.id.in_(team))
    return stmt.where(sa.false())


def can_create(user: User, territory_id: int | None) -> bool:
    """Mentors of the territory and admins start projects."""
    return user.role in FOLLOWERS and can_access_territory(user, territory_id)


def can_manage_stages(user: User) -> bool:
    """Only admins edit the list of stages."""
    return user.role == Role.ADMIN


def may_follow_projects(user: User) -> bool:
    """Whether the user follows projects at all (mentors, admins): start projects, move cards on the board."""
    return user.role in FOLLOWERS


def sees_helper_names(user: User) -> bool:
    """Staff see who else in the territory could help with a missing skill; talents only how many people could."""
    return user.role in READERS
