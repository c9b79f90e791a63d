"""Project summaries: team, mentors, next milestone, last session, flags and missing skills, in bulk queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.projects.models import MemberRole, MentorSession, Milestone, Project, ProjectMember, ProjectStatus
from repairlab.projects.prototypes.models import Prototype, PrototypeSkill
from repairlab.skills.models import Skill, SkillValidation
from repairlab.skills.queries import validated_on_day

DEFAULT_STALE_DAYS = 30


@dataclass(frozen=True)
class Person:
    """A team member or a mentor, as a summary shows them."""

    id: int
    name: str


@dataclass(frozen=True)
class NextMilestone:
    """The first open milestone by due date; overdue when its due date has passed."""

    id: int
    title: str
    due_on: date
    days_late: int  # 0 when not overdue

    @property
    def overdue(self) -> bool:
        """Whether the due date has passed."""
        return self.days_late > 0


@dataclass(frozen=True)
class MissingSkill:
    """A skill the project's prototypes need that no talent of the team holds at the level needed."""

    id: int
    name: str
    min_level: int


@dataclass
class ProjectSummary:
    """What a card or a project page shows at a glance; built by summaries() for many projects at once."""

    project_id: int
    team: list[Person] = field(default_factory=list)
    mentors: list[Person] = field(default_factory=list)
    next_milestone: NextMilestone | None = None
    overdue_milestones: int = 0
    last_session_on: date | None = None
    # Days since the last session, or since the project's start when it never had one (None if it starts later).
    days_without_session: int | None = None
    # An active project with no session for more than PROJECT_SESSION_STALE_DAYS days.
    session_stale: bool = False
    paused: bool = False
    missing_skills: list[MissingSkill] = field(default_factory=list)

    @property
    def team_names(self) -> list[str]:
        """Names of the talents of the team, alphabetical."""
        return [p.name for p in self.team]

    @property
    def mentor_names(self) -> list[str]:
        """Names of the mentors, alphabetical."""
        return [p.name for p in self.mentors]

    @property
    def never_met(self) -> bool:
        """Whether no mentoring session was ever recorded."""
        return self.last_session_on is None

    @property
    def flag_count(self) -> int:
        """How many things need attention: overdue milestones, a stale follow-up, missing skills, a pause."""
        return (
            (1 if self.overdue_milestones else 0)
            + (1 if self.session_stale else 0)
            + (1 if self.missing_skills else 0)
            + (1 if self.paused else 0)
        )


def stale_days() -> int:
    """After how many days without a session a project is flagged (config PROJECT_SESSION_STALE_DAYS)."""
    return int(current_app.config.get("PROJECT_SESSION_STALE_DAYS", DEFAULT_STALE_DAYS))


def summaries(projects: Sequence[Project], *, on: date | None = None) -> dict[int, ProjectSummary]:
    """Summaries of the projects keyed by project id, in at most five queries whatever their number.

    `on` is the day the flags are computed for (default: today in the programme's time zone). Reads only the
    projects' id, status and start date: callers load the projects as they need. Last session: the latest held on
    or before `on`, private ones included (only their notes are private); a project never followed counts its days
    without a session from its start date. Missing skills: for each skill
    that the project's prototypes need (the highest level asked by any prototype), missing when no talent of the
    team currently holds a validated, unexpired level at least as high.
    """
    on = on or clock.today()
    if not projects:
        return {}
    limit = stale_days()
    result = {p.id: ProjectSummary(project_id=p.id, paused=p.status == ProjectStatus.PAUSED) for p in projects}
    ids = sorted(result)

    team_ids: dict[int, list[int]] = {}
    members = db.session.execute(
        sa.select(ProjectMember.project_id, ProjectMember.role, User.id, User.full_name)
        .join(User, User.id == ProjectMember.user_id)
        .where(ProjectMember.project_id.in_(ids))
        .order_by(User.full_name, User.id)
    )
    for project_id, role, user_id, name in members:
        summary = result[project_id]
        if role == MemberRole.TEAM:
            summary.team.append(Person(user_id, name))
            team_ids.setdefault(project_id, []).append(user_id)
        else:
            summary.mentors.append(Person(user_id, name))

    open_milestones = db.session.execute(
        sa.select(Milestone.project_id, Milestone.id, Milestone.title, Milestone.due_on)
        .where(Milestone.project_id.in_(ids), Milestone.done_on.is_(None))
        .order_by(Milestone.project_id, Milestone.due_on, Milestone.id)
    )
    for project_id, milestone_id, title, due_on in open_milestones:
        summary = result[project_id]
        late = max((on - due_on).days, 0)
        if late:
            summary.overdue_milestones += 1
        if summary.next_milestone is None:
            summary.next_milestone = NextMilestone(milestone_id, title, due_on, late)

    last_sessions = dict(
        db.session.execute(
            sa.select(MentorSession.project_id, sa.func.max(MentorSession.held_on))
            .where(MentorSession.project_id.in_(ids), MentorSession.held_on <= on)
            .group_by(MentorSession.project_id)
        ).all()
    )
    for project in projects:
        summary = result[project.id]
        summary.last_session_on = last_sessions.get(project.id)
        since = summary.last_session_on or project.start_date
        if since is not None and since <= on:
            summary.days_without_session = (on - since).days
            # Only a project being worked on needs its sessions: a paused, stopped or launched one is not flagged.
            active = project.status == ProjectStatus.ACTIVE
            summary.session_stale = active and summary.days_without_session > limit

    _missing_skills(result, team_ids, ids, on)
    return result


def _missing_skills(
    result: dict[int, ProjectSummary], team_ids: dict[int, list[int]], ids: list[int], on: date
) -> None:
    """Fill missing_skills: one query for the prototypes' needs (the highest level asked per skill), one for the
    levels the teams hold that count on the day (validated, not expired: only those rows, as plain numbers)."""
    needs = db.session.execute(
        sa.select(Prototype.project_id, Skill.id, Skill.name, sa.func.max(PrototypeSkill.min_level))
        .join(PrototypeSkill, PrototypeSkill.prototype_id == Prototype.id)
        .join(Skill, Skill.id == PrototypeSkill.skill_id)
        .where(Prototype.project_id.in_(ids))
        .group_by(Prototype.project_id, Skill.id, Skill.name)
        .order_by(Prototype.project_id, Skill.name, Skill.id)
    ).all()
    if not needs:
        return
    everyone = sorted({uid for pid, *_ in needs for uid in team_ids.get(pid, ())})
    held: dict[tuple[int, int], int] = {}
    if everyone:
        rows = db.session.execute(
            sa.select(SkillValidation.talent_id, SkillValidation.skill_id, SkillValidation.level).where(
                SkillValidation.talent_id.in_(everyone),
                SkillValidation.skill_id.in_(sorted({row[1] for row in needs})),
                validated_on_day(on),
            )
        )
        for talent_id, skill_id, level in rows:
            held[talent_id, skill_id] = max(level, held.get((talent_id, skill_id), level))
    for project_id, skill_id, name, min_level in needs:
        if not any(held.get((uid, skill_id), 0) >= min_level for uid in team_ids.get(project_id, ())):
            result[project_id].missing_skills.append(MissingSkill(skill_id, name, min_level))
