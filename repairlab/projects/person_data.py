"""What the projects domain holds about a talent: the projects they joined and their stage changes as timeline
lines, and their memberships in "download my data"."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from repairlab.clock import lab_day
from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.people.registry import (
    TIMELINE_SOURCE_ROWS,
    TimelineEntry,
    personal_data_sources,
    plain_rows,
    timeline_sources,
)
from repairlab.projects.models import MemberRole, Project, ProjectMember, StageChange


def timeline_entries(talent: User, viewer: User) -> list[TimelineEntry]:
    """Projects joined and their stage changes (two queries)."""
    memberships = db.session.execute(
        sa.select(ProjectMember, Project)
        .join(Project, Project.id == ProjectMember.project_id)
        .where(ProjectMember.user_id == talent.id, ProjectMember.role == MemberRole.TEAM)
    ).all()
    kind = _("Project")
    out = [
        TimelineEntry(
            m.joined_on,
            "project",
            kind,
            _("Joined the project %(name)s", name=p.name),
            str(p.status.label),
            url_for("projects.project", project_id=p.id),
        )
        for m, p in memberships
    ]
    names = {p.id: p.name for _m, p in memberships}
    if names:
        changes = db.session.scalars(
            sa.select(StageChange)
            .options(joinedload(StageChange.to_stage))
            .where(StageChange.project_id.in_(names))
            .order_by(StageChange.changed_at.desc())
            .limit(TIMELINE_SOURCE_ROWS)
        )
        out.extend(
            TimelineEntry(
                lab_day(c.changed_at),
                "project",
                kind,
                _("%(project)s: stage %(stage)s", project=names[c.project_id], stage=c.to_stage.name),
                "",
                url_for("projects.project", project_id=c.project_id),
            )
            for c in changes
        )
    return out


def personal_data(person: User) -> dict[str, list[dict[str, Any]]]:
    """The projects the person is in, and in which role."""
    return {
        "projects": plain_rows(
            sa.select(Project.code, Project.name, ProjectMember.role, ProjectMember.joined_on)
            .join(ProjectMember, ProjectMember.project_id == Project.id)
            .where(ProjectMember.user_id == person.id)
            .order_by(ProjectMember.joined_on)
        )
    }


def register() -> None:
    """Register the timeline source and personal data source (called by init_app)."""
    timeline_sources.register("projects.stages", timeline_entries, order=50)
    personal_data_sources.register("projects.members", personal_data, order=50)
